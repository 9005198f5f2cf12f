import * as path from 'path';
import { findCellsForConcepts } from '../cells/findCellsForConcepts';
import { storeNamedCells } from '../cells/namedCells';
import { languageForFile } from '../concepts/language';
import { DEFAULT_SETTINGS } from '../completion/settings';
import { Engine } from '../engine';
import { KeystrokeCounts, addKeystrokeCounts, emptyKeystrokeCounts, keystrokeFigures, replayTyping } from '../eval/keystrokeReplay';
import { createFastestOps } from '../kernels/wasmOps';
import { CorpusSummary, ModelManifest, TrainingSummary, newManifest } from '../model/manifest';
import { saveModel } from '../model/modelFiles';
import { ModelSpec, describeSpec } from '../modelSpec';
import { makeRng, paramLayout } from '../params';
import { sampleText } from '../search/sampleText';
import { startAfter } from '../completion/completeAt';
import { TrainOptions, TrainProgress, trainModel } from '../trainer/trainer';
import { TextSource } from '../trainer/trainingData';
import { TrainingReached, TrainingSetup, trainingSummary } from '../trainer/trainingSummary';
import { ConceptCellNow, ConceptSlice, conceptCellsAt, prepareConceptSlice } from './conceptCellsAtValidation';
import { labelConceptFiles } from '../syntax';
import { heldOutOf } from './heldOut';
import { PauseGate } from './pauseGate';
import { HeldOutScore, scoreHeldOut } from './heldOutScore';
import { SwapDecision, decideSwap } from './swapRule';

/** Everything a training run needs; plain data, so it can cross into a worker thread. */
export interface TrainingJobRequest {
  /** Shape of the model being trained. */
  spec: ModelSpec;
  /** Starting weights: the working model's (fine-tuning) or fresh ones (from scratch). */
  initial: Float32Array;
  /** The working model to beat, scored on the same held-out text; null when there is none. */
  baseline: { spec: ModelSpec; params: Float32Array; name: string } | null;
  sources: TextSource[];
  train: Pick<TrainOptions, 'minutes' | 'epochs' | 'valFraction' | 'patience' | 'threads' | 'seq' | 'batch' | 'learningRate' | 'evalEverySeconds' | 'checkpointEverySeconds' | 'seed'>;
  /** Where the finished model goes if it wins (the working model's folder). */
  outDir: string;
  /** Where the best weights so far are saved during the run (never the working model). */
  checkpointDir: string;
  /** Name written into the manifest (shown in the status bar). */
  modelName: string;
  /** What the manifest says the run started from. */
  startedFrom: string;
  corpus: CorpusSummary;
  /** Characters of held-out text the before/after comparison reads. */
  compareChars: number;
  /** Characters of held-out text recorded to re-find named cells (0 = skip). */
  cellChars: number;
  /** Characters of held-out text typed (replayTyping) to measure keystrokes saved before and after (0 or absent = skip). */
  keystrokeChars?: number;
  /** Characters of text sampled from the model at each validation, for the training view (0 or absent = none). */
  sampleChars?: number;
  /** Characters of the held-out files on which the concept cells are found at each validation, for the training view (0 or absent = none). */
  conceptChars?: number;
  /** A PauseGate's buffer: training steps wait while it is set (idle retraining pauses at each keystroke). */
  pauseBuffer?: SharedArrayBuffer;
  /** Idle retraining: the training thread runs at the lowest CPU priority where it can alone (threadPriority.ts). */
  lowPriority?: boolean;
}

/** Keystrokes saved (a fraction of the characters) typing the same held-out sample with each model and the default completion settings. */
export interface KeystrokeComparison {
  chars: number;
  before: number | null;
  after: number;
}

export type TrainingEvent =
  | { type: 'status'; text: string }
  | { type: 'baseline'; bitsPerChar: number | null }
  | { type: 'progress'; progress: TrainProgress }
  | { type: 'checkpoint'; valBitsPerChar?: number; dir: string }
  /** Text the model generated at a validation: char-rnn's progression, run by run. */
  | { type: 'sample'; step: number; valBitsPerChar: number; text: string }
  /** The best cell per concept at a validation, on `chars` held-out characters, beside the random-init control's. */
  | { type: 'concepts'; step: number; valBitsPerChar: number; chars: number; labelledBy: string; cells: ConceptCellNow[]; random: ConceptCellNow[] };

export interface TrainingJobResult {
  decision: SwapDecision;
  /** Where the model now is when it was swapped in. */
  savedTo: string | null;
  baseline: HeldOutScore | null;
  candidate: HeldOutScore | null;
  stoppedBecause: string;
  /** Idle retraining only (null otherwise): how often a keystroke held the run, and for how long in all. */
  paused: { times: number; seconds: number } | null;
  steps: number;
  epochs: number;
  seconds: number;
  charsPerSecond: number;
  trainBitsPerChar: number;
  valBitsPerChar: number | null;
  trainChars: number;
  valChars: number;
  heldOutBy: string;
  threads: number;
  namedCells: string[];
  /** Measured only for a model that is swapped in; null otherwise or when skipped. */
  keystrokes: KeystrokeComparison | null;
}

/**
 * One "Train on Workspace" run, start to finish: score the working model on
 * the held-out text, train (checkpoints go to checkpointDir), score the new
 * model on the same text, and save it over the working model only when the
 * swap rule says so. Runs in the training worker; nothing here touches the
 * editor. The working model's folder is written once, atomically
 * (saveModel), and only after a win, so a cancel, a crash or a failed write
 * leaves it as it was.
 */
export async function runTrainingJob(req: TrainingJobRequest, signal: AbortSignal, emit: (e: TrainingEvent) => void): Promise<TrainingJobResult> {
  const layout = paramLayout(req.spec);
  if (req.initial.length !== layout.total) throw new Error(`starting weights have ${req.initial.length} values; a ${describeSpec(req.spec)} model needs ${layout.total}`);
  const heldOut = heldOutOf(req.sources, req.train.valFraction);
  const scoreShape = { B: req.train.batch, T: req.train.seq, maxChars: req.compareChars };

  // Idle retraining pauses at each keystroke: between training steps, validation windows and scoring windows alike.
  const gate = req.pauseBuffer ? new PauseGate(req.pauseBuffer) : null;
  const paused = { times: 0, ms: 0 };
  // Read at each return: the scoring after training can be paused too.
  const pausedSoFar = () => (gate ? { times: paused.times, seconds: paused.ms / 1000 } : null);
  const pausePoint = gate
    ? async () => {
        const ms = await gate.waitWhilePaused(signal);
        if (ms > 0) {
          paused.times++;
          paused.ms += ms;
        }
        return ms;
      }
    : undefined;

  let baseline: HeldOutScore | null = null;
  if (req.baseline) {
    emit({ type: 'status', text: `scoring ${req.baseline.name} on the held-out files` });
    baseline = await scoreHeldOut(createFastestOps(), paramLayout(req.baseline.spec), req.baseline.params, heldOut.bytes, scoreShape, pausePoint);
  }
  emit({ type: 'baseline', bitsPerChar: baseline?.bitsPerChar ?? null });

  const started = Date.now();
  const setup: TrainingSetup = {
    engine: `fused-worker-${req.train.threads}thread${req.train.threads > 1 ? 's' : ''}`,
    startedFrom: req.startedFrom,
    seq: req.train.seq,
    batch: req.train.batch,
    learningRate: req.train.learningRate,
    dropout: 0,
    clipNorm: 5,
    corpus: req.corpus,
  };
  const summary = (reached: TrainingReached): TrainingSummary => trainingSummary(setup, { seconds: (Date.now() - started) / 1000, ...reached });
  const manifestFor = (training: TrainingSummary, metrics: ModelManifest['metrics']): ModelManifest => ({ ...newManifest(req.spec, req.modelName), training, metrics });

  const slice = (req.conceptChars ?? 0) > 0 ? await conceptSliceFor(heldOut, layout, req.conceptChars ?? 0, emit) : null;
  const onValidate = (v: Validation) => {
    if ((req.sampleChars ?? 0) > 0) emitSample(req, layout, v, emit);
    if (slice) emitConcepts(layout, v, slice, emit);
  };

  emit({ type: 'status', text: 'training' });
  const outcome = await trainModel(layout, req.initial, req.sources, {
    ...req.train,
    signal,
    ...(pausePoint ? { betweenSteps: pausePoint } : {}),
    ...((req.sampleChars ?? 0) > 0 || slice ? { onValidate } : {}),
    onProgress: (progress) => emit({ type: 'progress', progress }),
    onCheckpoint: async (c) => {
      // A checkpoint is a recovery point beside the working model, never over it.
      const manifest = manifestFor(summary({ epochs: c.epoch, steps: c.step, charsSeen: c.charsSeen, stoppedBecause: 'checkpoint' }), { trainBitsPerChar: c.trainBitsPerChar, valBitsPerChar: c.valBitsPerChar });
      await saveModel(req.checkpointDir, { layout, params: c.params, manifest });
      emit({ type: 'checkpoint', valBitsPerChar: c.valBitsPerChar, dir: req.checkpointDir });
    },
  });
  const cancelled = outcome.stoppedBecause === 'cancelled';

  let candidate: HeldOutScore | null = null;
  if (!cancelled) {
    emit({ type: 'status', text: 'scoring the new model on the held-out files' });
    candidate = await scoreHeldOut(createFastestOps(), layout, outcome.params, heldOut.bytes, scoreShape, pausePoint);
  }
  const decision = decideSwap({ candidate: candidate?.bitsPerChar ?? null, baseline: req.baseline ? (baseline?.bitsPerChar ?? null) : null, cancelled });

  const base = {
    baseline,
    candidate,
    stoppedBecause: outcome.stoppedBecause,
    steps: outcome.steps,
    epochs: outcome.epochs,
    seconds: outcome.seconds,
    charsPerSecond: outcome.charsPerSecond,
    trainBitsPerChar: outcome.trainBitsPerChar,
    valBitsPerChar: outcome.valBitsPerChar ?? null,
    trainChars: outcome.trainChars,
    valChars: outcome.valChars,
    heldOutBy: heldOut.by,
    threads: outcome.threads,
  };
  if (!decision.swap || signal.aborted) return { ...base, paused: pausedSoFar(), decision, savedTo: null, namedCells: [], keystrokes: null };
  const keystrokes = await compareKeystrokes(req, { layout, params: outcome.params }, heldOut, signal, emit);

  const manifest = manifestFor(
    summary({
      epochs: outcome.epochs,
      steps: outcome.steps,
      charsSeen: outcome.charsSeen,
      seconds: outcome.seconds,
      charsPerSecond: outcome.charsPerSecond,
      stoppedBecause: outcome.stoppedBecause,
    }),
    {
      trainBitsPerChar: outcome.trainBitsPerChar,
      valBitsPerChar: candidate?.bitsPerChar,
      valTop1: candidate?.top1,
      baselineValBitsPerChar: baseline?.bitsPerChar,
    },
  );
  const namedCells = req.cellChars > 0 ? await refindCells(manifest, { layout, params: outcome.params, manifest }, heldOut, req, emit) : [];
  if (signal.aborted) return { ...base, paused: pausedSoFar(), decision: decideSwap({ candidate: null, baseline: null, cancelled: true }), savedTo: null, namedCells: [], keystrokes: null };
  emit({ type: 'status', text: `saving to ${req.outDir}` });
  await saveModel(req.outDir, { layout, params: outcome.params, manifest });
  return { ...base, paused: pausedSoFar(), decision, savedTo: req.outDir, namedCells, keystrokes };
}

/** What the trainer hands onValidate: the weights as they are (read before returning), and when. */
type Validation = { params: Float32Array; valBitsPerChar: number; step: number };

/** The held-out slice the concept cells are found on, labelled once (best effort: a failure leaves the cells out of the view). */
async function conceptSliceFor(heldOut: ReturnType<typeof heldOutOf>, layout: ReturnType<typeof paramLayout>, maxChars: number, emit: (e: TrainingEvent) => void): Promise<ConceptSlice | null> {
  // Only whole held-out files: cells found on text the model trains on would say little.
  if (heldOut.files.length === 0) return null;
  try {
    return await prepareConceptSlice(heldOut.files, layout, maxChars);
  } catch (err) {
    emit({ type: 'status', text: `no concept cells: ${(err as Error).message}` });
    return null;
  }
}

/** The best cell per concept of the weights of a validation (best effort, like the sample). */
function emitConcepts(layout: ReturnType<typeof paramLayout>, v: Validation, slice: ConceptSlice, emit: (e: TrainingEvent) => void): void {
  try {
    emit({ type: 'concepts', step: v.step, valBitsPerChar: v.valBitsPerChar, chars: slice.chars, labelledBy: slice.labelledBy, cells: conceptCellsAt(layout, v.params, slice), random: slice.random });
  } catch (err) {
    emit({ type: 'status', text: `no concept cells: ${(err as Error).message}` });
  }
}

/** Samples `req.sampleChars` characters from the weights of a validation (best effort: a failure only skips the sample). */
function emitSample(req: TrainingJobRequest, layout: ReturnType<typeof paramLayout>, v: Validation, emit: (e: TrainingEvent) => void): void {
  try {
    // Fresh kernels each time: an engine's weights live in its kernels' arena, which is freed with it.
    const engine = new Engine({ layout, params: v.params, manifest: newManifest(layout.spec, 'sample') }, createFastestOps());
    // The same seed each time, so that the samples differ only by what the model learned.
    const sample = sampleText(engine, startAfter(engine, ''), { temperature: 0.7, maxChars: req.sampleChars ?? 0, rng: makeRng(7) });
    emit({ type: 'sample', step: v.step, valBitsPerChar: v.valBitsPerChar, text: sample.text });
  } catch (err) {
    emit({ type: 'status', text: `no sample: ${(err as Error).message}` });
  }
}

/**
 * Keystrokes saved by the working model and the new one, typing the same
 * capped sample of the held-out files on the editor's completion path
 * (replayTyping). The sample is small (a request per keystroke costs a
 * search) and taken from whole files, each typed from its start. Best
 * effort: a failure or a cancel only leaves the figure out.
 */
async function compareKeystrokes(
  req: TrainingJobRequest,
  candidate: { layout: ReturnType<typeof paramLayout>; params: Float32Array },
  heldOut: ReturnType<typeof heldOutOf>,
  signal: AbortSignal,
  emit: (e: TrainingEvent) => void,
): Promise<KeystrokeComparison | null> {
  const cap = req.keystrokeChars ?? 0;
  if (cap <= 0) return null;
  const files = heldOut.files.length > 0 ? heldOut.files : req.sources.slice(-1);
  const sample: string[] = [];
  let chars = 0;
  for (const f of files) {
    if (chars >= cap) break;
    const text = f.text.slice(0, cap - chars);
    sample.push(text);
    chars += text.length;
  }
  if (chars === 0) return null;
  emit({ type: 'status', text: `measuring keystrokes saved on ${chars} held-out characters` });
  const settings = { ...DEFAULT_SETTINGS, multiline: false, maxLines: 1 };
  const saved = async (layout: ReturnType<typeof paramLayout>, params: Float32Array): Promise<number> => {
    const engine = new Engine({ layout, params, manifest: newManifest(layout.spec, 'compare') }, createFastestOps());
    const total: KeystrokeCounts = emptyKeystrokeCounts();
    for (const text of sample) addKeystrokeCounts(total, await replayTyping(engine, text, settings, () => signal.aborted));
    return keystrokeFigures(total).keystrokesSaved;
  };
  try {
    const before = req.baseline ? await saved(paramLayout(req.baseline.spec), req.baseline.params) : null;
    return { chars, before, after: await saved(candidate.layout, candidate.params) };
  } catch (err) {
    if (!signal.aborted) emit({ type: 'status', text: `keystrokes saved not measured: ${(err as Error).message}` });
    return null;
  }
}

/** Names the cells that track each concept on the held-out files, labelled as `lstm-lens cells` labels them (best effort: a failure only skips it). */
async function refindCells(
  manifest: ModelManifest,
  model: { layout: ReturnType<typeof paramLayout>; params: Float32Array; manifest: ModelManifest },
  heldOut: ReturnType<typeof heldOutOf>,
  req: TrainingJobRequest,
  emit: (e: TrainingEvent) => void,
): Promise<string[]> {
  try {
    emit({ type: 'status', text: 'finding named cells on the held-out files' });
    const files =
      heldOut.files.length > 0
        ? heldOut.files.map((f) => ({ name: f.name, text: f.text, language: languageForFile(path.basename(f.name)) }))
        : req.sources.slice(-1).map((f) => ({ name: f.name, text: f.text, language: languageForFile(path.basename(f.name)) }));
    const labelled = await labelConceptFiles(files);
    const engine = new Engine(model, createFastestOps());
    const found = findCellsForConcepts(engine, labelled, { maxChars: req.cellChars, randomBaseline: false, probe: false, top: 0 });
    storeNamedCells(manifest, found);
    return Object.keys(manifest.cells ?? {});
  } catch (err) {
    emit({ type: 'status', text: `named cells not found: ${(err as Error).message}` });
    return [];
  }
}
