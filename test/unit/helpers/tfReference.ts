import * as tf from '@tensorflow/tfjs';
import { cellOf } from '../../../src/core/modelSpec';
import { ParamLayout, weightEntries } from '../../../src/core/params';

/** Quiet tfjs on the cpu backend (the one with the embedding op). */
export async function useTfCpu(): Promise<typeof tf> {
  await tf.setBackend('cpu');
  await tf.ready();
  return tf;
}

/**
 * The same network built from tf.layers (embedding or one-hot → LSTM, GRU
 * or SimpleRNN × L → dense), with our weights copied in by Keras order. This
 * is the reference our kernels are held to.
 */
export function buildTfModel(layout: ParamLayout, params: Float32Array, T: number): tf.Sequential {
  const { spec } = layout;
  const model = tf.sequential();
  if (spec.embedDim > 0) {
    model.add(tf.layers.embedding({ inputDim: spec.vocabSize, outputDim: spec.embedDim, inputLength: T, inputShape: [T] }));
  }
  const cell = cellOf(spec);
  spec.hidden.forEach((H, l) => {
    const config = {
      units: H,
      returnSequences: true,
      recurrentInitializer: 'glorotUniform',
      ...(l === 0 && spec.embedDim === 0 ? { inputShape: [T, spec.vocabSize] } : {}),
    } as const;
    // tf.layers' LSTM and GRU default to hardSigmoid gates; ours are sigmoid.
    if (cell === 'lstm') model.add(tf.layers.lstm({ ...config, recurrentActivation: 'sigmoid' }));
    else if (cell === 'gru') model.add(tf.layers.gru({ ...config, recurrentActivation: 'sigmoid' }));
    else model.add(tf.layers.simpleRNN(config));
  });
  model.add(tf.layers.dense({ units: spec.vocabSize }));
  const entries = weightEntries(layout);
  model.setWeights(entries.map((e) => tf.tensor(params.slice(e.offset, e.offset + e.size), e.shape)));
  return model;
}

/** Model input for ids [B,T]: the ids, or their one-hot rows. */
export function tfInput(layout: ParamLayout, ids: number[], B: number, T: number): tf.Tensor {
  const x = tf.tensor2d(ids, [B, T], 'int32');
  return layout.spec.embedDim > 0 ? x.toFloat() : tf.oneHot(x, layout.spec.vocabSize).toFloat();
}

/** Mean cross-entropy of next-character predictions, and its gradient per weight (Keras order). */
export function tfLossAndGrads(model: tf.Sequential, input: tf.Tensor, targets: number[], B: number, T: number, V: number) {
  const labels = tf.oneHot(tf.tensor2d(targets, [B, T], 'int32'), V);
  // A LayerVariable reads as its backing tf.Variable, whose name keys the grads.
  const vars = model.trainableWeights.map((w) => w.read() as tf.Variable);
  const { value, grads } = tf.variableGrads(() => {
    const logits = model.apply(input) as tf.Tensor;
    return tf.losses.softmaxCrossEntropy(labels, logits) as tf.Scalar;
  }, vars);
  const byName = vars.map((v) => grads[v.name]);
  return { loss: value.dataSync()[0], grads: byName.map((g) => g.dataSync() as Float32Array) };
}
