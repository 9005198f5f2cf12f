import * as assert from 'assert';
import { execFileSync, spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { Arena } from '../../src/core/kernels/arena';
import { JsOps } from '../../src/core/kernels/jsOps';
import { Ops } from '../../src/core/kernels/ops';
import { Adam } from '../../src/core/trainer/adam';
import {
  createFastestOps,
  createWasmOps,
  WasmOps,
  wasmRelaxedSimdSupported,
  wasmSimdSupported,
  WasmVariant,
} from '../../src/core/kernels/wasmOps';

const TOL = 1e-5;

/** Deterministic uniform floats in [lo, hi). */
function rng(seed: number): (lo?: number, hi?: number) => number {
  let s = seed >>> 0;
  return (lo = -1, hi = 1) => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    const u = ((t ^ (t >>> 14)) >>> 0) / 4294967296;
    return lo + (hi - lo) * u;
  };
}

/** The same buffers in a JsOps arena and a WasmOps arena (offsets differ). */
class Pair {
  readonly js: Ops = new JsOps(new Arena());
  constructor(readonly wasm: Ops) {}

  /** Allocates n floats in both arenas holding the same values. */
  buffer(values: ArrayLike<number>): { js: number; wasm: number; n: number } {
    return { js: this.js.arena.allocFrom(values), wasm: this.wasm.arena.allocFrom(values), n: values.length };
  }

  /** Asserts both back ends hold the same floats (NaN equals NaN). */
  expectClose(buf: { js: number; wasm: number; n: number }, what: string, tol = TOL): void {
    const a = this.js.arena.view(buf.js, buf.n);
    const b = this.wasm.arena.view(buf.wasm, buf.n);
    for (let i = 0; i < buf.n; i++) {
      const x = a[i];
      const y = b[i];
      if (Number.isNaN(x) && Number.isNaN(y)) continue;
      if (!(Math.abs(x - y) <= tol * Math.max(1, Math.abs(x)))) {
        assert.fail(`${what}: element ${i}: js ${x} vs ${this.wasm.name} ${y}`);
      }
    }
  }
}

function randomArray(n: number, next: () => number, scale = 1): Float32Array {
  const out = new Float32Array(n);
  for (let i = 0; i < n; i++) out[i] = next() * scale;
  return out;
}

type GemmKind = 'NN' | 'NT' | 'TN';

interface GemmCase {
  M: number;
  N: number;
  K: number;
  /** Extra floats per row beyond the minimal leading dimension. */
  pad?: [number, number, number];
  /** Start A, B and C this many floats into their buffers (unaligned). */
  shift?: number;
}

function checkGemm(pair: Pair, kind: GemmKind, g: GemmCase, beta: 0 | 1, seed: number): void {
  const { M, N, K } = g;
  const [pa, pb, pc] = g.pad ?? [0, 0, 0];
  const shift = g.shift ?? 0;
  const next = rng(seed);
  // Stored shapes: A is [M,K] (TN: [K,M]); B is [K,N] (NT: [N,K]); C [M,N].
  const aRows = kind === 'TN' ? K : M;
  const lda = (kind === 'TN' ? M : K) + pa;
  const bRows = kind === 'NT' ? N : K;
  const ldb = (kind === 'NT' ? K : N) + pb;
  const ldc = N + pc;
  // Entries scaled by 1/√K keep C near 1, so one tolerance fits every K.
  const a = pair.buffer(randomArray(shift + aRows * lda, next, 1 / Math.sqrt(Math.max(K, 1))));
  const b = pair.buffer(randomArray(shift + bRows * ldb, next));
  // beta = 0 must not read C: start it as NaN, padding included.
  const cInit = beta ? randomArray(shift + M * ldc + 3, next) : new Float32Array(shift + M * ldc + 3).fill(NaN);
  const c = pair.buffer(cInit);
  for (const [ops, key] of [[pair.js, 'js'], [pair.wasm, 'wasm']] as const) {
    const run = { NN: ops.gemmNN, NT: ops.gemmNT, TN: ops.gemmTN }[kind].bind(ops);
    run(M, N, K, a[key] + shift, lda, b[key] + shift, ldb, c[key] + shift, ldc, beta);
  }
  // The whole C buffer, so writes past N columns or past row M show up too.
  pair.expectClose(c, `gemm${kind} M=${M} N=${N} K=${K} lds=${lda},${ldb},${ldc} beta=${beta}`);
}

const GEMM_CASES: GemmCase[] = [
  { M: 1, N: 1, K: 1 },
  { M: 1, N: 7, K: 3 },
  { M: 3, N: 1, K: 5 },
  { M: 2, N: 3, K: 1 },
  { M: 4, N: 8, K: 0 },
  { M: 1, N: 1024, K: 256 }, // inference matvec
  { M: 1, N: 98, K: 259, pad: [1, 3, 2] },
  { M: 2, N: 1024, K: 64 }, // beam search
  { M: 5, N: 98, K: 37, pad: [3, 1, 5], shift: 1 },
  { M: 16, N: 1024, K: 256 }, // recurrent step
  { M: 17, N: 33, K: 70, pad: [1, 1, 1], shift: 3 },
  { M: 32, N: 256, K: 1024 }, // recurrent backward (NT), dot form
  { M: 33, N: 250, K: 130, pad: [2, 0, 3] }, // just past the small-M paths
  { M: 70, N: 98, K: 300, pad: [0, 2, 1], shift: 2 }, // ragged panel, two K blocks
  { M: 130, N: 300, K: 257 }, // two N blocks, two K blocks, M tail of 2
  { M: 256, N: 98, K: 64 }, // head shapes, smaller T·B
  { M: 64, N: 1024, K: 512 },
];

function gemmSuite(makeOps: () => Ops): void {
  for (const kind of ['NN', 'NT', 'TN'] as const) {
    it(`gemm${kind} matches JsOps on awkward and model shapes, beta 0 and 1`, () => {
      const pair = new Pair(makeOps());
      GEMM_CASES.forEach((g, i) => {
        checkGemm(pair, kind, g, 0, 100 + i);
        checkGemm(pair, kind, g, 1, 200 + i);
      });
    });
  }
}

function elementwiseSuite(makeOps: () => Ops): void {
  it('addRowVector matches JsOps', () => {
    const pair = new Pair(makeOps());
    const next = rng(1);
    for (const [M, N, ldc] of [[1, 1, 1], [5, 98, 101], [3, 1024, 1024], [7, 6, 9]]) {
      const c = pair.buffer(randomArray(M * ldc, next));
      const bias = pair.buffer(randomArray(N, next));
      pair.js.addRowVector(M, N, c.js, ldc, bias.js);
      pair.wasm.addRowVector(M, N, c.wasm, ldc, bias.wasm);
      pair.expectClose(c, `addRowVector ${M}x${N}`);
    }
  });

  it('addColumnSums matches JsOps', () => {
    const pair = new Pair(makeOps());
    const next = rng(2);
    for (const [M, N, lda] of [[1, 1, 1], [7, 98, 99], [2048, 1024, 1024], [6, 5, 5]]) {
      const a = pair.buffer(randomArray(M * lda, next));
      const out = pair.buffer(randomArray(N + 2, next));
      pair.js.addColumnSums(M, N, a.js, lda, out.js);
      pair.wasm.addColumnSums(M, N, a.wasm, lda, out.wasm);
      pair.expectClose(out, `addColumnSums ${M}x${N}`, 1e-5 * Math.sqrt(M));
    }
  });

  it('lstmCellForward matches JsOps, extreme pre-activations included', () => {
    const pair = new Pair(makeOps());
    const next = rng(3);
    const extremes = [0, -0, 1e-30, -1e-30, 1e-4, -3e-3, 0.3, -0.34, 0.35, 9, -9, 20, -20, 88, -88, 100, -100, 1e4, -1e4];
    for (const [B, H] of [[1, 1], [3, 5], [16, 256], [2, 7]]) {
      const pre = randomArray(B * 4 * H, () => next(-6, 6));
      for (let i = 0; i < pre.length; i += 3) pre[i] = extremes[(i / 3) % extremes.length];
      const gates = pair.buffer(pre);
      const cPrev = pair.buffer(randomArray(B * H, () => next(-3, 3)));
      const c = pair.buffer(new Float32Array(B * H));
      const h = pair.buffer(new Float32Array(B * H));
      const tanhC = pair.buffer(new Float32Array(B * H));
      for (const [ops, k] of [[pair.js, 'js'], [pair.wasm, 'wasm']] as const) {
        ops.lstmCellForward(B, H, gates[k], cPrev[k], c[k], h[k], tanhC[k]);
      }
      for (const [buf, what] of [[gates, 'gates'], [c, 'c'], [h, 'h'], [tanhC, 'tanhC']] as const) {
        pair.expectClose(buf, `lstmCellForward B=${B} H=${H} ${what}`);
      }
    }
  });

  it('lstmCellForward is accurate to ~1e-6 relative near zero (sigmoid/tanh/exp)', () => {
    const pair = new Pair(makeOps());
    const H = 4096;
    const pre = new Float32Array(4 * H);
    for (let j = 0; j < 4 * H; j++) pre[j] = Math.fround(Math.sign(j % 2 - 0.5) * 10 ** (-8 + (8 * (j % H)) / H));
    const gates = pair.buffer(pre);
    const zeros = new Float32Array(H);
    const cPrev = pair.buffer(zeros);
    const c = pair.buffer(zeros);
    const h = pair.buffer(zeros);
    const tanhC = pair.buffer(zeros);
    for (const [ops, k] of [[pair.js, 'js'], [pair.wasm, 'wasm']] as const) {
      ops.lstmCellForward(1, H, gates[k], cPrev[k], c[k], h[k], tanhC[k]);
    }
    // tanh(g) for tiny g is relative-accurate, not just absolute.
    const js = pair.js.arena.view(gates.js + 2 * H, H);
    const wa = pair.wasm.arena.view(gates.wasm + 2 * H, H);
    for (let j = 0; j < H; j++) {
      const rel = Math.abs(js[j] - wa[j]) / Math.abs(js[j]);
      assert.ok(rel < 1e-6, `tanh(${pre[2 * H + j]}): js ${js[j]} vs ${wa[j]}`);
    }
  });

  it('lstmCellBackward matches JsOps, with and without dhB', () => {
    const pair = new Pair(makeOps());
    const next = rng(4);
    for (const [B, H] of [[1, 1], [3, 5], [16, 256], [2, 6]]) {
      for (const withB of [true, false]) {
        const gates = pair.buffer(randomArray(B * 4 * H, () => next(0, 1)));
        const cPrev = pair.buffer(randomArray(B * H, next));
        const tanhC = pair.buffer(randomArray(B * H, next));
        const dhA = pair.buffer(randomArray(B * H, next));
        const dhB = pair.buffer(randomArray(B * H, next));
        const dc = pair.buffer(randomArray(B * H, next));
        const dGates = pair.buffer(new Float32Array(B * 4 * H).fill(NaN));
        for (const [ops, k] of [[pair.js, 'js'], [pair.wasm, 'wasm']] as const) {
          ops.lstmCellBackward(B, H, gates[k], cPrev[k], tanhC[k], dhA[k], withB ? dhB[k] : -1, dc[k], dGates[k]);
        }
        pair.expectClose(dGates, `lstmCellBackward B=${B} H=${H} dhB=${withB} dGates`);
        pair.expectClose(dc, `lstmCellBackward B=${B} H=${H} dhB=${withB} dc`);
      }
    }
  });

  it('gruGatesForward and gruCellForward match JsOps, extreme pre-activations included, h in place', () => {
    const pair = new Pair(makeOps());
    const next = rng(7);
    const extremes = [0, -0, 1e-30, 1e-4, -3e-3, 0.35, 9, -9, 20, -20, 88, -88, 100, -100, 1e4, -1e4];
    for (const [B, H] of [[1, 1], [3, 5], [16, 256], [2, 7]]) {
      for (const inPlace of [false, true]) {
        const pre = randomArray(B * 3 * H, () => next(-6, 6));
        for (let i = 0; i < pre.length; i += 3) pre[i] = extremes[(i / 3) % extremes.length];
        const gates = pair.buffer(pre);
        const hPrev = pair.buffer(randomArray(B * H, next));
        const rh = pair.buffer(new Float32Array(B * H).fill(NaN));
        const hOut = inPlace ? hPrev : pair.buffer(new Float32Array(B * H).fill(NaN));
        for (const [ops, k] of [[pair.js, 'js'], [pair.wasm, 'wasm']] as const) {
          ops.gruGatesForward(B, H, gates[k], hPrev[k], rh[k]);
          ops.gruCellForward(B, H, gates[k], hPrev[k], hOut[k]);
        }
        for (const [buf, what] of [[gates, 'gates'], [rh, 'rh'], [hOut, 'h']] as const) {
          pair.expectClose(buf, `gru forward B=${B} H=${H} in place=${inPlace} ${what}`);
        }
      }
    }
  });

  it('gruCellBackward and gruResetBackward match JsOps, with and without dhB, dhPrev aliasing dhB', () => {
    const pair = new Pair(makeOps());
    const next = rng(8);
    for (const [B, H] of [[1, 1], [3, 5], [16, 256], [2, 6]]) {
      for (const withB of [true, false]) {
        const gates = pair.buffer(randomArray(B * 3 * H, () => next(0, 1)));
        const hPrev = pair.buffer(randomArray(B * H, next));
        const dhA = pair.buffer(randomArray(B * H, next));
        const dhB = pair.buffer(randomArray(B * H, next));
        const dhPrev = withB ? dhB : pair.buffer(new Float32Array(B * H).fill(NaN));
        const dRh = pair.buffer(randomArray(B * H, next));
        const dGates = pair.buffer(new Float32Array(B * 3 * H).fill(NaN));
        for (const [ops, k] of [[pair.js, 'js'], [pair.wasm, 'wasm']] as const) {
          ops.gruCellBackward(B, H, gates[k], hPrev[k], dhA[k], withB ? dhB[k] : -1, dhPrev[k], dGates[k]);
          ops.gruResetBackward(B, H, gates[k], hPrev[k], dRh[k], dhPrev[k], dGates[k]);
        }
        pair.expectClose(dGates, `gru backward B=${B} H=${H} dhB=${withB} dGates`);
        pair.expectClose(dhPrev, `gru backward B=${B} H=${H} dhB=${withB} dhPrev`);
      }
    }
  });

  it('rnnCellForward and rnnCellBackward match JsOps, ragged sizes and in place', () => {
    const pair = new Pair(makeOps());
    const next = rng(9);
    for (const [B, H] of [[1, 1], [3, 5], [16, 256], [1, 7]]) {
      const values = randomArray(B * H, () => next(-6, 6));
      values[0] = 1e4;
      const pre = pair.buffer(values);
      const h = pair.buffer(new Float32Array(B * H).fill(NaN));
      const inPlace = pair.buffer(values);
      for (const [ops, k] of [[pair.js, 'js'], [pair.wasm, 'wasm']] as const) {
        ops.rnnCellForward(B, H, pre[k], h[k]);
        ops.rnnCellForward(B, H, inPlace[k], inPlace[k]);
      }
      pair.expectClose(h, `rnnCellForward B=${B} H=${H}`);
      pair.expectClose(inPlace, `rnnCellForward in place B=${B} H=${H}`);
      for (const withB of [true, false]) {
        const dhA = pair.buffer(randomArray(B * H, next));
        const dhB = pair.buffer(randomArray(B * H, next));
        const dPre = pair.buffer(new Float32Array(B * H + 3).fill(NaN));
        for (const [ops, k] of [[pair.js, 'js'], [pair.wasm, 'wasm']] as const) {
          ops.rnnCellBackward(B, H, h[k], dhA[k], withB ? dhB[k] : -1, dPre[k]);
        }
        // The 3 floats past B·H stay NaN in both: nothing is written past the end.
        pair.expectClose(dPre, `rnnCellBackward B=${B} H=${H} dhB=${withB}`);
      }
    }
  });

  it('softmaxCrossEntropy matches JsOps: loss and dLogits separate, in place, absent', () => {
    const pair = new Pair(makeOps());
    const next = rng(5);
    for (const [M, V] of [[1, 1], [9, 98], [4, 3], [5, 4], [2048, 98], [3, 13]]) {
      for (const mode of ['separate', 'inPlace', 'absent'] as const) {
        const values = randomArray(M * V, () => next(-5, 5));
        for (let i = 0; i < values.length; i += 17) values[i] = next() < 0 ? -80 : 80;
        const logits = pair.buffer(values);
        const targets = new Int32Array(M).map(() => Math.floor(next(0, V)));
        const tJs = pair.js.arena.alloc(M);
        const tWasm = pair.wasm.arena.alloc(M);
        pair.js.arena.i32.set(targets, tJs);
        pair.wasm.arena.i32.set(targets, tWasm);
        const d = mode === 'separate' ? pair.buffer(new Float32Array(M * V).fill(NaN)) : logits;
        const scale = 1 / M;
        const lossJs = pair.js.softmaxCrossEntropy(M, V, logits.js, tJs, mode === 'absent' ? -1 : d.js, scale);
        const lossWasm = pair.wasm.softmaxCrossEntropy(M, V, logits.wasm, tWasm, mode === 'absent' ? -1 : d.wasm, scale);
        assert.ok(Math.abs(lossJs - lossWasm) <= TOL * Math.max(1, Math.abs(lossJs)), `loss M=${M} V=${V} ${mode}: ${lossJs} vs ${lossWasm}`);
        // dLogits entries are ~scale-sized: compare at that scale.
        pair.expectClose(d, `softmaxCrossEntropy M=${M} V=${V} ${mode} dLogits`, TOL * scale);
        if (mode !== 'inPlace') pair.expectClose(logits, `softmaxCrossEntropy M=${M} V=${V} ${mode} logits untouched`, 0);
      }
    }
  });

  /** Feature indices in both arenas' i32 views (offsets differ). */
  function indexBuffer(pair: Pair, rows: ArrayLike<number>): { js: number; wasm: number } {
    const js = pair.js.arena.alloc(rows.length);
    const wasm = pair.wasm.arena.alloc(rows.length);
    pair.js.arena.i32.set(rows, js);
    pair.wasm.arena.i32.set(rows, wasm);
    return { js, wasm };
  }

  it('gatherAxpy and sparseCodeBackward match JsOps, repeated rows and zero slots included', () => {
    const pair = new Pair(makeOps());
    const next = rng(7);
    for (const [F, N, count] of [[1, 1, 1], [12, 7, 5], [3072, 768, 32], [40, 9, 40]]) {
      const rows = Array.from({ length: count }, (_, s) => (s % 5 === 4 ? 0 : Math.floor(next(0, F))));
      const vals = randomArray(count, () => next(0, 2));
      if (count > 2) vals[1] = 0; // an unused slot: its row is not read
      const r = indexBuffer(pair, rows);
      const v = pair.buffer(vals);
      const dec = pair.buffer(randomArray(F * N, next));
      const out = pair.buffer(randomArray(N, next));
      pair.js.gatherAxpy(count, r.js, v.js, dec.js, N, N, out.js);
      pair.wasm.gatherAxpy(count, r.wasm, v.wasm, dec.wasm, N, N, out.wasm);
      pair.expectClose(out, `gatherAxpy F=${F} N=${N}`, 1e-5 * Math.sqrt(count));
      const dOut = pair.buffer(randomArray(N, next));
      const x = pair.buffer(randomArray(N, next));
      const dDec = pair.buffer(randomArray(F * N, next));
      const dEnc = pair.buffer(randomArray(F * N, next));
      const dBias = pair.buffer(randomArray(F, next));
      for (const [ops, key] of [[pair.js, 'js'], [pair.wasm, 'wasm']] as const) {
        ops.sparseCodeBackward(count, r[key], v[key], N, dOut[key], dec[key], x[key], dDec[key], dEnc[key], dBias[key]);
      }
      const tol = 1e-5 * Math.sqrt(N * count);
      pair.expectClose(dDec, `sparseCodeBackward dDec F=${F} N=${N}`, tol);
      pair.expectClose(dEnc, `sparseCodeBackward dEnc F=${F} N=${N}`, tol);
      pair.expectClose(dBias, `sparseCodeBackward dEncBias F=${F} N=${N}`, tol);
    }
  });

  it('projectRowsTangent and normaliseRows match JsOps and do what they say', () => {
    const pair = new Pair(makeOps());
    const next = rng(8);
    for (const [R, N] of [[1, 1], [5, 7], [64, 768], [3, 9]]) {
      const m = pair.buffer(randomArray(R * N, next));
      pair.js.normaliseRows(R, N, m.js);
      pair.wasm.normaliseRows(R, N, m.wasm);
      pair.expectClose(m, `normaliseRows ${R}x${N}`);
      const unit = pair.wasm.arena.view(m.wasm, R * N);
      for (let j = 0; j < R; j++) {
        const sq = unit.subarray(j * N, (j + 1) * N).reduce((a, b) => a + b * b, 0);
        assert.ok(Math.abs(sq - 1) < 1e-5, `row ${j} of ${R}x${N}: squared length ${sq}`);
      }
      const g = pair.buffer(randomArray(R * N, next));
      pair.js.projectRowsTangent(R, N, g.js, m.js);
      pair.wasm.projectRowsTangent(R, N, g.wasm, m.wasm);
      pair.expectClose(g, `projectRowsTangent ${R}x${N}`, 1e-5 * Math.sqrt(N));
      // Views again: allocating g may have grown (and detached) the memory.
      const proj = pair.wasm.arena.view(g.wasm, R * N);
      const rowsAfter = pair.wasm.arena.view(m.wasm, R * N);
      for (let j = 0; j < R && N > 1; j++) {
        let dot = 0;
        for (let n = 0; n < N; n++) dot += proj[j * N + n] * rowsAfter[j * N + n];
        assert.ok(Math.abs(dot) < 1e-4, `row ${j}: projected gradient · row = ${dot}`);
      }
    }
    // A zero row stays zero (no division by its length).
    const zero = pair.buffer(new Float32Array(8));
    pair.wasm.normaliseRows(2, 4, zero.wasm);
    assert.deepStrictEqual(Array.from(pair.wasm.arena.view(zero.wasm, 8)), new Array(8).fill(0));
  });

  it('adamUpdate matches JsOps and the trainer\'s Adam', () => {
    const pair = new Pair(makeOps());
    const next = rng(9);
    const n = 1031;
    const p0 = randomArray(n, next);
    const p = pair.buffer(p0);
    const m = pair.buffer(new Float32Array(n));
    const v = pair.buffer(new Float32Array(n));
    const reference = p0.slice();
    const adam = new Adam(n, 3e-3);
    for (let t = 1; t <= 4; t++) {
      const grads = randomArray(n, next, t);
      const g = pair.buffer(grads);
      const step = (3e-3 * Math.sqrt(1 - 0.999 ** t)) / (1 - 0.9 ** t);
      pair.js.adamUpdate(n, p.js, g.js, m.js, v.js, step, 0.9, 0.999, 1e-8);
      pair.wasm.adamUpdate(n, p.wasm, g.wasm, m.wasm, v.wasm, step, 0.9, 0.999, 1e-8);
      adam.update(reference, grads);
    }
    pair.expectClose(p, 'adamUpdate params');
    pair.expectClose(m, 'adamUpdate first moment');
    pair.expectClose(v, 'adamUpdate second moment');
    const got = pair.js.arena.view(p.js, n);
    for (let i = 0; i < n; i++) assert.ok(Math.abs(got[i] - reference[i]) < 1e-6, `parameter ${i}: ${got[i]} vs Adam ${reference[i]}`);
    assert.ok(Math.abs(got[0] - p0[0]) > 1e-4, 'the parameters moved');
  });

  it('keeps working after the arena grows the memory', () => {
    const ops = makeOps();
    const pair = new Pair(ops);
    const next = rng(6);
    const M = 16, N = 1024, K = 256;
    const a = pair.buffer(randomArray(M * K, next, 1 / 16));
    const b = pair.buffer(randomArray(K * N, next));
    const c = pair.buffer(new Float32Array(M * N));
    pair.js.gemmNN(M, N, K, a.js, K, b.js, N, c.js, N, 0);
    pair.wasm.gemmNN(M, N, K, a.wasm, K, b.wasm, N, c.wasm, N, 0);
    const before = ops.arena.buffer.byteLength;
    const big = ops.arena.alloc(16 << 20); // 64 MB: forces memory.grow
    assert.ok(ops.arena.buffer.byteLength > before, 'memory grew');
    ops.arena.f32.fill(1, big, big + 16);
    // Old offsets still valid, new memory reachable, results still right.
    pair.js.gemmNN(M, N, K, a.js, K, b.js, N, c.js, N, 1);
    pair.wasm.gemmNN(M, N, K, a.wasm, K, b.wasm, N, c.wasm, N, 1);
    pair.expectClose(c, 'gemmNN after grow');
    const c2 = pair.buffer(new Float32Array(M * N));
    assert.ok(c2.wasm > big, 'new buffer lies above the grown block');
    pair.js.gemmNT(M, K, N, c.js, N, b.js, N, c2.js, K, 0);
    pair.wasm.gemmNT(M, K, N, c.wasm, N, b.wasm, N, c2.wasm, K, 0);
    pair.expectClose({ ...c2, n: M * K }, 'gemmNT into grown memory', 1e-4);
  });
}

describe('WasmOps', function () {
  this.timeout(120000);

  it('wasm SIMD is supported here, and createFastestOps picks it', () => {
    assert.strictEqual(wasmSimdSupported(), true);
    const ops = createFastestOps();
    assert.ok(ops instanceof WasmOps, `got ${ops.name}`);
  });

  it('the arena starts above the kernels\' stack and stays 16-byte aligned', () => {
    const ops = createWasmOps();
    const off = ops.arena.alloc(5);
    assert.ok(off * 4 >= 512 * 1024, `first offset ${off}`);
    assert.strictEqual(off % 4, 0);
    assert.strictEqual(ops.arena.alloc(3) % 4, 0);
  });

  it('warmUp runs every path and leaves the arena as it was', () => {
    const ops = createWasmOps();
    const x = ops.arena.allocFrom([1, 2, 3]);
    const used = ops.arena.used;
    ops.warmUp(1);
    assert.strictEqual(ops.arena.used, used);
    assert.deepStrictEqual(Array.from(ops.arena.view(x, 3)), [1, 2, 3]);
  });

  describe('simd build', () => {
    const make = (): Ops => createWasmOps({ variant: 'simd' });
    gemmSuite(make);
    elementwiseSuite(make);
  });

  describe('relaxed-simd build (fused multiply-add)', () => {
    const make = (): Ops => createWasmOps({ variant: 'relaxed' as WasmVariant });
    if (wasmRelaxedSimdSupported()) {
      gemmSuite(make);
      elementwiseSuite(make);
    } else {
      // Node 20 validates relaxed SIMD only when started with the flag (VS Code's newer V8 has it on),
      // and setting it once the process runs is not reliable: so this suite runs in a child Node that has it.
      it('runs in a child Node started with --experimental-wasm-relaxed-simd, every test passing', function () {
        this.timeout(600_000);
        const run = spawnSync(
          process.execPath,
          ['--experimental-wasm-relaxed-simd', require.resolve('mocha/bin/_mocha'), '--no-config', '--no-package', '--timeout', '120000', '--reporter', 'json', '--grep', 'relaxed-simd build', __filename],
          { encoding: 'utf8', timeout: 600_000, maxBuffer: 64 << 20 },
        );
        const report = /^\{[\s\S]*\}\s*$/m.exec(run.stdout ?? '');
        assert.ok(report, `no mocha report from the child (status ${run.status}): ${run.stderr?.slice(-2000)}`);
        const stats = (JSON.parse(report[0]) as { stats: { tests: number; passes: number; pending: number; failures: number } }).stats;
        assert.strictEqual(run.status, 0, `the relaxed-SIMD suite failed in the child: ${report[0].slice(0, 4000)}`);
        assert.ok(stats.passes > 0, 'the child ran no relaxed-SIMD test');
        assert.deepStrictEqual({ failures: stats.failures, pending: stats.pending, passes: stats.passes }, { failures: 0, pending: 0, passes: stats.tests });
      });
    }
  });
});

/** The repository root: nearest ancestor holding scripts/check-wasm.js. */
function repoRoot(): string {
  for (let dir = __dirname; ; dir = path.dirname(dir)) {
    if (fs.existsSync(path.join(dir, 'scripts', 'check-wasm.js'))) return dir;
    if (path.dirname(dir) === dir) return process.cwd();
  }
}

describe('scripts/check-wasm.js', () => {
  const root = repoRoot();
  const files = ['scripts/check-wasm.js', 'scripts/build-wasm.sh', 'native/kernels.c', 'src/core/kernels/kernelsWasm.generated.ts'];

  it('passes on the committed source', () => {
    execFileSync(process.execPath, [path.join(root, 'scripts', 'check-wasm.js')], { stdio: 'pipe' });
  });

  // The build script holds the compiler flags: a changed flag is a changed build, like a changed kernel.
  for (const [input, edit] of [['native/kernels.c', '\n// edited\n'], ['scripts/build-wasm.sh', '\n# -O2 now\n']]) {
    it(`fails with a one-line hint when ${input} changed`, () => {
      const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'check-wasm-'));
      try {
        for (const f of files) {
          fs.mkdirSync(path.dirname(path.join(dir, f)), { recursive: true });
          fs.copyFileSync(path.join(root, f), path.join(dir, f));
        }
        execFileSync(process.execPath, [path.join(dir, 'scripts', 'check-wasm.js')], { stdio: 'pipe' });
        fs.appendFileSync(path.join(dir, input), edit);
        assert.throws(
          () => execFileSync(process.execPath, [path.join(dir, 'scripts', 'check-wasm.js')], { stdio: 'pipe' }),
          (err: { status?: number; stderr?: Buffer }) =>
            err.status === 1 && /run npm run build:wasm/.test(String(err.stderr)) && String(err.stderr).trim().split('\n').length === 1,
        );
      } finally {
        fs.rmSync(dir, { recursive: true, force: true });
      }
    });
  }
});
