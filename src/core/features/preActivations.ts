import { Ops } from '../kernels/ops';
import { createFastestOps } from '../kernels/wasmOps';
import { SparseDictionary, preActivations } from './dictionary';
import { normaliseRow } from './normalisation';
import { StateMatrix } from './stateMatrix';

/**
 * One feature's pre-activation z = Eⱼ·x̂ + bₑⱼ on every row: a dense score
 * (the activation is this, kept only when it is among the row's top k and
 * positive). O(rows × dim).
 */
export function preActivationColumn(dict: SparseDictionary, states: StateMatrix, feature: number): Float32Array {
  const D = dict.dim;
  const out = new Float32Array(states.rows);
  const xhat = new Float32Array(D);
  const o = feature * D;
  for (let t = 0; t < states.rows; t++) {
    normaliseRow(states.values, t, D, dict.norm, xhat, 0);
    let z = dict.encoderBias[feature];
    for (let d = 0; d < D; d++) z += dict.encoder[o + d] * xhat[d];
    out[t] = z;
  }
  return out;
}

/**
 * Pearson r of every feature's pre-activation with each signal, over every
 * `stride`-th row: a cheap screen before exact scores on a few candidates.
 * Returns one [features] array per signal.
 */
export function preActivationCorrelations(dict: SparseDictionary, states: StateMatrix, signals: readonly ArrayLike<number>[], stride = 1, ops: Ops = createFastestOps()): Float64Array[] {
  const { dim: D, features: F } = dict;
  const B = 256;
  const picked: number[] = [];
  for (let t = 0; t < states.rows; t += Math.max(1, stride)) picked.push(t);
  const n = picked.length;
  const sz = new Float64Array(F);
  const szz = new Float64Array(F);
  const szy = signals.map(() => new Float64Array(F));
  const sy = signals.map(() => 0);
  const syy = signals.map(() => 0);
  const mark = ops.arena.used;
  const enc = ops.arena.allocFrom(dict.encoder);
  const encBias = ops.arena.allocFrom(dict.encoderBias);
  const x = ops.arena.alloc(B * D);
  const z = ops.arena.alloc(B * F);
  try {
    for (let start = 0; start < n; start += B) {
      const m = Math.min(B, n - start);
      const mem = ops.arena.f32;
      for (let i = 0; i < m; i++) normaliseRow(states.values, picked[start + i], D, dict.norm, mem, x + i * D);
      preActivations(ops, m, F, D, x, enc, encBias, z);
      const zs = ops.arena.f32;
      // Z rows [m, F]: the inner loops walk one row contiguously.
      for (let i = 0; i < m; i++) {
        const row = z + i * F;
        for (let j = 0; j < F; j++) {
          const v = zs[row + j];
          sz[j] += v;
          szz[j] += v * v;
        }
        signals.forEach((y, c) => {
          const yv = y[picked[start + i]];
          if (yv === 0) return;
          const acc = szy[c];
          for (let j = 0; j < F; j++) acc[j] += zs[row + j] * yv;
        });
      }
    }
  } finally {
    ops.arena.release(mark);
  }
  signals.forEach((y, c) => {
    for (const t of picked) {
      sy[c] += y[t];
      syy[c] += y[t] * y[t];
    }
  });
  return signals.map((_, c) => {
    const r = new Float64Array(F);
    const varY = syy[c] - (sy[c] * sy[c]) / n;
    for (let j = 0; j < F; j++) {
      const varZ = szz[j] - (sz[j] * sz[j]) / n;
      const cov = szy[c][j] - (sz[j] * sy[c]) / n;
      r[j] = varZ > 1e-12 && varY > 1e-12 ? cov / Math.sqrt(varZ * varY) : 0;
    }
    return r;
  });
}
