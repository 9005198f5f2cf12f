import { BpttWindow } from '../kernels/bpttWindow';
import { Ops } from '../kernels/ops';
import { ParamLayout } from '../params';
import { clipByGlobalNorm } from '../trainer/adam';

/**
 * Dynamic evaluation (Krause et al. 2018): after the model has read a
 * window of the user's text, one gradient step on that window, so that what
 * comes next in the same file or project is predicted with weights that
 * have seen it.
 *
 * The rule is plain SGD with a decay toward the trained weights,
 *   θ ← θ − η·clip(∇L) + λ·(θ₀ − θ),
 * Krause's simplest variant. Why SGD and not a tiny-learning-rate Adam:
 * Adam's per-weight normalisation moves rarely used weights as far as busy
 * ones from the first step and needs two more weight-sized moment arrays;
 * SGD moves each weight by how much this text needs it. The decay keeps a
 * long session from drifting away from what the model was trained on.
 */
export interface DynamicEvalSettings {
  /** Characters per gradient step (the BPTT window). */
  windowChars: number;
  /** η, per step, on the mean loss of a window in nats. */
  learningRate: number;
  /** λ, the pull back toward the trained weights per step (0: none). */
  decay: number;
  /** Gradients with a larger global L2 norm are scaled down to it. */
  maxGradNorm: number;
}

/** Chosen on the validation packages (bench/README.md, "Learning the open file as you type"). */
export const DEFAULT_DYNAMIC_EVAL: DynamicEvalSettings = { windowChars: 50, learningRate: 0.5, decay: 0.001, maxGradNorm: 1 };

export function validateDynamicEvalSettings(s: DynamicEvalSettings): void {
  if (!Number.isInteger(s.windowChars) || s.windowChars < 2 || s.windowChars > 4096) throw new Error(`dynamic evaluation windowChars must be an integer from 2 to 4096, not ${s.windowChars}`);
  if (!(s.learningRate >= 0 && s.learningRate <= 10)) throw new Error(`dynamic evaluation learningRate must be from 0 to 10, not ${s.learningRate}`);
  if (!(s.decay >= 0 && s.decay <= 1)) throw new Error(`dynamic evaluation decay must be from 0 to 1, not ${s.decay}`);
  if (!(s.maxGradNorm > 0)) throw new Error(`dynamic evaluation maxGradNorm must be above 0, not ${s.maxGradNorm}`);
}

/** What adapt() did. */
export interface AdaptResult {
  /** Characters of the chunk used up: the next chunk should start there (the rest waits for more text). */
  consumed: number;
  steps: number;
  /** Summed loss in nats of the consumed characters' predictions, each made before its window's step. */
  lossSum: number;
}

/**
 * Owns the adapted weights and a one-stream training window. The trained
 * weights it starts from are copied, never written.
 */
export class DynamicEvaluator {
  private readonly original: Float32Array;
  private readonly win: BpttWindow;
  private readonly x: Int32Array;
  private readonly y: Int32Array;
  private stepsTaken = 0;

  constructor(
    ops: Ops,
    readonly layout: ParamLayout,
    trained: Float32Array,
    readonly settings: DynamicEvalSettings,
  ) {
    validateDynamicEvalSettings(settings);
    if (trained.length !== layout.total) throw new Error(`dynamic evaluation: expected ${layout.total} weights, got ${trained.length}`);
    this.original = Float32Array.from(trained);
    this.win = new BpttWindow(ops, layout, 1, settings.windowChars, false);
    this.win.paramsView().set(trained);
    this.x = new Int32Array(settings.windowChars);
    this.y = new Int32Array(settings.windowChars);
  }

  /** Steps taken since the start or the last reset. */
  get steps(): number {
    return this.stepsTaken;
  }

  /** A copy of the adapted weights. */
  params(): Float32Array {
    return Float32Array.from(this.win.paramsView());
  }

  /** Starts a new text stream: the carried state goes, the weights stay. */
  newStream(): void {
    this.win.resetState();
  }

  /** Back to the trained weights and a fresh stream. */
  reset(): void {
    this.win.paramsView().set(this.original);
    this.win.resetState();
    this.stepsTaken = 0;
  }

  /**
   * One step per whole window of `ids` (character ids): window k predicts
   * ids[kT+1 .. kT+T] from ids[kT .. kT+T-1], so a chunk of n ids gives
   * ⌊(n−1)/T⌋ steps. The state carries from window to window and to the next
   * call (call newStream() between unrelated texts).
   */
  adapt(ids: ArrayLike<number>, isCancelled: () => boolean = () => false): AdaptResult {
    const T = this.settings.windowChars;
    let at = 0;
    let steps = 0;
    let lossSum = 0;
    while (at + T + 1 <= ids.length && !isCancelled()) {
      for (let t = 0; t < T; t++) {
        this.x[t] = ids[at + t];
        this.y[t] = ids[at + t + 1];
      }
      lossSum += this.win.run(this.x, this.y, { backward: true }).lossSum;
      this.step();
      at += T;
      steps++;
    }
    this.stepsTaken += steps;
    return { consumed: at, steps, lossSum };
  }

  /** θ ← θ − η·clip(g) + λ·(θ₀ − θ) over the flat weights [P]. */
  private step(): void {
    const { learningRate: lr, decay, maxGradNorm } = this.settings;
    const g = this.win.gradsView();
    clipByGlobalNorm(g, maxGradNorm);
    const p = this.win.paramsView();
    const p0 = this.original;
    for (let i = 0; i < p.length; i++) p[i] += -lr * g[i] + decay * (p0[i] - p[i]);
  }
}
