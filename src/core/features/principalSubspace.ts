import { createFastestOps } from '../kernels/wasmOps';
import { Ops } from '../kernels/ops';
import { varianceAboutMean } from './dictionaryMetrics';
import { Normalisation, normaliseRow } from './normalisation';
import { StateMatrix } from './stateMatrix';

/**
 * The linear baseline a sparse dictionary is read against: the best
 * k-dimensional linear code of the normalised states (their top-k principal
 * subspace), and how much of the held-out states' variance it leaves
 * unexplained. A top-k dictionary keeps k numbers per character too, but
 * chooses which k per character; the gap between the two says how far
 * from linear the states are, and what FVU a given k can hope for.
 */

/** Eigenvalues (descending) and eigenvectors (columns of `vectors`, [n, n] row-major) of a symmetric matrix, by cyclic Jacobi rotations. */
export function symmetricEigen(matrix: Float64Array, n: number, maxSweeps = 50): { values: Float64Array; vectors: Float64Array } {
  const a = Float64Array.from(matrix);
  const v = new Float64Array(n * n);
  for (let i = 0; i < n; i++) v[i * n + i] = 1;
  for (let sweep = 0; sweep < maxSweeps; sweep++) {
    let off = 0;
    let diag = 0;
    for (let p = 0; p < n; p++) {
      diag += a[p * n + p] * a[p * n + p];
      for (let q = p + 1; q < n; q++) off += a[p * n + q] * a[p * n + q];
    }
    if (off <= 1e-24 * Math.max(diag, 1e-300)) break;
    for (let p = 0; p < n - 1; p++) {
      for (let q = p + 1; q < n; q++) {
        const apq = a[p * n + q];
        if (apq === 0) continue;
        // The rotation that zeroes a[p][q]: tan(2θ) = 2 a_pq / (a_qq − a_pp).
        const theta = (a[q * n + q] - a[p * n + p]) / (2 * apq);
        const t = Math.sign(theta || 1) / (Math.abs(theta) + Math.sqrt(theta * theta + 1));
        const c = 1 / Math.sqrt(t * t + 1);
        const s = t * c;
        for (let k = 0; k < n; k++) {
          // Columns p and q of a, then rows p and q (a stays symmetric).
          const akp = a[k * n + p];
          const akq = a[k * n + q];
          a[k * n + p] = c * akp - s * akq;
          a[k * n + q] = s * akp + c * akq;
        }
        for (let k = 0; k < n; k++) {
          const apk = a[p * n + k];
          const aqk = a[q * n + k];
          a[p * n + k] = c * apk - s * aqk;
          a[q * n + k] = s * apk + c * aqk;
        }
        for (let k = 0; k < n; k++) {
          const vkp = v[k * n + p];
          const vkq = v[k * n + q];
          v[k * n + p] = c * vkp - s * vkq;
          v[k * n + q] = s * vkp + c * vkq;
        }
      }
    }
  }
  const order = Array.from({ length: n }, (_, i) => i).sort((i, j) => a[j * n + j] - a[i * n + i]);
  const values = Float64Array.from(order, (i) => a[i * n + i]);
  const vectors = new Float64Array(n * n);
  for (let r = 0; r < n; r++) for (let c = 0; c < n; c++) vectors[r * n + c] = v[r * n + order[c]];
  return { values, vectors };
}

/**
 * Covariance of the normalised states, [D, D] row-major, from at most
 * maxRows rows taken evenly through the recording (the estimate needs far
 * fewer rows than the dictionary, and its cost grows with rows × D²). The
 * products run on the ops (float32 sums per batch of rows, float64 across).
 */
export function normalisedCovariance(states: StateMatrix, norm: Normalisation, maxRows = 20_000, ops: Ops = createFastestOps()): Float64Array {
  const D = states.dim;
  const stride = Math.max(1, Math.ceil(states.rows / maxRows));
  const B = 256;
  const sums = new Float64Array(D * D);
  const mean = new Float64Array(D);
  const mark = ops.arena.used;
  const x = ops.arena.alloc(B * D);
  const c = ops.arena.alloc(D * D);
  let n = 0;
  try {
    for (let t = 0; t < states.rows; ) {
      let filled = 0;
      const mem = ops.arena.f32;
      for (; filled < B && t < states.rows; t += stride, filled++) {
        normaliseRow(states.values, t, D, norm, mem, x + filled * D);
        for (let d = 0; d < D; d++) mean[d] += mem[x + filled * D + d];
      }
      // C[D, D] = X[filled, D]ᵀ · X[filled, D]
      ops.gemmTN(D, D, filled, x, D, x, D, c, D, 0);
      const cs = ops.arena.f32;
      for (let i = 0; i < D * D; i++) sums[i] += cs[c + i];
      n += filled;
    }
  } finally {
    ops.arena.release(mark);
  }
  for (let i = 0; i < D; i++) {
    for (let j = 0; j < D; j++) sums[i * D + j] = sums[i * D + j] / n - (mean[i] / n) * (mean[j] / n);
  }
  // Symmetric up to rounding: make it exactly so.
  for (let i = 0; i < D; i++) {
    for (let j = i + 1; j < D; j++) {
      const v = (sums[i * D + j] + sums[j * D + i]) / 2;
      sums[i * D + j] = v;
      sums[j * D + i] = v;
    }
  }
  return sums;
}

/**
 * The top-k eigenvectors of a symmetric positive semi-definite [D, D]
 * matrix, as columns of a [D, k] row-major matrix in descending order of
 * eigenvalue: subspace iteration (multiply, re-orthonormalise) and then a
 * Rayleigh–Ritz step, which orders the directions inside the subspace. The
 * leading directions converge first, so a prefix of the columns is the
 * top-m subspace for every m < k.
 */
export function principalSubspace(cov: Float64Array, D: number, k: number, iterations = 40, seed = 1, ops: Ops = createFastestOps()): { basis: Float64Array; values: Float64Array } {
  if (k < 1 || k > D) throw new Error(`a principal subspace of ${k} dimensions does not exist in ${D}`);
  // Start from a seeded pseudo-random [D, k] block.
  let state = seed >>> 0 || 1;
  const random = () => {
    state ^= state << 13;
    state ^= state >>> 17;
    state ^= state << 5;
    return (state >>> 0) / 4294967296 - 0.5;
  };
  let q: Float64Array = Float64Array.from({ length: D * k }, random);
  orthonormaliseColumns(q, D, k);
  const mark = ops.arena.used;
  const covAt = ops.arena.allocFrom(cov);
  const qa = ops.arena.alloc(D * k);
  const out = ops.arena.alloc(D * k);
  // C·Q on the ops, in float32; the orthonormalising, which float32 would spoil, in float64.
  const multiply = (m: Float64Array) => {
    ops.arena.f32.set(m, qa);
    ops.gemmNN(D, k, D, covAt, D, qa, k, out, k, 0);
    return Float64Array.from(ops.arena.f32.subarray(out, out + D * k));
  };
  let cq: Float64Array;
  try {
    for (let it = 0; it < iterations; it++) {
      q = multiply(q);
      orthonormaliseColumns(q, D, k);
    }
    cq = multiply(q);
  } finally {
    ops.arena.release(mark);
  }
  // Rayleigh–Ritz: eigen-decompose Qᵀ C Q [k, k] and rotate Q by its eigenvectors. small[k, k] = Q[D, k]ᵀ · CQ[D, k]
  const small = new Float64Array(k * k);
  for (let r = 0; r < D; r++) {
    for (let i = 0; i < k; i++) {
      const qi = q[r * k + i];
      for (let j = 0; j < k; j++) small[i * k + j] += qi * cq[r * k + j];
    }
  }
  for (let i = 0; i < k; i++) {
    for (let j = i + 1; j < k; j++) {
      const s = (small[i * k + j] + small[j * k + i]) / 2;
      small[i * k + j] = s;
      small[j * k + i] = s;
    }
  }
  const { values, vectors } = symmetricEigen(small, k);
  const basis = new Float64Array(D * k);
  // basis[D, k] = Q[D, k] · vectors[k, k]
  for (let r = 0; r < D; r++) {
    for (let col = 0; col < k; col++) {
      let s = 0;
      for (let i = 0; i < k; i++) s += q[r * k + i] * vectors[i * k + col];
      basis[r * k + col] = s;
    }
  }
  return { basis, values };
}

/** Modified Gram–Schmidt on the columns of a [D, k] row-major matrix, in place (a column that vanishes is left zero). */
function orthonormaliseColumns(q: Float64Array, D: number, k: number): void {
  for (let j = 0; j < k; j++) {
    for (let i = 0; i < j; i++) {
      let dot = 0;
      for (let r = 0; r < D; r++) dot += q[r * k + i] * q[r * k + j];
      for (let r = 0; r < D; r++) q[r * k + j] -= dot * q[r * k + i];
    }
    let norm = 0;
    for (let r = 0; r < D; r++) norm += q[r * k + j] * q[r * k + j];
    norm = Math.sqrt(norm);
    for (let r = 0; r < D; r++) q[r * k + j] = norm > 1e-300 ? q[r * k + j] / norm : 0;
  }
}

/**
 * Fraction of variance unexplained when each normalised state is replaced
 * by its projection on the first m columns of `basis` ([D, k], orthonormal
 * columns), for each m in `dims`: Σ‖x̂ − P x̂‖² / Σ‖x̂ − mean(x̂)‖², as
 * measureDictionary computes a dictionary's. With orthonormal columns,
 * ‖x̂ − P_m x̂‖² = ‖x̂‖² − Σ_{j<m} coef_j², coef = x̂ᵀ·basis.
 */
export function projectionFvu(states: StateMatrix, norm: Normalisation, basis: Float64Array, k: number, dims: readonly number[], ops: Ops = createFastestOps()): number[] {
  for (const m of dims) if (!Number.isInteger(m) || m < 1 || m > k) throw new Error(`the basis has ${k} columns; cannot project on ${m}`);
  const D = states.dim;
  const ascending = dims.map((m, i) => ({ m, i })).sort((a, b) => a.m - b.m);
  const sum = new Float64Array(D);
  const sumSq = new Float64Array(D);
  const kept = new Float64Array(dims.length);
  let energy = 0;
  const B = 256;
  const mark = ops.arena.used;
  const b = ops.arena.allocFrom(basis);
  const x = ops.arena.alloc(B * D);
  const coef = ops.arena.alloc(B * k);
  try {
    for (let start = 0; start < states.rows; start += B) {
      const n = Math.min(B, states.rows - start);
      const mem = ops.arena.f32;
      for (let i = 0; i < n; i++) {
        const at = x + i * D;
        normaliseRow(states.values, start + i, D, norm, mem, at);
        for (let d = 0; d < D; d++) {
          const v = mem[at + d];
          energy += v * v;
          sum[d] += v;
          sumSq[d] += v * v;
        }
      }
      // COEF[n, k] = X̂[n, D] · basis[D, k]
      ops.gemmNN(n, k, D, x, D, b, k, coef, k, 0);
      const cs = ops.arena.f32;
      for (let i = 0; i < n; i++) {
        let acc = 0;
        let next = 0;
        for (const { m, i: slot } of ascending) {
          for (; next < m; next++) acc += cs[coef + i * k + next] ** 2;
          kept[slot] += acc;
        }
      }
    }
  } finally {
    ops.arena.release(mark);
  }
  const total = varianceAboutMean(sum, sumSq, states.rows);
  return dims.map((_, i) => (total > 0 ? Math.max(0, energy - kept[i]) / total : 0));
}

/**
 * The linear baseline of a dictionary in one call: the top subspace of the
 * training states (normalised as the dictionary normalises them), and the
 * held-out FVU of projecting on its first m directions, for each m.
 */
export function linearBaselineFvu(train: StateMatrix, heldOut: StateMatrix, norm: Normalisation, dims: readonly number[], ops: Ops = createFastestOps()): { dims: number[]; heldOutFvu: number[] } {
  const usable = [...new Set(dims)].filter((m) => m >= 1 && m <= train.dim).sort((a, b) => a - b);
  if (usable.length === 0) return { dims: [], heldOutFvu: [] };
  const k = usable[usable.length - 1];
  const { basis } = principalSubspace(normalisedCovariance(train, norm, 20_000, ops), train.dim, k, 15, 1, ops);
  return { dims: usable, heldOutFvu: projectionFvu(heldOut, norm, basis, k, usable, ops) };
}
