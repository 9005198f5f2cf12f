import { Arena } from './arena';
import { Ops } from './ops';

/**
 * Plain TypeScript implementation of Ops: the reference the WebAssembly
 * kernels are tested against, and the fallback where wasm SIMD is missing.
 * Accumulates in float64 where it is free to, so it is the more exact one.
 */
export class JsOps implements Ops {
  readonly name = 'js';
  constructor(readonly arena: Arena = new Arena()) {}

  gemmNN(M: number, N: number, K: number, a: number, lda: number, b: number, ldb: number, c: number, ldc: number, beta: 0 | 1): void {
    const f = this.arena.f32;
    for (let m = 0; m < M; m++) {
      const cRow = c + m * ldc;
      if (beta === 0) f.fill(0, cRow, cRow + N);
      const aRow = a + m * lda;
      // C[m,:] += A[m,k]·B[k,:] — streams rows of B, the cache-friendly order.
      for (let k = 0; k < K; k++) {
        const av = f[aRow + k];
        if (av === 0) continue;
        const bRow = b + k * ldb;
        for (let n = 0; n < N; n++) f[cRow + n] += av * f[bRow + n];
      }
    }
  }

  gemmNT(M: number, N: number, K: number, a: number, lda: number, b: number, ldb: number, c: number, ldc: number, beta: 0 | 1): void {
    const f = this.arena.f32;
    for (let m = 0; m < M; m++) {
      const aRow = a + m * lda;
      for (let n = 0; n < N; n++) {
        const bRow = b + n * ldb;
        let s = 0;
        for (let k = 0; k < K; k++) s += f[aRow + k] * f[bRow + k];
        const ci = c + m * ldc + n;
        f[ci] = beta === 0 ? s : f[ci] + s;
      }
    }
  }

  gemmTN(M: number, N: number, K: number, a: number, lda: number, b: number, ldb: number, c: number, ldc: number, beta: 0 | 1): void {
    const f = this.arena.f32;
    if (beta === 0) for (let m = 0; m < M; m++) f.fill(0, c + m * ldc, c + m * ldc + N);
    // C[m,:] += A[k,m]·B[k,:] over k: outer products of rows.
    for (let k = 0; k < K; k++) {
      const aRow = a + k * lda;
      const bRow = b + k * ldb;
      for (let m = 0; m < M; m++) {
        const av = f[aRow + m];
        if (av === 0) continue;
        const cRow = c + m * ldc;
        for (let n = 0; n < N; n++) f[cRow + n] += av * f[bRow + n];
      }
    }
  }

  addRowVector(M: number, N: number, c: number, ldc: number, bias: number): void {
    const f = this.arena.f32;
    for (let m = 0; m < M; m++) {
      const row = c + m * ldc;
      for (let n = 0; n < N; n++) f[row + n] += f[bias + n];
    }
  }

  addColumnSums(M: number, N: number, a: number, lda: number, out: number): void {
    const f = this.arena.f32;
    for (let m = 0; m < M; m++) {
      const row = a + m * lda;
      for (let n = 0; n < N; n++) f[out + n] += f[row + n];
    }
  }

  gatherAxpy(count: number, rows: number, vals: number, m: number, ldm: number, N: number, out: number): void {
    const f = this.arena.f32;
    const idx = this.arena.i32;
    for (let s = 0; s < count; s++) {
      const a = f[vals + s];
      if (a === 0) continue;
      const r = m + idx[rows + s] * ldm;
      for (let n = 0; n < N; n++) f[out + n] += a * f[r + n];
    }
  }

  sparseCodeBackward(count: number, rows: number, vals: number, N: number, dOut: number, dec: number, x: number, dDec: number, dEnc: number, dEncBias: number): void {
    const f = this.arena.f32;
    const idx = this.arena.i32;
    for (let s = 0; s < count; s++) {
      const a = f[vals + s];
      if (a === 0) continue;
      const j = idx[rows + s];
      const o = j * N;
      let dz = 0;
      for (let n = 0; n < N; n++) {
        f[dDec + o + n] += a * f[dOut + n];
        dz += f[dOut + n] * f[dec + o + n];
      }
      for (let n = 0; n < N; n++) f[dEnc + o + n] += dz * f[x + n];
      f[dEncBias + j] += dz;
    }
  }

  projectRowsTangent(R: number, N: number, g: number, p: number): void {
    const f = this.arena.f32;
    for (let j = 0; j < R; j++) {
      const gr = g + j * N;
      const pr = p + j * N;
      let dot = 0;
      for (let n = 0; n < N; n++) dot += f[gr + n] * f[pr + n];
      if (dot !== 0) for (let n = 0; n < N; n++) f[gr + n] -= dot * f[pr + n];
    }
  }

  normaliseRows(R: number, N: number, m: number): void {
    const f = this.arena.f32;
    for (let j = 0; j < R; j++) {
      const r = m + j * N;
      let sq = 0;
      for (let n = 0; n < N; n++) sq += f[r + n] * f[r + n];
      if (sq === 0) continue;
      const s = 1 / Math.sqrt(sq);
      for (let n = 0; n < N; n++) f[r + n] *= s;
    }
  }

  adamUpdate(n: number, p: number, g: number, m: number, v: number, step: number, beta1: number, beta2: number, eps: number): void {
    const f = this.arena.f32;
    for (let i = 0; i < n; i++) {
      const gi = f[g + i];
      const mi = beta1 * f[m + i] + (1 - beta1) * gi;
      const vi = beta2 * f[v + i] + (1 - beta2) * gi * gi;
      f[m + i] = mi;
      f[v + i] = vi;
      f[p + i] -= (step * mi) / (Math.sqrt(vi) + eps);
    }
  }

  lstmCellForward(B: number, H: number, gates: number, cPrev: number, c: number, h: number, tanhC: number): void {
    const f = this.arena.f32;
    for (let b = 0; b < B; b++) {
      const g = gates + b * 4 * H;
      const s = b * H;
      for (let j = 0; j < H; j++) {
        const ig = sigmoid(f[g + j]);
        const fg = sigmoid(f[g + H + j]);
        const gg = Math.tanh(f[g + 2 * H + j]);
        const og = sigmoid(f[g + 3 * H + j]);
        const cv = fg * f[cPrev + s + j] + ig * gg;
        const tc = Math.tanh(cv);
        f[g + j] = ig;
        f[g + H + j] = fg;
        f[g + 2 * H + j] = gg;
        f[g + 3 * H + j] = og;
        f[c + s + j] = cv;
        f[tanhC + s + j] = tc;
        f[h + s + j] = og * tc;
      }
    }
  }

  lstmCellBackward(B: number, H: number, gates: number, cPrev: number, tanhC: number, dhA: number, dhB: number, dc: number, dGates: number): void {
    const f = this.arena.f32;
    for (let b = 0; b < B; b++) {
      const g = gates + b * 4 * H;
      const dg = dGates + b * 4 * H;
      const s = b * H;
      for (let j = 0; j < H; j++) {
        const ig = f[g + j];
        const fg = f[g + H + j];
        const gg = f[g + 2 * H + j];
        const og = f[g + 3 * H + j];
        const tc = f[tanhC + s + j];
        const dh = f[dhA + s + j] + (dhB >= 0 ? f[dhB + s + j] : 0);
        const dcv = f[dc + s + j] + dh * og * (1 - tc * tc);
        f[dg + j] = dcv * gg * ig * (1 - ig);
        f[dg + H + j] = dcv * f[cPrev + s + j] * fg * (1 - fg);
        f[dg + 2 * H + j] = dcv * ig * (1 - gg * gg);
        f[dg + 3 * H + j] = dh * tc * og * (1 - og);
        f[dc + s + j] = dcv * fg;
      }
    }
  }

  gruGatesForward(B: number, H: number, gates: number, hPrev: number, rh: number): void {
    const f = this.arena.f32;
    for (let b = 0; b < B; b++) {
      const g = gates + b * 3 * H;
      const s = b * H;
      for (let j = 0; j < H; j++) {
        const z = sigmoid(f[g + j]);
        const r = sigmoid(f[g + H + j]);
        f[g + j] = z;
        f[g + H + j] = r;
        f[rh + s + j] = r * f[hPrev + s + j];
      }
    }
  }

  gruCellForward(B: number, H: number, gates: number, hPrev: number, h: number): void {
    const f = this.arena.f32;
    for (let b = 0; b < B; b++) {
      const g = gates + b * 3 * H;
      const s = b * H;
      for (let j = 0; j < H; j++) {
        const z = f[g + j];
        const hh = Math.tanh(f[g + 2 * H + j]);
        f[g + 2 * H + j] = hh;
        f[h + s + j] = z * f[hPrev + s + j] + (1 - z) * hh;
      }
    }
  }

  gruCellBackward(B: number, H: number, gates: number, hPrev: number, dhA: number, dhB: number, dhPrev: number, dGates: number): void {
    const f = this.arena.f32;
    for (let b = 0; b < B; b++) {
      const g = gates + b * 3 * H;
      const dg = dGates + b * 3 * H;
      const s = b * H;
      for (let j = 0; j < H; j++) {
        const z = f[g + j];
        const hh = f[g + 2 * H + j];
        const dh = f[dhA + s + j] + (dhB >= 0 ? f[dhB + s + j] : 0);
        f[dg + j] = dh * (f[hPrev + s + j] - hh) * z * (1 - z);
        f[dg + 2 * H + j] = dh * (1 - z) * (1 - hh * hh);
        f[dhPrev + s + j] = dh * z;
      }
    }
  }

  gruResetBackward(B: number, H: number, gates: number, hPrev: number, dRh: number, dhPrev: number, dGates: number): void {
    const f = this.arena.f32;
    for (let b = 0; b < B; b++) {
      const g = gates + b * 3 * H;
      const dg = dGates + b * 3 * H;
      const s = b * H;
      for (let j = 0; j < H; j++) {
        const r = f[g + H + j];
        const d = f[dRh + s + j];
        f[dg + H + j] = d * f[hPrev + s + j] * r * (1 - r);
        f[dhPrev + s + j] += d * r;
      }
    }
  }

  rnnCellForward(B: number, H: number, pre: number, h: number): void {
    const f = this.arena.f32;
    for (let i = 0; i < B * H; i++) f[h + i] = Math.tanh(f[pre + i]);
  }

  rnnCellBackward(B: number, H: number, h: number, dhA: number, dhB: number, dPre: number): void {
    const f = this.arena.f32;
    for (let i = 0; i < B * H; i++) {
      const hv = f[h + i];
      f[dPre + i] = (f[dhA + i] + (dhB >= 0 ? f[dhB + i] : 0)) * (1 - hv * hv);
    }
  }

  softmaxCrossEntropy(M: number, V: number, logits: number, targets: number, dLogits: number, scale: number): number {
    const f = this.arena.f32;
    const t = this.arena.i32;
    let loss = 0;
    for (let m = 0; m < M; m++) {
      const row = logits + m * V;
      let max = -Infinity;
      for (let v = 0; v < V; v++) if (f[row + v] > max) max = f[row + v];
      let sum = 0;
      for (let v = 0; v < V; v++) sum += Math.exp(f[row + v] - max);
      const y = t[targets + m];
      loss += Math.log(sum) + max - f[row + y];
      if (dLogits >= 0) {
        const drow = dLogits + m * V;
        const inv = 1 / sum;
        for (let v = 0; v < V; v++) f[drow + v] = Math.exp(f[row + v] - max) * inv * scale;
        f[drow + y] -= scale;
      }
    }
    return loss;
  }
}

function sigmoid(x: number): number {
  return 1 / (1 + Math.exp(-x));
}
