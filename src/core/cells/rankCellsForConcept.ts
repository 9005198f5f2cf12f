import { Activations, CellRef, trackOf } from './activations';
import { auroc } from './auroc';
import { trackCorrelations } from './correlation';
import { SparseProbe, SparseProbeOptions, fitSparseProbe } from './sparseProbe';

/** How well one cell tracks a concept. */
export interface CellScore extends CellRef {
  /** Pearson correlation with the concept over the recorded characters. */
  r: number;
  /** For yes/no concepts: AUROC of the cell's value as a detector (0.5 chance, < 0.5 means it fires on "no"). */
  auroc?: number;
}

export interface RankOptions {
  /** Cells returned, best first (default 10). */
  top?: number;
  /** For yes/no concepts, AUROC is computed for this many best cells by |r| (default 32; sorting costs O(n log n) per cell). */
  aurocCells?: number;
  /** Fit a sparse probe (default true), with these options. */
  probe?: boolean | SparseProbeOptions;
  /** Treat the concept as yes/no; default: when every label is 0 or 1. */
  binary?: boolean;
}

export interface ConceptRanking {
  /** Best cells by |r| (ties: lower layer, h before c as recorded, lower unit). */
  cells: CellScore[];
  binary: boolean;
  /** The concept never changes over the recording: every r is 0 and nothing can be learned. */
  constant: boolean;
  /** Characters where a yes/no concept is yes. */
  positives?: number;
  probe: SparseProbe | null;
}

/**
 * Ranks every recorded cell by |Pearson r| with a per-character concept
 * (labels: one value per recorded character), adds AUROC for yes/no
 * concepts, and fits a sparse probe on the best candidates.
 */
export function rankCellsForConcept(act: Activations, labels: ArrayLike<number>, opts: RankOptions = {}): ConceptRanking {
  const T = act.chars;
  if (labels.length < T) throw new Error(`${labels.length} labels for ${T} recorded characters`);
  let binary = true;
  let positives = 0;
  let constant = true;
  for (let t = 0; t < T; t++) {
    const y = labels[t];
    if (y !== 0 && y !== 1) binary = false;
    if (y === 1) positives++;
    if (y !== labels[0]) constant = false;
  }
  binary = opts.binary ?? binary;

  const all: CellScore[] = [];
  for (const track of act.tracks) {
    const r = trackCorrelations(track, labels, T);
    for (let j = 0; j < track.units; j++) all.push({ layer: track.layer, cell: j, kind: track.kind, r: r[j] });
  }
  all.sort((a, b) => Math.abs(b.r) - Math.abs(a.r));

  const top = Math.max(1, opts.top ?? 10);
  if (binary && !constant) {
    const isYes = new Uint8Array(T);
    for (let t = 0; t < T; t++) isYes[t] = labels[t] > 0.5 ? 1 : 0;
    const column = new Float32Array(T);
    for (const score of all.slice(0, Math.max(top, opts.aurocCells ?? 32))) {
      const track = trackOf(act, score.layer, score.kind);
      if (!track) continue;
      // column[t] = values[t, cell]
      for (let t = 0; t < T; t++) column[t] = track.values[t * track.units + score.cell];
      score.auroc = auroc(column, isYes);
    }
  }
  const probeOpts = opts.probe ?? true;
  const probe = probeOpts === false || constant ? null : fitSparseProbe(act, labels, all, probeOpts === true ? {} : probeOpts);
  return { cells: all.slice(0, top), binary, constant, ...(binary ? { positives } : {}), probe };
}
