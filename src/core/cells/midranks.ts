/**
 * Ranks of values (1 = smallest), ties sharing the mean of their ranks: the
 * Mann–Whitney statistic of any 0/1 label is then a sum over its positives,
 * so one sort per cell serves every label (AUROC = (R₊ − P(P+1)/2) / (P·N)).
 * sorted is scratch space at least values.length long. O(n log n).
 */
export function midranks(values: Float32Array, out: Float64Array, sorted: Float32Array): void {
  const n = values.length;
  const s = sorted.subarray(0, n);
  s.set(values);
  s.sort();
  for (let i = 0; i < n; i++) {
    const v = values[i];
    // lo: values below v; hi: values up to v. v's ties hold ranks lo+1 … hi.
    let a = 0;
    let b = n;
    while (a < b) {
      const m = (a + b) >>> 1;
      if (s[m] < v) a = m + 1;
      else b = m;
    }
    const lo = a;
    b = n;
    while (a < b) {
      const m = (a + b) >>> 1;
      if (s[m] <= v) a = m + 1;
      else b = m;
    }
    out[i] = (lo + 1 + a) / 2;
  }
}
