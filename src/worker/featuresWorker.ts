import { parentPort, workerData } from 'worker_threads';
import { DictionaryJobEvent, DictionaryJobRequest, runDictionaryJob } from '../core/features/dictionaryJob';
import { FromFeaturesWorker, ToFeaturesWorker } from '../core/features/dictionaryWorkerClient';

/**
 * The feature dictionary thread: runs one dictionary job off the extension
 * host's event loop and reports progress (the trainer reports about every
 * 250 ms). The host ends the thread once it has the result.
 */
const controller = new AbortController();
const post = (msg: FromFeaturesWorker) => parentPort?.postMessage(msg);

parentPort?.on('message', (msg: ToFeaturesWorker) => {
  if (msg?.type === 'cancel') controller.abort();
});

runDictionaryJob(workerData as DictionaryJobRequest, controller.signal, (e: DictionaryJobEvent) => post(e)).then(
  (result) => post({ type: 'done', result }),
  (err: unknown) => post({ type: 'failed', message: err instanceof Error ? err.message : String(err) }),
);
