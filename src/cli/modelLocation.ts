import * as fs from 'fs';
import * as path from 'path';

/**
 * The bundled model's folder: `models/default` beside dist/ (bundle) or at the
 * repository root (compiled tests in out/).
 */
export function bundledModelDir(): string {
  const candidates = [path.join(__dirname, '..', 'models', 'default'), path.join(__dirname, '..', '..', '..', 'models', 'default')];
  return candidates.find((p) => fs.existsSync(path.join(p, 'model.json'))) ?? candidates[0];
}
