import * as fs from 'fs';
import * as path from 'path';
import { Worker } from 'worker_threads';
import { DictionaryJobEvent, DictionaryJobRequest, DictionaryJobResult } from './dictionaryJob';

/** Host → features worker. */
export type ToFeaturesWorker = { type: 'cancel' };

/** Features worker → host. */
export type FromFeaturesWorker = DictionaryJobEvent | { type: 'done'; result: DictionaryJobResult } | { type: 'failed'; message: string };

/** Shallow shape check of a message from the worker (a worker bug must not crash the host). */
export function isFromFeaturesWorker(msg: unknown): msg is FromFeaturesWorker {
  if (typeof msg !== 'object' || msg === null) return false;
  const type = (msg as { type?: unknown }).type;
  return type === 'status' || type === 'progress' || type === 'done' || type === 'failed';
}

/** The worker script beside this bundle (dist/) or in the tsc output tree (out/src/worker/). */
export function featuresWorkerPath(): string {
  const candidates = [path.join(__dirname, 'featuresWorker.js'), path.join(__dirname, '..', '..', 'worker', 'featuresWorker.js')];
  const found = candidates.find((p) => fs.existsSync(p));
  if (!found) throw new Error(`features worker script not found (looked in ${candidates.join(', ')})`);
  return found;
}

/** How long a cancelled worker may take to stop on its own before it is terminated. */
const CANCEL_GRACE_MS = 10_000;

/**
 * Runs a dictionary job in a worker thread, as the training worker does
 * (see trainingWorkerClient): aborting `signal` asks the worker to stop
 * (the job then reports a cancelled result and writes nothing); one that
 * does not stop within a grace period is terminated. A worker that fails,
 * crashes or exits without a result rejects with a message saying so.
 */
export function runDictionaryInWorker(req: DictionaryJobRequest, signal: AbortSignal, onEvent: (e: DictionaryJobEvent) => void, opts: { script?: string } = {}): Promise<DictionaryJobResult> {
  const script = opts.script ?? featuresWorkerPath();
  return new Promise((resolve, reject) => {
    const worker = new Worker(script, { workerData: req });
    let settled = false;
    let killTimer: NodeJS.Timeout | undefined;
    const finish = (outcome: { result: DictionaryJobResult } | { error: Error }) => {
      if (settled) return;
      settled = true;
      signal.removeEventListener('abort', onAbort);
      if (killTimer) clearTimeout(killTimer);
      void worker.terminate().finally(() => ('result' in outcome ? resolve(outcome.result) : reject(outcome.error)));
    };
    const onAbort = () => {
      worker.postMessage({ type: 'cancel' } satisfies ToFeaturesWorker);
      killTimer = setTimeout(() => finish({ error: new Error('the dictionary run did not stop when cancelled; its thread was ended') }), CANCEL_GRACE_MS);
    };
    if (signal.aborted) onAbort();
    else signal.addEventListener('abort', onAbort, { once: true });
    worker.on('message', (msg: unknown) => {
      if (!isFromFeaturesWorker(msg)) return;
      if (msg.type === 'done') finish({ result: msg.result });
      else if (msg.type === 'failed') finish({ error: new Error(`the dictionary run failed: ${msg.message}`) });
      else if (!settled) onEvent(msg);
    });
    worker.on('error', (err) => finish({ error: new Error(`the dictionary thread crashed: ${err.message}`) }));
    worker.on('exit', (code) => finish({ error: new Error(`the dictionary thread stopped unexpectedly (exit code ${code})`) }));
  });
}
