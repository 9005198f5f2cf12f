import * as assert from 'assert';
import { BpttWindow } from '../../src/core/kernels/bpttWindow';
import { JsOps } from '../../src/core/kernels/jsOps';
import { createWasmOps } from '../../src/core/kernels/wasmOps';
import { Ops } from '../../src/core/kernels/ops';
import { ModelSpec } from '../../src/core/modelSpec';
import { ParamLayout, initParams, makeRng, paramLayout } from '../../src/core/params';

const sigmoid = (v: number) => 1 / (1 + Math.exp(-v));

/**
 * Σ over steps, streams and cells of |c|, from a plain float64 forward pass of
 * a one-layer one-hot LSTM (kernel [V,4H], recurrent [H,4H], gates i,f,g,o):
 * an oracle written apart from the kernels.
 */
function sumAbsCells(layout: ParamLayout, p: ArrayLike<number>, x: number[], B: number, T: number): number {
  const H = layout.spec.hidden[0];
  const W = layout.layers[0];
  let total = 0;
  for (let b = 0; b < B; b++) {
    let h = new Float64Array(H);
    const c = new Float64Array(H);
    for (let t = 0; t < T; t++) {
      const id = x[b * T + t];
      const pre = new Float64Array(4 * H);
      for (let k = 0; k < 4 * H; k++) {
        let s = p[W.kernel + id * 4 * H + k] + p[W.bias + k];
        for (let j = 0; j < H; j++) s += h[j] * p[W.recurrent + j * 4 * H + k];
        pre[k] = s;
      }
      const next = new Float64Array(H);
      for (let j = 0; j < H; j++) {
        c[j] = sigmoid(pre[H + j]) * c[j] + sigmoid(pre[j]) * Math.tanh(pre[2 * H + j]);
        next[j] = sigmoid(pre[3 * H + j]) * Math.tanh(c[j]);
        total += Math.abs(c[j]);
      }
      h = next;
    }
  }
  return total;
}

const backends: [string, () => Ops][] = [
  ['js', () => new JsOps()],
  ['wasm', () => createWasmOps()],
];

describe('BpttWindow cell L1 penalty', () => {
  const spec: ModelSpec = { vocabSize: 11, embedDim: 0, hidden: [5] };
  const layout = paramLayout(spec);
  const B = 2;
  const T = 6;
  const rng = makeRng(3);
  const x = Array.from({ length: B * T }, () => Math.floor(rng() * spec.vocabSize));
  const y = Array.from({ length: B * T }, () => Math.floor(rng() * spec.vocabSize));
  const params = initParams(layout, 5);
  for (let i = 0; i < params.length; i++) params[i] *= 3;

  function gradients(makeOps: () => Ops, cellL1: number): { grads: Float32Array; loss: number } {
    const win = new BpttWindow(makeOps(), layout, B, T);
    win.paramsView().set(params);
    const r = win.run(x, y, { backward: true, cellL1 });
    return { grads: Float32Array.from(win.gradsView()), loss: r.lossSum };
  }

  for (const [name, makeOps] of backends) {
    it(`${name}: adds λ/(B·T) · d Σ|c| to every layer-1 gradient, and leaves the reported loss alone`, () => {
      const lambda = 0.7;
      const plain = gradients(makeOps, 0);
      const penalised = gradients(makeOps, lambda);
      assert.strictEqual(penalised.loss, plain.loss, 'the reported loss is the cross-entropy alone');

      const W = layout.layers[0];
      const p64 = Float64Array.from(params);
      const eps = 1e-4;
      let checked = 0;
      let largest = 0;
      for (let i = W.kernel; i < W.bias + 4 * spec.hidden[0]; i++) {
        const keep = p64[i];
        p64[i] = keep + eps;
        const up = sumAbsCells(layout, p64, x, B, T);
        p64[i] = keep - eps;
        const down = sumAbsCells(layout, p64, x, B, T);
        p64[i] = keep;
        const expected = (lambda / (B * T)) * ((up - down) / (2 * eps));
        const got = penalised.grads[i] - plain.grads[i];
        assert.ok(Math.abs(got - expected) < 2e-4 + 1e-3 * Math.abs(expected), `param ${i}: ${got} vs finite difference ${expected}`);
        largest = Math.max(largest, Math.abs(expected));
        checked++;
      }
      assert.ok(checked > 100 && largest > 1e-2, 'the penalty moves some gradients noticeably');
      // The head does not see c directly, so its gradients are unchanged.
      for (let i = layout.headKernel; i < layout.headKernel + 4 * spec.vocabSize; i++) assert.strictEqual(penalised.grads[i], plain.grads[i]);
    });
  }
});
