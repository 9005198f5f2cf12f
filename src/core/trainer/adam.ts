/**
 * Adam (Kingma & Ba) over one flat parameter block, with bias correction.
 * Moments are Float32Arrays the size of the parameters.
 */
export class Adam {
  private readonly m: Float32Array;
  private readonly v: Float32Array;
  private t = 0;

  constructor(
    size: number,
    public learningRate: number,
    readonly beta1 = 0.9,
    readonly beta2 = 0.999,
    readonly epsilon = 1e-8,
  ) {
    this.m = new Float32Array(size);
    this.v = new Float32Array(size);
  }

  /** params -= lr · m̂ / (√v̂ + ε), after folding grads into the moments. */
  update(params: Float32Array, grads: Float32Array): void {
    this.t++;
    const { m, v, beta1: b1, beta2: b2, epsilon } = this;
    const lr = (this.learningRate * Math.sqrt(1 - b2 ** this.t)) / (1 - b1 ** this.t);
    for (let i = 0; i < params.length; i++) {
      const g = grads[i];
      const mi = b1 * m[i] + (1 - b1) * g;
      const vi = b2 * v[i] + (1 - b2) * g * g;
      m[i] = mi;
      v[i] = vi;
      params[i] -= (lr * mi) / (Math.sqrt(vi) + epsilon);
    }
  }
}

/**
 * Scales grads in place so their global L2 norm is at most maxNorm (the
 * char-rnn remedy for exploding gradients). Returns the norm before clipping.
 */
export function clipByGlobalNorm(grads: Float32Array, maxNorm: number): number {
  let sq = 0;
  for (let i = 0; i < grads.length; i++) sq += grads[i] * grads[i];
  const norm = Math.sqrt(sq);
  if (maxNorm > 0 && norm > maxNorm) {
    const s = maxNorm / norm;
    for (let i = 0; i < grads.length; i++) grads[i] *= s;
  }
  return norm;
}
