import * as assert from 'assert';
import { createHash } from 'crypto';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { isAtomicTempName } from '../../src/core/atomicWrite';
import { newManifest } from '../../src/core/model/manifest';
import { loadModel, saveModel } from '../../src/core/model/modelFiles';
import { ModelSpec } from '../../src/core/modelSpec';
import { initParams, paramLayout } from '../../src/core/params';
import { TrainingEvent, TrainingJobRequest } from '../../src/core/workspaceTraining/trainingJob';
import { runTrainingInWorker, trainingWorkerPath } from '../../src/core/workspaceTraining/trainingWorkerClient';

/**
 * Faults of the Train on Workspace thread: the real worker script crashing
 * mid-step and mid-save (a wrapper script makes it exit at those moments),
 * and the editor closing while it trains (the kill signal). After each, the
 * working model's folder holds the same loadable model, every file a user
 * can see there is complete, and no thread is left running.
 */

const SPEC: ModelSpec = { vocabSize: 98, embedDim: 8, hidden: [16] };
const layout = paramLayout(SPEC);
const SOURCES = Array.from({ length: 6 }, (_, i) => ({ name: `ws/f${i}.py`, text: `def f_${i}(a):\n    return a * ${i}\n\n`.repeat(20) }));

function request(dir: string, epochs: number): TrainingJobRequest {
  return {
    spec: SPEC,
    initial: initParams(layout, 5),
    // A baseline that cannot be beaten would never reach the save; an untrained one always is.
    baseline: { spec: SPEC, params: initParams(layout, 5), name: 'untrained' },
    sources: SOURCES,
    train: { minutes: Infinity, epochs, valFraction: 0.2, patience: 1000, threads: 1, seq: 16, batch: 4, learningRate: 1e-2, evalEverySeconds: Infinity, checkpointEverySeconds: 0, seed: 1 },
    outDir: path.join(dir, 'model'),
    checkpointDir: path.join(dir, 'checkpoint'),
    modelName: 'faults',
    startedFrom: 'test',
    corpus: { files: SOURCES.length, chars: 1000, sources: ['ws'], byLanguage: { '.py': SOURCES.length } },
    compareChars: 1 << 16,
    cellChars: 0,
  };
}

/** Threads of this process (Linux); a worker thread is one of them while it runs. */
function threadCount(): number | undefined {
  try {
    return fs.readdirSync('/proc/self/task').length;
  } catch {
    return undefined;
  }
}

/**
 * Visible files of a model folder are model.json and weight shards; a
 * shard is complete when its content hash matches its name (saveModel
 * names shards by hash). Hidden temporary files are ignored by the loader.
 */
function assertNothingHalfWritten(dir: string): void {
  for (const name of fs.readdirSync(dir)) {
    if (isAtomicTempName(name)) continue;
    if (name === 'model.json') continue;
    const m = /^weights-([0-9a-f]{12})\.bin$/.exec(name);
    assert.ok(m, `unexpected visible file ${name}`);
    const hash = createHash('sha256').update(fs.readFileSync(path.join(dir, name))).digest('hex').slice(0, 12);
    assert.strictEqual(hash, m[1], `${name} is incomplete`);
  }
}

/** A worker script that runs the real training worker with `patch` applied first (plain JS, run as is). */
function wrapperScript(dir: string, patch: string): string {
  const file = path.join(dir, `wrapper-${Math.random().toString(36).slice(2)}.js`);
  fs.writeFileSync(file, `'use strict';\nconst { parentPort, workerData } = require('worker_threads');\nconst fs = require('fs');\n${patch}\nrequire(${JSON.stringify(trainingWorkerPath())});\n`);
  return file;
}

describe('faults: the training worker', function () {
  let dir: string;
  let working: Float32Array;
  let before: Buffer;
  beforeEach(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'lstm-lens-faults-worker-'));
    working = initParams(layout, 5);
    await saveModel(path.join(dir, 'model'), { layout, params: working, manifest: newManifest(SPEC, 'working') });
    before = fs.readFileSync(path.join(dir, 'model', 'model.json'));
  });
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  async function assertWorkingModelIntact(): Promise<void> {
    const outDir = path.join(dir, 'model');
    assert.deepStrictEqual(fs.readFileSync(path.join(outDir, 'model.json')), before, 'model.json untouched');
    const back = await loadModel(outDir);
    assert.deepStrictEqual(back.params, working);
    assertNothingHalfWritten(outDir);
    if (fs.existsSync(path.join(dir, 'checkpoint', 'model.json'))) {
      await loadModel(path.join(dir, 'checkpoint'));
      assertNothingHalfWritten(path.join(dir, 'checkpoint'));
    }
  }

  it('crashes mid-step: a clear error, the working model intact, the thread gone', async () => {
    const threads = threadCount();
    // The worker's thread exits after its third progress report, in the middle of training.
    const script = wrapperScript(
      dir,
      `let n = 0; const post = parentPort.postMessage.bind(parentPort);
       parentPort.postMessage = (m) => { post(m); if (m && m.type === 'progress' && ++n === 3) process.exit(7); };`,
    );
    const events: TrainingEvent[] = [];
    await assert.rejects(runTrainingInWorker(request(dir, 100_000), new AbortController().signal, (e) => events.push(e), { script }), /training thread stopped unexpectedly \(exit code 7\)/);
    assert.ok(events.filter((e) => e.type === 'progress').length >= 1, 'it was training when it died');
    await assertWorkingModelIntact();
    if (threads !== undefined) assert.strictEqual(threadCount(), threads, 'no thread left behind');
  });

  it('crashes mid-save, half-way through writing model.json: the old model loads, and the next save cleans up', async () => {
    // The final save writes the shard, then model.json through a temporary file; die after half of that.
    const script = wrapperScript(
      dir,
      `const target = require('path').join(workerData.outDir, '.model.json');
       const open = fs.promises.open;
       fs.promises.open = async (p, ...rest) => {
         const handle = await open(p, ...rest);
         if (String(p).startsWith(target)) {
           const write = handle.writeFile.bind(handle);
           handle.writeFile = async (data) => { await write(String(data).slice(0, data.length >> 1)); process.exit(9); };
         }
         return handle;
       };`,
    );
    const statuses: string[] = [];
    const req = request(dir, 3);
    await assert.rejects(
      runTrainingInWorker(req, new AbortController().signal, (e) => e.type === 'status' && statuses.push(e.text), { script }),
      /training thread stopped unexpectedly \(exit code 9\)/,
    );
    assert.ok(statuses.some((s) => s.startsWith('saving to')), `it died while saving (${statuses.join('; ')})`);
    assert.ok(fs.readdirSync(req.outDir).some(isAtomicTempName), 'the half-written file is there, hidden');
    await assertWorkingModelIntact();
    // The next save (the next run that wins) removes what the crash left.
    await saveModel(req.outDir, { layout, params: initParams(layout, 6), manifest: newManifest(SPEC, 'next') });
    assert.deepStrictEqual(fs.readdirSync(req.outDir).filter((n) => n !== 'model.json').length, 1, 'only the new shard besides model.json');
  });

  it('the editor closes mid-step: the kill signal ends the thread at once, nothing is written', async () => {
    const threads = threadCount();
    const kill = new AbortController();
    let during: number | undefined;
    const run = runTrainingInWorker(
      request(dir, 100_000),
      new AbortController().signal,
      (e) => {
        if (e.type === 'progress' && !kill.signal.aborted) {
          during = threadCount();
          kill.abort();
        }
      },
      { kill: kill.signal },
    );
    await assert.rejects(run, /its thread was ended/);
    if (threads !== undefined) {
      assert.ok(during !== undefined && during > threads, 'the worker had its own thread');
      assert.strictEqual(threadCount(), threads, 'and it is gone once the promise settles');
    }
    await assertWorkingModelIntact();
  });

  it('the editor closed before the run started: no worker is started at all', async () => {
    const threads = threadCount();
    const kill = new AbortController();
    kill.abort();
    let events = 0;
    await assert.rejects(
      runTrainingInWorker(request(dir, 100_000), new AbortController().signal, () => events++, { kill: kill.signal }),
      /shutting down/,
    );
    assert.strictEqual(events, 0);
    if (threads !== undefined) assert.strictEqual(threadCount(), threads);
    await assertWorkingModelIntact();
  });
});
