import * as assert from 'assert';
import { Worker } from 'worker_threads';
import { DynamicEvalSettings, DynamicEvaluator } from '../../src/core/dynamicEval/dynamicEvaluator';
import { DynamicEvalWorkerInit, DynamicEvalWorkerReply, DynamicEvalWorkerRequest, dynamicEvalWorkerPath } from '../../src/core/dynamicEval/workerProtocol';
import { JsOps } from '../../src/core/kernels/jsOps';
import { ModelSpec } from '../../src/core/modelSpec';
import { initParams, paramLayout } from '../../src/core/params';
import { VOCAB_SIZE, encode } from '../../src/core/vocab';

const TEXT = 'for (let i = 0; i < n; i++) {\n  total += values[i];\n}\n'.repeat(3);
const SETTINGS: DynamicEvalSettings = { windowChars: 20, learningRate: 0.5, decay: 0.001, maxGradNorm: 1 };

describe('dynamic evaluation in a worker thread', () => {
  const spec: ModelSpec = { vocabSize: VOCAB_SIZE, embedDim: 8, hidden: [12] };
  const layout = paramLayout(spec);
  const params = initParams(layout, 5);
  let worker: Worker;

  before(() => {
    const init: DynamicEvalWorkerInit = { spec, params, settings: SETTINGS };
    worker = new Worker(dynamicEvalWorkerPath(), { workerData: init });
  });
  after(() => worker.terminate());

  const ask = (msg: DynamicEvalWorkerRequest) =>
    new Promise<DynamicEvalWorkerReply>((resolve) => {
      worker.once('message', resolve);
      worker.postMessage(msg);
    });

  it('hands back the weights the same steps make on this thread, and the trained ones after a reset', async () => {
    const ids = encode(TEXT);
    const reply = await ask({ type: 'adapt', ids, fresh: true });
    assert.strictEqual(reply.type, 'params');
    const here = new DynamicEvaluator(new JsOps(), layout, params, SETTINGS);
    here.adapt(ids);
    if (reply.type !== 'params') return;
    assert.strictEqual(reply.steps, here.steps);
    // The worker runs the fastest kernels, this thread the JS reference: equal up to float rounding.
    const expected = here.params();
    let worst = 0;
    for (let i = 0; i < expected.length; i++) worst = Math.max(worst, Math.abs(reply.params[i] - expected[i]));
    assert.ok(worst < 1e-3, `largest difference ${worst}`);
    assert.notDeepStrictEqual(reply.params, params);
    const reset = await ask({ type: 'reset' });
    assert.ok(reset.type === 'params');
    if (reset.type === 'params') assert.deepStrictEqual(reset.params, params);
  });
});
