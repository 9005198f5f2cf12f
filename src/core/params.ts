import { CellType, ModelSpec, cellOf, gatesPerUnit, layerInputSize, topHidden, validateSpec } from './modelSpec';

/**
 * Where each weight lives inside one flat Float32Array of parameters.
 * Shapes and orders are the Keras / TensorFlow.js ones, so saving and loading
 * the Layers format is a straight copy:
 *   embedding  [V, E]
 *   kernel     [in, G·H]  G gate blocks of H columns:
 *                         LSTM (G = 4) i, f, g (cell candidate), o;
 *                         GRU (G = 3) z (update), r (reset), h (candidate);
 *                         RNN (G = 1) the pre-activation of h
 *   recurrent  [H, G·H]
 *   bias       [G·H]
 *   head kernel [H_top, V], head bias [V]
 * One flat block makes Adam, gradient norms and sharing with workers one loop
 * or one copy each.
 */
export interface LayerOffsets {
  inSize: number;
  hidden: number;
  kernel: number;
  recurrent: number;
  bias: number;
}

export interface ParamLayout {
  spec: ModelSpec;
  /** -1 for one-hot input. */
  embedding: number;
  layers: LayerOffsets[];
  headKernel: number;
  headBias: number;
  total: number;
}

export function paramLayout(spec: ModelSpec): ParamLayout {
  validateSpec(spec);
  let at = 0;
  const take = (n: number) => {
    const off = at;
    at += n;
    return off;
  };
  const embedding = spec.embedDim > 0 ? take(spec.vocabSize * spec.embedDim) : -1;
  const G = gatesPerUnit(spec);
  const layers = spec.hidden.map((H, l) => {
    const inSize = layerInputSize(spec, l);
    return { inSize, hidden: H, kernel: take(inSize * G * H), recurrent: take(H * G * H), bias: take(G * H) };
  });
  const Ht = topHidden(spec);
  const headKernel = take(Ht * spec.vocabSize);
  const headBias = take(spec.vocabSize);
  return { spec, embedding, layers, headKernel, headBias, total: at };
}

/** A named weight tensor of the layout, in Keras order. */
export interface WeightEntry {
  /** Keras-style name, e.g. `lstm_1/recurrent_kernel` or `gru/kernel`. */
  name: string;
  layerName: string;
  shape: number[];
  offset: number;
  size: number;
}

/** Keras' default name stem of a recurrent layer class. */
const LAYER_STEM: Record<CellType, string> = { lstm: 'lstm', gru: 'gru', rnn: 'simple_rnn' };

/** The name we give recurrent layer l: lstm, lstm_1, … (gru…, simple_rnn… for the other cells). */
export function recurrentLayerName(cell: CellType, l: number): string {
  return l === 0 ? LAYER_STEM[cell] : `${LAYER_STEM[cell]}_${l}`;
}

/** The weights in the order Keras lists them, with the names we save. */
export function weightEntries(layout: ParamLayout): WeightEntry[] {
  const { spec } = layout;
  const cell = cellOf(spec);
  const G = gatesPerUnit(spec);
  const out: WeightEntry[] = [];
  const add = (layerName: string, w: string, shape: number[], offset: number) =>
    out.push({ name: `${layerName}/${w}`, layerName, shape, offset, size: shape.reduce((a, b) => a * b, 1) });
  if (layout.embedding >= 0) add('embedding', 'embeddings', [spec.vocabSize, spec.embedDim], layout.embedding);
  layout.layers.forEach((L, l) => {
    const name = recurrentLayerName(cell, l);
    add(name, 'kernel', [L.inSize, G * L.hidden], L.kernel);
    add(name, 'recurrent_kernel', [L.hidden, G * L.hidden], L.recurrent);
    add(name, 'bias', [G * L.hidden], L.bias);
  });
  add('dense', 'kernel', [topHidden(spec), spec.vocabSize], layout.headKernel);
  add('dense', 'bias', [spec.vocabSize], layout.headBias);
  return out;
}

/** Small deterministic PRNG (mulberry32): reproducible inits, dropout masks and batches. */
export function makeRng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * Fresh weights: Glorot-uniform kernels (Keras' default), the same scale for
 * recurrent kernels (orthogonal init is slow at this size and buys little
 * here), zero biases except the LSTM forget gate's, which starts at 1 so
 * that early training remembers (Keras' unit_forget_bias; GRU and SimpleRNN
 * biases start at zero in Keras too).
 */
export function initParams(layout: ParamLayout, seed = 1): Float32Array {
  const rng = makeRng(seed);
  const p = new Float32Array(layout.total);
  const glorot = (off: number, fanIn: number, fanOut: number) => {
    const lim = Math.sqrt(6 / (fanIn + fanOut));
    for (let i = 0; i < fanIn * fanOut; i++) p[off + i] = (rng() * 2 - 1) * lim;
  };
  const { spec } = layout;
  if (layout.embedding >= 0) {
    for (let i = 0; i < spec.vocabSize * spec.embedDim; i++) p[layout.embedding + i] = (rng() * 2 - 1) * 0.05;
  }
  const G = gatesPerUnit(spec);
  for (const L of layout.layers) {
    glorot(L.kernel, L.inSize, G * L.hidden);
    glorot(L.recurrent, L.hidden, G * L.hidden);
    if (cellOf(spec) === 'lstm') p.fill(1, L.bias + L.hidden, L.bias + 2 * L.hidden);
  }
  glorot(layout.headKernel, topHidden(spec), spec.vocabSize);
  return p;
}
