import { Ops } from '../kernels/ops';
import { createFastestOps } from '../kernels/wasmOps';
import { makeRng } from '../params';
import { Adam } from '../trainer/adam';
import { SparseDictionary, newDictionary, normaliseRows, preActivations } from './dictionary';
import { fitNormalisation, normaliseRow } from './normalisation';
import { StateMatrix } from './stateMatrix';
import { topKOfCandidates, topKOfRow } from './topK';

export interface DictionaryTrainOptions {
  /** Features (default 4 × the state size). */
  features?: number;
  /** Features active per character (default 32, at most the features). */
  k?: number;
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
 * row, in plain TypeScript (rows × k × dim). Decoder rows are kept unit
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
  const G = prefixes.length;
  // groupOf[j]: the first prefix that holds feature j.
  const groupOf = new Int32Array(F);
  for (let j = 0, g = 0; j < F; j++) {
    while (j >= prefixes[g]) g++;
    groupOf[j] = g;
  }
  const started = performance.now();
  const seconds = () => (performance.now() - started) / 1000;

  const dict = newDictionary(D, F, k, fitNormalisation(states.values, N, D), seed);
  const ops = opts.ops ?? createFastestOps();
  const mark = ops.arena.used;
  // One parameter block, so one Adam covers it: [encoder F×D | encoder bias F | decoder F×D | decoder bias D].
  const encOff = 0;
  const encBiasOff = F * D;
  const decOff = encBiasOff + F;
  const decBiasOff = decOff + F * D;
  const total = decBiasOff + D;
  const pBase = ops.arena.alloc(total);
  const x = ops.arena.alloc(B * D);
  const z = ops.arena.alloc(B * F);
  ops.arena.f32.set(dict.encoder, pBase + encOff);
  ops.arena.f32.set(dict.decoder, pBase + decOff);

  const grads = new Float32Array(total);
  const shape: StepShape = { D, F, k, G, auxK, auxWeight, decOff, encOff, encBiasOff, decBiasOff };
  const adam = new Adam(total, baseLr);
  const rng = makeRng(seed ^ 0x5eed);
  const order = new Int32Array(N);
  const lastFired = new Float64Array(F);
  const deadList = new Int32Array(F);
  const bufs: StepBuffers = {
    slotIdx: new Int32Array(k),
    slotVal: new Float32Array(k),
    auxIdx: new Int32Array(Math.max(auxK, 1)),
    auxVal: new Float32Array(Math.max(auxK, 1)),
    groupOf,
    slotAt: new Int32Array(k),
    auxAt: new Int32Array(Math.max(auxK, 1)),
    errs: new Float32Array(G * D),
    auxErr: new Float32Array(D),
    deadList,
    lastFired,
  };
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
        preActivations(ops, n, F, D, x, pBase + encOff, pBase + encBiasOff, z);
        const P = mem.subarray(pBase, pBase + total);
        let deadCount = 0;
        if (auxK > 0) for (let j = 0; j < F; j++) if (rowsSeen - lastFired[j] >= deadAfter) deadList[deadCount++] = j;
        dead = deadCount;
        const sums = gradientOfBatch(shape, n, mem, x, z, P, grads, bufs, deadCount, rowsSeen);
        epochErr += sums.err;
        epochVar += sums.var;
        steps++;
        const left = 1 - steps / totalSteps;
        adam.learningRate = baseLr * Math.min(1, left / 0.2 + 1 / totalSteps);
        adam.update(P, grads);
        normaliseRows(P.subarray(decOff, decOff + F * D), F, D);
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
    dict.encoder.set(P.subarray(encOff, encOff + F * D));
    dict.encoderBias.set(P.subarray(encBiasOff, encBiasOff + F));
    dict.decoder.set(P.subarray(decOff, decOff + F * D));
    dict.decoderBias.set(P.subarray(decBiasOff, decBiasOff + D));
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

interface StepShape {
  D: number;
  F: number;
  k: number;
  /** Nested prefixes (groups of features); 1 = plain top-k. */
  G: number;
  auxK: number;
  auxWeight: number;
  encOff: number;
  encBiasOff: number;
  decOff: number;
  decBiasOff: number;
}

interface StepBuffers {
  slotIdx: Int32Array;
  slotVal: Float32Array;
  auxIdx: Int32Array;
  auxVal: Float32Array;
  /** [F] the prefix group of each feature. */
  groupOf: Int32Array;
  /** [k] offset into errs of each active slot's dL/dx̃. */
  slotAt: Int32Array;
  /** [auxK] the same for the auxiliary slots (all 0: auxErr). */
  auxAt: Int32Array;
  /** [G, D] one reconstruction error per prefix, then dL/dx̃ per group. */
  errs: Float32Array;
  auxErr: Float32Array;
  /** deadList[0 : deadCount]: the features that count as dead this step. */
  deadList: Int32Array;
  /** [F] row count at which each feature last fired. */
  lastFired: Float64Array;
}

/**
 * Fills grads (same layout as P) with the gradient of one batch's loss.
 * X (x̂ rows, [n, D]) and Z (pre-activations, [n, F]) are in mem at x and z.
 * Returns the batch's Σ‖x̃ − x̂‖² and Σ‖x̂‖². A plain function of locals:
 * V8 keeps its loops tight (in the async caller, variables a closure shares
 * live in a context object and cost a memory access each).
 */
function gradientOfBatch(
  shape: StepShape,
  n: number,
  mem: Float32Array,
  x: number,
  z: number,
  P: Float32Array,
  grads: Float32Array,
  bufs: StepBuffers,
  deadCount: number,
  rowsSeen: number,
): { err: number; var: number } {
  const { D, F, k, G, auxK, auxWeight, encOff, encBiasOff, decOff, decBiasOff } = shape;
  const { slotIdx, slotVal, auxIdx, auxVal, groupOf, slotAt, auxAt, errs, auxErr, deadList, lastFired } = bufs;
  grads.fill(0);
  let errSum = 0;
  let varSum = 0;
  const g = 2 / (n * D * G);
  const last = (G - 1) * D; // errs[G − 1]: the whole dictionary's error
  for (let i = 0; i < n; i++) {
    const xr = x + i * D; // x̂ row in mem
    const zr = z + i * F; // pre-activation row in mem
    topKOfRow(mem, zr, F, k, slotIdx, slotVal, 0);
    // errs[q, :] = x̃_q − x̂, x̃_q = b_d + Σ over active features of prefix q of a·Dec[j]:
    // build group by group, each prefix's error starting from the one before.
    for (let d = 0; d < D; d++) errs[d] = P[decBiasOff + d] - mem[xr + d];
    for (let q = 0; q < G; q++) {
      const eq = q * D;
      if (q > 0) errs.copyWithin(eq, eq - D, eq);
      for (let s = 0; s < k; s++) {
        const a = slotVal[s];
        if (a === 0 || groupOf[slotIdx[s]] !== q) continue;
        const o = decOff + slotIdx[s] * D;
        for (let d = 0; d < D; d++) errs[eq + d] += a * P[o + d];
      }
    }
    for (let d = 0; d < D; d++) {
      const xd = mem[xr + d];
      errSum += errs[last + d] * errs[last + d];
      varSum += xd * xd;
    }
    // A feature of group q is in prefixes q … G − 1: its dL/dx̃ is the sum of their errors.
    // errs[q, :] ← g · Σ_{q' ≥ q} errs[q', :]  (suffix sums, last group first)
    for (let q = G - 2; q >= 0; q--) for (let d = q * D; d < (q + 1) * D; d++) errs[d] += errs[d + D];
    for (let d = 0; d < G * D; d++) errs[d] *= g;
    // The decoder bias is in every prefix.
    for (let d = 0; d < D; d++) grads[decBiasOff + d] += errs[d];
    for (let s = 0; s < k; s++) slotAt[s] = groupOf[slotIdx[s]] * D;
    backpropSlots(k, slotIdx, slotVal, errs, slotAt, mem, xr, P, grads, D, decOff, encOff, encBiasOff);
    for (let s = 0; s < k; s++) if (slotVal[s] > 0) lastFired[slotIdx[s]] = rowsSeen + i;

    if (deadCount > 0 && auxK > 0) {
      // The dead features' best reconstruction ê of what the whole dictionary left over, x̂ − x̃.
      const used = topKOfCandidates(mem, zr, deadList, deadCount, auxK, auxIdx, auxVal, 0);
      if (used === 0) continue;
      // auxErr[:] = ê − (x̂ − x̃), then scaled to dL_aux/dê. errs[G − 1] is now g · (x̃ − x̂).
      for (let d = 0; d < D; d++) auxErr[d] = errs[last + d] / g;
      for (let s = 0; s < used; s++) {
        const a = auxVal[s];
        if (a === 0) continue;
        const o = decOff + auxIdx[s] * D;
        for (let d = 0; d < D; d++) auxErr[d] += a * P[o + d];
      }
      for (let d = 0; d < D; d++) auxErr[d] *= g * G * auxWeight;
      backpropSlots(used, auxIdx, auxVal, auxErr, auxAt, mem, xr, P, grads, D, decOff, encOff, encBiasOff);
    }
  }
  // Keep decoder rows on the unit sphere: drop each row gradient's part along the row.
  for (let j = 0; j < F; j++) {
    const o = decOff + j * D;
    let dot = 0;
    for (let d = 0; d < D; d++) dot += grads[o + d] * P[o + d];
    if (dot !== 0) for (let d = 0; d < D; d++) grads[o + d] -= dot * P[o + d];
  }
  return { err: errSum, var: varSum };
}

/**
 * Gradients of the active slots of one row, given slot s's dL/dx̃
 * (dOut[at[s] : at[s] + D]):
 *   dDec[j] += a·dOut;  dz = dOut·Dec[j];  dEnc[j] += dz·x̂;  dbₑ[j] += dz
 * (top-k then ReLU passes the gradient only where a > 0). P and grads share
 * the parameter block's layout; x̂ is mem[xr : xr + D].
 */
function backpropSlots(
  count: number,
  idx: Int32Array,
  val: Float32Array,
  dOut: Float32Array,
  at: Int32Array,
  mem: Float32Array,
  xr: number,
  P: Float32Array,
  grads: Float32Array,
  D: number,
  decOff: number,
  encOff: number,
  encBiasOff: number,
): void {
  for (let s = 0; s < count; s++) {
    const a = val[s];
    if (a === 0) continue;
    const j = idx[s];
    const o = decOff + j * D;
    const t = at[s];
    let dz = 0;
    for (let d = 0; d < D; d++) {
      grads[o + d] += a * dOut[t + d];
      dz += dOut[t + d] * P[o + d];
    }
    const e = encOff + j * D;
    for (let d = 0; d < D; d++) grads[e + d] += dz * mem[xr + d];
    grads[encBiasOff + j] += dz;
  }
}
