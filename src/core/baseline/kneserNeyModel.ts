import { StepModel } from '../stepModel';
import { NEWLINE_ID, VOCAB_SIZE } from '../vocab';

/**
 * The baseline the LSTM has to beat: a character n-gram model with
 * interpolated Kneser–Ney smoothing (Chen & Goodman), one absolute discount
 * per order estimated from count-of-counts, D = n1 / (n1 + 2·n2).
 *
 *   P_k(w | h) = max(c_k(h,w) − D_k, 0) / c_k(h) + D_k · N1+(h •) / c_k(h) · P_{k−1}(w | h')
 *
 * where c_k are raw counts at the highest order and continuation counts
 * (distinct left neighbours) below it, h' drops h's oldest character, and
 * the recursion ends in the uniform distribution. A context never seen
 * falls through to the next lower order.
 *
 * It implements StepModel, so the same search, completion and evaluation
 * code runs on it as on the LSTM. Its state is the last order−1 character
 * ids.
 */
export class KneserNeyModel implements StepModel {
  readonly vocabSize = VOCAB_SIZE;
  readonly stateSize: number;
  /** Per order k (1..n): counts of (context, char) and per-context totals / distinct followers. */
  private readonly pairCounts: Map<number, number>[] = [];
  private readonly contextTotals: Map<number, number>[] = [];
  private readonly contextTypes: Map<number, number>[] = [];
  private readonly discounts: number[] = [];
  private readonly probs = new Float64Array(VOCAB_SIZE);

  constructor(readonly order: number) {
    if (!Number.isInteger(order) || order < 1 || order > 7) throw new Error(`n-gram order must be 1..7, not ${order}`);
    this.stateSize = order - 1;
  }

  /**
   * Context keys pack up to 6 ids of 7 bits each, plus the length, into one
   * number below 2^53: key = ((len·128 + c1)·128 + c2)… so contexts of
   * different lengths never collide.
   */
  private static key(ids: ArrayLike<number>, from: number, to: number): number {
    let k = to - from;
    for (let i = from; i < to; i++) k = k * 128 + ids[i];
    return k;
  }

  /** Counts every n-gram of the texts (already encoded); each text starts after newlines, as a file does. */
  train(texts: Uint8Array[]): this {
    const n = this.order;
    const counts: Map<number, number>[] = [];
    for (let k = 1; k <= n; k++) counts[k] = new Map();
    // Highest order: raw counts of every n-gram.
    for (const text of texts) {
      const ids = new Uint8Array(n - 1 + text.length);
      ids.fill(NEWLINE_ID, 0, n - 1);
      ids.set(text, n - 1);
      for (let i = n - 1; i < ids.length; i++) {
        const key = KneserNeyModel.key(ids, i - (n - 1), i + 1);
        counts[n].set(key, (counts[n].get(key) ?? 0) + 1);
      }
    }
    // Lower orders: continuation counts, the number of distinct characters
    // seen before each gram (one per distinct gram one order up).
    for (let k = n - 1; k >= 1; k--) {
      for (const key of counts[k + 1].keys()) {
        const gram = KneserNeyModel.unpack(key);
        const shorter = KneserNeyModel.key(gram, 1, gram.length);
        counts[k].set(shorter, (counts[k].get(shorter) ?? 0) + 1);
      }
    }
    for (let k = 1; k <= n; k++) {
      const totals = new Map<number, number>();
      const types = new Map<number, number>();
      let n1 = 0;
      let n2 = 0;
      for (const [key, count] of counts[k]) {
        const gram = KneserNeyModel.unpack(key);
        const ctx = KneserNeyModel.key(gram, 0, gram.length - 1);
        totals.set(ctx, (totals.get(ctx) ?? 0) + count);
        types.set(ctx, (types.get(ctx) ?? 0) + 1);
        if (count === 1) n1++;
        else if (count === 2) n2++;
      }
      this.pairCounts[k] = counts[k];
      this.contextTotals[k] = totals;
      this.contextTypes[k] = types;
      this.discounts[k] = n1 + 2 * n2 > 0 ? Math.min(0.95, Math.max(0.05, n1 / (n1 + 2 * n2))) : 0.5;
    }
    return this;
  }

  /** The ids of a gram key (see key()); the length sits above the ids. */
  private static unpack(key: number): number[] {
    const out: number[] = [];
    let k = key;
    while (k >= 128) {
      out.push(k % 128);
      k = Math.floor(k / 128);
    }
    return out.reverse();
  }

  /** The history before a file: newlines, as in training. */
  newState(): Float32Array {
    return new Float32Array(this.stateSize).fill(NEWLINE_ID);
  }

  /** Fills this.probs with P(· | history) for the history in `state` (oldest first, −1 = none). */
  private distribution(state: Float32Array): Float64Array {
    const V = this.vocabSize;
    const p = this.probs;
    p.fill(1 / V);
    const hist = Array.from(state);
    const gram = new Array<number>(hist.length + 1);
    for (let k = 1; k <= this.order; k++) {
      const ctxLen = k - 1;
      if (ctxLen > hist.length) break;
      const ctx = hist.slice(hist.length - ctxLen);
      const ctxKey = KneserNeyModel.key(ctx, 0, ctx.length);
      const total = this.contextTotals[k].get(ctxKey);
      if (!total) continue;
      const D = this.discounts[k];
      const backoff = (D * (this.contextTypes[k].get(ctxKey) ?? 0)) / total;
      for (let i = 0; i < ctx.length; i++) gram[i] = ctx[i];
      for (let w = 0; w < V; w++) {
        gram[ctx.length] = w;
        const c = this.pairCounts[k].get(KneserNeyModel.key(gram, 0, ctx.length + 1)) ?? 0;
        p[w] = Math.max(c - D, 0) / total + backoff * p[w];
      }
    }
    return p;
  }

  step(state: Float32Array, id: number, logProbs: Float32Array): void {
    this.advance(state, id);
    const p = this.distribution(state);
    for (let w = 0; w < this.vocabSize; w++) logProbs[w] = Math.log(p[w]);
  }

  stepBatch(states: Float32Array, ids: ArrayLike<number>, n: number, logProbs: Float32Array): void {
    const S = this.stateSize;
    for (let s = 0; s < n; s++) this.step(states.subarray(s * S, (s + 1) * S), ids[s], logProbs.subarray(s * this.vocabSize, (s + 1) * this.vocabSize));
  }

  private advance(state: Float32Array, id: number): void {
    if (state.length === 0) return;
    state.copyWithin(0, 1);
    state[state.length - 1] = id;
  }
}
