/**
 * The shape of a char-LSTM: embedding (or one-hot) input, stacked LSTM
 * layers, a linear head over the vocabulary with softmax.
 */
export interface ModelSpec {
  vocabSize: number;
  /** Embedding width; 0 means one-hot input (the embedding is the identity). */
  embedDim: number;
  /** Hidden size of each stacked LSTM layer, bottom first. */
  hidden: number[];
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

/** Floats in one sequence's recurrent state: h and c for every layer. */
export function stateSize(spec: ModelSpec): number {
  return 2 * spec.hidden.reduce((a, b) => a + b, 0);
}

export function describeSpec(spec: ModelSpec): string {
  const emb = spec.embedDim > 0 ? `emb${spec.embedDim}` : 'onehot';
  return `${spec.hidden.length}x${spec.hidden.join('/')} ${emb}`;
}

/** Throws a clear error for a spec no kernel can run. */
export function validateSpec(spec: ModelSpec): void {
  const ok = (n: number, max: number) => Number.isInteger(n) && n >= 1 && n <= max;
  if (!ok(spec.vocabSize, 1 << 16)) throw new Error(`vocabulary size ${spec.vocabSize} is out of range`);
  if (!(spec.embedDim === 0 || ok(spec.embedDim, 4096))) throw new Error(`embedding size ${spec.embedDim} is out of range`);
  if (spec.hidden.length < 1 || spec.hidden.length > 16) throw new Error(`a model needs 1 to 16 LSTM layers, not ${spec.hidden.length}`);
  for (const h of spec.hidden) if (!ok(h, 8192)) throw new Error(`hidden size ${h} is out of range (1..8192)`);
}
