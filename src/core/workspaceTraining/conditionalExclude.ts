import * as path from 'path';
import { compileNamePattern } from '../corpus/sourceFiles';
import { ConditionalExclude } from './excludeGlob';

/**
 * The test behind files.exclude entries such as
 * `"**\/*.js": { "when": "$(basename).ts" }`: a file is excluded when its
 * path (relative to its workspace folder) matches the pattern and the
 * sibling named by `when` exists beside it, so compiled output next to its
 * source stays out of training, as it stays out of the Explorer.
 * `exists` is asked for absolute paths (the host passes fs.existsSync).
 */
export function conditionalExcludeTest(entries: readonly ConditionalExclude[], exists: (absPath: string) => boolean): (root: string, absPath: string) => boolean {
  const compiled = entries.map((e) => ({ matches: compileNamePattern(e.pattern), when: e.when }));
  return (root, absPath) => {
    if (compiled.length === 0) return false;
    const rel = path.relative(root, absPath).split(path.sep).join('/');
    const ext = path.extname(absPath);
    const base = path.basename(absPath, ext);
    for (const { matches, when } of compiled) {
      if (!matches(rel)) continue;
      const sibling = path.join(path.dirname(absPath), when.split('$(basename)').join(base));
      if (sibling !== absPath && exists(sibling)) return true;
    }
    return false;
  };
}
