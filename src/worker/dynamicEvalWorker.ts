import { parentPort, workerData } from 'worker_threads';
import { DynamicEvaluator } from '../core/dynamicEval/dynamicEvaluator';
import { DynamicEvalWorkerInit, DynamicEvalWorkerReply, DynamicEvalWorkerRequest } from '../core/dynamicEval/workerProtocol';
import { createFastestOps } from '../core/kernels/wasmOps';
import { paramLayout } from '../core/params';

/** Dynamic evaluation's thread: gradient steps on typed text, off the extension host's thread. */
const init = workerData as DynamicEvalWorkerInit;
const evaluator = new DynamicEvaluator(createFastestOps(), paramLayout(init.spec), init.params, init.settings);

parentPort?.on('message', (msg: DynamicEvalWorkerRequest) => {
  try {
    if (msg.type === 'reset') evaluator.reset();
    else {
      if (msg.fresh) evaluator.newStream();
      if (evaluator.adapt(msg.ids).steps === 0) return;
    }
    const params = evaluator.params();
    const reply: DynamicEvalWorkerReply = { type: 'params', params, steps: evaluator.steps };
    parentPort?.postMessage(reply, [params.buffer as ArrayBuffer]);
  } catch (err) {
    const reply: DynamicEvalWorkerReply = { type: 'error', message: (err as Error).message };
    parentPort?.postMessage(reply);
  }
});
