import { performance } from 'perf_hooks';
import { JsOps } from '../core/kernels/jsOps';
import { Ops } from '../core/kernels/ops';
import { createWasmOps, wasmRelaxedSimdSupported, wasmSimdSupported } from '../core/kernels/wasmOps';

/**
 * Micro-benchmark of the kernel back ends on the shapes the 2×256 char-LSTM
 * runs (embed 64, vocab 98, B = 16/32, T = 64): GFLOP/s per GEMM shape and
 * µs per element-wise op, JsOps vs WasmOps (and the relaxed-SIMD build
 * where this engine runs it). Prints a table to stderr and returns it.
 */

export interface KernelBenchOptions {
  /** Minimum measured time per (shape, back end), ms. Default 200. */
  minMs?: number;
  /** Skip JsOps above this many flops per call (it is ~50× slower). Default 3e8. */
  jsMaxFlops?: number;
}

export interface KernelBenchRow {
  op: string;
  shape: string;
  /** Floating-point operations per call (GEMMs), or 0 for element-wise ops. */
  flops: number;
  /** Per back end: µs per call and GFLOP/s (GEMMs); null where skipped. */
  results: Record<string, { us: number; gflops: number | null } | null>;
}

export interface KernelBenchReport {
  backends: string[];
  rows: KernelBenchRow[];
}

type Kind = 'NN' | 'NT' | 'TN';

interface Case {
  op: string;
  shape: string;
  flops: number;
  /** Allocates its buffers in `ops.arena` and returns one call of the op. */
  setup(ops: Ops): () => void;
}

function fillRandom(ops: Ops, n: number, lo = -1, hi = 1): number {
  const off = ops.arena.alloc(n);
  const f = ops.arena.f32;
  let s = 12345;
  for (let i = 0; i < n; i++) {
    s = (Math.imul(s, 1103515245) + 12345) >>> 0;
    f[off + i] = lo + ((hi - lo) * s) / 4294967296;
  }
  return off;
}

function gemmCase(kind: Kind, M: number, N: number, K: number, beta: 0 | 1, what: string): Case {
  return {
    op: `gemm${kind}`,
    shape: `${what}: M=${M} N=${N} K=${K}${beta ? ' β=1' : ''}`,
    flops: 2 * M * N * K,
    setup(ops) {
      const a = fillRandom(ops, M * K, -0.1, 0.1);
      const b = fillRandom(ops, K * N, -0.1, 0.1);
      const c = fillRandom(ops, M * N);
      if (kind === 'NN') return () => ops.gemmNN(M, N, K, a, K, b, N, c, N, beta);
      if (kind === 'NT') return () => ops.gemmNT(M, N, K, a, K, b, K, c, N, beta);
      return () => ops.gemmTN(M, N, K, a, M, b, N, c, N, beta);
    },
  };
}

function cases(): Case[] {
  const H = 256;
  const G = 4 * H;
  const V = 98;
  return [
    gemmCase('NN', 1024, G, 64, 0, 'input projection, layer 1'),
    gemmCase('NN', 2048, G, 256, 0, 'input projection, layer 2'),
    gemmCase('NN', 16, G, H, 1, 'recurrent step, B=16'),
    gemmCase('NN', 32, G, H, 1, 'recurrent step, B=32'),
    gemmCase('NT', 16, H, G, 0, 'recurrent backward, B=16'),
    gemmCase('NT', 32, H, G, 0, 'recurrent backward, B=32'),
    gemmCase('TN', H, G, 2048, 1, 'weight gradient'),
    gemmCase('TN', 64, G, 1024, 1, 'weight gradient, embed'),
    gemmCase('NT', 2048, H, G, 0, 'input gradient'),
    gemmCase('NN', 2048, V, H, 0, 'head forward'),
    gemmCase('TN', H, V, 2048, 1, 'head weight gradient'),
    gemmCase('NT', 2048, H, V, 0, 'head input gradient'),
    gemmCase('NN', 1, G, 256, 1, 'inference matvec'),
    gemmCase('NN', 1, G, 512, 1, 'inference matvec, K=512'),
    gemmCase('NN', 4, G, 256, 1, 'beam search, 4 beams'),
    gemmCase('NN', 8, G, 256, 1, 'beam search, 8 beams'),
    {
      // Batch-1 generation step of the 2×256 model: per layer x·W_ih and
      // h·W_hh (separate weights, 3.4 MB in all, more than L2) and the cell,
      // then the head and its softmax.
      op: 'inference step',
      shape: `2×${H}, embed 64, batch 1`,
      flops: 2 * (64 * G + H * G + H * G + H * G + H * V),
      setup(ops) {
        const layers = [64, H].map((inDim) => ({
          inDim,
          wIh: fillRandom(ops, inDim * G, -0.1, 0.1),
          wHh: fillRandom(ops, H * G, -0.1, 0.1),
          bias: fillRandom(ops, G, -0.1, 0.1),
          gates: ops.arena.alloc(G),
          h: fillRandom(ops, H),
          c: fillRandom(ops, H),
          tanhC: ops.arena.alloc(H),
        }));
        const x = fillRandom(ops, 64);
        const wHy = fillRandom(ops, H * V, -0.1, 0.1);
        const logits = ops.arena.alloc(V);
        const target = ops.arena.alloc(1);
        return () => {
          let input = x;
          for (const l of layers) {
            ops.arena.f32.copyWithin(l.gates, l.bias, l.bias + G);
            ops.gemmNN(1, G, l.inDim, input, l.inDim, l.wIh, G, l.gates, G, 1);
            ops.gemmNN(1, G, H, l.h, H, l.wHh, G, l.gates, G, 1);
            ops.lstmCellForward(1, H, l.gates, l.c, l.c, l.h, l.tanhC);
            input = l.h;
          }
          ops.gemmNN(1, V, H, input, H, wHy, V, logits, V, 0);
          ops.softmaxCrossEntropy(1, V, logits, target, logits, 1);
        };
      },
    },
    {
      op: 'lstmCellForward',
      shape: `B=32 H=${H}`,
      flops: 0,
      setup(ops) {
        const gates = fillRandom(ops, 32 * G, -4, 4);
        const cPrev = fillRandom(ops, 32 * H);
        const c = ops.arena.alloc(32 * H);
        const h = ops.arena.alloc(32 * H);
        const tanhC = ops.arena.alloc(32 * H);
        const pre = ops.arena.alloc(32 * G);
        return () => {
          // Keep pre-activations fresh: the op overwrites them with activations.
          ops.arena.f32.copyWithin(gates, pre, pre + 32 * G);
          ops.lstmCellForward(32, H, gates, cPrev, c, h, tanhC);
        };
      },
    },
    {
      op: 'lstmCellBackward',
      shape: `B=32 H=${H}`,
      flops: 0,
      setup(ops) {
        const gates = fillRandom(ops, 32 * G, 0, 1);
        const cPrev = fillRandom(ops, 32 * H);
        const tanhC = fillRandom(ops, 32 * H);
        const dhA = fillRandom(ops, 32 * H);
        const dhB = fillRandom(ops, 32 * H);
        const dc = fillRandom(ops, 32 * H);
        const dGates = ops.arena.alloc(32 * G);
        return () => ops.lstmCellBackward(32, H, gates, cPrev, tanhC, dhA, dhB, dc, dGates);
      },
    },
    {
      op: 'softmaxCrossEntropy',
      shape: `M=2048 V=${V}, dLogits in place`,
      flops: 0,
      setup(ops) {
        const logits = fillRandom(ops, 2048 * V, -3, 3);
        const targets = ops.arena.alloc(2048);
        for (let m = 0; m < 2048; m++) ops.arena.i32[targets + m] = (m * 7) % V;
        return () => ops.softmaxCrossEntropy(2048, V, logits, targets, logits, 1 / 2048);
      },
    },
  ];
}

/** µs per call: the fastest ~10 ms batch within minMs (least disturbed by other load). */
function time(call: () => void, minMs: number): number {
  // Warm up past V8's tier-up from its baseline compiler (Liftoff for wasm).
  const warmEnd = performance.now() + Math.min(150, minMs);
  do call(); while (performance.now() < warmEnd);
  let best = Infinity;
  const end = performance.now() + minMs;
  do {
    const t0 = performance.now();
    let n = 0;
    do {
      call();
      n++;
    } while (performance.now() - t0 < 10);
    best = Math.min(best, (performance.now() - t0) / n);
  } while (performance.now() < end);
  return best * 1000;
}

export function benchKernels(options: KernelBenchOptions = {}): KernelBenchReport {
  const minMs = options.minMs ?? 200;
  const jsMaxFlops = options.jsMaxFlops ?? 3e8;
  const backends: Array<{ name: string; ops: Ops }> = [{ name: 'js', ops: new JsOps() }];
  if (wasmSimdSupported()) backends.push({ name: 'wasm', ops: createWasmOps({ variant: 'simd' }) });
  if (wasmRelaxedSimdSupported()) backends.push({ name: 'wasm-relaxed', ops: createWasmOps({ variant: 'relaxed' }) });

  process.stderr.write(`kernel bench (one thread; µs per call, GFLOP/s): ${backends.map((b) => b.name).join(', ')}\n`);
  const rows: KernelBenchRow[] = [];
  for (const c of cases()) {
    const row: KernelBenchRow = { op: c.op, shape: c.shape, flops: c.flops, results: {} };
    for (const { name, ops } of backends) {
      if (name === 'js' && c.flops > jsMaxFlops) {
        row.results[name] = null;
        continue;
      }
      const mark = ops.arena.used;
      const us = time(c.setup(ops), minMs);
      ops.arena.release(mark);
      row.results[name] = { us, gflops: c.flops ? c.flops / us / 1000 : null };
    }
    rows.push(row);
    process.stderr.write(formatRow(row, backends.map((b) => b.name)) + '\n');
  }
  return { backends: backends.map((b) => b.name), rows };
}

function formatRow(row: KernelBenchRow, backends: string[]): string {
  const cells = backends.map((name) => {
    const r = row.results[name];
    if (!r) return `${name} —`.padEnd(30);
    const rate = r.gflops !== null ? ` ${r.gflops.toFixed(1).padStart(5)} GFLOP/s` : '';
    return `${name} ${r.us.toFixed(1).padStart(9)} µs${rate}`.padEnd(30);
  });
  return `${row.op.padEnd(20)}${row.shape.padEnd(52)}${cells.join(' ')}`;
}
