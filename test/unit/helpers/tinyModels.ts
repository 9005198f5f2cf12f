import { Engine } from '../../../src/core/engine';
import { JsOps } from '../../../src/core/kernels/jsOps';
import { newManifest } from '../../../src/core/model/manifest';
import { saveModel } from '../../../src/core/model/modelFiles';
import { ModelSpec } from '../../../src/core/modelSpec';
import { initParams, paramLayout } from '../../../src/core/params';
import { StepModel } from '../../../src/core/stepModel';
import { VOCAB_SIZE, charToId } from '../../../src/core/vocab';

/** A tiny random LSTM with the real kernels (JS reference ops): fast enough for thousands of steps. */
export function tinyEngine(seed: number, hidden: number[] = [16]): Engine {
  const spec: ModelSpec = { vocabSize: VOCAB_SIZE, embedDim: 8, hidden };
  const layout = paramLayout(spec);
  return new Engine({ layout, params: initParams(layout, seed), manifest: newManifest(spec, 'tiny') }, new JsOps());
}

/** Saves a tiny random LSTM (embedding 8, one layer of 16) with the weights of `seed`: a model folder for the CLI commands to read. */
export async function saveTinyModel(dir: string, seed: number, name = 'tiny'): Promise<void> {
  const spec: ModelSpec = { vocabSize: VOCAB_SIZE, embedDim: 8, hidden: [16] };
  const layout = paramLayout(spec);
  await saveModel(dir, { layout, params: initParams(layout, seed), manifest: newManifest(spec, name) });
}

/** A model that knows nothing: every character equally likely, whatever came before. */
export class UniformModel implements StepModel {
  readonly vocabSize = VOCAB_SIZE;
  readonly stateSize = 1;
  newState(): Float32Array {
    return new Float32Array(1);
  }
  step(state: Float32Array, _id: number, logProbs: Float32Array): void {
    state[0]++;
    logProbs.fill(-Math.log(VOCAB_SIZE));
  }
  stepBatch(states: Float32Array, ids: ArrayLike<number>, n: number, logProbs: Float32Array): void {
    for (let i = 0; i < n; i++) this.step(states.subarray(i, i + 1), ids[i], logProbs.subarray(i * VOCAB_SIZE, (i + 1) * VOCAB_SIZE));
  }
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

/**
 * A model that knows one text by heart: its state is how much of `script`
 * the text fed so far has matched from the start, and it gives the next
 * script character probability `p` (the rest share 1 − p). After the script,
 * or off it, a newline gets `p`. Documents in tests are a prefix of the
 * script, so the best completion is the script's continuation, by
 * construction.
 */
export class ScriptModel implements StepModel {
  readonly vocabSize = VOCAB_SIZE;
  readonly stateSize = 1;
  constructor(
    private readonly script: string,
    private readonly p = 0.9,
  ) {}

  newState(): Float32Array {
    return new Float32Array(1);
  }

  step(state: Float32Array, id: number, logProbs: Float32Array): void {
    const pos = state[0];
    state[0] = pos >= 0 && pos < this.script.length && charToId(this.script.charCodeAt(pos)) === id ? pos + 1 : -1;
    const next = state[0] >= 0 && state[0] < this.script.length ? charToId(this.script.charCodeAt(state[0])) : charToId(10);
    logProbs.fill(Math.log((1 - this.p) / (VOCAB_SIZE - 1)));
    logProbs[next] = Math.log(this.p);
  }

  stepBatch(states: Float32Array, ids: ArrayLike<number>, n: number, logProbs: Float32Array): void {
    for (let i = 0; i < n; i++) this.step(states.subarray(i, i + 1), ids[i], logProbs.subarray(i * VOCAB_SIZE, (i + 1) * VOCAB_SIZE));
  }
}
