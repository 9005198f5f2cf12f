/**
 * Area under the ROC curve of scores for a 0/1 label: the chance that a
 * random positive scores above a random negative, ties counting half. 1 is
 * perfect, 0 perfectly reversed, 0.5 chance (also the answer when one class
 * is empty). Sorting both classes (native typed-array sort) and merging them
 * handles ties exactly: O(n log n).
 */
export function auroc(scores: ArrayLike<number>, labels: ArrayLike<number>): number {
  const n = Math.min(scores.length, labels.length);
  let positives = 0;
  for (let i = 0; i < n; i++) if (labels[i] > 0.5) positives++;
  const negatives = n - positives;
  if (positives === 0 || negatives === 0) return 0.5;
  const pos = new Float64Array(positives);
  const neg = new Float64Array(negatives);
  let p = 0;
  let q = 0;
  for (let i = 0; i < n; i++) {
    if (labels[i] > 0.5) pos[p++] = scores[i];
    else neg[q++] = scores[i];
  }
  pos.sort();
  neg.sort();
  // For each positive x (ascending): negatives below x, and up to x inclusive.
  let below = 0;
  let upTo = 0;
  let wins = 0;
  for (let k = 0; k < positives; k++) {
    const x = pos[k];
    while (below < negatives && neg[below] < x) below++;
    if (upTo < below) upTo = below;
    while (upTo < negatives && neg[upTo] <= x) upTo++;
    wins += below + 0.5 * (upTo - below);
  }
  return wins / (positives * negatives);
}
