import { Activations, CellRef, trackOf } from './activations';

export interface MatchOptions {
  /** A run needs at least this fraction of the cells on at each character (default 1: all of them). */
  minFraction?: number;
  /** Leave out runs that overlap this range (the selection the cells came from). */
  exclude?: { start: number; end: number };
  /** Shortest run reported (default 1). */
  minLength?: number;
  /** Most matches returned (default 50). */
  limit?: number;
}

export interface CellMatch {
  start: number;
  end: number;
  /** Mean fraction of the cells on over the run (1: all on everywhere). */
  overlap: number;
}

/**
 * Other places where the same cells are on together (LSTMVis "matches"):
 * maximal runs of characters where at least minFraction of the cells are
 * above the threshold, best overlap first, then longest, then earliest.
 */
export function findMatches(act: Activations, cells: readonly CellRef[], threshold: number, opts: MatchOptions = {}): CellMatch[] {
  if (cells.length === 0) return [];
  const on = new Uint32Array(act.chars); // [T]: how many of the cells are on
  addCellsOn(act, cells, threshold, on);
  return matchRuns(on, cells.length, opts);
}

/** on[t] += the number of these cells above the threshold at character t. */
export function addCellsOn(act: Activations, cells: readonly CellRef[], threshold: number, on: Uint32Array): void {
  const T = act.chars;
  for (const ref of cells) {
    const track = trackOf(act, ref.layer, ref.kind);
    if (!track || ref.cell < 0 || ref.cell >= track.units) throw new Error(`layer ${ref.layer} ${ref.kind}[${ref.cell}] was not recorded`);
    for (let t = 0; t < T; t++) if (track.values[t * track.units + ref.cell] > threshold) on[t]++;
  }
}

/**
 * The runs of a per-character count of signals that are on (of `total`
 * signals: cells, dictionary features or both), as findMatches reports them.
 */
export function matchRuns(on: Uint32Array, total: number, opts: MatchOptions = {}): CellMatch[] {
  if (total === 0) return [];
  const T = on.length;
  const need = Math.max(1, Math.ceil((opts.minFraction ?? 1) * total - 1e-9));
  const minLength = Math.max(1, opts.minLength ?? 1);
  const matches: CellMatch[] = [];
  for (let t = 0; t < T; ) {
    if (on[t] < need) {
      t++;
      continue;
    }
    const start = t;
    let sum = 0;
    for (; t < T && on[t] >= need; t++) sum += on[t];
    const ex = opts.exclude;
    if (t - start < minLength || (ex && start < ex.end && t > ex.start)) continue;
    matches.push({ start, end: t, overlap: sum / ((t - start) * total) });
  }
  matches.sort((a, b) => b.overlap - a.overlap || b.end - b.start - (a.end - a.start) || a.start - b.start);
  return matches.slice(0, Math.max(0, opts.limit ?? 50));
}
