import { Arena } from './arena';

/**
 * The few primitives the LSTM, GRU and RNN forward/backward passes are made of. Two back
 * ends implement them over the same Arena: `jsOps` (plain TypeScript, the
 * reference the tests trust) and `wasmOps` (WebAssembly SIMD, the fast one).
 *
 * All matrices are row-major; every pointer is a float offset into the arena;
 * `ld*` is the row stride in floats. `beta` is 0 (overwrite C) or 1 (add to C).
 */
export interface Ops {
  readonly name: string;
  readonly arena: Arena;

  /** C[M,N] = beta·C + A[M,K]·B[K,N] */
  gemmNN(M: number, N: number, K: number, a: number, lda: number, b: number, ldb: number, c: number, ldc: number, beta: 0 | 1): void;
  /** C[M,N] = beta·C + A[M,K]·B[N,K]ᵀ */
  gemmNT(M: number, N: number, K: number, a: number, lda: number, b: number, ldb: number, c: number, ldc: number, beta: 0 | 1): void;
  /** C[M,N] = beta·C + A[K,M]ᵀ·B[K,N] */
  gemmTN(M: number, N: number, K: number, a: number, lda: number, b: number, ldb: number, c: number, ldc: number, beta: 0 | 1): void;

  /** C[m,:] += bias[:] for every row m of C[M,N]. */
  addRowVector(M: number, N: number, c: number, ldc: number, bias: number): void;
  /** out[:] += Σ_m A[m,:] (column sums, used for bias gradients). */
  addColumnSums(M: number, N: number, a: number, lda: number, out: number): void;

  /**
   * out[0:N] += Σ_s vals[s]·M[rows[s], 0:N] over `count` slots (a sparse
   * code times a decoder); slots whose value is 0 are skipped. rows is an
   * offset into arena.i32, vals into arena.f32; M's row stride is ldm.
   */
  gatherAxpy(count: number, rows: number, vals: number, m: number, ldm: number, N: number, out: number): void;
  /**
   * Backward of sparse codes through a decoder and an encoder, all [F, N]:
   * for each slot s with a = vals[s] ≠ 0 and j = rows[s] (rows in arena.i32):
   *   dDec[j,:] += a·dOut;  dz = dOut·Dec[j,:];  dEnc[j,:] += dz·x;  dEncBias[j] += dz
   * dOut and x are [N].
   */
  sparseCodeBackward(count: number, rows: number, vals: number, N: number, dOut: number, dec: number, x: number, dDec: number, dEnc: number, dEncBias: number): void;
  /** g[j,:] −= (g[j,:]·p[j,:])·p[j,:] for every row of [R, N]: a gradient kept tangent to the unit sphere at unit rows p. */
  projectRowsTangent(R: number, N: number, g: number, p: number): void;
  /** Scales every row of m [R, N] to unit length (a zero row is left as it is). */
  normaliseRows(R: number, N: number, m: number): void;
  /**
   * One Adam step over n parameters: m ← β₁m + (1−β₁)g, v ← β₂v + (1−β₂)g²,
   * p −= step·m / (√v + ε), `step` being the learning rate with both bias
   * corrections folded in by the caller.
   */
  adamUpdate(n: number, p: number, g: number, m: number, v: number, step: number, beta1: number, beta2: number, eps: number): void;

  /**
   * LSTM cell, forward, for B rows. gates [B,4H] (stride 4H) holds the
   * pre-activations i,f,g,o on entry and the activations on exit (kept for
   * backward). cPrev, c, h, tanhC are [B,H].
   *   c = σ(f)·cPrev + σ(i)·tanh(g);  h = σ(o)·tanh(c)
   */
  lstmCellForward(B: number, H: number, gates: number, cPrev: number, c: number, h: number, tanhC: number): void;

  /**
   * LSTM cell, backward, for B rows. dh = dhA + dhB (dhB < 0: absent).
   * dc holds dL/dc_t coming from step t+1 on entry and dL/dc_{t-1} on exit.
   * Writes the pre-activation gradients to dGates [B,4H].
   */
  lstmCellBackward(B: number, H: number, gates: number, cPrev: number, tanhC: number, dhA: number, dhB: number, dc: number, dGates: number): void;

  /**
   * GRU gates, forward, first half, for B rows. gates [B,3H] (stride 3H)
   * holds the pre-activations z, r, h; on entry z and r include h_{t-1}·U_zr.
   * Applies σ to z and r in place and writes rh = r ⊙ hPrev [B,H], the
   * input of the candidate's recurrent product (TensorFlow.js's GRU: the
   * reset gate is applied before the product, resetAfter false).
   */
  gruGatesForward(B: number, H: number, gates: number, hPrev: number, rh: number): void;

  /**
   * GRU cell, forward, second half. The candidate block of gates now holds
   * x·W_h + b_h + rh·U_h; replaces it with hh = tanh(·) and writes
   *   h = z ⊙ hPrev + (1 − z) ⊙ hh   [B,H]  (h may equal hPrev).
   */
  gruCellForward(B: number, H: number, gates: number, hPrev: number, h: number): void;

  /**
   * GRU cell, backward, first half. dh = dhA + dhB (dhB < 0: absent). Writes
   * the pre-activation gradients of z and of the candidate to dGates [B,3H]
   * and dhPrev = dh ⊙ z (the direct path; dhPrev may equal dhB).
   */
  gruCellBackward(B: number, H: number, gates: number, hPrev: number, dhA: number, dhB: number, dhPrev: number, dGates: number): void;

  /**
   * GRU, backward through the reset gate. dRh = dL/d(r ⊙ hPrev) [B,H]
   * (the candidate's gradient times U_hᵀ). Writes r's pre-activation
   * gradient to dGates and adds dRh ⊙ r to dhPrev.
   */
  gruResetBackward(B: number, H: number, gates: number, hPrev: number, dRh: number, dhPrev: number, dGates: number): void;

  /** Plain RNN cell, forward: h = tanh(pre) for B rows of H ([B,H], h may equal pre). */
  rnnCellForward(B: number, H: number, pre: number, h: number): void;

  /** Plain RNN cell, backward: dPre = (dhA + dhB)·(1 − h²) (dhB < 0: absent). */
  rnnCellBackward(B: number, H: number, h: number, dhA: number, dhB: number, dPre: number): void;

  /**
   * Softmax cross-entropy over rows of logits [M,V]; targets is an int32
   * offset (into arena.i32) of M class ids. Returns the summed loss in nats.
   * If dLogits >= 0 writes (softmax − onehot)·scale there (may equal logits).
   */
  softmaxCrossEntropy(M: number, V: number, logits: number, targets: number, dLogits: number, scale: number): number;
}
