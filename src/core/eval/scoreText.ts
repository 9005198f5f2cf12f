import { StepModel } from '../stepModel';
import { NEWLINE_ID, encode } from '../vocab';

/**
 * Bits per character and top-1 accuracy of next-character prediction, with
 * the state reset at each file's start (the first character is predicted
 * from a newline, as the editor does at the top of a file). `onPrediction`
 * sees the log-probabilities (natural log) before each character i.
 */
export function scoreText(engine: StepModel, text: string, onPrediction?: (logProbs: Float32Array, i: number) => void): { bits: number; correct: number; chars: number } {
  const ids = encode(text);
  const state = engine.newState();
  const logProbs = new Float32Array(engine.vocabSize);
  engine.step(state, NEWLINE_ID, logProbs);
  let nats = 0;
  let correct = 0;
  for (let i = 0; i < ids.length; i++) {
    const y = ids[i];
    onPrediction?.(logProbs, i);
    nats -= logProbs[y];
    let best = 0;
    for (let v = 1; v < logProbs.length; v++) if (logProbs[v] > logProbs[best]) best = v;
    if (best === y) correct++;
    if (i + 1 < ids.length) engine.step(state, y, logProbs);
  }
  return { bits: nats / Math.LN2, correct, chars: ids.length };
}
