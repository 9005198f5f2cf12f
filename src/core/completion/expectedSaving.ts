/**
 * Where to cut a suggestion so that it saves the most typing on average.
 *
 * A suggestion of L characters is taken with one keystroke (Tab) only when
 * every one of its characters is right, so showing its first L characters
 * saves L − 1 keystrokes with probability P(first L right) and nothing
 * otherwise. Under the model that probability is the product of the
 * characters' probabilities along the search path, and the expected saving
 * is
 *
 *   E(L) = exp(Σ_{i<L} ln p_i) · (L − 1).
 *
 * A long, confident line keeps its length; a line that turns uncertain half
 * way is cut before the doubt, where a per-character floor would either cut
 * too early (one unsure character before a sure run) or too late (many
 * fairly sure characters whose product is small). In the typing replay
 * (`lstm-lens eval --keystrokes`) this cut saves more keystrokes than any
 * floor did; the model card has the figures.
 */

export interface ExpectedSavingCut {
  /** Characters to show: 0 when no cut reaches the minimum. */
  length: number;
  /** E(length), in keystrokes. */
  expected: number;
}

/**
 * The prefix length L, `minLength` ≤ L ≤ `maxLength`, with the largest E(L),
 * or length 0 when that largest E is below `minExpected` (nothing worth
 * showing). Ties keep the shorter prefix. `charLogProbs[i]` is ln P of
 * character i given the ones before it. `minLength` lets a caller rule out
 * cuts it could not show (only the indentation of a line).
 */
export function cutAtExpectedSaving(charLogProbs: ArrayLike<number>, maxLength: number, minExpected: number, minLength = 1): ExpectedSavingCut {
  const n = Math.min(maxLength, charLogProbs.length);
  let logP = 0;
  let best: ExpectedSavingCut = { length: 0, expected: 0 };
  for (let L = 1; L <= n; L++) {
    logP += charLogProbs[L - 1];
    const expected = Math.exp(logP) * (L - 1);
    if (L >= minLength && expected > best.expected) best = { length: L, expected };
    // E(L') ≤ P(first L right)·(n − 1) for every longer L': stop once that cannot win.
    if (Math.exp(logP) * (n - 1) <= best.expected) break;
  }
  return best.expected >= minExpected && best.length > 0 ? best : { length: 0, expected: best.expected };
}
