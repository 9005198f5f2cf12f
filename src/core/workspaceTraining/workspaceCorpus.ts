/**
 * The training corpus of an editor workspace. The editor lists the files
 * (workspace.findFiles, which already applied files.exclude and
 * search.exclude); this module applies everything else the foundation's
 * corpus rules stand for, with the same pieces as the CLI's collectCorpus:
 * .gitignore files (GitignoreScopes: each file scoped to its own folder,
 * deeper files winning), vendor and build
 * folders, source extensions, the user's include/exclude patterns, and the
 * content checks (binary, non-UTF-8, minified, too large, empty), then a
 * total size cap. Multi-root: every folder is one root; file names in the
 * result are "<folder>/<relative path>", so validation picks the same held-out
 * files on every run.
 */

import * as path from 'path';
import { ContentRules, DEFAULT_CONTENT_RULES } from '../corpus/contentCheck';
import { DEFAULT_SOURCE_FILE_RULES, SourceFilter, createSourceFilter } from '../corpus/sourceFiles';
import { SkipReason, SkippedPath } from '../corpus/collectCorpus';
import { GitignoreScopes } from '../corpus/gitignoreScopes';
import { judgeCandidates } from '../corpus/judgeCandidates';

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
    const gitignores = new GitignoreScopes(folder.root, options.respectGitignore);
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

  const verdicts = await judgeCandidates(candidates, options, options.maxTotalBytes, signal);
  const files: WorkspaceFile[] = verdicts.taken;
  const totalBytes = verdicts.totalBytes;
  const capped = verdicts.cappedCount;
  skipped.push(...verdicts.skipped);
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
async function judgeName(rel: string, filter: SourceFilter, gitignores: GitignoreScopes): Promise<{ reason: SkipReason; detail: string } | undefined> {
  const parts = rel.split('/');
  for (let i = 1; i < parts.length; i++) {
    const folder = parts.slice(0, i).join('/');
    const verdict = filter.classifyFolder(folder);
    if (!verdict.take) return { reason: verdict.reason, detail: `in ${folder}/: ${verdict.detail}` };
  }
  const ignoredBy = await gitignores.matchWithFolders(rel);
  if (ignoredBy) return { reason: 'gitignore', detail: ignoredBy };
  const verdict = filter.classifyFile(rel);
  return verdict.take ? undefined : { reason: verdict.reason, detail: verdict.detail };
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
