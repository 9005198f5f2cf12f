import * as assert from 'assert';
import { KneserNeyModel } from '../../src/core/baseline/kneserNeyModel';
import { encode } from '../../src/core/vocab';

/** Bits per character of text under a model, predicting from the start of the file. */
function bitsPerChar(model: KneserNeyModel, text: string): number {
  const ids = encode(text);
  const state = model.newState();
  const lp = new Float32Array(model.vocabSize);
  model.step(state, ids[0], lp);
  let nats = 0;
  for (let i = 1; i < ids.length; i++) {
    nats -= lp[ids[i]];
    model.step(state, ids[i], lp);
  }
  return nats / (ids.length - 1) / Math.LN2;
}

const TRAIN = 'for (let i = 0; i < n; i++) {\n  total += values[i];\n}\n'.repeat(20) + 'while (x) { y(); }\n';

describe('Kneser–Ney character n-gram baseline', () => {
  it('gives a proper distribution in seen and unseen contexts', () => {
    const model = new KneserNeyModel(5).train([encode(TRAIN)]);
    const lp = new Float32Array(model.vocabSize);
    for (const ctx of ['for (', 'zqzqz', '\n\n\n\n', 'i++)']) {
      const state = model.newState();
      for (const id of encode(ctx)) model.step(state, id, lp);
      const sum = lp.reduce((s, v) => s + Math.exp(v), 0);
      assert.ok(Math.abs(sum - 1) < 1e-6, `${JSON.stringify(ctx)}: probabilities sum to ${sum}`);
      assert.ok(lp.every((v) => Number.isFinite(v)), 'every character keeps some probability');
    }
  });

  it('predicts the continuation it has seen', () => {
    const model = new KneserNeyModel(5).train([encode(TRAIN)]);
    const state = model.newState();
    const lp = new Float32Array(model.vocabSize);
    for (const id of encode('total += val')) model.step(state, id, lp);
    const best = lp.indexOf(Math.max(...lp));
    assert.strictEqual(best, encode('u')[0]);
  });

  it('higher orders fit repetitive code better, and held-out text worse than training text', () => {
    const low = bitsPerChar(new KneserNeyModel(1).train([encode(TRAIN)]), TRAIN);
    const high = new KneserNeyModel(6).train([encode(TRAIN)]);
    assert.ok(bitsPerChar(high, TRAIN) < low / 3, `order 6 ${bitsPerChar(high, TRAIN)} vs order 1 ${low}`);
    assert.ok(bitsPerChar(high, 'const z = await fetchAll(q);\n') > bitsPerChar(high, TRAIN));
  });

  it('refuses orders it cannot pack', () => {
    assert.throws(() => new KneserNeyModel(8), /order/);
  });
});
