import { createHash } from 'crypto';
import * as fs from 'fs';
import { describeWriteError, writeFileAtomic } from '../atomicWrite';
import { halfToFloat, floatToHalf } from '../model/weightsCodec';
import { ModelSpec, describeSpec } from '../modelSpec';
import { SparseDictionary } from './dictionary';
import { DictionaryMetrics } from './dictionaryMetrics';
import { stateDim } from './stateMatrix';

/**
 * A dictionary file: a small JSON header and the numbers, so it can sit
 * beside model.json and be checked before anything large is read.
 *
 *   bytes 0–11   "LSTMLENSDICT"
 *   bytes 12–15  header length H (uint32, little-endian)
 *   16 … 16+H    header (UTF-8 JSON: shapes, dtypes, checksum, provenance)
 *   zero padding to a multiple of 4, then the arrays back to back
 *   (little-endian float32 or float16, in the header's order)
 */
const MAGIC = 'LSTMLENSDICT';
const PREAMBLE = 16;
export const DICTIONARY_FORMAT_VERSION = 2;
/** Files of a plain top-k dictionary keep version 1, so an older LSTM Lens still reads them; a thresholded one (batch top-k) is version 2. */
const TOP_K_FORMAT_VERSION = 1;
const MAX_HEADER_BYTES = 1 << 20;
const MAX_FILE_BYTES = 1 << 30;

export type DictionaryDtype = 'float32' | 'float16';

/** What the file says about where the dictionary came from. */
export interface DictionaryInfo {
  /** The model whose states it was trained on. */
  model: { name: string; fingerprint: string; spec: ModelSpec };
  training: {
    rows: number;
    epochs: number;
    steps: number;
    seconds: number;
    seed: number;
    stoppedBecause: string;
    files?: string[];
  };
  /** Measured on the training states after training. */
  metrics?: DictionaryMetrics;
  createdAt: string;
}

interface ArrayEntry {
  name: ArrayName;
  length: number;
  dtype: DictionaryDtype;
}

interface Header {
  format: 'lstm-lens-dictionary';
  version: number;
  dim: number;
  features: number;
  k: number;
  /** Batch top-k's firing bar (version 2; absent: plain top-k). */
  threshold?: number;
  arrays: ArrayEntry[];
  payloadBytes: number;
  sha256: string;
  info: DictionaryInfo;
}

const ARRAY_NAMES = ['mean', 'scale', 'encoder', 'encoderBias', 'decoder', 'decoderBias'] as const;
type ArrayName = (typeof ARRAY_NAMES)[number];

export class DictionaryLoadError extends Error {}
export class DictionarySaveError extends Error {}

/** A short content hash of a model's weights: a dictionary is only valid for the weights it was trained on. */
export function modelFingerprint(params: Float32Array): string {
  return createHash('sha256').update(new Uint8Array(params.buffer, params.byteOffset, params.byteLength)).digest('hex').slice(0, 16);
}

function arraysOf(dict: SparseDictionary): Record<ArrayName, Float32Array> {
  return { mean: dict.norm.mean, scale: dict.norm.scale, encoder: dict.encoder, encoderBias: dict.encoderBias, decoder: dict.decoder, decoderBias: dict.decoderBias };
}

function expectedLength(name: ArrayName, dim: number, features: number): number {
  if (name === 'encoder' || name === 'decoder') return features * dim;
  if (name === 'encoderBias') return features;
  return dim;
}

/** The file's bytes. float16 halves the matrices (the small vectors stay float32). */
export function encodeDictionary(dict: SparseDictionary, info: DictionaryInfo, dtype: DictionaryDtype = 'float32'): Uint8Array {
  const arrays = arraysOf(dict);
  const entries: ArrayEntry[] = ARRAY_NAMES.map((name) => ({ name, length: arrays[name].length, dtype: name === 'encoder' || name === 'decoder' ? dtype : 'float32' }));
  const payloadBytes = entries.reduce((sum, e) => sum + e.length * (e.dtype === 'float16' ? 2 : 4), 0);
  const payload = new Uint8Array(payloadBytes);
  const view = new DataView(payload.buffer);
  let at = 0;
  for (const e of entries) {
    const values = arrays[e.name];
    if (e.dtype === 'float16') {
      for (let i = 0; i < values.length; i++, at += 2) view.setUint16(at, floatToHalf(values[i]), true);
    } else {
      for (let i = 0; i < values.length; i++, at += 4) view.setFloat32(at, values[i], true);
    }
  }
  const header: Header = {
    format: 'lstm-lens-dictionary',
    version: dict.threshold > 0 ? DICTIONARY_FORMAT_VERSION : TOP_K_FORMAT_VERSION,
    dim: dict.dim,
    features: dict.features,
    k: dict.k,
    ...(dict.threshold > 0 ? { threshold: dict.threshold } : {}),
    arrays: entries,
    payloadBytes,
    sha256: createHash('sha256').update(payload).digest('hex'),
    info,
  };
  const json = Buffer.from(JSON.stringify(header), 'utf8');
  const start = align4(PREAMBLE + json.length);
  const out = new Uint8Array(start + payloadBytes);
  out.set(Buffer.from(MAGIC, 'ascii'), 0);
  new DataView(out.buffer).setUint32(12, json.length, true);
  out.set(json, PREAMBLE);
  out.set(payload, start);
  return out;
}

/** Writes a dictionary file atomically (readers see the old file or the new one). */
export async function saveDictionary(file: string, dict: SparseDictionary, info: DictionaryInfo, dtype: DictionaryDtype = 'float32'): Promise<{ bytes: number; sha256: string }> {
  const data = encodeDictionary(dict, info, dtype);
  try {
    await writeFileAtomic(file, data);
  } catch (err) {
    throw new DictionarySaveError(`cannot save the dictionary to ${JSON.stringify(file)}: ${describeWriteError(err)}`);
  }
  return { bytes: data.length, sha256: createHash('sha256').update(data).digest('hex') };
}

/** Reads a dictionary file; every problem is a DictionaryLoadError that says what is wrong. */
export async function loadDictionary(file: string): Promise<{ dict: SparseDictionary; info: DictionaryInfo }> {
  const fail = (why: string): never => {
    throw new DictionaryLoadError(`cannot load dictionary ${JSON.stringify(file)}: ${why}`);
  };
  let stat: fs.Stats | undefined;
  try {
    stat = await fs.promises.stat(file);
  } catch {
    fail('the file does not exist');
  }
  if (!stat?.isFile()) return fail('it is not a regular file');
  if (stat.size > MAX_FILE_BYTES) fail(`it is ${stat.size} bytes, too large to be a dictionary`);
  let bytes: Uint8Array;
  try {
    bytes = new Uint8Array(await fs.promises.readFile(file));
  } catch (err) {
    return fail(`it cannot be read (${(err as Error).message})`);
  }
  return decodeDictionary(bytes, fail);
}

/** Parses a dictionary file's bytes (see encodeDictionary); `fail` throws with the reason. */
export function decodeDictionary(bytes: Uint8Array, fail: (why: string) => never): { dict: SparseDictionary; info: DictionaryInfo } {
  if (bytes.length < PREAMBLE || Buffer.from(bytes.subarray(0, 12)).toString('latin1') !== MAGIC) fail('it is not an LSTM Lens dictionary (wrong signature)');
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const headerBytes = view.getUint32(12, true);
  if (headerBytes > MAX_HEADER_BYTES || PREAMBLE + headerBytes > bytes.length) fail('its header is cut off (the file is truncated or corrupt)');
  let header: Header;
  try {
    header = JSON.parse(Buffer.from(bytes.subarray(PREAMBLE, PREAMBLE + headerBytes)).toString('utf8')) as Header;
  } catch (err) {
    return fail(`its header is not valid JSON (${(err as Error).message}); the file is corrupt`);
  }
  if (typeof header !== 'object' || header === null || header.format !== 'lstm-lens-dictionary') fail('its header does not describe a dictionary');
  if (typeof header.version !== 'number' || header.version > DICTIONARY_FORMAT_VERSION) {
    fail(`it was made by a newer LSTM Lens (dictionary format ${String(header.version)}, this version reads up to ${DICTIONARY_FORMAT_VERSION})`);
  }
  const { dim, features, k } = header;
  const positiveInt = (n: unknown) => typeof n === 'number' && Number.isInteger(n) && n > 0;
  if (!positiveInt(dim) || !positiveInt(features) || !positiveInt(k) || k > features || dim * features > MAX_FILE_BYTES) {
    fail(`its header gives impossible sizes (dim ${String(dim)}, features ${String(features)}, k ${String(k)})`);
  }
  const threshold = header.threshold ?? 0;
  if (typeof threshold !== 'number' || !Number.isFinite(threshold) || threshold < 0) fail(`its header gives an impossible threshold (${String(header.threshold)})`);
  if (!Array.isArray(header.arrays) || header.arrays.length !== ARRAY_NAMES.length) fail('its header does not list the six arrays of a dictionary');
  let payloadBytes = 0;
  header.arrays.forEach((e, i) => {
    if (e?.name !== ARRAY_NAMES[i]) fail(`its header lists ${JSON.stringify(e?.name)} where ${ARRAY_NAMES[i]} belongs`);
    if (e.length !== expectedLength(e.name, dim, features)) fail(`its ${e.name} holds ${String(e.length)} numbers; ${expectedLength(e.name, dim, features)} expected`);
    if (e.dtype !== 'float32' && e.dtype !== 'float16') fail(`its ${e.name} has dtype ${JSON.stringify(e.dtype)}`);
    payloadBytes += e.length * (e.dtype === 'float16' ? 2 : 4);
  });
  const start = align4(PREAMBLE + headerBytes);
  if (bytes.length !== start + payloadBytes) {
    fail(`it holds ${Math.max(0, bytes.length - start)} bytes of numbers but its header describes ${payloadBytes} (truncated or corrupt)`);
  }
  const payload = bytes.subarray(start);
  if (createHash('sha256').update(payload).digest('hex') !== header.sha256) fail('its numbers do not match their checksum: the file is corrupt');

  const out = {} as Record<ArrayName, Float32Array>;
  const data = new DataView(payload.buffer, payload.byteOffset, payload.byteLength);
  let at = 0;
  for (const e of header.arrays) {
    const values = new Float32Array(e.length);
    if (e.dtype === 'float16') {
      for (let i = 0; i < e.length; i++, at += 2) values[i] = halfToFloat(data.getUint16(at, true));
    } else {
      for (let i = 0; i < e.length; i++, at += 4) values[i] = data.getFloat32(at, true);
    }
    for (let i = 0; i < e.length; i++) if (!Number.isFinite(values[i])) fail(`its ${e.name} holds a value that is not a finite number`);
    out[e.name] = values;
  }
  const info = header.info;
  if (typeof info !== 'object' || info === null || typeof info.model?.fingerprint !== 'string') fail('its header does not say which model it belongs to');
  return {
    dict: { dim, features, k, threshold, norm: { mean: out.mean, scale: out.scale }, encoder: out.encoder, encoderBias: out.encoderBias, decoder: out.decoder, decoderBias: out.decoderBias },
    info,
  };
}

/** Throws unless the dictionary was trained on this model's states (same shape and same weights). */
export function checkDictionaryFitsModel(info: DictionaryInfo, dict: SparseDictionary, spec: ModelSpec, params: Float32Array, where: string): void {
  if (dict.dim !== stateDim(spec)) {
    throw new DictionaryLoadError(`dictionary ${where} reads states of ${dict.dim} numbers; this ${describeSpec(spec)} model has ${stateDim(spec)}`);
  }
  if (info.model.fingerprint !== modelFingerprint(params)) {
    throw new DictionaryLoadError(`dictionary ${where} was trained on the states of other weights (${info.model.name}); train it again for this model with lstm-lens features train`);
  }
}

function align4(n: number): number {
  return (n + 3) & ~3;
}
