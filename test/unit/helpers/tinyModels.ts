import { Engine } from '../../../src/core/engine';
import { JsOps } from '../../../src/core/kernels/jsOps';
import { newManifest } from '../../../src/core/model/manifest';
import { ModelSpec } from '../../../src/core/modelSpec';
import { initParams, paramLayout } from '../../../src/core/params';
import { StepModel } from '../../../src/core/stepModel';
import { VOCAB_SIZE } from '../../../src/core/vocab';

/** A tiny random LSTM with the real kernels (JS reference ops): fast enough for thousands of steps. */
export function tinyEngine(seed: number, hidden: number[] = [16]): Engine {
  const spec: ModelSpec = { vocabSize: VOCAB_SIZE, embedDim: 8, hidden };
  const layout = paramLayout(spec);
  return new Engine({ layout, params: initParams(layout, seed), manifest: newManifest(spec, 'tiny') }, new JsOps());
}

/** Wraps a model and counts the characters it steps (a batch of n counts n). */
export class CountingModel implements StepModel {
  steps = 0;
  readonly vocabSize: number;
  readonly stateSize: number;
  constructor(readonly inner: StepModel) {
    this.vocabSize = inner.vocabSize;
    this.stateSize = inner.stateSize;
  }
  newState(): Float32Array {
    return this.inner.newState();
  }
  step(state: Float32Array, id: number, logProbs: Float32Array): void {
    this.steps++;
    this.inner.step(state, id, logProbs);
  }
  stepBatch(states: Float32Array, ids: ArrayLike<number>, n: number, logProbs: Float32Array): void {
    this.steps += n;
    this.inner.stepBatch(states, ids, n, logProbs);
  }
}
