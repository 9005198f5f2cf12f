import { SearchStart, StepModel } from '../stepModel';
import { SPACE_ID, TAB_ID, UNK_ID, decode } from '../vocab';
import { SearchResult } from './searchResult';
import { StopReason, StopRules, compileStopRules } from './stopRules';

/**
 * Extends the prefix with the most likely character at each step.
 *
 * UNK is never chosen (it would insert a replacement character): the best
 * other character is taken instead. Ties go to the lowest id. If the chosen
 * character is below the probability floor the text ends there ('floor');
 * the floor is checked before the stop characters, so an unlikely newline
 * reads as 'floor'. Beam search with width 1 makes exactly these choices
 * (except for `minExpectedSaving`, which only greedy search reads: it ends
 * the text by 'saving-bound' once P(text so far) × (maxChars − 1), the most
 * any longer prefix could save, is no more than the best saving of a prefix
 * so far or than the minimum).
 */
export function greedySearch(model: StepModel, start: SearchStart, rules: StopRules): SearchResult {
  const { maxChars, logFloor, stopBefore } = compileStopRules(rules, model.vocabSize);
  // Own copies: the caller's start is reused for other searches.
  const state = new Float32Array(start.state);
  const logProbs = new Float32Array(start.logProbs);
  const ids: number[] = [];
  const charLogProbs: number[] = [];
  let logProb = 0;
  let stop: StopReason = 'length';
  const minSaving = rules.minExpectedSaving ?? 0;
  let bestSaving = 0;
  // The cut never ends inside leading whitespace (completeAt), so such prefixes do not count as found.
  let seenVisible = false;

  while (ids.length < maxChars) {
    const id = mostLikelyKnownChar(logProbs, model.vocabSize);
    if (id < 0 || logProbs[id] < logFloor) {
      stop = 'floor';
      break;
    }
    const stopReason = stopBefore[id];
    if (stopReason) {
      stop = stopReason;
      break;
    }
    ids.push(id);
    charLogProbs.push(logProbs[id]);
    logProb += logProbs[id];
    if (minSaving > 0) {
      const p = Math.exp(logProb);
      seenVisible ||= id !== SPACE_ID && id !== TAB_ID;
      if (seenVisible) bestSaving = Math.max(bestSaving, p * (ids.length - 1));
      if (ids.length < maxChars && p * (maxChars - 1) <= Math.max(bestSaving, minSaving)) {
        stop = 'saving-bound';
        break;
      }
    }
    // The distribution after the last allowed character would never be read.
    if (ids.length < maxChars) model.step(state, id, logProbs);
  }
  return { text: decode(ids), ids, logProb, charLogProbs, stop };
}

/** Argmax over every id but UNK, lowest id on ties; -1 if no character has a finite log-prob. */
function mostLikelyKnownChar(logProbs: Float32Array, vocabSize: number): number {
  let best = -1;
  let bestLogProb = -Infinity;
  for (let id = 0; id < vocabSize; id++) {
    if (id === UNK_ID) continue;
    if (logProbs[id] > bestLogProb) {
      best = id;
      bestLogProb = logProbs[id];
    }
  }
  return best;
}
