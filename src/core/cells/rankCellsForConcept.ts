import { Activations, CellRef } from './activations';
import { trackCorrelations } from './correlation';
import { midRanks } from './ranks';
import { SparseProbe, SparseProbeOptions, fitSparseProbe } from './sparseProbe';
import { RankSlicing, runSliced, runToEnd } from './runSliced';

/** How well one cell tracks a concept. */
export interface CellScore extends CellRef {
  /** Pearson correlation with the concept over the recorded characters (kept for reference; not what ranks). */
  r: number;
  /**
   * Yes/no concepts: AUROC of the cell as a detector, taking either sign:
   * max(A, 1 − A), so 0.5 is chance and 1 a perfect detector whether the
   * cell goes up or down on "yes" (sign says which).
   */
  auroc?: number;
  /** Counts: Spearman ρ with the concept (ties averaged), signed. */
  rho?: number;
  /** +1 when the cell is higher where the concept is yes (or larger), −1 when lower. */
  sign: 1 | -1;
}

export interface RankOptions {
  /** Cells returned, best first (default 10). */
  top?: number;
  /** Fit a sparse probe (default true), with these options. */
  probe?: boolean | SparseProbeOptions;
}

export interface ConceptToRank {
  /** One value per recorded character. */
  labels: ArrayLike<number>;
  /** Treat the concept as yes/no; default: when every label is 0 or 1. */
  binary?: boolean;
}

export interface ConceptRanking {
  /** Best cells: yes/no concepts by sign-free AUROC, counts by |ρ| (ties: recording order, i.e. lower layer, h before c, lower unit). */
  cells: CellScore[];
  binary: boolean;
  /** The concept never changes over the recording: every score is chance and nothing can be learned. */
  constant: boolean;
  /** Characters where a yes/no concept is yes. */
  positives?: number;
  probe: SparseProbe | null;
}

/** Ranks every recorded cell for one concept; see rankCellsForConcepts. */
export function rankCellsForConcept(act: Activations, labels: ArrayLike<number>, opts: RankOptions & { binary?: boolean } = {}): ConceptRanking {
  return rankCellsForConcepts(act, [{ labels, binary: opts.binary }], opts)[0];
}

/** What one concept needs per cell, prepared once. */
interface Prepared {
  binary: boolean;
  constant: boolean;
  positives: number;
  /** Yes/no: 1 where yes. */
  isYes: Uint8Array | null;
  /** Counts: the labels' mid-ranks minus their mean, and their sum of squares. */
  rankDev: Float64Array | null;
  rankSS: number;
}

/**
 * Ranks every recorded cell for each concept the way a cell is read: a
 * yes/no concept (in a string, a comment, an if-condition) by AUROC taking
 * either sign, a count (indentation, column, bracket depth) by Spearman ρ.
 * Both use only the order of a cell's values, so c's heavy tails cannot hide
 * a cell that tracks the concept (Pearson r, kept beside them, can). Each
 * cell's values are ranked once and that ranking serves every concept:
 * AUROC is the Mann–Whitney statistic from the positives' rank sum, ρ the
 * Pearson r of the two rankings. Cost: per cell one sort of its T values
 * plus O(T) per concept. A sparse probe is fitted on the best candidates.
 */
export function rankCellsForConcepts(act: Activations, concepts: readonly ConceptToRank[], opts: RankOptions = {}): ConceptRanking[] {
  return runToEnd(rankingSteps(act, concepts, opts));
}

export type { RankSlicing } from './runSliced';

/** rankCellsForConcepts in time slices (for the extension host, where a window's ranking takes a second of CPU); the same result. */
export async function rankCellsForConceptsSliced(
  act: Activations,
  concepts: readonly ConceptToRank[],
  opts: RankOptions,
  slicing: RankSlicing,
): Promise<ConceptRanking[] | undefined> {
  return runSliced(rankingSteps(act, concepts, opts), slicing);
}

/** The ranking as steps: it pauses (yields) after each cell, and returns the rankings. */
function* rankingSteps(act: Activations, concepts: readonly ConceptToRank[], opts: RankOptions): Generator<void, ConceptRanking[]> {
  const T = act.chars;
  const prepared = concepts.map((c) => prepare(c, T));

  const scores: CellScore[][] = concepts.map(() => []);
  const column = new Float32Array(T);
  const sorted = new Float64Array(T);
  const ranks = new Float64Array(T);
  const meanRank = (T + 1) / 2;
  for (const track of act.tracks) {
    const U = track.units;
    const v = track.values;
    const r = concepts.map((c) => trackCorrelations(track, c.labels, T));
    for (let j = 0; j < U; j++) {
      // column[t] = values[t, j]
      for (let t = 0; t < T; t++) column[t] = v[t * U + j];
      midRanks(column, T, ranks, sorted);
      let ss = 0;
      for (let t = 0; t < T; t++) ss += (ranks[t] - meanRank) ** 2;
      prepared.forEach((p, k) => {
        const score: CellScore = { layer: track.layer, cell: j, kind: track.kind, r: r[k][j], sign: r[k][j] < 0 ? -1 : 1 };
        if (p.constant) {
          if (p.binary) score.auroc = 0.5;
          else score.rho = 0;
        } else if (p.isYes) {
          const a = aurocFromRanks(ranks, p.isYes, p.positives, T);
          score.auroc = Math.max(a, 1 - a);
          score.sign = a < 0.5 ? -1 : 1;
        } else if (p.rankDev) {
          let sxy = 0;
          for (let t = 0; t < T; t++) sxy += (ranks[t] - meanRank) * p.rankDev[t];
          const denom = Math.sqrt(ss * p.rankSS);
          const rho = denom > 0 ? Math.max(-1, Math.min(1, sxy / denom)) : 0;
          score.rho = rho;
          score.sign = rho < 0 ? -1 : 1;
        }
        scores[k].push(score);
      });
      yield;
    }
  }

  const top = Math.max(1, opts.top ?? 10);
  return prepared.map((p, k) => {
    const all = scores[k];
    // Array sort is stable: equal strengths keep the recording order.
    all.sort((a, b) => strength(b) - strength(a));
    const probeOpts = opts.probe ?? true;
    const probe = probeOpts === false || p.constant ? null : fitSparseProbe(act, concepts[k].labels, all, probeOpts === true ? {} : probeOpts);
    return { cells: all.slice(0, top), binary: p.binary, constant: p.constant, ...(p.binary ? { positives: p.positives } : {}), probe };
  });
}

/** What ranks a cell: sign-free AUROC for yes/no, |ρ| for counts. */
function strength(s: CellScore): number {
  return s.auroc !== undefined ? s.auroc : Math.abs(s.rho ?? 0);
}

function prepare(c: ConceptToRank, T: number): Prepared {
  const labels = c.labels;
  if (labels.length < T) throw new Error(`${labels.length} labels for ${T} recorded characters`);
  let allZeroOne = true;
  let positives = 0;
  let constant = true;
  for (let t = 0; t < T; t++) {
    const y = labels[t];
    if (y !== 0 && y !== 1) allZeroOne = false;
    if (y > 0.5) positives++;
    if (y !== labels[0]) constant = false;
  }
  const binary = c.binary ?? allZeroOne;
  if (binary) {
    const isYes = new Uint8Array(T);
    for (let t = 0; t < T; t++) isYes[t] = labels[t] > 0.5 ? 1 : 0;
    return { binary, constant: constant || positives === 0 || positives === T, positives, isYes, rankDev: null, rankSS: 0 };
  }
  const rankDev = midRanks(labels, T, new Float64Array(T));
  const mean = (T + 1) / 2;
  let rankSS = 0;
  for (let t = 0; t < T; t++) {
    rankDev[t] -= mean;
    rankSS += rankDev[t] * rankDev[t];
  }
  return { binary, constant, positives, isYes: null, rankDev, rankSS };
}

/**
 * AUROC (the chance a random yes scores above a random no, ties half) from
 * the cells' mid-ranks: the Mann–Whitney U of the positives over P·N.
 */
export function aurocFromRanks(ranks: ArrayLike<number>, isYes: ArrayLike<number>, positives: number, n: number): number {
  const negatives = n - positives;
  if (positives === 0 || negatives === 0) return 0.5;
  let rankSum = 0;
  for (let t = 0; t < n; t++) if (isYes[t]) rankSum += ranks[t];
  return (rankSum - (positives * (positives + 1)) / 2) / (positives * negatives);
}
