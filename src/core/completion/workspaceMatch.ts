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
 * The files are one array of character codes with a separator between
 * them, and every position is indexed by a rolling hash of the MIN_MATCH
 * characters before it, in chains from the latest position back (an
 * Int32Array head per hash bucket and a previous-position link per
 * character: 6 bytes a character, plus at most 4 MB of buckets), so a lookup
 * walks a few candidates instead of scanning megabytes.
 */

/** The shortest match looked for: every position is indexed by the characters this far back. */
const MIN_MATCH = MATCH_WEIGHTS[MATCH_WEIGHTS.length - 1].length;
const LONGEST_MATCH = MATCH_WEIGHTS[0].length;

/** Between two files: outside the vocabulary (UNK), so no match crosses a file's end or predicts it. */
const FILE_SEPARATOR = 0;

/** Candidates a lookup checks, latest first, before it settles for the longest found. */
const MAX_CHAIN_STEPS = 64;

/** Most characters indexed (the files beyond it are left out). */
export const WORKSPACE_MATCH_MAX_CHARS = 4 * 1024 * 1024;

/** Hash buckets at most (2^20: 4 MB; a full 4 MB text then has about four positions per bucket). */
const MAX_TABLE_BITS = 20;

/** Positions indexed between two pauses when the index is built in slices. */
const SLICE_POSITIONS = 1 << 18;

/** The multiplier of the rolling hash; HASH_SHIFT_OUT = HASH_BASE^MIN_MATCH (mod 2^32) takes the oldest character out. */
const HASH_BASE = 0x01000193;
const HASH_SHIFT_OUT = (() => {
  let m = 1;
  for (let i = 0; i < MIN_MATCH; i++) m = Math.imul(m, HASH_BASE);
  return m;
})();

export class WorkspaceMatchIndex {
  /** Hash of the MIN_MATCH characters before a position → the latest such position (−1: none). [2^bits] */
  private readonly head: Int32Array;
  /** Position → the previous position with the same hash (−1: none). [codes.length] */
  private readonly previous: Int32Array;
  private readonly mask: number;

  /** `codes`: the files' character codes joined, FILE_SEPARATOR after each. Nothing is indexed yet. */
  private constructor(private readonly codes: Uint16Array) {
    const bits = Math.max(10, Math.min(MAX_TABLE_BITS, Math.ceil(Math.log2(codes.length + 1))));
    this.mask = (1 << bits) - 1;
    this.head = new Int32Array(1 << bits).fill(-1);
    this.previous = new Int32Array(codes.length).fill(-1);
  }

  /** The index of `texts` joined in order (a later file's match wins a tie); CR left out, files past `maxChars` too. */
  static of(texts: Iterable<string>, maxChars = WORKSPACE_MATCH_MAX_CHARS): WorkspaceMatchIndex {
    const index = new WorkspaceMatchIndex(joinCodes(texts, maxChars));
    index.indexPositions(MIN_MATCH, index.codes.length);
    return index;
  }

  /** The same index, built a slice at a time with `pause()` between slices (the editor's thread keeps typing). */
  static async inSlices(texts: Iterable<string>, pause: () => Promise<void>, maxChars = WORKSPACE_MATCH_MAX_CHARS): Promise<WorkspaceMatchIndex> {
    const index = new WorkspaceMatchIndex(joinCodes(texts, maxChars));
    for (let from = MIN_MATCH; from < index.codes.length; from += SLICE_POSITIONS) {
      index.indexPositions(from, Math.min(index.codes.length, from + SLICE_POSITIONS));
      await pause();
    }
    return index;
  }

  /** Characters indexed (separators included). */
  get size(): number {
    return this.codes.length;
  }

  /**
   * What followed the end of `tail` in the workspace's text: the latest
   * occurrence of its longest matching end (MATCH_WEIGHTS' lengths, longest
   * first), with that length's weight; null when the last MIN_MATCH
   * characters occur nowhere (or only before a file's end).
   */
  matchNext(tail: string): MatchPrediction | null {
    if (tail.length < MIN_MATCH) return null;
    let h = 0;
    for (let i = tail.length - MIN_MATCH; i < tail.length; i++) h = (Math.imul(h, HASH_BASE) + tail.charCodeAt(i)) | 0;
    let bestLength = 0;
    let bestAt = -1;
    let p = this.head[this.bucket(h)];
    for (let steps = 0; p >= 0 && steps < MAX_CHAIN_STEPS; steps++, p = this.previous[p]) {
      const length = this.commonEnd(tail, p);
      if (length < MIN_MATCH || length <= bestLength) continue;
      if (charToId(this.codes[p]) === UNK_ID) continue;
      bestLength = length;
      bestAt = p;
      if (length >= LONGEST_MATCH) break;
    }
    if (bestAt < 0) return null;
    const weight = MATCH_WEIGHTS.find((w) => bestLength >= w.length)?.weight ?? 0;
    return { id: charToId(this.codes[bestAt]), weight };
  }

  /**
   * Links positions [from, to) into their hash chains, in order. Position p
   * is keyed by codes[p − MIN_MATCH, p) and predicts codes[p]; the key's
   * hash rolls from one position to the next (h·B − oldest·B^MIN_MATCH + newest).
   */
  private indexPositions(from: number, to: number): void {
    const codes = this.codes;
    let h = 0;
    for (let i = from - MIN_MATCH; i < from; i++) h = (Math.imul(h, HASH_BASE) + codes[i]) | 0;
    for (let p = from; p < to; p++) {
      const b = this.bucket(h);
      this.previous[p] = this.head[b];
      this.head[b] = p;
      h = (Math.imul(h, HASH_BASE) - Math.imul(codes[p - MIN_MATCH], HASH_SHIFT_OUT) + codes[p]) | 0;
    }
  }

  private bucket(h: number): number {
    return (h ^ (h >>> 15)) & this.mask;
  }

  /** How many characters before `tail`'s end and before position p agree (at most LONGEST_MATCH). */
  private commonEnd(tail: string, p: number): number {
    let n = 0;
    while (n < LONGEST_MATCH && n < tail.length && n < p && tail.charCodeAt(tail.length - 1 - n) === this.codes[p - 1 - n]) n++;
    return n;
  }
}

/** The texts' character codes, CR left out, FILE_SEPARATOR after each; a text that would pass `maxChars` ends the list. */
function joinCodes(texts: Iterable<string>, maxChars: number): Uint16Array {
  const kept: string[] = [];
  let length = 0;
  for (const t of texts) {
    let chars = t.length + 1;
    for (let i = t.indexOf('\r'); i >= 0; i = t.indexOf('\r', i + 1)) chars--;
    if (length + chars > maxChars) break;
    kept.push(t);
    length += chars;
  }
  const codes = new Uint16Array(length);
  let at = 0;
  for (const t of kept) {
    for (let i = 0; i < t.length; i++) {
      const c = t.charCodeAt(i);
      if (c !== 13) codes[at++] = c;
    }
    codes[at++] = FILE_SEPARATOR;
  }
  return codes;
}

/**
 * The workspace's files as the match index reads them: kept per file so
 * that a saved file replaces its old text, and joined into an index on
 * demand (once per change). Only maxChars of text are kept: a file that
 * would pass it is left out (the index could not hold it), so a large
 * workspace costs no more memory than a 4 MB one.
 */
export class WorkspaceTexts {
  private readonly files = new Map<string, string>();
  private chars = 0;
  private built: WorkspaceMatchIndex | undefined;
  /** Counts changes, so that a build in slices that a change overtook is not kept as current. */
  private generation = 0;

  constructor(private readonly maxChars = WORKSPACE_MATCH_MAX_CHARS) {}

  /** A file's text, new or changed; false when it does not fit in maxChars beside the others (it is then left out). */
  setFile(id: string, text: string): boolean {
    this.deleteFile(id);
    if (this.chars + text.length + 1 > this.maxChars) return false;
    this.files.set(id, text);
    this.chars += text.length + 1;
    this.changed();
    return true;
  }

  deleteFile(id: string): void {
    const text = this.files.get(id);
    if (text === undefined) return;
    this.files.delete(id);
    this.chars -= text.length + 1;
    this.changed();
  }

  has(id: string): boolean {
    return this.files.has(id);
  }

  /** The index over every file (up to maxChars, in the order first added), built on the first call after a change. */
  index(): WorkspaceMatchIndex {
    this.built ??= WorkspaceMatchIndex.of(this.files.values(), this.maxChars);
    return this.built;
  }

  /** The same, built a slice at a time with `pause()` between slices when it must be built (on the editor's thread). */
  async indexInSlices(pause: () => Promise<void>): Promise<WorkspaceMatchIndex> {
    if (this.built) return this.built;
    const generation = this.generation;
    const index = await WorkspaceMatchIndex.inSlices([...this.files.values()], pause, this.maxChars);
    // A file that changed meanwhile makes it stale: it is returned (the best there is) but not kept.
    if (generation === this.generation) this.built = index;
    return index;
  }

  private changed(): void {
    this.generation++;
    this.built = undefined;
  }
}
