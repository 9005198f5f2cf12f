/**
 * Whether a newly trained model replaces the working one: only when its
 * bits/char on the held-out files is lower than the working model's on the
 * same files, by at least `minGain` (so rounding noise never swaps). A run
 * that was cancelled never swaps, whatever its figures.
 */

export interface SwapInputs {
  /** The new model's held-out bits/char; null when it could not be scored. */
  candidate: number | null;
  /** The working model's held-out bits/char on the same text; null when there is no working model to beat. */
  baseline: number | null;
  cancelled: boolean;
  /** Smallest improvement in bits/char that counts (default 0.001). */
  minGain?: number;
}

export type SwapDecision = { swap: true; reason: string } | { swap: false; reason: string };

export function decideSwap(inputs: SwapInputs): SwapDecision {
  const minGain = inputs.minGain ?? 0.001;
  if (inputs.cancelled) return { swap: false, reason: 'training was cancelled; the working model is unchanged' };
  if (inputs.candidate === null || !Number.isFinite(inputs.candidate)) {
    return { swap: false, reason: 'the new model could not be scored on held-out text (too little text); the working model is unchanged' };
  }
  if (inputs.baseline === null) return { swap: true, reason: `no working model to compare with; the new model scores ${inputs.candidate.toFixed(3)} bits/char` };
  if (inputs.candidate <= inputs.baseline - minGain) {
    return { swap: true, reason: `held-out bits/char ${inputs.baseline.toFixed(3)} → ${inputs.candidate.toFixed(3)}` };
  }
  return {
    swap: false,
    reason: `the new model is not better on the held-out files (${inputs.candidate.toFixed(3)} bits/char against ${inputs.baseline.toFixed(3)}); the working model is unchanged`,
  };
}
