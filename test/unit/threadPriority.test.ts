import * as assert from 'assert';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { Worker } from 'worker_threads';
import { lowerWorkerThreadPriority } from '../../src/core/workspaceTraining/threadPriority';

/** Nice value of each thread of this process (Linux's /proc/self/task/TID/stat, field 19). */
function threadNiceValues(): number[] {
  return fs.readdirSync('/proc/self/task').map((tid) => {
    const stat = fs.readFileSync(`/proc/self/task/${tid}/stat`, 'utf8');
    // Fields after the command name (which may hold spaces) start at the state, field 3.
    return Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[16]);
  });
}

describe('idle retraining: the training thread at low priority', () => {
  it('lowers only a worker thread, and only on Linux, where a nice value is per thread', () => {
    const calls: number[] = [];
    const set = (p: number) => calls.push(p);
    assert.strictEqual(lowerWorkerThreadPriority('linux', false, set), true);
    assert.deepStrictEqual(calls, [os.constants.priority.PRIORITY_LOW]);
    for (const platform of ['darwin', 'win32'] as const) assert.strictEqual(lowerWorkerThreadPriority(platform, false, set), false, platform);
    assert.strictEqual(lowerWorkerThreadPriority('linux', true, set), false, 'never the editor\'s own thread');
    assert.strictEqual(calls.length, 1);
    assert.strictEqual(lowerWorkerThreadPriority('linux', false, () => { throw new Error('EACCES'); }), false, 'a refusal is not an error');
  });

  it('in a real worker thread, that thread gets the lowest priority and the process keeps its own', async function () {
    if (process.platform !== 'linux') {
      assert.strictEqual(lowerWorkerThreadPriority(), false, 'the main thread is never lowered');
      return;
    }
    const LOWEST = os.constants.priority.PRIORITY_LOW; // 19 on Linux
    const before = os.getPriority();
    const atLowestBefore = threadNiceValues().filter((n) => n === LOWEST).length;
    const modulePath = path.resolve(__dirname, '..', '..', 'src', 'core', 'workspaceTraining', 'threadPriority.js');
    // The worker lowers itself, reports, and stays alive until told to end (so its thread can be read).
    const worker = new Worker(
      `const { parentPort, workerData } = require('worker_threads');
       const lowered = require(workerData).lowerWorkerThreadPriority();
       parentPort.postMessage(lowered);
       parentPort.once('message', () => process.exit(0));`,
      { eval: true, workerData: modulePath },
    );
    try {
      const lowered = await new Promise<boolean>((resolve, reject) => {
        worker.once('message', resolve);
        worker.once('error', reject);
      });
      assert.strictEqual(lowered, true);
      // (Run under `nice -n 19`, every thread starts at the lowest and there is nothing to see.)
      if (before < LOWEST) assert.strictEqual(threadNiceValues().filter((n) => n === LOWEST).length, atLowestBefore + 1, 'the worker thread, and it alone, is now at the lowest priority');
      assert.strictEqual(os.getPriority(), before, 'the main thread keeps its priority');
    } finally {
      worker.postMessage('end');
      await new Promise((resolve) => worker.once('exit', resolve));
    }
  });
});
