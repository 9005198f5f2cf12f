import { encode } from '../vocab';

/** Text to adapt on: ids[0..n) of one document; `fresh` when it does not continue the previous chunk. */
export interface AdaptChunk {
  ids: Uint8Array;
  fresh: boolean;
}

/** Most windows one chunk carries: a large paste is learned from its end only, so one chunk's steps stay short. */
export const MAX_WINDOWS_PER_CHUNK = 16;

/**
 * Decides which typed text dynamic evaluation learns from, per document:
 * text written forward from where the user started typing, in whole
 * windows, each character learned once. Moving the cursor back (an edit
 * earlier in the file) restarts from there. Only text before the cursor is
 * read, so a replay of a file never learns what it has yet to type.
 */
export class TypedTextTracker {
  /** Document → offset where its next window starts. */
  private readonly next = new Map<string, number>();
  private last: { docId: string; end: number } | null = null;

  constructor(
    readonly windowChars: number,
    private readonly send: (chunk: AdaptChunk) => void,
  ) {}

  /**
   * The document now reads `text` (or a source of its slices) and the
   * cursor is at `cursor`, after typing. Sends a chunk once a whole window
   * (windowChars + 1 characters: inputs and the character after) is there.
   */
  typed(docId: string, text: { slice(start: number, end: number): string }, cursor: number): void {
    const T = this.windowChars;
    let from = this.next.get(docId);
    if (from === undefined || cursor < from) {
      this.next.set(docId, cursor);
      return;
    }
    if (cursor - from < T + 1) return;
    let windows = Math.floor((cursor - from - 1) / T);
    if (windows > MAX_WINDOWS_PER_CHUNK) {
      from += (windows - MAX_WINDOWS_PER_CHUNK) * T;
      windows = MAX_WINDOWS_PER_CHUNK;
    }
    const ids = encode(text.slice(from, from + windows * T + 1));
    const fresh = !(this.last && this.last.docId === docId && this.last.end === from);
    const end = from + windows * T;
    this.next.set(docId, end);
    this.last = { docId, end };
    this.send({ ids, fresh });
  }

  /** A document closed. */
  forget(docId: string): void {
    this.next.delete(docId);
    if (this.last?.docId === docId) this.last = null;
  }

  /** Forgets every document (the weights were reset). */
  clear(): void {
    this.next.clear();
    this.last = null;
  }
}
