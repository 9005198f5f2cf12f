import * as assert from 'assert';
import { UsageError } from '../../src/cli/args';
import { trainCommand } from '../../src/cli/commands/train';
import { annealFactor } from '../../src/core/trainer/trainer';

describe('learning-rate anneal at the end of a time budget', () => {
  it('is 1 until the last share of the budget, then falls linearly to 0 at the deadline', () => {
    assert.strictEqual(annealFactor(600, 600, 0.25), 1);
    assert.strictEqual(annealFactor(150, 600, 0.25), 1);
    assert.strictEqual(annealFactor(75, 600, 0.25), 0.5);
    assert.strictEqual(annealFactor(0, 600, 0.25), 0);
    assert.strictEqual(annealFactor(-3, 600, 0.25), 0, 'past the deadline (the last step) it is 0, never negative');
  });

  it('is off (1) without a share or without a finite budget', () => {
    assert.strictEqual(annealFactor(10, 600, 0), 1);
    assert.strictEqual(annealFactor(10, Infinity, 0.5), 1);
  });

  it('train refuses --anneal without --minutes', async () => {
    await assert.rejects(trainCommand(['--out', '/tmp/never-written', '--anneal', '0.3', 'src']), (err: Error) => err instanceof UsageError && /--minutes/.test(err.message));
  });
});
