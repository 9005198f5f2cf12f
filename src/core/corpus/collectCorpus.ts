/**
 * Gathers the training corpus: walks the given folders (and takes the given
 * single files), keeps what looks like hand-written source text, and says
 * why everything else was left out.
 *
 * Two passes keep the result independent of directory listing order: first
 * the walk finds candidate files by name (.gitignore, folder and name rules),
 * then the candidates are sorted by relative path and read one by one
 * (`judgeCandidates`, shared with the editor's workspace corpus), so the
 * total size cap always cuts the same tail.
 */

import type { Dirent, Stats } from 'fs';
import { promises as fs } from 'fs';
import * as path from 'path';
import { ContentRules, DEFAULT_CONTENT_RULES } from './contentCheck';
import { GitignoreScopes } from './gitignoreScopes';
import { judgeCandidates } from './judgeCandidates';
import { createSourceFilter, DEFAULT_SOURCE_FILE_RULES, SourceFileRules, SourceFilter } from './sourceFiles';

export const SKIP_REASONS = [
  'binary',
  'not-utf8',
  'minified',
  'generated',
  'too-large',
  'empty',
  'ignored-folder',
  'gitignore',
  'not-source',
  'total-cap',
  'unreadable',
  'symlink',
] as const;

export type SkipReason = (typeof SKIP_REASONS)[number];

export interface CorpusOptions extends ContentRules, SourceFileRules {
  /** Once the files taken add up to this many bytes, later files are skipped as 'total-cap'. */
  maxTotalBytes: number;
  /** Honour .gitignore files met during the walk (each applies to its own folder and below). */
  respectGitignore: boolean;
}

export const DEFAULT_CORPUS_OPTIONS: Readonly<CorpusOptions> = {
  ...DEFAULT_CONTENT_RULES,
  ...DEFAULT_SOURCE_FILE_RULES,
  maxTotalBytes: 64 * 1024 * 1024,
  respectGitignore: true,
};

export interface CorpusFile {
  /** Absolute path. */
  path: string;
  /** Path relative to `root`, always with `/` separators. */
  relPath: string;
  /** The folder root the file was found under; for a file given as a root, its folder. */
  root: string;
  /** Decoded UTF-8 with LF line endings and no BOM. */
  text: string;
  /** Size on disk; what counts toward `maxTotalBytes`. */
  bytes: number;
}

export interface SkippedPath {
  /** Absolute path of the file, or of the folder when a whole folder was skipped. */
  path: string;
  reason: SkipReason;
  detail: string;
}

export interface CorpusResult {
  /** Sorted by `relPath` (ties by absolute path). */
  files: CorpusFile[];
  /** Sorted by `path`. */
  skipped: SkippedPath[];
  totalChars: number;
  totalBytes: number;
}

/**
 * Collects the corpus under `roots`. Each root is a folder to walk or a single
 * file. Roots themselves may be symlinks (the caller named them); links met
 * during the walk are never followed. A root that does not exist is an Error.
 * Aborting `signal` rejects with the signal's reason.
 */
export async function collectCorpus(
  roots: string[],
  opts: Partial<CorpusOptions> = {},
  signal?: AbortSignal,
): Promise<CorpusResult> {
  const options = resolveOptions(opts);
  const walker = new CandidateWalker(options, signal);
  for (const root of roots) await walker.addRoot(root);

  const candidates = [...walker.candidates].sort(
    (a, b) => compareText(a.relPath, b.relPath) || compareText(a.path, b.path),
  );
  const verdicts = await judgeCandidates(candidates, options, options.maxTotalBytes, signal);
  const files: CorpusFile[] = verdicts.taken;
  const totalBytes = verdicts.totalBytes;
  const skipped = [...walker.skipped, ...verdicts.skipped];
  skipped.sort((a, b) => compareText(a.path, b.path));
  const totalChars = files.reduce((sum, file) => sum + file.text.length, 0);
  return { files, skipped, totalChars, totalBytes };
}

export type SkipCounts = Partial<Record<SkipReason, number>>;

/** Counts skipped paths per reason; only reasons that occurred appear, in SKIP_REASONS order. */
export function summarizeSkipped(skipped: readonly SkippedPath[]): SkipCounts {
  const counts: SkipCounts = {};
  for (const reason of SKIP_REASONS) {
    const count = skipped.filter((entry) => entry.reason === reason).length;
    if (count > 0) counts[reason] = count;
  }
  return counts;
}

/** One line for a report, e.g. "12 skipped: 9 not-source, 3 gitignore". */
export function formatSkipCounts(counts: SkipCounts): string {
  const parts = SKIP_REASONS.filter((reason) => counts[reason] !== undefined).map(
    (reason) => `${counts[reason]} ${reason}`,
  );
  const total = SKIP_REASONS.reduce((sum, reason) => sum + (counts[reason] ?? 0), 0);
  return total === 0 ? '0 skipped' : `${total} skipped: ${parts.join(', ')}`;
}

// ---------------------------------------------------------------------------
// Options

function resolveOptions(overrides: Partial<CorpusOptions>): CorpusOptions {
  // Drop explicit `undefined`s so they do not blank out defaults.
  const given = Object.fromEntries(
    Object.entries(overrides).filter(([, value]) => value !== undefined),
  ) as Partial<CorpusOptions>;
  const options: CorpusOptions = { ...DEFAULT_CORPUS_OPTIONS, ...given };
  for (const key of ['maxFileBytes', 'maxLineLength', 'maxAverageLineLength', 'maxTotalBytes'] as const) {
    const value = options[key];
    if (!(typeof value === 'number' && value > 0)) {
      throw new RangeError(`Corpus option ${key} must be a positive number, got ${String(value)}`);
    }
  }
  return options;
}

// ---------------------------------------------------------------------------
// Pass 1: find candidate files by name

interface Candidate {
  path: string;
  relPath: string;
  root: string;
}

class CandidateWalker {
  readonly candidates: Candidate[] = [];
  readonly skipped: SkippedPath[] = [];
  private readonly filter: SourceFilter;
  /** Absolute paths already taken or skipped, so overlapping roots do not report a path twice. */
  private readonly seen = new Set<string>();

  constructor(
    private readonly options: CorpusOptions,
    private readonly signal: AbortSignal | undefined,
  ) {
    this.filter = createSourceFilter(options);
  }

  async addRoot(given: string): Promise<void> {
    this.signal?.throwIfAborted();
    const root = path.resolve(given);
    let stats: Stats;
    try {
      stats = await fs.stat(root);
    } catch (error) {
      const code = errorCode(error);
      if (code === 'ENOENT' || code === 'ENOTDIR') throw new Error(`Corpus root does not exist: ${root}`);
      throw new Error(`Cannot read corpus root ${root}: ${errorMessage(error)}`);
    }

    if (stats.isDirectory()) {
      await this.walkFolder(root, root, '', new GitignoreScopes(root, this.options.respectGitignore));
    } else if (stats.isFile()) {
      // A single file is judged by its name like any other, but there is no
      // walk, so no .gitignore applies to it.
      const relPath = path.basename(root);
      const verdict = this.filter.classifyFile(relPath);
      if (verdict.take) this.addCandidate({ path: root, relPath, root: path.dirname(root) });
      else this.skip(root, verdict.reason, verdict.detail);
    } else {
      throw new Error(`Corpus root is neither a file nor a folder: ${root}`);
    }
  }

  private async walkFolder(
    root: string,
    folder: string,
    folderRel: string,
    gitignores: GitignoreScopes,
  ): Promise<void> {
    this.signal?.throwIfAborted();
    let entries: Dirent[];
    try {
      entries = await fs.readdir(folder, { withFileTypes: true });
    } catch (error) {
      if (folderRel === '') throw new Error(`Cannot list corpus root ${root}: ${errorMessage(error)}`);
      this.skip(folder, 'unreadable', errorMessage(error));
      return;
    }

    for (const entry of entries) {
      const absolute = path.join(folder, entry.name);
      const relPath = folderRel === '' ? entry.name : `${folderRel}/${entry.name}`;
      const isFolder = entry.isDirectory();

      const ignoredBy = await gitignores.match(relPath, isFolder);
      if (ignoredBy !== undefined) {
        this.skip(absolute, 'gitignore', ignoredBy);
      } else if (entry.isSymbolicLink()) {
        this.skip(absolute, 'symlink', 'symbolic links are not followed');
      } else if (isFolder) {
        const verdict = this.filter.classifyFolder(relPath);
        if (verdict.take) await this.walkFolder(root, absolute, relPath, gitignores);
        else this.skip(absolute, verdict.reason, verdict.detail);
      } else if (entry.isFile()) {
        const verdict = this.filter.classifyFile(relPath);
        if (verdict.take) this.addCandidate({ path: absolute, relPath, root });
        else this.skip(absolute, verdict.reason, verdict.detail);
      } else {
        this.skip(absolute, 'unreadable', 'not a regular file or folder');
      }
    }
  }

  private addCandidate(candidate: Candidate): void {
    if (this.seen.has(candidate.path)) return;
    this.seen.add(candidate.path);
    this.candidates.push(candidate);
  }

  private skip(absolute: string, reason: SkipReason, detail: string): void {
    if (this.seen.has(absolute)) return;
    this.seen.add(absolute);
    this.skipped.push({ path: absolute, reason, detail });
  }
}

// ---------------------------------------------------------------------------
// Small helpers

/** Plain code-unit order: the same on every machine, unlike localeCompare. */
function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

function errorCode(error: unknown): string | undefined {
  if (typeof error === 'object' && error !== null && 'code' in error) {
    const { code } = error as { code: unknown };
    return typeof code === 'string' ? code : undefined;
  }
  return undefined;
}

function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
