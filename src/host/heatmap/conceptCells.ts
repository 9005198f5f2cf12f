/**
 * The panel's concept cell list: for each concept, the cells that stand out
 * in the open file's window, each with its score (AUROC for yes/no
 * concepts, Spearman ρ for counts) beside the random-init control, the best
 * score a randomly initialised model of the same shape reaches on the same
 * text. The model card's named cells come first. The concepts are labelled
 * from the file's tree-sitter tree where a grammar is shipped, else by the
 * hand-written lexers, as `lstm-lens cells` does. No vscode import.
 */
import { Activations, CellRef, describeCell } from '../../core/cells/activations';
import { CellScore, ConceptRanking, RankSlicing, rankCellsForConcepts, rankCellsForConceptsSliced } from '../../core/cells/rankCellsForConcept';
import { CellErrors, WeakestGroup, conceptErrors, weakestGroup } from '../../core/cells/whereCellErrs';
import { BINARY_CONCEPTS, CONCEPT_NAMES, ConceptLabels, ConceptName } from '../../core/concepts/conceptNames';
import { Language } from '../../core/concepts/language';
import { LabelSource, SyntaxLabels, SyntaxParsers, labelText } from '../../core/syntax';
import { NamedCell } from '../../core/model/manifest';
import { CellEntry } from './protocol';
import { fmt } from './viewModel';

/** Cells considered per concept; those above the control are listed (the best always is). */
export const CONCEPT_CANDIDATES = 5;

export type ConceptRankings = Record<ConceptName, ConceptRanking>;

/** A whole file's concept labels, and what made them. */
export interface FileConcepts {
  labels: ConceptLabels;
  /** Shown beside the list: the grammar, or the lexers and why no tree was made. */
  labelledBy: string;
  /** Every node type's characters, when a tree was made (for the node-type list). */
  syntax: SyntaxLabels | null;
}

/**
 * Labels a file's concepts from its grammar's tree (picked by the VS Code
 * language id or the file name) when one is shipped and loads, else with the
 * lexers of `language`. The whole file, so that a window starting inside a
 * comment or a string is labelled right.
 */
export async function labelFileConcepts(text: string, nameOrLanguageId: string, language: Language, parsers: SyntaxParsers): Promise<FileConcepts> {
  const labelled = await labelText(text, nameOrLanguageId, parsers, { fallback: language });
  return { labels: labelled.concepts, labelledBy: describeSource(labelled.source, language), syntax: labelled.syntax };
}

function describeSource(source: LabelSource, language: Language): string {
  return source.kind === 'tree-sitter' ? `Concepts labelled by the tree-sitter ${source.grammar} grammar.` : `Concepts labelled by the ${language} lexer: ${source.reason}.`;
}

/** Every concept ranked on a window recording; `labels` are the whole file's (see labelFileConcepts). */
export function rankConceptsOnWindow(act: Activations, labels: ConceptLabels, windowStart: number, top = CONCEPT_CANDIDATES): ConceptRankings {
  // One pass for all concepts: each cell's values are sorted once.
  return byName(rankCellsForConcepts(act, windowConcepts(act, labels, windowStart), { top, probe: false }));
}

/** rankConceptsOnWindow in time slices, for the extension host; undefined when cancelled. */
export async function rankConceptsOnWindowSliced(act: Activations, labels: ConceptLabels, windowStart: number, top: number, slicing: RankSlicing): Promise<ConceptRankings | undefined> {
  const rankings = await rankCellsForConceptsSliced(act, windowConcepts(act, labels, windowStart), { top, probe: false }, slicing);
  return rankings && byName(rankings);
}

function windowConcepts(act: Activations, labels: ConceptLabels, windowStart: number) {
  const windowed = windowLabels(act, labels, windowStart);
  return CONCEPT_NAMES.map((name) => ({ labels: windowed[name], binary: BINARY_CONCEPTS.includes(name) }));
}

/** The whole file's labels over the window's characters (views, not copies). */
function windowLabels(act: Activations, labels: ConceptLabels, windowStart: number): Record<ConceptName, Uint8Array | Uint16Array> {
  const out = {} as Record<ConceptName, Uint8Array | Uint16Array>;
  for (const name of CONCEPT_NAMES) out[name] = labels[name].subarray(windowStart, windowStart + act.chars);
  return out;
}

function byName(rankings: ConceptRanking[]): ConceptRankings {
  return Object.fromEntries(CONCEPT_NAMES.map((name, k) => [name, rankings[k]])) as ConceptRankings;
}

/** Where each yes/no concept's best cell errs on the window. */
export type ConceptErrors = Partial<Record<ConceptName, CellErrors>>;

/** conceptErrors of each yes/no concept's best cell on a window recording; `labels` are the whole file's. */
export function conceptErrorsOnWindow(act: Activations, labels: ConceptLabels, windowStart: number, rankings: ConceptRankings): ConceptErrors {
  const windowed = windowLabels(act, labels, windowStart);
  const out: ConceptErrors = {};
  for (const name of BINARY_CONCEPTS) {
    const best = rankings[name].cells[0];
    if (!rankings[name].constant && best) out[name] = conceptErrors(act, windowed, name, best);
  }
  return out;
}

const CONCEPT_NOUNS: Partial<Record<ConceptName, string>> = { inString: 'a string', inComment: 'a comment', inIfCondition: 'an if-condition' };

/** A weakest group in words: "comment text", "characters 33 and on of a string"... */
export function describeWeakest(concept: ConceptName, w: WeakestGroup): string {
  const noun = CONCEPT_NOUNS[concept] ?? 'a span';
  const words: Record<string, string> = {
    'span 1': `the first character of ${noun}`,
    'span 2-8': `characters 2 to 8 of ${noun}`,
    'span 9-32': `characters 9 to 32 of ${noun}`,
    'span 33+': `characters 33 and on of ${noun}`,
    'after span': `the 2 characters after ${noun}`,
    'in a comment': 'comment text',
    'in a string': 'string text',
    elsewhere: 'other code',
  };
  return `${words[w.group] ?? w.group} (AUROC ${w.auroc.toFixed(2)})`;
}

/**
 * The list: the model card's cells, then per concept the cells of `real`
 * whose score beats the control's best (`random`, when measured), at least
 * the best one, flagged when even it does not. With `errors`, a yes/no
 * concept's best cell says where it reads worst (at least 2% of its class).
 */
export function conceptEntries(named: Record<string, NamedCell> | undefined, real: ConceptRankings, random?: ConceptRankings, errors?: ConceptErrors): CellEntry[] {
  const out: CellEntry[] = [];
  for (const [name, c] of Object.entries(named ?? {})) {
    const ref: CellRef = { layer: c.layer, cell: c.cell, kind: c.kind };
    out.push({ ref, title: `${name} · ${describeCell(ref)}`, detail: `model card: ${namedScore(c)}`, group: 'model card' });
  }
  for (const name of CONCEPT_NAMES) {
    const ranking = real[name];
    if (ranking.constant || ranking.cells.length === 0) continue;
    const control = random && !random[name].constant ? random[name].cells[0] : undefined;
    const bar = control ? strength(control) : -Infinity;
    const shown = ranking.cells.filter((c, i) => i === 0 || strength(c) > bar);
    const controlText = control ? ` · random model ${scoreText(control.auroc, control.rho)}` : random ? '' : ' · random model: measuring…';
    const errs = errors?.[name];
    const weakest = errs ? weakestGroup(errs) : null;
    shown.forEach((c, i) => {
      const ref: CellRef = { layer: c.layer, cell: c.cell, kind: c.kind };
      const below = control && strength(c) <= bar ? ' (not above the random model)' : '';
      const weak = i === 0 && weakest ? ` · weakest on ${describeWeakest(name, weakest)}` : '';
      out.push({ ref, title: `${name} · ${describeCell(ref)}`, detail: `this file: ${scoreText(c.auroc, c.rho)} · r = ${fmt(c.r)}${controlText}${below}${weak}`, group: name });
    });
  }
  return out;
}

/** conceptEntries of one recording (and its control), ranked here. */
export function conceptCells(act: Activations, labels: ConceptLabels, windowStart: number, named: Record<string, NamedCell> | undefined, control?: Activations): CellEntry[] {
  const real = rankConceptsOnWindow(act, labels, windowStart);
  const random = control ? rankConceptsOnWindow(control, labels, windowStart, 1) : undefined;
  return conceptEntries(named, real, random, conceptErrorsOnWindow(act, labels, windowStart, real));
}

/** What ranks a cell: AUROC (sign-free) for yes/no concepts, |ρ| for counts. */
function strength(c: CellScore): number {
  return c.auroc ?? Math.abs(c.rho ?? 0);
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
