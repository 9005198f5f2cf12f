import { MATCH_HISTORY_CHARS, MATCH_TAIL, matchNext, mixMatch } from '../completion/documentMatch';
import { StepModel } from '../stepModel';
import { NEWLINE_ID, encode } from '../vocab';
import type { WorkspaceMatchIndex } from '../completion/workspaceMatch';

export interface ScoreOptions {
  /**
   * Mix the document cache into each prediction, as completions see the next
   * character (documentMatch.ts: the longest earlier match in the file, up to
   * MATCH_HISTORY_CHARS back, weighted by its length).
   */
  documentMatch?: boolean;
  /** With documentMatch: where the file matches nothing, the match in these other files (workspaceMatch.ts), as completions do. */
  workspaceMatches?: WorkspaceMatchIndex;
}

/**
 * Bits per character and top-1 accuracy of next-character prediction, with
 * the state reset at each file's start (the first character is predicted
 * from a newline, as the editor does at the top of a file). `onPrediction`
 * sees the log-probabilities (natural log) before each character i. With
 * the document cache, `bits` and `correct` are the mixture's and `modelBits`
 * the model's own (without it the two bits are the same), so one pass
 * gives both.
 */
export function scoreText(
  engine: StepModel,
  text: string,
  onPrediction?: (logProbs: Float32Array, i: number) => void,
  options: ScoreOptions = {},
): { bits: number; modelBits: number; correct: number; chars: number } {
  const ids = encode(text);
  const state = engine.newState();
  const stepped = new Float32Array(engine.vocabSize);
  // With the document cache the prediction is a mixed copy; the model's own stays in `stepped`.
  const logProbs = options.documentMatch ? new Float32Array(engine.vocabSize) : stepped;
  engine.step(state, NEWLINE_ID, stepped);
  let nats = 0;
  let modelNats = 0;
  let correct = 0;
  for (let i = 0; i < ids.length; i++) {
    const y = ids[i];
    if (options.documentMatch) {
      logProbs.set(stepped);
      const tail = text.slice(Math.max(0, i - MATCH_TAIL), i);
      const match = matchNext(text.slice(Math.max(0, i - MATCH_HISTORY_CHARS), i), tail) ?? options.workspaceMatches?.matchNext(tail);
      if (match) mixMatch(logProbs, match);
    }
    onPrediction?.(logProbs, i);
    nats -= logProbs[y];
    modelNats -= stepped[y];
    let best = 0;
    for (let v = 1; v < logProbs.length; v++) if (logProbs[v] > logProbs[best]) best = v;
    if (best === y) correct++;
    if (i + 1 < ids.length) engine.step(state, y, stepped);
  }
  return { bits: nats / Math.LN2, modelBits: modelNats / Math.LN2, correct, chars: ids.length };
}
