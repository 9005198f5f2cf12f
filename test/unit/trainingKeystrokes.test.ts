import * as assert from 'assert';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { ModelSpec } from '../../src/core/modelSpec';
import { initParams, paramLayout } from '../../src/core/params';
import { TrainingEvent, TrainingJobRequest, runTrainingJob } from '../../src/core/workspaceTraining/trainingJob';

/**
 * Train on Workspace's before/after comparison also types a capped sample
 * of the held-out files with each model (replayTyping) and reports the
 * keystrokes each saves, for the notification.
 */

const SPEC: ModelSpec = { vocabSize: 98, embedDim: 8, hidden: [24] };
const layout = paramLayout(SPEC);
const SOURCES = Array.from({ length: 6 }, (_, i) => ({ name: `ws/m${i}.py`, text: `def add_${i}(a, b):\n    return a + b\n\n`.repeat(25) }));

function request(dir: string, keystrokeChars: number | undefined): TrainingJobRequest {
  return {
    spec: SPEC,
    initial: initParams(layout, 4),
    baseline: { spec: SPEC, params: initParams(layout, 4), name: 'untrained' },
    sources: SOURCES,
    train: { minutes: Infinity, epochs: 25, valFraction: 0.2, patience: 100, threads: 1, seq: 16, batch: 4, learningRate: 1e-2, evalEverySeconds: Infinity, checkpointEverySeconds: Infinity, seed: 1 },
    outDir: path.join(dir, 'model'),
    checkpointDir: path.join(dir, 'checkpoint'),
    modelName: 'ks',
    startedFrom: 'test',
    corpus: { files: SOURCES.length, chars: 1000, sources: ['ws'], byLanguage: { '.py': SOURCES.length } },
    compareChars: 1 << 16,
    cellChars: 0,
    ...(keystrokeChars === undefined ? {} : { keystrokeChars }),
  };
}

describe('training: keystrokes saved before and after', function () {
  let dir: string;
  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'lstm-lens-trainks-'));
  });
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('types at most the capped sample with both models; the trained one saves more', async () => {
    const statuses: string[] = [];
    const result = await runTrainingJob(request(dir, 400), new AbortController().signal, (e: TrainingEvent) => e.type === 'status' && statuses.push(e.text));
    assert.strictEqual(result.decision.swap, true, result.decision.reason);
    const k = result.keystrokes;
    assert.ok(k, 'measured for a model that is swapped in');
    assert.strictEqual(k.chars, 400, 'the cap, taken from held-out files');
    // Untrained, only the document's own names and lines (word memory, document cache) save anything.
    assert.ok(k.before !== null && k.before >= 0 && k.before < 0.5, `an untrained model saves little: ${k.before}`);
    assert.ok(k.after > k.before + 0.2, `the trained model completes this repetitive code: ${k.after}`);
    assert.ok(statuses.includes('measuring keystrokes saved on 400 held-out characters'));
  });

  it('is skipped when not asked for', async () => {
    const result = await runTrainingJob(request(dir, undefined), new AbortController().signal, () => undefined);
    assert.strictEqual(result.decision.swap, true);
    assert.strictEqual(result.keystrokes, null);
  });
});
