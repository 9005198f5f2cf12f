import * as assert from 'node:assert/strict';
import { benchTfjsStep, benchTfjsTrain, benchTorch, isSkipped } from '../../src/bench/referenceEngines';

const tiny = { layers: 1, hidden: 8, embed: 4, vocab: 10 };

describe('reference engines', () => {
  it('times a tiny tfjs cpu training step', async () => {
    const result = await benchTfjsTrain({ ...tiny, backend: 'cpu', batch: 2, seq: 4, seconds: 0, minSteps: 1 });
    assert.ok(!isSkipped(result), `tfjs cpu was skipped: ${JSON.stringify(result)}`);
    assert.equal(result.engine, 'tfjs-cpu');
    assert.ok(Number.isFinite(result.charsPerSecond) && result.charsPerSecond > 0);
    assert.ok(result.steps >= 1);
    // Untrained on random labels: the loss sits near ln(vocab).
    assert.ok(Math.abs(result.loss - Math.log(tiny.vocab)) < 1, `loss ${result.loss}`);
    assert.doesNotThrow(() => JSON.stringify(result));
  });

  it('times tfjs cpu single-character steps with both paths agreeing', async () => {
    const result = await benchTfjsStep({ ...tiny, backend: 'cpu', steps: 5 });
    assert.ok(!isSkipped(result), `tfjs cpu was skipped: ${JSON.stringify(result)}`);
    assert.ok(Number.isFinite(result.stepUs) && result.stepUs > 0);
    assert.ok((result.maxAbsDiff ?? Infinity) < 1e-4, `paths disagree by ${result.maxAbsDiff}`);
  });

  it('reports tfjs-node as skipped rather than throwing when it is absent', async () => {
    const result = await benchTfjsTrain({ ...tiny, backend: 'tensorflow', batch: 2, seq: 4, seconds: 0, minSteps: 1 });
    assert.equal(result.engine, 'tfjs-tensorflow');
    if (isSkipped(result)) assert.ok(result.skipped.length > 0);
    else assert.ok(result.charsPerSecond > 0);
  });

  it('runs PyTorch or says why it skipped, never throws', async () => {
    const result = await benchTorch({ ...tiny, batch: 2, seq: 4, seconds: 0, torchThreads: 1, stepIters: 5 });
    assert.equal(result.engine, 'pytorch');
    if (isSkipped(result)) {
      assert.ok(result.skipped.length > 0);
    } else {
      assert.ok(Number.isFinite(result.charsPerSecond) && result.charsPerSecond > 0);
      assert.ok(result.stepUs !== null && result.stepUs > 0);
    }
  });

  it('skips PyTorch when no interpreter can be found', async () => {
    const result = await benchTorch({ ...tiny, batch: 2, seq: 4, seconds: 0, torchThreads: 1, pythonCandidates: ['/nonexistent/python3'] });
    assert.ok(isSkipped(result));
    assert.match(result.skipped, /ENOENT/);
  });
});
