import * as assert from 'assert';
import { resultProvenance } from '../../src/bench/resultProvenance';

describe('resultProvenance', () => {
  const saved = process.env.LSTM_LENS_BENCH_CONDITIONS;
  afterEach(() => {
    if (saved === undefined) delete process.env.LSTM_LENS_BENCH_CONDITIONS;
    else process.env.LSTM_LENS_BENCH_CONDITIONS = saved;
  });

  it('writes the conditions named in LSTM_LENS_BENCH_CONDITIONS after the load average', () => {
    process.env.LSTM_LENS_BENCH_CONDITIONS = '  the training runs paused (SIGSTOP) ';
    const p = resultProvenance(null, null);
    assert.match(p.machine, /load average [\d.]+ [\d.]+ [\d.]+, the training runs paused \(SIGSTOP\)$/);
    assert.strictEqual(p.weights, null);
  });

  it('writes no conditions when none are named', () => {
    delete process.env.LSTM_LENS_BENCH_CONDITIONS;
    assert.match(resultProvenance(null, null).machine, /load average [\d.]+ [\d.]+ [\d.]+$/);
  });
});
