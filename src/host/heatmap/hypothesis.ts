/**
 * LSTMVis hypothesis search on a window recording: the cells (and, when the
 * model has a sparse dictionary, the features) on (above the threshold) at
 * every character of the selected span, optionally off for a few
 * characters just before and after it, and the other places in the window
 * where all of them are on together. No vscode import.
 */
import { CellRef } from '../../core/cells/activations';
import { addCellsOn, matchRuns } from '../../core/cells/findMatches';
import { rankCellsForSpan } from '../../core/cells/rankCellsForSpan';
import { WindowActivations } from '../../core/cells/recordWindow';
import { SpanFeatureScore, addFeaturesOn, rankFeaturesForSpan } from '../../core/features/featureSpans';
import { WindowFeatures } from './featureList';
import { CellEntry, FeatureEntry } from './protocol';
import { fmt, spanEntry } from './viewModel';

/** Most cells a hypothesis keeps: more cells rarely add precision and make matching slower. */
export const MAX_HYPOTHESIS_CELLS = 10;
/** Most dictionary features a hypothesis keeps, for the same reason. */
export const MAX_HYPOTHESIS_FEATURES = 10;

export interface FileMatch {
  /** Document offsets. */
  start: number;
  end: number;
  overlap: number;
}

export interface HypothesisResult {
  cells: CellEntry[];
  features: FeatureEntry[];
  matches: FileMatch[];
}

/**
 * start and end are document offsets inside the window; `features` are the
 * window's dictionary codes (absent: cells only). A match is a run where
 * every cell and every feature of the hypothesis is on.
 */
export function hypothesisInWindow(act: WindowActivations, start: number, end: number, threshold: number, offAround: number, features?: WindowFeatures): HypothesisResult {
  const from = start - act.offset;
  const to = end - act.offset;
  const ranking = rankCellsForSpan(act, from, to, { threshold, offBeforeAfter: offAround, top: MAX_HYPOTHESIS_CELLS });
  const refs: CellRef[] = ranking.onThroughout.map((s) => ({ layer: s.layer, cell: s.cell, kind: s.kind }));
  const feats = features && features.codes.rows === act.chars ? rankFeaturesForSpan(features.codes, features.features, from, to, { threshold, offBeforeAfter: offAround, top: MAX_HYPOTHESIS_FEATURES }).onThroughout : [];
  const on = new Uint32Array(act.chars); // [chars]: how many of the hypothesis's cells and features are on
  addCellsOn(act, refs, threshold, on);
  if (features && feats.length > 0) addFeaturesOn(features.codes, feats.map((f) => f.feature), threshold, on);
  const matches = matchRuns(on, refs.length + feats.length, { exclude: { start: from, end: to }, minLength: Math.max(1, Math.min(to - from, 2)) }).map((m) => ({
    start: m.start + act.offset,
    end: m.end + act.offset,
    overlap: m.overlap,
  }));
  return { cells: ranking.onThroughout.map(spanEntry), features: feats.map(spanFeatureEntry), matches };
}

export function spanFeatureEntry(s: SpanFeatureScore): FeatureEntry {
  return { feature: s.feature, title: `feature ${s.feature}`, detail: `inside ${fmt(s.inside)} · outside ${fmt(s.outside)} · min inside ${fmt(s.minInside)}` };
}
