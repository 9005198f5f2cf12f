import * as assert from 'assert';
import { BpttWindow } from '../../src/core/kernels/bpttWindow';
import { JsOps } from '../../src/core/kernels/jsOps';
import { Ops } from '../../src/core/kernels/ops';
import { createWasmOps } from '../../src/core/kernels/wasmOps';
import { ModelSpec } from '../../src/core/modelSpec';
import { initParams, makeRng, paramLayout, weightEntries } from '../../src/core/params';
import { buildTfModel, tfInput, tfLossAndGrads, useTfCpu } from './helpers/tfReference';

function randomIds(n: number, V: number, seed: number): number[] {
  const rng = makeRng(seed);
  return Array.from({ length: n }, () => Math.floor(rng() * V));
}

function maxAbsDiff(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i] - b[i]));
  return m;
}

/** Scaled-up random weights, so that gates leave their linear range and errors would show. */
function randomParams(spec: ModelSpec, seed: number): Float32Array {
  const layout = paramLayout(spec);
  const p = initParams(layout, seed);
  for (let i = 0; i < p.length; i++) p[i] *= 3;
  return p;
}

const backends: [string, () => Ops][] = [
  ['js', () => new JsOps()],
  ['wasm', () => createWasmOps()],
];

describe('BpttWindow against tf.layers.lstm / gru / simpleRNN and tf.grads', function () {
  const specs: [string, ModelSpec][] = [
    ['embedding, 2 layers', { vocabSize: 98, embedDim: 5, hidden: [7, 6] }],
    ['one-hot, 1 layer', { vocabSize: 98, embedDim: 0, hidden: [9] }],
    ['GRU, embedding, 2 layers', { vocabSize: 98, embedDim: 5, hidden: [7, 6], cell: 'gru' }],
    ['GRU, one-hot, 1 layer', { vocabSize: 98, embedDim: 0, hidden: [9], cell: 'gru' }],
    ['RNN, embedding, 2 layers', { vocabSize: 98, embedDim: 5, hidden: [7, 6], cell: 'rnn' }],
    ['RNN, one-hot, 1 layer', { vocabSize: 98, embedDim: 0, hidden: [9], cell: 'rnn' }],
  ];
  for (const [backendName, makeOps] of backends) {
    for (const [specName, spec] of specs) {
      it(`${backendName}: loss and every gradient match (${specName})`, async () => {
        const tf = await useTfCpu();
        const B = 3;
        const T = 5;
        const layout = paramLayout(spec);
        const params = randomParams(spec, 11);
        const x = randomIds(B * T, spec.vocabSize, 1);
        const y = randomIds(B * T, spec.vocabSize, 2);

        const win = new BpttWindow(makeOps(), layout, B, T);
        win.paramsView().set(params);
        const res = win.run(x, y, { backward: true });
        const ours = res.lossSum / res.count;

        const model = buildTfModel(layout, params, T);
        const ref = tfLossAndGrads(model, tfInput(layout, x, B, T), y, B, T, spec.vocabSize);
        assert.ok(Math.abs(ours - ref.loss) < 1e-4, `loss ${ours} vs tfjs ${ref.loss}`);

        const grads = win.gradsView();
        weightEntries(layout).forEach((e, i) => {
          const d = maxAbsDiff(grads.subarray(e.offset, e.offset + e.size), ref.grads[i]);
          assert.ok(d < 1e-4, `${e.name}: max |diff| ${d}`);
        });
        // A gradient of all zeros would pass a loose check; make sure it is not.
        assert.ok(maxAbsDiff(grads, new Float32Array(grads.length)) > 1e-3);
        model.dispose();
        tf.disposeVariables();
      });
    }

    for (const cell of ['lstm', 'gru', 'rnn'] as const)
    it(`${backendName}: carried state makes two windows equal one long sequence (${cell})`, async () => {
      const tf = await useTfCpu();
      const spec: ModelSpec = { vocabSize: 98, embedDim: 4, hidden: [6, 5], cell };
      const B = 2;
      const T = 4;
      const layout = paramLayout(spec);
      const params = randomParams(spec, 5);
      const long = randomIds(B * (2 * T + 1), spec.vocabSize, 3);
      // Stream b is long[b·(2T+1) ..]; window w sees steps w·T .. w·T+T-1.
      const slice = (w: number, shift: number) =>
        Array.from({ length: B * T }, (_, i) => long[Math.floor(i / T) * (2 * T + 1) + w * T + (i % T) + shift]);

      const win = new BpttWindow(makeOps(), layout, B, T);
      win.paramsView().set(params);
      const r1 = win.run(slice(0, 0), slice(0, 1), { backward: false });
      const r2 = win.run(slice(1, 0), slice(1, 1), { backward: true });
      const ours = (r1.lossSum + r2.lossSum) / (r1.count + r2.count);

      const xs = Array.from({ length: B * 2 * T }, (_, i) => long[Math.floor(i / (2 * T)) * (2 * T + 1) + (i % (2 * T))]);
      const ys = Array.from({ length: B * 2 * T }, (_, i) => long[Math.floor(i / (2 * T)) * (2 * T + 1) + (i % (2 * T)) + 1]);
      const model = buildTfModel(layout, params, 2 * T);
      const ref = tfLossAndGrads(model, tfInput(layout, xs, B, 2 * T), ys, B, 2 * T, spec.vocabSize);
      assert.ok(Math.abs(ours - ref.loss) < 1e-4, `two windows ${ours} vs one sequence ${ref.loss}`);
      model.dispose();
      tf.disposeVariables();
    });
  }

  it('dropout changes the loss in training and is off in evaluation', () => {
    const spec: ModelSpec = { vocabSize: 98, embedDim: 4, hidden: [8, 8] };
    const layout = paramLayout(spec);
    const params = randomParams(spec, 9);
    const x = randomIds(12, 98, 4);
    const y = randomIds(12, 98, 5);
    const run = (dropout: number, backward: boolean) => {
      const win = new BpttWindow(new JsOps(), layout, 2, 6);
      win.paramsView().set(params);
      return win.run(x, y, { backward, dropout, rng: makeRng(1) }).lossSum;
    };
    assert.notStrictEqual(run(0.5, true), run(0, true));
    assert.strictEqual(run(0, false), run(0, true));
  });
});

describe('BpttWindow.gradientReach', function () {
  for (const [backendName, makeOps] of backends) {
    it(`${backendName}: the norms of dL/dh_{T-1-k} match tf.grads of a hand-unrolled tanh RNN`, async () => {
      const tf = await useTfCpu();
      const spec: ModelSpec = { vocabSize: 98, embedDim: 5, hidden: [6], cell: 'rnn' };
      const B = 3;
      const T = 6;
      const layout = paramLayout(spec);
      const params = randomParams(spec, 21);
      const x = randomIds(B * T, spec.vocabSize, 7);
      const y = randomIds(B * T, spec.vocabSize, 8);
      const win = new BpttWindow(makeOps(), layout, B, T);
      win.paramsView().set(params);
      const reach = win.gradientReach(x, y);

      // h_t = tanh(emb[x_t]·W + b + h_{t-1}·U) + e_t with e_t = 0: dL/de_t is dL/dh_t.
      const w = (name: string) => {
        const e = weightEntries(layout).find((k) => k.name.endsWith(name));
        if (!e) throw new Error(name);
        return tf.tensor(params.slice(e.offset, e.offset + e.size), e.shape);
      };
      const [emb, W, U, b, Wy, by] = ['embedding/embeddings', 'simple_rnn/kernel', 'simple_rnn/recurrent_kernel', 'simple_rnn/bias', 'dense/kernel', 'dense/bias'].map(w);
      const ids = tf.tensor2d(x, [B, T], 'int32');
      const lastTargets = tf.oneHot(tf.tensor1d(Array.from({ length: B }, (_, s) => y[s * T + T - 1]), 'int32'), spec.vocabSize);
      const eps = Array.from({ length: T }, () => tf.zeros([B, 6]));
      const loss = (...e: import('@tensorflow/tfjs').Tensor[]) => {
        let h = tf.zeros([B, 6]);
        for (let t = 0; t < T; t++) {
          const xt = tf.gather(emb, ids.slice([0, t], [B, 1]).reshape([B]));
          h = tf.tanh(xt.matMul(W).add(b).add(h.matMul(U))).add(e[t]);
        }
        return tf.losses.softmaxCrossEntropy(lastTargets, h.matMul(Wy).add(by)) as import('@tensorflow/tfjs').Scalar;
      };
      const grads = tf.grads(loss)(eps);
      for (let k = 0; k < T; k++) {
        const g = grads[T - 1 - k].arraySync() as number[][];
        const expected = g.reduce((s, row) => s + Math.sqrt(row.reduce((q, v) => q + v * v, 0)), 0) / B;
        assert.ok(Math.abs(reach[k] - expected) < 1e-5 * Math.max(1, expected), `k=${k}: ${reach[k]} vs tf ${expected}`);
      }
      assert.ok(reach[0] > 1e-3, 'the last step has a gradient');
      tf.disposeVariables();
    });
  }

  it('runs for every cell type and leaves run() as it was', () => {
    for (const cell of ['lstm', 'gru', 'rnn'] as const) {
      const spec: ModelSpec = { vocabSize: 98, embedDim: 4, hidden: [5, 4], cell };
      const layout = paramLayout(spec);
      const params = randomParams(spec, 3);
      const x = randomIds(2 * 5, 98, 1);
      const y = randomIds(2 * 5, 98, 2);
      const fresh = () => {
        const win = new BpttWindow(new JsOps(), layout, 2, 5);
        win.paramsView().set(params);
        return win;
      };
      const before = fresh().run(x, y, { backward: true }).lossSum;
      const win = fresh();
      const reach = win.gradientReach(x, y, 0);
      assert.strictEqual(reach.length, 5);
      assert.ok(reach.every((v) => Number.isFinite(v) && v > 0), `${cell}: ${Array.from(reach)}`);
      win.resetState();
      assert.strictEqual(win.run(x, y, { backward: true }).lossSum, before, `${cell}: a later run is unaffected`);
      assert.throws(() => fresh().gradientReach(x, y, 2), /layer 2 does not exist/);
    }
  });
});
