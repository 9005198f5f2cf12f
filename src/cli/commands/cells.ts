import * as fs from 'fs';
import * as path from 'path';
import { writeFileAtomic } from '../../core/atomicWrite';
import { CellRef, cellValues, describeCell } from '../../core/cells/activations';
import { CellsForConcepts, ConceptFinding, ConceptSource, findCellsForConcepts } from '../../core/cells/findCellsForConcepts';
import { CellScore } from '../../core/cells/rankCellsForConcept';
import { CellErrors, ErrorGroup, errorGroupsText } from '../../core/cells/whereCellErrs';
import { CountBand } from '../../core/cells/countCurve';
import { HeatmapFile, heatmapHtml } from '../../core/cells/heatmapHtml';
import { storeNamedCells } from '../../core/cells/namedCells';
import { CONCEPT_NAMES, ConceptName } from '../../core/concepts/conceptNames';
import { languageForFile } from '../../core/concepts/language';
import { Engine } from '../../core/engine';
import { createFastestOps } from '../../core/kernels/wasmOps';
import { MODEL_JSON, Model, loadModel, saveModel } from '../../core/model/modelFiles';
import { WeightDtype } from '../../core/model/weightsCodec';
import { describeSpec } from '../../core/modelSpec';
import { ParsedArgs, UsageError, num, parseArgs, str } from '../args';
import { CellsFeatures, dictionaryForCells, featureJson, featureLine, featuresForCells } from './cellsFeatures';
import { bundledModelDir } from '../modelLocation';
import { formatCount, note, printJson } from '../output';
import { resultProvenance } from '../../bench/resultProvenance';
import { readSourceFile } from '../readSourceFile';
import { syntaxCellsFor, syntaxJson, syntaxLines } from './cellsSyntax';
import { LabelSource, SyntaxParsers, labelConceptFiles, labelSummary } from '../../core/syntax';

export const CELLS_USAGE = 'cells --model DIR [--json] [--html OUT] [--max-chars N] [--save] [--syntax] [--lexical] [--features [--dictionary FILE]] FILE...';

/** Characters recorded by default, over all files: about 80 MiB of activations for a 2×256 model. */
const DEFAULT_MAX_CHARS = 20_000;

/**
 * Finds the cell that best tracks each concept (in a string, in a comment,
 * indentation, in an if condition, column, bracket depth) on the given
 * files (labelled from each file's tree-sitter tree where its grammar
 * loads, by the lexers otherwise or with --lexical), beside the best cell
 * of a random model of the same size; optionally
 * writes a heatmap page of the best cells and stores them in the manifest.
 */
export async function cellsCommand(argv: string[]): Promise<number> {
  const a = parseArgs(argv, { values: { model: 'string', html: 'string', 'max-chars': 'int', dictionary: 'string' }, switches: ['json', 'save', 'syntax', 'features', 'lexical'] });
  if (a.positional.length === 0) throw new UsageError('name at least one source file to find cells on');
  const maxChars = num(a, 'max-chars', DEFAULT_MAX_CHARS, 1, 10_000_000);
  const htmlOut = str(a, 'html');
  if (htmlOut !== undefined && htmlOut.trim() === '') throw new UsageError('--html needs a file name');
  if (htmlOut !== undefined && !fs.existsSync(path.dirname(path.resolve(htmlOut)))) throw new UsageError(`--html: the folder ${path.dirname(htmlOut)} does not exist`);

  const location = str(a, 'model') ?? bundledModelDir();
  const model = await loadModel(location);
  const files: ConceptSource[] = a.positional.map((file) => ({ name: file, text: readSourceFile(file), language: languageForFile(file) }));
  if (files.every((s) => s.text.length === 0)) throw new Error('the files are empty: nothing to record');
  const parsers = new SyntaxParsers();
  try {
    return await cellsOn(a, location, model, files, parsers, maxChars, htmlOut);
  } finally {
    parsers.dispose();
  }
}

async function cellsOn(a: ParsedArgs, location: string, model: Model, files: ConceptSource[], parsers: SyntaxParsers, maxChars: number, htmlOut: string | undefined): Promise<number> {
  // The concepts come from each file's syntax tree where a grammar loads (lexers elsewhere, or everywhere with --lexical).
  const labelled = a.flags.lexical ? null : await labelConceptFiles(files, parsers);
  const sources: ConceptSource[] = labelled ?? files;
  const labelledBy: LabelSource[] = labelled ? labelled.map((l) => l.source) : files.map(() => ({ kind: 'lexical', reason: '--lexical' }));

  const dictionary = a.flags.features ? await dictionaryForCells(model, location, str(a, 'dictionary')) : null;
  const engine = new Engine(model, createFastestOps());
  const started = Date.now();
  const quiet = Boolean(a.flags.json);
  const result = findCellsForConcepts(engine, sources, {
    maxChars,
    keepActivations: htmlOut !== undefined || Boolean(a.flags.syntax) || Boolean(a.flags.features),
    onProgress: quiet ? undefined : (m) => note(`${m}…`),
  });
  if (a.flags.syntax && !quiet) note('ranking cells against every syntax node type…');
  const syntax = a.flags.syntax ? await syntaxCellsFor(engine, sources, result.activations, maxChars, parsers) : undefined;
  const features = dictionary ? await featuresForCells(engine, model, dictionary, result, sources, quiet ? undefined : (m) => note(`${m}…`)) : null;
  const seconds = (Date.now() - started) / 1000;
  for (const name of CONCEPT_NAMES) {
    if (!result.concepts[name]) note(`${name}: constant on these files, no cell to name`);
  }

  if (htmlOut !== undefined) {
    const page = heatmapHtml({
      title: 'LSTM Lens: cells that track code concepts',
      subtitle: `${model.manifest.name} (${describeSpec(model.layout.spec)}), ${formatCount(result.chars)} characters`,
      files: heatmapFiles(result, sources),
    });
    await writeFileAtomic(path.resolve(htmlOut), page);
    if (!quiet) note(`heatmap written to ${htmlOut}`);
  }
  if (a.flags.save) {
    const dir = location.endsWith('.json') ? path.dirname(location) : location;
    storeNamedCells(model.manifest, result);
    await saveModel(dir, model, { dtype: savedDtype(dir) });
    if (!quiet) note(`named cells saved in ${dir}`);
  }

  if (quiet) {
    printJson({
      model: location,
      chars: result.chars,
      seconds,
      bitsPerChar: result.bitsPerChar,
      files: result.files.map((f, k) => ({ file: f.name, language: f.language, chars: f.chars, recorded: f.recorded, labelledBy: labelledBy[k] })),
      concepts: Object.fromEntries(CONCEPT_NAMES.map((name) => [name, conceptJson(result, name, features)])),
      ...(features ? { features: { file: features.file, fvu: round(features.metrics.fvu), deadFraction: round(features.metrics.deadFraction), meanActive: round(features.metrics.meanActive) } } : {}),
      saturation: result.saturation.map((s) => ({
        layer: s.layer,
        ...Object.fromEntries(Object.entries(s.gates).map(([g, f]) => [g, { left: round(f.meanLeft), right: round(f.meanRight) }])),
      })),
      ...(syntax ? { syntax: syntaxJson(syntax), syntaxLabelledBy: syntax.sources } : {}),
      ...(htmlOut !== undefined ? { html: htmlOut } : {}),
      ...(a.flags.save ? { saved: true } : {}),
      provenance: resultProvenance(null, location.endsWith('.json') ? path.dirname(location) : location),
    });
  } else {
    process.stdout.write(`${formatCount(result.chars)} characters, ${result.bitsPerChar.toFixed(3)} bits/char, ${seconds.toFixed(1)}s\n`);
    for (const name of CONCEPT_NAMES) {
      const errors = result.concepts[name]?.errors;
      const curve = result.concepts[name]?.curve;
      process.stdout.write(
        conceptLine(result, name) + '\n' + (errors ? errorsLine(errors) + '\n' : '') + (curve ? curveLine(curve) + '\n' : '') + (features && features.concepts[name] ? featureLine(features, name) + '\n' : ''),
      );
    }
    process.stdout.write(`concept labels: ${labelSummary(labelledBy)}\n`);
    if (syntax) for (const line of syntaxLines(syntax, a.positional)) process.stdout.write(line + '\n');
  }
  return 0;
}

function conceptJson(result: CellsForConcepts, name: ConceptName, features: CellsFeatures | null) {
  const best = result.concepts[name];
  if (!best) return null;
  const feature = features ? featureJson(features, name) : null;
  const random = result.randomBaseline?.[name];
  return {
    layer: best.layer,
    cell: best.cell,
    kind: best.kind,
    ...scoreJson(best),
    // The random-init control: the best cell of a random model of the same shape, ranked the same way.
    ...(random ? { random: { layer: random.layer, cell: random.cell, kind: random.kind, ...scoreJson(random) } } : {}),
    ...(best.probe ? { probe: probeJson(best) } : {}),
    top: best.top.slice(1).map((c) => ({ layer: c.layer, cell: c.cell, kind: c.kind, ...scoreJson(c) })),
    // Where the best cell errs: each group's AUROC against the whole other class.
    ...(best.errors ? { errors: errorsJson(best.errors) } : {}),
    // Counts: the cell's mean per band of the count, signed to rise with it.
    ...(best.curve ? { curve: best.curve.map((b) => ({ band: b.band, count: b.count, mean: round(b.mean) })) } : {}),
    ...(feature ? { feature } : {}),
  };
}

/** r always; auroc (sign-free) for yes/no concepts, rho for counts; sign says which way the cell moves. */
function scoreJson(s: CellScore) {
  return {
    r: round(s.r),
    ...(s.auroc !== undefined ? { auroc: round(s.auroc) } : {}),
    ...(s.rho !== undefined ? { rho: round(s.rho) } : {}),
    sign: s.sign,
  };
}

function errorsJson(e: CellErrors) {
  const groups = (list: ErrorGroup[]) => list.map((g) => ({ group: g.group, count: g.count, auroc: round(g.auroc) }));
  return { positives: groups(e.positives), negatives: groups(e.negatives) };
}

/** A count cell's curve on one line: its mean per band, signed to rise with the count. */
function curveLine(curve: CountBand[]): string {
  return `${''.padEnd(15)}mean by level (rises where it counts): ${curve.map((b) => `${b.band} ${b.mean.toFixed(2)}`).join(', ')}`;
}

/** The error groups on one line: the yes-characters by position in the span, then the no-characters by where they are. */
function errorsLine(e: CellErrors): string {
  return `${''.padEnd(15)}where it errs, AUROC per group: ${errorGroupsText(e)}`;
}

function probeJson(best: ConceptFinding) {
  const p = best.probe;
  if (!p) return undefined;
  return {
    heldOutR: round(p.heldOutR),
    bestSingleHeldOutR: round(p.bestSingleHeldOutR),
    cells: p.cells.map((c) => ({ layer: c.layer, cell: c.cell, kind: c.kind, weight: round(c.weight) })),
  };
}

function conceptLine(result: CellsForConcepts, name: ConceptName): string {
  const best = result.concepts[name];
  if (!best) return `${name.padEnd(14)} constant on these files`;
  const random = result.randomBaseline?.[name];
  const rnd = random ? `  (random model: ${rankScore(random)}, r ${random.r.toFixed(3)})` : '';
  const probe = best.probe ? `  probe of ${best.probe.cells.length}: held-out r ${best.probe.heldOutR.toFixed(3)}` : '';
  return `${name.padEnd(14)} ${describeCell(best).padEnd(18)} ${rankScore(best)}  r ${best.r.toFixed(3).padStart(6)}${rnd}${probe}`;
}

/** The score a cell was ranked by: AUROC for yes/no concepts, ρ for counts. */
function rankScore(s: CellScore): string {
  return s.auroc !== undefined ? `AUROC ${s.auroc.toFixed(3)}` : `rho ${(s.rho ?? 0).toFixed(3).padStart(6)}`;
}

/** The files once per distinct best cell, labelled with the concepts it is best for. */
function heatmapFiles(result: CellsForConcepts, sources: ConceptSource[]): HeatmapFile[] {
  const act = result.activations;
  if (!act) return [];
  const chosen: { ref: CellRef; label: string }[] = [];
  for (const name of CONCEPT_NAMES) {
    const best = result.concepts[name];
    if (!best) continue;
    const random = result.randomBaseline?.[name];
    const label = `${name} (${rankScore(best)}${random ? `, random model ${rankScore(random)}` : ''})`;
    const same = chosen.find((c) => c.ref.layer === best.layer && c.ref.cell === best.cell && c.ref.kind === best.kind);
    if (same) same.label += `, ${label}`;
    else chosen.push({ ref: { layer: best.layer, cell: best.cell, kind: best.kind }, label });
  }
  return sources.map((src, k) => {
    const seg = act.segments[k];
    return {
      name: src.name ?? `file ${k + 1}`,
      text: src.text,
      tracks: chosen.map((c) => ({
        label: `${describeCell(c.ref)}: ${c.label}`,
        // Limit: the 99th percentile of |value| over this file (colorScale.robustLimit, heatmapHtml's default), as in the panel.
        values: cellValues(act, c.ref, seg.start, seg.end),
      })),
    };
  });
}

/** The weight encoding the model was saved with, so that --save does not change its size. */
function savedDtype(dir: string): WeightDtype {
  try {
    const json = JSON.parse(fs.readFileSync(path.join(dir, MODEL_JSON), 'utf8')) as { weightsManifest?: { weights?: { quantization?: { dtype?: string } }[] }[] };
    const q = json.weightsManifest?.[0]?.weights?.[0]?.quantization?.dtype;
    return q === 'float16' || q === 'uint8' ? q : 'float32';
  } catch {
    return 'float32';
  }
}

function round(x: number): number {
  return Math.round(x * 1e4) / 1e4;
}
