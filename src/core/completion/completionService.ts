import { StepModel } from '../stepModel';
import { Completion, CompletionStop, completeAt } from './completeAt';
import { CompletionCache } from './completionCache';
import { DocumentStates, DocumentStatesOptions } from './documentStates';
import { lineSuffixAllowsCompletion } from './lineSuffix';
import { SearchSettings, searchKey } from './settings';
import { TextChangedError, TextSource, lineSuffixAt } from './textSource';
import { WorkspaceNameIndex } from './wordMemory';
import { WorkspaceMatchIndex } from './workspaceMatch';

export interface CompletionRequest {
  docId: string;
  version: number;
  text: TextSource;
  offset: number;
  /** The suggest widget's selected item, replacing [start, offset) with text. */
  selected?: { start: number; text: string };
}

/** Closed documents remembered for requests still running across their close. */
const MAX_REMEMBERED_CLOSES = 256;

/** Where an answer came from. */
export type CompletionSource = 'cache' | 'typed-through' | 'search';

export interface ServedCompletion {
  completion: Completion;
  source: CompletionSource;
}

/**
 * Stops that cut a line short rather than end it: the expected-saving cut,
 * the length cap, the probability floor. A search from further on reaches
 * past such a cut (the characters typed since are certain now), where one
 * that ended at the line's end, a closer or a loop ends there again.
 */
const CUT_SHORT: ReadonlySet<CompletionStop> = new Set<CompletionStop>(['expected-saving', 'saving-bound', 'length', 'floor']);

/**
 * A typed-through answer that may grow: the completion it is the rest of was
 * cut short, so a search from the new offset may offer more of the line.
 * (Typing through " of" leaves "f", where a search after the "o" offers "f {".)
 */
export function mayGrow(served: ServedCompletion): boolean {
  return served.source === 'typed-through' && CUT_SHORT.has(served.completion.stop);
}

/**
 * The completion path shared by the VS Code provider and the CLI benchmark:
 * per-document states, the cache, and completeAt, for one model. The host
 * adds debouncing, cancellation tokens and the conversion to editor types.
 */
export class CompletionService {
  readonly states: DocumentStates;
  readonly cache = new CompletionCache<Completion>();
  /** Document id → the value of `closes` at its last close (the most recent MAX_REMEMBERED_CLOSES). */
  private readonly closedAt = new Map<string, number>();
  private closes = 0;
  /** Requests running per document, and the edits made to it while any ran (numbered by `edits`). */
  private readonly running = new Map<string, number>();
  private readonly editsWhileRunning = new Map<string, { seq: number; version: number; offset: number }[]>();
  private edits = 0;
  /** The workspace's names for the word memory (WorkspaceNames.offered()), read at each search; the host keeps it current. */
  workspaceNames: () => WorkspaceNameIndex | undefined = () => undefined;
  /** The workspace's text for the document cache (WorkspaceTexts.index()), read at each search; the host keeps it current. */
  workspaceMatches: () => WorkspaceMatchIndex | undefined = () => undefined;
  /** Each workspace index seen gets a number, part of the cache key: a rebuilt index may change the answer at the same offset. */
  private readonly indexNumbers = new WeakMap<object, number>();
  private indexesSeen = 0;

  constructor(
    readonly model: StepModel,
    stateOptions: Partial<DocumentStatesOptions> = {},
  ) {
    this.states = new DocumentStates(model, stateOptions);
  }

  /** A document changed from `offset` on (smallest changed offset); `version` is its new version. */
  edit(docId: string, version: number, offset: number): void {
    this.states.edit(docId, version, offset);
    this.cache.edit(docId, offset);
    this.edits++;
    if (this.running.has(docId)) {
      const list = this.editsWhileRunning.get(docId) ?? [];
      list.push({ seq: this.edits, version, offset });
      this.editsWhileRunning.set(docId, list);
    }
  }

  /** A document closed: its states and cached completions go. */
  close(docId: string): void {
    this.states.delete(docId);
    this.cache.delete(docId);
    // Remembered (for a while) so that a request running across the close drops what it stored.
    this.closedAt.delete(docId);
    this.closedAt.set(docId, ++this.closes);
    if (this.closedAt.size > MAX_REMEMBERED_CLOSES) this.closedAt.delete(this.closedAt.keys().next().value as string);
  }

  /** The answer without any model work, when the cache has one. */
  lookup(request: CompletionRequest, settings: SearchSettings): ServedCompletion | undefined {
    const key = this.requestKey(request, settings, this.workspaceNames(), this.workspaceMatches());
    const hit = this.cache.get(request.docId, request.version, request.offset, key);
    if (hit) return { completion: hit, source: 'cache' };
    if (request.selected) return undefined;
    const suffix = lineSuffixAt(request.text, request.offset);
    if (!lineSuffixAllowsCompletion(suffix)) return undefined;
    const rest = this.cache.continuation(request.docId, request.text, request.offset, key, (stored, text) => ({
      ...stored,
      text,
      lines: text.split('\n').length,
    }));
    if (!rest) return undefined;
    this.cache.set(request.docId, request.version, request.offset, key, rest, false);
    return { completion: rest, source: 'typed-through' };
  }

  /**
   * The cached answer, or a new one (undefined: none, or cancelled). A
   * typed-through answer that may grow (mayGrow) is searched again; see grow.
   */
  async complete(request: CompletionRequest, settings: SearchSettings, isCancelled: () => boolean): Promise<ServedCompletion | undefined> {
    const cached = this.lookup(request, settings);
    if (cached) return mayGrow(cached) ? this.grow(request, settings, cached, isCancelled) : cached;
    const found = await this.search(request, settings, isCancelled);
    if (!found) return undefined;
    this.cache.set(request.docId, request.version, request.offset, found.key, found.completion, !request.selected);
    return { completion: found.completion, source: 'search' };
  }

  /**
   * A typed-through answer, or a longer one: a search from the new offset
   * that starts with the typed-through text (so the ghost text only grows
   * as the user types it) and goes on past it. When the search offers
   * less, something else, or is cancelled, the typed-through answer stands.
   */
  async grow(request: CompletionRequest, settings: SearchSettings, typedThrough: ServedCompletion, isCancelled: () => boolean): Promise<ServedCompletion> {
    const found = await this.search(request, settings, isCancelled);
    const rest = typedThrough.completion.text;
    if (!found || found.completion.text.length <= rest.length || !found.completion.text.startsWith(rest)) return typedThrough;
    this.cache.set(request.docId, request.version, request.offset, found.key, found.completion, true);
    return { completion: found.completion, source: 'search' };
  }

  /** A new answer, not cached yet, with the cache key it belongs under (undefined: none, cancelled, or stale). */
  private async search(request: CompletionRequest, settings: SearchSettings, isCancelled: () => boolean): Promise<{ completion: Completion; key: string } | undefined> {
    const workspaceNames = this.workspaceNames();
    const workspaceMatches = this.workspaceMatches();
    const closesBefore = this.closes;
    const editsBefore = this.edits;
    const docId = request.docId;
    this.running.set(docId, (this.running.get(docId) ?? 0) + 1);
    let completion: Completion | undefined;
    try {
      completion = await completeAt(this.model, this.states, docId, request.text, request.offset, settings, isCancelled, {
        version: request.version,
        selected: request.selected,
        workspaceNames,
        workspaceMatches,
      });
    } catch (err) {
      // A text source that changed under the request (one that reads a live document) is a stale request, not a failure.
      if (!(err instanceof TextChangedError)) throw err;
    } finally {
      const left = (this.running.get(docId) ?? 1) - 1;
      if (left > 0) this.running.set(docId, left);
      else this.running.delete(docId);
    }
    const missed = (this.editsWhileRunning.get(docId) ?? []).filter((e) => e.seq > editsBefore);
    if (!this.running.has(docId)) this.editsWhileRunning.delete(docId);
    if (missed.length > 0) {
      // Edited while this request ran, by a caller whose isCancelled did not
      // notice: its answer is for the old text, and the states and anchors it
      // stored after the edit belong to the old text. Apply the edits again.
      this.edit(docId, missed[missed.length - 1].version, Math.min(...missed.map((e) => e.offset)));
      return undefined;
    }
    if ((this.closedAt.get(request.docId) ?? 0) > closesBefore) {
      // Closed while this request ran: the states it stored would outlive the document.
      this.states.delete(request.docId);
      this.cache.delete(request.docId);
      return undefined;
    }
    if (!completion) return undefined;
    return { completion, key: this.requestKey(request, settings, workspaceNames, workspaceMatches) };
  }

  private requestKey(request: CompletionRequest, settings: SearchSettings, names: WorkspaceNameIndex | undefined, matches: WorkspaceMatchIndex | undefined): string {
    const selected = request.selected ? `${request.selected.start}:${request.selected.text}` : '';
    // An index only changes the answer where the search reads it (as in completeAt).
    const namesKey = settings.wordMemory && settings.workspaceNames ? this.indexNumber(names) : 0;
    const matchesKey = settings.documentMatch && settings.workspaceMatch ? this.indexNumber(matches) : 0;
    return `${searchKey(settings)}|${selected}|${namesKey}|${matchesKey}`;
  }

  private indexNumber(index: object | undefined): number {
    if (!index) return 0;
    const n = this.indexNumbers.get(index) ?? ++this.indexesSeen;
    this.indexNumbers.set(index, n);
    return n;
  }
}
