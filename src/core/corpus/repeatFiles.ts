/** A folder of the training text read more often than the rest: its files appear `times` times per pass. */
export interface RepeatRule {
  /** A folder, as a prefix of the files' relative paths (`shell` for `shell/...`). */
  under: string;
  /** How many times each of its files is read per pass (an integer, at least 1). */
  times: number;
}

/**
 * Parses `--repeat FOLDER=N[,FOLDER=N...]`. Throws with the faulty part named.
 */
export function parseRepeatRules(spec: string): RepeatRule[] {
  return spec
    .split(',')
    .filter(Boolean)
    .map((part) => {
      const m = /^([^=]+)=(\d+)$/.exec(part.trim());
      const times = m ? Number(m[2]) : NaN;
      if (!m || !Number.isInteger(times) || times < 1 || times > 100) throw new Error(`--repeat takes FOLDER=N with N a whole number from 1 to 100 (e.g. shell=3); got "${part}"`);
      return { under: m[1].replace(/\/+$/, ''), times };
    });
}

/** Whether a relative path is the folder or inside it (`shell` holds `shell/a.sh`, not `shellfish/b`). */
export function isUnderFolder(relPath: string, folder: string): boolean {
  return relPath === folder || relPath.startsWith(folder + '/');
}

/**
 * Oversamples the files under some folders: a language with little text
 * (shell) gets more of each pass without dropping any other file. The extra
 * copies go after all the files, copy by copy, so that they are read far from
 * the original in the stream (not twice in a row), and each copy is named
 * apart (`name#2`), so that a per-name choice such as re-indenting can differ
 * between copies. Files are matched by the folder's first rule that names them.
 */
export function repeatFiles<T extends { name: string; text: string }>(files: readonly T[], rules: readonly RepeatRule[]): T[] {
  const timesOf = (f: T) => rules.find((r) => isUnderFolder(f.name, r.under))?.times ?? 1;
  const out = [...files];
  const most = Math.max(1, ...rules.map((r) => r.times));
  for (let copy = 2; copy <= most; copy++) {
    for (const f of files) if (timesOf(f) >= copy) out.push({ ...f, name: `${f.name}#${copy}` });
  }
  return out;
}
