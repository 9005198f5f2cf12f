import { Ops } from '../kernels/ops';
import { topKOfCandidates, topKOfRow } from './topK';

/**
 * Sizes of one dictionary training step and where its parameter block lies
 * in the arena: [encoder F×D | encoder bias F | decoder F×D | decoder bias D]
 * at `params`, and a gradient block of the same layout at `grads`.
 */
export interface DictionaryStepShape {
  D: number;
  F: number;
  k: number;
  /** [G] nested prefix sizes, increasing, the last = F (one entry: plain top-k). */
  prefixes: readonly number[];
  auxK: number;
  auxWeight: number;
  /**
   * Batch top-k (Bussmann et al. 2024): the batch's n·k largest
   * pre-activations fire, wherever they fall, so a row may use more or fewer
   * than k features; each row keeps at most this many (its largest). 0 or
   * absent: plain top-k, exactly k per row.
   */
  batchSlots?: number;
  /** Arena offsets of the parameter block and the gradient block. */
  params: number;
  grads: number;
}

/** Offsets of the four parts inside a parameter (or gradient) block. */
export function dictionaryBlockLayout(F: number, D: number): { enc: number; encBias: number; dec: number; decBias: number; total: number } {
  return { enc: 0, encBias: F * D, dec: F * D + F, decBias: 2 * F * D + F, total: 2 * F * D + F + D };
}

/**
 * Arena scratch of one training step (allocated once, reused every step)
 * and the bookkeeping of dead features, which lives across steps.
 */
export interface DictionaryStepBuffers {
  /** [F] the prefix group of each feature. */
  groupOf: Int32Array;
  /** arena.i32 / arena.f32 offsets [rows, slots]: each row's top candidates as found (slots = batchSlots, or k; one row of them for plain top-k). */
  rawIdx: number;
  rawVal: number;
  /** [slots] a row's firing slots ordered by group; group q is slots groupStart[q] … groupStart[q + 1] − 1. */
  slotIdx: number;
  slotVal: number;
  groupStart: Int32Array;
  /** [max(auxK, 1)] the dead features chosen for the auxiliary loss. */
  auxIdx: number;
  auxVal: number;
  /** [G, D] one reconstruction error per prefix, then dL/dx̃ per group. */
  errs: number;
  /** [D] */
  auxErr: number;
  /** deadList[0 : deadCount]: the features that count as dead this step. */
  deadList: Int32Array;
  /** [F] row count at which each feature last fired. */
  lastFired: Float64Array;
}

/** Features a row can hold in one step: batchSlots under batch top-k, else k. */
export function slotsPerRow(shape: Pick<DictionaryStepShape, 'k' | 'batchSlots'>): number {
  return shape.batchSlots ? Math.max(shape.batchSlots, shape.k) : shape.k;
}

/** Allocates a step's scratch in the ops' arena for batches of up to maxRows rows (release it with the caller's mark). */
export function allocStepBuffers(ops: Ops, shape: Omit<DictionaryStepShape, 'params' | 'grads'>, maxRows = 1): DictionaryStepBuffers {
  const { D, F, prefixes, auxK } = shape;
  const S = slotsPerRow(shape);
  const rawRows = shape.batchSlots ? Math.max(1, maxRows) : 1;
  const groupOf = new Int32Array(F);
  for (let j = 0, g = 0; j < F; j++) {
    while (j >= prefixes[g]) g++;
    groupOf[j] = g;
  }
  const a = ops.arena;
  return {
    groupOf,
    rawIdx: a.alloc(rawRows * S),
    rawVal: a.alloc(rawRows * S),
    slotIdx: a.alloc(S),
    slotVal: a.alloc(S),
    groupStart: new Int32Array(prefixes.length + 1),
    auxIdx: a.alloc(Math.max(auxK, 1)),
    auxVal: a.alloc(Math.max(auxK, 1)),
    errs: a.alloc(prefixes.length * D),
    auxErr: a.alloc(D),
    deadList: new Int32Array(F),
    lastFired: new Float64Array(F),
  };
}

/**
 * Fills the gradient block with the gradient of one batch's loss: the mean
 * over nested prefixes of ‖x̃_q − x̂‖² / (n·D), plus the auxiliary loss of
 * the dead features (deadList[0 : deadCount]) on what the whole dictionary
 * left over. X (x̂ rows, [n, D]) and Z (pre-activations, [n, F]) are in the
 * arena at x and z. The decoder rows' gradient is then projected onto the
 * tangent of the unit sphere (the rows are kept unit length). Returns the
 * batch's Σ‖x̃ − x̂‖² and Σ‖x̂‖², and under batch top-k the threshold the
 * batch's activations had to pass (0 under plain top-k).
 *
 * Per row, the work touches only the k active features: each prefix's
 * reconstruction is one gatherAxpy over its slots ([k] × D), the backward
 * one sparseCodeBackward ([k] × D, three passes); both are SIMD kernels.
 */
export function gradientOfBatch(
  ops: Ops,
  shape: DictionaryStepShape,
  n: number,
  x: number,
  z: number,
  bufs: DictionaryStepBuffers,
  deadCount: number,
  rowsSeen: number,
): { err: number; var: number; threshold: number } {
  const { D, F, k, prefixes, auxK, auxWeight, params, grads } = shape;
  const S = slotsPerRow(shape);
  const batch = !!shape.batchSlots;
  const G = prefixes.length;
  const L = dictionaryBlockLayout(F, D);
  const { groupOf, rawIdx, rawVal, slotIdx, slotVal, groupStart, auxIdx, auxVal, errs, auxErr, deadList, lastFired } = bufs;
  const mem = ops.arena.f32;
  const idx = ops.arena.i32;
  // topK writes index and value at the same position of two arrays: views of the two arena buffers.
  const rawRows = batch ? n : 1;
  const rawIdxView = idx.subarray(rawIdx, rawIdx + rawRows * S);
  const rawValView = mem.subarray(rawVal, rawVal + rawRows * S);
  const auxIdxView = idx.subarray(auxIdx, auxIdx + Math.max(auxK, 1));
  const auxValView = mem.subarray(auxVal, auxVal + Math.max(auxK, 1));
  mem.fill(0, grads, grads + L.total);
  let errSum = 0;
  let varSum = 0;
  const g = 2 / (n * D * G);
  const last = errs + (G - 1) * D; // the whole dictionary's error
  const dec = params + L.dec;
  // Batch top-k: every row's S largest first, then the batch's (n·k)-th largest of those is the bar to pass.
  let threshold = 0;
  if (batch) {
    for (let i = 0; i < n; i++) topKOfRow(mem, z + i * F, F, S, rawIdxView, rawValView, i * S);
    threshold = kthLargest(rawValView, n * k);
  }
  for (let i = 0; i < n; i++) {
    const xr = x + i * D; // x̂ row
    let r0 = rawIdx; // this row's candidates: [r0, r0 + S) in both raw arrays
    let rv0 = rawVal;
    if (batch) {
      r0 += i * S;
      rv0 += i * S;
    } else topKOfRow(mem, z + i * F, F, k, rawIdxView, rawValView, 0);
    // The slots that fire (all k under plain top-k), ordered by group (counting sort over G ≤ a few groups).
    const fires = (s: number) => !batch || (mem[rv0 + s] >= threshold && mem[rv0 + s] > 0);
    groupStart.fill(0);
    let used = 0;
    for (let s = 0; s < S; s++) if (fires(s)) {
      groupStart[groupOf[idx[r0 + s]] + 1]++;
      used++;
    }
    for (let q = 0; q < G; q++) groupStart[q + 1] += groupStart[q];
    for (let s = 0; s < S; s++) {
      if (!fires(s)) continue;
      const q = groupOf[idx[r0 + s]];
      const to = groupStart[q]++;
      idx[slotIdx + to] = idx[r0 + s];
      mem[slotVal + to] = mem[rv0 + s];
    }
    for (let q = G; q > 0; q--) groupStart[q] = groupStart[q - 1];
    groupStart[0] = 0;

    // errs[q, :] = x̃_q − x̂, x̃_q = b_d + Σ over active features of prefix q of a·Dec[j]:
    // built group by group, each prefix's error starting from the one before.
    for (let d = 0; d < D; d++) mem[errs + d] = mem[params + L.decBias + d] - mem[xr + d];
    for (let q = 0; q < G; q++) {
      const eq = errs + q * D;
      if (q > 0) mem.copyWithin(eq, eq - D, eq);
      const s0 = groupStart[q];
      ops.gatherAxpy(groupStart[q + 1] - s0, slotIdx + s0, slotVal + s0, dec, D, D, eq);
    }
    for (let d = 0; d < D; d++) {
      const e = mem[last + d];
      const xd = mem[xr + d];
      errSum += e * e;
      varSum += xd * xd;
    }
    // A feature of group q is in prefixes q … G − 1: its dL/dx̃ is the sum of their errors.
    // errs[q, :] ← g · Σ_{q' ≥ q} errs[q', :]  (suffix sums, last group first)
    for (let d = errs + (G - 1) * D - 1; d >= errs; d--) mem[d] += mem[d + D];
    for (let d = errs; d < errs + G * D; d++) mem[d] *= g;
    // The decoder bias is in every prefix.
    for (let d = 0; d < D; d++) mem[grads + L.decBias + d] += mem[errs + d];
    for (let q = 0; q < G; q++) {
      const s0 = groupStart[q];
      ops.sparseCodeBackward(groupStart[q + 1] - s0, slotIdx + s0, slotVal + s0, D, errs + q * D, dec, xr, grads + L.dec, grads + L.enc, grads + L.encBias);
    }
    for (let s = 0; s < used; s++) if (mem[slotVal + s] > 0) lastFired[idx[slotIdx + s]] = rowsSeen + i;

    if (deadCount > 0 && auxK > 0) {
      // The dead features' best reconstruction ê of what the whole dictionary left over, x̂ − x̃.
      const used = topKOfCandidates(mem, z + i * F, deadList, deadCount, auxK, auxIdxView, auxValView, 0);
      if (used === 0) continue;
      // auxErr = ê − (x̂ − x̃), scaled to dL_aux/dê. errs[G − 1] is now g · (x̃ − x̂).
      for (let d = 0; d < D; d++) mem[auxErr + d] = mem[last + d] / g;
      ops.gatherAxpy(used, auxIdx, auxVal, dec, D, D, auxErr);
      const ga = g * G * auxWeight;
      for (let d = auxErr; d < auxErr + D; d++) mem[d] *= ga;
      ops.sparseCodeBackward(used, auxIdx, auxVal, D, auxErr, dec, xr, grads + L.dec, grads + L.enc, grads + L.encBias);
    }
  }
  // Keep decoder rows on the unit sphere: drop each row gradient's part along the row.
  ops.projectRowsTangent(F, D, grads + L.dec, dec);
  return { err: errSum, var: varSum, threshold };
}

/**
 * The m-th largest of the values (m ≥ 1; 0 when there are fewer than m, or
 * when it is not positive: a bar of 0 keeps every positive activation).
 * Quickselect on a copy: the values are each row's candidates, a few
 * tens of thousands a step.
 */
export function kthLargest(values: ArrayLike<number>, m: number): number {
  if (m < 1 || m > values.length) return 0;
  const a = Float32Array.from(values as ArrayLike<number>);
  let lo = 0;
  let hi = a.length - 1;
  const want = m - 1; // position in descending order
  while (lo < hi) {
    const pivot = a[(lo + hi) >> 1];
    let i = lo;
    let j = hi;
    while (i <= j) {
      while (a[i] > pivot) i++;
      while (a[j] < pivot) j--;
      if (i <= j) {
        const t = a[i];
        a[i] = a[j];
        a[j] = t;
        i++;
        j--;
      }
    }
    if (want <= j) hi = j;
    else if (want >= i) lo = i;
    else break;
  }
  const v = a[want];
  return v > 0 ? v : 0;
}
