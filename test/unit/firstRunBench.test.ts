import * as assert from 'assert';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { benchFirstRun } from '../../src/bench/firstRunBench';
import { newManifest } from '../../src/core/model/manifest';
import { saveModel } from '../../src/core/model/modelFiles';
import { ModelSpec } from '../../src/core/modelSpec';
import { initParams, paramLayout } from '../../src/core/params';
import { trainingRecipe } from '../../src/core/workspaceTraining/trainingRecipe';
import { workspaceTrainingRequest } from '../../src/core/workspaceTraining/trainingRequest';
import { DEFAULT_TRAINING_SETTINGS } from '../../src/core/workspaceTraining/trainingSettings';
import { WorkspaceCorpus } from '../../src/core/workspaceTraining/workspaceCorpus';

const SPEC: ModelSpec = { vocabSize: 98, embedDim: 4, hidden: [8] };

describe('bench first-run: from "Train now" to the first completion', function () {
  this.timeout(120000);
  let dir: string;
  let modelDir: string;
  let workspace: string;

  beforeEach(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'lstm-lens-first-run-test-'));
    modelDir = path.join(dir, 'model');
    const layout = paramLayout(SPEC);
    await saveModel(modelDir, { layout, params: initParams(layout, 3), manifest: newManifest(SPEC, 'tiny') });
    workspace = path.join(dir, 'ws');
    fs.mkdirSync(path.join(workspace, 'src'), { recursive: true });
    for (let i = 0; i < 6; i++) fs.writeFileSync(path.join(workspace, 'src', `m${i}.py`), `def f${i}(x):\n    return x + ${i}\n\n`.repeat(40));
    fs.writeFileSync(path.join(workspace, 'data.bin'), Buffer.from([0, 1, 2, 3, 0, 0, 255]));
  });
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('times each phase of the editor\'s first run, and the trained model is the one that completes', async () => {
    const out = path.join(dir, 'out');
    const r = await benchFirstRun({ dir: workspace, modelDir, minutes: 0.02, threads: 1, outDir: out });
    assert.strictEqual(r.files, 6, 'the binary file is not part of the corpus');
    const sum = Object.values(r.phases).reduce((a, b) => a + b, 0);
    assert.ok(Math.abs(sum - r.totalSeconds) < 0.05, `phases ${sum} s against total ${r.totalSeconds} s`);
    assert.ok(r.phases.train > 0);
    // A random start on repetitive text: a few steps already beat it, so the run swaps.
    assert.strictEqual(r.swapped, true);
    assert.ok(fs.existsSync(path.join(out, 'model', 'model.json')), 'the trained model was saved where the editor would load it');
    assert.ok(r.firstCompletion === null || typeof r.firstCompletion === 'string');
  });

  it('leaves no temporary model behind, and says so when the folder has no code', async () => {
    const before = fs.readdirSync(os.tmpdir()).filter((f) => f.startsWith('lstm-lens-first-run-') && !f.includes('test')).length;
    await benchFirstRun({ dir: workspace, modelDir, minutes: 0.01, threads: 1 });
    const after = fs.readdirSync(os.tmpdir()).filter((f) => f.startsWith('lstm-lens-first-run-') && !f.includes('test')).length;
    assert.strictEqual(after, before);
    const empty = path.join(dir, 'empty');
    fs.mkdirSync(empty);
    await assert.rejects(benchFirstRun({ dir: empty, modelDir, minutes: 0.01, threads: 1 }), /no source files to train on/);
  });
});

describe('workspaceTrainingRequest: the one recipe of a workspace run', () => {
  const corpus: WorkspaceCorpus = { files: [{ name: 'ws/a.ts', path: '/x/a.ts', text: 'let a = 1;\n', bytes: 11 }], skipped: [], totalChars: 11, totalBytes: 11, byLanguage: { '.ts': 11 } };
  const base = { corpus, settings: { ...DEFAULT_TRAINING_SETTINGS }, threads: 1, background: false, outDir: '/o', checkpointDir: '/c', workspaceName: 'demo (Workspace)', folderNames: ['demo'], initSeed: 1 };
  const layout = paramLayout(SPEC);
  const current = { spec: SPEC, params: initParams(layout, 2), name: 'bundled', dir: '/m' };

  it('fine-tunes the working model with the recipe bench workspace measures, and names the result after the workspace', () => {
    const r = workspaceTrainingRequest({ ...base, start: 'fine-tune', current });
    assert.strictEqual(r.initial, current.params);
    const recipe = trainingRecipe();
    for (const key of ['learningRate', 'batch', 'seq', 'valFraction', 'patience'] as const) assert.strictEqual(r.train[key], recipe[key], key);
    assert.strictEqual(r.train.learningRate, 2e-3);
    assert.strictEqual(r.train.batch, 32);
    assert.ok(!r.lowPriority, 'a run the user started trains at normal priority');
    assert.strictEqual(r.modelName, 'demo (trained)');
    assert.strictEqual(r.startedFrom, '/m');
    assert.deepStrictEqual(r.baseline?.spec, SPEC);
  });

  it('from scratch takes the settings\' shape and cell; in the background steps are half size at low priority; no model to fine-tune is an error', () => {
    const r = workspaceTrainingRequest({ ...base, settings: { ...DEFAULT_TRAINING_SETTINGS, cell: 'gru', layers: 1, hidden: 16 }, start: 'scratch', current, background: true });
    assert.deepStrictEqual(r.spec.hidden, [16]);
    assert.strictEqual(r.spec.cell, 'gru');
    assert.strictEqual(r.initial.length, paramLayout(r.spec).total);
    assert.strictEqual(r.train.batch, 16);
    assert.strictEqual(r.lowPriority, true, 'a background run yields the CPU to the editor');
    assert.strictEqual(r.train.learningRate, 2e-3);
    assert.throws(() => workspaceTrainingRequest({ ...base, start: 'fine-tune', current: undefined }), /no working model to fine-tune/);
  });
});
