/**
 * Pearson's r by the formula written out, with none of the library's
 * shortcuts: the oracle the rank statistics are checked against (Spearman ρ
 * is this of the two rank vectors). 0 when either side is constant.
 */
export function textbookPearson(a: ArrayLike<number>, b: ArrayLike<number>): number {
  const n = a.length;
  const ma = Array.from(a).reduce((s, x) => s + x, 0) / n;
  const mb = Array.from(b).reduce((s, x) => s + x, 0) / n;
  let sab = 0;
  let saa = 0;
  let sbb = 0;
  for (let i = 0; i < n; i++) {
    sab += (a[i] - ma) * (b[i] - mb);
    saa += (a[i] - ma) ** 2;
    sbb += (b[i] - mb) ** 2;
  }
  return saa > 0 && sbb > 0 ? sab / Math.sqrt(saa * sbb) : 0;
}
