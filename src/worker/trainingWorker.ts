import { parentPort, workerData } from 'worker_threads';
import { TrainingEvent, TrainingJobRequest, runTrainingJob } from '../core/workspaceTraining/trainingJob';
import { lowerWorkerThreadPriority } from '../core/workspaceTraining/threadPriority';
import { FromTrainingWorker, ToTrainingWorker } from '../core/workspaceTraining/workerProtocol';

/**
 * The "Train on Workspace" thread: runs one training job off the extension
 * host's event loop and reports progress. Progress is sent at most every
 * 200 ms (the trainer reports every step); everything else at once. The
 * host ends the thread once it has the result.
 */
const controller = new AbortController();
const post = (msg: FromTrainingWorker) => parentPort?.postMessage(msg);
let lastProgress = 0;

parentPort?.on('message', (msg: ToTrainingWorker) => {
  if (msg?.type === 'cancel') controller.abort();
});

const emit = (e: TrainingEvent) => {
  if (e.type === 'progress' && e.progress.phase === 'train') {
    const now = Date.now();
    if (now - lastProgress < 200) return;
    lastProgress = now;
  }
  post(e);
};

const request = workerData as TrainingJobRequest;
if (request.lowPriority) lowerWorkerThreadPriority();

runTrainingJob(request, controller.signal, emit).then(
  (result) => {
    post({ type: 'done', result });
  },
  (err: unknown) => {
    post({ type: 'failed', message: err instanceof Error ? err.message : String(err) });
  },
);
