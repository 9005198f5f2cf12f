import * as assert from 'assert';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { benchIdleTraining, IdleTrainingBenchOptions } from '../../src/bench/idleTrainingBench';
import { newManifest } from '../../src/core/model/manifest';
import { saveModel } from '../../src/core/model/modelFiles';
import { ModelSpec } from '../../src/core/modelSpec';
import { initParams, paramLayout } from '../../src/core/params';
import { WorkspaceCorpus } from '../../src/core/workspaceTraining/workspaceCorpus';

const SPEC: ModelSpec = { vocabSize: 98, embedDim: 4, hidden: [8] };
const TEXT = 'def add(a, b):\n    return a + b\n\n'.repeat(20);

describe('bench idle-training: typing beside the background run, and without it', function () {
  this.timeout(120_000);
  let dir: string;
  let options: IdleTrainingBenchOptions;

  before(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'lstm-lens-idle-training-test-'));
    const layout = paramLayout(SPEC);
    await saveModel(path.join(dir, 'model'), { layout, params: initParams(layout, 3), manifest: newManifest(SPEC, 'tiny') });
    const files = Array.from({ length: 6 }, (_, i) => ({ name: `ws/m${i}.py`, path: `/ws/m${i}.py`, text: `def f${i}(x):\n    return x + ${i}\n\n`.repeat(30), bytes: 0 }));
    const corpus: WorkspaceCorpus = { files, skipped: [], totalChars: files.reduce((n, f) => n + f.text.length, 0), totalBytes: 0, byLanguage: { '.py': files.length } };
    options = { modelDir: path.join(dir, 'model'), corpus, typingText: TEXT, startOffset: 10, bursts: 4, burstChars: 6, paceMs: 0, gapMs: 5, normalPriority: true, unpaused: true, firstStepTimeoutMs: 60_000, lowPriority: false };
    // (At low priority, on a busy machine, the runs could wait long for their first step: threadPriority.test.ts checks the priority.)
  });
  after(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('types the same text in every condition, with a training thread running in all but the first', async () => {
    const tmpBefore = fs.readdirSync(os.tmpdir()).filter((f) => f.startsWith('lstm-lens-idle-training-') && !f.includes('test')).length;
    const r = await benchIdleTraining(options);
    assert.deepStrictEqual(r.conditions.map((c) => c.condition), ['none', 'idle-training', 'normal-priority-training', 'unpaused-training']);
    const requests = r.conditions.map((c) => c.completion.count);
    // 4 bursts of 6 keystrokes, each asking for a completion (the rest of the line is empty or closers).
    assert.deepStrictEqual(requests, [24, 24, 24, 24]);
    assert.deepStrictEqual(r.conditions.map((c) => c.keystroke.count), [24, 24, 24, 24]);
    assert.strictEqual(r.conditions[0].trainingCharsPerSecond, 0, 'nothing trains in the first condition');
    for (const c of r.conditions.slice(1)) {
      assert.ok(c.trainingCharsPerSecond > 0, `${c.condition}: typing began once the run was taking steps`);
      assert.strictEqual(c.trainingBeforeTyping, true, c.condition);
    }
    assert.strictEqual(r.conditions[0].trainingBeforeTyping, false);
    assert.strictEqual(r.typed.burstsPerCondition, 4);
    assert.ok(r.ratios.completionP95 > 0);
    const tmpAfter = fs.readdirSync(os.tmpdir()).filter((f) => f.startsWith('lstm-lens-idle-training-') && !f.includes('test')).length;
    assert.strictEqual(tmpAfter, tmpBefore, 'the runs\' temporary models are removed');
  });

  it('says so when the typed file is too short for the bursts asked for', async () => {
    await assert.rejects(benchIdleTraining({ ...options, bursts: 200 }), /the typed file has \d+ characters; 200 bursts of 6 from offset 10 need 1210/);
  });
});
