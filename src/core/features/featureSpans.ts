import { SpanOptions } from '../cells/rankCellsForSpan';
import { SparseCodes } from './dictionary';

/** How one dictionary feature behaves over a selected span (as SpanCellScore for a cell). */
export interface SpanFeatureScore {
  feature: number;
  /** Mean activation inside the span (0 where the feature does not fire). */
  inside: number;
  /** Mean activation over every other character. */
  outside: number;
  /** inside − outside. */
  difference: number;
  /** Lowest activation inside the span (0 when it is silent at any character there). */
  minInside: number;
}

export interface SpanFeatureRanking {
  /** Features whose mean inside the span differs most from outside, by |difference|. */
  byDifference: SpanFeatureScore[];
  /** Features above the threshold at every character of the span (and off around it if asked), by difference. */
  onThroughout: SpanFeatureScore[];
}

/**
 * rankCellsForSpan for dictionary features: the same two lists, read from
 * the sparse codes (k slots a character), so a window costs O(chars × k)
 * and never a dense [chars, features] matrix. A feature's value is its
 * activation where it is among the character's active features and 0
 * elsewhere; activations are ≥ 0, so a threshold below 0 holds everywhere.
 */
export function rankFeaturesForSpan(codes: SparseCodes, features: number, start: number, end: number, opts: SpanOptions): SpanFeatureRanking {
  const T = codes.rows;
  const from = Math.max(0, Math.min(T, Math.floor(start)));
  const to = Math.max(from, Math.min(T, Math.floor(end)));
  const top = Math.max(1, opts.top ?? 20);
  if (to === from) return { byDifference: [], onThroughout: [] };
  const around = Math.max(0, Math.floor(opts.offBeforeAfter ?? 0));
  const sumAll = new Float64Array(features);
  const sumIn = new Float64Array(features);
  /** Characters of the span where the feature is above the threshold. */
  const onIn = new Int32Array(features);
  /** Characters of the span where it fires at all, and its lowest activation there. */
  const firesIn = new Int32Array(features);
  const minFiring = new Float64Array(features).fill(Infinity);
  const onAround = new Uint8Array(features);
  const { k, index, value } = codes;
  // Codes [T, k]: each character's k slots, an unused slot holds value 0.
  for (let t = 0; t < T; t++) {
    const inSpan = t >= from && t < to;
    const nearSpan = !inSpan && t >= from - around && t < to + around;
    for (let s = t * k; s < (t + 1) * k; s++) {
      const v = value[s];
      if (v <= 0) continue;
      const j = index[s];
      sumAll[j] += v;
      if (inSpan) {
        sumIn[j] += v;
        firesIn[j]++;
        if (v < minFiring[j]) minFiring[j] = v;
        if (v > opts.threshold) onIn[j]++;
      } else if (nearSpan && v > opts.threshold) {
        onAround[j] = 1;
      }
    }
  }
  const nIn = to - from;
  const nOut = T - nIn;
  // A silent feature is 0 at every character: on throughout only when the threshold is below 0 (and then it is on around the span too).
  const silentOn = 0 > opts.threshold;
  const nearChars = Math.min(T, to + around) - Math.max(0, from - around) - nIn;
  const scores: SpanFeatureScore[] = [];
  const onThroughout: SpanFeatureScore[] = [];
  for (let j = 0; j < features; j++) {
    const inside = sumIn[j] / nIn;
    const outside = nOut > 0 ? (sumAll[j] - sumIn[j]) / nOut : 0;
    const minInside = firesIn[j] === nIn ? minFiring[j] : 0;
    const s: SpanFeatureScore = { feature: j, inside, outside, difference: inside - outside, minInside };
    scores.push(s);
    const allOn = silentOn ? true : onIn[j] === nIn;
    const offAround = silentOn ? nearChars === 0 : onAround[j] === 0;
    if (allOn && offAround && minInside > opts.threshold) onThroughout.push(s);
  }
  scores.sort((a, b) => Math.abs(b.difference) - Math.abs(a.difference) || a.feature - b.feature);
  onThroughout.sort((a, b) => b.difference - a.difference || a.feature - b.feature);
  return { byDifference: scores.slice(0, top), onThroughout: onThroughout.slice(0, top) };
}

/** on[t] += the number of these features above the threshold at character t (the sparse counterpart of addCellsOn). */
export function addFeaturesOn(codes: SparseCodes, features: readonly number[], threshold: number, on: Uint32Array): void {
  if (on.length !== codes.rows) throw new Error(`${on.length} counts for codes of ${codes.rows} characters`);
  const wanted = new Set(features);
  // Activations are ≥ 0: below a negative threshold every feature is on everywhere.
  if (threshold < 0) {
    for (let t = 0; t < codes.rows; t++) on[t] += wanted.size;
    return;
  }
  const { k, index, value } = codes;
  for (let t = 0; t < codes.rows; t++) {
    for (let s = t * k; s < (t + 1) * k; s++) if (value[s] > threshold && wanted.has(index[s])) on[t]++;
  }
}
