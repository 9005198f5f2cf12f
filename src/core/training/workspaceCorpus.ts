/**
 * The training corpus of an editor workspace. The editor lists the files
 * (workspace.findFiles, which already applied files.exclude and
 * search.exclude); this module applies everything else the foundation's
 * corpus rules stand for: .gitignore files (with the `ignore` package, each
 * file scoped to its own folder, deeper files winning), vendor and build
 * folders, source extensions, the user's include/exclude patterns, and the
 * content checks (binary, non-UTF-8, minified, too large, empty), then a
 * total size cap. Multi-root: every folder is one root; file names in the
 * result are "<folder>/<relative path>", so validation picks the same held-out
 * files on every run.
 */

import { promises as fs } from 'fs';
import * as path from 'path';
import ignore from 'ignore';
import { ContentRules, DEFAULT_CONTENT_RULES, classifyContent } from '../corpus/contentCheck';
import { DEFAULT_SOURCE_FILE_RULES, SourceFilter, createSourceFilter } from '../corpus/sourceFiles';
import { SkipReason, SkippedPath } from '../corpus/collectCorpus';

export interface ListedFolder {
  /** The workspace folder's name (unique in a workspace). */
  name: string;
  /** Absolute path of the folder. */
  root: string;
  /** Absolute paths of the files the editor lists under it (after its own excludes). */
  files: readonly string[];
}

export interface WorkspaceCorpusOptions extends ContentRules {
  /** Patterns (`.py`, `*.ts`, `src/**`): when non-empty, only files matching one of them are taken. */
  include: readonly string[];
  /** Patterns of files and folders to leave out. */
  exclude: readonly string[];
  /** Stop taking files once they add up to this many bytes. */
  maxTotalBytes: number;
  respectGitignore: boolean;
}

export const DEFAULT_WORKSPACE_CORPUS_OPTIONS: Readonly<WorkspaceCorpusOptions> = {
  ...DEFAULT_CONTENT_RULES,
  include: [],
  exclude: [],
  maxTotalBytes: 8 * 1024 * 1024,
  respectGitignore: true,
};

export interface WorkspaceFile {
  /** "<folder>/<relative path>" with `/` separators. */
  name: string;
  path: string;
  text: string;
  bytes: number;
}

export interface WorkspaceCorpus {
  /** Sorted by name. */
  files: WorkspaceFile[];
  /** Sorted by path. */
  skipped: SkippedPath[];
  totalChars: number;
  totalBytes: number;
  /** Characters per file extension (".ts"), for the manifest. */
  byLanguage: Record<string, number>;
  /** Set when the size cap left files out: a sentence for the user. */
  capNote?: string;
}

/**
 * Selects and reads the corpus. Files that vanish or cannot be read between
 * listing and reading are skipped as 'unreadable', never an error. Aborting
 * `signal` rejects with its reason.
 */
export async function selectWorkspaceCorpus(folders: readonly ListedFolder[], opts: Partial<WorkspaceCorpusOptions> = {}, signal?: AbortSignal): Promise<WorkspaceCorpus> {
  const options: WorkspaceCorpusOptions = { ...DEFAULT_WORKSPACE_CORPUS_OPTIONS, ...definedOnly(opts) };
  if (!(options.maxTotalBytes > 0)) throw new RangeError(`the corpus size cap must be positive, got ${options.maxTotalBytes}`);
  const filter = createSourceFilter({
    ...DEFAULT_SOURCE_FILE_RULES,
    // With include patterns the user picks the languages: only those files count.
    sourceExtensions: options.include.length > 0 ? [] : DEFAULT_SOURCE_FILE_RULES.sourceExtensions,
    include: options.include,
    exclude: options.exclude,
  });

  const skipped: SkippedPath[] = [];
  const candidates: { name: string; path: string }[] = [];
  for (const folder of folders) {
    const gitignores = new GitignoreCache(folder.root, options.respectGitignore);
    const seen = new Set<string>();
    for (const file of folder.files) {
      signal?.throwIfAborted();
      const rel = path.relative(folder.root, file).split(path.sep).join('/');
      if (rel === '' || rel.startsWith('../') || path.isAbsolute(rel) || seen.has(rel)) continue;
      seen.add(rel);
      const verdict = await judgeName(rel, filter, gitignores);
      if (verdict) skipped.push({ path: file, reason: verdict.reason, detail: verdict.detail });
      else candidates.push({ name: `${folder.name}/${rel}`, path: file });
    }
  }
  candidates.sort((a, b) => compareText(a.name, b.name));

  const files: WorkspaceFile[] = [];
  let totalBytes = 0;
  let capped = 0;
  for (const candidate of candidates) {
    signal?.throwIfAborted();
    if (capped > 0) {
      capped++;
      skipped.push({ path: candidate.path, reason: 'total-cap', detail: `the corpus already holds ${totalBytes} bytes; the cap is ${options.maxTotalBytes}` });
      continue;
    }
    const read = await readAndCheck(candidate.path, options);
    if (!read.ok) {
      skipped.push({ path: candidate.path, reason: read.reason, detail: read.detail });
      continue;
    }
    if (totalBytes + read.bytes > options.maxTotalBytes) {
      capped = 1;
      skipped.push({ path: candidate.path, reason: 'total-cap', detail: `the corpus already holds ${totalBytes} bytes; the cap is ${options.maxTotalBytes}` });
      continue;
    }
    files.push({ name: candidate.name, path: candidate.path, text: read.text, bytes: read.bytes });
    totalBytes += read.bytes;
  }

  skipped.sort((a, b) => compareText(a.path, b.path));
  const byLanguage: Record<string, number> = {};
  for (const f of files) {
    const ext = path.extname(f.name).toLowerCase() || '(none)';
    byLanguage[ext] = (byLanguage[ext] ?? 0) + f.text.length;
  }
  const capNote =
    capped > 0
      ? `The corpus reached its size cap of ${formatMegabytes(options.maxTotalBytes)}: ${capped} more file${capped === 1 ? ' was' : 's were'} left out (raise lstmLens.training.maxCorpusMB, or narrow lstmLens.training.include).`
      : undefined;
  return { files, skipped, totalChars: files.reduce((n, f) => n + f.text.length, 0), totalBytes, byLanguage, capNote };
}

/** Why a file is left out by its name and folders, or undefined to read it. */
async function judgeName(rel: string, filter: SourceFilter, gitignores: GitignoreCache): Promise<{ reason: SkipReason; detail: string } | undefined> {
  const parts = rel.split('/');
  for (let i = 1; i < parts.length; i++) {
    const folder = parts.slice(0, i).join('/');
    const verdict = filter.classifyFolder(folder);
    if (!verdict.take) return { reason: verdict.reason, detail: `in ${folder}/: ${verdict.detail}` };
  }
  const ignoredBy = await gitignores.match(rel);
  if (ignoredBy) return { reason: 'gitignore', detail: ignoredBy };
  const verdict = filter.classifyFile(rel);
  return verdict.take ? undefined : { reason: verdict.reason, detail: verdict.detail };
}

/**
 * The .gitignore files from a root down, read once per folder. As in git, a
 * path is tested against every .gitignore above it, shallow to deep, and the
 * last one with an opinion decides (so a nested `!keep.ts` re-includes); a
 * folder that is ignored hides everything below it.
 */
class GitignoreCache {
  private readonly byFolder = new Map<string, Promise<ignore.Ignore | null>>();

  constructor(
    private readonly root: string,
    private readonly enabled: boolean,
  ) {}

  async match(rel: string): Promise<string | undefined> {
    if (!this.enabled) return undefined;
    const parts = rel.split('/');
    // Every ancestor folder first (an ignored folder hides its files), then the file itself.
    for (let depth = 1; depth <= parts.length; depth++) {
      const target = parts.slice(0, depth).join('/');
      const isFolder = depth < parts.length;
      let decided: string | undefined;
      for (let scope = 0; scope < depth; scope++) {
        const folder = parts.slice(0, scope).join('/');
        const rules = await this.rulesFor(folder);
        if (!rules) continue;
        const local = folder === '' ? target : target.slice(folder.length + 1);
        const result = rules.test(isFolder ? `${local}/` : local);
        if (result.ignored) decided = `matches '${result.rule?.pattern ?? '?'}' in ${folder === '' ? '' : folder + '/'}.gitignore`;
        else if (result.unignored) decided = undefined;
      }
      if (decided) return isFolder ? `${decided} (folder ${target}/)` : decided;
    }
    return undefined;
  }

  private rulesFor(folder: string): Promise<ignore.Ignore | null> {
    let rules = this.byFolder.get(folder);
    if (!rules) {
      const file = path.join(this.root, ...folder.split('/').filter(Boolean), '.gitignore');
      // A missing or unreadable .gitignore counts as absent.
      rules = fs.readFile(file, 'utf8').then(
        (text) => ignore({ ignorecase: process.platform === 'darwin' || process.platform === 'win32' }).add(text),
        () => null,
      );
      this.byFolder.set(folder, rules);
    }
    return rules;
  }
}

type ReadResult = { ok: true; text: string; bytes: number } | { ok: false; reason: SkipReason; detail: string };

async function readAndCheck(file: string, rules: ContentRules): Promise<ReadResult> {
  try {
    const stat = await fs.stat(file);
    if (!stat.isFile()) return { ok: false, reason: 'unreadable', detail: 'not a regular file' };
    // A huge file is refused without being read.
    if (stat.size > rules.maxFileBytes) return { ok: false, reason: 'too-large', detail: `${stat.size} bytes, more than the ${rules.maxFileBytes}-byte limit` };
    const bytes = await fs.readFile(file);
    const verdict = classifyContent(bytes, rules);
    return verdict.ok ? { ok: true, text: verdict.text, bytes: bytes.length } : verdict;
  } catch (err) {
    return { ok: false, reason: 'unreadable', detail: (err as Error).message };
  }
}

function definedOnly<T extends object>(o: Partial<T>): Partial<T> {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as Partial<T>;
}

function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

export function formatMegabytes(bytes: number): string {
  const mb = bytes / (1024 * 1024);
  return `${mb >= 10 ? mb.toFixed(0) : mb.toFixed(1)} MB`;
}
