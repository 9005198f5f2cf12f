import { Arena } from './arena';
import { JsOps } from './jsOps';
import {
  KERNELS_RESERVED_BYTES,
  KERNELS_WASM_RELAXED,
  KERNELS_WASM_SIMD,
} from './kernelsWasm.generated';
import { Ops } from './ops';
import { CellType } from '../modelSpec';

/**
 * WebAssembly SIMD back end of Ops (native/kernels.c, embedded by
 * scripts/build-wasm.sh). The module imports its memory; the Arena lives in
 * that same memory above the kernels' C stack, so every Ops call is one
 * wasm call on float offsets ×4 (byte addresses) — no copies.
 *
 * Two builds are embedded: 'simd' (plain 128-bit SIMD) and 'relaxed' (the
 * same with fused multiply-add, ~20% faster GEMMs), used where the engine
 * validates relaxed SIMD (VS Code's V8; Node 20 only behind a flag).
 */

export type WasmVariant = 'simd' | 'relaxed';

/** Signatures of the C exports; pointers are byte addresses. */
interface KernelExports {
  gemm_nn(M: number, N: number, K: number, a: number, lda: number, b: number, ldb: number, c: number, ldc: number, beta: number): void;
  gemm_nt(M: number, N: number, K: number, a: number, lda: number, b: number, ldb: number, c: number, ldc: number, beta: number): void;
  gemm_tn(M: number, N: number, K: number, a: number, lda: number, b: number, ldb: number, c: number, ldc: number, beta: number): void;
  add_row_vector(M: number, N: number, c: number, ldc: number, bias: number): void;
  add_column_sums(M: number, N: number, a: number, lda: number, out: number): void;
  gather_axpy(count: number, rows: number, vals: number, m: number, ldm: number, N: number, out: number): void;
  sparse_code_backward(count: number, rows: number, vals: number, N: number, dOut: number, dec: number, x: number, dDec: number, dEnc: number, dEncBias: number): void;
  project_rows_tangent(R: number, N: number, g: number, p: number): void;
  normalise_rows(R: number, N: number, m: number): void;
  adam_update(n: number, p: number, g: number, m: number, v: number, step: number, beta1: number, beta2: number, eps: number): void;
  lstm_cell_forward(B: number, H: number, gates: number, cPrev: number, c: number, h: number, tanhC: number): void;
  lstm_cell_backward(B: number, H: number, gates: number, cPrev: number, tanhC: number, dhA: number, dhB: number, dc: number, dGates: number): void;
  gru_gates_forward(B: number, H: number, gates: number, hPrev: number, rh: number): void;
  gru_cell_forward(B: number, H: number, gates: number, hPrev: number, h: number): void;
  gru_cell_backward(B: number, H: number, gates: number, hPrev: number, dhA: number, dhB: number, dhPrev: number, dGates: number): void;
  gru_reset_backward(B: number, H: number, gates: number, hPrev: number, dRh: number, dhPrev: number, dGates: number): void;
  rnn_cell_forward(B: number, H: number, pre: number, h: number): void;
  rnn_cell_backward(B: number, H: number, h: number, dhA: number, dhB: number, dPre: number): void;
  softmax_cross_entropy(M: number, V: number, logits: number, targets: number, dLogits: number, scale: number): number;
  __heap_base: WebAssembly.Global;
}

export class WasmOps implements Ops {
  readonly name: string;

  constructor(
    readonly arena: Arena,
    private readonly k: KernelExports,
    readonly variant: WasmVariant,
  ) {
    this.name = variant === 'relaxed' ? 'wasm-relaxed' : 'wasm';
  }

  gemmNN(M: number, N: number, K: number, a: number, lda: number, b: number, ldb: number, c: number, ldc: number, beta: 0 | 1): void {
    this.k.gemm_nn(M, N, K, a * 4, lda, b * 4, ldb, c * 4, ldc, beta);
  }

  gemmNT(M: number, N: number, K: number, a: number, lda: number, b: number, ldb: number, c: number, ldc: number, beta: 0 | 1): void {
    this.k.gemm_nt(M, N, K, a * 4, lda, b * 4, ldb, c * 4, ldc, beta);
  }

  gemmTN(M: number, N: number, K: number, a: number, lda: number, b: number, ldb: number, c: number, ldc: number, beta: 0 | 1): void {
    this.k.gemm_tn(M, N, K, a * 4, lda, b * 4, ldb, c * 4, ldc, beta);
  }

  addRowVector(M: number, N: number, c: number, ldc: number, bias: number): void {
    this.k.add_row_vector(M, N, c * 4, ldc, bias * 4);
  }

  addColumnSums(M: number, N: number, a: number, lda: number, out: number): void {
    this.k.add_column_sums(M, N, a * 4, lda, out * 4);
  }

  gatherAxpy(count: number, rows: number, vals: number, m: number, ldm: number, N: number, out: number): void {
    this.k.gather_axpy(count, rows * 4, vals * 4, m * 4, ldm, N, out * 4);
  }

  sparseCodeBackward(count: number, rows: number, vals: number, N: number, dOut: number, dec: number, x: number, dDec: number, dEnc: number, dEncBias: number): void {
    this.k.sparse_code_backward(count, rows * 4, vals * 4, N, dOut * 4, dec * 4, x * 4, dDec * 4, dEnc * 4, dEncBias * 4);
  }

  projectRowsTangent(R: number, N: number, g: number, p: number): void {
    this.k.project_rows_tangent(R, N, g * 4, p * 4);
  }

  normaliseRows(R: number, N: number, m: number): void {
    this.k.normalise_rows(R, N, m * 4);
  }

  adamUpdate(n: number, p: number, g: number, m: number, v: number, step: number, beta1: number, beta2: number, eps: number): void {
    this.k.adam_update(n, p * 4, g * 4, m * 4, v * 4, step, beta1, beta2, eps);
  }

  lstmCellForward(B: number, H: number, gates: number, cPrev: number, c: number, h: number, tanhC: number): void {
    this.k.lstm_cell_forward(B, H, gates * 4, cPrev * 4, c * 4, h * 4, tanhC * 4);
  }

  lstmCellBackward(B: number, H: number, gates: number, cPrev: number, tanhC: number, dhA: number, dhB: number, dc: number, dGates: number): void {
    // Address 0 is inside the kernels' stack, never an arena offset: C's "absent".
    this.k.lstm_cell_backward(B, H, gates * 4, cPrev * 4, tanhC * 4, dhA * 4, dhB >= 0 ? dhB * 4 : 0, dc * 4, dGates * 4);
  }

  gruGatesForward(B: number, H: number, gates: number, hPrev: number, rh: number): void {
    this.k.gru_gates_forward(B, H, gates * 4, hPrev * 4, rh * 4);
  }

  gruCellForward(B: number, H: number, gates: number, hPrev: number, h: number): void {
    this.k.gru_cell_forward(B, H, gates * 4, hPrev * 4, h * 4);
  }

  gruCellBackward(B: number, H: number, gates: number, hPrev: number, dhA: number, dhB: number, dhPrev: number, dGates: number): void {
    this.k.gru_cell_backward(B, H, gates * 4, hPrev * 4, dhA * 4, dhB >= 0 ? dhB * 4 : 0, dhPrev * 4, dGates * 4);
  }

  gruResetBackward(B: number, H: number, gates: number, hPrev: number, dRh: number, dhPrev: number, dGates: number): void {
    this.k.gru_reset_backward(B, H, gates * 4, hPrev * 4, dRh * 4, dhPrev * 4, dGates * 4);
  }

  rnnCellForward(B: number, H: number, pre: number, h: number): void {
    this.k.rnn_cell_forward(B, H, pre * 4, h * 4);
  }

  rnnCellBackward(B: number, H: number, h: number, dhA: number, dhB: number, dPre: number): void {
    this.k.rnn_cell_backward(B, H, h * 4, dhA * 4, dhB >= 0 ? dhB * 4 : 0, dPre * 4);
  }

  softmaxCrossEntropy(M: number, V: number, logits: number, targets: number, dLogits: number, scale: number): number {
    return this.k.softmax_cross_entropy(M, V, logits * 4, targets * 4, dLogits >= 0 ? dLogits * 4 : 0, scale);
  }

  /**
   * Runs every kernel path on small inputs for about `msPerPath` ms each.
   * V8 first runs wasm through its baseline compiler (2–3× slower here) and
   * optimizes a function only after it has done enough work — about 75
   * batch-1 steps for the matvec — so call this once, off the latency path,
   * before the first completion. Only the given cell type's kernels are
   * warmed (inference runs one). Leaves the arena as it was.
   */
  warmUp(msPerPath = 3, cell: CellType = 'lstm'): void {
    const mark = this.arena.used;
    const n = 64;
    const a = this.arena.alloc(40 * n);
    const b = this.arena.alloc(n * n);
    const c = this.arena.alloc(40 * n);
    const targets = this.arena.alloc(4);
    const repeat = (run: () => void): void => {
      const end = performance.now() + msPerPath;
      do run(); while (performance.now() < end);
    };
    // One entry per internal path (they tier up separately): matvec, small-M
    // stream, packed tiles; NT dot and packed; TN; the element-wise ops.
    for (const M of [1, 8, 40]) repeat(() => this.gemmNN(M, n, n, a, n, b, n, c, n, 0));
    for (const M of [8, 40]) repeat(() => this.gemmNT(M, n, n, a, n, b, n, c, n, 0));
    repeat(() => this.gemmTN(40, n, n, a, 40, b, n, c, n, 0));
    repeat(() => this.addRowVector(8, n, c, n, b));
    repeat(() => this.addColumnSums(8, n, a, n, c));
    if (cell === 'lstm') {
      repeat(() => this.lstmCellForward(1, n / 4, a, b, c, c + n, c + 2 * n));
      repeat(() => this.lstmCellBackward(1, n / 4, a, b, b + n, c, c + n, c + 2 * n, a + 2 * n));
    } else if (cell === 'gru') {
      repeat(() => this.gruGatesForward(1, n / 4, a, b, c));
      repeat(() => this.gruCellForward(1, n / 4, a, b, c + n));
    } else {
      repeat(() => this.rnnCellForward(1, n, a, c));
    }
    repeat(() => this.softmaxCrossEntropy(4, n, a, targets, c, 1));
    this.arena.release(mark);
  }
}

// (module (func (result v128) (v128.const i32x4 0 0 0 0)))
const SIMD_PROBE = moduleWithBody([0xfd, 0x0c, ...new Array<number>(16).fill(0)]);
// (module (func (result v128) (f32x4.relaxed_madd (v128.const 0) (v128.const 0) (v128.const 0))))
const RELAXED_PROBE = moduleWithBody([
  ...[0, 1, 2].flatMap(() => [0xfd, 0x0c, ...new Array<number>(16).fill(0)]),
  0xfd, 0x85, 0x02,
]);

/** A one-function module `() -> v128` with the given instructions. */
function moduleWithBody(code: number[]): Uint8Array<ArrayBuffer> {
  const body = [0x00, ...code, 0x0b]; // no locals, code, end
  return new Uint8Array([
    0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00,
    0x01, 0x05, 0x01, 0x60, 0x00, 0x01, 0x7b, // type section: [] -> [v128]
    0x03, 0x02, 0x01, 0x00, // function section: one function of type 0
    0x0a, body.length + 2, 0x01, body.length, ...body, // code section (sizes < 128)
  ]);
}

function validates(bytes: Uint8Array<ArrayBuffer>): boolean {
  try {
    return typeof WebAssembly === 'object' && WebAssembly.validate(bytes);
  } catch {
    return false;
  }
}

/** True where WebAssembly with 128-bit SIMD runs (Node ≥ 16, current browsers). */
export function wasmSimdSupported(): boolean {
  return validates(SIMD_PROBE);
}

/** True where relaxed SIMD (f32x4.relaxed_madd) validates. */
export function wasmRelaxedSimdSupported(): boolean {
  return validates(RELAXED_PROBE);
}

// Compiled once per thread (module compilation is the slow part).
const compiled = new Map<WasmVariant, WebAssembly.Module>();

function compiledModule(variant: WasmVariant): WebAssembly.Module {
  let module = compiled.get(variant);
  if (!module) {
    module = new WebAssembly.Module(base64Bytes(variant === 'relaxed' ? KERNELS_WASM_RELAXED : KERNELS_WASM_SIMD));
    compiled.set(variant, module);
  }
  return module;
}

function base64Bytes(text: string): Uint8Array<ArrayBuffer> {
  if (typeof Buffer !== 'undefined') return new Uint8Array(Buffer.from(text, 'base64'));
  const bin = atob(text);
  const out = new Uint8Array(bin.length);
  for (let i = 0; i < bin.length; i++) out[i] = bin.charCodeAt(i);
  return out;
}

export interface WasmOpsOptions {
  /** 'auto' (default): relaxed where supported, else simd. */
  variant?: WasmVariant | 'auto';
  /** Floats of arena space to reserve up front (it grows on demand anyway). */
  initialFloats?: number;
}

/**
 * A WasmOps with its own memory and Arena. Synchronous; throws where wasm
 * SIMD (or the requested variant) is unavailable.
 */
export function createWasmOps(options: WasmOpsOptions = {}): WasmOps {
  const wanted = options.variant ?? 'auto';
  const variant: WasmVariant = wanted === 'auto' ? (wasmRelaxedSimdSupported() ? 'relaxed' : 'simd') : wanted;
  const initialFloats = options.initialFloats ?? 1 << 16;
  const pages = Math.ceil((KERNELS_RESERVED_BYTES + initialFloats * 4) / 65536);
  const memory = new WebAssembly.Memory({ initial: pages });
  const instance = new WebAssembly.Instance(compiledModule(variant), { env: { memory } });
  const exports = instance.exports as unknown as KernelExports;
  const heapBase = Number(exports.__heap_base.value);
  if (heapBase > KERNELS_RESERVED_BYTES) {
    throw new Error(`wasm kernels reserve ${heapBase} bytes, more than the ${KERNELS_RESERVED_BYTES} recorded; rebuild them`);
  }
  return new WasmOps(new Arena(memory, KERNELS_RESERVED_BYTES / 4), exports, variant);
}

/** WasmOps where wasm SIMD runs, else the plain TypeScript JsOps. */
export function createFastestOps(): Ops {
  return wasmSimdSupported() ? createWasmOps() : new JsOps();
}
