import * as assert from 'assert';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { newManifest } from '../../src/core/model/manifest';
import { loadModel, saveModel } from '../../src/core/model/modelFiles';
import { ModelSpec } from '../../src/core/modelSpec';
import { initParams, paramLayout } from '../../src/core/params';
import { trainModel } from '../../src/core/trainer/trainer';
import { splitTrainVal } from '../../src/core/trainer/trainingData';
import { heldOutOf, joinedBytes } from '../../src/core/workspaceTraining/heldOut';
import { PauseGate } from '../../src/core/workspaceTraining/pauseGate';
import { decideSwap } from '../../src/core/workspaceTraining/swapRule';
import { TrainingEvent, TrainingJobRequest, runTrainingJob } from '../../src/core/workspaceTraining/trainingJob';
import { runTrainingInWorker } from '../../src/core/workspaceTraining/trainingWorkerClient';

const SPEC: ModelSpec = { vocabSize: 98, embedDim: 8, hidden: [16] };
const layout = paramLayout(SPEC);

/** Six small files in one style: enough for whole-file validation. */
const SOURCES = Array.from({ length: 6 }, (_, i) => ({
  name: `ws/src/f${i}.py`,
  text: `# module ${i}\n` + `def add_${i}(a, b):\n    return a + b\n\n`.repeat(12 + i),
}));

function request(dir: string, over: Partial<TrainingJobRequest> = {}): TrainingJobRequest {
  return {
    spec: SPEC,
    initial: initParams(layout, 7),
    baseline: { spec: SPEC, params: initParams(layout, 7), name: 'untrained' },
    sources: SOURCES,
    train: { minutes: Infinity, epochs: 15, valFraction: 0.2, patience: 100, threads: 1, seq: 16, batch: 4, learningRate: 1e-2, evalEverySeconds: Infinity, checkpointEverySeconds: 0, seed: 1 },
    outDir: path.join(dir, 'model'),
    checkpointDir: path.join(dir, 'checkpoint'),
    modelName: 'ws (trained)',
    startedFrom: 'test',
    corpus: { files: SOURCES.length, chars: SOURCES.reduce((n, s) => n + s.text.length, 0), sources: ['ws'], byLanguage: { '.py': 1 } },
    compareChars: 1 << 20,
    cellChars: 0,
    ...over,
  };
}

/** Saves a "working model" in dir and returns its model.json bytes, to check later that nothing touched it. */
async function saveWorkingModel(dir: string, params: Float32Array): Promise<Buffer> {
  await saveModel(dir, { layout, params, manifest: newManifest(SPEC, 'working') });
  return fs.readFileSync(path.join(dir, 'model.json'));
}

describe('training: held-out files', () => {
  it('names exactly the files whose text the trainer validates on', () => {
    const held = heldOutOf(SOURCES, 0.2);
    assert.strictEqual(held.by, 'files');
    assert.ok(held.files.length >= 1 && held.files.length < SOURCES.length);
    assert.deepStrictEqual(joinedBytes(held.files), splitTrainVal(SOURCES, 0.2).val);
  });

  it('falls back to the tail of the text with fewer than four files', () => {
    const held = heldOutOf(SOURCES.slice(0, 2), 0.2);
    assert.strictEqual(held.by, 'tail');
    assert.deepStrictEqual(held.files, []);
    assert.ok(held.bytes.length > 0);
  });
});

describe('training: the swap rule', () => {
  it('swaps only for a lower held-out bits/char, never after a cancel', () => {
    assert.strictEqual(decideSwap({ candidate: 1.5, baseline: 2.0, cancelled: false }).swap, true);
    assert.strictEqual(decideSwap({ candidate: 2.0, baseline: 2.0, cancelled: false }).swap, false);
    assert.strictEqual(decideSwap({ candidate: 2.1, baseline: 2.0, cancelled: false }).swap, false);
    assert.strictEqual(decideSwap({ candidate: 1.9995, baseline: 2.0, cancelled: false }).swap, false, 'a gain below minGain is noise');
    assert.strictEqual(decideSwap({ candidate: 0.5, baseline: 2.0, cancelled: true }).swap, false);
    assert.strictEqual(decideSwap({ candidate: null, baseline: 2.0, cancelled: false }).swap, false);
    assert.strictEqual(decideSwap({ candidate: 1.0, baseline: null, cancelled: false }).swap, true);
    assert.match(decideSwap({ candidate: 2.1, baseline: 2.0, cancelled: false }).reason, /not better .*2\.100 .*2\.000/);
  });
});

describe('training: a whole run (in-process)', function () {
  let dir: string;
  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'lstm-lens-trainjob-'));
  });
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('saves a better model over the working one, with corpus summary, metrics and named cells', async () => {
    const req = request(dir, { cellChars: 3000 });
    await saveWorkingModel(req.outDir, req.baseline!.params);
    const events: TrainingEvent[] = [];
    const result = await runTrainingJob(req, new AbortController().signal, (e) => events.push(e));
    assert.strictEqual(result.decision.swap, true, result.decision.reason);
    assert.ok(result.candidate!.bitsPerChar < result.baseline!.bitsPerChar);
    assert.strictEqual(result.savedTo, req.outDir);
    const saved = await loadModel(req.outDir);
    assert.strictEqual(saved.manifest.name, 'ws (trained)');
    assert.strictEqual(saved.manifest.training?.corpus?.files, SOURCES.length);
    assert.strictEqual(saved.manifest.metrics?.valBitsPerChar, result.candidate!.bitsPerChar);
    assert.strictEqual(saved.manifest.metrics?.baselineValBitsPerChar, result.baseline!.bitsPerChar);
    assert.deepStrictEqual(Object.keys(saved.manifest.cells ?? {}).sort(), [...result.namedCells].sort());
    assert.ok(result.namedCells.length > 0);
    assert.ok(events.some((e) => e.type === 'progress'));
    assert.ok(events.some((e) => e.type === 'checkpoint'), 'checkpoints are written during the run');
    assert.ok(fs.existsSync(path.join(req.checkpointDir, 'model.json')));
  });

  it('keeps the working model untouched when the new one is worse on the same held-out files', async () => {
    // The working model has been trained well; the candidate starts from scratch and gets one epoch.
    const good = await trainModel(layout, initParams(layout, 3), SOURCES, { seq: 16, batch: 4, learningRate: 1e-2, epochs: 25, valFraction: 0.2, threads: 1 });
    const req = request(dir, { baseline: { spec: SPEC, params: good.params, name: 'good' }, train: { ...request(dir).train, epochs: 1 } });
    const before = await saveWorkingModel(req.outDir, good.params);
    const result = await runTrainingJob(req, new AbortController().signal, () => undefined);
    assert.strictEqual(result.decision.swap, false);
    assert.ok(result.candidate!.bitsPerChar > result.baseline!.bitsPerChar);
    assert.strictEqual(result.savedTo, null);
    assert.deepStrictEqual(fs.readFileSync(path.join(req.outDir, 'model.json')), before);
  });

  it('an idle run reports how often and how long a keystroke held it; a run from the command reports no pauses', async () => {
    const gate = new PauseGate();
    const req = request(dir, { train: { ...request(dir).train, epochs: 2 }, pauseBuffer: gate.buffer });
    let steps = 0;
    const result = await runTrainingJob(req, new AbortController().signal, (e) => {
      if (e.type !== 'progress' || e.progress.phase !== 'train' || ++steps !== 3) return;
      // A keystroke on the third step, and the resume 40 ms later, as the host's KeystrokePause does.
      gate.pause();
      setTimeout(() => gate.resume(), 40);
    });
    assert.strictEqual(result.paused?.times, 1);
    assert.ok(result.paused.seconds >= 0.03 && result.paused.seconds < 5, `paused ${result.paused.seconds} s`);
    const plain = await runTrainingJob(request(dir, { train: { ...request(dir).train, epochs: 1 } }), new AbortController().signal, () => undefined);
    assert.strictEqual(plain.paused, null);
  });

  it('a cancelled run stops, reports it, and leaves the working model untouched', async () => {
    const req = request(dir, { train: { ...request(dir).train, epochs: 10_000 } });
    const before = await saveWorkingModel(req.outDir, req.baseline!.params);
    const controller = new AbortController();
    let steps = 0;
    const result = await runTrainingJob(req, controller.signal, (e) => {
      if (e.type === 'progress' && e.progress.phase === 'train' && ++steps === 5) controller.abort();
    });
    assert.strictEqual(result.stoppedBecause, 'cancelled');
    assert.strictEqual(result.decision.swap, false);
    assert.ok(result.steps >= 5 && result.steps < 10_000);
    assert.deepStrictEqual(fs.readFileSync(path.join(req.outDir, 'model.json')), before);
  });

  it('a model folder that cannot be written is a clear error, and the old model still loads', async () => {
    const req = request(dir);
    const before = await saveWorkingModel(req.outDir, req.baseline!.params);
    fs.chmodSync(req.outDir, 0o500);
    try {
      if (process.getuid?.() === 0) {
        // root writes anyway: make the target a file instead, which no one can write into.
        req.outDir = path.join(dir, 'not-a-folder');
        fs.writeFileSync(req.outDir, 'x');
      }
      await assert.rejects(runTrainingJob(req, new AbortController().signal, () => undefined), /EACCES|EEXIST|ENOTDIR|permission|not a directory/i);
    } finally {
      fs.chmodSync(path.join(dir, 'model'), 0o700);
    }
    assert.deepStrictEqual(fs.readFileSync(path.join(dir, 'model', 'model.json')), before);
    await loadModel(path.join(dir, 'model'));
  });
});

describe('training: in a worker thread', function () {
  let dir: string;
  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'lstm-lens-trainworker-'));
  });
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('trains off the main thread, reports progress and hands back the result', async () => {
    const events: TrainingEvent[] = [];
    const result = await runTrainingInWorker(request(dir), new AbortController().signal, (e) => events.push(e));
    assert.strictEqual(result.stoppedBecause, 'epochs');
    assert.strictEqual(result.decision.swap, true, result.decision.reason);
    assert.ok(events.some((e) => e.type === 'baseline'));
    assert.ok(fs.existsSync(path.join(dir, 'model', 'model.json')));
  });

  it('stops when cancelled and writes no model', async () => {
    const controller = new AbortController();
    const req = request(dir, { train: { ...request(dir).train, epochs: 100_000 } });
    const result = await runTrainingInWorker(req, controller.signal, (e) => {
      if (e.type === 'progress') controller.abort();
    });
    assert.strictEqual(result.stoppedBecause, 'cancelled');
    assert.strictEqual(result.savedTo, null);
    assert.ok(!fs.existsSync(path.join(dir, 'model', 'model.json')));
  });

  it('a failing job rejects with its message instead of hanging', async () => {
    const req = request(dir, { initial: new Float32Array(3) });
    await assert.rejects(runTrainingInWorker(req, new AbortController().signal, () => undefined), /training failed: starting weights have 3 values/);
  });
});
