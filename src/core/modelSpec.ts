/**
 * The recurrent cell of every layer: an LSTM, a GRU (TensorFlow.js's: reset
 * gate applied before the recurrent product, gates z, r, h) or a plain tanh
 * RNN (Keras' SimpleRNN).
 */
export type CellType = 'lstm' | 'gru' | 'rnn';

export const CELL_TYPES: readonly CellType[] = ['lstm', 'gru', 'rnn'];

/**
 * The shape of a char-RNN: embedding (or one-hot) input, stacked recurrent
 * layers of one cell type, a linear head over the vocabulary with softmax.
 */
export interface ModelSpec {
  vocabSize: number;
  /** Embedding width; 0 means one-hot input (the embedding is the identity). */
  embedDim: number;
  /** Hidden size of each stacked LSTM layer, bottom first. */
  hidden: number[];
  /** Cell type of every layer; absent means 'lstm' (models saved before GRUs and RNNs existed). */
  cell?: CellType;
}

export const DEFAULT_SPEC: ModelSpec = { vocabSize: 98, embedDim: 64, hidden: [256, 256] };

/** Width of the input to layer l (the embedding or one-hot for l = 0). */
export function layerInputSize(spec: ModelSpec, l: number): number {
  if (l > 0) return spec.hidden[l - 1];
  return spec.embedDim > 0 ? spec.embedDim : spec.vocabSize;
}

export function topHidden(spec: ModelSpec): number {
  return spec.hidden[spec.hidden.length - 1];
}

export function cellOf(spec: ModelSpec): CellType {
  return spec.cell ?? 'lstm';
}

/** Gate blocks per unit, the width of kernel columns in H: LSTM i,f,g,o; GRU z,r,h; RNN one. */
export function gatesPerUnit(spec: ModelSpec): number {
  const cell = cellOf(spec);
  return cell === 'lstm' ? 4 : cell === 'gru' ? 3 : 1;
}

/** Vectors a layer carries from step to step: h and c for an LSTM, h alone for a GRU or an RNN. */
export function stateVectors(spec: ModelSpec): number {
  return cellOf(spec) === 'lstm' ? 2 : 1;
}

/** Floats in one sequence's recurrent state: [layer][h (H) | c (H, LSTM only)]. */
export function stateSize(spec: ModelSpec): number {
  return stateVectors(spec) * spec.hidden.reduce((a, b) => a + b, 0);
}

/** Where layer l's h starts in a state; its c (LSTM) follows at + H. */
export function stateOffsets(spec: ModelSpec): number[] {
  const k = stateVectors(spec);
  const out: number[] = [];
  spec.hidden.reduce((off, H, l) => ((out[l] = off), off + k * H), 0);
  return out;
}

export function describeSpec(spec: ModelSpec): string {
  const emb = spec.embedDim > 0 ? `emb${spec.embedDim}` : 'onehot';
  const cell = cellOf(spec);
  return `${cell === 'lstm' ? '' : cell + ' '}${spec.hidden.length}x${spec.hidden.join('/')} ${emb}`;
}

/** Throws a clear error for a spec no kernel can run. */
export function validateSpec(spec: ModelSpec): void {
  const ok = (n: number, max: number) => Number.isInteger(n) && n >= 1 && n <= max;
  if (!ok(spec.vocabSize, 1 << 16)) throw new Error(`vocabulary size ${spec.vocabSize} is out of range`);
  if (!(spec.embedDim === 0 || ok(spec.embedDim, 4096))) throw new Error(`embedding size ${spec.embedDim} is out of range`);
  if (spec.cell !== undefined && !CELL_TYPES.includes(spec.cell)) throw new Error(`cell type ${JSON.stringify(spec.cell)} is not one of ${CELL_TYPES.join(', ')}`);
  if (spec.hidden.length < 1 || spec.hidden.length > 16) throw new Error(`a model needs 1 to 16 recurrent layers, not ${spec.hidden.length}`);
  for (const h of spec.hidden) if (!ok(h, 8192)) throw new Error(`hidden size ${h} is out of range (1..8192)`);
}
