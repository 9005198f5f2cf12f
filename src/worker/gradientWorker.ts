import { parentPort, workerData } from 'worker_threads';
import { createFastestOps } from '../core/kernels/wasmOps';
import { WorkerInit, WorkerReply, WorkerRequest, workerRunner } from '../core/trainer/gradientSource';

/** A training thread: runs its share of each batch and hands back its gradient. */
const { runner, params, grads } = workerRunner(workerData as WorkerInit, createFastestOps());

parentPort?.on('message', (msg: WorkerRequest) => {
  let reply: WorkerReply;
  try {
    if (msg.type === 'run') {
      const result = runner.run(params, msg.req);
      if (msg.req.backward) grads.set(runner.grads());
      reply = { ok: true, result };
    } else {
      runner.resetState(msg.dataset);
      reply = { ok: true };
    }
  } catch (err) {
    reply = { ok: false, error: (err as Error).message };
  }
  parentPort?.postMessage(reply);
});
