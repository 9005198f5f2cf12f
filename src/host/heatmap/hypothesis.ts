/**
 * LSTMVis hypothesis search on a window recording: the cells on (above the
 * threshold) at every character of the selected span, optionally off for a
 * few characters just before and after it, and the other places in the
 * window where those cells are on together. No vscode import.
 */
import { CellRef } from '../../core/cells/activations';
import { findMatches } from '../../core/cells/findMatches';
import { rankCellsForSpan } from '../../core/cells/rankCellsForSpan';
import { WindowActivations } from '../../core/cells/recordWindow';
import { CellEntry } from './protocol';
import { spanEntry } from './viewModel';

/** Most cells a hypothesis keeps: more cells rarely add precision and make matching slower. */
export const MAX_HYPOTHESIS_CELLS = 10;

export interface FileMatch {
  /** Document offsets. */
  start: number;
  end: number;
  overlap: number;
}

export interface HypothesisResult {
  cells: CellEntry[];
  matches: FileMatch[];
}

/** start and end are document offsets inside the window. */
export function hypothesisInWindow(act: WindowActivations, start: number, end: number, threshold: number, offAround: number): HypothesisResult {
  const from = start - act.offset;
  const to = end - act.offset;
  const ranking = rankCellsForSpan(act, from, to, { threshold, offBeforeAfter: offAround, top: MAX_HYPOTHESIS_CELLS });
  const refs: CellRef[] = ranking.onThroughout.map((s) => ({ layer: s.layer, cell: s.cell, kind: s.kind }));
  const matches = findMatches(act, refs, threshold, { exclude: { start: from, end: to }, minLength: Math.max(1, Math.min(to - from, 2)) }).map((m) => ({
    start: m.start + act.offset,
    end: m.end + act.offset,
    overlap: m.overlap,
  }));
  return { cells: ranking.onThroughout.map(spanEntry), matches };
}
