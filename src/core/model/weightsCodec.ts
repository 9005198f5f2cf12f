/**
 * Weight data in the TensorFlow.js weights-manifest encoding: a list of
 * { name, shape, dtype, quantization? } and one concatenated byte buffer.
 * Supports float32 and the two quantizations tfjs itself reads back:
 * float16, and affine uint8 (value = q·scale + min, per tensor).
 */

export type WeightDtype = 'float32' | 'float16' | 'uint8';

export interface WeightSpec {
  name: string;
  shape: number[];
  dtype: 'float32';
  quantization?: { dtype: 'float16' } | { dtype: 'uint8' | 'uint16'; scale: number; min: number };
}

export interface NamedTensor {
  name: string;
  shape: number[];
  values: Float32Array;
}

/** Largest weight buffer we agree to read (a guard against absurd declared shapes). */
export const MAX_WEIGHT_BYTES = 1 << 30;

export function encodeWeights(tensors: NamedTensor[], dtype: WeightDtype = 'float32'): { specs: WeightSpec[]; data: Uint8Array } {
  const chunks: Uint8Array[] = [];
  const specs: WeightSpec[] = [];
  for (const t of tensors) {
    if (dtype === 'float32') {
      chunks.push(new Uint8Array(t.values.buffer.slice(t.values.byteOffset, t.values.byteOffset + t.values.byteLength)));
      specs.push({ name: t.name, shape: t.shape, dtype: 'float32' });
    } else if (dtype === 'float16') {
      const half = new Uint16Array(t.values.length);
      for (let i = 0; i < half.length; i++) half[i] = floatToHalf(t.values[i]);
      chunks.push(new Uint8Array(half.buffer));
      specs.push({ name: t.name, shape: t.shape, dtype: 'float32', quantization: { dtype: 'float16' } });
    } else {
      let min = Infinity;
      let max = -Infinity;
      for (const v of t.values) {
        if (v < min) min = v;
        if (v > max) max = v;
      }
      if (!(min <= max)) min = max = 0;
      const scale = max > min ? (max - min) / 255 : 1;
      const q = new Uint8Array(t.values.length);
      for (let i = 0; i < q.length; i++) q[i] = Math.round((t.values[i] - min) / scale);
      chunks.push(q);
      specs.push({ name: t.name, shape: t.shape, dtype: 'float32', quantization: { dtype: 'uint8', scale, min } });
    }
  }
  const total = chunks.reduce((s, c) => s + c.length, 0);
  const data = new Uint8Array(total);
  let at = 0;
  for (const c of chunks) {
    data.set(c, at);
    at += c.length;
  }
  return { specs, data };
}

function bytesPerValue(spec: WeightSpec): number {
  const q = spec.quantization?.dtype;
  if (q === 'float16' || q === 'uint16') return 2;
  if (q === 'uint8') return 1;
  return 4;
}

/**
 * A value from a weights manifest, short, for an error message. Never throws:
 * JSON.stringify overflows the stack on a deeply nested array (fuzzing found
 * one in `shape`), and that must not replace the real message.
 */
function brief(value: unknown): string {
  try {
    const s = JSON.stringify(value) ?? String(value);
    return s.length > 60 ? s.slice(0, 57) + '...' : s;
  } catch {
    return 'an unreadable value';
  }
}

function elementCount(shape: unknown, name: string): number {
  if (!Array.isArray(shape) || shape.length > 8) throw new Error(`weight ${name} has an invalid shape ${brief(shape)}`);
  let n = 1;
  for (const d of shape) {
    if (typeof d !== 'number' || !Number.isInteger(d) || d < 0) throw new Error(`weight ${name} has an invalid shape ${brief(shape)}`);
    n *= d;
    if (n * 4 > MAX_WEIGHT_BYTES) throw new Error(`weight ${name} declares ${brief(shape)}, more than ${MAX_WEIGHT_BYTES >> 20} MiB`);
  }
  return n;
}

/**
 * Bytes the specs say the data must have (checked before anything is read).
 * The specs come from a file: each one is checked to be an object with a
 * string name and a known quantization before any field is used.
 */
export function expectedWeightBytes(specs: WeightSpec[]): number {
  let total = 0;
  for (const s of specs) {
    if (typeof s !== 'object' || s === null || typeof s.name !== 'string') throw new Error(`the weights manifest has an entry ${brief(s)} that is not a { name, shape, dtype } object`);
    if (s.dtype !== 'float32') throw new Error(`weight ${s.name} has dtype ${brief(s.dtype)}; only float32 weights are supported`);
    const q = s.quantization as unknown;
    // Anything else would be read as 4-byte floats and give garbage weights.
    if (q !== undefined && q !== null && !(typeof q === 'object' && ['float16', 'uint8', 'uint16'].includes((q as { dtype?: unknown }).dtype as string))) {
      throw new Error(`weight ${s.name} has quantization ${brief(q)}; only float16, uint8 and uint16 are supported`);
    }
    total += elementCount(s.shape, s.name) * bytesPerValue(s);
    if (total > MAX_WEIGHT_BYTES) throw new Error(`weights declare more than ${MAX_WEIGHT_BYTES >> 20} MiB`);
  }
  return total;
}

export function decodeWeights(specs: WeightSpec[], data: Uint8Array): NamedTensor[] {
  const expected = expectedWeightBytes(specs);
  if (data.length !== expected) {
    throw new Error(`weight data has ${data.length} bytes but the manifest describes ${expected} (truncated or mismatched .bin file)`);
  }
  const out: NamedTensor[] = [];
  let at = 0;
  for (const s of specs) {
    const n = elementCount(s.shape, s.name);
    const values = new Float32Array(n);
    const bytes = data.subarray(at, at + n * bytesPerValue(s));
    const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    const q = s.quantization;
    if (!q) {
      for (let i = 0; i < n; i++) values[i] = view.getFloat32(i * 4, true);
    } else if (q.dtype === 'float16') {
      for (let i = 0; i < n; i++) values[i] = halfToFloat(view.getUint16(i * 2, true));
    } else {
      if (!Number.isFinite(q.scale) || !Number.isFinite(q.min)) throw new Error(`weight ${s.name} has an invalid quantization`);
      const wide = q.dtype === 'uint16';
      for (let i = 0; i < n; i++) values[i] = (wide ? view.getUint16(i * 2, true) : bytes[i]) * q.scale + q.min;
    }
    for (let i = 0; i < n; i++) {
      if (!Number.isFinite(values[i])) throw new Error(`weight ${s.name} contains NaN or infinite values`);
    }
    out.push({ name: s.name, shape: s.shape, values });
    at += bytes.length;
  }
  return out;
}

const f32 = new Float32Array(1);
const u32 = new Uint32Array(f32.buffer);

/** IEEE 754 single → half, round to nearest even, with overflow to infinity. */
export function floatToHalf(value: number): number {
  f32[0] = value;
  const x = u32[0];
  const sign = (x >>> 16) & 0x8000;
  const exp = (x >>> 23) & 0xff;
  const mant = x & 0x7fffff;
  if (exp === 0xff) return sign | 0x7c00 | (mant ? 0x200 : 0);
  const e = exp - 127 + 15;
  if (e >= 0x1f) return sign | 0x7c00;
  if (e <= 0) {
    if (e < -10) return sign;
    const m = (mant | 0x800000) >>> (1 - e);
    const rounded = m + 0xfff + ((m >>> 13) & 1);
    return sign | (rounded >>> 13);
  }
  const rounded = mant + 0xfff + ((mant >>> 13) & 1);
  if (rounded & 0x800000) return e + 1 >= 0x1f ? sign | 0x7c00 : sign | ((e + 1) << 10);
  return sign | (e << 10) | (rounded >>> 13);
}

export function halfToFloat(h: number): number {
  const sign = h & 0x8000 ? -1 : 1;
  const exp = (h >>> 10) & 0x1f;
  const mant = h & 0x3ff;
  if (exp === 0) return sign * mant * 2 ** -24;
  if (exp === 0x1f) return mant ? NaN : sign * Infinity;
  return sign * (1 + mant / 1024) * 2 ** (exp - 15);
}
