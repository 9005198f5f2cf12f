import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { performance } from 'perf_hooks';
import { UsageError, num, parseArgs, requireStr, str } from '../cli/args';
import { note, printJson } from '../cli/output';
import { auroc } from '../core/cells/auroc';
import { trackCorrelations } from '../core/cells/correlation';
import { RecordingEngine } from '../core/cells/recordActivations';
import { BINARY_CONCEPTS, CONCEPT_NAMES, ConceptName } from '../core/concepts/conceptNames';
import { Language, languageForFile } from '../core/concepts/language';
import { Engine } from '../core/engine';
import { SparseDictionary, encodeStates } from '../core/features/dictionary';
import { measureDictionary } from '../core/features/dictionaryMetrics';
import { randomEngineLike } from '../core/features/findFeaturesForConcepts';
import { conceptLabelsForStates, featureColumns, labelFeatures } from '../core/features/labelFeatures';
import { preActivationColumn, preActivationCorrelations } from '../core/features/preActivations';
import { averageRanks, sparseAuroc, sparseSpearman } from '../core/features/rankCorrelation';
import { linearBaselineFvu } from '../core/features/principalSubspace';
import { StateMatrix, describeStateDim, recordStates } from '../core/features/stateMatrix';
import { trainDictionary } from '../core/features/trainDictionary';
import { createFastestOps } from '../core/kernels/wasmOps';
import { loadModel } from '../core/model/modelFiles';
import { resultProvenance } from './resultProvenance';

export const FEATURES_BENCH_USAGE =
  'bench features --model DIR --train DIR[,DIR...] --eval DIR[,DIR...] [--train-chars N] [--eval-chars N] [--epochs N] [--features N] [--k N] [--batch N] [--lr X] [--nested off|M,M...] [--batch-topk] [--no-random] [--json]';

interface SourceFile {
  name: string;
  text: string;
  language: Language;
}

/** .ts/.js sources under the folders (declaration files and maps left out), in path order. */
function sourcesUnder(dirs: string[]): SourceFile[] {
  const out: SourceFile[] = [];
  for (const dir of dirs) {
    const names = (fs.readdirSync(dir, { recursive: true }) as string[]).filter((n) => /\.(ts|js|mjs|cjs)$/.test(n) && !n.endsWith('.d.ts')).sort();
    for (const n of names) {
      const p = path.join(dir, n);
      if (fs.statSync(p).isFile()) out.push({ name: p, text: fs.readFileSync(p, 'utf8'), language: languageForFile(p) });
    }
  }
  if (out.length === 0) throw new UsageError(`no .ts or .js files under ${dirs.join(', ')}`);
  return out;
}

/** An AUROC read either way round: a cell or score that is low on "yes" separates as well as one that is high. */
function separation(a: number): number {
  return Math.max(a, 1 - a);
}

/** Best of `candidates` by training AUROC, then its held-out AUROC. */
function pickByAuroc(candidates: number[], trainColumn: (j: number) => Float32Array, evalColumn: (j: number) => Float32Array, trainY: Float32Array, evalY: Float32Array) {
  let best = candidates[0];
  let bestTrain = 0.5;
  for (const j of candidates) {
    const a = auroc(trainColumn(j), trainY);
    if (Math.abs(a - 0.5) > Math.abs(bestTrain - 0.5)) {
      best = j;
      bestTrain = a;
    }
  }
  const heldOut = auroc(evalColumn(best), evalY);
  return { index: best, trainAuroc: round(bestTrain), auroc: round(heldOut), separation: round(separation(heldOut)) };
}

/** How many of the rows are labelled yes (or no). */
function firedOn(rows: ArrayLike<number>, y: Float32Array, yes: boolean): number {
  let count = 0;
  for (let i = 0; i < rows.length; i++) if (y[rows[i]] > 0.5 === yes) count++;
  return count;
}

function column(states: StateMatrix, d: number): Float32Array {
  const out = new Float32Array(states.rows);
  for (let t = 0; t < states.rows; t++) out[t] = states.values[t * states.dim + d];
  return out;
}

function topByAbs(r: ArrayLike<number>, n: number): number[] {
  return Array.from({ length: r.length }, (_, j) => j)
    .sort((a, b) => Math.abs(r[b]) - Math.abs(r[a]) || a - b)
    .slice(0, n);
}

/**
 * Records one model's states on the training and held-out files, trains a
 * dictionary on the training states (timed), and measures it on the
 * held-out states: reconstruction, sparsity, and per concept the best
 * feature, the best feature pre-activation and the best single cell, each
 * chosen on the training characters and scored on the held-out ones.
 */
async function measureModel(label: string, engine: RecordingEngine, train: SourceFile[], held: SourceFile[], opts: BenchSettings) {
  note(`${label}: recording ${opts.trainChars} training characters`);
  let t = performance.now();
  const trainStates = recordStates(
    engine,
    train.map((f) => f.text),
    opts.trainChars,
  );
  const recordSeconds = (performance.now() - t) / 1000;
  note(`${label}: training the dictionary`);
  const cpu = process.cpuUsage();
  t = performance.now();
  let lastNote = 0;
  const trained = await trainDictionary(trainStates, {
    features: opts.features ?? undefined,
    k: opts.k,
    epochs: opts.epochs,
    batch: opts.batch ?? undefined,
    learningRate: opts.lr ?? undefined,
    nested: opts.nested ?? undefined,
    batchTopK: opts.batchTopK,
    seed: 1,
    onProgress: (p) => {
      if (p.seconds - lastNote < 15) return;
      lastNote = p.seconds;
      note(`  ${p.rowsSeen} rows, FVU ${p.fvu.toFixed(3)}, dead ${p.dead}, ${p.seconds.toFixed(0)}s`);
    },
  });
  const trainWall = (performance.now() - t) / 1000;
  const used = process.cpuUsage(cpu);
  const trainCpu = (used.user + used.system) / 1e6;
  const dict: SparseDictionary = trained.dict;

  note(`${label}: recording ${opts.evalChars} held-out characters and scoring`);
  const evalStates = recordStates(
    engine,
    held.map((f) => f.text),
    opts.evalChars,
  );
  const ops = createFastestOps();
  const trainCodes = encodeStates(dict, trainStates, { ops });
  const evalCodes = encodeStates(dict, evalStates, { ops });
  const trainMetrics = measureDictionary(dict, trainStates, trainCodes);
  const evalMetrics = measureDictionary(dict, evalStates, evalCodes);
  // What a linear code of as many numbers per character leaves unexplained (and of more): how far from linear the states are.
  note(`${label}: the linear baseline (principal subspace)`);
  t = performance.now();
  const linear = linearBaselineFvu(trainStates, evalStates, dict.norm, [dict.k, 64, 128, 256], ops);
  const linearSeconds = (performance.now() - t) / 1000;
  const trainLabels = conceptLabelsForStates(trainStates, train);
  const evalLabels = conceptLabelsForStates(evalStates, held);
  const trainFindings = labelFeatures(trainCodes, dict.features, trainLabels, 1);
  const evalColumns = featureColumns(evalCodes, dict.features);
  const preR = preActivationCorrelations(
    dict,
    trainStates,
    CONCEPT_NAMES.map((n) => trainLabels[n]),
    4,
    ops,
  );

  const concepts: Record<string, unknown> = {};
  CONCEPT_NAMES.forEach((name: ConceptName, c) => {
    const found = trainFindings[name];
    const yEval = evalLabels[name];
    if (!found) return;
    const positives = yEval.reduce((s, y) => s + (y > 0.5 ? 1 : 0), 0);
    if (BINARY_CONCEPTS.includes(name)) {
      const featureAuroc = sparseAuroc(evalColumns[found.index], yEval, positives);
      // Cells: the 32 with the largest |r| on the training states, best by training AUROC.
      const r = trackCorrelations({ layer: 0, kind: 'h', units: trainStates.dim, values: trainStates.values }, trainLabels[name], trainStates.rows);
      const cell = pickByAuroc(
        topByAbs(r, 32),
        (d) => column(trainStates, d),
        (d) => column(evalStates, d),
        trainLabels[name],
        yEval,
      );
      const pre = pickByAuroc(
        topByAbs(preR[c], 8),
        (j) => preActivationColumn(dict, trainStates, j),
        (j) => preActivationColumn(dict, evalStates, j),
        trainLabels[name],
        yEval,
      );
      concepts[name] = {
        heldOutPositives: positives,
        feature: {
          index: found.index,
          trainAuroc: round(found.auroc ?? 0.5),
          auroc: round(featureAuroc),
          separation: round(separation(featureAuroc)),
          firesOnHeldOut: evalColumns[found.index].rows.length,
          // Where it is silent it ties with every other silent character: the share of "yes"
          // characters it misses is what costs a sparse feature AUROC against a dense cell.
          firesOnPositives: round(firedOn(evalColumns[found.index].rows, yEval, true) / Math.max(positives, 1)),
          firesOnNegatives: round(firedOn(evalColumns[found.index].rows, yEval, false) / Math.max(yEval.length - positives, 1)),
        },
        featurePreActivation: pre,
        cell: { ...cell, name: describeStateDim(engine.spec, cell.index) },
      };
    } else {
      const ranks = averageRanks(Array.from(yEval));
      const sum = ranks.reduce((s, x) => s + x, 0);
      const sq = ranks.reduce((s, x) => s + x * x, 0);
      concepts[name] = { feature: { index: found.index, trainRho: round(found.rho), rho: round(sparseSpearman(evalColumns[found.index], ranks, sum, sq)) } };
    }
  });
  return {
    recordSeconds: round(recordSeconds),
    dictionary: { dim: dict.dim, features: dict.features, k: dict.k, threshold: round(dict.threshold), epochs: trained.epochs, steps: trained.steps, rows: trainStates.rows, stoppedBecause: trained.stoppedBecause },
    trainWallSeconds: round(trainWall),
    trainCpuSeconds: round(trainCpu),
    train: roundAll(trainMetrics),
    heldOut: roundAll(evalMetrics),
    linearBaseline: { what: 'held-out FVU of projecting the normalised states on the top principal directions of the training states, per number of directions', directions: linear.dims, heldOutFvu: linear.heldOutFvu.map(round), seconds: round(linearSeconds) },
    concepts,
  };
}

/**
 * `bench features`: the dictionary's honest figures on held-out code, for
 * the model and for a random model of the same size (the control).
 */
export async function featuresBenchCommand(argv: string[]): Promise<number> {
  const a = parseArgs(argv, {
    values: { model: 'string', train: 'string', eval: 'string', 'train-chars': 'int', 'eval-chars': 'int', epochs: 'int', features: 'int', k: 'int', batch: 'int', lr: 'number', nested: 'string' },
    switches: ['json', 'no-random', 'batch-topk'],
  });
  const location = requireStr(a, 'model');
  const train = sourcesUnder(requireStr(a, 'train').split(','));
  const held = sourcesUnder(requireStr(a, 'eval').split(','));
  // null: trainDictionary's default.
  const opts: BenchSettings = {
    trainChars: num(a, 'train-chars', 200_000, 1),
    evalChars: num(a, 'eval-chars', 50_000, 1),
    epochs: num(a, 'epochs', 1, 1, 100),
    features: a.flags.features === undefined ? null : num(a, 'features', 0, 1),
    k: num(a, 'k', 32, 1),
    batch: a.flags.batch === undefined ? null : num(a, 'batch', 0, 1),
    lr: a.flags.lr === undefined ? null : num(a, 'lr', 0, 1e-6, 1),
    nested: nestedArg(str(a, 'nested')),
    batchTopK: !!a.flags['batch-topk'],
  };
  const model = await loadModel(location);
  const engine = new Engine(model, createFastestOps());
  const loadBefore = os.loadavg();
  const started = new Date().toISOString();
  const real = await measureModel('model', engine, train, held, opts);
  const random = a.flags['no-random'] ? null : await measureModel('random model', randomEngineLike(engine, 1), train, held, opts);
  const result = {
    startedAt: started,
    machine: { cpu: os.cpus()[0]?.model ?? 'unknown', cores: os.cpus().length, node: process.version, loadAverageBefore: loadBefore.map(round), loadAverageAfter: os.loadavg().map(round) },
    model: location,
    trainFiles: { folders: requireStr(a, 'train').split(','), files: train.length, chars: train.reduce((s, f) => s + f.text.length, 0) },
    heldOutFiles: { folders: requireStr(a, 'eval').split(','), files: held.length, chars: held.reduce((s, f) => s + f.text.length, 0) },
    settings: opts,
    trained: real,
    randomControl: random,
  };
  const provenance = { ...resultProvenance(null, location.endsWith('.json') ? path.dirname(location) : location), settings: opts };
  if (a.flags.json) printJson({ ...result, provenance });
  else process.stdout.write(JSON.stringify(result, null, 2) + '\n');
  return 0;
}

interface BenchSettings {
  trainChars: number;
  evalChars: number;
  epochs: number;
  /** null: trainDictionary's default (so the file says which were chosen here). */
  features: number | null;
  k: number;
  batch: number | null;
  lr: number | null;
  nested: number[] | null;
  /** Batch top-k training and a firing threshold instead of top-k per row. */
  batchTopK: boolean;
}

/** --nested off → [] (one plain top-k loss), M,M,... → those prefixes, absent → the default. */
function nestedArg(v: string | undefined): number[] | null {
  if (v === undefined) return null;
  if (v === 'off') return [];
  const sizes = v.split(',').map(Number);
  if (sizes.some((m) => !Number.isInteger(m) || m < 1)) throw new UsageError(`--nested takes "off" or increasing feature counts such as 64,256,1024, not ${v}`);
  return sizes;
}

function round(x: number): number {
  return Math.round(x * 1e4) / 1e4;
}

function roundAll<T extends object>(o: T): T {
  return Object.fromEntries(Object.entries(o).map(([k, v]) => [k, typeof v === 'number' ? round(v) : v])) as T;
}
