import * as fs from 'fs';
import * as path from 'path';
import { averageWeights } from '../../core/model/averageWeights';
import { ModelManifest } from '../../core/model/manifest';
import { loadModel, saveModel } from '../../core/model/modelFiles';
import { WeightDtype } from '../../core/model/weightsCodec';
import { UsageError, parseArgs, requireStr, str } from '../args';
import { note, printJson } from '../output';

export const EXPORT_USAGE = 'export --model DIR --out DIR [--average DIR[,DIR...]] [--dtype float32|float16|uint8] [--name NAME] [--manifest PATCH.json] [--json]';

const DTYPES: readonly WeightDtype[] = ['float32', 'float16', 'uint8'];

/**
 * Writes a copy of a model, optionally with smaller weights (float16 halves
 * the size, uint8 quarters it) and an updated manifest: a new name, and
 * fields from a JSON file merged over the manifest's (one level deep, so a
 * patch of `training.corpus` keeps the rest of `training`). With
 * `--average`, the weights written are the mean of --model's and those
 * models' (one shape; the manifest is --model's, with `averageOf` naming
 * them all and without --model's metrics, which the mean does not have).
 * Used to make the bundled model from a training run.
 */
export async function exportCommand(argv: string[]): Promise<number> {
  const a = parseArgs(argv, { values: { model: 'string', out: 'string', average: 'string', dtype: 'string', name: 'string', manifest: 'string' }, switches: ['json'] });
  if (a.positional.length > 0) throw new UsageError(`unexpected argument ${JSON.stringify(a.positional[0])}`);
  const source = requireStr(a, 'model');
  const out = requireStr(a, 'out');
  const dtype = (str(a, 'dtype') ?? 'float32') as WeightDtype;
  if (!DTYPES.includes(dtype)) throw new UsageError(`--dtype must be one of ${DTYPES.join(', ')}, not ${JSON.stringify(dtype)}`);
  if (path.resolve(source) === path.resolve(out)) throw new UsageError('--out must differ from --model (export writes a copy)');

  const model = await loadModel(source);
  const others = (str(a, 'average') ?? '').split(',').filter(Boolean);
  if (others.some((d) => path.resolve(d) === path.resolve(out))) throw new UsageError('--out must differ from the models averaged');
  if (others.length > 0) {
    const averaged = [model, ...(await Promise.all(others.map((d) => loadModel(d))))];
    try {
      model.params = averageWeights(averaged);
    } catch (e) {
      throw new UsageError((e as Error).message);
    }
    model.manifest.averageOf = [source, ...others].map((d) => path.basename(path.resolve(d)));
    // Those were --model's own run's figures; nothing has measured the mean yet.
    delete model.manifest.metrics;
  }
  const name = str(a, 'name');
  if (name !== undefined) model.manifest.name = name;
  const patchFile = str(a, 'manifest');
  if (patchFile !== undefined) mergeManifest(model.manifest, readPatch(patchFile));
  await saveModel(out, model, { dtype });

  const files = fs.readdirSync(out).filter((f) => f === 'model.json' || f.endsWith('.bin'));
  const bytes = files.reduce((n, f) => n + fs.statSync(path.join(out, f)).size, 0);
  const result = { out, dtype, name: model.manifest.name, bytes, files, ...(others.length > 0 ? { averageOf: model.manifest.averageOf } : {}) };
  if (a.flags.json) printJson(result);
  else note(`wrote ${out}: ${files.length} files, ${(bytes / 1e6).toFixed(2)} MB, ${dtype} weights`);
  return 0;
}

function readPatch(file: string): Record<string, unknown> {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch {
    throw new UsageError(`cannot read the manifest patch ${file}`);
  }
  let patch: unknown;
  try {
    patch = JSON.parse(text);
  } catch (e) {
    throw new UsageError(`${file} is not valid JSON: ${(e as Error).message}`);
  }
  if (typeof patch !== 'object' || patch === null || Array.isArray(patch)) throw new UsageError(`${file} must hold a JSON object`);
  return patch as Record<string, unknown>;
}

/** Fields the weights depend on: a patch must not change them. */
const FIXED = new Set(['format', 'formatVersion', 'vocabulary', 'spec']);

function mergeManifest(manifest: ModelManifest, patch: Record<string, unknown>): void {
  const target = manifest as unknown as Record<string, unknown>;
  for (const [key, value] of Object.entries(patch)) {
    if (FIXED.has(key)) throw new UsageError(`the manifest patch may not change ${key}`);
    const current = target[key];
    const bothObjects = isPlainObject(current) && isPlainObject(value);
    target[key] = bothObjects ? { ...current, ...value } : value;
  }
}

function isPlainObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}
