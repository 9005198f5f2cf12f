/**
 * What the panel shows, computed from a window recording: tracks (one value
 * per character), the concept and selection cell lists, gate saturation.
 * Plain data for postMessage; no vscode import, so it is tested in Node.
 */
import { Activations, CellRef, cellValues, describeCell } from '../../core/cells/activations';
import { SURPRISE_LIMIT_BITS, levelsOf, robustLimit, sparseLimit } from '../../core/cells/colorScale';
import { gateSaturation } from '../../core/cells/gateSaturation';
import { SparseCodes, featureValues } from '../../core/features/dictionary';
import { SpanCellScore, rankCellsForSpan } from '../../core/cells/rankCellsForSpan';
import { NamedCell } from '../../core/model/manifest';
import { CellEntry, GateChartLayer, TrackPayload, TrackSpec } from './protocol';

/** "inString" for a cell named in the manifest, else undefined. */
export function nameOf(ref: CellRef, named: Record<string, NamedCell> | undefined): string | undefined {
  if (!named) return undefined;
  for (const [name, c] of Object.entries(named)) if (c.layer === ref.layer && c.cell === ref.cell && c.kind === ref.kind) return name;
  return undefined;
}

/** A feature track's source: the window's sparse codes, and the concept each feature tracks best (for its label). */
export interface TrackFeatures {
  codes: SparseCodes;
  names?: ReadonlyMap<number, string>;
}

export function trackLabel(spec: TrackSpec, named?: Record<string, NamedCell>, features?: TrackFeatures): string {
  if (spec.type === 'surprise') return 'surprise (bits)';
  if (spec.type === 'feature') {
    const name = features?.names?.get(spec.index);
    return name ? `${name} · feature ${spec.index}` : `feature ${spec.index}`;
  }
  const name = nameOf(spec, named);
  return name ? `${name} · ${describeCell(spec)}` : describeCell(spec);
}

/**
 * The values of one track over the window, with its limit and color steps
 * (colorScale, shared with the exported page). A feature track needs the
 * window's codes.
 */
export function buildTrack(act: Activations, spec: TrackSpec, named?: Record<string, NamedCell>, features?: TrackFeatures): TrackPayload {
  const label = trackLabel(spec, named, features);
  if (spec.type === 'feature') {
    if (!features || features.codes.rows !== act.chars) throw new Error(`feature ${spec.index}: no dictionary codes for this recording`);
    const v = featureValues(features.codes, spec.index);
    const limit = sparseLimit(v);
    return { spec, label, values: Array.from(v), limit, levels: levelsOf(v, limit) };
  }
  const v = spec.type === 'surprise' ? act.surprise : cellValues(act, spec);
  const limit = spec.type === 'surprise' ? SURPRISE_LIMIT_BITS : robustLimit(v);
  return { spec, label, values: Array.from(v), limit, levels: levelsOf(v, limit) };
}

/** The view's tracks that can be drawn: feature tracks are left out while there are no codes (no dictionary, or not read yet). */
export function buildTracks(act: Activations, specs: readonly TrackSpec[], named?: Record<string, NamedCell>, features?: TrackFeatures): TrackPayload[] {
  const drawable = specs.filter((t) => t.type !== 'feature' || (features && features.codes.rows === act.chars));
  return drawable.map((t) => buildTrack(act, t, named, features));
}

export function selectionCells(act: Activations, start: number, end: number, top = 12): CellEntry[] {
  return rankCellsForSpan(act, start, end, { threshold: 0, top }).byDifference.map(spanEntry);
}

export function spanEntry(s: SpanCellScore): CellEntry {
  const ref: CellRef = { layer: s.layer, cell: s.cell, kind: s.kind };
  return { ref, title: describeCell(ref), detail: `inside ${fmt(s.inside)} · outside ${fmt(s.outside)} · min inside ${fmt(s.minInside)}` };
}

export function gateChart(act: Activations): GateChartLayer[] {
  return gateSaturation(act.gateCounts).map((l) => ({
    layer: l.layer,
    steps: l.steps,
    // i, f, o for an LSTM; z, r for a GRU; none for a plain RNN.
    gates: Object.entries(l.gates).map(([name, g]) => ({ name, left: Array.from(g.left), right: Array.from(g.right) })),
  }));
}

export function fmt(x: number): string {
  return (Math.round(x * 1000) / 1000).toFixed(3);
}
