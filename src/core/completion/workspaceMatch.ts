import { UNK_ID, charToId } from '../vocab';
import { MATCH_WEIGHTS, MatchPrediction } from './documentMatch';

/**
 * The document cache (documentMatch.ts) reaching into the workspace's other
 * files: a project repeats its imports, license headers, error messages and
 * call patterns from file to file, and a new file has no history of its
 * own to match yet. When the last characters typed occur nowhere earlier in
 * the document, what followed them in another file gets the same extra
 * probability the document's own match would get (the same lengths and
 * weights: a backoff, so the document, which is nearer, wins).
 *
 * The files are one string with a separator between them, and every
 * position is indexed by a hash of the MIN_MATCH characters before it, in
 * chains from the latest position back (an Int32Array head per hash and a
 * previous-position link per character: 4 bytes a character plus the
 * table), so a lookup walks a few candidates instead of scanning megabytes.
 */

/** The shortest match looked for: every position is indexed by the characters this far back. */
const MIN_MATCH = MATCH_WEIGHTS[MATCH_WEIGHTS.length - 1].length;
const LONGEST_MATCH = MATCH_WEIGHTS[0].length;

/** Between two files: outside the vocabulary, so no match crosses a file's end or predicts it. */
const FILE_SEPARATOR = '\u0000';

/** Candidates a lookup checks, latest first, before it settles for the longest found. */
const MAX_CHAIN_STEPS = 64;

/** Most characters indexed (the files beyond it are left out; 4 MB of text costs about 24 MB). */
export const WORKSPACE_MATCH_MAX_CHARS = 4 * 1024 * 1024;

export class WorkspaceMatchIndex {
  private readonly text: string;
  /** Hash of the MIN_MATCH characters before a position → the latest such position (−1: none). [2^bits] */
  private readonly head: Int32Array;
  /** Position → the previous position with the same hash (−1: none). [text.length + 1] */
  private readonly previous: Int32Array;
  private readonly mask: number;

  /** `texts` joined, in order (a later file's match wins a tie); characters past `maxChars` are left out. */
  constructor(texts: Iterable<string>, maxChars = WORKSPACE_MATCH_MAX_CHARS) {
    let joined = '';
    for (const t of texts) {
      const piece = t.replace(/\r/g, '');
      if (joined.length + piece.length + 1 > maxChars) break;
      joined += piece + FILE_SEPARATOR;
    }
    this.text = joined;
    const bits = Math.max(10, Math.min(22, Math.ceil(Math.log2(joined.length + 1))));
    this.mask = (1 << bits) - 1;
    this.head = new Int32Array(1 << bits).fill(-1);
    this.previous = new Int32Array(joined.length + 1).fill(-1);
    // Position p is indexed by text[p − MIN_MATCH, p); it predicts text[p].
    for (let p = MIN_MATCH; p < joined.length; p++) {
      const h = this.hashBefore(joined, p);
      this.previous[p] = this.head[h];
      this.head[h] = p;
    }
  }

  /** Characters indexed (separators included). */
  get size(): number {
    return this.text.length;
  }

  /**
   * What followed the end of `tail` in the workspace's text: the latest
   * occurrence of its longest matching end (MATCH_WEIGHTS' lengths, longest
   * first), with that length's weight; null when the last MIN_MATCH
   * characters occur nowhere (or only before a file's end).
   */
  matchNext(tail: string): MatchPrediction | null {
    if (tail.length < MIN_MATCH) return null;
    const end = tail.length;
    let bestLength = 0;
    let bestAt = -1;
    let p = this.head[this.hashBefore(tail, end)];
    for (let steps = 0; p >= 0 && steps < MAX_CHAIN_STEPS; steps++, p = this.previous[p]) {
      const length = this.commonEnd(tail, p);
      if (length < MIN_MATCH || length <= bestLength) continue;
      const id = charToId(this.text.charCodeAt(p));
      if (id === UNK_ID) continue;
      bestLength = length;
      bestAt = p;
      if (length >= LONGEST_MATCH) break;
    }
    if (bestAt < 0) return null;
    const weight = MATCH_WEIGHTS.find((w) => bestLength >= w.length)?.weight ?? 0;
    return { id: charToId(this.text.charCodeAt(bestAt)), weight };
  }

  /** How many characters before `tail`'s end and before position p agree (at most LONGEST_MATCH). */
  private commonEnd(tail: string, p: number): number {
    let n = 0;
    while (n < LONGEST_MATCH && n < tail.length && n < p && tail.charCodeAt(tail.length - 1 - n) === this.text.charCodeAt(p - 1 - n)) n++;
    return n;
  }

  /** A hash of s[end − MIN_MATCH, end). */
  private hashBefore(s: string, end: number): number {
    let h = 0;
    for (let i = end - MIN_MATCH; i < end; i++) h = Math.imul(h ^ s.charCodeAt(i), 0x01000193);
    return (h ^ (h >>> 15)) & this.mask;
  }
}

/**
 * The workspace's files as the match index reads them: kept per file so
 * that a saved file replaces its old text, and joined into an index on
 * demand (once per change).
 */
export class WorkspaceTexts {
  private readonly files = new Map<string, string>();
  private built: WorkspaceMatchIndex | undefined;

  constructor(private readonly maxChars = WORKSPACE_MATCH_MAX_CHARS) {}

  setFile(id: string, text: string): void {
    this.files.set(id, text);
    this.built = undefined;
  }

  deleteFile(id: string): void {
    if (this.files.delete(id)) this.built = undefined;
  }

  has(id: string): boolean {
    return this.files.has(id);
  }

  /** The index over every file (up to maxChars, in the order first added), built on the first call after a change. */
  index(): WorkspaceMatchIndex {
    this.built ??= new WorkspaceMatchIndex(this.files.values(), this.maxChars);
    return this.built;
  }
}
