import { SearchStart, StepModel } from '../stepModel';
import { stepInnerBatch } from './stepInnerBatch';
import { UNK_ID, charToId, idToChar } from '../vocab';
import type { WorkspaceMatchIndex } from './workspaceMatch';

/**
 * A document cache for completion: code repeats its own names and lines, and
 * a small model forgets what it read a few hundred characters back. When the
 * last characters also occur earlier in the document, the character that
 * followed them then gets extra probability. It is the classic cache
 * language model (Kuhn & De Mori), in the form of a longest-match predictor
 * as compressors use it, mixed into the model's next-character distribution:
 *   P(c) = (1 − w) · P_model(c) + w · [c = the character after the match]
 * with the weight w set by how long the match is.
 */

/**
 * Match lengths tried, longest first, and the weight the match gets at each.
 * Chosen on the training corpus's validation files (never on held-out code;
 * models/default/MODEL_CARD.md): heavier weights make long, sure-looking
 * suggestions that copy a line which then differs, and are taken less often.
 */
export const MATCH_WEIGHTS: readonly { length: number; weight: number }[] = Object.freeze([
  { length: 16, weight: 0.6 },
  { length: 12, weight: 0.4 },
  { length: 8, weight: 0.2 },
]);

/** The longest match length: how many recent characters a state keeps. */
export const MATCH_TAIL = MATCH_WEIGHTS[0].length;

/** How far back in the document a match is looked for (each step scans it backwards, once per match length tried). */
export const MATCH_HISTORY_CHARS = 20_000;

/** A tail slot that holds no character yet (the start of a document) or one outside the vocabulary. */
const NO_CHAR = -1;

export interface MatchPrediction {
  /** Vocabulary id of the character that followed the match. */
  id: number;
  weight: number;
}

/**
 * What the latest earlier occurrence in `history` of the end of `tail` was
 * followed by, trying the lengths of MATCH_WEIGHTS longest first; null when
 * none occurs. `tail` is the recent text, ending at the character just read;
 * an occurrence counts only when the character after it is in `history`.
 */
export function matchNext(history: string, tail: string): MatchPrediction | null {
  // Most steps match nothing: one scan for the shortest length settles that before the longer ones are tried.
  const shortest = MATCH_WEIGHTS[MATCH_WEIGHTS.length - 1].length;
  const shortestAt = occurrence(history, tail, shortest);
  if (shortestAt < 0) return null;
  for (const { length, weight } of MATCH_WEIGHTS) {
    const at = length === shortest ? shortestAt : occurrence(history, tail, length);
    if (at < 0) continue;
    const id = charToId(history.charCodeAt(at + length));
    if (id === UNK_ID) continue;
    return { id, weight };
  }
  return null;
}

/** Start of the latest occurrence in `history` of the last `length` characters of `tail` that has a character after it; -1 if none. */
function occurrence(history: string, tail: string, length: number): number {
  if (tail.length < length || history.length <= length) return -1;
  return history.lastIndexOf(tail.slice(tail.length - length), history.length - length - 1);
}

/** Mixes a match into log-probabilities [V] in place: each gets (1 − w), the predicted one w on top. */
export function mixMatch(logProbs: Float32Array, match: MatchPrediction): void {
  const keep = Math.log1p(-match.weight);
  const predicted = Math.exp(logProbs[match.id]);
  for (let v = 0; v < logProbs.length; v++) logProbs[v] += keep;
  logProbs[match.id] = Math.log((1 - match.weight) * predicted + match.weight);
}

/**
 * A StepModel for one completion request: the inner model plus the document
 * before the cursor. A state is the inner state followed by the ids of the
 * last MATCH_TAIL characters read (NO_CHAR where there are none), so beam
 * search forks and copies it like any state. Each step reads the inner
 * model's distribution and mixes in the match of the tail in `history`, or,
 * where `history` has none, in the workspace's other files (workspaceMatch.ts).
 */
export class DocumentMatchModel implements StepModel {
  readonly vocabSize: number;
  readonly stateSize: number;
  private readonly innerSize: number;

  constructor(
    private readonly inner: StepModel,
    /** The document before the cursor (at most MATCH_HISTORY_CHARS of it is needed). */
    private readonly history: string,
    /** The workspace's other files, matched where the document matches nothing. */
    private readonly workspace?: WorkspaceMatchIndex,
  ) {
    this.vocabSize = inner.vocabSize;
    this.innerSize = inner.stateSize;
    this.stateSize = inner.stateSize + MATCH_TAIL;
  }

  newState(): Float32Array {
    const state = new Float32Array(this.stateSize);
    state.set(this.inner.newState());
    state.fill(NO_CHAR, this.innerSize);
    return state;
  }

  /** A search start for this model: `start` (of the inner model, after `history`) with the tail of `history` and the match mixed in. */
  extend(start: SearchStart): SearchStart {
    const state = new Float32Array(this.stateSize);
    state.set(start.state);
    state.fill(NO_CHAR, this.innerSize);
    const recent = this.history.slice(-MATCH_TAIL);
    for (let i = 0; i < recent.length; i++) this.push(state, charToId(recent.charCodeAt(i)));
    const logProbs = new Float32Array(start.logProbs);
    this.mix(state, logProbs);
    return { state, logProbs };
  }

  step(state: Float32Array, id: number, logProbs: Float32Array): void {
    this.inner.step(state.subarray(0, this.innerSize), id, logProbs);
    this.push(state, id);
    this.mix(state, logProbs);
  }

  stepBatch(states: Float32Array, ids: ArrayLike<number>, n: number, logProbs: Float32Array): void {
    stepInnerBatch(this.inner, this.stateSize, states, ids, n, logProbs, (state, id, lp) => {
      this.push(state, id);
      this.mix(state, lp);
    });
  }


  /** Shifts id into the tail (the last MATCH_TAIL slots of the state). */
  private push(state: Float32Array, id: number): void {
    state.copyWithin(this.innerSize, this.innerSize + 1);
    state[this.stateSize - 1] = id === UNK_ID ? NO_CHAR : id;
  }

  private mix(state: Float32Array, logProbs: Float32Array): void {
    let tail = '';
    // Only the tail after the last NO_CHAR can match (a gap matches nothing).
    for (let k = this.innerSize; k < this.stateSize; k++) tail = state[k] === NO_CHAR ? '' : tail + idToChar(state[k]);
    const match = matchNext(this.history, tail) ?? this.workspace?.matchNext(tail);
    if (match) mixMatch(logProbs, match);
  }
}
