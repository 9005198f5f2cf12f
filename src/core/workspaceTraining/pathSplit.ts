import { nameHashUnit } from '../nameHash';

export interface PathSplit<T> {
  train: T[];
  heldOut: T[];
}

/**
 * Splits files into training and held-out sets by a hash of their path
 * (relative to the project, '/'-separated): the `heldOutFraction` of files
 * with the smallest hashes are held out, at least one and never all. The
 * split depends only on the paths, not on the order or the contents, so a
 * file stays on its side from one run to the next.
 */
export function splitByPathHash<T>(files: readonly T[], pathOf: (f: T) => string, heldOutFraction: number): PathSplit<T> {
  if (!(heldOutFraction > 0 && heldOutFraction < 1)) throw new RangeError(`the held-out fraction must be between 0 and 1, got ${heldOutFraction}`);
  if (files.length < 2) throw new Error(`a split needs at least 2 files, got ${files.length}`);
  const ranked = files.map((f) => ({ f, h: nameHashUnit(pathOf(f)), p: pathOf(f) })).sort((a, b) => a.h - b.h || (a.p < b.p ? -1 : a.p > b.p ? 1 : 0));
  const held = Math.min(files.length - 1, Math.max(1, Math.round(files.length * heldOutFraction)));
  return { heldOut: ranked.slice(0, held).map((r) => r.f), train: ranked.slice(held).map((r) => r.f) };
}
