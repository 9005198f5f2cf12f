import * as assert from 'assert';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { DictionaryJobEvent, DictionaryJobRequest } from '../../src/core/features/dictionaryJob';
import { runDictionaryInWorker } from '../../src/core/features/dictionaryWorkerClient';
import { loadDictionary } from '../../src/core/features/dictionaryFile';
import { newManifest } from '../../src/core/model/manifest';
import { loadModel, saveModel } from '../../src/core/model/modelFiles';
import { ModelSpec } from '../../src/core/modelSpec';
import { initParams, paramLayout } from '../../src/core/params';
import { VOCAB_SIZE } from '../../src/core/vocab';

const TEXT = 'function f(a, b) {\n  // add "them"\n  if (a > b) return a - b;\n  return `${a + b}`;\n}\n'.repeat(10);

describe('feature dictionary in a worker thread', function () {
  this.timeout(300_000);
  const spec: ModelSpec = { vocabSize: VOCAB_SIZE, embedDim: 8, hidden: [12] };
  let dir: string;
  let modelDir: string;
  let params: Float32Array;

  before(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'lstm-lens-features-worker-'));
    modelDir = path.join(dir, 'model');
    const layout = paramLayout(spec);
    params = initParams(layout, 3);
    await saveModel(modelDir, { layout, params, manifest: newManifest(spec, 'tiny') });
  });
  after(() => dir && fs.rmSync(dir, { recursive: true, force: true }));

  const request = (over: Partial<DictionaryJobRequest> = {}): DictionaryJobRequest => ({
    spec,
    params,
    modelName: 'tiny',
    texts: [{ name: 'a.js', text: TEXT }],
    maxChars: 100_000,
    train: { features: 48, k: 4, epochs: 3, batch: 64, seed: 2 },
    outFile: path.join(modelDir, 'features.dict'),
    modelDir,
    ...over,
  });

  it('trains, saves beside the model and lists it in the manifest, with progress', async () => {
    const events: DictionaryJobEvent[] = [];
    const result = await runDictionaryInWorker(request(), new AbortController().signal, (e) => events.push(e));
    assert.strictEqual(result.stoppedBecause, 'done');
    assert.strictEqual(result.savedTo, path.join(modelDir, 'features.dict'));
    assert.strictEqual(result.listedInManifest, true);
    assert.strictEqual(result.rows, TEXT.length);
    assert.ok(result.metrics && result.metrics.fvu < 1);
    assert.ok(events.some((e) => e.type === 'progress'));
    assert.ok(events.some((e) => e.type === 'status' && /recording/.test(e.text)));
    const { dict, info } = await loadDictionary(result.savedTo);
    assert.strictEqual(dict.features, 48);
    assert.strictEqual(info.model.name, 'tiny');
    assert.strictEqual((await loadModel(modelDir)).manifest.features?.file, 'features.dict');
  });

  it('stops when cancelled and writes nothing', async () => {
    const outFile = path.join(dir, 'cancelled.dict');
    const controller = new AbortController();
    let progress = 0;
    const result = await runDictionaryInWorker(request({ outFile, modelDir: undefined, train: { features: 48, k: 4, epochs: 100_000, batch: 64 } }), controller.signal, (e) => {
      if (e.type === 'progress' && ++progress === 1) controller.abort();
    });
    assert.strictEqual(result.stoppedBecause, 'cancelled');
    assert.strictEqual(result.savedTo, null);
    assert.ok(!fs.existsSync(outFile));
    assert.deepStrictEqual(
      fs.readdirSync(dir).filter((n) => n.endsWith('.tmp')),
      [],
    );
  });

  it('reports a failure in words', async () => {
    await assert.rejects(runDictionaryInWorker(request({ params: new Float32Array(5) }), new AbortController().signal, () => undefined), /the dictionary run failed: the weights have 5 values/);
  });
});
