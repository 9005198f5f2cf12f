import * as fs from 'fs';
import * as path from 'path';
import { Worker } from 'worker_threads';
import { CompareRequest, FromCompareWorker, ToCompareWorker, isFromCompareWorker } from './compareWorkerProtocol';

/** The worker script beside this bundle (dist/) or in the tsc output tree (out/src/worker/). */
export function compareWorkerPath(): string {
  const candidates = [path.join(__dirname, 'compareWorker.js'), path.join(__dirname, '..', '..', 'worker', 'compareWorker.js')];
  const found = candidates.find((p) => fs.existsSync(p));
  if (!found) throw new Error(`compare worker script not found (looked in ${candidates.join(', ')})`);
  return found;
}

export interface CompareReport {
  text: string;
  json: Record<string, unknown>;
}

/**
 * Runs the comparison in a worker thread. Aborting `signal` asks it to stop
 * (the cell types done so far are reported); the worker is always ended
 * before the promise settles, and a crash rejects with a message saying so.
 */
export function runCompareInWorker(req: CompareRequest, signal: AbortSignal, onProgress: (message: string) => void, script = compareWorkerPath()): Promise<CompareReport> {
  return new Promise((resolve, reject) => {
    const worker = new Worker(script, { workerData: req });
    let settled = false;
    const finish = (outcome: { report: CompareReport } | { error: Error }) => {
      if (settled) return;
      settled = true;
      signal.removeEventListener('abort', onAbort);
      void worker.terminate().finally(() => ('report' in outcome ? resolve(outcome.report) : reject(outcome.error)));
    };
    const onAbort = () => worker.postMessage({ type: 'cancel' } satisfies ToCompareWorker);
    if (signal.aborted) onAbort();
    else signal.addEventListener('abort', onAbort, { once: true });
    worker.on('message', (msg: unknown) => {
      if (!isFromCompareWorker(msg)) return;
      const m = msg as FromCompareWorker;
      if (m.type === 'done') finish({ report: { text: m.text, json: m.json } });
      else if (m.type === 'failed') finish({ error: new Error(m.message) });
      else if (!settled) onProgress(m.message);
    });
    worker.on('error', (err) => finish({ error: new Error(`compare thread crashed: ${err.message}`) }));
    worker.on('exit', (code) => finish({ error: new Error(`compare thread stopped unexpectedly (exit code ${code})`) }));
  });
}
