import { createHash } from 'crypto';
import * as fs from 'fs';
import * as path from 'path';
import { describeWriteError, isAtomicTempName, writeFileAtomic } from '../atomicWrite';
import { ModelSpec, cellOf } from '../modelSpec';
import { ParamLayout, paramLayout, weightEntries } from '../params';
import { VOCAB_SIZE, isOurVocabulary } from '../vocab';
import { buildTopology, parseTopology } from './layersTopology';
import { MANIFEST_FORMAT_VERSION, ModelManifest, newManifest } from './manifest';
import { WeightDtype, WeightSpec, decodeWeights, encodeWeights, expectedWeightBytes } from './weightsCodec';

/** A model in memory: its shape, its flat parameters (see params.ts) and its manifest. */
export interface Model {
  layout: ParamLayout;
  params: Float32Array;
  manifest: ModelManifest;
}

export class ModelLoadError extends Error {}

/** A save that failed; the message says why in words (a full disk, a read-only folder). The folder's previous model is untouched. */
export class ModelSaveError extends Error {}

export const MODEL_JSON = 'model.json';
const MAX_MODEL_JSON_BYTES = 16 << 20;

export interface SaveOptions {
  /** Weight encoding: float32 (exact), float16 or uint8 (smaller, lossy). */
  dtype?: WeightDtype;
}

/**
 * Saves in the TensorFlow.js Layers format: `model.json` (topology, weights
 * manifest, and our manifest under userDefinedMetadata.lstmLens) plus one
 * weight shard. The shard's name carries its content hash, so it is written
 * beside the old one; the atomic rename of model.json is the single moment the
 * new model replaces the old. A crash at any point leaves a loadable model.
 */
export async function saveModel(dir: string, model: Model, opts: SaveOptions = {}): Promise<void> {
  try {
    await saveModelFiles(dir, model, opts);
  } catch (err) {
    throw new ModelSaveError(`cannot save the model in ${JSON.stringify(dir)}: ${describeWriteError(err)}`);
  }
}

async function saveModelFiles(dir: string, model: Model, opts: SaveOptions): Promise<void> {
  await fs.promises.mkdir(dir, { recursive: true });
  const tensors = weightEntries(model.layout).map((e) => ({
    name: e.name,
    shape: e.shape,
    values: model.params.subarray(e.offset, e.offset + e.size),
  }));
  const { specs, data } = encodeWeights(tensors, opts.dtype ?? 'float32');
  const shard = `weights-${createHash('sha256').update(data).digest('hex').slice(0, 12)}.bin`;
  const shardPath = path.join(dir, shard);
  const shardIsNew = !fs.existsSync(shardPath);
  await writeFileAtomic(shardPath, data);
  const json = {
    format: 'layers-model',
    generatedBy: 'lstm-lens',
    convertedBy: null,
    modelTopology: buildTopology(model.layout.spec),
    weightsManifest: [{ paths: [shard], weights: specs }],
    userDefinedMetadata: { lstmLens: model.manifest },
  };
  try {
    await writeFileAtomic(path.join(dir, MODEL_JSON), JSON.stringify(json, null, 1));
  } catch (err) {
    // model.json still names the old shard: the new one would be a stray file
    // (megabytes on a disk that may be full). One already there may be in use.
    if (shardIsNew) await fs.promises.rm(shardPath, { force: true }).catch(() => undefined);
    throw err;
  }
  await removeStaleFiles(dir, shard);
}

/** Old shards and leftovers of interrupted writes; never touches other files. */
async function removeStaleFiles(dir: string, keep: string): Promise<void> {
  for (const name of await fs.promises.readdir(dir)) {
    const stale = (name.startsWith('weights-') && name.endsWith('.bin') && name !== keep) || isAtomicTempName(name);
    if (stale) await fs.promises.rm(path.join(dir, name), { force: true }).catch(() => undefined);
  }
}

function fail(where: string, why: string): never {
  throw new ModelLoadError(`cannot load model ${where}: ${why}`);
}

/** A shard path from a manifest must name a file inside the model folder. */
function safeShardPath(dir: string, p: unknown, where: string): string {
  if (typeof p !== 'string' || p.length === 0 || path.isAbsolute(p) || p.split(/[\\/]/).includes('..')) {
    fail(where, `weight path ${JSON.stringify(p)} is not a file inside the model folder`);
  }
  return path.join(dir, p);
}

/**
 * Loads a model folder (or its model.json): ours, or a Keras / tfjs model of
 * the same architecture. Every failure is a ModelLoadError whose message says
 * what is wrong; sizes are checked before anything large is read.
 */
export async function loadModel(location: string): Promise<Model> {
  const jsonPath = location.endsWith('.json') ? location : path.join(location, MODEL_JSON);
  const dir = path.dirname(jsonPath);
  const where = JSON.stringify(location);
  let stat: fs.Stats;
  try {
    stat = await fs.promises.stat(jsonPath);
  } catch {
    fail(where, `${jsonPath} does not exist`);
  }
  if (!stat.isFile()) fail(where, `${jsonPath} is not a file`);
  if (stat.size > MAX_MODEL_JSON_BYTES) fail(where, `model.json is ${stat.size} bytes, too large to be a model description`);
  let json: Record<string, unknown>;
  try {
    const parsed: unknown = JSON.parse(await fs.promises.readFile(jsonPath, 'utf8'));
    if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) throw new Error('not an object');
    json = parsed as Record<string, unknown>;
  } catch (err) {
    fail(where, `model.json is not valid JSON (${(err as Error).message})`);
  }
  if (json.format !== undefined && json.format !== 'layers-model') fail(where, `format ${JSON.stringify(json.format)} is not a Layers model`);

  let spec: ModelSpec;
  let layers;
  try {
    ({ spec, layers } = parseTopology(json.modelTopology));
  } catch (err) {
    fail(where, (err as Error).message);
  }

  const meta = (json.userDefinedMetadata as Record<string, unknown> | undefined)?.lstmLens as ModelManifest | undefined;
  let manifest: ModelManifest;
  if (meta && typeof meta === 'object') {
    if (typeof meta.formatVersion !== 'number' || meta.formatVersion > MANIFEST_FORMAT_VERSION) {
      fail(where, `it was made by a newer LSTM Lens (manifest format ${String(meta.formatVersion)}, this version reads up to ${MANIFEST_FORMAT_VERSION}); update the extension`);
    }
    if (!Array.isArray(meta.vocabulary) || !isOurVocabulary(meta.vocabulary)) fail(where, 'its vocabulary differs from the fixed LSTM Lens vocabulary');
    // The topology is the truth about the shape and the cell; the manifest repeats it.
    manifest = { ...meta, spec, cell: cellOf(spec) };
  } else {
    manifest = newManifest(spec, path.basename(dir));
    manifest.notes = 'imported Layers model without an LSTM Lens manifest';
  }
  if (spec.vocabSize !== VOCAB_SIZE) fail(where, `its vocabulary has ${spec.vocabSize} characters; LSTM Lens models use the fixed ${VOCAB_SIZE}`);

  const groups = json.weightsManifest;
  if (!Array.isArray(groups) || groups.length === 0) fail(where, 'model.json has no weightsManifest');
  const specs: WeightSpec[] = [];
  const shardPaths: string[] = [];
  for (const g of groups as Record<string, unknown>[]) {
    if (!Array.isArray(g?.paths) || !Array.isArray(g?.weights)) fail(where, 'a weightsManifest group lacks paths or weights');
    for (const p of g.paths) shardPaths.push(safeShardPath(dir, p, where));
    // A loop, not push(...spread): a list of a million entries overflows the call stack.
    for (const w of g.weights as WeightSpec[]) specs.push(w);
  }
  let expected: number;
  try {
    expected = expectedWeightBytes(specs);
  } catch (err) {
    fail(where, (err as Error).message);
  }
  let onDisk = 0;
  for (const p of shardPaths) {
    let shardStat: fs.Stats;
    try {
      shardStat = await fs.promises.stat(p);
    } catch {
      fail(where, `weight file ${path.basename(p)} is missing`);
    }
    // A folder fails to read; a FIFO or device would block the read forever.
    if (!shardStat.isFile()) fail(where, `weight file ${path.basename(p)} is not a regular file`);
    onDisk += shardStat.size;
  }
  if (onDisk !== expected) fail(where, `weight files hold ${onDisk} bytes but model.json describes ${expected} (truncated or mismatched)`);
  const data = new Uint8Array(expected);
  let at = 0;
  for (const p of shardPaths) {
    let bytes: Buffer;
    try {
      bytes = await fs.promises.readFile(p);
    } catch (err) {
      fail(where, `weight file ${path.basename(p)} cannot be read (${(err as Error).message})`);
    }
    data.set(bytes.subarray(0, expected - at), at);
    at += bytes.length;
  }

  let tensors;
  try {
    tensors = decodeWeights(specs, data);
  } catch (err) {
    fail(where, (err as Error).message);
  }
  let layout;
  try {
    layout = paramLayout(spec);
  } catch (err) {
    fail(where, (err as Error).message);
  }
  const roleOf = (name: string) => name.split('/').pop() ?? '';
  const ours = weightEntries(layout);
  // Our entries name layers embedding, lstm, lstm_1, …, dense; the file may
  // name them differently (Keras: lstm_3/lstm_cell_3/kernel), so match each
  // of our layers to the file's layer in the same position, by role.
  const ourLayerNames = [...new Set(ours.map((e) => e.layerName))];
  const found = ours.map((e) => {
    const fileLayer = layers[ourLayerNames.indexOf(e.layerName)].name;
    const t = tensors.find((x) => (x.name === `${fileLayer}/${roleOf(e.name)}` || x.name.startsWith(`${fileLayer}/`)) && roleOf(x.name) === roleOf(e.name));
    if (!t) fail(where, `weight ${fileLayer}/${roleOf(e.name)} is missing`);
    if (t.shape.join(',') !== e.shape.join(',')) fail(where, `weight ${t.name} has shape [${t.shape}] but the topology needs [${e.shape}]`);
    return t;
  });
  // Allocate only now that every weight is present with the topology's shape:
  // the topology alone may declare gigabytes (fuzzing found hidden sizes in a
  // tiny file making the loader allocate them); the weight data bounds it.
  const params = new Float32Array(layout.total);
  ours.forEach((e, i) => params.set(found[i].values, e.offset));
  return { layout, params, manifest };
}
