import { BpttWindow, WindowResult } from '../kernels/bpttWindow';
import { Ops } from '../kernels/ops';
import { ParamLayout, makeRng } from '../params';
import { StreamBatches } from './trainingData';

export type Dataset = 'train' | 'val';

export interface RunRequest {
  dataset: Dataset;
  /** Window index within the epoch. */
  window: number;
  backward: boolean;
  dropout: number;
  /** L1 penalty on cell states (training windows only; 0 = off). */
  cellL1?: number;
  seed: number;
}

export interface RowRange {
  b0: number;
  b1: number;
}

/**
 * Runs windows of training or validation streams over a range of batch rows
 * (all of them on one thread, or one worker's share). Training and validation
 * each keep their own carried state.
 */
export class WindowRunner {
  private readonly trainWin: BpttWindow;
  private readonly valWin: BpttWindow | null;
  private readonly x: Int32Array;
  private readonly y: Int32Array;

  constructor(
    ops: Ops,
    readonly layout: ParamLayout,
    private readonly train: StreamBatches,
    private readonly trainRows: RowRange,
    private readonly val: StreamBatches | null,
    private readonly valRows: RowRange | null,
  ) {
    this.trainWin = new BpttWindow(ops, layout, trainRows.b1 - trainRows.b0, train.T, true);
    this.valWin = val && valRows && valRows.b1 > valRows.b0 ? new BpttWindow(ops, layout, valRows.b1 - valRows.b0, val.T, false) : null;
    const n = Math.max(this.trainWin.B * this.trainWin.T, this.valWin ? this.valWin.B * this.valWin.T : 0);
    this.x = new Int32Array(n);
    this.y = new Int32Array(n);
  }

  /** Rows this runner handles for a dataset (0 when it has no share). */
  rows(dataset: Dataset): number {
    return dataset === 'train' ? this.trainWin.B : (this.valWin?.B ?? 0);
  }

  grads(): Float32Array {
    return this.trainWin.gradsView();
  }

  resetState(dataset: Dataset): void {
    if (dataset === 'train') this.trainWin.resetState();
    else this.valWin?.resetState();
  }

  run(params: Float32Array, req: RunRequest): WindowResult {
    const win = req.dataset === 'train' ? this.trainWin : this.valWin;
    if (!win) return { lossSum: 0, count: 0, top1: 0 };
    const batches = req.dataset === 'train' ? this.train : (this.val as StreamBatches);
    const rows = req.dataset === 'train' ? this.trainRows : (this.valRows as RowRange);
    batches.fillRows(req.window, rows.b0, rows.b1, this.x, this.y);
    win.paramsView().set(params);
    // A per-runner seed keeps dropout masks different across workers.
    const rng = req.dropout > 0 ? makeRng(req.seed * 7919 + rows.b0) : undefined;
    return win.run(this.x, this.y, { backward: req.backward, dropout: req.dropout, rng, cellL1: req.cellL1 });
  }
}

/** Splits B rows into `parts` contiguous ranges as evenly as possible. */
export function splitRows(B: number, parts: number): RowRange[] {
  const out: RowRange[] = [];
  for (let i = 0; i < parts; i++) out.push({ b0: Math.floor((i * B) / parts), b1: Math.floor(((i + 1) * B) / parts) });
  return out;
}
