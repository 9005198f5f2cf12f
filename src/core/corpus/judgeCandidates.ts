import { promises as fs } from 'fs';
import type { SkipReason, SkippedPath } from './collectCorpus';
import { ContentRules, classifyContent } from './contentCheck';

/** A candidate that passed its content checks, with its text. */
export type TakenFile<C> = C & { text: string; bytes: number };

export interface CandidateVerdicts<C> {
  /** In the candidates' order. */
  taken: TakenFile<C>[];
  /** In the candidates' order. */
  skipped: SkippedPath[];
  totalBytes: number;
  /** How many candidates the size cap left out. */
  cappedCount: number;
}

/**
 * The step both corpus selectors share, the CLI's walk and the editor's
 * listed files: candidate files (already judged by name, sorted the way the
 * caller wants the cap to cut) to verdicts. Each is read and judged by its
 * content (size first, so a huge file is never read); the first file that
 * does not fit in `maxTotalBytes` ends the corpus, so it is always a prefix of
 * the sorted candidates and the same on every run. A file that vanished or
 * cannot be read is skipped as 'unreadable', never an error. Aborting
 * `signal` rejects with its reason.
 */
export async function judgeCandidates<C extends { path: string }>(
  candidates: readonly C[],
  rules: ContentRules,
  maxTotalBytes: number,
  signal?: AbortSignal,
): Promise<CandidateVerdicts<C>> {
  const taken: TakenFile<C>[] = [];
  const skipped: SkippedPath[] = [];
  let totalBytes = 0;
  let cappedCount = 0;
  for (const candidate of candidates) {
    signal?.throwIfAborted();
    if (cappedCount === 0) {
      const read = await readAndClassify(candidate.path, rules);
      if (!read.ok) {
        skipped.push({ path: candidate.path, reason: read.reason, detail: read.detail });
        continue;
      }
      if (totalBytes + read.bytes <= maxTotalBytes) {
        taken.push({ ...candidate, text: read.text, bytes: read.bytes });
        totalBytes += read.bytes;
        continue;
      }
    }
    cappedCount++;
    skipped.push({ path: candidate.path, reason: 'total-cap', detail: `the corpus already holds ${totalBytes} bytes; the cap is ${maxTotalBytes}` });
  }
  return { taken, skipped, totalBytes, cappedCount };
}

type ReadOutcome = { ok: true; text: string; bytes: number } | { ok: false; reason: SkipReason; detail: string };

async function readAndClassify(file: string, rules: ContentRules): Promise<ReadOutcome> {
  try {
    const stat = await fs.stat(file);
    if (!stat.isFile()) return { ok: false, reason: 'unreadable', detail: 'not a regular file' };
    if (stat.size > rules.maxFileBytes) return { ok: false, reason: 'too-large', detail: `${stat.size} bytes, more than the ${rules.maxFileBytes}-byte limit` };
    const bytes = await fs.readFile(file);
    const verdict = classifyContent(bytes, rules);
    return verdict.ok ? { ok: true, text: verdict.text, bytes: bytes.length } : verdict;
  } catch (error) {
    return { ok: false, reason: 'unreadable', detail: error instanceof Error ? error.message : String(error) };
  }
}
