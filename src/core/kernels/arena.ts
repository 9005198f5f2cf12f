/**
 * One flat block of float memory that both kernel back ends address by
 * offset: the JS reference reads it through typed arrays, the WebAssembly
 * kernels get it as their linear memory. Keeping every buffer of a model or
 * a training step in one arena is what lets the wasm kernels run with no
 * copies and no allocation per step.
 *
 * Offsets are in floats (4 bytes) and 16-byte aligned, so SIMD loads line up.
 * Growing may replace the underlying buffer: hold offsets, not views.
 */
export class Arena {
  private top: number;
  private f32Cache!: Float32Array;
  private i32Cache!: Int32Array;
  private plain: ArrayBuffer | null;

  /**
   * @param memory wasm memory to live in (the kernels' own); omit for a plain
   *   ArrayBuffer (JS reference back end).
   * @param reservedFloats floats at the start that belong to the kernels
   *   (their stack and constants) and are never handed out.
   */
  constructor(readonly memory: WebAssembly.Memory | null = null, reservedFloats = 0, initialFloats = 1 << 16) {
    this.top = align4(reservedFloats);
    this.plain = memory ? null : new ArrayBuffer(Math.max(initialFloats, this.top) * 4);
    this.refresh();
  }

  get buffer(): ArrayBuffer {
    return this.memory ? (this.memory.buffer as ArrayBuffer) : (this.plain as ArrayBuffer);
  }
  get f32(): Float32Array {
    if (this.f32Cache.buffer !== this.buffer) this.refresh();
    return this.f32Cache;
  }
  get i32(): Int32Array {
    if (this.i32Cache.buffer !== this.buffer) this.refresh();
    return this.i32Cache;
  }
  /** Floats handed out so far (the high-water mark). */
  get used(): number {
    return this.top;
  }

  /** Reserves n floats (zeroed) and returns their offset. */
  alloc(n: number): number {
    const off = this.top;
    this.top = align4(this.top + n);
    this.ensure(this.top);
    this.f32.fill(0, off, off + n);
    return off;
  }

  /** Copies data into a new block and returns its offset. */
  allocFrom(data: ArrayLike<number>): number {
    const off = this.alloc(data.length);
    this.f32.set(data, off);
    return off;
  }

  /** Forgets everything allocated after `mark` (a value of `used`). */
  release(mark: number): void {
    this.top = mark;
  }

  view(off: number, n: number): Float32Array {
    return this.f32.subarray(off, off + n);
  }

  private ensure(floats: number): void {
    const bytes = floats * 4;
    if (bytes <= this.buffer.byteLength) return;
    if (this.memory) {
      const pages = Math.ceil((bytes - this.memory.buffer.byteLength) / 65536);
      this.memory.grow(pages);
    } else {
      const next = new ArrayBuffer(Math.max(bytes, this.buffer.byteLength * 2));
      new Uint8Array(next).set(new Uint8Array(this.buffer));
      this.plain = next;
    }
    this.refresh();
  }

  private refresh(): void {
    this.f32Cache = new Float32Array(this.buffer);
    this.i32Cache = new Int32Array(this.buffer);
  }
}

function align4(n: number): number {
  return (n + 3) & ~3;
}
