/**
 * The k largest of z[from : from + n] (k ≤ n): their positions (0-based
 * within the row) go to index[at : at + k] and max(0, value) to
 * value[at : at + k], in no particular order. A min-heap of k: most entries
 * lose one comparison against its root, so a row costs about n comparisons.
 * Ties keep the lower position (deterministic).
 */
export function topKOfRow(z: Float32Array, from: number, n: number, k: number, index: Int32Array, value: Float32Array, at: number): void {
  // Heap over index[at : at + k] by raw z; root (smallest) at `at`.
  for (let i = 0; i < k; i++) {
    index[at + i] = i;
    siftUp(z, from, index, at, i);
  }
  for (let j = k; j < n; j++) {
    if (z[from + j] <= z[from + index[at]]) continue;
    index[at] = j;
    siftDown(z, from, index, at, k);
  }
  for (let i = 0; i < k; i++) {
    const v = z[from + index[at + i]];
    value[at + i] = v > 0 ? v : 0;
  }
}

/** Top-k among the listed candidates only (positions into the row); fewer than k candidates: the rest get value 0 at position −1. */
export function topKOfCandidates(z: Float32Array, from: number, candidates: Int32Array, count: number, k: number, index: Int32Array, value: Float32Array, at: number): number {
  const kk = Math.min(k, count);
  for (let i = 0; i < kk; i++) {
    index[at + i] = candidates[i];
    siftUp(z, from, index, at, i);
  }
  for (let c = kk; c < count; c++) {
    const j = candidates[c];
    if (z[from + j] <= z[from + index[at]]) continue;
    index[at] = j;
    siftDown(z, from, index, at, kk);
  }
  for (let i = 0; i < kk; i++) {
    const v = z[from + index[at + i]];
    value[at + i] = v > 0 ? v : 0;
  }
  for (let i = kk; i < k; i++) {
    index[at + i] = -1;
    value[at + i] = 0;
  }
  return kk;
}

/** Heap order: smaller z first, and for equal z the higher position (so it is evicted first). */
function less(z: Float32Array, from: number, a: number, b: number): boolean {
  const za = z[from + a];
  const zb = z[from + b];
  return za < zb || (za === zb && a > b);
}

function siftUp(z: Float32Array, from: number, index: Int32Array, at: number, i: number): void {
  while (i > 0) {
    const parent = (i - 1) >> 1;
    if (!less(z, from, index[at + i], index[at + parent])) break;
    const t = index[at + i];
    index[at + i] = index[at + parent];
    index[at + parent] = t;
    i = parent;
  }
}

function siftDown(z: Float32Array, from: number, index: Int32Array, at: number, size: number): void {
  let i = 0;
  for (;;) {
    const l = 2 * i + 1;
    if (l >= size) break;
    const r = l + 1;
    const c = r < size && less(z, from, index[at + r], index[at + l]) ? r : l;
    if (!less(z, from, index[at + c], index[at + i])) break;
    const t = index[at + i];
    index[at + i] = index[at + c];
    index[at + c] = t;
    i = c;
  }
}
