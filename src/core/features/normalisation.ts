/**
 * Per-dimension standardisation of states: x̂ = (x − mean) · scale with
 * scale = 1 / std. The c cells are unbounded and h lives in [−1, 1], so
 * without it the largest c cells would own the reconstruction loss.
 */
export interface Normalisation {
  /** [dim] */
  mean: Float32Array;
  /** [dim] 1 / standard deviation; 1 for a dimension that never changes. */
  scale: Float32Array;
}

/** Mean and scale of every column of a [rows, dim] matrix (sums in float64). */
export function fitNormalisation(values: Float32Array, rows: number, dim: number): Normalisation {
  const sum = new Float64Array(dim);
  const sq = new Float64Array(dim);
  // Rows [rows, dim]: the inner loop walks one row contiguously.
  for (let t = 0; t < rows; t++) {
    const row = t * dim;
    for (let d = 0; d < dim; d++) {
      const x = values[row + d];
      sum[d] += x;
      sq[d] += x * x;
    }
  }
  const mean = new Float32Array(dim);
  const scale = new Float32Array(dim);
  const n = Math.max(rows, 1);
  for (let d = 0; d < dim; d++) {
    const m = sum[d] / n;
    const variance = Math.max(0, sq[d] / n - m * m);
    mean[d] = m;
    scale[d] = variance > 1e-12 ? 1 / Math.sqrt(variance) : 1;
  }
  return { mean, scale };
}

/** Writes x̂ of row `row` of a raw [rows, dim] matrix into out[at : at + dim]. */
export function normaliseRow(values: Float32Array, row: number, dim: number, norm: Normalisation, out: Float32Array, at: number): void {
  const src = row * dim;
  const { mean, scale } = norm;
  for (let d = 0; d < dim; d++) out[at + d] = (values[src + d] - mean[d]) * scale[d];
}
