import { StepModel } from '../stepModel';

/**
 * stepBatch for a search wrapper whose state is [inner model's state | its
 * own slots] (the document cache, the word memory): the inner model steps
 * all n states together (its fast path) on its part of each state, packed
 * apart from the slots; then `after` updates each state's slots and mixes
 * into that state's log-probabilities.
 *   states: [n, stateSize], logProbs: [n, vocabSize]
 */
export function stepInnerBatch(
  inner: StepModel,
  stateSize: number,
  states: Float32Array,
  ids: ArrayLike<number>,
  n: number,
  logProbs: Float32Array,
  after: (state: Float32Array, id: number, logProbs: Float32Array) => void,
): void {
  const S = inner.stateSize;
  const V = inner.vocabSize;
  const packed = new Float32Array(n * S);
  for (let i = 0; i < n; i++) packed.set(states.subarray(i * stateSize, i * stateSize + S), i * S);
  inner.stepBatch(packed, ids, n, logProbs);
  for (let i = 0; i < n; i++) {
    const state = states.subarray(i * stateSize, (i + 1) * stateSize);
    state.set(packed.subarray(i * S, (i + 1) * S));
    after(state, ids[i], logProbs.subarray(i * V, (i + 1) * V));
  }
}
