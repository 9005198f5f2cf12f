import { Engine } from '../engine';
import { Ops } from '../kernels/ops';
import { ParamLayout } from '../params';
import { DynamicEvalSettings, DynamicEvaluator } from './dynamicEvaluator';
import { TypedTextTracker } from './typedTextTracker';

/**
 * Dynamic evaluation on the calling thread, for the typing replay and the
 * CLI: typed text goes to the tracker, whole windows to the evaluator, and
 * the adapted weights into `engine` (one the caller gives up to this: its
 * weights are overwritten). The editor does the same with the steps in a
 * worker (src/host/dynamicEvaluation.ts).
 */
export class LocalDynamicEvaluation {
  readonly evaluator: DynamicEvaluator;
  private readonly tracker: TypedTextTracker;
  /** Summed loss (nats) of the learned characters, each predicted before its window's step, and their count. */
  lossSum = 0;
  learnedChars = 0;

  constructor(
    private readonly engine: Engine,
    ops: Ops,
    layout: ParamLayout,
    trained: Float32Array,
    settings: DynamicEvalSettings,
    /** Told how long each swap of adapted weights into `engine` took (ms): the editor's host thread pays that much. */
    onSwap?: (ms: number) => void,
  ) {
    this.evaluator = new DynamicEvaluator(ops, layout, trained, settings);
    this.tracker = new TypedTextTracker(settings.windowChars, (chunk) => {
      if (chunk.fresh) this.evaluator.newStream();
      const r = this.evaluator.adapt(chunk.ids);
      this.lossSum += r.lossSum;
      this.learnedChars += r.consumed;
      if (r.steps === 0) return;
      const weights = this.evaluator.params();
      const t = performance.now();
      this.engine.loadParams(weights);
      onSwap?.(performance.now() - t);
    });
  }

  typed(docId: string, text: { slice(start: number, end: number): string }, cursor: number): void {
    this.tracker.typed(docId, text, cursor);
  }

  /** Back to the trained weights, in the evaluator and the engine. */
  reset(): void {
    this.tracker.clear();
    this.lossSum = 0;
    this.learnedChars = 0;
    this.evaluator.reset();
    this.engine.loadParams(this.evaluator.params());
  }
}
