import * as assert from 'assert';
import { preActivations } from '../../src/core/features/dictionary';
import { allocStepBuffers, dictionaryBlockLayout, gradientOfBatch, kthLargest } from '../../src/core/features/dictionaryGradient';
import { Arena } from '../../src/core/kernels/arena';
import { JsOps } from '../../src/core/kernels/jsOps';
import { Ops } from '../../src/core/kernels/ops';
import { createWasmOps, wasmSimdSupported } from '../../src/core/kernels/wasmOps';
import { makeRng } from '../../src/core/params';

/**
 * The batch loss gradientOfBatch differentiates, written out plainly in
 * float64: the mean over nested prefixes of ‖x̃_q − x̂‖² / (n·D), plus
 * auxWeight · ‖ê − r‖² / (n·D), where ê is what the top auxK dead features
 * reconstruct and r = x̂ − x̃ is the whole dictionary's residual at `residualAt`
 * (held fixed, as the auxiliary loss treats it). With batchSlots, batch
 * top-k picks the active features: each row's batchSlots largest z, then the
 * batch's n·k largest positive ones of those.
 */
function batchLoss(
  P: Float64Array,
  X: Float64Array,
  n: number,
  D: number,
  F: number,
  k: number,
  prefixes: number[],
  dead: number[],
  auxK: number,
  auxWeight: number,
  residualAt: Float64Array,
  batchSlots = 0,
): { loss: number; residual: Float64Array } {
  const L = dictionaryBlockLayout(F, D);
  const G = prefixes.length;
  const residual = new Float64Array(n * D);
  let main = 0;
  let aux = 0;
  const Z = Array.from({ length: n }, (_, i) =>
    Float64Array.from({ length: F }, (_, j) => {
      let s = P[L.encBias + j];
      for (let d = 0; d < D; d++) s += P[L.enc + j * D + d] * X[i * D + d];
      return s;
    }),
  );
  const rowTop = (i: number, m: number) =>
    Array.from({ length: F }, (_, j) => j)
      .sort((a, b) => Z[i][b] - Z[i][a] || a - b)
      .slice(0, m);
  let batchActive: number[][] = [];
  if (batchSlots > 0) {
    const pairs = Z.flatMap((z, i) => rowTop(i, batchSlots).map((j) => ({ i, j, v: z[j] })));
    const kept = pairs.filter((p) => p.v > 0).sort((a, b) => b.v - a.v).slice(0, n * k);
    batchActive = Z.map((_, i) => kept.filter((p) => p.i === i).map((p) => p.j));
  }
  for (let i = 0; i < n; i++) {
    const z = Z[i];
    const byZ = (cands: number[]) => [...cands].sort((a, b) => z[b] - z[a] || a - b);
    const active = batchSlots > 0 ? batchActive[i] : rowTop(i, k);
    for (let q = 0; q < G; q++) {
      const xt = Array.from({ length: D }, (_, d) => P[L.decBias + d]);
      for (const j of active) if (j < prefixes[q] && z[j] > 0) for (let d = 0; d < D; d++) xt[d] += z[j] * P[L.dec + j * D + d];
      for (let d = 0; d < D; d++) {
        main += (xt[d] - X[i * D + d]) ** 2;
        if (q === G - 1) residual[i * D + d] = X[i * D + d] - xt[d];
      }
    }
    const chosen = byZ(dead).slice(0, auxK);
    const e = new Float64Array(D);
    for (const j of chosen) if (z[j] > 0) for (let d = 0; d < D; d++) e[d] += z[j] * P[L.dec + j * D + d];
    for (let d = 0; d < D; d++) aux += (e[d] - residualAt[i * D + d]) ** 2;
  }
  return { loss: main / (n * D * G) + (dead.length > 0 ? (auxWeight * aux) / (n * D) : 0), residual };
}

function gradientSuite(name: string, makeOps: () => Ops): void {
  describe(`features: the dictionary's batch gradient (${name})`, () => {
    for (const [withAux, batchSlots] of [
      [false, 0],
      [true, 0],
      [false, 5],
      [true, 5],
    ] as const) {
      const what = `${batchSlots ? 'batch top-k: ' : ''}the nested loss${withAux ? " plus the dead features' auxiliary loss" : ''}`;
      it(`matches central finite differences of ${what}, decoder rows projected onto their tangent`, () => {
        const ops = makeOps();
        const D = 6;
        const F = 12;
        const k = 3;
        const n = 5;
        const prefixes = [2, 5, F];
        const auxK = withAux ? 2 : 0;
        const auxWeight = 0.25;
        const dead = withAux ? [1, 4, 7, 9, 10] : [];
        const L = dictionaryBlockLayout(F, D);
        const rng = makeRng((withAux ? 17 : 13) + batchSlots);
        const P0 = new Float64Array(L.total);
        for (let i = 0; i < L.total; i++) P0[i] = rng() * 2 - 1;
        for (let j = 0; j < F; j++) {
          // Unit decoder rows, as training keeps them; encoder biases that leave most features on.
          let sq = 0;
          for (let d = 0; d < D; d++) sq += P0[L.dec + j * D + d] ** 2;
          for (let d = 0; d < D; d++) P0[L.dec + j * D + d] /= Math.sqrt(sq);
          P0[L.encBias + j] = 0.5 + rng();
        }
        const X = Float64Array.from({ length: n * D }, () => rng() * 2 - 1);

        const params = ops.arena.allocFrom(P0);
        const grads = ops.arena.alloc(L.total);
        const x = ops.arena.allocFrom(X);
        const z = ops.arena.alloc(n * F);
        const shape = { D, F, k, prefixes, auxK, auxWeight, batchSlots, params, grads };
        const bufs = allocStepBuffers(ops, shape, n);
        bufs.deadList.set(dead);
        preActivations(ops, n, F, D, x, params + L.enc, params + L.encBias, z);
        const sums = gradientOfBatch(ops, shape, n, x, z, bufs, dead.length, 0);
        const got = Float64Array.from(ops.arena.view(grads, L.total));

        // The float32 parameters the kernels saw, in float64.
        const P = Float64Array.from(ops.arena.view(params, L.total));
        const Xf = Float64Array.from(ops.arena.view(x, n * D));
        const at = batchLoss(P, Xf, n, D, F, k, prefixes, [], 0, 0, new Float64Array(n * D), batchSlots);
        let errSq = 0;
        for (const r of at.residual) errSq += r * r;
        assert.ok(Math.abs(sums.err - errSq) < 1e-4 * Math.max(1, errSq), `Σ‖x̃ − x̂‖²: ${sums.err} vs ${errSq}`);
        const loss = (p: Float64Array) => batchLoss(p, Xf, n, D, F, k, prefixes, dead, auxK, auxWeight, at.residual, batchSlots).loss;
        if (batchSlots) {
          // The rows do not all use k features: batch top-k is not top-k in disguise here.
          const zs = Array.from(ops.arena.view(z, n * F));
          const perRow = Array.from({ length: n }, (_, i) => zs.slice(i * F, (i + 1) * F).filter((v) => v >= sums.threshold && v > 0).length);
          assert.ok(new Set(perRow).size > 1, `rows' active counts ${perRow.join(', ')}`);
        }

        const h = 1e-6;
        const fd = new Float64Array(L.total);
        for (let i = 0; i < L.total; i++) {
          const p = P.slice();
          p[i] = P[i] + h;
          const up = loss(p);
          p[i] = P[i] - h;
          fd[i] = (up - loss(p)) / (2 * h);
        }
        // The decoder's finite differences, projected as training projects the decoder gradient.
        for (let j = 0; j < F; j++) {
          const o = L.dec + j * D;
          let dot = 0;
          for (let d = 0; d < D; d++) dot += fd[o + d] * P[o + d];
          for (let d = 0; d < D; d++) fd[o + d] -= dot * P[o + d];
        }
        let largest = 0;
        for (let i = 0; i < L.total; i++) largest = Math.max(largest, Math.abs(fd[i]));
        assert.ok(largest > 1e-3, `the gradient is not trivially zero (largest ${largest})`);
        for (let i = 0; i < L.total; i++) {
          const part = i < L.encBias ? 'encoder' : i < L.dec ? 'encoder bias' : i < L.decBias ? 'decoder' : 'decoder bias';
          assert.ok(Math.abs(got[i] - fd[i]) <= 1e-4 * largest + 1e-6, `${part} parameter ${i}: gradient ${got[i]}, finite difference ${fd[i]}`);
        }
      });
    }
  });
}

describe('features: kthLargest (the batch top-k bar)', () => {
  it('is the m-th largest value as sorting finds it, ties and all, and 0 when that is not positive or m is out of range', () => {
    const rng = makeRng(5);
    for (let trial = 0; trial < 200; trial++) {
      const len = 1 + Math.floor(rng() * 60);
      // Few distinct values, so ties are common; some negative.
      const values = Float32Array.from({ length: len }, () => Math.floor(rng() * 9) - 3);
      const sorted = Array.from(values).sort((a, b) => b - a);
      for (const m of [1, Math.ceil(len / 2), len]) {
        const want = sorted[m - 1] > 0 ? sorted[m - 1] : 0;
        assert.strictEqual(kthLargest(values, m), want, `m ${m} of [${sorted.join(', ')}]`);
      }
      assert.strictEqual(kthLargest(values, len + 1), 0);
      assert.strictEqual(kthLargest(values, 0), 0);
    }
  });
});

gradientSuite('js', () => new JsOps(new Arena()));
if (wasmSimdSupported()) gradientSuite('wasm', () => createWasmOps({ variant: 'simd' }));
