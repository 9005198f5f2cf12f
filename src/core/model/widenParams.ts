import { ModelSpec, cellOf, layerInputSize } from '../modelSpec';
import { ParamLayout, makeRng, paramLayout } from '../params';

/**
 * Grows every LSTM layer of a trained model to `hidden` units while keeping
 * what it computes (Net2Net's idea, in its simplest form), so a wider model
 * starts from what the narrow one learned instead of from scratch.
 *
 * New units read their inputs with small random weights, so they move and
 * get gradient from the start; but nothing reads them yet: their rows in the
 * old units' recurrent and next-layer kernels, and in the head, are zero.
 * The old units and the output distribution are therefore exactly those of
 * the narrow model until training changes them.
 */
export function widenParams(from: ParamLayout, params: Float32Array, hidden: number, seed = 1): { layout: ParamLayout; params: Float32Array } {
  const old = from.spec;
  // The gate blocks below are the LSTM's four; a GRU or RNN would need its own rule.
  if (cellOf(old) !== 'lstm') throw new Error(`only an LSTM can be widened, not a ${cellOf(old).toUpperCase()}`);
  if (old.hidden.some((h) => h > hidden)) throw new Error(`cannot narrow a ${old.hidden.join('/')} model to ${hidden} units`);
  const spec: ModelSpec = { ...old, hidden: old.hidden.map(() => hidden) };
  const layout = paramLayout(spec);
  const out = new Float32Array(layout.total);
  const rng = makeRng(seed);
  if (from.embedding >= 0) out.set(params.subarray(from.embedding, from.embedding + old.vocabSize * old.embedDim), layout.embedding);

  for (let l = 0; l < spec.hidden.length; l++) {
    const o = from.layers[l];
    const n = layout.layers[l];
    const H0 = o.hidden;
    const H1 = n.hidden;
    const in0 = layerInputSize(old, l);
    const in1 = layerInputSize(spec, l);
    // Glorot scale of the new shapes, shrunk: new units should join gently.
    const limIn = 0.5 * Math.sqrt(6 / (in1 + 4 * H1));
    const limRec = 0.5 * Math.sqrt(6 / (H1 + 4 * H1));
    // kernel [in, 4H] and recurrent [H, 4H], row-major, gate blocks i, f, g, o.
    for (let g = 0; g < 4; g++) {
      for (let j = 0; j < H1; j++) {
        const isOld = j < H0;
        for (let r = 0; r < in1; r++) {
          out[n.kernel + r * 4 * H1 + g * H1 + j] = isOld ? (r < in0 ? params[o.kernel + r * 4 * H0 + g * H0 + j] : 0) : (rng() * 2 - 1) * limIn;
        }
        for (let r = 0; r < H1; r++) {
          out[n.recurrent + r * 4 * H1 + g * H1 + j] = isOld ? (r < H0 ? params[o.recurrent + r * 4 * H0 + g * H0 + j] : 0) : (rng() * 2 - 1) * limRec;
        }
        // New units start with the forget bias at 1, as fresh weights do.
        out[n.bias + g * H1 + j] = isOld ? params[o.bias + g * H0 + j] : g === 1 ? 1 : 0;
      }
    }
  }
  // head [H_top, V]: the new units' rows stay zero.
  const V = old.vocabSize;
  const top0 = old.hidden[old.hidden.length - 1];
  out.set(params.subarray(from.headKernel, from.headKernel + top0 * V), layout.headKernel);
  out.set(params.subarray(from.headBias, from.headBias + V), layout.headBias);
  return { layout, params: out };
}
