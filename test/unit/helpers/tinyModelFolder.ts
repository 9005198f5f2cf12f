import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { saveTinyModel } from './tinyModels';

/** A suite's temporary folder and the tiny model saved in its model/ subfolder. */
export interface TinyModelFolder {
  dir: string;
  modelDir: string;
}

/**
 * Call inside a describe: before the suite's own hooks, a fresh temporary
 * folder (named from `prefix`) with a tiny model (weights of `seed`) in its
 * model/ subfolder; after the suite, the folder is removed. The fields are
 * filled in when the suite starts.
 */
export function tinyModelFolder(prefix: string, seed = 4): TinyModelFolder {
  const folder: TinyModelFolder = { dir: '', modelDir: '' };
  before(async () => {
    folder.dir = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
    folder.modelDir = path.join(folder.dir, 'model');
    await saveTinyModel(folder.modelDir, seed);
  });
  after(() => folder.dir && fs.rmSync(folder.dir, { recursive: true, force: true }));
  return folder;
}
