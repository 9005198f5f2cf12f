import * as assert from 'assert';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { Engine } from '../../src/core/engine';
import { JsOps } from '../../src/core/kernels/jsOps';
import { newManifest } from '../../src/core/model/manifest';
import { MODEL_JSON, Model, ModelLoadError, loadModel, saveModel } from '../../src/core/model/modelFiles';
import { ModelSpec } from '../../src/core/modelSpec';
import { initParams, paramLayout } from '../../src/core/params';
import { NEWLINE_ID, encode } from '../../src/core/vocab';

/**
 * The model's files replaced while the model is in use: by a new save (the
 * training run, another editor window), by a tool overwriting files in
 * place, and while a load is reading them. The loaded model lives in
 * memory, so it keeps answering the same; a load reads one whole model,
 * old or new, or fails with one ModelLoadError, never a mix of the two.
 */

const SPEC: ModelSpec = { vocabSize: 98, embedDim: 8, hidden: [24] };
const layout = paramLayout(SPEC);
const modelOf = (seed: number): Model => ({ layout, params: initParams(layout, seed), manifest: newManifest(SPEC, `m${seed}`) });
const PROMPT = encode('function add(a, b) {\n  return a');

describe('faults: the model file replaced while loaded', function () {
  let dir: string;
  beforeEach(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'lstm-lens-faults-replaced-'));
    await saveModel(dir, modelOf(1));
  });
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('the running model keeps answering the same; a reload reads the new model exactly', async () => {
    const engine = new Engine(await loadModel(dir), new JsOps());
    const before = engine.prime(PROMPT, NEWLINE_ID).logProbs.slice();
    await saveModel(dir, modelOf(2));
    assert.deepStrictEqual(engine.prime(PROMPT, NEWLINE_ID).logProbs, before, 'the engine does not read the files again');
    const reloaded = await loadModel(dir);
    assert.deepStrictEqual(reloaded.params, modelOf(2).params);
    assert.notDeepStrictEqual(new Engine(reloaded, new JsOps()).prime(PROMPT, NEWLINE_ID).logProbs, before);
  });

  it('files overwritten in place by another tool: the running model is unaffected, a reload is one clear error', async () => {
    const engine = new Engine(await loadModel(dir), new JsOps());
    const before = engine.prime(PROMPT, NEWLINE_ID).logProbs.slice();
    const shard = fs.readdirSync(dir).find((n) => n.endsWith('.bin'));
    assert.ok(shard);
    // A copy stopped half-way: the shard is cut short, then model.json is half of someone else's.
    const bytes = fs.readFileSync(path.join(dir, shard));
    fs.writeFileSync(path.join(dir, shard), bytes.subarray(0, bytes.length >> 1));
    await assert.rejects(loadModel(dir), (e: Error) => e instanceof ModelLoadError && /truncated or mismatched/.test(e.message));
    const json = fs.readFileSync(path.join(dir, MODEL_JSON), 'utf8');
    fs.writeFileSync(path.join(dir, MODEL_JSON), json.slice(0, json.length >> 1));
    await assert.rejects(loadModel(dir), (e: Error) => e instanceof ModelLoadError && /not valid JSON/.test(e.message));
    assert.deepStrictEqual(engine.prime(PROMPT, NEWLINE_ID).logProbs, before);
  });

  it('loads racing saves read one whole model, old or new, or fail clearly; never a mix', async () => {
    const saved = [modelOf(1).params];
    let whole = 0;
    let refused = 0;
    for (let round = 2; round < 42; round++) {
      const next = modelOf(round);
      // Start a load and a save together; their file operations interleave on the thread pool.
      const [loaded] = await Promise.allSettled([loadModel(dir), saveModel(dir, next)]);
      if (loaded.status === 'fulfilled') {
        const params = loaded.value.params;
        assert.ok(
          saved.slice(-1).concat([next.params]).some((p) => Buffer.from(p.buffer).equals(Buffer.from(params.buffer))),
          `round ${round}: the loaded weights are neither the old model's nor the new one's`,
        );
        assert.strictEqual(loaded.value.manifest.name, Buffer.from(params.buffer).equals(Buffer.from(next.params.buffer)) ? `m${round}` : `m${round - 1}`, 'manifest and weights belong together');
        whole++;
      } else {
        assert.ok(loaded.reason instanceof ModelLoadError, String(loaded.reason));
        assert.match((loaded.reason as Error).message, /^cannot load model .*: weight file weights-\w+\.bin (is missing|cannot be read)/);
        refused++;
      }
      saved.push(next.params);
    }
    assert.strictEqual(whole + refused, 40);
    // Afterwards the folder holds the last model, whole.
    assert.deepStrictEqual((await loadModel(dir)).params, saved[saved.length - 1]);
  });
});
