/**
 * What the panel shows, computed from a window recording: tracks (one value
 * per character), the concept and selection cell lists, gate saturation.
 * Plain data for postMessage; no vscode import, so it is tested in Node.
 */
import { Activations, CellRef, cellValues, describeCell } from '../../core/cells/activations';
import { gateSaturation } from '../../core/cells/gateSaturation';
import { rankCellsForConcept } from '../../core/cells/rankCellsForConcept';
import { SpanCellScore, rankCellsForSpan } from '../../core/cells/rankCellsForSpan';
import { BINARY_CONCEPTS, CONCEPT_NAMES, ConceptName } from '../../core/concepts/conceptNames';
import { labelConcepts } from '../../core/concepts/labelConcepts';
import { Language } from '../../core/concepts/language';
import { NamedCell } from '../../core/model/manifest';
import { TrackSpec } from './protocol';

/** Surprise is drawn at full color from this many bits up (a character the model gave 1/256). */
export const SURPRISE_FULL_SCALE_BITS = 8;

export interface TrackPayload {
  spec: TrackSpec;
  label: string;
  /** One value per recorded character of the window. */
  values: number[];
  /** The value drawn at full color; values are divided by it. */
  scale: number;
}

/** One line of a cell list: click it to add the cell as a track. */
export interface CellEntry {
  ref: CellRef;
  title: string;
  detail: string;
}

export interface GateChartLayer {
  layer: number;
  steps: number;
  /** Per gate (i, f, o): for each unit, the fraction of steps left- (< 0.1) and right-saturated (> 0.9). */
  gates: { name: string; left: number[]; right: number[] }[];
}

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

/** The values of one track over the window, with its color scale: h is in [−1, 1]; c is scaled to its largest |value|. */
export function buildTrack(act: Activations, spec: TrackSpec, named?: Record<string, NamedCell>): TrackPayload {
  const label = trackLabel(spec, named);
  if (spec.type === 'surprise') return { spec, label, values: Array.from(act.surprise), scale: SURPRISE_FULL_SCALE_BITS };
  const v = cellValues(act, spec);
  let scale = 1;
  if (spec.kind === 'c') {
    scale = 0;
    for (let i = 0; i < v.length; i++) scale = Math.max(scale, Math.abs(v[i]));
    if (!(scale > 0)) scale = 1;
  }
  return { spec, label, values: Array.from(v), scale };
}

/**
 * The concept cells to offer: each concept's named cell from the model's
 * manifest (with the score it was named for and the random model's score),
 * then the best cell for the concept measured on this window.
 */
export function conceptCells(
  act: Activations,
  fullText: string,
  windowStart: number,
  language: Language,
  named: Record<string, NamedCell> | undefined,
): CellEntry[] {
  const out: CellEntry[] = [];
  for (const [name, c] of Object.entries(named ?? {})) {
    const ref: CellRef = { layer: c.layer, cell: c.cell, kind: c.kind };
    const random = typeof c.randomR === 'number' ? ` · random model ${fmt(c.randomR)}` : '';
    const auroc = typeof c.auroc === 'number' ? ` · AUROC ${fmt(c.auroc)}` : '';
    out.push({ ref, title: `${name} · ${describeCell(ref)}`, detail: `model card: r = ${fmt(c.r)}${auroc}${random}` });
  }
  const labels = labelConcepts(fullText, language);
  for (const name of CONCEPT_NAMES) {
    const best = bestOnWindow(act, labels[name].subarray(windowStart, windowStart + act.chars), name);
    if (!best) continue;
    const ref: CellRef = { layer: best.layer, cell: best.cell, kind: best.kind };
    const auroc = best.auroc !== undefined ? ` · AUROC ${fmt(best.auroc)}` : '';
    out.push({ ref, title: `${name} · ${describeCell(ref)}`, detail: `this file: r = ${fmt(best.r)}${auroc}` });
  }
  return out;
}

function bestOnWindow(act: Activations, labels: ArrayLike<number>, name: ConceptName) {
  const ranking = rankCellsForConcept(act, labels, { top: 1, aurocCells: 1, probe: false, binary: BINARY_CONCEPTS.includes(name) });
  return ranking.constant ? undefined : ranking.cells[0];
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

function fmt(x: number): string {
  return (Math.round(x * 1000) / 1000).toFixed(3);
}
