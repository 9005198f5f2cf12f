import { describeSpec } from '../modelSpec';
import { Model } from './modelFiles';

/**
 * The element-wise mean of the weights of models of one shape (a "model
 * soup", Wortsman et al. 2022). It helps where the models are fine-tuned
 * from a common ancestor and so lie in one basin of the loss: the bundled
 * model's stage 9 is the mean of four such runs. Models of different shapes
 * cannot be averaged, and the error says which differs.
 */
export function averageWeights(models: readonly Pick<Model, 'layout' | 'params'>[]): Float32Array {
  if (models.length === 0) throw new Error('averaging needs at least one model');
  const first = models[0];
  const sum = new Float64Array(first.params.length);
  models.forEach((m, k) => {
    const same = describeSpec(m.layout.spec) === describeSpec(first.layout.spec) && m.params.length === first.params.length;
    if (!same) throw new Error(`model ${k + 1} is ${describeSpec(m.layout.spec)} (${m.params.length} values), model 1 is ${describeSpec(first.layout.spec)} (${first.params.length}): only models of one shape can be averaged`);
    for (let i = 0; i < sum.length; i++) sum[i] += m.params[i];
  });
  const mean = new Float32Array(sum.length);
  for (let i = 0; i < sum.length; i++) mean[i] = sum[i] / models.length;
  return mean;
}
