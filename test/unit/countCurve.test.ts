import * as assert from 'assert';
import { countCurve } from '../../src/core/cells/countCurve';

describe('countCurve: how a cell reads a count, band by band', () => {
  it('shows a cell that counts to 3 and then stops: it rises through the small bands and flattens after', () => {
    const labels = Array.from({ length: 100 }, (_, t) => t % 50);
    const values = labels.map((v) => -Math.min(v, 3));
    const curve = countCurve(values, labels, -1);
    assert.deepStrictEqual(
      curve.map((b) => [b.band, b.count, b.mean]),
      [['0', 2, 0], ['1', 2, 1], ['2-3', 4, 2.5], ['4-7', 8, 3], ['8-15', 16, 3], ['16-31', 32, 3], ['32-63', 36, 3]],
    );
  });

  it('leaves out empty bands and puts every large count in the last', () => {
    const curve = countCurve([1, 2, 3], [0, 64, 1000], 1);
    assert.deepStrictEqual(
      curve.map((b) => [b.band, b.count, b.mean]),
      [['0', 1, 1], ['64+', 2, 2.5]],
    );
  });
});
