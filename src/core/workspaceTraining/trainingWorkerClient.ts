import * as fs from 'fs';
import * as path from 'path';
import { Worker } from 'worker_threads';
import { TrainingEvent, TrainingJobRequest, TrainingJobResult } from './trainingJob';
import { FromTrainingWorker, ToTrainingWorker, isFromTrainingWorker } from './workerProtocol';

/** The worker script beside this bundle (dist/) or in the tsc output tree (out/src/worker/). */
export function trainingWorkerPath(): string {
  const candidates = [path.join(__dirname, 'trainingWorker.js'), path.join(__dirname, '..', '..', 'worker', 'trainingWorker.js')];
  const found = candidates.find((p) => fs.existsSync(p));
  if (!found) throw new Error(`training worker script not found (looked in ${candidates.join(', ')})`);
  return found;
}

/** How long a cancelled worker may take to stop on its own before it is terminated. */
const CANCEL_GRACE_MS = 15_000;

/**
 * Runs a training job in a worker thread. Aborting `signal` asks the worker
 * to stop after its current step (the job then reports a cancelled result);
 * if it does not stop within a grace period it is terminated. A worker that
 * throws, crashes or exits without a result rejects the promise with a
 * message saying so. The worker is always ended before the promise settles.
 */
export function runTrainingInWorker(
  req: TrainingJobRequest,
  signal: AbortSignal,
  onEvent: (e: TrainingEvent) => void,
  opts: { script?: string; /** Ends the thread at once (the editor is closing). */ kill?: AbortSignal } = {},
): Promise<TrainingJobResult> {
  const script = opts.script ?? trainingWorkerPath();
  // The editor closed before the run got here (while the corpus was read or
  // the user confirmed): an 'abort' listener would never fire for a signal
  // already aborted, so a worker started now would outlive the extension.
  if (opts.kill?.aborted) return Promise.reject(new Error('training was stopped: the extension is shutting down'));
  return new Promise((resolve, reject) => {
    const worker = new Worker(script, { workerData: req });
    let settled = false;
    let killTimer: NodeJS.Timeout | undefined;
    const finish = (outcome: { result: TrainingJobResult } | { error: Error }) => {
      if (settled) return;
      settled = true;
      signal.removeEventListener('abort', onAbort);
      opts.kill?.removeEventListener('abort', onKill);
      if (killTimer) clearTimeout(killTimer);
      void worker.terminate().finally(() => ('result' in outcome ? resolve(outcome.result) : reject(outcome.error)));
    };
    const onAbort = () => {
      worker.postMessage({ type: 'cancel' } satisfies ToTrainingWorker);
      killTimer = setTimeout(() => finish({ error: new Error('training did not stop when cancelled; its thread was ended') }), CANCEL_GRACE_MS);
    };
    const onKill = () => finish({ error: new Error('training was stopped: its thread was ended') });
    opts.kill?.addEventListener('abort', onKill, { once: true });
    if (signal.aborted) onAbort();
    else signal.addEventListener('abort', onAbort, { once: true });

    worker.on('message', (msg: unknown) => {
      if (!isFromTrainingWorker(msg)) return;
      const m = msg as FromTrainingWorker;
      if (m.type === 'done') finish({ result: m.result });
      else if (m.type === 'failed') finish({ error: new Error(`training failed: ${m.message}`) });
      else if (!settled) onEvent(m);
    });
    worker.on('error', (err) => finish({ error: new Error(`training thread crashed: ${err.message}`) }));
    worker.on('exit', (code) => finish({ error: new Error(`training thread stopped unexpectedly (exit code ${code})`) }));
  });
}
