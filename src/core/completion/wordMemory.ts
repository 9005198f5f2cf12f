import { SearchStart, StepModel } from '../stepModel';
import { stepInnerBatch } from './stepInnerBatch';
import { charToId, idToChar } from '../vocab';

/**
 * A word-level memory for completion: code reuses its own names, and a
 * character model that has never seen `warnings` guesses `warnown` after
 * `warn`. The document cache (documentMatch.ts) only helps once 8 characters
 * match; this helps from the first letters of a word. When the word being
 * typed is the start of names the document already uses, the letter that
 * continues each of them gets probability, by how often and how recently
 * the name occurs:
 *   P(c) = (1 − λ) · P_model(c) + λ · P_names(c)
 *   P_names(c) = Σ weight of names going on with c / Σ weight of names going on
 *   λ = Σ weight of names going on / (Σ weight of all names with the prefix + K)
 * where an occurrence d characters before the cursor's line weighs exp(−d / R).
 * The names ending at the prefix count in the denominator: after `warning`
 * in a file that uses both `warning` and `warnings`, the `s` is less sure.
 */

export interface WordMemoryParams {
  /** Letters of a word typed before its names are offered. */
  minPrefix: number;
  /** K: how many weighted occurrences it takes to reach half confidence. */
  pseudoCount: number;
  /** R: characters before the cursor's line at which an occurrence counts 1/e. */
  recencyChars: number;
}

/**
 * Chosen in the typing replay (eval --keystrokes) on code that the reported
 * figures are not measured on: immer 10.1.1 src/core and click 8.1.3's
 * parser.py (README, "The names this code uses"). From 1 letter saved more
 * than from 2 or 3; K 0.3 more than 1 or 3; R mattered little (tuned with
 * 1 / (1 + d / R) from the cursor; exp(−d / R) from the line start, which a
 * cached index can follow line by line, replaced it after).
 */
export const WORD_MEMORY_PARAMS: Readonly<WordMemoryParams> = Object.freeze({ minPrefix: 1, pseudoCount: 0.3, recencyChars: 4000 });

/** The workspace's names (workspaceNames.ts) as the word memory offers them. */
export interface WorkspaceNameIndex {
  index: NameIndex;
  /** Letters of a word typed before these names are offered. */
  minPrefix: number;
  /** Offered only for a word that is the start of none of the document's names (the document's own names back off to them). */
  onlyWithoutDocumentMatch: boolean;
}

/** Characters that make up a name (JavaScript, Python, C, shell... share these). */
function isNameChar(code: number): boolean {
  return (code >= 97 && code <= 122) || (code >= 65 && code <= 90) || (code >= 48 && code <= 57) || code === 95 || code === 36;
}

function isDigit(code: number): boolean {
  return code >= 48 && code <= 57;
}

/** By UTF-16 code units, as narrow's binary search reads them. */
function compareNames(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/**
 * Name → summed weight of its occurrences in text[from, to), each weighed by
 * `weightAt(its end)`; numbers are not names, and a name touching `to` is
 * the word being typed (left out).
 */
export function countNames(text: string, from: number, to: number, weightAt: (end: number) => number): Map<string, number> {
  const counts = new Map<string, number>();
  let i = from;
  while (i < to) {
    if (!isNameChar(text.charCodeAt(i))) {
      i++;
      continue;
    }
    const start = i;
    while (i < to && isNameChar(text.charCodeAt(i))) i++;
    if (isDigit(text.charCodeAt(start)) || i === to) continue;
    const name = text.slice(start, i);
    counts.set(name, (counts.get(name) ?? 0) + weightAt(i));
  }
  return counts;
}

/** Indexes of the lines before the cursor's, for the last few places asked about (oldest first). */
interface CachedLines {
  text: string;
  recencyChars: number;
  index: NameIndex;
}
const LINES_CACHE: CachedLines[] = [];
const LINES_CACHE_ENTRIES = 8;
/** Past this much new text since a cached index, it is built anew (a paste, a jump). */
const MAX_EXTEND_CHARS = 4096;

/**
 * The names used in a text, sorted (by UTF-16 code units, so that the names
 * sharing a prefix are one range), each with its weighted occurrence count.
 */
export class NameIndex {
  readonly names: string[];
  readonly weights: Float64Array;
  /** cumulative[k] = Σ weights[0, k) [size + 1]: a range's weight, and a run of names going on with one letter, in O(1). */
  private readonly cumulative: Float64Array;

  private constructor(names: string[], weights: Float64Array) {
    this.names = names;
    this.weights = weights;
    this.cumulative = new Float64Array(names.length + 1);
    for (let k = 0; k < names.length; k++) this.cumulative[k + 1] = this.cumulative[k] + weights[k];
  }

  /** No names. */
  static readonly EMPTY = new NameIndex([], new Float64Array(0));

  /**
   * The names in `history` (the text before the cursor) except the one it
   * ends in, which is the word being typed, not a name used before. An
   * occurrence d characters before the start of the cursor's line weighs
   * exp(−d / recencyChars); those on the cursor's line weigh 1. The lines
   * before the cursor's are indexed once and cached: typing along a line
   * asks for the same ones at every keystroke, and a new line only adds the
   * lines since (exponential weights all scale by one factor as the line
   * start moves on, so the old ones need no recount).
   */
  static fromHistory(history: string, recencyChars: number): NameIndex {
    const lineStart = history.lastIndexOf('\n') + 1;
    const before = history.slice(0, lineStart);
    const base = NameIndex.linesBefore(before, recencyChars);
    const line = countNames(history, lineStart, history.length, () => 1);
    return line.size === 0 ? base : base.plus(line);
  }

  /** The index of `before` (whole lines), from the cache, from a cached shorter start of it, or built. */
  private static linesBefore(before: string, recencyChars: number): NameIndex {
    let found: CachedLines | undefined;
    for (const c of LINES_CACHE) {
      if (c.recencyChars !== recencyChars || c.text.length > before.length || before.length - c.text.length > MAX_EXTEND_CHARS) continue;
      // `===` on equal-length strings compares memory at once; startsWith walks character by character.
      if (before.slice(0, c.text.length) === c.text) {
        if (!found || c.text.length > found.text.length) found = c;
      }
    }
    let index: NameIndex;
    if (found && found.text.length === before.length) index = found.index;
    else if (found) {
      // Older occurrences are now farther from the line start by the added text's length.
      const added = before.length - found.text.length;
      const scaled = found.index.scaled(Math.exp(-added / recencyChars));
      const more = countNames(before, found.text.length, before.length, (end) => Math.exp(-(before.length - end) / recencyChars));
      index = more.size === 0 ? scaled : scaled.plus(more);
    } else index = NameIndex.build(countNames(before, 0, before.length, (end) => Math.exp(-(before.length - end) / recencyChars)));
    if (found?.text !== before) {
      LINES_CACHE.push({ text: before, recencyChars, index });
      if (LINES_CACHE.length > LINES_CACHE_ENTRIES) LINES_CACHE.shift();
    }
    return index;
  }

  private scaled(factor: number): NameIndex {
    return new NameIndex(this.names, this.weights.map((w) => w * factor));
  }

  /** An index of names with their weights (the workspace's names, workspaceNames.ts). */
  static build(counts: ReadonlyMap<string, number>): NameIndex {
    const names = [...counts.keys()].sort(compareNames);
    const weights = new Float64Array(names.length);
    for (let k = 0; k < names.length; k++) weights[k] = counts.get(names[k]) as number;
    return new NameIndex(names, weights);
  }

  /** A copy with more occurrences added: one merge of the sorted names with the few new ones, sorted. */
  private plus(more: Map<string, number>): NameIndex {
    const added = [...more.keys()].sort(compareNames);
    const names: string[] = [];
    const weights: number[] = [];
    let i = 0;
    let j = 0;
    while (i < this.names.length || j < added.length) {
      const order = j >= added.length ? -1 : i >= this.names.length ? 1 : compareNames(this.names[i], added[j]);
      if (order < 0) {
        names.push(this.names[i]);
        weights.push(this.weights[i++]);
      } else {
        names.push(added[j]);
        weights.push((order === 0 ? this.weights[i++] : 0) + (more.get(added[j++]) as number));
      }
    }
    return new NameIndex(names, Float64Array.from(weights));
  }

  get size(): number {
    return this.names.length;
  }

  /**
   * Of the names in [lo, hi), which all share their first `depth` characters,
   * the sub-range whose next character is `code`: [lo', hi'), empty when none.
   */
  narrow(lo: number, hi: number, depth: number, code: number): [number, number] {
    // In the range, names are sorted by their character at `depth` (a name that ends there counts as -1, first).
    const at = (k: number) => (this.names[k].length > depth ? this.names[k].charCodeAt(depth) : -1);
    let a = lo;
    let b = hi;
    while (a < b) {
      const m = (a + b) >>> 1;
      if (at(m) < code) a = m + 1;
      else b = m;
    }
    const first = a;
    b = hi;
    while (a < b) {
      const m = (a + b) >>> 1;
      if (at(m) <= code) a = m + 1;
      else b = m;
    }
    return [first, a];
  }

  /** Σ weight of the names in [lo, hi). */
  rangeWeight(lo: number, hi: number): number {
    return this.cumulative[hi] - this.cumulative[lo];
  }

  /**
   * Adds into w [V] the weight of the names in [lo, hi) (which share their
   * first `depth` characters) by their character at `depth`, and returns
   * their sum: the names going on past the prefix. The range is sorted by
   * that character, so each letter's names are one run, summed from
   * `cumulative` and skipped by binary search: O(letters · log range), not
   * O(range), on a large index (the workspace's) after one typed letter.
   */
  addNextLetters(lo: number, hi: number, depth: number, w: Float64Array): number {
    // A name that ends at `depth` sorts first in the range (it is the prefix itself; names are unique).
    let k = lo < hi && this.names[lo].length === depth ? lo + 1 : lo;
    const from = k;
    while (k < hi) {
      const code = this.names[k].charCodeAt(depth);
      let end = k + 1;
      if (end < hi && this.names[end].charCodeAt(depth) === code) {
        // The run of `code` ends at the first name after it with a greater letter.
        let b = hi;
        while (end < b) {
          const m = (end + b) >>> 1;
          if (this.names[m].charCodeAt(depth) <= code) end = m + 1;
          else b = m;
        }
      }
      w[charToId(code)] += this.cumulative[end] - this.cumulative[k];
      k = end;
    }
    return this.cumulative[hi] - this.cumulative[from];
  }
}

/**
 * State slots after the inner state: the document's range start and end, the
 * workspace's range start and end, letters matched (NOT_A_NAME: the word
 * matches no name in either), at these offsets.
 */
const DOC_LO = 0;
const DOC_HI = 1;
const WS_LO = 2;
const WS_HI = 3;
const DEPTH = 4;
const SLOTS = 5;
const NOT_A_NAME = -1;

/**
 * A StepModel for one completion request: the inner model plus the names of
 * the document before the cursor and, when given, the workspace's names
 * (workspaceNames.ts). A state is the inner state followed by the ranges of
 * names in each index that the current word is a prefix of and its length,
 * so beam search forks and copies it like any state. The two indexes stay
 * apart (no merge per request): a keystroke narrows each range by binary
 * search, and `mix` sums their weights letter by letter.
 */
export class WordMemoryModel implements StepModel {
  readonly vocabSize: number;
  readonly stateSize: number;
  private readonly innerSize: number;
  private readonly index: NameIndex;
  private readonly workspace: NameIndex;
  private readonly workspaceMinPrefix: number;
  private readonly workspaceOnlyWithoutDocumentMatch: boolean;
  /** Next-character weights, reused by mix [V]. */
  private readonly scratch: Float64Array;

  constructor(
    private readonly inner: StepModel,
    /** The document before the cursor. */
    private readonly history: string,
    private readonly params: WordMemoryParams = WORD_MEMORY_PARAMS,
    /** Names from other files, each occurrence already weighed (workspaceNames.ts). */
    workspace?: WorkspaceNameIndex,
  ) {
    this.vocabSize = inner.vocabSize;
    this.innerSize = inner.stateSize;
    this.stateSize = inner.stateSize + SLOTS;
    this.index = NameIndex.fromHistory(history, params.recencyChars);
    this.workspace = workspace?.index ?? NameIndex.EMPTY;
    this.workspaceMinPrefix = workspace?.minPrefix ?? Infinity;
    this.workspaceOnlyWithoutDocumentMatch = workspace?.onlyWithoutDocumentMatch ?? false;
    this.scratch = new Float64Array(inner.vocabSize);
  }

  newState(): Float32Array {
    const state = new Float32Array(this.stateSize);
    state.set(this.inner.newState());
    this.atBoundary(state);
    return state;
  }

  /** A search start for this model: `start` (of the inner model, after `history`) with the word `history` ends in, and its names mixed in. */
  extend(start: SearchStart): SearchStart {
    const state = new Float32Array(this.stateSize);
    state.set(start.state);
    this.atBoundary(state);
    let wordStart = this.history.length;
    while (wordStart > 0 && isNameChar(this.history.charCodeAt(wordStart - 1))) wordStart--;
    for (let i = wordStart; i < this.history.length; i++) this.push(state, this.history.charCodeAt(i));
    const logProbs = new Float32Array(start.logProbs);
    this.mix(state, logProbs);
    return { state, logProbs };
  }

  step(state: Float32Array, id: number, logProbs: Float32Array): void {
    this.inner.step(state.subarray(0, this.innerSize), id, logProbs);
    this.push(state, idToChar(id).charCodeAt(0));
    this.mix(state, logProbs);
  }

  stepBatch(states: Float32Array, ids: ArrayLike<number>, n: number, logProbs: Float32Array): void {
    stepInnerBatch(this.inner, this.stateSize, states, ids, n, logProbs, (state, id, lp) => {
      this.push(state, idToChar(id).charCodeAt(0));
      this.mix(state, lp);
    });
  }

  private atBoundary(state: Float32Array): void {
    const S = this.innerSize;
    state[S + DOC_LO] = 0;
    state[S + DOC_HI] = this.index.size;
    state[S + WS_LO] = 0;
    state[S + WS_HI] = this.workspace.size;
    state[S + DEPTH] = 0;
  }

  /** Moves the word slots over one character. */
  private push(state: Float32Array, code: number): void {
    const S = this.innerSize;
    if (!isNameChar(code)) return this.atBoundary(state);
    const depth = state[S + DEPTH];
    if (depth === NOT_A_NAME) return;
    if (depth === 0 && isDigit(code)) {
      state[S + DEPTH] = NOT_A_NAME;
      return;
    }
    // An emptied range stays empty (lo = hi); the word is no name once both are.
    const [lo, hi] = state[S + DOC_LO] < state[S + DOC_HI] ? this.index.narrow(state[S + DOC_LO], state[S + DOC_HI], depth, code) : [0, 0];
    const [wsLo, wsHi] = state[S + WS_LO] < state[S + WS_HI] ? this.workspace.narrow(state[S + WS_LO], state[S + WS_HI], depth, code) : [0, 0];
    if (lo === hi && wsLo === wsHi) {
      state[S + DEPTH] = NOT_A_NAME;
      return;
    }
    state[S + DOC_LO] = lo;
    state[S + DOC_HI] = hi;
    state[S + WS_LO] = wsLo;
    state[S + WS_HI] = wsHi;
    state[S + DEPTH] = depth + 1;
  }

  /** Mixes the names' next letters into log-probabilities [V] in place. */
  private mix(state: Float32Array, logProbs: Float32Array): void {
    const S = this.innerSize;
    const depth = state[S + DEPTH];
    const documentOn = depth >= this.params.minPrefix;
    const workspaceOn = depth >= this.workspaceMinPrefix && !(this.workspaceOnlyWithoutDocumentMatch && state[S + DOC_LO] < state[S + DOC_HI]);
    if (!documentOn && !workspaceOn) return;
    const w = this.scratch;
    w.fill(0);
    // Both ranges share the typed prefix; the names ending at it count in `all` only.
    let all = 0;
    let goingOn = 0;
    if (documentOn) {
      all += this.index.rangeWeight(state[S + DOC_LO], state[S + DOC_HI]);
      goingOn += this.index.addNextLetters(state[S + DOC_LO], state[S + DOC_HI], depth, w);
    }
    if (workspaceOn) {
      all += this.workspace.rangeWeight(state[S + WS_LO], state[S + WS_HI]);
      goingOn += this.workspace.addNextLetters(state[S + WS_LO], state[S + WS_HI], depth, w);
    }
    if (goingOn === 0) return;
    const lambda = goingOn / (all + this.params.pseudoCount);
    const keep = Math.log1p(-lambda);
    for (let v = 0; v < logProbs.length; v++) {
      logProbs[v] = w[v] > 0 ? Math.log((1 - lambda) * Math.exp(logProbs[v]) + (lambda * w[v]) / goingOn) : logProbs[v] + keep;
    }
  }
}
