import { ModelSpec } from '../modelSpec';

/**
 * The Keras / TensorFlow.js Layers topology of our network, both ways:
 * `buildTopology` writes the JSON that `tf.loadLayersModel` understands, and
 * `parseTopology` reads ours or a Keras model of the same shape (as saved by
 * tfjs or converted by the TensorFlow.js converter) back into a ModelSpec.
 */

export interface ParsedLayer {
  kind: 'embedding' | 'lstm' | 'dense';
  name: string;
}

export interface ParsedTopology {
  spec: ModelSpec;
  layers: ParsedLayer[];
}

type Json = Record<string, unknown>;

export function buildTopology(spec: ModelSpec, tfjsVersion = '4.22.0'): Json {
  const layers: Json[] = [];
  if (spec.embedDim > 0) {
    layers.push({
      class_name: 'Embedding',
      config: {
        name: 'embedding',
        trainable: true,
        dtype: 'float32',
        batch_input_shape: [null, null],
        input_dim: spec.vocabSize,
        output_dim: spec.embedDim,
        mask_zero: false,
        embeddings_initializer: { class_name: 'RandomUniform', config: { minval: -0.05, maxval: 0.05, seed: null } },
      },
    });
  }
  spec.hidden.forEach((H, l) => {
    layers.push({
      class_name: 'LSTM',
      config: {
        name: l === 0 ? 'lstm' : `lstm_${l}`,
        trainable: true,
        dtype: 'float32',
        ...(l === 0 && spec.embedDim === 0 ? { batch_input_shape: [null, null, spec.vocabSize] } : {}),
        units: H,
        activation: 'tanh',
        recurrent_activation: 'sigmoid',
        use_bias: true,
        unit_forget_bias: true,
        return_sequences: true,
        return_state: false,
        go_backwards: false,
        stateful: false,
        unroll: false,
        dropout: 0,
        recurrent_dropout: 0,
        implementation: 2,
        kernel_initializer: { class_name: 'GlorotUniform', config: { seed: null } },
        recurrent_initializer: { class_name: 'GlorotUniform', config: { seed: null } },
        bias_initializer: { class_name: 'Zeros', config: {} },
      },
    });
  });
  layers.push({
    class_name: 'Dense',
    config: {
      name: 'dense',
      trainable: true,
      dtype: 'float32',
      units: spec.vocabSize,
      activation: 'linear',
      use_bias: true,
      kernel_initializer: { class_name: 'GlorotUniform', config: { seed: null } },
      bias_initializer: { class_name: 'Zeros', config: {} },
    },
  });
  return {
    class_name: 'Sequential',
    config: { name: 'lstm_lens', layers },
    keras_version: `tfjs-layers ${tfjsVersion}`,
    backend: 'tensor_flow.js',
  };
}

export class TopologyError extends Error {}

function isObject(x: unknown): x is Json {
  return typeof x === 'object' && x !== null && !Array.isArray(x);
}

/** The list of layer configs from any of the topology shapes tfjs and Keras write. */
function layerList(topology: unknown): Json[] {
  if (!isObject(topology)) throw new TopologyError('modelTopology is missing or not an object');
  // The TensorFlow.js converter wraps Keras' config as { model_config: {...} }.
  const root = isObject(topology.model_config) ? topology.model_config : topology;
  const cls = root.class_name;
  if (cls !== 'Sequential' && cls !== 'Functional' && cls !== 'Model') {
    throw new TopologyError(`model class ${JSON.stringify(cls)} is not supported (expected a Sequential model)`);
  }
  const config = root.config;
  const layers = Array.isArray(config) ? config : isObject(config) ? config.layers : undefined;
  if (!Array.isArray(layers)) throw new TopologyError('model topology has no layer list');
  return layers.filter(isObject);
}

function num(config: Json, key: string, what: string): number {
  const v = config[key];
  if (typeof v !== 'number' || !Number.isInteger(v) || v <= 0) throw new TopologyError(`${what}: ${key} must be a positive integer, got ${JSON.stringify(v)}`);
  return v;
}

function lastDim(config: Json): number | undefined {
  const shape = config.batch_input_shape ?? config.batch_shape;
  if (Array.isArray(shape) && typeof shape[shape.length - 1] === 'number') return shape[shape.length - 1] as number;
  return undefined;
}

/**
 * Reads a topology into a spec, refusing (with a message that says what is
 * wrong) anything our kernels would compute differently: other activations,
 * reversed or bias-free LSTMs, non-sequence outputs, unknown layers.
 */
export function parseTopology(topology: unknown): ParsedTopology {
  const layers: ParsedLayer[] = [];
  let vocabSize = 0;
  let embedDim = 0;
  const hidden: number[] = [];
  let denseUnits = 0;
  for (const layer of layerList(topology)) {
    const cls = String(layer.class_name);
    const config = isObject(layer.config) ? layer.config : {};
    const name = typeof config.name === 'string' ? config.name : cls.toLowerCase();
    const where = `layer "${name}" (${cls})`;
    if (denseUnits > 0 && cls !== 'Activation' && cls !== 'Dropout') throw new TopologyError(`${where} follows the output layer; only Embedding → LSTM… → Dense is supported`);
    switch (cls) {
      case 'InputLayer':
      case 'Dropout':
        break;
      case 'Activation':
        if (config.activation !== 'softmax' && config.activation !== 'linear') throw new TopologyError(`${where}: activation ${JSON.stringify(config.activation)} is not supported`);
        break;
      case 'Embedding':
        if (layers.length > 0) throw new TopologyError(`${where} must be the first layer`);
        vocabSize = num(config, 'input_dim', where);
        embedDim = num(config, 'output_dim', where);
        layers.push({ kind: 'embedding', name });
        break;
      case 'LSTM': {
        const H = num(config, 'units', where);
        const act = config.activation ?? 'tanh';
        const rec = config.recurrent_activation ?? 'sigmoid';
        if (act !== 'tanh') throw new TopologyError(`${where}: activation ${JSON.stringify(act)} is not supported (needs tanh)`);
        if (rec !== 'sigmoid') throw new TopologyError(`${where}: recurrent_activation ${JSON.stringify(rec)} is not supported (needs sigmoid; tf.layers defaults to hardSigmoid, set recurrentActivation: 'sigmoid')`);
        if (config.use_bias === false) throw new TopologyError(`${where}: LSTMs without bias are not supported`);
        if (config.go_backwards === true) throw new TopologyError(`${where}: go_backwards is not supported`);
        if (config.return_sequences === false) throw new TopologyError(`${where}: return_sequences must be true (a char model predicts at every step)`);
        if (layers.length === 0) {
          const d = lastDim(config);
          if (d === undefined) throw new TopologyError(`${where}: the first LSTM needs a one-hot input shape [null, null, vocab]`);
          vocabSize = d;
        }
        hidden.push(H);
        layers.push({ kind: 'lstm', name });
        break;
      }
      case 'Dense': {
        denseUnits = num(config, 'units', where);
        const act = config.activation ?? 'linear';
        if (act !== 'linear' && act !== 'softmax') throw new TopologyError(`${where}: activation ${JSON.stringify(act)} is not supported (linear or softmax)`);
        if (config.use_bias === false) throw new TopologyError(`${where}: a Dense layer without bias is not supported`);
        layers.push({ kind: 'dense', name });
        break;
      }
      default:
        throw new TopologyError(`${where} is not supported; LSTM Lens runs Embedding (optional) → LSTM × N → Dense`);
    }
  }
  if (hidden.length === 0) throw new TopologyError('the model has no LSTM layer');
  if (denseUnits === 0) throw new TopologyError('the model has no Dense output layer');
  if (denseUnits !== vocabSize) throw new TopologyError(`the output layer has ${denseUnits} units but the input vocabulary has ${vocabSize}`);
  return { spec: { vocabSize, embedDim, hidden }, layers };
}
