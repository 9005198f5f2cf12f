import { pearson } from './correlation';

/** Indices below this fit beside a 32-bit key in a float64's 53-bit mantissa. */
const PACKED_INDEX = 2 ** 21;

/**
 * 1-based mid-ranks of values[0..n): a value's rank is its position in
 * sorted order, and tied values share the mean of their positions. The
 * result goes to `out`; `scratch` (at least n entries) saves an allocation.
 * A Float32Array of under 2^21 values (a recorded cell) takes the fast path:
 * each value's bits become an order-preserving 32-bit key, packed with its
 * index into one float64 and sorted natively, O(n log n) with no comparator.
 * Anything else sorts a copy and finds each value's run of equals by binary
 * search, also O(n log n).
 */
export function midRanks(values: ArrayLike<number>, n: number, out: Float64Array, scratch: Float64Array = new Float64Array(n)): Float64Array {
  if (values instanceof Float32Array && n < PACKED_INDEX) return packedMidRanks(values, n, out, scratch);
  for (let i = 0; i < n; i++) scratch[i] = values[i];
  const s = n === scratch.length ? scratch : scratch.subarray(0, n);
  s.sort();
  for (let i = 0; i < n; i++) {
    const x = values[i];
    const below = lowerBound(s, x);
    const upTo = upperBound(s, x, below);
    // Positions below+1 .. upTo hold x; their mean is the shared rank.
    out[i] = (below + 1 + upTo) / 2;
  }
  return out;
}

const bits = new Float32Array(1);
const bitsU32 = new Uint32Array(bits.buffer);

/** Float32 bits mapped so that unsigned order is numeric order (−0 and +0 alike). */
function orderedKey(x: number): number {
  bits[0] = x;
  let u = bitsU32[0];
  if (u === 0x80000000) u = 0;
  // Negative: flip every bit (larger magnitude sorts lower); positive: set the sign bit.
  return u & 0x80000000 ? ~u >>> 0 : (u | 0x80000000) >>> 0;
}

function packedMidRanks(values: Float32Array, n: number, out: Float64Array, scratch: Float64Array): Float64Array {
  const s = n === scratch.length ? scratch : scratch.subarray(0, n);
  // s[i] = key · 2^21 + index: exact below 2^53, so sorting s sorts by value, then index.
  for (let i = 0; i < n; i++) s[i] = orderedKey(values[i]) * PACKED_INDEX + i;
  s.sort();
  let start = 0;
  while (start < n) {
    const key = Math.floor(s[start] / PACKED_INDEX);
    let end = start + 1;
    while (end < n && Math.floor(s[end] / PACKED_INDEX) === key) end++;
    // Sorted positions start+1 .. end tie.
    const rank = (start + 1 + end) / 2;
    for (let k = start; k < end; k++) out[s[k] - key * PACKED_INDEX] = rank;
    start = end;
  }
  return out;
}

/** First index whose value is ≥ x. */
function lowerBound(s: Float64Array, x: number): number {
  let lo = 0;
  let hi = s.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (s[mid] < x) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** First index from `from` whose value is > x. */
function upperBound(s: Float64Array, x: number, from: number): number {
  let lo = from;
  let hi = s.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (s[mid] <= x) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** Spearman ρ: Pearson r of the mid-ranks (ties averaged); 0 where either side is constant. */
export function spearman(a: ArrayLike<number>, b: ArrayLike<number>): number {
  const n = Math.min(a.length, b.length);
  return pearson(midRanks(a, n, new Float64Array(n)), midRanks(b, n, new Float64Array(n)));
}
