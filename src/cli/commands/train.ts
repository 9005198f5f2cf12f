import * as path from 'path';
import { augmentIndentation, collectCorpus, formatSkipCounts, isUnderFolder, parseRepeatRules, repeatFiles, summarizeSkipped } from '../../core/corpus';
import { newManifest } from '../../core/model/manifest';
import { Model, loadModel, saveModel } from '../../core/model/modelFiles';
import { deepenParams } from '../../core/model/deepenParams';
import { widenParams } from '../../core/model/widenParams';
import { CELL_TYPES, CellType, DEFAULT_SPEC, ModelSpec, cellOf, describeSpec } from '../../core/modelSpec';
import { initParams, paramLayout } from '../../core/params';
import { TrainOutcome, TrainProgress, trainModel } from '../../core/trainer/trainer';
import { TrainingReached, TrainingSetup, trainingSummary } from '../../core/trainer/trainingSummary';
import { VOCAB_SIZE } from '../../core/vocab';
import { ParsedArgs, UsageError, num, parseArgs, requireStr, str } from '../args';
import { ProgressLine, formatCount, formatDuration, note, printJson } from '../output';

export const TRAIN_USAGE =
  'train --out DIR [--from MODEL [--widen N] [--deepen]] [--cell lstm|gru|rnn] [--layers N] [--hidden N] [--embed N] [--seq N] [--batch N] [--lr X] [--lr-decay X] [--anneal SHARE] [--dropout X] [--cell-l1 X] [--clip X] [--minutes M] [--epochs E] [--start-at SHARE] [--val X | --val-from PATH[,PATH...]] [--reindent SHARE] [--repeat FOLDER=N[,FOLDER=N...]] [--eval-every SECONDS] [--patience N] [--threads N] [--seed N] [--engine fused|tfjs] [--json] PATH...';

const FLAGS = {
  values: {
    out: 'string',
    from: 'string',
    widen: 'int',
    cell: 'string',
    layers: 'int',
    hidden: 'int',
    embed: 'int',
    seq: 'int',
    batch: 'int',
    lr: 'number',
    'lr-decay': 'number',
    anneal: 'number',
    dropout: 'number',
    'cell-l1': 'number',
    clip: 'number',
    minutes: 'number',
    epochs: 'number',
    'start-at': 'number',
    val: 'number',
    'val-from': 'string',
    'eval-every': 'number',
    reindent: 'number',
    repeat: 'string',
    patience: 'int',
    threads: 'int',
    seed: 'int',
    engine: 'string',
  },
  switches: ['json', 'deepen'],
} as const;

/** The --cell flag (default lstm), checked. */
export function cellFromFlags(a: ParsedArgs): CellType | undefined {
  const cell = str(a, 'cell');
  if (cell === undefined) return undefined;
  if (!(CELL_TYPES as readonly string[]).includes(cell)) throw new UsageError(`--cell must be ${CELL_TYPES.join(', ')}, not ${JSON.stringify(cell)}`);
  return cell as CellType;
}

function specFromFlags(a: ParsedArgs, from: Model | null): ModelSpec {
  const cell = cellFromFlags(a);
  const layersGiven = a.flags.layers !== undefined || a.flags.hidden !== undefined || a.flags.embed !== undefined;
  if (from) {
    if (layersGiven) {
      const want = { layers: num(a, 'layers', from.layout.spec.hidden.length), hidden: num(a, 'hidden', from.layout.spec.hidden[0]), embed: num(a, 'embed', from.layout.spec.embedDim) };
      const s = from.layout.spec;
      if (want.layers !== s.hidden.length || s.hidden.some((h) => h !== want.hidden) || want.embed !== s.embedDim) {
        throw new UsageError(`--from model is ${describeSpec(s)}; --layers/--hidden/--embed cannot change the shape of a model being fine-tuned`);
      }
    }
    if (cell !== undefined && cell !== cellOf(from.layout.spec)) throw new UsageError(`--from model is a ${cellOf(from.layout.spec)}; --cell cannot change the cell type of a model being fine-tuned`);
    return from.layout.spec;
  }
  const layers = num(a, 'layers', DEFAULT_SPEC.hidden.length, 1, 8);
  const hidden = num(a, 'hidden', DEFAULT_SPEC.hidden[0], 1, 4096);
  const embed = num(a, 'embed', DEFAULT_SPEC.embedDim, 0, 1024);
  const spec: ModelSpec = { vocabSize: VOCAB_SIZE, embedDim: embed, hidden: Array.from({ length: layers }, () => hidden) };
  // An LSTM's spec keeps no cell key, as before GRUs and RNNs existed.
  return cell === undefined || cell === 'lstm' ? spec : { ...spec, cell };
}

export async function trainCommand(argv: string[]): Promise<number> {
  const a = parseArgs(argv, { values: { ...FLAGS.values }, switches: [...FLAGS.switches] });
  const out = path.resolve(requireStr(a, 'out'));
  if (a.positional.length === 0) throw new UsageError('name at least one file or folder to train on');
  const engine = str(a, 'engine') ?? 'fused';
  if (engine === 'tfjs') {
    throw new UsageError('--engine tfjs needs @tensorflow/tfjs-node, which is not installed here (its install downloads libtensorflow); use the default --engine fused');
  }
  if (engine !== 'fused') throw new UsageError(`--engine must be fused or tfjs, not ${JSON.stringify(engine)}`);
  if (a.flags.anneal !== undefined && a.flags.minutes === undefined) throw new UsageError('--anneal takes a share of the time budget: give --minutes too');
  const json = Boolean(a.flags.json);

  const fromDir = str(a, 'from');
  const from = fromDir ? await loadModel(fromDir) : null;
  const seed = num(a, 'seed', 1);
  const widen = a.flags.widen === undefined ? undefined : num(a, 'widen', 0, 1, 4096);
  if (widen !== undefined && !from) throw new UsageError('--widen grows a model given with --from; there is none');
  const deepen = Boolean(a.flags.deepen);
  if (deepen && !from) throw new UsageError('--deepen adds a layer to a model given with --from; there is none');
  if (deepen && widen !== undefined) throw new UsageError('give --widen or --deepen, not both (widen first, then deepen in a second run)');
  // A wider model that starts from what the --from model learned (the same outputs at step 0),
  // or a deeper one whose new top layer starts as a near copy of the old top (nearly the same outputs).
  const grown = from && widen !== undefined ? widenParams(from.layout, from.params, widen, seed) : from && deepen ? deepenParams(from.layout, from.params, seed) : null;
  const spec = grown ? grown.layout.spec : specFromFlags(a, from);
  const layout = grown ? grown.layout : paramLayout(spec);
  const initial = grown ? grown.params : from ? from.params : initParams(layout, seed);

  const corpus = await collectCorpus(a.positional);
  note(`corpus: ${corpus.files.length} files, ${formatCount(corpus.totalChars)} characters${corpus.skipped.length ? `; ${formatSkipCounts(summarizeSkipped(corpus.skipped))}` : ''}`);
  if (corpus.files.length === 0) throw new Error('no source files to train on in the given paths (every file was skipped; see the counts above)');

  // Validation from text given apart (whole held-out packages), so that every
  // choice is made on code from projects the model never trained on.
  const valFrom = str(a, 'val-from');
  if (valFrom !== undefined && a.flags.val !== undefined) throw new UsageError('give either --val (a share of the training files) or --val-from (validation text apart), not both');
  const valCorpus = valFrom ? await collectCorpus(valFrom.split(',').filter(Boolean)) : null;
  if (valCorpus) {
    if (valCorpus.files.length === 0) throw new Error(`no source files to validate on in --val-from ${valFrom}`);
    note(`validation: ${valCorpus.files.length} files, ${formatCount(valCorpus.totalChars)} characters`);
  }
  const reindentShare = num(a, 'reindent', 0, 0, 1);
  let repeat: ReturnType<typeof parseRepeatRules> = [];
  try {
    repeat = parseRepeatRules(str(a, 'repeat') ?? '');
  } catch (err) {
    throw new UsageError((err as Error).message);
  }
  for (const r of repeat) {
    if (!corpus.files.some((f) => isUnderFolder(f.relPath, r.under))) throw new UsageError(`--repeat ${r.under}=${r.times}: no training file is under ${r.under}/ (it is a folder under the paths given, e.g. shell for .cache/split/train/shell)`);
  }
  const repeated = repeatFiles(
    corpus.files.map((f) => ({ name: f.relPath, text: f.text })),
    repeat,
  );
  if (repeat.length > 0) {
    const extra = repeated.slice(corpus.files.length).reduce((n, f) => n + f.text.length, 0);
    note(`repeat: ${repeat.map((r) => `${r.under}/ ${r.times} times`).join(', ')} per pass: ${formatCount(extra)} more characters`);
  }
  // Copies are made before re-indenting, so that each gets its own draw.
  const trainSources = augmentIndentation(
    repeated,
    reindentShare,
    num(a, 'seed', 1),
  );

  const threads = num(a, 'threads', 2, 1, 64);
  const cellL1 = num(a, 'cell-l1', 0, 0, 1);
  const setup: TrainingSetup = {
    engine: 'fused-' + (threads > 1 ? `${threads}threads` : '1thread'),
    startedFrom: fromDir ? path.resolve(fromDir) : undefined,
    seq: num(a, 'seq', 64, 1, 4096),
    batch: num(a, 'batch', 32, 1, 1024),
    learningRate: num(a, 'lr', 2e-3, 1e-6, 1),
    dropout: num(a, 'dropout', 0, 0, 0.9),
    ...(cellL1 > 0 ? { cellL1 } : {}),
    clipNorm: num(a, 'clip', 5, 0),
    corpus: {
      files: corpus.files.length,
      chars: corpus.totalChars,
      sources: a.positional.map((p) => path.resolve(p)),
      ...(valCorpus && valFrom ? { validation: { files: valCorpus.files.length, chars: valCorpus.totalChars, sources: valFrom.split(',').filter(Boolean).map((p) => path.resolve(p)) } } : {}),
      ...(reindentShare > 0 ? { reindentShare } : {}),
      ...(repeat.length > 0 ? { repeat } : {}),
    },
  };

  const controller = new AbortController();
  let interrupts = 0;
  const onSigint = () => {
    interrupts++;
    if (interrupts === 1) {
      note('\nstopping after this step; the best model so far will be saved (Ctrl+C again to quit now)');
      controller.abort();
    } else process.exit(130);
  };
  process.on('SIGINT', onSigint);

  const progress = new ProgressLine();
  const describe = (p: TrainProgress) =>
    `epoch ${p.epoch + 1} step ${p.step}${p.phase === 'validate' ? ' validating' : ''}  train ${p.trainBitsPerChar.toFixed(3)} bpc` +
    `${p.valBitsPerChar !== undefined ? `  val ${p.valBitsPerChar.toFixed(3)} bpc` : ''}  ${formatCount(p.charsPerSecond)} chars/s  ETA ${formatDuration(p.etaSeconds)}`;

  const save = async (params: Float32Array, reached: TrainingReached, metrics: Record<string, number | undefined>) => {
    const manifest = newManifest(spec, path.basename(out));
    manifest.training = trainingSummary(setup, reached);
    manifest.metrics = metrics;
    await saveModel(out, { layout, params, manifest });
  };

  const started = Date.now();
  let outcome: TrainOutcome;
  try {
    outcome = await trainModel(layout, initial, trainSources, {
      seq: setup.seq,
      batch: setup.batch,
      learningRate: setup.learningRate,
      lrDecay: num(a, 'lr-decay', 1, 0, 1),
      anneal: num(a, 'anneal', 0, 0, 1),
      dropout: setup.dropout,
      cellL1,
      clipNorm: setup.clipNorm,
      minutes: num(a, 'minutes', Infinity, 0),
      epochs: num(a, 'epochs', a.flags.minutes === undefined ? 10 : Infinity, 0),
      startAt: num(a, 'start-at', 0, 0, 1),
      valFraction: num(a, 'val', 0.1, 0, 0.9),
      valSources: valCorpus ? valCorpus.files.map((f) => ({ name: f.relPath, text: f.text })) : undefined,
      patience: num(a, 'patience', 3, 1),
      evalEverySeconds: num(a, 'eval-every', 60, 1),
      threads,
      seed,
      signal: controller.signal,
      onProgress: (p) => progress.update(describe(p), p.phase === 'validate'),
      onCheckpoint: async (c) => {
        await save(c.params, { seq: setup.seq, batch: setup.batch, epochs: c.epoch, steps: c.step, charsSeen: c.charsSeen, stoppedBecause: 'checkpoint', seconds: (Date.now() - started) / 1000, finishedAt: new Date().toISOString() }, {
          trainBitsPerChar: c.trainBitsPerChar,
          valBitsPerChar: c.valBitsPerChar,
        });
      },
    });
  } finally {
    process.off('SIGINT', onSigint);
    progress.done();
  }

  await save(
    outcome.params,
    {
      seq: outcome.seq,
      batch: outcome.batch,
      epochs: outcome.epochs,
      steps: outcome.steps,
      charsSeen: outcome.charsSeen,
      seconds: outcome.seconds,
      charsPerSecond: outcome.charsPerSecond,
      stoppedBecause: outcome.stoppedBecause,
      finishedAt: new Date().toISOString(),
    },
    { trainBitsPerChar: outcome.trainBitsPerChar, valBitsPerChar: outcome.valBitsPerChar, valTop1: outcome.valTop1 },
  );
  note(
    `stopped (${outcome.stoppedBecause}) after ${outcome.steps} steps, ${formatDuration(outcome.seconds)}: train ${outcome.trainBitsPerChar.toFixed(3)} bpc` +
      `${outcome.valBitsPerChar !== undefined ? `, val ${outcome.valBitsPerChar.toFixed(3)} bpc` : ''}, ${formatCount(outcome.charsPerSecond)} chars/s; saved ${out}`,
  );
  if (json) {
    printJson({
      out,
      spec,
      chars: outcome.charsSeen,
      charsPerSecond: outcome.charsPerSecond,
      trainBitsPerChar: outcome.trainBitsPerChar,
      valBitsPerChar: outcome.valBitsPerChar ?? null,
      valTop1: outcome.valTop1 ?? null,
      steps: outcome.steps,
      epochs: outcome.epochs,
      seconds: outcome.seconds,
      stoppedBecause: outcome.stoppedBecause,
      batch: outcome.batch,
      seq: outcome.seq,
      threads: outcome.threads,
      files: corpus.files.length,
      trainChars: outcome.trainChars,
      valChars: outcome.valChars,
    });
  }
  return 0;
}
