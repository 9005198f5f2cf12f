/**
 * What the panel shows, computed from a window recording: tracks (one value
 * per character), the concept and selection cell lists, gate saturation.
 * Plain data for postMessage; no vscode import, so it is tested in Node.
 */
import { Activations, CellRef, cellValues, describeCell } from '../../core/cells/activations';
import { SURPRISE_LIMIT_BITS, levelsOf, robustLimit } from '../../core/cells/colorScale';
import { gateSaturation } from '../../core/cells/gateSaturation';
import { SpanCellScore, rankCellsForSpan } from '../../core/cells/rankCellsForSpan';
import { NamedCell } from '../../core/model/manifest';
import { CellEntry, GateChartLayer, TrackPayload, TrackSpec } from './protocol';

/** "inString" for a cell named in the manifest, else undefined. */
export function nameOf(ref: CellRef, named: Record<string, NamedCell> | undefined): string | undefined {
  if (!named) return undefined;
  for (const [name, c] of Object.entries(named)) if (c.layer === ref.layer && c.cell === ref.cell && c.kind === ref.kind) return name;
  return undefined;
}

export function trackLabel(spec: TrackSpec, named?: Record<string, NamedCell>): string {
  if (spec.type === 'surprise') return 'surprise (bits)';
  const name = nameOf(spec, named);
  return name ? `${name} · ${describeCell(spec)}` : describeCell(spec);
}

/** The values of one track over the window, with its limit and color steps (colorScale, shared with the exported page). */
export function buildTrack(act: Activations, spec: TrackSpec, named?: Record<string, NamedCell>): TrackPayload {
  const label = trackLabel(spec, named);
  const v = spec.type === 'surprise' ? act.surprise : cellValues(act, spec);
  const limit = spec.type === 'surprise' ? SURPRISE_LIMIT_BITS : robustLimit(v);
  return { spec, label, values: Array.from(v), limit, levels: levelsOf(v, limit) };
}

/** Cells whose mean inside [start, end) of the window differs most from outside (LSTMVis hypothesis selection). */
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
