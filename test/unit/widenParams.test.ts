import * as assert from 'assert';
import { Engine } from '../../src/core/engine';
import { JsOps } from '../../src/core/kernels/jsOps';
import { newManifest } from '../../src/core/model/manifest';
import { widenParams } from '../../src/core/model/widenParams';
import { initParams, paramLayout } from '../../src/core/params';
import { VOCAB_SIZE, encode } from '../../src/core/vocab';

/** Log-probabilities the model gives after each character of `text`, flattened. */
function logProbsAlong(engine: Engine, text: string): Float32Array {
  const ids = encode(text);
  const out = new Float32Array(ids.length * VOCAB_SIZE);
  const state = engine.newState();
  const lp = new Float32Array(VOCAB_SIZE);
  ids.forEach((id, t) => {
    engine.step(state, id, lp);
    out.set(lp, t * VOCAB_SIZE);
  });
  return out;
}

describe('widenParams', () => {
  const text = 'if (x) {\n  return "a" + b;\n}\n// done\n';

  for (const hidden of [[12], [12, 10]]) {
    it(`grows a ${hidden.join('x')} model to 20 units per layer with the same outputs`, () => {
      const spec = { vocabSize: VOCAB_SIZE, embedDim: 8, hidden };
      const layout = paramLayout(spec);
      const params = initParams(layout, 5);
      const wide = widenParams(layout, params, 20, 9);
      assert.deepStrictEqual(wide.layout.spec.hidden, hidden.map(() => 20));
      const narrow = logProbsAlong(new Engine({ layout, params, manifest: newManifest(spec, 'narrow') }, new JsOps()), text);
      const widened = logProbsAlong(new Engine({ layout: wide.layout, params: wide.params, manifest: newManifest(wide.layout.spec, 'wide') }, new JsOps()), text);
      let worst = 0;
      for (let i = 0; i < narrow.length; i++) worst = Math.max(worst, Math.abs(narrow[i] - widened[i]));
      assert.ok(worst < 1e-5, `largest log-prob difference ${worst}`);
    });
  }

  it('gives the new units non-zero input weights, so that they learn', () => {
    const layout = paramLayout({ vocabSize: VOCAB_SIZE, embedDim: 8, hidden: [4] });
    const wide = widenParams(layout, initParams(layout, 1), 6);
    const L = wide.layout.layers[0];
    // Unit 5's input gate column in the kernel [in, 4H].
    let sum = 0;
    for (let r = 0; r < L.inSize; r++) sum += Math.abs(wide.params[L.kernel + r * 4 * 6 + 5]);
    assert.ok(sum > 0);
  });

  it('refuses to narrow', () => {
    const layout = paramLayout({ vocabSize: VOCAB_SIZE, embedDim: 8, hidden: [8] });
    assert.throws(() => widenParams(layout, initParams(layout, 1), 4), /cannot narrow/);
  });
});
