/**
 * The panel's node-type list: every node type of the open file's grammar
 * ranked against every recorded cell on the window (core/syntax), and the
 * ones whose best cell beats the random-init control's best listed, each a
 * click away from being a track. No vscode import.
 */
import { Activations, describeCell } from '../../core/cells/activations';
import { RankSlicing } from '../../core/cells/runSliced';
import { MIN_NODES, MIN_SIDE_CHARS, SyntaxFinding, SyntaxLabels, findCellsForSyntaxSliced, syntaxLabelsForRecording, windowSyntaxLabels } from '../../core/syntax';
import { CellEntry } from './protocol';

/** The list's note until the random model has read the window (the list needs its control). */
export const SYNTAX_PENDING = 'Ranking every cell against every node type of the file’s grammar, once the random model has read the file…';

/** Node types listed at most: those furthest above the control, so the list stays readable. */
export const SYNTAX_LIST_MAX = 15;

/** What the list shows: its entries, and a line saying what was ranked. */
export interface SyntaxList {
  entries: CellEntry[];
  note: string;
}

/**
 * The node types of a window whose best cell beats the control's, the
 * largest margin over the control first (a keyword any random network
 * separates is no finding, however high its AUROC), at most `max`; the
 * note says how many were ranked.
 */
export function syntaxEntries(findings: readonly SyntaxFinding[], grammar: string, max = SYNTAX_LIST_MAX): SyntaxList {
  const margin = (f: SyntaxFinding) => f.best.auroc - (f.random?.auroc ?? 0.5);
  const standOut = findings.filter((f) => !f.random || f.best.auroc > f.random.auroc).sort((a, b) => margin(b) - margin(a) || b.best.auroc - a.best.auroc);
  const entries = standOut.slice(0, max).map((f): CellEntry => {
    const ref = { layer: f.best.layer, cell: f.best.cell, kind: f.best.kind };
    const control = f.random ? ` · random model AUROC ${f.random.auroc.toFixed(3)}` : '';
    return { ref, title: `${f.nodeType} · ${describeCell(ref)}`, detail: `this file: AUROC ${f.best.auroc.toFixed(3)}${control} · ${f.nodes} nodes, ${f.best.sign > 0 ? 'higher' : 'lower'} inside` };
  });
  const shown = entries.length < standOut.length ? `; the ${entries.length} furthest above it are listed` : '';
  return {
    entries,
    note: `${findings.length} node types of the tree-sitter ${grammar} grammar ranked on this window (those with at least ${MIN_NODES} nodes and ${MIN_SIDE_CHARS} characters inside and out); ${standOut.length} have a cell above the random model's best${shown}.`,
  };
}

/**
 * Ranks the window's cells (`act`, and the control's recording of the same
 * characters) against the node types of the whole file's labels cut to the
 * window, in time slices; undefined when cancelled.
 */
export async function syntaxListOnWindow(act: Activations, control: Activations, syntax: SyntaxLabels | null, windowStart: number, slicing: RankSlicing, noTree: string): Promise<SyntaxList | undefined> {
  if (!syntax) return { entries: [], note: `${noTree} No node types to rank.` };
  const window = windowSyntaxLabels(syntax, windowStart, windowStart + act.chars);
  // The defaults, which the note names.
  const labels = syntaxLabelsForRecording([{ start: 0, end: act.chars, textLength: act.chars }], [window]);
  const findings = await findCellsForSyntaxSliced(act, labels, { control }, slicing);
  return findings && syntaxEntries(findings, syntax.grammar);
}
