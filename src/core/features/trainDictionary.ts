import { Ops } from '../kernels/ops';
import { createFastestOps } from '../kernels/wasmOps';
import { makeRng } from '../params';
import { SparseDictionary, batchTopKSlots, newDictionary, preActivations } from './dictionary';
import { fitNormalisation, normaliseRow } from './normalisation';
import { StateMatrix } from './stateMatrix';
import { DictionaryStepShape, allocStepBuffers, dictionaryBlockLayout, gradientOfBatch } from './dictionaryGradient';

export interface DictionaryTrainOptions {
  /** Features (default 4 × the state size). */
  features?: number;
  /** Features active per character (default 32, at most the features). */
  k?: number;
  /**
   * Batch top-k (Bussmann et al. 2024) instead of top-k per row: each step,
   * the batch's rows·k largest pre-activations fire, wherever they fall; the
   * dictionary keeps the bar they had to pass (averaged over the last steps)
   * and fires on it afterwards. Default false.
   */
  batchTopK?: boolean;
  /** Passes over the states (default 3). */
  epochs?: number;
  /** Rows per Adam step (default 256: twice the steps of 512 for the same dense work, which lowered held-out FVU). */
  batch?: number;
  /** Adam's step size (default 4e-3); it falls linearly to 0 over the last fifth of the steps. */
  learningRate?: number;
  /** Seeds the initial dictionary and the row order (default 1): the same seed and states give the same dictionary. */
  seed?: number;
  /**
   * Dead features revived by an auxiliary loss (Gao et al. 2024, "AuxK"):
   * each row, the auxK dead features with the largest pre-activations are
   * asked to reconstruct what the main features left over (default 2·k, 0 = off).
   */
  auxK?: number;
  /** Weight of that loss (default 1/32). */
  auxWeight?: number;
  /** A feature is dead for the auxiliary loss after this many rows without firing (default min(rows, 20,000)). */
  deadAfterRows?: number;
  /**
   * Nested ("Matryoshka", Bussmann et al. 2025) reconstruction: the first
   * nested[0] features must reconstruct the state on their own, so must the
   * first nested[1], and so on up to all of them; the loss is the mean over
   * these prefixes. Early features then stay broad (in a string, in a
   * comment) instead of splitting into many narrow ones. Prefix sizes,
   * increasing; the whole dictionary is always the last (default
   * nestedPrefixes(features), [] = off: one plain top-k loss).
   */
  nested?: readonly number[];
  /** Stop after this many seconds (default: no limit). */
  maxSeconds?: number;
  signal?: AbortSignal;
  /** Told about every ~250 ms and at each epoch's end. */
  onProgress?: (p: DictionaryProgress) => void;
  ops?: Ops;
}

export interface DictionaryProgress {
  epoch: number;
  epochs: number;
  rowsSeen: number;
  totalRows: number;
  /** Fraction of variance unexplained over this epoch's rows so far (measured before each step's update). */
  fvu: number;
  /** Features that have not fired for deadAfterRows rows. */
  dead: number;
  seconds: number;
}

export interface DictionaryTrainResult {
  dict: SparseDictionary;
  stoppedBecause: 'done' | 'cancelled' | 'time';
  epochs: number;
  steps: number;
  rowsSeen: number;
  seconds: number;
  /** The last (possibly partial) epoch's running FVU. */
  trainFvu: number;
}

/**
 * Trains a top-k sparse autoencoder (see dictionary.ts) on recorded states
 * with Adam on the mean squared reconstruction error of normalised states,
 * averaged over nested prefixes of the dictionary (see `nested`).
 * The one dense product (pre-activations, rows × features × dim) runs on the
 * Ops kernels; everything after it touches only the k active features of a
 * row (rows × k × dim, see dictionaryGradient.ts). Decoder rows are kept unit
 * length: the gradient's part along each row is removed before the step and
 * the rows are rescaled after it. Yields to the event loop every ~50 ms so
 * that an abort (a worker's cancel message) is seen.
 */
export async function trainDictionary(states: StateMatrix, opts: DictionaryTrainOptions = {}): Promise<DictionaryTrainResult> {
  const N = states.rows;
  const D = states.dim;
  if (N < 1) throw new Error('no recorded states to train a dictionary on');
  const F = Math.floor(opts.features ?? 4 * D);
  const k = Math.min(Math.floor(opts.k ?? 32), F);
  const epochs = Math.max(1, Math.floor(opts.epochs ?? 3));
  const B = Math.max(1, Math.min(Math.floor(opts.batch ?? 256), N));
  const baseLr = opts.learningRate ?? 4e-3;
  const seed = opts.seed ?? 1;
  const auxK = Math.max(0, Math.floor(opts.auxK ?? 2 * k));
  const auxWeight = opts.auxWeight ?? 1 / 32;
  const deadAfter = Math.max(1, Math.floor(opts.deadAfterRows ?? Math.min(N, 20_000)));
  const prefixes = checkedPrefixes(opts.nested ?? nestedPrefixes(F), F);
  const started = performance.now();
  const seconds = () => (performance.now() - started) / 1000;

  const dict = newDictionary(D, F, k, fitNormalisation(states.values, N, D), seed);
  const ops = opts.ops ?? createFastestOps();
  const mark = ops.arena.used;
  // One parameter block, so one Adam covers it, and a gradient block of the same layout (dictionaryGradient.ts).
  const L = dictionaryBlockLayout(F, D);
  const total = L.total;
  const pBase = ops.arena.alloc(total);
  const gBase = ops.arena.alloc(total);
  const x = ops.arena.alloc(B * D);
  const z = ops.arena.alloc(B * F);
  const batchSlots = opts.batchTopK ? batchTopKSlots(k, F) : 0;
  const shape: DictionaryStepShape = { D, F, k, prefixes, auxK, auxWeight, batchSlots, params: pBase, grads: gBase };
  const bufs = allocStepBuffers(ops, shape, B);
  const { deadList, lastFired } = bufs;
  ops.arena.f32.set(dict.encoder, pBase + L.enc);
  ops.arena.f32.set(dict.decoder, pBase + L.dec);

  // Adam's moments (zeroed), in the arena beside the parameters: the update is one kernel call.
  const adamM = ops.arena.alloc(total);
  const adamV = ops.arena.alloc(total);
  const rng = makeRng(seed ^ 0x5eed);
  const order = new Int32Array(N);
  const stepsPerEpoch = Math.ceil(N / B);
  const totalSteps = stepsPerEpoch * epochs;

  let steps = 0;
  let rowsSeen = 0;
  let stoppedBecause: DictionaryTrainResult['stoppedBecause'] = 'done';
  let epochErr = 0;
  let epochVar = 0;
  let epoch = 0;
  let lastYield = performance.now();
  let lastReport = lastYield;
  let dead = 0;
  // Batch top-k's bar, averaged with more weight on the last steps (whose dictionary is the one kept).
  let threshold = 0;
  let thresholdWeight = 0;
  const report = () => opts.onProgress?.({ epoch, epochs, rowsSeen, totalRows: N * epochs, fvu: epochVar > 0 ? epochErr / epochVar : 1, dead, seconds: seconds() });

  try {
    train: for (epoch = 1; epoch <= epochs; epoch++) {
      for (let i = 0; i < N; i++) order[i] = i;
      for (let i = N - 1; i > 0; i--) {
        const j = Math.floor(rng() * (i + 1));
        const t = order[i];
        order[i] = order[j];
        order[j] = t;
      }
      epochErr = 0;
      epochVar = 0;
      for (let start = 0; start < N; start += B) {
        if (opts.signal?.aborted) {
          stoppedBecause = 'cancelled';
          break train;
        }
        if (opts.maxSeconds !== undefined && seconds() >= opts.maxSeconds) {
          stoppedBecause = 'time';
          break train;
        }
        const n = Math.min(B, N - start);
        const mem = ops.arena.f32;
        // X[i, :] = x̂ of row order[start + i]
        for (let i = 0; i < n; i++) normaliseRow(states.values, order[start + i], D, dict.norm, mem, x + i * D);
        preActivations(ops, n, F, D, x, pBase + L.enc, pBase + L.encBias, z);
        let deadCount = 0;
        if (auxK > 0) for (let j = 0; j < F; j++) if (rowsSeen - lastFired[j] >= deadAfter) deadList[deadCount++] = j;
        dead = deadCount;
        const sums = gradientOfBatch(ops, shape, n, x, z, bufs, deadCount, rowsSeen);
        epochErr += sums.err;
        epochVar += sums.var;
        if (batchSlots > 0) {
          threshold = 0.98 * threshold + sums.threshold;
          thresholdWeight = 0.98 * thresholdWeight + 1;
        }
        steps++;
        const left = 1 - steps / totalSteps;
        const lr = baseLr * Math.min(1, left / 0.2 + 1 / totalSteps);
        // Adam (β₁ 0.9, β₂ 0.999, ε 1e-8) with both bias corrections folded into the step.
        const step = (lr * Math.sqrt(1 - 0.999 ** steps)) / (1 - 0.9 ** steps);
        ops.adamUpdate(total, pBase, gBase, adamM, adamV, step, 0.9, 0.999, 1e-8);
        ops.normaliseRows(F, D, pBase + L.dec);
        rowsSeen += n;

        const now = performance.now();
        if (now - lastReport >= 250) {
          lastReport = now;
          report();
        }
        if (now - lastYield >= 50) {
          await new Promise((resolve) => setImmediate(resolve));
          lastYield = performance.now();
        }
      }
      report();
    }
    const P = ops.arena.f32.subarray(pBase, pBase + total);
    dict.encoder.set(P.subarray(L.enc, L.enc + F * D));
    dict.encoderBias.set(P.subarray(L.encBias, L.encBias + F));
    dict.decoder.set(P.subarray(L.dec, L.dec + F * D));
    dict.decoderBias.set(P.subarray(L.decBias, L.decBias + D));
    // A thresholded dictionary needs a positive bar; one that never saw a positive batch bar fires on any positive z.
    if (batchSlots > 0) dict.threshold = thresholdWeight > 0 && threshold > 0 ? threshold / thresholdWeight : Number.MIN_VALUE;
  } finally {
    ops.arena.release(mark);
  }
  return {
    dict,
    stoppedBecause,
    epochs: Math.min(epoch, epochs),
    steps,
    rowsSeen,
    seconds: seconds(),
    trainFvu: epochVar > 0 ? epochErr / epochVar : 1,
  };
}

/**
 * The default nested prefixes: 1/48, 1/12 and 1/3 of the features, then all
 * (64, 256, 1,024 and 3,072 for the bundled model's 3,072), leaving out any
 * prefix smaller than 8 features.
 */
export function nestedPrefixes(features: number): number[] {
  const out = [48, 12, 3].map((d) => Math.floor(features / d)).filter((m) => m >= 8 && m < features);
  out.push(features);
  return out;
}

function checkedPrefixes(nested: readonly number[], F: number): number[] {
  const out = nested.map((m) => Math.floor(m)).filter((m) => m < F);
  out.forEach((m, i) => {
    if (m < 1 || (i > 0 && m <= out[i - 1])) throw new Error(`nested prefix sizes must increase from at least 1, not ${nested.join(', ')}`);
  });
  out.push(F);
  return out;
}
