/** One band of a count concept's values, and the cell's mean over its characters. */
export interface CountBand {
  /** The band's values, e.g. `0`, `2-3`, `64+`. */
  band: string;
  count: number;
  /** The cell's mean over the band's characters, signed so that it rises with the count where the cell tracks it. */
  mean: number;
}

/** Doubling bands: small counts one by one, large ones coarsely (a column of 40 and one of 50 are much alike). */
const BANDS: readonly { band: string; upTo: number }[] = [
  { band: '0', upTo: 0 },
  { band: '1', upTo: 1 },
  { band: '2-3', upTo: 3 },
  { band: '4-7', upTo: 7 },
  { band: '8-15', upTo: 15 },
  { band: '16-31', upTo: 31 },
  { band: '32-63', upTo: 63 },
  { band: '64+', upTo: Infinity },
];

/**
 * How a cell reads a count concept (indentation, column, bracket depth)
 * level by level: its mean value in each band of the count. A cell that
 * tracks the count rises through the bands; where it flattens, it has
 * stopped counting, which Spearman ρ over all characters shows only as a
 * lower figure. Empty bands are left out.
 */
export function countCurve(values: ArrayLike<number>, labels: ArrayLike<number>, sign: 1 | -1): CountBand[] {
  const n = Math.min(values.length, labels.length);
  const sums = new Float64Array(BANDS.length);
  const counts = new Float64Array(BANDS.length);
  for (let t = 0; t < n; t++) {
    const k = BANDS.findIndex((b) => labels[t] <= b.upTo);
    sums[k] += sign * values[t];
    counts[k]++;
  }
  return BANDS.map((b, k) => ({ band: b.band, count: counts[k], mean: counts[k] > 0 ? sums[k] / counts[k] : 0 })).filter((b) => b.count > 0);
}
