import { Activations, CellRef, trackOf } from './activations';
import { pearson } from './correlation';

export interface SparseProbeOptions {
  /** The cells the probe may use: this many best single cells (default 64). */
  candidates?: number;
  /** Most cells in the probe (default 5). */
  maxCells?: number;
}

export interface SparseProbe {
  /** The chosen cells with their weights on the standardised cell (mean 0, variance 1 on the training characters). */
  cells: (CellRef & { weight: number })[];
  /** Pearson r of the probe's prediction with the concept on held-out characters. */
  heldOutR: number;
  trainR: number;
  /** |r| of the best single candidate on the same held-out characters, for comparison. */
  bestSingleHeldOutR: number;
  heldOutChars: number;
}

/** Held-out characters: every fifth block of twenty, so that neighbouring (correlated) characters rarely straddle the split. */
const BLOCKS = 20;
const HELD_OUT_EVERY = 5;
const LAMBDA_STEPS = 40;
const LAMBDA_MIN_RATIO = 1e-3;
const MAX_SWEEPS = 500;
const TOLERANCE = 1e-7;

/**
 * A small L1-regularised linear probe (lasso) over a few candidate cells,
 * for concepts no single cell carries. Works on the candidates' correlation
 * matrix (covariance-form coordinate descent, O(K²) per sweep after one
 * O(T·K²) pass), walks λ down from the value where the first cell enters,
 * keeps the last solution with at most maxCells cells, refits those cells
 * without the penalty (relaxed lasso), and scores on held-out characters.
 * Null when there are too few characters or the concept is constant.
 */
export function fitSparseProbe(act: Activations, labels: ArrayLike<number>, candidates: readonly CellRef[], opts: SparseProbeOptions = {}): SparseProbe | null {
  const T = act.chars;
  const K = Math.min(candidates.length, opts.candidates ?? 64);
  const maxCells = Math.max(1, opts.maxCells ?? 5);
  if (T < 2 * BLOCKS || K === 0) return null;
  const blockLen = Math.ceil(T / BLOCKS);
  const heldOut = (t: number) => Math.floor(t / blockLen) % HELD_OUT_EVERY === HELD_OUT_EVERY - 1;

  // X [T, K]: the candidates' values, gathered once.
  const X = new Float64Array(T * K);
  for (let k = 0; k < K; k++) {
    const ref = candidates[k];
    const track = trackOf(act, ref.layer, ref.kind);
    if (!track) throw new Error(`layer ${ref.layer} ${ref.kind} was not recorded`);
    const U = track.units;
    for (let t = 0; t < T; t++) X[t * K + k] = track.values[t * U + ref.cell];
  }

  // Training means.
  const mean = new Float64Array(K);
  let yMean = 0;
  let n = 0;
  for (let t = 0; t < T; t++) {
    if (heldOut(t)) continue;
    n++;
    yMean += labels[t];
    for (let k = 0; k < K; k++) mean[k] += X[t * K + k];
  }
  yMean /= n;
  for (let k = 0; k < K; k++) mean[k] /= n;

  // Covariances: G [K, K] (upper triangle, then mirrored) and c [K] with y.
  const G = new Float64Array(K * K);
  const c = new Float64Array(K);
  const d = new Float64Array(K);
  let yy = 0;
  for (let t = 0; t < T; t++) {
    if (heldOut(t)) continue;
    const yc = labels[t] - yMean;
    yy += yc * yc;
    for (let k = 0; k < K; k++) d[k] = X[t * K + k] - mean[k];
    for (let k = 0; k < K; k++) {
      const dk = d[k];
      c[k] += dk * yc;
      const row = k * K;
      for (let l = k; l < K; l++) G[row + l] += dk * d[l];
    }
  }
  if (yy <= 0) return null;
  // Standardise: G becomes the correlation matrix, c the correlations with y.
  const scale = new Float64Array(K);
  for (let k = 0; k < K; k++) scale[k] = G[k * K + k] > 1e-12 * n ? 1 / Math.sqrt(G[k * K + k]) : 0;
  const ys = 1 / Math.sqrt(yy);
  for (let k = 0; k < K; k++) {
    c[k] *= scale[k] * ys;
    for (let l = k; l < K; l++) {
      const g = G[k * K + l] * scale[k] * scale[l];
      G[k * K + l] = g;
      G[l * K + k] = g;
    }
    if (scale[k] === 0) G[k * K + k] = 1; // a constant cell: c = 0 keeps it out
  }

  const support = lassoSupport(G, c, K, maxCells);
  const beta = refit(G, c, K, support);

  const predict = (t: number) => {
    let p = 0;
    for (const k of support) p += beta[k] * (X[t * K + k] - mean[k]) * scale[k];
    return p;
  };
  const trainPred: number[] = [];
  const trainY: number[] = [];
  const testPred: number[] = [];
  const testY: number[] = [];
  const testBest: number[] = [];
  for (let t = 0; t < T; t++) {
    if (heldOut(t)) {
      testPred.push(predict(t));
      testY.push(labels[t]);
      testBest.push(X[t * K]);
    } else {
      trainPred.push(predict(t));
      trainY.push(labels[t]);
    }
  }
  return {
    cells: support.map((k) => ({ layer: candidates[k].layer, cell: candidates[k].cell, kind: candidates[k].kind, weight: beta[k] })),
    heldOutR: pearson(testPred, testY),
    trainR: pearson(trainPred, trainY),
    bestSingleHeldOutR: Math.abs(pearson(testBest, testY)),
    heldOutChars: testY.length,
  };
}

/**
 * Lasso on standardised data, covariance form: minimise
 * ½βᵀGβ − cᵀβ + λ|β|₁ by cyclic coordinate descent, with warm starts down a
 * geometric λ path. Returns the cells of the last solution with at most
 * maxCells non-zero weights.
 */
function lassoSupport(G: Float64Array, c: Float64Array, K: number, maxCells: number): number[] {
  let lambdaMax = 0;
  for (let k = 0; k < K; k++) lambdaMax = Math.max(lambdaMax, Math.abs(c[k]));
  if (lambdaMax === 0) return [];
  const beta = new Float64Array(K);
  const Gb = new Float64Array(K); // G·β, kept up to date
  let best: number[] = [];
  for (let step = 0; step < LAMBDA_STEPS; step++) {
    const lambda = lambdaMax * Math.pow(LAMBDA_MIN_RATIO, step / (LAMBDA_STEPS - 1));
    for (let sweep = 0; sweep < MAX_SWEEPS; sweep++) {
      let change = 0;
      for (let k = 0; k < K; k++) {
        const gkk = G[k * K + k];
        const rho = c[k] - Gb[k] + gkk * beta[k];
        const next = softThreshold(rho, lambda) / gkk;
        const delta = next - beta[k];
        if (delta === 0) continue;
        beta[k] = next;
        for (let l = 0; l < K; l++) Gb[l] += delta * G[l * K + k];
        change = Math.max(change, Math.abs(delta));
      }
      if (change < TOLERANCE) break;
    }
    const support: number[] = [];
    for (let k = 0; k < K; k++) if (beta[k] !== 0) support.push(k);
    if (support.length > maxCells) break;
    best = support;
  }
  return best;
}

function softThreshold(x: number, lambda: number): number {
  return x > lambda ? x - lambda : x < -lambda ? x + lambda : 0;
}

/** Least squares on the chosen cells alone (G_SS β = c_S), with a tiny ridge for near-duplicate cells. */
function refit(G: Float64Array, c: Float64Array, K: number, support: number[]): Float64Array {
  const m = support.length;
  const A = new Float64Array(m * (m + 1)); // [m, m | 1] augmented
  support.forEach((k, i) => {
    support.forEach((l, j) => (A[i * (m + 1) + j] = G[k * K + l] + (i === j ? 1e-6 : 0)));
    A[i * (m + 1) + m] = c[k];
  });
  // Gaussian elimination with partial pivoting.
  for (let col = 0; col < m; col++) {
    let pivot = col;
    for (let r = col + 1; r < m; r++) if (Math.abs(A[r * (m + 1) + col]) > Math.abs(A[pivot * (m + 1) + col])) pivot = r;
    for (let j = 0; j <= m; j++) [A[col * (m + 1) + j], A[pivot * (m + 1) + j]] = [A[pivot * (m + 1) + j], A[col * (m + 1) + j]];
    const p = A[col * (m + 1) + col];
    for (let r = 0; r < m; r++) {
      if (r === col || p === 0) continue;
      const f = A[r * (m + 1) + col] / p;
      for (let j = col; j <= m; j++) A[r * (m + 1) + j] -= f * A[col * (m + 1) + j];
    }
  }
  const beta = new Float64Array(K);
  support.forEach((k, i) => {
    const p = A[i * (m + 1) + i];
    beta[k] = p !== 0 ? A[i * (m + 1) + m] / p : 0;
  });
  return beta;
}
