import { CellRef } from './activations';
import { CellMatch, findMatches } from './findMatches';
import { RecordingEngine } from './recordActivations';
import { recordWindow } from './recordWindow';

export interface MatchSource {
  /** Shown with each match (a path or URI). */
  name: string;
  text: string;
}

export interface SearchMatchesOptions {
  /** Most characters read per file, from its start (default 20,000). */
  maxCharsPerFile?: number;
  /** Most matches kept over all files (default 50). */
  limit?: number;
  /** Shortest run reported (default 2: single characters are mostly noise). */
  minLength?: number;
  minFraction?: number;
  sliceMs?: number;
  sliceChars?: number;
  yieldNow?: () => Promise<void>;
  isCancelled?: () => boolean;
}

export interface SourceMatch extends CellMatch {
  name: string;
  /** The matched text (at most 200 characters). */
  preview: string;
}

export interface SearchMatchesResult {
  matches: SourceMatch[];
  filesSearched: number;
  charsSearched: number;
}

/**
 * LSTMVis-style matches across several files: reads each file with the model
 * (recording only the layers and kinds the cells live in), finds the runs
 * where the cells are on together, and ranks all runs by overlap, then
 * length. Resolves to undefined when cancelled.
 */
export async function searchMatches(
  engine: RecordingEngine,
  sources: readonly MatchSource[],
  cells: readonly CellRef[],
  threshold: number,
  opts: SearchMatchesOptions = {},
): Promise<SearchMatchesResult | undefined> {
  if (cells.length === 0) return { matches: [], filesSearched: 0, charsSearched: 0 };
  const layers = [...new Set(cells.map((c) => c.layer))];
  const kinds = [...new Set(cells.map((c) => c.kind))];
  const maxChars = Math.max(1, opts.maxCharsPerFile ?? 20_000);
  const limit = Math.max(1, opts.limit ?? 50);
  const all: SourceMatch[] = [];
  let chars = 0;
  for (const source of sources) {
    const end = Math.min(source.text.length, maxChars);
    const act = await recordWindow(engine, source.text, { start: 0, end, layers, kinds, sliceMs: opts.sliceMs, sliceChars: opts.sliceChars, yieldNow: opts.yieldNow, isCancelled: opts.isCancelled });
    if (!act) return undefined;
    chars += act.chars;
    for (const m of findMatches(act, cells, threshold, { minLength: opts.minLength ?? 2, minFraction: opts.minFraction, limit })) {
      all.push({ ...m, name: source.name, preview: source.text.slice(m.start, Math.min(m.end, m.start + 200)) });
    }
  }
  all.sort((a, b) => b.overlap - a.overlap || b.end - b.start - (a.end - a.start) || (a.name < b.name ? -1 : a.name > b.name ? 1 : a.start - b.start));
  return { matches: all.slice(0, limit), filesSearched: sources.length, charsSearched: chars };
}
