import { parentPort, workerData } from 'worker_threads';
import { compareCellTypes } from '../core/compare/compareCells';
import { compareJson, compareReportText } from '../core/compare/compareReport';
import { CompareRequest, FromCompareWorker, ToCompareWorker } from '../core/compare/compareWorkerProtocol';

/**
 * The "Compare Cell Types" thread: trains and measures the three cell types
 * off the extension host's event loop and sends back the report.
 */
const controller = new AbortController();
const post = (msg: FromCompareWorker) => parentPort?.postMessage(msg);

parentPort?.on('message', (msg: ToCompareWorker) => {
  if (msg?.type === 'cancel') controller.abort();
});

const req = workerData as CompareRequest;
compareCellTypes(req.sources, { ...req.options, signal: controller.signal, onProgress: (message) => post({ type: 'progress', message }) }).then(
  (result) => post({ type: 'done', text: compareReportText(result), json: compareJson(result) }),
  (err: unknown) => post({ type: 'failed', message: err instanceof Error ? err.message : String(err) }),
);
