import { Activations, describeCell } from '../../core/cells/activations';
import { RecordingEngine } from '../../core/cells/recordActivations';
import { CellsForSyntax, SyntaxCell, SyntaxFinding, SyntaxParsers, cellsForSyntax } from '../../core/syntax';

/** Node types printed in the text report (the JSON has them all). */
const PRINTED = 15;

/**
 * `cells --syntax`: every node type of the files' grammars with the cell
 * that best separates it (AUROC) and the random control's best. Reuses the
 * concept search's recording when it kept one, and the caller's parsers.
 */
export function syntaxCellsFor(engine: RecordingEngine, files: readonly { name?: string; text: string }[], recording: Activations | undefined, maxChars: number, parsers: SyntaxParsers): Promise<CellsForSyntax> {
  return cellsForSyntax(
    engine,
    files.map((f, k) => ({ name: f.name ?? `file ${k + 1}`, text: f.text })),
    parsers,
    { maxChars, ...(recording ? { recording } : {}) },
  );
}

/** JSON: `syntax.<nodeType>` (`<grammar>:<nodeType>` when the files mix grammars), best AUROC first. */
export function syntaxJson(found: CellsForSyntax): Record<string, unknown> {
  const mixed = new Set(found.findings.map((f) => f.grammar)).size > 1;
  return Object.fromEntries(found.findings.map((f) => [mixed ? `${f.grammar}:${f.nodeType}` : f.nodeType, findingJson(f)]));
}

function findingJson(f: SyntaxFinding) {
  return {
    ...cellJson(f.best),
    sign: f.best.sign,
    nodes: f.nodes,
    positives: f.positives,
    negatives: f.negatives,
    ...(f.random ? { random: cellJson(f.random) } : {}),
  };
}

function cellJson(c: SyntaxCell) {
  return { layer: c.layer, cell: c.cell, kind: c.kind, auroc: Math.round(c.auroc * 1e4) / 1e4 };
}

/** Text: what labelled each file, then the best node types. */
export function syntaxLines(found: CellsForSyntax, names: readonly string[]): string[] {
  const lines = found.sources.map((s, k) => `${names[k]}: ${s.kind === 'tree-sitter' ? `tree-sitter ${s.grammar}` : `lexical (${s.reason})`}`);
  lines.push(`syntax node types (${found.findings.length} ranked; best ${Math.min(PRINTED, found.findings.length)}):`);
  for (const f of found.findings.slice(0, PRINTED)) {
    const rnd = f.random ? `  (random model: AUROC ${f.random.auroc.toFixed(3)})` : '';
    lines.push(`  ${f.nodeType.padEnd(32)} ${describeCell(f.best).padEnd(18)} AUROC ${f.best.auroc.toFixed(3)}${rnd}`);
  }
  return lines;
}
