import * as fs from 'fs';
import * as path from 'path';

/**
 * Every regular file under `root`, at any depth, as absolute paths in sorted
 * order; links are not followed, and folders named in `skipFolders` are not
 * entered. A plain listing, before any corpus rule: the rules judge it after.
 */
export function filesUnder(root: string, skipFolders: readonly string[] = []): string[] {
  const out: string[] = [];
  const walk = (dir: string) => {
    for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
      const full = path.join(dir, e.name);
      if (e.isDirectory()) {
        if (!skipFolders.includes(e.name)) walk(full);
      } else if (e.isFile()) out.push(full);
    }
  };
  walk(root);
  return out.sort();
}
