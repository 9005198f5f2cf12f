import { SearchStart, StepModel } from '../stepModel';
import { NEWLINE_ID, charToId } from '../vocab';
import { TextChangedError, TextSource } from './textSource';

export interface DocumentStatesOptions {
  /** A checkpoint is kept at every multiple of this many characters. A jump or an edit costs at most this many steps. */
  checkpointInterval: number;
  /**
   * Most characters read before the cursor when no checkpoint is near: the
   * state is then built from a fresh (zero) state at most this far back
   * (rounded down to a checkpoint offset). See the class comment.
   */
  maxPrimeChars: number;
  /** States kept at the last positions asked for (any offset), so that backspace and re-asking cost nothing. */
  recentStates: number;
  /** Of a walk, how many of its last positions are kept as recent states. */
  recentTail: number;
  /** Memory for states of all documents together; least recently used documents are dropped first. */
  memoryBudgetBytes: number;
  /** Memory for one document's states; past it, the checkpoints farthest from the cursor are dropped. */
  documentBudgetBytes: number;
  /** How many steps a walk takes between calls to shouldStop. */
  stopCheckSteps: number;
}

export const DEFAULT_DOCUMENT_STATES_OPTIONS: Readonly<DocumentStatesOptions> = Object.freeze({
  checkpointInterval: 256,
  maxPrimeChars: 4096,
  recentStates: 32,
  recentTail: 8,
  memoryBudgetBytes: 64 << 20,
  documentBudgetBytes: 16 << 20,
  stopCheckSteps: 32,
});

/** A state after the text [.., offset), and the distribution of the character at offset (null: not known yet). */
interface Entry {
  offset: number;
  state: Float32Array;
  logProbs: Float32Array | null;
}

class DocumentRecord {
  /** Sorted by offset; offsets are multiples of the checkpoint interval. */
  checkpoints: Entry[] = [];
  /** Sorted by offset; any offsets; at most `recentStates`. */
  recent: Entry[] = [];
  /** The offset last asked for: thinning keeps the checkpoints near it. */
  lastOffset = 0;

  constructor(public version: number | undefined) {}

  get entries(): number {
    return this.checkpoints.length + this.recent.length;
  }

  clear(): void {
    this.checkpoints = [];
    this.recent = [];
  }
}

export interface DocumentStatesStats {
  documents: number;
  checkpoints: number;
  recent: number;
  bytes: number;
  /** Model steps taken since construction (or resetSteps). */
  steps: number;
}

/**
 * LSTM states along each open document, so that the state at the cursor is
 * cheap to get while the user types.
 *
 * - A checkpoint (state and next-character distribution) is stored at every
 *   `checkpointInterval` offset a walk passes, plus the last few positions
 *   asked for. The state at an offset is built from the nearest stored one
 *   before it, so typing one character costs one step and a jump within the
 *   text already read costs at most one interval.
 * - `edit(doc, version, offset)` drops every state after the first changed
 *   offset: a state at k depends on the text before k only, so states at
 *   k <= offset stay exact.
 * - Memory is bounded per document (checkpoints far from the cursor go
 *   first) and across documents (least recently used documents go first).
 * - Huge documents: a state is never built from more than `maxPrimeChars`
 *   (+ one interval) characters back. When nothing is stored that close, the
 *   walk starts from a fresh zero state at the checkpoint offset at most
 *   `maxPrimeChars` before the cursor, as if the text began there. The
 *   trade-off: the state forgets what came before that point (a string or
 *   comment opened 4,000 characters earlier, the indentation of an outer
 *   block), which a char-LSTM barely remembers over that distance anyway,
 *   in exchange for a first request that costs at most ~4k steps in a
 *   document of any size. Before `maxPrimeChars` the state equals priming
 *   the whole prefix.
 * - '\r' is skipped (the models are trained on text with '\n' line ends),
 *   so CRLF documents give the same states as LF ones while offsets stay
 *   document offsets.
 *
 * States returned by stateAt are views into the store: read them, copy
 * them (search does), and do not keep them past the next call.
 */
export class DocumentStates {
  readonly options: DocumentStatesOptions;
  private readonly records = new Map<string, DocumentRecord>();
  private readonly entryBytes: number;
  private readonly work: Float32Array;
  private readonly workLogProbs: Float32Array;
  private start0: SearchStart | null = null;
  private steps = 0;

  constructor(
    readonly model: StepModel,
    options: Partial<DocumentStatesOptions> = {},
  ) {
    this.options = { ...DEFAULT_DOCUMENT_STATES_OPTIONS, ...options };
    const o = this.options;
    for (const key of ['checkpointInterval', 'recentStates', 'stopCheckSteps'] as const) {
      if (!Number.isInteger(o[key]) || o[key] < 1) throw new RangeError(`${key} must be a positive integer, got ${o[key]}`);
    }
    if (!(o.maxPrimeChars >= 0)) throw new RangeError(`maxPrimeChars must be >= 0, got ${o.maxPrimeChars}`);
    // Array overhead besides the floats, roughly.
    this.entryBytes = (model.stateSize + model.vocabSize) * 4 + 160;
    this.work = model.newState();
    this.workLogProbs = new Float32Array(model.vocabSize);
  }

  /**
   * The state after text[0, offset) of document `docId` and the distribution
   * of the next character. `version` (optional) is the document version the
   * text belongs to: if it differs from the last one seen in `edit`, an edit
   * was missed and the document's states are dropped. With `shouldStop`, the
   * walk asks it every few steps and, when it says stop, keeps its progress
   * and returns undefined; call again to go on.
   */
  stateAt(
    docId: string,
    version: number | undefined,
    text: TextSource,
    offset: number,
    shouldStop?: () => boolean,
  ): SearchStart | undefined {
    if (!Number.isInteger(offset) || offset < 0 || offset > text.length) {
      throw new RangeError(`offset ${offset} is outside the text (length ${text.length})`);
    }
    const rec = this.touch(docId, version);
    rec.lastOffset = offset;
    if (offset === 0) return this.startOfText();

    const { checkpointInterval: interval, maxPrimeChars, recentTail, stopCheckSteps } = this.options;
    const freshBase = offset <= maxPrimeChars ? 0 : Math.floor((offset - maxPrimeChars) / interval) * interval;
    let start = this.nearestEntry(rec, offset);
    if (!start || start.offset < freshBase) {
      start = { offset: freshBase, state: this.model.newState(), logProbs: null };
      insertSorted(rec.checkpoints, start);
    }
    if (start.offset === offset && start.logProbs) return { state: start.state, logProbs: start.logProbs };

    const state = this.work;
    const logProbs = this.workLogProbs;
    state.set(start.state);
    let known = start.logProbs !== null;
    if (start.logProbs) logProbs.set(start.logProbs);
    let pos = start.offset;
    let untilCheck = stopCheckSteps;
    const CHUNK = 1024;
    while (pos < offset) {
      // With shouldStop, a chunk ends where the next stop check falls: a walk cut into many
      // time slices (a busy machine) then reads each character once, never a chunk it drops.
      const chunk = text.slice(pos, Math.min(offset, pos + (shouldStop ? untilCheck : CHUNK)));
      // A source over a live document that shrank returns nothing here; without this the walk would never end.
      if (chunk.length === 0) throw new TextChangedError(`the text ends at ${pos}, before offset ${offset}: it changed while it was read`);
      for (let i = 0; i < chunk.length; i++) {
        const code = chunk.charCodeAt(i);
        pos++;
        if (code !== 13) {
          this.model.step(state, charToId(code), logProbs);
          this.steps++;
          known = true;
        }
        if (pos === offset) break;
        if (pos % interval === 0) insertSorted(rec.checkpoints, this.copyEntry(pos, state, known ? logProbs : null));
        else if (offset - pos < recentTail) this.addRecent(rec, this.copyEntry(pos, state, known ? logProbs : null));
        if (shouldStop && --untilCheck === 0) {
          untilCheck = stopCheckSteps;
          if (shouldStop()) {
            if (pos % interval !== 0) this.addRecent(rec, this.copyEntry(pos, state, known ? logProbs : null));
            this.enforceBudget(rec);
            return undefined;
          }
        }
      }
    }
    if (!known) {
      // Only '\r' since a fresh start: read it as the start of a line, like an empty prefix.
      this.model.step(state, NEWLINE_ID, logProbs);
      this.steps++;
    }
    const result: SearchStart = { state: state.slice(), logProbs: logProbs.slice() };
    const entry: Entry = { offset, ...result };
    if (offset % interval === 0) insertSorted(rec.checkpoints, entry);
    else this.addRecent(rec, entry);
    this.enforceBudget(rec);
    return result;
  }

  /**
   * Text changed from `offset` on (the smallest rangeOffset of the change):
   * drops the states after it. `version` is the document's new version.
   */
  edit(docId: string, version: number | undefined, offset: number): void {
    const rec = this.records.get(docId);
    if (!rec) return;
    rec.version = version;
    const keep = (e: Entry) => e.offset <= offset;
    const cut = upperBound(rec.checkpoints, offset);
    if (cut < rec.checkpoints.length) rec.checkpoints.length = cut;
    if (!rec.recent.every(keep)) rec.recent = rec.recent.filter(keep);
  }

  /** Forgets a document (closed). */
  delete(docId: string): void {
    this.records.delete(docId);
  }

  clear(): void {
    this.records.clear();
  }

  has(docId: string): boolean {
    return this.records.has(docId);
  }

  /** Offsets with a stored state, for tests and diagnostics. */
  storedOffsets(docId: string): { checkpoints: number[]; recent: number[] } | undefined {
    const rec = this.records.get(docId);
    return rec && { checkpoints: rec.checkpoints.map((e) => e.offset), recent: rec.recent.map((e) => e.offset) };
  }

  /** Document ids, least recently used first. */
  documents(): string[] {
    return [...this.records.keys()];
  }

  stats(): DocumentStatesStats {
    let checkpoints = 0;
    let recent = 0;
    for (const rec of this.records.values()) {
      checkpoints += rec.checkpoints.length;
      recent += rec.recent.length;
    }
    return { documents: this.records.size, checkpoints, recent, bytes: (checkpoints + recent) * this.entryBytes, steps: this.steps };
  }

  get stepsTaken(): number {
    return this.steps;
  }

  private touch(docId: string, version: number | undefined): DocumentRecord {
    let rec = this.records.get(docId);
    if (rec) {
      this.records.delete(docId);
      if (version !== undefined && rec.version !== undefined && rec.version !== version) rec.clear();
      if (version !== undefined) rec.version = version;
    } else {
      rec = new DocumentRecord(version);
    }
    this.records.set(docId, rec);
    return rec;
  }

  /** The stored entry with the largest offset <= offset (a known distribution wins a tie). */
  private nearestEntry(rec: DocumentRecord, offset: number): Entry | undefined {
    const i = upperBound(rec.checkpoints, offset) - 1;
    let best = i >= 0 ? rec.checkpoints[i] : undefined;
    for (const e of rec.recent) {
      if (e.offset > offset) break;
      if (!best || e.offset > best.offset || (e.offset === best.offset && !best.logProbs)) best = e;
    }
    return best;
  }

  /** The start of a text: as if after a newline, like Engine.prime with an empty prefix. */
  private startOfText(): SearchStart {
    if (!this.start0) {
      const state = this.model.newState();
      const logProbs = new Float32Array(this.model.vocabSize);
      this.model.step(state, NEWLINE_ID, logProbs);
      this.steps++;
      this.start0 = { state, logProbs };
    }
    return this.start0;
  }

  private copyEntry(offset: number, state: Float32Array, logProbs: Float32Array | null): Entry {
    return { offset, state: state.slice(), logProbs: logProbs ? logProbs.slice() : null };
  }

  /** Adds a recent state; past the limit, the one farthest from the cursor goes. */
  private addRecent(rec: DocumentRecord, entry: Entry): void {
    const recent = rec.recent;
    const same = recent.findIndex((e) => e.offset === entry.offset);
    if (same >= 0) recent.splice(same, 1);
    insertSorted(recent, entry);
    if (recent.length > this.options.recentStates) {
      // Sorted by offset: the farthest from the cursor is at one end.
      const first = recent[0];
      const last = recent[recent.length - 1];
      if (Math.abs(first.offset - rec.lastOffset) >= Math.abs(last.offset - rec.lastOffset)) recent.shift();
      else recent.pop();
    }
  }

  private recordBytes(rec: DocumentRecord): number {
    return rec.entries * this.entryBytes;
  }

  private enforceBudget(current: DocumentRecord): void {
    const { documentBudgetBytes, memoryBudgetBytes } = this.options;
    if (this.recordBytes(current) > documentBudgetBytes) this.thin(current, documentBudgetBytes * 0.75);
    let total = 0;
    for (const rec of this.records.values()) total += this.recordBytes(rec);
    if (total <= memoryBudgetBytes) return;
    for (const [docId, rec] of this.records) {
      if (rec === current) continue;
      total -= this.recordBytes(rec);
      this.records.delete(docId);
      if (total <= memoryBudgetBytes) return;
    }
    this.thin(current, memoryBudgetBytes * 0.75);
  }

  /** Drops the checkpoints farthest from the last offset asked for until the record fits `targetBytes`. */
  private thin(rec: DocumentRecord, targetBytes: number): void {
    const keepCount = Math.max(0, Math.floor(targetBytes / this.entryBytes) - rec.recent.length);
    if (rec.checkpoints.length <= keepCount) return;
    const near = rec.lastOffset;
    const kept = [...rec.checkpoints]
      .sort((a, b) => Math.abs(a.offset - near) - Math.abs(b.offset - near))
      .slice(0, keepCount)
      .sort((a, b) => a.offset - b.offset);
    rec.checkpoints = kept;
  }
}

/** Index of the first entry with offset > `offset`. */
function upperBound(entries: Entry[], offset: number): number {
  let lo = 0;
  let hi = entries.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (entries[mid].offset <= offset) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

function insertSorted(entries: Entry[], entry: Entry): void {
  const at = upperBound(entries, entry.offset);
  if (at > 0 && entries[at - 1].offset === entry.offset) entries[at - 1] = entry;
  else entries.splice(at, 0, entry);
}
