import { Activations, CellRef } from './activations';

export interface SpanOptions {
  /** A cell is "on" above this value. */
  threshold: number;
  /** Also require the cell to be off (≤ threshold) for this many characters just before and after the span (LSTMVis). Default 0. */
  offBeforeAfter?: number;
  /** Cells returned per list (default 20). */
  top?: number;
}

export interface SpanCellScore extends CellRef {
  /** Mean value inside the span. */
  inside: number;
  /** Mean value over every other recorded character. */
  outside: number;
  /** inside − outside. */
  difference: number;
  /** Lowest value inside the span. */
  minInside: number;
}

export interface SpanRanking {
  /** Cells whose mean inside the span differs most from outside, by |difference|. */
  byDifference: SpanCellScore[];
  /** Cells above the threshold at every character of the span (and off around it if asked), by difference. */
  onThroughout: SpanCellScore[];
}

/**
 * LSTMVis-style hypothesis selection: which cells does a selected span
 * [start, end) switch on? Two answers: the cells whose activation inside
 * differs most from outside, and the cells on throughout the span.
 */
export function rankCellsForSpan(act: Activations, start: number, end: number, opts: SpanOptions): SpanRanking {
  const T = act.chars;
  const from = Math.max(0, Math.min(T, Math.floor(start)));
  const to = Math.max(from, Math.min(T, Math.floor(end)));
  const top = Math.max(1, opts.top ?? 20);
  if (to === from) return { byDifference: [], onThroughout: [] };
  const around = Math.max(0, Math.floor(opts.offBeforeAfter ?? 0));
  const scores: SpanCellScore[] = [];
  const onThroughout: SpanCellScore[] = [];
  for (const track of act.tracks) {
    const U = track.units;
    const v = track.values;
    const sumIn = new Float64Array(U);
    const sumAll = new Float64Array(U);
    const minIn = new Float64Array(U).fill(Infinity);
    const maxAround = new Float64Array(U).fill(-Infinity);
    // Rows [T, U]: each loop walks rows contiguously.
    for (let t = 0; t < T; t++) {
      const row = t * U;
      for (let j = 0; j < U; j++) sumAll[j] += v[row + j];
    }
    for (let t = from; t < to; t++) {
      const row = t * U;
      for (let j = 0; j < U; j++) {
        const x = v[row + j];
        sumIn[j] += x;
        if (x < minIn[j]) minIn[j] = x;
      }
    }
    const aroundRows = [...range(Math.max(0, from - around), from), ...range(to, Math.min(T, to + around))];
    for (const t of aroundRows) {
      const row = t * U;
      for (let j = 0; j < U; j++) if (v[row + j] > maxAround[j]) maxAround[j] = v[row + j];
    }
    const nIn = to - from;
    const nOut = T - nIn;
    for (let j = 0; j < U; j++) {
      const inside = sumIn[j] / nIn;
      const outside = nOut > 0 ? (sumAll[j] - sumIn[j]) / nOut : 0;
      const s: SpanCellScore = { layer: track.layer, cell: j, kind: track.kind, inside, outside, difference: inside - outside, minInside: minIn[j] };
      scores.push(s);
      if (minIn[j] > opts.threshold && maxAround[j] <= opts.threshold) onThroughout.push(s);
    }
  }
  scores.sort((a, b) => Math.abs(b.difference) - Math.abs(a.difference));
  onThroughout.sort((a, b) => b.difference - a.difference);
  return { byDifference: scores.slice(0, top), onThroughout: onThroughout.slice(0, top) };
}

function range(from: number, to: number): number[] {
  const out: number[] = [];
  for (let t = from; t < to; t++) out.push(t);
  return out;
}
