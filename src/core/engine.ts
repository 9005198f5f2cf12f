import { Ops } from './kernels/ops';
import { Model } from './model/modelFiles';
import { CellType, ModelSpec, cellOf, gatesPerUnit, stateSize, stateVectors } from './modelSpec';
import { ParamLayout } from './params';
import { StepModel, SearchStart } from './stepModel';

/** Most sequences one stepBatch call takes (beam width, small batches). */
export const MAX_BATCH = 64;

/**
 * Stateful inference on the fused kernels: one character at a time, for one
 * sequence (completion) or a small batch (beam search).
 *
 * A state is [layer][h (H) | c (H, LSTM only)] flattened, owned by the
 * caller. The first layer's input projection is folded into a table: for
 * each character, embedding·W_x + b precomputed ([V, G·H], G gate blocks:
 * 4 LSTM, 3 GRU, 1 RNN), so a step starts with a row copy.
 */
export class Engine implements StepModel {
  readonly vocabSize: number;
  readonly stateSize: number;
  readonly spec: ModelSpec;
  readonly cell: CellType;
  private readonly params: number;
  private readonly inputTable: number;
  private readonly h: number[];
  private readonly c: number[];
  private readonly gates: number[];
  private readonly tanhC: number;
  /** r ⊙ h of a GRU step [n, H] (-1 for other cells). */
  private readonly rh: number;
  private readonly logits: number;
  private readonly layout: ParamLayout;

  constructor(
    model: Model,
    readonly ops: Ops,
  ) {
    const a = ops.arena;
    this.layout = model.layout;
    this.spec = model.layout.spec;
    const { spec } = this;
    this.vocabSize = spec.vocabSize;
    this.stateSize = stateSize(spec);
    const maxH = Math.max(...spec.hidden);
    this.cell = cellOf(spec);
    const G = gatesPerUnit(spec);
    this.params = a.allocFrom(model.params);
    this.h = spec.hidden.map((H) => a.alloc(MAX_BATCH * H));
    this.c = this.cell === 'lstm' ? spec.hidden.map((H) => a.alloc(MAX_BATCH * H)) : [];
    this.gates = spec.hidden.map((H) => a.alloc(MAX_BATCH * G * H));
    this.tanhC = this.cell === 'lstm' ? a.alloc(MAX_BATCH * maxH) : -1;
    this.rh = this.cell === 'gru' ? a.alloc(MAX_BATCH * maxH) : -1;
    this.logits = a.alloc(MAX_BATCH * spec.vocabSize);
    this.inputTable = a.alloc(spec.vocabSize * gatesPerUnit(spec) * spec.hidden[0]);
    this.fillInputTable();
  }

  /**
   * Replaces the weights in place (dynamic evaluation swaps in adapted ones):
   * a copy and one rebuild of the input table, no allocation. States made
   * with the old weights stay valid to continue from.
   */
  loadParams(params: Float32Array): void {
    if (params.length !== this.layout.total) throw new Error(`loadParams: expected ${this.layout.total} weights, got ${params.length}`);
    this.ops.arena.f32.set(params, this.params);
    this.fillInputTable();
  }

  /** [V, G·H₀]: the first layer's gate pre-activations for each input character. */
  private fillInputTable(): void {
    const { ops, layout, spec } = this;
    const V = spec.vocabSize;
    const G = gatesPerUnit(spec) * spec.hidden[0];
    const W = layout.layers[0];
    const p = this.params;
    const table = this.inputTable;
    if (spec.embedDim > 0) {
      ops.gemmNN(V, G, spec.embedDim, p + layout.embedding, spec.embedDim, p + W.kernel, G, table, G, 0);
    } else {
      ops.arena.f32.copyWithin(table, p + W.kernel, p + W.kernel + V * G);
    }
    ops.addRowVector(V, G, table, G, p + W.bias);
  }

  newState(): Float32Array {
    return new Float32Array(this.stateSize);
  }

  step(state: Float32Array, id: number, logProbs: Float32Array): void {
    this.stepBatch(state, [id], 1, logProbs);
  }

  stepBatch(states: Float32Array, ids: ArrayLike<number>, n: number, logProbs: Float32Array): void {
    if (n > MAX_BATCH) throw new Error(`stepBatch takes at most ${MAX_BATCH} sequences`);
    const { ops, spec, layout } = this;
    const f = ops.arena.f32;
    const p = this.params;
    const V = spec.vocabSize;
    const S = this.stateSize;
    const K = stateVectors(spec);
    const lstm = this.cell === 'lstm';

    // Scatter states into per-layer [n, H] blocks.
    for (let s = 0; s < n; s++) {
      let at = s * S;
      spec.hidden.forEach((H, l) => {
        f.set(states.subarray(at, at + H), this.h[l] + s * H);
        if (lstm) f.set(states.subarray(at + H, at + 2 * H), this.c[l] + s * H);
        at += K * H;
      });
    }

    const Gs = gatesPerUnit(spec);
    for (let l = 0; l < spec.hidden.length; l++) {
      const H = spec.hidden[l];
      const G = Gs * H;
      const W = layout.layers[l];
      const gates = this.gates[l];
      if (l === 0) {
        for (let s = 0; s < n; s++) {
          const row = this.inputTable + ids[s] * G;
          f.copyWithin(gates + s * G, row, row + G);
        }
      } else {
        const Hin = spec.hidden[l - 1];
        for (let s = 0; s < n; s++) f.copyWithin(gates + s * G, p + W.bias, p + W.bias + G);
        // gates[n,G·H] += h_below[n,Hin] · W_x[Hin,G·H]
        ops.gemmNN(n, G, Hin, this.h[l - 1], Hin, p + W.kernel, G, gates, G, 1);
      }
      this.recur(n, H, W.recurrent, gates, l);
    }
    const top = spec.hidden.length - 1;
    const Ht = spec.hidden[top];
    ops.gemmNN(n, V, Ht, this.h[top], Ht, p + layout.headKernel, V, this.logits, V, 0);
    ops.addRowVector(n, V, this.logits, V, p + layout.headBias);

    for (let s = 0; s < n; s++) {
      let at = s * S;
      spec.hidden.forEach((H, l) => {
        states.set(f.subarray(this.h[l] + s * H, this.h[l] + (s + 1) * H), at);
        if (lstm) states.set(f.subarray(this.c[l] + s * H, this.c[l] + (s + 1) * H), at + H);
        at += K * H;
      });
      logSoftmax(f, this.logits + s * V, V, logProbs, s * V);
    }
  }

  /**
   * One layer's recurrence for n rows: gates [n,G·H] hold the input
   * projection; h (and c) of layer l are updated in place.
   */
  private recur(n: number, H: number, recurrent: number, gates: number, l: number): void {
    const { ops } = this;
    const U = this.params + recurrent;
    if (this.cell === 'lstm') {
      // gates[n,4H] += h[n,H] · W_h[H,4H]; then h and c are updated in place.
      ops.gemmNN(n, 4 * H, H, this.h[l], H, U, 4 * H, gates, 4 * H, 1);
      ops.lstmCellForward(n, H, gates, this.c[l], this.c[l], this.h[l], this.tanhC);
    } else if (this.cell === 'gru') {
      const G = 3 * H;
      // z, r blocks += h[n,H] · U[H, 0:2H]; candidate block += (r ⊙ h)[n,H] · U[H, 2H:3H].
      ops.gemmNN(n, 2 * H, H, this.h[l], H, U, G, gates, G, 1);
      ops.gruGatesForward(n, H, gates, this.h[l], this.rh);
      ops.gemmNN(n, H, H, this.rh, H, U + 2 * H, G, gates + 2 * H, G, 1);
      ops.gruCellForward(n, H, gates, this.h[l], this.h[l]);
    } else {
      // pre[n,H] += h[n,H] · U[H,H]; h = tanh(pre).
      ops.gemmNN(n, H, H, this.h[l], H, U, H, gates, H, 1);
      ops.rnnCellForward(n, H, gates, this.h[l]);
    }
  }

  /**
   * Gate activations of layer l from the last step call, [n, G·H] with
   * column blocks i, f, g, o (LSTM), z, r, h̃ (GRU) or tanh's input (RNN),
   * for gate-saturation statistics. Valid until the next call.
   */
  lastGates(l: number, n = 1): Float32Array {
    return this.ops.arena.f32.subarray(this.gates[l], this.gates[l] + n * gatesPerUnit(this.spec) * this.spec.hidden[l]);
  }

  /** Feeds ids[from..to) and leaves log P(next) of the last one in logProbs. */
  feed(state: Float32Array, ids: ArrayLike<number>, logProbs: Float32Array, from = 0, to = ids.length): void {
    for (let i = from; i < to; i++) this.step(state, ids[i], logProbs);
  }

  /**
   * State and next-character distribution after a prefix. An empty prefix
   * starts as if after a newline (the start of a file looks like that).
   */
  prime(ids: ArrayLike<number>, newlineId: number): SearchStart {
    const state = this.newState();
    const logProbs = new Float32Array(this.vocabSize);
    if (ids.length === 0) this.step(state, newlineId, logProbs);
    else this.feed(state, ids, logProbs);
    return { state, logProbs };
  }
}

function logSoftmax(src: Float32Array, at: number, V: number, out: Float32Array, outAt: number): void {
  let max = -Infinity;
  for (let v = 0; v < V; v++) if (src[at + v] > max) max = src[at + v];
  let sum = 0;
  for (let v = 0; v < V; v++) sum += Math.exp(src[at + v] - max);
  const lse = max + Math.log(sum);
  for (let v = 0; v < V; v++) out[outAt + v] = src[at + v] - lse;
}
