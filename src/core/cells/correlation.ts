import { ActivationTrack } from './activations';

/**
 * Pearson r of every unit of a track with a signal y over the track's rows:
 * one pass of sums in float64. r is 0 where the unit or the signal is constant.
 */
export function trackCorrelations(track: ActivationTrack, y: ArrayLike<number>, chars: number): Float64Array {
  const U = track.units;
  const v = track.values;
  let mean = 0;
  for (let t = 0; t < chars; t++) mean += y[t];
  mean /= Math.max(chars, 1);
  const sx = new Float64Array(U);
  const sxx = new Float64Array(U);
  const sxy = new Float64Array(U);
  let syy = 0;
  // Rows [chars, U]: the inner loop walks one row contiguously.
  for (let t = 0; t < chars; t++) {
    const yc = y[t] - mean;
    syy += yc * yc;
    const row = t * U;
    for (let j = 0; j < U; j++) {
      const x = v[row + j];
      sx[j] += x;
      sxx[j] += x * x;
      sxy[j] += x * yc;
    }
  }
  const r = new Float64Array(U);
  for (let j = 0; j < U; j++) {
    // sxy is already Σ(x − x̄)(y − ȳ), since Σ(y − ȳ) = 0.
    const varX = sxx[j] - (sx[j] * sx[j]) / chars;
    const denom = Math.sqrt(varX * syy);
    r[j] = varX > 1e-12 * chars && syy > 0 && denom > 0 ? clamp(sxy[j] / denom) : 0;
  }
  return r;
}

/** Pearson r of two equally long vectors; 0 where either is constant. */
export function pearson(a: ArrayLike<number>, b: ArrayLike<number>): number {
  const n = Math.min(a.length, b.length);
  if (n === 0) return 0;
  let ma = 0;
  let mb = 0;
  for (let i = 0; i < n; i++) {
    ma += a[i];
    mb += b[i];
  }
  ma /= n;
  mb /= n;
  let sab = 0;
  let saa = 0;
  let sbb = 0;
  for (let i = 0; i < n; i++) {
    const da = a[i] - ma;
    const db = b[i] - mb;
    sab += da * db;
    saa += da * da;
    sbb += db * db;
  }
  return saa > 0 && sbb > 0 ? clamp(sab / Math.sqrt(saa * sbb)) : 0;
}

function clamp(r: number): number {
  return r > 1 ? 1 : r < -1 ? -1 : r;
}
