import { Ops } from '../kernels/ops';
import { createFastestOps } from '../kernels/wasmOps';
import { makeRng } from '../params';
import { Normalisation, normaliseRow } from './normalisation';
import { StateMatrix } from './stateMatrix';
import { topKOfRow } from './topK';

/**
 * A sparse autoencoder over normalised states x̂ (see normalisation.ts):
 *   z = E·x̂ + bₑ                 pre-activations, [features]
 *   a = top-k(z), then max(0, ·)  at most k features are active
 *   x̃ = Σⱼ aⱼ·Dⱼ + b_d            reconstruction, [dim]
 * A dictionary trained with batch top-k instead has a threshold: a feature
 * fires wherever zⱼ reaches it (k on average, at most BATCH_SLOTS_PER_K·k),
 * so whether it fires does not depend on what else competes at that character.
 * Each decoder row Dⱼ has unit length, so a feature's activation is how far
 * the state goes along its direction. The encoder is separate (untied) and
 * starts as the decoder's transpose.
 */
export interface SparseDictionary {
  dim: number;
  features: number;
  /** Features active per character: at most (top-k), or on average over the training states (batch top-k). */
  k: number;
  /** Batch top-k's bar: zⱼ ≥ threshold fires (largest first, at most slotsOf(dict)). 0: plain top-k. */
  threshold: number;
  norm: Normalisation;
  /** [features, dim] */
  encoder: Float32Array;
  /** [features] */
  encoderBias: Float32Array;
  /** [features, dim], unit rows: feature j's direction in normalised state space. */
  decoder: Float32Array;
  /** [dim] */
  decoderBias: Float32Array;
}

/** Which features fire per character: k slots a row (slotsOf the dictionary), value 0 where a slot is unused. */
export interface SparseCodes {
  rows: number;
  k: number;
  /** [rows, k] feature index of each slot. */
  index: Int32Array;
  /** [rows, k] its activation (≥ 0). */
  value: Float32Array;
}

/** A fresh dictionary: random unit decoder rows (seeded), encoder = their transpose, zero biases. */
export function newDictionary(dim: number, features: number, k: number, norm: Normalisation, seed = 1): SparseDictionary {
  if (!Number.isInteger(dim) || dim < 1) throw new Error(`a dictionary needs a state size of at least 1, not ${dim}`);
  if (!Number.isInteger(features) || features < 1) throw new Error(`a dictionary needs at least one feature, not ${features}`);
  if (!Number.isInteger(k) || k < 1 || k > features) throw new Error(`k (features active per character) must be between 1 and ${features}, not ${k}`);
  const rng = makeRng(seed);
  const decoder = new Float32Array(features * dim);
  for (let i = 0; i < decoder.length; i++) decoder[i] = gaussian(rng);
  normaliseRows(decoder, features, dim);
  return { dim, features, k, threshold: 0, norm, encoder: decoder.slice(), encoderBias: new Float32Array(features), decoder, decoderBias: new Float32Array(dim) };
}

/** Under batch top-k a row keeps at most this many times k features (its largest), so codes keep a fixed slot count. */
const BATCH_SLOTS_PER_K = 4;

/** Most features a row keeps under batch top-k, in training and in its codes afterwards: BATCH_SLOTS_PER_K·k, at most the features. */
export function batchTopKSlots(k: number, features: number): number {
  return Math.min(features, BATCH_SLOTS_PER_K * k);
}

/** Slots per row of a dictionary's codes: k, or batchTopKSlots for a thresholded one. */
export function slotsOf(dict: Pick<SparseDictionary, 'k' | 'features' | 'threshold'>): number {
  return dict.threshold > 0 ? batchTopKSlots(dict.k, dict.features) : dict.k;
}

/** Scales every row of a [rows, dim] matrix to unit length (a zero row is left as it is). */
export function normaliseRows(m: Float32Array, rows: number, dim: number): void {
  for (let j = 0; j < rows; j++) {
    const o = j * dim;
    let sq = 0;
    for (let d = 0; d < dim; d++) sq += m[o + d] * m[o + d];
    if (sq === 0) continue;
    const s = 1 / Math.sqrt(sq);
    for (let d = 0; d < dim; d++) m[o + d] *= s;
  }
}

function gaussian(rng: () => number): number {
  // Box–Muller; 1 − u keeps log away from 0.
  return Math.sqrt(-2 * Math.log(1 - rng())) * Math.cos(2 * Math.PI * rng());
}

/** Z[n, F] = X[n, D]·Eᵀ + bₑ on the ops' arena (offsets in floats). The one dense product of the dictionary. */
export function preActivations(ops: Ops, n: number, features: number, dim: number, x: number, encoder: number, encoderBias: number, z: number): void {
  ops.gemmNT(n, features, dim, x, dim, encoder, dim, z, features, 0);
  ops.addRowVector(n, features, z, features, encoderBias);
}

export interface EncodeOptions {
  ops?: Ops;
  /** Rows per dense product (default 512). */
  batch?: number;
}

/** The sparse codes of every row of a raw (not normalised) state matrix. */
export function encodeStates(dict: SparseDictionary, states: StateMatrix, opts: EncodeOptions = {}): SparseCodes {
  if (states.dim !== dict.dim) throw new Error(`the dictionary reads states of ${dict.dim} numbers, these have ${states.dim}: it was made for another model size`);
  const { dim: D, features: F, threshold } = dict;
  const k = slotsOf(dict);
  const ops = opts.ops ?? createFastestOps();
  const B = Math.max(1, Math.min(opts.batch ?? 512, states.rows));
  const mark = ops.arena.used;
  const enc = ops.arena.allocFrom(dict.encoder);
  const encBias = ops.arena.allocFrom(dict.encoderBias);
  const x = ops.arena.alloc(B * D);
  const z = ops.arena.alloc(B * F);
  const index = new Int32Array(states.rows * k);
  const value = new Float32Array(states.rows * k);
  try {
    for (let start = 0; start < states.rows; start += B) {
      const n = Math.min(B, states.rows - start);
      const mem = ops.arena.f32;
      // X[i, :] = x̂ of row start + i
      for (let i = 0; i < n; i++) normaliseRow(states.values, start + i, D, dict.norm, mem, x + i * D);
      preActivations(ops, n, F, D, x, enc, encBias, z);
      const zs = ops.arena.f32;
      for (let i = 0; i < n; i++) topKOfRow(zs, z + i * F, F, k, index, value, (start + i) * k);
      if (threshold > 0) {
        // A thresholded dictionary: slots below the bar do not fire.
        for (let s = start * k; s < (start + n) * k; s++) if (value[s] < threshold) value[s] = 0;
      }
    }
  } finally {
    ops.arena.release(mark);
  }
  return { rows: states.rows, k, index, value };
}

/** x̃ of row t (normalised space) into out[0 : dim]. */
export function reconstructRow(dict: SparseDictionary, codes: SparseCodes, t: number, out: Float32Array): void {
  const D = dict.dim;
  out.set(dict.decoderBias.subarray(0, D));
  for (let s = t * codes.k; s < (t + 1) * codes.k; s++) {
    const a = codes.value[s];
    if (a === 0) continue;
    const o = codes.index[s] * D;
    // out[:] += a · decoder[j, :]
    for (let d = 0; d < D; d++) out[d] += a * dict.decoder[o + d];
  }
}

/** One feature's activation on every row (0 where it is not among the row's active features). */
export function featureValues(codes: SparseCodes, feature: number): Float32Array {
  const out = new Float32Array(codes.rows);
  const { k, index, value } = codes;
  for (let t = 0; t < codes.rows; t++) {
    for (let s = t * k; s < (t + 1) * k; s++) if (index[s] === feature) out[t] = value[s];
  }
  return out;
}
