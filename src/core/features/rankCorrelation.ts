import { auroc } from '../cells/auroc';

/**
 * Ranks 1…n of values, ties sharing their average rank (as Spearman's ρ
 * needs). O(n log n).
 */
export function averageRanks(values: ArrayLike<number>): Float64Array {
  const n = values.length;
  const order = Array.from({ length: n }, (_, i) => i).sort((a, b) => values[a] - values[b]);
  const ranks = new Float64Array(n);
  for (let i = 0; i < n; ) {
    let j = i + 1;
    while (j < n && values[order[j]] === values[order[i]]) j++;
    const rank = (i + 1 + j) / 2; // average of ranks i+1 … j
    for (let m = i; m < j; m++) ranks[order[m]] = rank;
    i = j;
  }
  return ranks;
}

/** Spearman's ρ of two equally long vectors (Pearson r of their average ranks); 0 where either is constant. */
export function spearman(a: ArrayLike<number>, b: ArrayLike<number>): number {
  const n = Math.min(a.length, b.length);
  return pearsonOfRanks(averageRanks(Array.prototype.slice.call(a, 0, n) as number[]), averageRanks(Array.prototype.slice.call(b, 0, n) as number[]));
}

function pearsonOfRanks(x: Float64Array, y: Float64Array): number {
  const n = x.length;
  const mean = (n + 1) / 2;
  let sxy = 0;
  let sxx = 0;
  let syy = 0;
  for (let i = 0; i < n; i++) {
    sxy += (x[i] - mean) * (y[i] - mean);
    sxx += (x[i] - mean) ** 2;
    syy += (y[i] - mean) ** 2;
  }
  return sxx > 0 && syy > 0 ? Math.max(-1, Math.min(1, sxy / Math.sqrt(sxx * syy))) : 0;
}

/**
 * A feature's activations over n rows, given only where it fires: rows
 * (ascending or not) and values (all > 0); every other row is 0. Features
 * fire on a few percent of rows, so the scores below cost O(m log m) in the
 * m rows that fire instead of O(n log n).
 */
export interface SparseColumn {
  n: number;
  rows: ArrayLike<number>;
  values: ArrayLike<number>;
}

/**
 * AUROC of a sparse column as a detector of a 0/1 label (see cells/auroc):
 * the firing rows are compared among themselves exactly, a firing row
 * beats every silent one, and silent rows tie (half a win).
 * positives: how many labels are 1 over all n rows.
 */
export function sparseAuroc(col: SparseColumn, labels: ArrayLike<number>, positives: number): number {
  const negatives = col.n - positives;
  if (positives === 0 || negatives === 0) return 0.5;
  const m = col.rows.length;
  const firingLabels = new Uint8Array(m);
  let firingPos = 0;
  for (let i = 0; i < m; i++) {
    firingLabels[i] = labels[col.rows[i]] > 0.5 ? 1 : 0;
    firingPos += firingLabels[i];
  }
  const firingNeg = m - firingPos;
  const silentPos = positives - firingPos;
  const silentNeg = negatives - firingNeg;
  const amongFiring = firingPos > 0 && firingNeg > 0 ? auroc(col.values, firingLabels) * firingPos * firingNeg : 0;
  return (amongFiring + firingPos * silentNeg + 0.5 * silentPos * silentNeg) / (positives * negatives);
}

/**
 * Spearman's ρ of a sparse column with a label whose average ranks
 * (labelRanks, over all n rows) and their sum are given. Silent rows share
 * the lowest rank (n − m + 1) / 2; firing rows rank above them.
 */
export function sparseSpearman(col: SparseColumn, labelRanks: Float64Array, labelRankSum: number, labelRankSq: number): number {
  const n = col.n;
  const m = col.rows.length;
  if (m === 0 || m === n && allEqual(col.values)) return 0;
  const silent = n - m;
  const silentRank = (silent + 1) / 2;
  const firingRanks = averageRanks(col.values);
  let sumXY = 0;
  let sumX2 = silent * silentRank * silentRank;
  let firingLabelRankSum = 0;
  for (let i = 0; i < m; i++) {
    const rx = silent + firingRanks[i];
    const ry = labelRanks[col.rows[i]];
    sumXY += rx * ry;
    sumX2 += rx * rx;
    firingLabelRankSum += ry;
  }
  sumXY += silentRank * (labelRankSum - firingLabelRankSum);
  const mean = (n + 1) / 2;
  const cov = sumXY - n * mean * mean;
  const varX = sumX2 - n * mean * mean;
  const varY = labelRankSq - n * mean * mean;
  return varX > 1e-9 && varY > 1e-9 ? Math.max(-1, Math.min(1, cov / Math.sqrt(varX * varY))) : 0;
}

function allEqual(values: ArrayLike<number>): boolean {
  for (let i = 1; i < values.length; i++) if (values[i] !== values[0]) return false;
  return true;
}
