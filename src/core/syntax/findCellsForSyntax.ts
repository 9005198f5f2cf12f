import { Activations, CellRef } from '../cells/activations';
import { midRanks } from '../cells/ranks';
import { RankSlicing, runSliced, runToEnd } from '../cells/runSliced';
import { GrammarName } from './grammars';
import { RecordedSyntaxGroup, RecordedSyntaxLabels } from './recordedSyntaxLabels';

/** The cell that best separates a node type's characters from the rest. */
export interface SyntaxCell extends CellRef {
  /** Sign-free AUROC: max(A, 1 − A), so a cell that goes low inside counts as much as one that goes high. */
  auroc: number;
  /** +1: the cell is higher inside the node type; −1: lower. */
  sign: 1 | -1;
}

export interface SyntaxFinding {
  grammar: GrammarName;
  /** A named node type (`arguments`) or a parent's field (`for_statement.body`). */
  nodeType: string;
  /** Separate nodes, and characters inside and outside them. */
  nodes: number;
  positives: number;
  negatives: number;
  best: SyntaxCell;
  /** The same search on the control recording (a random model of the same shape), when given. */
  random: SyntaxCell | null;
}

export interface FindCellsForSyntaxOptions {
  /** A recording of the same characters by a random-init model of the same shape: the control. */
  control?: Activations;
}

/**
 * For every node type with enough characters inside and outside it, the
 * recorded cell (any layer, h or c) whose value best separates the two, by
 * AUROC, beside the best the control recording offers; best first. One
 * sort per cell serves every node type (see midRanks).
 */
export function findCellsForSyntax(recording: Activations, labels: RecordedSyntaxLabels, opts: FindCellsForSyntaxOptions = {}): SyntaxFinding[] {
  return runToEnd(syntaxRankingSteps(recording, labels, opts));
}

/**
 * findCellsForSyntax in time slices, for the extension host (a window of
 * the open file against every node type is a sort per cell, twice with
 * the control); the same result, or undefined when cancelled.
 */
export function findCellsForSyntaxSliced(recording: Activations, labels: RecordedSyntaxLabels, opts: FindCellsForSyntaxOptions, slicing: RankSlicing): Promise<SyntaxFinding[] | undefined> {
  return runSliced(syntaxRankingSteps(recording, labels, opts), slicing);
}

/** The ranking as steps: it yields after each cell, and returns the findings. */
function* syntaxRankingSteps(recording: Activations, labels: RecordedSyntaxLabels, opts: FindCellsForSyntaxOptions): Generator<void, SyntaxFinding[]> {
  const out: SyntaxFinding[] = [];
  for (const group of labels.groups) {
    const best = yield* bestCells(recording, group);
    const random = opts.control ? yield* bestCells(opts.control, group) : null;
    group.keys.forEach((k, i) => {
      out.push({ grammar: group.grammar, nodeType: k.key, nodes: k.nodes, positives: k.positives, negatives: k.negatives, best: best[i], random: random ? random[i] : null });
    });
  }
  return out.sort((a, b) => b.best.auroc - a.best.auroc || (a.nodeType < b.nodeType ? -1 : 1));
}

/** The best cell for each of a group's keys (same order as group.keys); yields after each cell. */
function* bestCells(act: Activations, group: RecordedSyntaxGroup): Generator<void, SyntaxCell[]> {
  const n = group.rows.length;
  if (n > 0 && group.rows[n - 1] >= act.chars) throw new Error(`the labels reach row ${group.rows[n - 1]} of a ${act.chars}-character recording`);
  const best: SyntaxCell[] = group.keys.map(() => ({ layer: 0, cell: 0, kind: 'h', auroc: 0, sign: 1 }));
  const column = new Float32Array(n);
  const ranks = new Float64Array(n);
  const scratch = new Float64Array(n);
  const allRanks = (n * (n + 1)) / 2;
  for (const track of act.tracks) {
    const U = track.units;
    for (let j = 0; j < U; j++) {
      // column[i] = values[rows[i], j]: this cell over the group's characters.
      for (let i = 0; i < n; i++) column[i] = track.values[group.rows[i] * U + j];
      midRanks(column, n, ranks, scratch);
      group.keys.forEach((k, q) => {
        let sum = 0;
        for (let i = 0; i < k.indices.length; i++) sum += ranks[k.indices[i]];
        const rankOfPositives = k.complement ? allRanks - sum : sum;
        const a = (rankOfPositives - (k.positives * (k.positives + 1)) / 2) / (k.positives * k.negatives);
        const signFree = Math.max(a, 1 - a);
        if (signFree > best[q].auroc) best[q] = { layer: track.layer, cell: j, kind: track.kind, auroc: signFree, sign: a >= 0.5 ? 1 : -1 };
      });
      yield;
    }
  }
  return best;
}
