import * as fs from 'fs';
import * as path from 'path';
import { Worker } from 'worker_threads';
import { WindowResult } from '../kernels/bpttWindow';
import { Ops } from '../kernels/ops';
import { ModelSpec } from '../modelSpec';
import { ParamLayout, paramLayout } from '../params';
import { StreamBatches } from './trainingData';
import { Dataset, RowRange, RunRequest, WindowRunner, splitRows } from './windowRunner';

/**
 * Where the trainer gets a batch's loss and mean gradient from: one thread,
 * or several (data parallel: each thread runs its share of the batch's rows
 * on its own copy of the weights; the gradients are averaged, weighted by
 * rows). Either way, the same numbers come out up to float rounding.
 */
export interface GradientSource {
  readonly threads: number;
  /** Mean gradient over the batch after a run with backward = true. */
  grads(): Float32Array;
  run(params: Float32Array, req: RunRequest): Promise<WindowResult>;
  resetState(dataset: Dataset): Promise<void>;
  dispose(): Promise<void>;
}

export interface SourceData {
  train: Uint8Array;
  val: Uint8Array;
  B: number;
  T: number;
  valB: number;
  valT: number;
}

export class LocalGradientSource implements GradientSource {
  readonly threads = 1;
  private readonly runner: WindowRunner;

  constructor(ops: Ops, layout: ParamLayout, data: SourceData) {
    const train = new StreamBatches(data.train, data.B, data.T);
    const val = data.valB > 0 ? new StreamBatches(data.val, data.valB, data.valT) : null;
    this.runner = new WindowRunner(ops, layout, train, { b0: 0, b1: data.B }, val, val ? { b0: 0, b1: data.valB } : null);
  }
  grads(): Float32Array {
    return this.runner.grads();
  }
  async run(params: Float32Array, req: RunRequest): Promise<WindowResult> {
    return this.runner.run(params, req);
  }
  async resetState(dataset: Dataset): Promise<void> {
    this.runner.resetState(dataset);
  }
  async dispose(): Promise<void> {}
}

/** What a gradient worker is told at start. */
export interface WorkerInit {
  spec: ModelSpec;
  train: SharedArrayBuffer;
  val: SharedArrayBuffer;
  B: number;
  T: number;
  valB: number;
  valT: number;
  trainRows: RowRange;
  valRows: RowRange;
  params: SharedArrayBuffer;
  grads: SharedArrayBuffer;
}

export type WorkerRequest = { type: 'run'; req: RunRequest } | { type: 'reset'; dataset: Dataset };
export type WorkerReply = { ok: true; result?: WindowResult } | { ok: false; error: string };

function toShared(data: Uint8Array): SharedArrayBuffer {
  const sab = new SharedArrayBuffer(Math.max(1, data.length));
  new Uint8Array(sab).set(data);
  return sab;
}

/** The worker script beside this bundle (dist/) or in the tsc output tree (out/src/worker/). */
export function gradientWorkerPath(): string {
  const candidates = [path.join(__dirname, 'gradientWorker.js'), path.join(__dirname, '..', '..', 'worker', 'gradientWorker.js')];
  const found = candidates.find((p) => fs.existsSync(p));
  if (!found) throw new Error(`training worker script not found (looked in ${candidates.join(', ')})`);
  return found;
}

/**
 * Data-parallel gradients on `threads` threads: this thread takes the first
 * share of rows, workers the rest. Weights travel through one
 * SharedArrayBuffer, each worker's gradient through its own.
 */
export class ParallelGradientSource implements GradientSource {
  private readonly local: WindowRunner;
  private readonly workers: Worker[] = [];
  private readonly workerGrads: Float32Array[] = [];
  private readonly shared: Float32Array;
  private readonly mean: Float32Array;
  private readonly trainRows: RowRange[];
  private readonly valRows: RowRange[];
  private pending = new Map<Worker, { resolve: (r: WorkerReply) => void }>();
  private failure: Error | null = null;

  constructor(
    ops: Ops,
    private readonly layout: ParamLayout,
    private readonly data: SourceData,
    readonly threads: number,
  ) {
    const P = layout.total;
    this.trainRows = splitRows(data.B, threads);
    this.valRows = splitRows(data.valB, threads);
    const train = new StreamBatches(data.train, data.B, data.T);
    const val = data.valB > 0 ? new StreamBatches(data.val, data.valB, data.valT) : null;
    this.local = new WindowRunner(ops, layout, train, this.trainRows[0], val, val ? this.valRows[0] : null);
    const paramsSab = new SharedArrayBuffer(P * 4);
    this.shared = new Float32Array(paramsSab);
    this.mean = new Float32Array(P);
    const trainSab = toShared(data.train);
    const valSab = toShared(data.val);
    const script = gradientWorkerPath();
    for (let i = 1; i < threads; i++) {
      const grads = new SharedArrayBuffer(P * 4);
      this.workerGrads.push(new Float32Array(grads));
      const init: WorkerInit = {
        spec: layout.spec,
        train: trainSab,
        val: valSab,
        B: data.B,
        T: data.T,
        valB: data.valB,
        valT: data.valT,
        trainRows: this.trainRows[i],
        valRows: this.valRows[i],
        params: paramsSab,
        grads,
      };
      const w = new Worker(script, { workerData: init });
      w.on('message', (reply: WorkerReply) => {
        const p = this.pending.get(w);
        this.pending.delete(w);
        p?.resolve(reply);
      });
      w.on('error', (err) => this.fail(w, err));
      w.on('exit', (code) => {
        if (this.pending.has(w)) this.fail(w, new Error(`training worker exited with code ${code}`));
      });
      this.workers.push(w);
    }
  }

  private fail(w: Worker, err: Error): void {
    this.failure = err;
    const p = this.pending.get(w);
    this.pending.delete(w);
    p?.resolve({ ok: false, error: err.message });
  }

  private ask(w: Worker, msg: WorkerRequest): Promise<WorkerReply> {
    if (this.failure) return Promise.resolve({ ok: false, error: this.failure.message });
    return new Promise((resolve) => {
      this.pending.set(w, { resolve });
      w.postMessage(msg);
    });
  }

  grads(): Float32Array {
    return this.mean;
  }

  async run(params: Float32Array, req: RunRequest): Promise<WindowResult> {
    this.shared.set(params);
    const replies = this.workers.map((w) => this.ask(w, { type: 'run', req }));
    const mine = this.local.run(params, req);
    const results = await Promise.all(replies);
    const total: WindowResult = { ...mine };
    for (const r of results) {
      if (!r.ok) throw new Error(`training worker failed: ${r.error}`);
      if (r.result) {
        total.lossSum += r.result.lossSum;
        total.count += r.result.count;
        total.top1 += r.result.top1;
      }
    }
    if (req.backward) {
      // Each share's gradient is a mean over its own rows: weight by rows.
      const B = this.data.B;
      const g0 = this.local.grads();
      const w0 = this.local.rows('train') / B;
      const mean = this.mean;
      for (let i = 0; i < mean.length; i++) mean[i] = g0[i] * w0;
      this.workerGrads.forEach((g, k) => {
        const wk = (this.trainRows[k + 1].b1 - this.trainRows[k + 1].b0) / B;
        for (let i = 0; i < mean.length; i++) mean[i] += g[i] * wk;
      });
    }
    return total;
  }

  async resetState(dataset: Dataset): Promise<void> {
    const replies = this.workers.map((w) => this.ask(w, { type: 'reset', dataset }));
    this.local.resetState(dataset);
    for (const r of await Promise.all(replies)) if (!r.ok) throw new Error(`training worker failed: ${r.error}`);
  }

  async dispose(): Promise<void> {
    await Promise.all(this.workers.map((w) => w.terminate()));
  }
}

/** Worker side: the runner for this worker's rows. */
export function workerRunner(init: WorkerInit, ops: Ops): { runner: WindowRunner; params: Float32Array; grads: Float32Array } {
  const layout = paramLayout(init.spec);
  const train = new StreamBatches(new Uint8Array(init.train), init.B, init.T);
  const val = init.valB > 0 ? new StreamBatches(new Uint8Array(init.val), init.valB, init.valT) : null;
  const runner = new WindowRunner(ops, layout, train, init.trainRows, val, val ? init.valRows : null);
  return { runner, params: new Float32Array(init.params), grads: new Float32Array(init.grads) };
}
