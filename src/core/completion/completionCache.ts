import { TextSource } from './textSource';

/** What the cache stores: the completion text at an offset (the rest is carried along). */
export interface CacheableCompletion {
  readonly text: string;
}

interface Anchor<C extends CacheableCompletion> {
  offset: number;
  key: string;
  completion: C;
}

/**
 * Completions already computed, two ways:
 *
 * - exact: by (document, version, offset, request key). VS Code asks again
 *   for the same position (cursor moved away and back, suggest widget
 *   closed, explicit trigger); the answer is the same, so it is served at
 *   once. The key carries everything else the answer depends on (settings,
 *   the suggest widget's selected text).
 * - typed-through: when the user types the first characters of a shown
 *   completion, the rest of it is the answer at the new offset (the state
 *   would lead the search to the same text), as long as nothing before the
 *   completion's start changed (`edit` drops such anchors).
 *
 * Both are bounded: `maxEntries` exact entries (least recently used go) and
 * `anchorsPerDocument` typed-through anchors per document.
 */
export class CompletionCache<C extends CacheableCompletion = CacheableCompletion> {
  private readonly exact = new Map<string, C>();
  private readonly anchors = new Map<string, Anchor<C>[]>();
  hits = 0;
  continuations = 0;
  misses = 0;

  constructor(
    readonly maxEntries = 64,
    readonly anchorsPerDocument = 8,
  ) {}

  get(docId: string, version: number, offset: number, key: string): C | undefined {
    const k = exactKey(docId, version, offset, key);
    const hit = this.exact.get(k);
    if (hit === undefined) {
      this.misses++;
      return undefined;
    }
    this.exact.delete(k);
    this.exact.set(k, hit);
    this.hits++;
    return hit;
  }

  /**
   * Stores a completion computed at (version, offset). With `anchor` (the
   * default), it can also be typed through later; pass false when the text
   * does not start at `offset` in the document (a suggest-widget request).
   */
  set(docId: string, version: number, offset: number, key: string, completion: C, anchor = true): void {
    const k = exactKey(docId, version, offset, key);
    this.exact.delete(k);
    this.exact.set(k, completion);
    while (this.exact.size > this.maxEntries) {
      const oldest = this.exact.keys().next().value as string;
      this.exact.delete(oldest);
    }
    if (!anchor) return;
    const list = this.anchors.get(docId) ?? [];
    const same = list.findIndex((a) => a.offset === offset && a.key === key);
    if (same >= 0) list.splice(same, 1);
    list.push({ offset, key, completion });
    if (list.length > this.anchorsPerDocument) list.shift();
    this.anchors.set(docId, list);
  }

  /**
   * The rest of a stored completion whose first characters the user has
   * typed: `text[anchor, offset)` must be a proper prefix of it and the rest
   * must hold more than whitespace. `rebuild` makes the shorter completion.
   */
  continuation(docId: string, text: TextSource, offset: number, key: string, rebuild: (stored: C, rest: string) => C): C | undefined {
    const list = this.anchors.get(docId);
    if (!list) return undefined;
    for (let i = list.length - 1; i >= 0; i--) {
      const a = list[i];
      const typedLength = offset - a.offset;
      if (a.key !== key || typedLength <= 0 || typedLength >= a.completion.text.length) continue;
      const typed = text.slice(a.offset, offset);
      if (!a.completion.text.startsWith(typed)) continue;
      const rest = a.completion.text.slice(typedLength);
      if (!/\S/.test(rest)) continue;
      this.continuations++;
      return rebuild(a.completion, rest);
    }
    return undefined;
  }

  /** Text changed from `offset` on: typed-through anchors after it no longer apply. */
  edit(docId: string, offset: number): void {
    const list = this.anchors.get(docId);
    if (!list) return;
    const kept = list.filter((a) => a.offset <= offset);
    if (kept.length > 0) this.anchors.set(docId, kept);
    else this.anchors.delete(docId);
  }

  delete(docId: string): void {
    this.anchors.delete(docId);
    const prefix = docId + '\u0000';
    for (const k of [...this.exact.keys()]) if (k.startsWith(prefix)) this.exact.delete(k);
  }

  clear(): void {
    this.exact.clear();
    this.anchors.clear();
  }

  get size(): number {
    return this.exact.size;
  }
}

function exactKey(docId: string, version: number, offset: number, key: string): string {
  return `${docId}\u0000${version}\u0000${offset}\u0000${key}`;
}
