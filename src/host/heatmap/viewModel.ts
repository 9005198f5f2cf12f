/**
 * What the panel shows, computed from a window recording: tracks (one value
 * per character), the concept and selection cell lists, gate saturation.
 * Plain data for postMessage; no vscode import, so it is tested in Node.
 */
import { Activations, CellRef, cellValues, describeCell } from '../../core/cells/activations';
import { SURPRISE_LIMIT_BITS, levelsOf, robustLimit } from '../../core/cells/colorScale';
import { gateSaturation } from '../../core/cells/gateSaturation';
import { rankCellsForConcepts } from '../../core/cells/rankCellsForConcept';
import { SpanCellScore, rankCellsForSpan } from '../../core/cells/rankCellsForSpan';
import { BINARY_CONCEPTS, CONCEPT_NAMES } from '../../core/concepts/conceptNames';
import { labelConcepts } from '../../core/concepts/labelConcepts';
import { Language } from '../../core/concepts/language';
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
    out.push({ ref, title: `${name} · ${describeCell(ref)}`, detail: `model card: ${namedScore(c)}` });
  }
  const labels = labelConcepts(fullText, language);
  // One ranking pass for all concepts: each cell's values are sorted once.
  const rankings = rankCellsForConcepts(
    act,
    CONCEPT_NAMES.map((name) => ({ labels: labels[name].subarray(windowStart, windowStart + act.chars), binary: BINARY_CONCEPTS.includes(name) })),
    { top: 1, probe: false },
  );
  CONCEPT_NAMES.forEach((name, k) => {
    const ranking = rankings[k];
    if (ranking.constant) return;
    const best = ranking.cells[0];
    const ref: CellRef = { layer: best.layer, cell: best.cell, kind: best.kind };
    out.push({ ref, title: `${name} · ${describeCell(ref)}`, detail: `this file: ${scoreText(best.auroc, best.rho)} · r = ${fmt(best.r)}` });
  });
  return out;
}

/** A named cell's stored scores: the one it was ranked by, r, and the random model's. */
function namedScore(c: NamedCell): string {
  const own = scoreText(numberOr(c.auroc), numberOr(c.rho));
  const random = scoreText(numberOr(c.randomAuroc), numberOr(c.randomRho), numberOr(c.randomR));
  return `${own ? `${own} · ` : ''}r = ${fmt(c.r)}${random ? ` · random model ${random}` : ''}`;
}

function scoreText(auroc: number | undefined, rho: number | undefined, r?: number): string {
  if (auroc !== undefined) return `AUROC ${fmt(auroc)}`;
  if (rho !== undefined) return `ρ = ${fmt(rho)}`;
  return r !== undefined ? `r = ${fmt(r)}` : '';
}

function numberOr(x: unknown): number | undefined {
  return typeof x === 'number' ? x : undefined;
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
    gates: (['i', 'f', 'o'] as const).map((g) => ({ name: g, left: Array.from(l.gates[g].left), right: Array.from(l.gates[g].right) })),
  }));
}

function fmt(x: number): string {
  return (Math.round(x * 1000) / 1000).toFixed(3);
}
