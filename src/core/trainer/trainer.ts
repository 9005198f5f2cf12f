import { createFastestOps } from '../kernels/wasmOps';
import { Ops } from '../kernels/ops';
import { ParamLayout } from '../params';
import { Adam, clipByGlobalNorm } from './adam';
import { GradientSource, LocalGradientSource, ParallelGradientSource, SourceData } from './gradientSource';
import { StreamBatches, TextSource, fitBatchShape, splitGivenVal, splitTrainVal } from './trainingData';

const LN2 = Math.log(2);

export interface TrainOptions {
  /** Window length T of truncated BPTT. */
  seq: number;
  /** Streams per batch B. */
  batch: number;
  learningRate: number;
  /** Multiply the learning rate by this after every epoch (1 = constant). */
  lrDecay: number;
  /**
   * Share of the time budget (`minutes`) at its end over which the learning
   * rate falls linearly to zero (0 = off). Ending a run at a small rate
   * averages out the noise of the last steps, which otherwise decides
   * whichever held-out score the run happens to stop at.
   */
  anneal: number;
  /** Dropout on non-recurrent connections between layers (0 = off). */
  dropout: number;
  /** L1 penalty on LSTM cell states, per character and summed over cells (0 = off); see WindowOptions.cellL1. */
  cellL1: number;
  /** Clip gradients to this global L2 norm (0 = off). */
  clipNorm: number;
  /** Stop after this many passes over the training text (Infinity = no limit). */
  epochs: number;
  /**
   * Where in the training text each pass begins, as a share of it (0 = the
   * start), wrapping round to cover it all. A stage that continues an earlier
   * run cut short by time can start where that run stopped, rather than read
   * the same first part of every stream again.
   */
  startAt: number;
  /** Stop after this much wall time (Infinity = no limit). */
  minutes: number;
  /** Share of the text held out for validation (ignored when valSources is given). */
  valFraction: number;
  /**
   * Validation text given apart from the training text, e.g. whole packages
   * that no training file came from: then every source trains.
   */
  valSources?: TextSource[];
  /** Stop when validation has not improved for this many evaluations. */
  patience: number;
  /** Evaluate at least this often (and at every epoch's end). */
  evalEverySeconds: number;
  /** Validation reads at most this many characters per evaluation. */
  maxValChars: number;
  /** Threads computing gradients (data parallel). */
  threads: number;
  seed: number;
  signal?: AbortSignal;
  onProgress?: (p: TrainProgress) => void;
  /** Called with the best weights so far when validation improves (at most every checkpointEverySeconds). */
  onCheckpoint?: (c: Checkpoint) => Promise<void>;
  checkpointEverySeconds: number;
  /** Kernel back end per thread (default: wasm SIMD where supported). */
  makeOps?: () => Ops;
  /** Called after each validation with the weights as they are then (read them before returning: training goes on in place). */
  onValidate?: (v: { params: Float32Array; valBitsPerChar: number; step: number; charsSeen: number }) => void;
  /** Awaited before each training step and each validation window (a pause while the user types); resolves to the milliseconds it held, which do not count against `minutes`. */
  betweenSteps?: () => Promise<number>;
}

export const DEFAULT_TRAIN_OPTIONS: TrainOptions = {
  seq: 64,
  batch: 32,
  learningRate: 2e-3,
  lrDecay: 1,
  anneal: 0,
  dropout: 0,
  cellL1: 0,
  clipNorm: 5,
  epochs: Infinity,
  startAt: 0,
  minutes: Infinity,
  valFraction: 0.1,
  patience: 3,
  evalEverySeconds: 60,
  maxValChars: 256 * 1024,
  threads: 1,
  seed: 1,
  checkpointEverySeconds: 120,
};

export interface TrainProgress {
  phase: 'train' | 'validate';
  epoch: number;
  step: number;
  stepsPerEpoch: number;
  /** Training loss, smoothed over recent steps (exponential moving average), in bits per character. */
  trainBitsPerChar: number;
  valBitsPerChar?: number;
  charsPerSecond: number;
  charsSeen: number;
  elapsedSeconds: number;
  /** Seconds left under the epoch and time limits (Infinity when unbounded). */
  etaSeconds: number;
}

export interface Checkpoint {
  params: Float32Array;
  valBitsPerChar?: number;
  trainBitsPerChar: number;
  step: number;
  /** Training characters read so far in this run, and the epoch (from 0) it is in. */
  charsSeen: number;
  epoch: number;
}

export type StopReason = 'epochs' | 'time' | 'early-stop' | 'cancelled';

export interface TrainOutcome {
  /** Best weights by validation (the last ones when there is no validation). */
  params: Float32Array;
  trainBitsPerChar: number;
  valBitsPerChar?: number;
  valTop1?: number;
  stoppedBecause: StopReason;
  steps: number;
  epochs: number;
  charsSeen: number;
  /** Wall time, validation included. */
  seconds: number;
  /** Training throughput: characters per second of time spent in training steps. */
  charsPerSecond: number;
  batch: number;
  seq: number;
  trainChars: number;
  valChars: number;
  valBy: string;
  threads: number;
}

/**
 * Trains a char-LSTM: stateful truncated BPTT over B parallel streams, Adam,
 * global-norm clipping, optional dropout, periodic validation on held-out
 * text, early stopping on it, checkpoints of the best weights, progress and
 * cancellation. The weights passed in are not modified.
 */
export async function trainModel(layout: ParamLayout, initial: Float32Array, sources: TextSource[], options: Partial<TrainOptions> = {}): Promise<TrainOutcome> {
  const opts: TrainOptions = { ...DEFAULT_TRAIN_OPTIONS, ...options };
  const split = opts.valSources ? splitGivenVal(sources, opts.valSources) : splitTrainVal(sources, opts.valFraction);
  if (split.train.length < 2) throw new Error('the training text is empty: nothing to learn from');
  const { B, T } = fitBatchShape(split.train.length, opts.batch, opts.seq);
  const valShape = split.val.length > 2 ? fitBatchShape(split.val.length, B, T) : { B: 0, T };
  const data: SourceData = { train: split.train, val: split.val, B, T, valB: valShape.B, valT: valShape.T };
  const makeOps = opts.makeOps ?? createFastestOps;
  const threads = Math.max(1, Math.min(opts.threads, B));
  const source: GradientSource = threads > 1 ? new ParallelGradientSource(makeOps(), layout, data, threads) : new LocalGradientSource(makeOps(), layout, data);

  try {
    return await runTraining(layout, initial, source, data, split.valBy, opts);
  } finally {
    await source.dispose();
  }
}

async function runTraining(layout: ParamLayout, initial: Float32Array, source: GradientSource, data: SourceData, valBy: string, opts: TrainOptions): Promise<TrainOutcome> {
  const params = Float32Array.from(initial);
  const adam = new Adam(params.length, opts.learningRate);
  // The rate the epochs' decay has reached; the anneal scales it at each step.
  let scheduledRate = opts.learningRate;
  const train = new StreamBatches(data.train, data.B, data.T);
  const val = data.valB > 0 ? new StreamBatches(data.val, data.valB, data.valT) : null;
  const stepsPerEpoch = train.windows;
  const firstWindow = Math.min(stepsPerEpoch - 1, Math.floor(opts.startAt * stepsPerEpoch));
  const charsPerStep = data.B * data.T;
  const start = Date.now();
  const elapsed = () => (Date.now() - start) / 1000;
  let deadline = opts.minutes * 60;

  let best: { params: Float32Array; val: number; top1: number } | null = null;
  let badEvals = 0;
  let steps = 0;
  let epoch = 0;
  let charsSeen = 0;
  let trainSeconds = 0;
  let smoothedBpc = NaN;
  let recentLoss = 0;
  let recentCount = 0;
  let lastTrainBpc = NaN;
  let lastEval = 0;
  let lastCheckpoint = 0;
  let lastValBpc: number | undefined;
  let stoppedBecause: StopReason = 'epochs';
  const rate = { chars: 0, since: Date.now(), value: 0 };

  const trainBpc = () => (recentCount > 0 ? recentLoss / recentCount / LN2 : lastTrainBpc);
  const eta = () => {
    const byTime = deadline - elapsed();
    const stepsLeft = Number.isFinite(opts.epochs) ? (opts.epochs - epoch) * stepsPerEpoch - (steps % stepsPerEpoch) : Infinity;
    const byEpochs = rate.value > 0 ? (stepsLeft * charsPerStep) / rate.value : Infinity;
    return Math.max(0, Math.min(byTime, byEpochs));
  };
  const report = (phase: TrainProgress['phase']) =>
    opts.onProgress?.({
      phase,
      epoch,
      step: steps,
      stepsPerEpoch,
      trainBitsPerChar: Number.isNaN(smoothedBpc) ? trainBpc() : smoothedBpc,
      valBitsPerChar: lastValBpc,
      charsPerSecond: rate.value,
      charsSeen,
      elapsedSeconds: elapsed(),
      etaSeconds: eta(),
    });

  /** Where a pause may hold the run: the time it held is added to the budget. */
  const pausePoint = async (): Promise<void> => {
    if (opts.betweenSteps) deadline += (await opts.betweenSteps()) / 1000;
  };

  /** Validation bits/char and top-1 on up to maxValChars of held-out text. */
  const evaluate = async (): Promise<{ bpc: number; top1: number } | null> => {
    if (!val) return null;
    report('validate');
    await source.resetState('val');
    const windows = Math.max(1, Math.min(val.windows, Math.ceil(opts.maxValChars / (data.valB * data.valT))));
    let loss = 0;
    let count = 0;
    let top1 = 0;
    for (let w = 0; w < windows; w++) {
      // A validation is many windows long: a keystroke should not wait for all of them.
      await pausePoint();
      const r = await source.run(params, { dataset: 'val', window: w, backward: false, dropout: 0, seed: 0 });
      loss += r.lossSum;
      count += r.count;
      top1 += r.top1;
    }
    return { bpc: loss / count / LN2, top1: top1 / count };
  };

  /** Records an evaluation; returns true when training should stop early. */
  const afterEval = async (res: { bpc: number; top1: number } | null): Promise<boolean> => {
    lastEval = elapsed();
    // Validation time is not training time: restart the chars/s window.
    rate.chars = 0;
    rate.since = Date.now();
    lastTrainBpc = trainBpc();
    recentLoss = 0;
    recentCount = 0;
    if (!res) return false;
    lastValBpc = res.bpc;
    opts.onValidate?.({ params, valBitsPerChar: res.bpc, step: steps, charsSeen });
    if (!best || res.bpc < best.val) {
      best = { params: Float32Array.from(params), val: res.bpc, top1: res.top1 };
      badEvals = 0;
      if (opts.onCheckpoint && elapsed() - lastCheckpoint >= opts.checkpointEverySeconds) {
        lastCheckpoint = elapsed();
        await opts.onCheckpoint({ params: best.params, valBitsPerChar: res.bpc, trainBitsPerChar: lastTrainBpc, step: steps, charsSeen, epoch });
      }
      return false;
    }
    badEvals++;
    return badEvals >= opts.patience;
  };

  training: while (epoch < opts.epochs) {
    await source.resetState('train');
    for (let w = 0; w < stepsPerEpoch; w++) {
      if (opts.signal?.aborted) {
        stoppedBecause = 'cancelled';
        break training;
      }
      await pausePoint();
      if (opts.signal?.aborted) {
        stoppedBecause = 'cancelled';
        break training;
      }
      if (elapsed() >= deadline) {
        stoppedBecause = 'time';
        break training;
      }
      // Wrapping round from the text's end to its start: the carried state belongs to other text.
      if (w > 0 && (firstWindow + w) % stepsPerEpoch === 0) await source.resetState('train');
      const stepStart = performance.now();
      const r = await source.run(params, { dataset: 'train', window: (firstWindow + w) % stepsPerEpoch, backward: true, dropout: opts.dropout, cellL1: opts.cellL1, seed: opts.seed + steps });
      if (!Number.isFinite(r.lossSum)) throw new Error(`training diverged at step ${steps} (loss is ${r.lossSum}); try a lower learning rate`);
      const grads = source.grads();
      clipByGlobalNorm(grads, opts.clipNorm);
      adam.learningRate = scheduledRate * annealFactor(deadline - elapsed(), opts.minutes * 60, opts.anneal);
      adam.update(params, grads);
      trainSeconds += (performance.now() - stepStart) / 1000;
      steps++;
      charsSeen += r.count;
      recentLoss += r.lossSum;
      recentCount += r.count;
      const bpc = r.lossSum / r.count / LN2;
      smoothedBpc = Number.isNaN(smoothedBpc) ? bpc : 0.95 * smoothedBpc + 0.05 * bpc;
      rate.chars += r.count;
      const dt = (Date.now() - rate.since) / 1000;
      if (dt >= 2 || rate.value === 0) {
        rate.value = rate.chars / Math.max(dt, 1e-3);
        if (dt >= 2) {
          rate.chars = 0;
          rate.since = Date.now();
        }
      }
      report('train');
      if (elapsed() - lastEval >= opts.evalEverySeconds && w < stepsPerEpoch - 1) {
        if (await afterEval(await evaluate())) {
          stoppedBecause = 'early-stop';
          break training;
        }
      }
      // Let timers, signals and messages through between steps.
      await new Promise((resolve) => setImmediate(resolve));
    }
    epoch++;
    scheduledRate *= opts.lrDecay;
    adam.learningRate = scheduledRate;
    if (await afterEval(await evaluate())) {
      stoppedBecause = 'early-stop';
      break;
    }
  }
  if (stoppedBecause === 'time' || (stoppedBecause === 'cancelled' && !best)) await afterEval(await evaluate());
  if (Number.isNaN(lastTrainBpc) || recentCount > 0) lastTrainBpc = trainBpc();

  const seconds = elapsed();
  const chosen = best as { params: Float32Array; val: number; top1: number } | null;
  return {
    params: chosen ? chosen.params : params,
    trainBitsPerChar: lastTrainBpc,
    valBitsPerChar: chosen?.val,
    valTop1: chosen?.top1,
    stoppedBecause,
    steps,
    epochs: epoch,
    charsSeen,
    seconds,
    charsPerSecond: charsSeen / Math.max(trainSeconds, 1e-6),
    batch: data.B,
    seq: data.T,
    trainChars: data.train.length,
    valChars: data.val.length,
    valBy,
    threads: source.threads,
  };
}

/**
 * The factor on the learning rate with `secondsLeft` of a `budgetSeconds`
 * run to go, when the last `share` of the budget anneals linearly to zero:
 * 1 before that stretch, then falling to 0 at the deadline.
 */
export function annealFactor(secondsLeft: number, budgetSeconds: number, share: number): number {
  if (!(share > 0) || !Number.isFinite(budgetSeconds) || budgetSeconds <= 0) return 1;
  return Math.min(1, Math.max(0, secondsLeft / (share * budgetSeconds)));
}
