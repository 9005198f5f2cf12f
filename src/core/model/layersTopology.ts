import { CellType, ModelSpec, cellOf } from '../modelSpec';
import { recurrentLayerName } from '../params';

/**
 * The Keras / TensorFlow.js Layers topology of our network, both ways:
 * `buildTopology` writes the JSON that `tf.loadLayersModel` understands, and
 * `parseTopology` reads ours or a Keras model of the same shape (as saved by
 * tfjs or converted by the TensorFlow.js converter) back into a ModelSpec.
 */

export interface ParsedLayer {
  kind: 'embedding' | CellType | 'dense';
  name: string;
}

export interface ParsedTopology {
  spec: ModelSpec;
  layers: ParsedLayer[];
}

type Json = Record<string, unknown>;

/** The Keras layer class of each cell type, and back. */
const LAYER_CLASS: Record<CellType, string> = { lstm: 'LSTM', gru: 'GRU', rnn: 'SimpleRNN' };
const CELL_OF_CLASS: Record<string, CellType> = { LSTM: 'lstm', GRU: 'gru', SimpleRNN: 'rnn' };

/** The config keys that differ between the three recurrent layer classes. */
function cellConfig(cell: CellType): Json {
  if (cell === 'lstm') return { recurrent_activation: 'sigmoid', unit_forget_bias: true, implementation: 2 };
  // tf.layers' GRU has only reset_after false (the reset gate scales h before the recurrent product).
  if (cell === 'gru') return { recurrent_activation: 'sigmoid', implementation: 2, reset_after: false };
  return {};
}

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
  const cell = cellOf(spec);
  spec.hidden.forEach((H, l) => {
    layers.push({
      class_name: LAYER_CLASS[cell],
      config: {
        name: recurrentLayerName(cell, l),
        trainable: true,
        dtype: 'float32',
        ...(l === 0 && spec.embedDim === 0 ? { batch_input_shape: [null, null, spec.vocabSize] } : {}),
        units: H,
        activation: 'tanh',
        ...cellConfig(cell),
        use_bias: true,
        return_sequences: true,
        return_state: false,
        go_backwards: false,
        stateful: false,
        unroll: false,
        dropout: 0,
        recurrent_dropout: 0,
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
    config: { name: cell === 'lstm' ? 'lstm_lens' : `lstm_lens_${cell}`, layers },
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
 * reversed or bias-free recurrent layers, Keras' reset_after GRU, layers of
 * different cell types, non-sequence outputs, unknown layers.
 */
export function parseTopology(topology: unknown): ParsedTopology {
  const layers: ParsedLayer[] = [];
  let vocabSize = 0;
  let embedDim = 0;
  const hidden: number[] = [];
  let cell: CellType | undefined;
  let denseUnits = 0;
  for (const layer of layerList(topology)) {
    const cls = String(layer.class_name);
    const config = isObject(layer.config) ? layer.config : {};
    const name = typeof config.name === 'string' ? config.name : cls.toLowerCase();
    const where = `layer "${name}" (${cls})`;
    if (denseUnits > 0 && cls !== 'Activation' && cls !== 'Dropout') throw new TopologyError(`${where} follows the output layer; only Embedding → LSTM/GRU/SimpleRNN… → Dense is supported`);
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
      case 'LSTM':
      case 'GRU':
      case 'SimpleRNN': {
        const layerCell = CELL_OF_CLASS[cls];
        if (cell !== undefined && layerCell !== cell) throw new TopologyError(`${where}: every recurrent layer must be of one kind, and an earlier one is ${LAYER_CLASS[cell]}`);
        cell = layerCell;
        const H = num(config, 'units', where);
        const act = config.activation ?? 'tanh';
        if (act !== 'tanh') throw new TopologyError(`${where}: activation ${JSON.stringify(act)} is not supported (needs tanh)`);
        if (layerCell !== 'rnn') {
          // Keras defaults to sigmoid; tf.layers to hardSigmoid, but it always writes the key.
          const rec = config.recurrent_activation ?? 'sigmoid';
          if (rec !== 'sigmoid') throw new TopologyError(`${where}: recurrent_activation ${JSON.stringify(rec)} is not supported (needs sigmoid; tf.layers defaults to hardSigmoid, set recurrentActivation: 'sigmoid')`);
        }
        // Keras 2's GRU defaults to reset_after true (a second recurrent bias); tf.layers has only false.
        if (layerCell === 'gru' && config.reset_after !== false) throw new TopologyError(`${where}: only GRUs with reset_after false are supported (tf.layers' kind; Keras defaults to true)`);
        if (config.use_bias === false) throw new TopologyError(`${where}: recurrent layers without bias are not supported`);
        if (config.go_backwards === true) throw new TopologyError(`${where}: go_backwards is not supported`);
        if (config.return_sequences === false) throw new TopologyError(`${where}: return_sequences must be true (a char model predicts at every step)`);
        if (layers.length === 0) {
          const d = lastDim(config);
          if (d === undefined) throw new TopologyError(`${where}: the first recurrent layer needs a one-hot input shape [null, null, vocab]`);
          vocabSize = d;
        }
        hidden.push(H);
        layers.push({ kind: layerCell, name });
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
        throw new TopologyError(`${where} is not supported; LSTM Lens runs Embedding (optional) → LSTM, GRU or SimpleRNN × N → Dense`);
    }
  }
  if (hidden.length === 0 || cell === undefined) throw new TopologyError('the model has no recurrent (LSTM, GRU or SimpleRNN) layer');
  if (denseUnits === 0) throw new TopologyError('the model has no Dense output layer');
  if (denseUnits !== vocabSize) throw new TopologyError(`the output layer has ${denseUnits} units but the input vocabulary has ${vocabSize}`);
  // An LSTM model's spec stays as before (no cell key), so old and new LSTM files read the same.
  return { spec: cell === 'lstm' ? { vocabSize, embedDim, hidden } : { vocabSize, embedDim, hidden, cell }, layers };
}
