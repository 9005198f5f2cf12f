/**
 * What search needs from a model: advance a recurrent state by one character
 * and get the log-probabilities of the next one. The engine implements it
 * with the fused kernels; tests can implement it with a tiny fake.
 *
 * A state is a Float32Array of `stateSize` floats owned by the caller, so
 * that copying, forking (beam search) and checkpointing states is a
 * `Float32Array.set`.
 */
export interface StepModel {
  readonly vocabSize: number;
  readonly stateSize: number;
  newState(): Float32Array;
  /** Feeds character `id`: updates `state` in place, writes log P(next char) into `logProbs` [V]. */
  step(state: Float32Array, id: number, logProbs: Float32Array): void;
  /**
   * Feeds n sequences at once (beam search): `states` is [n, stateSize]
   * contiguous and updated in place, `ids` has n ids, `logProbs` is [n, V].
   */
  stepBatch(states: Float32Array, ids: ArrayLike<number>, n: number, logProbs: Float32Array): void;
}

/** Where a search starts: the state after the prefix, and the distribution of the next character. */
export interface SearchStart {
  state: Float32Array;
  logProbs: Float32Array;
}
