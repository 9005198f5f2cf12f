import { SparseCodes, SparseDictionary, encodeStates, reconstructRow, EncodeOptions } from './dictionary';
import { normaliseRow } from './normalisation';
import { StateMatrix } from './stateMatrix';

export interface DictionaryMetrics {
  rows: number;
  /**
   * Fraction of variance unexplained in normalised state space:
   * Σ‖x̂ − x̃‖² / Σ‖x̂ − mean(x̂)‖² over the rows (0 is perfect, 1 is no
   * better than the mean state).
   */
  fvu: number;
  /** Features that fire on none of the rows. */
  deadFeatures: number;
  deadFraction: number;
  /** Features active (value > 0) per character, on average. */
  meanActive: number;
}

/**
 * Σ‖x̂ − mean(x̂)‖² over `rows` rows from per-dimension sums and sums of
 * squares: the denominator of every FVU here (a dictionary's and the linear
 * baseline's), so that the two are read on the same scale.
 */
export function varianceAboutMean(sum: Float64Array, sumSq: Float64Array, rows: number): number {
  let total = 0;
  for (let d = 0; d < sum.length; d++) total += sumSq[d] - (sum[d] * sum[d]) / Math.max(rows, 1);
  return total;
}

/** How well a dictionary reconstructs a recording, and how sparsely (codes computed here unless given). */
export function measureDictionary(dict: SparseDictionary, states: StateMatrix, codes?: SparseCodes, opts: EncodeOptions = {}): DictionaryMetrics {
  const c = codes ?? encodeStates(dict, states, opts);
  const D = dict.dim;
  const N = states.rows;
  const xhat = new Float32Array(D);
  const recon = new Float32Array(D);
  const sum = new Float64Array(D);
  const sumSq = new Float64Array(D);
  let errSq = 0;
  for (let t = 0; t < N; t++) {
    normaliseRow(states.values, t, D, dict.norm, xhat, 0);
    reconstructRow(dict, c, t, recon);
    for (let d = 0; d < D; d++) {
      const e = recon[d] - xhat[d];
      errSq += e * e;
      sum[d] += xhat[d];
      sumSq[d] += xhat[d] * xhat[d];
    }
  }
  const total = varianceAboutMean(sum, sumSq, N);

  const fired = new Uint8Array(dict.features);
  let active = 0;
  for (let s = 0; s < c.value.length; s++) {
    if (c.value[s] > 0) {
      fired[c.index[s]] = 1;
      active++;
    }
  }
  let dead = 0;
  for (let j = 0; j < dict.features; j++) if (!fired[j]) dead++;
  return {
    rows: N,
    fvu: total > 0 ? errSq / total : 0,
    deadFeatures: dead,
    deadFraction: dead / dict.features,
    meanActive: N > 0 ? active / N : 0,
  };
}
