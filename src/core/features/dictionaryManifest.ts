import * as fs from 'fs';
import * as path from 'path';
import { describeWriteError, writeFileAtomic } from '../atomicWrite';
import { FeatureDictionaryEntry, ModelManifest } from '../model/manifest';
import { MODEL_JSON } from '../model/modelFiles';
import { DictionaryLoadError, DictionarySaveError } from './dictionaryFile';

/** The model folder of a --model location (a folder or its model.json). */
export function modelFolderOf(location: string): string {
  return location.endsWith('.json') ? path.dirname(location) : location;
}

/**
 * Lists a dictionary file in the model's manifest by rewriting model.json
 * alone, atomically (the weights are not touched). The file must already be
 * in the model folder.
 */
export async function listDictionaryInManifest(modelDir: string, entry: FeatureDictionaryEntry): Promise<void> {
  if (entry.file !== path.basename(entry.file) || !fs.existsSync(path.join(modelDir, entry.file))) {
    throw new DictionarySaveError(`cannot list ${JSON.stringify(entry.file)} in the manifest: it is not a file in ${modelDir}`);
  }
  const jsonPath = path.join(modelDir, MODEL_JSON);
  try {
    const json = JSON.parse(await fs.promises.readFile(jsonPath, 'utf8')) as { userDefinedMetadata?: { lstmLens?: ModelManifest } };
    const manifest = json.userDefinedMetadata?.lstmLens;
    if (!manifest) throw new Error('model.json has no LSTM Lens manifest');
    manifest.features = entry;
    await writeFileAtomic(jsonPath, JSON.stringify(json, null, 1));
  } catch (err) {
    throw new DictionarySaveError(`cannot list the dictionary in ${jsonPath}: ${describeWriteError(err)}`);
  }
}

/** Where the manifest's dictionary is, or null when it lists none; a name that leaves the folder is an error. */
export function dictionaryPathOf(modelDir: string, manifest: ModelManifest): string | null {
  const file = manifest.features?.file;
  if (file === undefined) return null;
  if (typeof file !== 'string' || file === '' || file !== path.basename(file) || file === '..' || file === '.') {
    throw new DictionaryLoadError(`the manifest names the dictionary ${JSON.stringify(file)}, which is not a file inside the model folder`);
  }
  return path.join(modelDir, file);
}
