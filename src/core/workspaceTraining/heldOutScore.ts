import { Ops } from '../kernels/ops';
import { ParamLayout } from '../params';
import { StreamBatches, fitBatchShape } from '../trainer/trainingData';
import { WindowRunner } from '../trainer/windowRunner';

export interface HeldOutScore {
  bitsPerChar: number;
  top1: number;
  /** Characters predicted. */
  chars: number;
}

/**
 * Bits per character of a model on held-out text, read the way the trainer
 * validates (B streams, carried state, windows of T) so two models scored on
 * the same bytes with the same B, T and budget are compared fairly. Reads at
 * most `maxChars` characters. Null when the text is too short to score.
 * `betweenWindows` is awaited before each window: idle retraining pauses
 * there while the user types, as it does between training steps.
 */
export async function scoreHeldOut(
  ops: Ops,
  layout: ParamLayout,
  params: Float32Array,
  text: Uint8Array,
  shape: { B: number; T: number; maxChars: number },
  betweenWindows?: () => Promise<unknown>,
): Promise<HeldOutScore | null> {
  if (text.length < 3) return null;
  const { B, T } = fitBatchShape(text.length, shape.B, shape.T);
  const batches = new StreamBatches(text, B, T);
  if (batches.windows < 1) return null;
  const runner = new WindowRunner(ops, layout, batches, { b0: 0, b1: B }, batches, { b0: 0, b1: B });
  runner.resetState('val');
  const windows = Math.max(1, Math.min(batches.windows, Math.ceil(shape.maxChars / (B * T))));
  let loss = 0;
  let count = 0;
  let top1 = 0;
  for (let w = 0; w < windows; w++) {
    if (betweenWindows) await betweenWindows();
    const r = runner.run(params, { dataset: 'val', window: w, backward: false, dropout: 0, seed: 0 });
    loss += r.lossSum;
    count += r.count;
    top1 += r.top1;
  }
  return count > 0 ? { bitsPerChar: loss / count / Math.LN2, top1: top1 / count, chars: count } : null;
}
