import * as path from 'path';
import { Engine } from '../../core/engine';
import { createFastestOps } from '../../core/kernels/wasmOps';
import { DictionaryInfo, modelFingerprint, saveDictionary } from '../../core/features/dictionaryFile';
import { listDictionaryInManifest, modelFolderOf } from '../../core/features/dictionaryManifest';
import { measureDictionary } from '../../core/features/dictionaryMetrics';
import { recordStates } from '../../core/features/stateMatrix';
import { DictionaryProgress, trainDictionary } from '../../core/features/trainDictionary';
import { loadModel } from '../../core/model/modelFiles';
import { UsageError, num, parseArgs, requireStr } from '../args';
import { ProgressLine, formatCount, note, printJson } from '../output';
import { readSourceFile } from '../readSourceFile';

export const FEATURES_USAGE =
  'features train --model DIR --out FILE [--features N] [--k N] [--epochs N] [--max-chars N] [--seed N] [--minutes M] [--float16] [--batch-topk] [--json] FILE...';

/** States recorded by default: 200,000 characters, about 400 MiB for a 1×256 model (4 bytes × 512 numbers a character). */
const DEFAULT_MAX_CHARS = 200_000;

/**
 * `lstm-lens features train`: records the model's [h; c] states on the files
 * and trains a sparse dictionary on them (see core/features). The file is
 * written atomically; when it is in the model folder, the model's manifest
 * lists it. Ctrl+C stops training and saves nothing.
 */
export async function featuresCommand(argv: string[]): Promise<number> {
  const [sub, ...rest] = argv;
  if (sub !== 'train') throw new UsageError(`features: unknown subcommand ${JSON.stringify(sub ?? '')} (train)`);
  const a = parseArgs(rest, {
    values: { model: 'string', out: 'string', features: 'int', k: 'int', epochs: 'int', 'max-chars': 'int', seed: 'int', minutes: 'number', batch: 'int', lr: 'number' },
    switches: ['json', 'float16', 'batch-topk'],
  });
  if (a.positional.length === 0) throw new UsageError('name at least one source file to record states on');
  const location = requireStr(a, 'model');
  const out = path.resolve(requireStr(a, 'out'));
  const maxChars = num(a, 'max-chars', DEFAULT_MAX_CHARS, 1, 5_000_000);
  const quiet = Boolean(a.flags.json);

  const model = await loadModel(location);
  const engine = new Engine(model, createFastestOps());
  const texts = a.positional.map((file) => readSourceFile(file));
  if (texts.every((t) => t.length === 0)) throw new Error('the files are empty: nothing to record');
  const dim = engine.spec.hidden.reduce((s, H) => s + 2 * H, 0);
  const features = num(a, 'features', 4 * dim, 1, 64 * dim);
  const k = num(a, 'k', Math.min(32, features), 1, features);

  const recordStarted = Date.now();
  if (!quiet) note(`recording the model's states on ${formatCount(Math.min(maxChars, texts.reduce((s, t) => s + t.length, 0)))} characters…`);
  const states = recordStates(engine, texts, maxChars);
  const recordSeconds = (Date.now() - recordStarted) / 1000;

  const controller = new AbortController();
  const onSigint = () => {
    note('\nstopping; nothing will be saved');
    controller.abort();
  };
  process.on('SIGINT', onSigint);
  const progress = new ProgressLine();
  const describe = (p: DictionaryProgress) =>
    `epoch ${p.epoch}/${p.epochs}  ${formatCount(p.rowsSeen)} of ${formatCount(p.totalRows)} rows  FVU ${p.fvu.toFixed(3)}  dead ${p.dead}  ${p.seconds.toFixed(0)}s`;
  let trained;
  try {
    trained = await trainDictionary(states, {
      features,
      k,
      epochs: num(a, 'epochs', 2, 1, 1000),
      batch: num(a, 'batch', 256, 1, 65_536),
      learningRate: num(a, 'lr', 4e-3, 1e-6, 1),
      seed: num(a, 'seed', 1, 0, 2 ** 31),
      batchTopK: Boolean(a.flags['batch-topk']),
      ...(a.flags.minutes !== undefined ? { maxSeconds: 60 * num(a, 'minutes', 1, 0.01, 1440) } : {}),
      signal: controller.signal,
      onProgress: quiet ? undefined : (p) => progress.update(describe(p)),
    });
  } finally {
    process.off('SIGINT', onSigint);
    progress.done();
  }
  if (trained.stoppedBecause === 'cancelled') {
    note('cancelled: no dictionary was saved');
    return 130;
  }
  const metrics = measureDictionary(trained.dict, states);
  const info: DictionaryInfo = {
    model: { name: model.manifest.name, fingerprint: modelFingerprint(model.params), spec: model.layout.spec },
    training: {
      rows: states.rows,
      epochs: trained.epochs,
      steps: trained.steps,
      seconds: trained.seconds,
      seed: num(a, 'seed', 1, 0, 2 ** 31),
      stoppedBecause: trained.stoppedBecause,
      files: a.positional.map((f) => path.basename(f)),
    },
    metrics,
    createdAt: new Date().toISOString(),
  };
  const saved = await saveDictionary(out, trained.dict, info, a.flags.float16 ? 'float16' : 'float32');
  const modelDir = path.resolve(modelFolderOf(location));
  const listed = path.dirname(out) === modelDir;
  if (listed) {
    await listDictionaryInManifest(modelDir, {
      file: path.basename(out),
      features: trained.dict.features,
      k: trained.dict.k,
      trainedOnChars: states.rows,
      fvu: round(metrics.fvu),
      deadFraction: round(metrics.deadFraction),
      meanActive: round(metrics.meanActive),
      createdAt: info.createdAt,
    });
  }

  if (quiet) {
    printJson({
      model: location,
      out,
      listedInManifest: listed,
      bytes: saved.bytes,
      chars: states.rows,
      dim: states.dim,
      features: trained.dict.features,
      k: trained.dict.k,
      threshold: trained.dict.threshold,
      epochs: trained.epochs,
      steps: trained.steps,
      stoppedBecause: trained.stoppedBecause,
      recordSeconds: round(recordSeconds),
      trainSeconds: round(trained.seconds),
      fvu: round(metrics.fvu),
      deadFeatures: metrics.deadFeatures,
      deadFraction: round(metrics.deadFraction),
      meanActive: round(metrics.meanActive),
    });
  } else {
    process.stdout.write(
      `${formatCount(trained.dict.features)} features (k ${trained.dict.k}) on ${formatCount(states.rows)} characters of ${states.dim}-number states in ${trained.seconds.toFixed(1)}s: ` +
        `FVU ${metrics.fvu.toFixed(3)}, ${metrics.deadFeatures} dead, ${metrics.meanActive.toFixed(1)} active per character\n`,
    );
    note(`saved to ${out}${listed ? ' and listed in the model manifest' : ' (outside the model folder: not listed in its manifest)'}`);
  }
  return 0;
}

function round(x: number): number {
  return Math.round(x * 1e4) / 1e4;
}
