import { createHash } from 'crypto';
import * as fs from 'fs';
import * as path from 'path';
import { filesUnder } from '../../core/corpus/filesUnder';
import { resultProvenance } from '../../bench/resultProvenance';
import { ConceptLabelsResult, benchConceptLabels } from '../../bench/conceptLabelsBench';
import { ConceptSource } from '../../core/cells/findCellsForConcepts';
import { errorGroupsText } from '../../core/cells/whereCellErrs';
import { languageForFile } from '../../core/concepts/language';
import { Engine } from '../../core/engine';
import { createFastestOps } from '../../core/kernels/wasmOps';
import { loadModel } from '../../core/model/modelFiles';
import { SyntaxParsers } from '../../core/syntax';
import { UsageError, num, parseArgs, str } from '../args';
import { bundledModelDir } from '../modelLocation';
import { note, printJson } from '../output';

export const CONCEPT_LABELS_BENCH_USAGE = 'bench concept-labels [--model DIR] [--files N] [--max-chars N] [--json] FOLDER...';

/** Files shorter than this are left out: a file's first characters are mostly its license header. */
const MIN_FILE_CHARS = 1000;

/**
 * Per folder (one language's held-out packages), the model's best cell per
 * concept against the lexers' labels and against the tree-sitter labels,
 * each beside the random-init control (see src/bench/conceptLabelsBench.ts).
 */
export async function conceptLabelsBenchCommand(argv: string[]): Promise<number> {
  const a = parseArgs(argv, { values: { model: 'string', files: 'int', 'max-chars': 'int' }, switches: ['json'] });
  if (a.positional.length === 0) throw new UsageError(`name at least one folder: ${CONCEPT_LABELS_BENCH_USAGE}`);
  const perFolder = num(a, 'files', 10, 1, 10_000);
  const maxChars = num(a, 'max-chars', 40_000, 1, 10_000_000);
  const location = str(a, 'model') ?? bundledModelDir();
  const engine = new Engine(await loadModel(location), createFastestOps());
  const parsers = new SyntaxParsers();
  const folders: { folder: string; result: ConceptLabelsResult }[] = [];
  try {
    for (const folder of a.positional) {
      const files = pickFiles(folder, perFolder);
      if (files.length === 0) throw new Error(`${folder}: no source file of ${MIN_FILE_CHARS} characters or more`);
      note(`${folder}: ${files.length} files…`);
      folders.push({ folder, result: await benchConceptLabels(engine, files, parsers, maxChars) });
    }
  } finally {
    parsers.dispose();
  }
  if (a.flags.json) printJson({ model: location, maxChars, filesPerFolder: perFolder, folders, provenance: resultProvenance(null, location) });
  else {
    for (const { folder, result } of folders) {
      process.stdout.write(`${folder}: ${result.chars} characters of ${result.files} files (${result.treeFiles} labelled by tree-sitter)\n`);
      for (const r of result.rows) {
        const side = (s: typeof r.lexical) => (s ? `${s.cell} ${s.score.toFixed(3)} (random ${s.randomScore.toFixed(3)})` : 'constant');
        process.stdout.write(`  ${r.concept.padEnd(14)} lexical ${side(r.lexical).padEnd(40)} tree ${side(r.tree).padEnd(40)} labels differ on ${(100 * r.disagree).toFixed(1)}%\n`);
        if (r.treeErrors) process.stdout.write(`  ${''.padEnd(14)} where the tree's best cell errs, AUROC: ${errorGroupsText(r.treeErrors)}\n`);
      }
    }
  }
  return 0;
}

/**
 * Up to n source files of a folder (any depth) of a known language, in the
 * order of a hash of their path inside the folder: a fixed sample that does
 * not favour one package, the same on every checkout.
 */
export function pickFiles(folder: string, n: number): ConceptSource[] {
  const found = filesUnder(folder)
    .filter((full) => languageForFile(path.basename(full)) !== 'generic')
    .map((full) => {
      const rel = path.relative(folder, full).split(path.sep).join('/');
      return { rel, key: createHash('sha1').update(rel).digest('hex') };
    });
  found.sort((x, y) => (x.key < y.key ? -1 : 1));
  const out: ConceptSource[] = [];
  for (const f of found) {
    if (out.length >= n) break;
    const text = fs.readFileSync(path.join(folder, f.rel), 'utf8');
    if (text.length >= MIN_FILE_CHARS) out.push({ name: f.rel, text, language: languageForFile(f.rel) });
  }
  return out;
}
