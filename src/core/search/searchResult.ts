import { StopReason } from './stopRules';

/** What greedy and beam search return. */
export interface SearchResult {
  /** The generated text, without the stop character that ended it. */
  text: string;
  /** `text` as vocabulary ids. */
  ids: number[];
  /** Natural log of the text's probability given the prefix: the sum of its characters' log-probs (the stop character excluded). */
  logProb: number;
  /** ln P of each character of `text` given what came before it (their sum is `logProb`). */
  charLogProbs: number[];
  stop: StopReason;
}
