import * as assert from 'assert';
import { Engine } from '../../src/core/engine';
import { JsOps } from '../../src/core/kernels/jsOps';
import { newManifest } from '../../src/core/model/manifest';
import { deepenParams } from '../../src/core/model/deepenParams';
import { ParamLayout, initParams, paramLayout } from '../../src/core/params';
import { VOCAB_SIZE, encode } from '../../src/core/vocab';

/** Mean KL(p ‖ q) in nats over the next-character distributions after each character of `text`. */
function meanKl(p: Engine, q: Engine, text: string): number {
  const sp = p.newState();
  const sq = q.newState();
  const lp = new Float32Array(VOCAB_SIZE);
  const lq = new Float32Array(VOCAB_SIZE);
  let total = 0;
  const ids = encode(text);
  for (const id of ids) {
    p.step(sp, id, lp);
    q.step(sq, id, lq);
    for (let v = 0; v < VOCAB_SIZE; v++) total += Math.exp(lp[v]) * (lp[v] - lq[v]);
  }
  return total / ids.length;
}

const engineOf = (layout: ParamLayout, params: Float32Array) => new Engine({ layout, params, manifest: newManifest(layout.spec, 'm') }, new JsOps());

describe('deepenParams', () => {
  const text = 'if (x) {\n  return "a" + b;\n}\n// done\nfor (const k of keys) total += k;\n';

  for (const hidden of [[16], [12, 10]]) {
    it(`adds a layer on top of a ${hidden.join('x')} model whose predictions stay close to the shallow one's`, () => {
      const layout = paramLayout({ vocabSize: VOCAB_SIZE, embedDim: 8, hidden });
      const params = initParams(layout, 5);
      // A trained model is sure of itself and its units swing to ±1: scale the weights up so that the test covers that range.
      for (let i = 0; i < layout.headKernel; i++) params[i] *= 4;
      for (let i = layout.headKernel; i < layout.total; i++) params[i] *= 20;
      const deep = deepenParams(layout, params, 3);
      assert.deepStrictEqual(deep.layout.spec.hidden, [...hidden, hidden[hidden.length - 1]]);
      const shallow = engineOf(layout, params);
      const kl = meanKl(shallow, engineOf(deep.layout, deep.params), text);

      // The guard: the same shape with a fresh random top layer and the old head is far off.
      const fresh = initParams(deep.layout, 7);
      fresh.set(params.subarray(0, layout.headKernel), 0);
      fresh.set(params.subarray(layout.headKernel), deep.layout.headKernel);
      const klFresh = meanKl(shallow, engineOf(deep.layout, fresh), text);
      assert.ok(kl < 0.05, `KL ${kl.toFixed(4)} nats per character`);
      assert.ok(kl < klFresh / 10, `KL ${kl.toFixed(4)} against ${klFresh.toFixed(4)} for a random top layer`);
    });
  }

  it('keeps the layers below and gives every new weight a non-zero start', () => {
    const layout = paramLayout({ vocabSize: VOCAB_SIZE, embedDim: 8, hidden: [6] });
    const params = initParams(layout, 1);
    const deep = deepenParams(layout, params);
    assert.deepStrictEqual(deep.params.subarray(0, layout.headKernel), params.subarray(0, layout.headKernel));
    const top = deep.layout.layers[1];
    const weights = deep.params.subarray(top.kernel, top.bias);
    assert.strictEqual(weights.filter((w) => w === 0).length, 0);
  });

  it('refuses a GRU', () => {
    const layout = paramLayout({ vocabSize: VOCAB_SIZE, embedDim: 8, hidden: [6], cell: 'gru' });
    assert.throws(() => deepenParams(layout, initParams(layout, 1)), /only an LSTM/);
  });
});
