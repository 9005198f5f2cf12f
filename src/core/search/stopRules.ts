import { NEWLINE_ID, UNK_ID, charToId } from '../vocab';

/** When greedy and beam search stop extending a text. */
export interface StopRules {
  /** Most characters the text may have. */
  maxChars: number;
  /** End the text before a newline (completions are one line). */
  stopAtNewline: boolean;
  /** Probability floor: end the text before a character less likely than this. 0 = off. */
  minCharProb: number;
  /** Extra characters that end the text, e.g. ';' or ')'. */
  stopAtChars?: string;
  /**
   * Greedy search only (beam search ignores it): when set above 0, stop once
   * no longer text could be cut to save more keystrokes on average than a
   * prefix already found, or reach this many (the expected-saving cut,
   * completion/expectedSaving.ts, picks the length afterwards, so the
   * characters it would never show are not searched).
   */
  minExpectedSaving?: number;
}

export const DEFAULT_STOP_RULES: Readonly<StopRules> = Object.freeze({
  maxChars: 80,
  stopAtNewline: true,
  minCharProb: 0,
});

/** Stops that a character triggers; the character is not part of the text. */
export type CharStopReason = 'newline' | 'stop-char';

/**
 * Why a text ended: a stop character came next ('newline', 'stop-char'), the
 * next character fell below the probability floor ('floor'), the text
 * reached `maxChars` ('length'), or no longer text could be worth more under
 * the expected-saving cut ('saving-bound').
 */
export type StopReason = CharStopReason | 'floor' | 'length' | 'saving-bound';

/** Fills the rules a caller left out with the defaults. */
export function resolveStopRules(partial: Partial<StopRules> = {}): StopRules {
  return {
    maxChars: partial.maxChars ?? DEFAULT_STOP_RULES.maxChars,
    stopAtNewline: partial.stopAtNewline ?? DEFAULT_STOP_RULES.stopAtNewline,
    minCharProb: partial.minCharProb ?? DEFAULT_STOP_RULES.minCharProb,
    stopAtChars: partial.stopAtChars,
    minExpectedSaving: partial.minExpectedSaving,
  };
}

/** The rules turned into lookups, once per search, so the per-character checks are a table read and a compare. */
export interface CompiledStopRules {
  readonly maxChars: number;
  /** ln(minCharProb): a character whose log-prob is below this ends the text. -Infinity when the floor is off. */
  readonly logFloor: number;
  /** Indexed by char id: why the text ends instead of emitting it, or undefined for an ordinary character. */
  readonly stopBefore: readonly (CharStopReason | undefined)[];
}

export function compileStopRules(rules: StopRules, vocabSize: number): CompiledStopRules {
  if (!Number.isInteger(rules.maxChars) || rules.maxChars < 0) {
    throw new RangeError(`maxChars must be a non-negative integer, got ${rules.maxChars}`);
  }
  if (!(rules.minCharProb >= 0 && rules.minCharProb <= 1)) {
    throw new RangeError(`minCharProb must be in [0, 1], got ${rules.minCharProb}`);
  }
  const stopBefore: (CharStopReason | undefined)[] = new Array(vocabSize).fill(undefined);
  for (const ch of rules.stopAtChars ?? '') {
    const id = charToId(ch.charCodeAt(0));
    // Characters outside the vocabulary map to UNK, which searches never emit anyway.
    if (id !== UNK_ID && id < vocabSize) stopBefore[id] = 'stop-char';
  }
  if (rules.stopAtNewline && NEWLINE_ID < vocabSize) stopBefore[NEWLINE_ID] = 'newline';
  return {
    maxChars: rules.maxChars,
    logFloor: rules.minCharProb > 0 ? Math.log(rules.minCharProb) : -Infinity,
    stopBefore,
  };
}
