import { ModelSpec, cellOf, topHidden } from '../modelSpec';
import { ParamLayout, makeRng, paramLayout } from '../params';

/** Gate biases of the new layer: input and output gates open (σ(4) ≈ 0.98), forget gate shut (σ(−4) ≈ 0.02). */
const OPEN = 4;
/** The new layer reads unit j of the layer below as tanh(GAIN · h_j): small, so that tanh is nearly linear there. */
const GAIN = 0.25;
/** Every other weight of the new layer: small enough to leave the copy nearly exact, non-zero so that each path gets gradient from the start. */
const NOISE = 1e-3;

/**
 * Adds an LSTM layer on top of a trained model, as wide as its top layer,
 * that starts as a near copy of that layer's output (Net2Net's "deeper"
 * idea): unit j of the new layer reads unit j below through the cell
 * candidate, with its input and output gates open and its forget gate shut,
 * so h'_j = o · tanh(i · tanh(GAIN · h_j)) ≈ 0.24 · h_j for |h_j| ≤ 1 (within
 * 4% at |h_j| = 1). The head is the old head divided by that slope, so the
 * deeper model's predictions start close to the shallow one's (a unit test
 * bounds the KL divergence) instead of from a random top layer, and the
 * layers below keep what they learned.
 *
 * An LSTM cannot copy its input exactly (two tanh's and the gates bend it),
 * so unlike widenParams the outputs are near, not equal.
 */
export function deepenParams(from: ParamLayout, params: Float32Array, seed = 1): { layout: ParamLayout; params: Float32Array } {
  const old = from.spec;
  if (cellOf(old) !== 'lstm') throw new Error(`only an LSTM can be deepened, not a ${cellOf(old).toUpperCase()}`);
  const H = topHidden(old);
  const spec: ModelSpec = { ...old, hidden: [...old.hidden, H] };
  const layout = paramLayout(spec);
  const out = new Float32Array(layout.total);
  const rng = makeRng(seed);

  // Everything below the head is copied: the embedding and the old layers keep their offsets.
  const below = from.headKernel;
  out.set(params.subarray(0, below), 0);

  const L = layout.layers[spec.hidden.length - 1];
  const noise = () => (rng() * 2 - 1) * NOISE;
  // kernel [H, 4H] and recurrent [H, 4H], row-major, gate blocks i, f, g, o.
  for (let r = 0; r < H; r++) {
    for (let c = 0; c < 4 * H; c++) {
      out[L.kernel + r * 4 * H + c] = noise();
      out[L.recurrent + r * 4 * H + c] = noise();
    }
    out[L.kernel + r * 4 * H + 2 * H + r] = GAIN;
  }
  for (let j = 0; j < H; j++) {
    out[L.bias + j] = OPEN;
    out[L.bias + H + j] = -OPEN;
    out[L.bias + 2 * H + j] = 0;
    out[L.bias + 3 * H + j] = OPEN;
  }

  // head [H, V]: the old head over the slope of the copy at 0.
  const open = 1 / (1 + Math.exp(-OPEN));
  const slope = open * open * GAIN;
  const V = old.vocabSize;
  for (let i = 0; i < H * V; i++) out[layout.headKernel + i] = params[from.headKernel + i] / slope;
  out.set(params.subarray(from.headBias, from.headBias + V), layout.headBias);
  return { layout, params: out };
}
