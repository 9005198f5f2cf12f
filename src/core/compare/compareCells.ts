import { findCellsForConcepts } from '../cells/findCellsForConcepts';
import { CONCEPT_NAMES, ConceptName } from '../concepts';
import { languageForFile } from '../concepts/language';
import { Engine } from '../engine';
import { BpttWindow } from '../kernels/bpttWindow';
import { Ops } from '../kernels/ops';
import { createFastestOps } from '../kernels/wasmOps';
import { newManifest } from '../model/manifest';
import { CELL_TYPES, CellType, ModelSpec } from '../modelSpec';
import { initParams, makeRng, paramLayout } from '../params';
import { sampleText } from '../search/sampleText';
import { TrainOptions, TrainOutcome, trainModel } from '../trainer/trainer';
import { StreamBatches, TextSource, fitBatchShape, splitGivenVal, splitTrainVal } from '../trainer/trainingData';
import { NEWLINE_ID, VOCAB_SIZE } from '../vocab';

/**
 * The lectures' comparison on the user's own code: an LSTM, a GRU and a
 * plain RNN of the same size trained for the same time on the same text,
 * then measured the same way — held-out bits/char, a sample, the best
 * concept cells, and how far back each one's gradient reaches.
 */

export interface CompareOptions {
  /** Training minutes per cell type. */
  minutes: number;
  layers: number;
  hidden: number;
  embed: number;
  seq: number;
  batch: number;
  learningRate: number;
  threads: number;
  seed: number;
  valFraction: number;
  /**
   * Held-out text apart from the training files (whole packages): the
   * held-out bits/char, the concept cells and the gradient reach are then
   * all measured on it. Without it a share of the files is held out.
   */
  valSources?: TextSource[];
  /** Characters of the files the concept cells are measured on (shared fairly between files). */
  conceptChars: number;
  /** Characters sampled from each model. */
  sampleChars: number;
  /** Held-out windows the gradient reach is averaged over. */
  reachWindows: number;
  cells: readonly CellType[];
  makeOps?: () => Ops;
  signal?: AbortSignal;
  onProgress?: (message: string) => void;
}

export const DEFAULT_COMPARE_OPTIONS: CompareOptions = {
  minutes: 2,
  layers: 1,
  hidden: 128,
  embed: 32,
  seq: 64,
  batch: 32,
  learningRate: 2e-3,
  threads: 1,
  seed: 1,
  valFraction: 0.1,
  conceptChars: 20_000,
  sampleChars: 200,
  reachWindows: 4,
  cells: CELL_TYPES,
};

export interface ConceptCell {
  concept: ConceptName;
  layer: number;
  cell: number;
  kind: 'h' | 'c';
  r: number;
  auroc: number | null;
}

export interface CellTypeResult {
  cell: CellType;
  spec: ModelSpec;
  params: Float32Array;
  /** Best held-out bits/char during training (null without held-out text). */
  bitsPerChar: number | null;
  trainBitsPerChar: number;
  charsPerSecond: number;
  steps: number;
  charsSeen: number;
  seconds: number;
  sample: string;
  conceptCells: ConceptCell[];
  /**
   * reach[k]: mean over streams and windows of ‖∂loss_T/∂h_{T−k}‖ for the
   * top layer, where loss_T is the last character's loss of a window: k = 0
   * is the step that made the prediction, k = seq − 1 the window's first.
   */
  gradientReach: number[];
}

export type CompareResult = Record<CellType, CellTypeResult | undefined> & { seq: number; batch: number; trainChars: number; valChars: number };

/** Trains and measures each cell type in turn (the same text, seed, size and minutes). */
export async function compareCellTypes(sources: TextSource[], options: Partial<CompareOptions> = {}): Promise<CompareResult> {
  const opts: CompareOptions = { ...DEFAULT_COMPARE_OPTIONS, ...options };
  if (!(opts.minutes > 0)) throw new Error('--minutes must be more than 0');
  const progress = opts.onProgress ?? (() => undefined);
  const split = opts.valSources ? splitGivenVal(sources, opts.valSources) : splitTrainVal(sources, opts.valFraction);
  if (split.train.length < 2) throw new Error('the training text is empty: nothing to learn from');
  const { B, T } = fitBatchShape(split.train.length, opts.batch, opts.seq);
  // The gradient reach reads held-out text, or the training text when none is held out.
  const reachText = split.val.length > T + 1 ? split.val : split.train;
  // Cells are named on held-out text when there is some apart: a cell that
  // tracks a concept only on the text it trained on teaches nothing.
  const conceptFiles = (opts.valSources ?? sources).map((s) => ({ name: s.name, text: s.text, language: languageForFile(s.name) }));
  const makeOps = opts.makeOps ?? createFastestOps;

  const result = { seq: T, batch: B, trainChars: split.train.length, valChars: split.val.length } as CompareResult;
  for (const cell of opts.cells) {
    if (opts.signal?.aborted) break;
    const spec: ModelSpec = { vocabSize: VOCAB_SIZE, embedDim: opts.embed, hidden: Array.from({ length: opts.layers }, () => opts.hidden), ...(cell === 'lstm' ? {} : { cell }) };
    const layout = paramLayout(spec);
    progress(`training the ${cell.toUpperCase()} for ${opts.minutes} min`);
    const trainOpts: Partial<TrainOptions> = {
      seq: T,
      batch: B,
      learningRate: opts.learningRate,
      minutes: opts.minutes,
      epochs: Infinity,
      valFraction: opts.valFraction,
      ...(opts.valSources ? { valSources: opts.valSources } : {}),
      // Never stop early: every cell type gets the whole time.
      patience: Infinity,
      evalEverySeconds: Math.max(10, (opts.minutes * 60) / 6),
      threads: opts.threads,
      seed: opts.seed,
      makeOps,
      ...(opts.signal ? { signal: opts.signal } : {}),
    };
    const outcome: TrainOutcome = await trainModel(layout, initParams(layout, opts.seed), sources, trainOpts);
    const engine = new Engine({ layout, params: outcome.params, manifest: newManifest(spec, cell) }, makeOps());

    progress(`measuring the ${cell.toUpperCase()}`);
    const sample = sampleText(engine, engine.prime([], NEWLINE_ID), { temperature: 0.8, maxChars: opts.sampleChars, rng: makeRng(opts.seed) }).text;
    const found = findCellsForConcepts(engine, conceptFiles, { maxChars: opts.conceptChars, randomBaseline: false, probe: false, top: 1 });
    const conceptCells: ConceptCell[] = [];
    for (const concept of CONCEPT_NAMES) {
      const f = found.concepts[concept];
      if (f) conceptCells.push({ concept, layer: f.layer, cell: f.cell, kind: f.kind, r: f.r, auroc: f.auroc ?? null });
    }
    const gradientReach = measureGradientReach(makeOps(), spec, outcome.params, reachText, B, T, opts.reachWindows);

    result[cell] = {
      cell,
      spec,
      params: outcome.params,
      bitsPerChar: outcome.valBitsPerChar ?? null,
      trainBitsPerChar: outcome.trainBitsPerChar,
      charsPerSecond: outcome.charsPerSecond,
      steps: outcome.steps,
      charsSeen: outcome.charsSeen,
      seconds: outcome.seconds,
      sample,
      conceptCells,
      gradientReach,
    };
  }
  return result;
}

/**
 * The mean of BpttWindow.gradientReach over `windows` consecutive windows of
 * the text, after one window that only warms the carried state (so the
 * gradients are those of a model reading running text, not a fresh start).
 */
export function measureGradientReach(ops: Ops, spec: ModelSpec, params: Float32Array, text: Uint8Array, batch: number, seq: number, windows: number): number[] {
  const { B, T } = fitBatchShape(text.length, batch, seq);
  const data = new StreamBatches(text, B, T);
  const win = new BpttWindow(ops, paramLayout(spec), B, T, false);
  win.paramsView().set(params);
  const x = new Int32Array(B * T);
  const y = new Int32Array(B * T);
  const sum = new Float64Array(T);
  let used = 0;
  for (let w = 0; w < data.windows && used < windows; w++) {
    data.fill(w, x, y);
    if (w === 0 && data.windows > 1) {
      win.run(x, y, { backward: false });
      continue;
    }
    const reach = win.gradientReach(x, y);
    for (let k = 0; k < T; k++) sum[k] += reach[k];
    used++;
  }
  return Array.from(sum, (v) => (used > 0 ? v / used : 0));
}
