import { promises as fs } from 'fs';
import * as path from 'path';
import ignore from 'ignore';

/** Git itself ignores case in .gitignore where the file system usually does. */
const FILE_NAMES_IGNORE_CASE = process.platform === 'darwin' || process.platform === 'win32';

/**
 * The .gitignore files of one folder tree, each read once, when first needed.
 * As in git, a path is tested against every .gitignore in the folders above
 * it, shallow to deep, and the last one with an opinion decides (so a nested
 * `!keep.ts` re-includes what the root excluded). A .gitignore that is
 * missing, unreadable or not a regular file (git does not follow a symbolic
 * link there either) counts as absent. Used by the CLI's walk and by the
 * editor's listed files alike.
 */
export class GitignoreScopes {
  private readonly byFolder = new Map<string, Promise<ignore.Ignore | null>>();

  constructor(
    private readonly root: string,
    private readonly enabled: boolean,
  ) {}

  /**
   * The deciding rule, described for a report, when `relPath` (relative to
   * the root, `/`-separated) is itself ignored; else undefined. The folders
   * above it are not judged: a walk that never enters an ignored folder needs
   * no more.
   */
  async match(relPath: string, isFolder: boolean): Promise<string | undefined> {
    if (!this.enabled) return undefined;
    const parts = relPath.split('/');
    let decided: string | undefined;
    for (let depth = 0; depth < parts.length; depth++) {
      const folder = parts.slice(0, depth).join('/');
      const rules = await this.rulesFor(folder);
      if (!rules) continue;
      const local = folder === '' ? relPath : relPath.slice(folder.length + 1);
      // The trailing slash lets folder-only patterns such as `build/` match.
      const result = rules.test(isFolder ? `${local}/` : local);
      if (result.ignored) decided = `matches '${result.rule?.pattern ?? '?'}' in ${folder === '' ? '' : folder + '/'}.gitignore`;
      else if (result.unignored) decided = undefined;
    }
    return decided;
  }

  /** For a file listed without a walk: an ignored folder above it hides it, as in git. */
  async matchWithFolders(relPath: string): Promise<string | undefined> {
    const parts = relPath.split('/');
    for (let depth = 1; depth < parts.length; depth++) {
      const folder = parts.slice(0, depth).join('/');
      const rule = await this.match(folder, true);
      if (rule) return `${rule} (folder ${folder}/)`;
    }
    return this.match(relPath, false);
  }

  private rulesFor(folder: string): Promise<ignore.Ignore | null> {
    let rules = this.byFolder.get(folder);
    if (!rules) {
      rules = readRules(path.join(this.root, ...folder.split('/').filter(Boolean), '.gitignore'));
      this.byFolder.set(folder, rules);
    }
    return rules;
  }
}

async function readRules(file: string): Promise<ignore.Ignore | null> {
  try {
    if (!(await fs.lstat(file)).isFile()) return null;
    return ignore({ ignorecase: FILE_NAMES_IGNORE_CASE }).add(await fs.readFile(file, 'utf8'));
  } catch {
    return null;
  }
}
