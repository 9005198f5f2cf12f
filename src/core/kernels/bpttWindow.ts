import { Ops } from './ops';
import { CellType, cellOf, gatesPerUnit } from '../modelSpec';
import { LayerOffsets, ParamLayout } from '../params';

export interface WindowOptions {
  /** Compute gradients (training) or only the loss (evaluation). */
  backward: boolean;
  /** Dropout probability on the inputs of layers above the first and of the head. */
  dropout?: number;
  rng?: () => number;
  /**
   * L1 penalty on LSTM cell states: adds cellL1 · mean over the window's
   * characters of Σ_j |c_j| to the loss being minimised (its gradient only;
   * lossSum stays the cross-entropy). Sparse cells tend to read as one
   * concept each, which is what the heatmap shows.
   */
  cellL1?: number;
}

export interface WindowResult {
  /** Summed cross-entropy over the window, in nats. */
  lossSum: number;
  /** Characters predicted (B·T). */
  count: number;
  /** Predictions whose most likely character was the target (only when backward is false). */
  top1: number;
}

interface LayerBuffers {
  /** Gate pre-activations, then activations: [T·B, G·H] (G = 4 LSTM, 3 GRU, 1 RNN). */
  gates: number;
  /** h for t = -1..T-1: [(T+1)·B, H]; row block 0 is the carried-in state. */
  h: number;
  /** c for t = -1..T-1, same layout (LSTM only, else -1). */
  c: number;
  /** tanh(c_t): [T·B, H] (LSTM only, else -1). */
  tanhC: number;
  /** r_t ⊙ h_{t-1}: [T·B, H] (GRU only, else -1). */
  rh: number;
  /** Dropout mask and masked output fed upward: [T·B, H] (-1 without dropout). */
  mask: number;
  dropped: number;
}

/**
 * Called during backward for layer l and step t (T-1 down to 0) with the two
 * parts of dL/dh_t: from the layer above or the head (offset of [B,H]
 * floats) and through the recurrence from step t+1 (-1 at the last step).
 */
type HiddenGradientProbe = (l: number, t: number, dhAbove: number, dhRec: number) => void;

/**
 * Forward and backward over one window of truncated backpropagation through
 * time, for a batch of B independent character streams and T steps, on any
 * Ops back end, for LSTM, GRU or plain RNN layers. Every buffer lives in the
 * back end's arena and is allocated once here; a window allocates nothing.
 *
 * Rows of every [T·B, ·] buffer are time-major (row = t·B + b) so the B rows
 * of one step are contiguous and each recurrent product is a single GEMM.
 * The final h and c of a window become the initial state of the next one
 * (state is carried, gradients are not).
 */
export class BpttWindow {
  readonly cell: CellType;
  readonly params: number;
  readonly grads: number;
  private readonly layers: LayerBuffers[];
  private readonly embedded: number;
  private readonly logits: number;
  private readonly targets: number;
  private readonly dGates: number;
  private readonly dX: number[];
  private readonly dhRec: number;
  private readonly dc: number;
  private readonly dRh: number;
  private readonly ids: Int32Array;
  private dropoutInUse = false;
  private cellL1 = 0;
  private probe: HiddenGradientProbe | null = null;
  /** Backward from the last step's predictions only (gradientReach). */
  private lastStepOnly = false;

  constructor(
    readonly ops: Ops,
    readonly layout: ParamLayout,
    readonly B: number,
    readonly T: number,
    withDropout = true,
  ) {
    const a = ops.arena;
    const { spec } = layout;
    const TB = T * B;
    const maxH = Math.max(...spec.hidden);
    const cell = (this.cell = cellOf(spec));
    const G = gatesPerUnit(spec);
    this.params = a.alloc(layout.total);
    this.grads = a.alloc(layout.total);
    this.embedded = spec.embedDim > 0 ? a.alloc(TB * spec.embedDim) : -1;
    this.layers = spec.hidden.map((H) => ({
      gates: a.alloc(TB * G * H),
      h: a.alloc((T + 1) * B * H),
      c: cell === 'lstm' ? a.alloc((T + 1) * B * H) : -1,
      tanhC: cell === 'lstm' ? a.alloc(TB * H) : -1,
      rh: cell === 'gru' ? a.alloc(TB * H) : -1,
      mask: withDropout ? a.alloc(TB * H) : -1,
      dropped: withDropout ? a.alloc(TB * H) : -1,
    }));
    this.logits = a.alloc(TB * spec.vocabSize);
    this.targets = a.alloc(TB);
    this.dGates = a.alloc(TB * G * maxH);
    const maxIn = Math.max(maxH, spec.embedDim);
    this.dX = [a.alloc(TB * maxIn), a.alloc(TB * maxIn)];
    this.dhRec = a.alloc(B * maxH);
    this.dc = cell === 'lstm' ? a.alloc(B * maxH) : -1;
    this.dRh = cell === 'gru' ? a.alloc(B * maxH) : -1;
    this.ids = new Int32Array(TB);
  }

  paramsView(): Float32Array {
    return this.ops.arena.view(this.params, this.layout.total);
  }
  gradsView(): Float32Array {
    return this.ops.arena.view(this.grads, this.layout.total);
  }

  /** Zeroes the carried h and c of every stream (or of one stream b). */
  resetState(b?: number): void {
    const f = this.ops.arena.f32;
    this.layout.spec.hidden.forEach((H, l) => {
      const L = this.layers[l];
      const from = b === undefined ? 0 : b * H;
      const to = b === undefined ? this.B * H : (b + 1) * H;
      f.fill(0, L.h + from, L.h + to);
      if (L.c >= 0) f.fill(0, L.c + from, L.c + to);
    });
  }

  /**
   * Runs one window. x and y are [B, T] batch-major character ids: stream b's
   * inputs are x[b·T .. b·T+T-1] and y holds the next characters.
   */
  run(x: ArrayLike<number>, y: ArrayLike<number>, opts: WindowOptions): WindowResult {
    const { ops, layout, B, T } = this;
    const f = ops.arena.f32;
    const i32 = ops.arena.i32;
    const { spec } = layout;
    const V = spec.vocabSize;
    const TB = T * B;
    const p = this.params;
    const Gs = gatesPerUnit(spec);
    const dropout = opts.dropout ?? 0;
    this.dropoutInUse = dropout > 0 && this.layers[0].mask >= 0;
    if (dropout > 0 && !this.dropoutInUse) throw new Error('this window was built without dropout buffers');

    // Time-major ids and targets.
    for (let b = 0; b < B; b++) {
      for (let t = 0; t < T; t++) {
        this.ids[t * B + b] = x[b * T + t];
        i32[this.targets + t * B + b] = y[b * T + t];
      }
    }

    // ---- forward ----
    let input = -1;
    let inSize = 0;
    for (let l = 0; l < spec.hidden.length; l++) {
      const H = spec.hidden[l];
      const G = Gs * H;
      const W = layout.layers[l];
      const L = this.layers[l];
      if (l === 0) {
        if (spec.embedDim > 0) {
          // Embedding lookup, then the input projection of all T steps as one GEMM.
          const E = spec.embedDim;
          for (let r = 0; r < TB; r++) f.copyWithin(this.embedded + r * E, p + layout.embedding + this.ids[r] * E, p + layout.embedding + (this.ids[r] + 1) * E);
          ops.gemmNN(TB, G, E, this.embedded, E, p + W.kernel, G, L.gates, G, 0);
          input = this.embedded;
          inSize = E;
        } else {
          // One-hot input: the projection is a row gather of the kernel.
          for (let r = 0; r < TB; r++) f.copyWithin(L.gates + r * G, p + W.kernel + this.ids[r] * G, p + W.kernel + (this.ids[r] + 1) * G);
        }
      } else {
        ops.gemmNN(TB, G, inSize, input, inSize, p + W.kernel, G, L.gates, G, 0);
      }
      ops.addRowVector(TB, G, L.gates, G, p + W.bias);
      this.forwardSteps(L, W, H);
      input = L.h + B * H;
      if (this.dropoutInUse) input = this.applyDropout(L, H, dropout, opts.rng ?? Math.random);
      inSize = H;
    }
    // Head: logits [T·B, V] = top · Wy + by.
    ops.gemmNN(TB, V, inSize, input, inSize, p + layout.headKernel, V, this.logits, V, 0);
    ops.addRowVector(TB, V, this.logits, V, p + layout.headBias);

    let top1 = 0;
    if (!opts.backward) {
      top1 = this.countTop1(TB, V);
      const lossSum = ops.softmaxCrossEntropy(TB, V, this.logits, this.targets, -1, 0);
      this.carryState();
      return { lossSum, count: TB, top1 };
    }
    const lossSum = ops.softmaxCrossEntropy(TB, V, this.logits, this.targets, this.logits, 1 / TB);
    if (this.lastStepOnly) {
      // Keep the last step's rows of dLogits (rescaled to a mean over B), zero the rest.
      const last = (T - 1) * B * V;
      f.fill(0, this.logits, this.logits + last);
      for (let i = last; i < TB * V; i++) f[this.logits + i] *= T;
    }
    this.cellL1 = this.cell === 'lstm' ? (opts.cellL1 ?? 0) : 0;
    this.backward(input, inSize);
    this.carryState();
    return { lossSum, count: TB, top1 };
  }

  /** The recurrence of one layer over the window; the input projections are already in L.gates. */
  private forwardSteps(L: LayerBuffers, W: LayerOffsets, H: number): void {
    const { ops, B, T } = this;
    const p = this.params;
    if (this.cell === 'lstm') {
      const G = 4 * H;
      for (let t = 0; t < T; t++) {
        const gt = L.gates + t * B * G;
        // gates_t += h_{t-1}[B,H] · Wh[H,4H]
        ops.gemmNN(B, G, H, L.h + t * B * H, H, p + W.recurrent, G, gt, G, 1);
        ops.lstmCellForward(B, H, gt, L.c + t * B * H, L.c + (t + 1) * B * H, L.h + (t + 1) * B * H, L.tanhC + t * B * H);
      }
    } else if (this.cell === 'gru') {
      const G = 3 * H;
      for (let t = 0; t < T; t++) {
        const gt = L.gates + t * B * G;
        const hPrev = L.h + t * B * H;
        const rh = L.rh + t * B * H;
        // z,r blocks of gates_t += h_{t-1}[B,H] · U[H, 0:2H] (row stride 3H)
        ops.gemmNN(B, 2 * H, H, hPrev, H, p + W.recurrent, G, gt, G, 1);
        ops.gruGatesForward(B, H, gt, hPrev, rh);
        // candidate block += (r ⊙ h_{t-1})[B,H] · U[H, 2H:3H]
        ops.gemmNN(B, H, H, rh, H, p + W.recurrent + 2 * H, G, gt + 2 * H, G, 1);
        ops.gruCellForward(B, H, gt, hPrev, L.h + (t + 1) * B * H);
      }
    } else {
      for (let t = 0; t < T; t++) {
        const gt = L.gates + t * B * H;
        // pre_t += h_{t-1}[B,H] · U[H,H]
        ops.gemmNN(B, H, H, L.h + t * B * H, H, p + W.recurrent, H, gt, H, 1);
        ops.rnnCellForward(B, H, gt, L.h + (t + 1) * B * H);
      }
    }
  }

  /**
   * Backward through one layer's recurrence: from dOut (dL/dh_t from above,
   * [T·B, H]) to the gate pre-activation gradients in dGates, and the
   * recurrent kernel's gradient.
   */
  private backwardSteps(l: number, L: LayerBuffers, W: LayerOffsets, H: number, dOut: number): void {
    const { ops, B, T } = this;
    const f = ops.arena.f32;
    const p = this.params;
    const g = this.grads;
    const TB = T * B;
    const probe = this.probe;
    // dhRec holds dL/dh_t from step t+1 (absent at the window's last step).
    if (this.cell === 'lstm') {
      const G = 4 * H;
      f.fill(0, this.dc, this.dc + B * H);
      for (let t = T - 1; t >= 0; t--) {
        const dgt = this.dGates + t * B * G;
        probe?.(l, t, dOut + t * B * H, t === T - 1 ? -1 : this.dhRec);
        if (this.cellL1 > 0) this.addCellL1Gradient(L.c + (t + 1) * B * H, B * H, this.cellL1 / TB);
        ops.lstmCellBackward(B, H, L.gates + t * B * G, L.c + t * B * H, L.tanhC + t * B * H, dOut + t * B * H, t === T - 1 ? -1 : this.dhRec, this.dc, dgt);
        // dh_{t-1} = dGates_t[B,4H] · Whᵀ
        if (t > 0) ops.gemmNT(B, H, G, dgt, G, p + W.recurrent, G, this.dhRec, H, 0);
      }
      // dWh = Σ_t h_{t-1}ᵀ · dGates_t, one GEMM over all steps.
      ops.gemmTN(H, G, TB, L.h, H, this.dGates, G, g + W.recurrent, G, 1);
    } else if (this.cell === 'gru') {
      const G = 3 * H;
      for (let t = T - 1; t >= 0; t--) {
        const gt = L.gates + t * B * G;
        const dgt = this.dGates + t * B * G;
        const hPrev = L.h + t * B * H;
        probe?.(l, t, dOut + t * B * H, t === T - 1 ? -1 : this.dhRec);
        // dz, dh̃ pre-activations; dhRec becomes dh_t ⊙ z (the direct path to h_{t-1}).
        ops.gruCellBackward(B, H, gt, hPrev, dOut + t * B * H, t === T - 1 ? -1 : this.dhRec, this.dhRec, dgt);
        // d(r ⊙ h_{t-1})[B,H] = dh̃_t[B,H] · U_hᵀ (U_h: columns 2H..3H of U, row stride 3H)
        ops.gemmNT(B, H, H, dgt + 2 * H, G, p + W.recurrent + 2 * H, G, this.dRh, H, 0);
        ops.gruResetBackward(B, H, gt, hPrev, this.dRh, this.dhRec, dgt);
        // dh_{t-1} += [dz, dr]_t[B,2H] · U_zrᵀ
        if (t > 0) ops.gemmNT(B, H, 2 * H, dgt, G, p + W.recurrent, G, this.dhRec, H, 1);
      }
      // dU_zr = Σ_t h_{t-1}ᵀ · [dz, dr]_t;  dU_h = Σ_t (r ⊙ h_{t-1})ᵀ · dh̃_t.
      ops.gemmTN(H, 2 * H, TB, L.h, H, this.dGates, G, g + W.recurrent, G, 1);
      ops.gemmTN(H, H, TB, L.rh, H, this.dGates + 2 * H, G, g + W.recurrent + 2 * H, G, 1);
    } else {
      for (let t = T - 1; t >= 0; t--) {
        const dgt = this.dGates + t * B * H;
        probe?.(l, t, dOut + t * B * H, t === T - 1 ? -1 : this.dhRec);
        ops.rnnCellBackward(B, H, L.h + (t + 1) * B * H, dOut + t * B * H, t === T - 1 ? -1 : this.dhRec, dgt);
        // dh_{t-1} = dPre_t[B,H] · Uᵀ
        if (t > 0) ops.gemmNT(B, H, H, dgt, H, p + W.recurrent, H, this.dhRec, H, 0);
      }
      ops.gemmTN(H, H, TB, L.h, H, this.dGates, H, g + W.recurrent, H, 1);
    }
  }

  /** dc[B,H] += scale · sign(c_t[B,H]): the gradient of the cell L1 penalty at one step. */
  private addCellL1Gradient(cT: number, n: number, scale: number): void {
    const f = this.ops.arena.f32;
    const dc = this.dc;
    for (let i = 0; i < n; i++) {
      const v = f[cT + i];
      if (v > 0) f[dc + i] += scale;
      else if (v < 0) f[dc + i] -= scale;
    }
  }

  private backward(topInput: number, topSize: number): void {
    const { ops, layout, B, T } = this;
    const f = ops.arena.f32;
    const { spec } = layout;
    const V = spec.vocabSize;
    const TB = T * B;
    const p = this.params;
    const g = this.grads;
    f.fill(0, g, g + layout.total);

    // Head gradients; dLogits sits where the logits were.
    const dLogits = this.logits;
    ops.gemmTN(topSize, V, TB, topInput, topSize, dLogits, V, g + layout.headKernel, V, 1);
    ops.addColumnSums(TB, V, dLogits, V, g + layout.headBias);
    let dOut = this.dX[0];
    ops.gemmNT(TB, topSize, V, dLogits, V, p + layout.headKernel, V, dOut, topSize, 0);

    const Gs = gatesPerUnit(spec);
    for (let l = spec.hidden.length - 1; l >= 0; l--) {
      const H = spec.hidden[l];
      const G = Gs * H;
      const W = layout.layers[l];
      const L = this.layers[l];
      if (this.dropoutInUse) this.maskGradient(dOut, L.mask, TB * H);

      this.backwardSteps(l, L, W, H, dOut);
      ops.addColumnSums(TB, G, this.dGates, G, g + W.bias);

      if (l > 0) {
        const below = this.layers[l - 1];
        const inSize = spec.hidden[l - 1];
        const x = this.dropoutInUse ? below.dropped : below.h + B * inSize;
        ops.gemmTN(inSize, G, TB, x, inSize, this.dGates, G, g + W.kernel, G, 1);
        const next = dOut === this.dX[0] ? this.dX[1] : this.dX[0];
        ops.gemmNT(TB, inSize, G, this.dGates, G, p + W.kernel, G, next, inSize, 0);
        dOut = next;
      } else if (spec.embedDim > 0) {
        const E = spec.embedDim;
        ops.gemmTN(E, G, TB, this.embedded, E, this.dGates, G, g + W.kernel, G, 1);
        const dEmb = this.dX[dOut === this.dX[0] ? 1 : 0];
        ops.gemmNT(TB, E, G, this.dGates, G, p + W.kernel, G, dEmb, E, 0);
        // Scatter-add into the embedding rows that were looked up.
        const ge = g + layout.embedding;
        for (let r = 0; r < TB; r++) {
          const dst = ge + this.ids[r] * E;
          const src = dEmb + r * E;
          for (let e = 0; e < E; e++) f[dst + e] += f[src + e];
        }
      } else {
        for (let r = 0; r < TB; r++) {
          const dst = g + W.kernel + this.ids[r] * G;
          const src = this.dGates + r * G;
          for (let j = 0; j < G; j++) f[dst + j] += f[src + j];
        }
      }
    }
  }

  /**
   * How far back the gradient of one prediction reaches: the loss of the
   * window's last character alone, and for k = 0..T-1 the norm of
   * dL/dh_{T-1-k} of layer `layer` (default the top one), averaged over the
   * B streams. A plain RNN's norms shrink geometrically with k (the
   * vanishing gradient); an LSTM's and a GRU's fall much more slowly.
   * Leaves grads holding that loss's gradient and carries the state on, as
   * run does. x and y are [B,T] as for run.
   */
  gradientReach(x: ArrayLike<number>, y: ArrayLike<number>, layer = this.layout.spec.hidden.length - 1): Float64Array {
    const { B, T } = this;
    const H = this.layout.spec.hidden[layer];
    if (H === undefined) throw new Error(`layer ${layer} does not exist (the model has ${this.layout.spec.hidden.length})`);
    const norms = new Float64Array(T);
    this.probe = (l, t, dhAbove, dhRec) => {
      if (l !== layer) return;
      const f = this.ops.arena.f32;
      let sum = 0;
      for (let b = 0; b < B; b++) {
        let sq = 0;
        for (let j = 0; j < H; j++) {
          const d = f[dhAbove + b * H + j] + (dhRec >= 0 ? f[dhRec + b * H + j] : 0);
          sq += d * d;
        }
        sum += Math.sqrt(sq);
      }
      norms[T - 1 - t] = sum / B;
    };
    this.lastStepOnly = true;
    try {
      this.run(x, y, { backward: true });
    } finally {
      this.probe = null;
      this.lastStepOnly = false;
    }
    return norms;
  }

  /** Inverted dropout on a layer's outputs; returns the offset of the masked copy. */
  private applyDropout(L: LayerBuffers, H: number, rate: number, rng: () => number): number {
    const f = this.ops.arena.f32;
    const keep = 1 / (1 - rate);
    const hOut = L.h + this.B * H; // h_0 .. h_{T-1}
    const n = this.T * this.B * H;
    for (let i = 0; i < n; i++) {
      const m = rng() < rate ? 0 : keep;
      f[L.mask + i] = m;
      f[L.dropped + i] = f[hOut + i] * m;
    }
    return L.dropped;
  }

  private maskGradient(d: number, mask: number, n: number): void {
    const f = this.ops.arena.f32;
    for (let i = 0; i < n; i++) f[d + i] *= f[mask + i];
  }

  private countTop1(TB: number, V: number): number {
    const f = this.ops.arena.f32;
    const t = this.ops.arena.i32;
    let correct = 0;
    for (let r = 0; r < TB; r++) {
      const row = this.logits + r * V;
      let best = 0;
      for (let v = 1; v < V; v++) if (f[row + v] > f[row + best]) best = v;
      if (best === t[this.targets + r]) correct++;
    }
    return correct;
  }

  /** The last step's h and c become the next window's initial state. */
  private carryState(): void {
    const f = this.ops.arena.f32;
    const { B, T } = this;
    this.layout.spec.hidden.forEach((H, l) => {
      const L = this.layers[l];
      f.copyWithin(L.h, L.h + T * B * H, L.h + (T + 1) * B * H);
      if (L.c >= 0) f.copyWithin(L.c, L.c + T * B * H, L.c + (T + 1) * B * H);
    });
  }

  /** Copies the carried state out ([layer][h|c (LSTM only)][B,H], flattened). */
  saveState(): Float32Array {
    const f = this.ops.arena.f32;
    const parts: Float32Array[] = [];
    this.layout.spec.hidden.forEach((H, l) => {
      const L = this.layers[l];
      parts.push(f.slice(L.h, L.h + this.B * H));
      if (L.c >= 0) parts.push(f.slice(L.c, L.c + this.B * H));
    });
    const out = new Float32Array(parts.reduce((s, x) => s + x.length, 0));
    let at = 0;
    for (const x of parts) {
      out.set(x, at);
      at += x.length;
    }
    return out;
  }

  loadState(state: Float32Array): void {
    const f = this.ops.arena.f32;
    let at = 0;
    this.layout.spec.hidden.forEach((H, l) => {
      const L = this.layers[l];
      const n = this.B * H;
      f.set(state.subarray(at, at + n), L.h);
      at += n;
      if (L.c >= 0) {
        f.set(state.subarray(at, at + n), L.c);
        at += n;
      }
    });
  }
}
