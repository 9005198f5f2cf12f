import * as assert from 'assert';
import { weakestGroup, whereCellErrs } from '../../src/core/cells/whereCellErrs';

/** Labels from a picture: `x` is yes, anything else no. */
const picture = (s: string) => Float32Array.from(s, (c) => (c === 'x' ? 1 : 0));

describe('whereCellErrs: where a cell and a yes/no concept disagree', () => {
  it('finds a cell that fades in long spans: the early span groups separate, the late one does not', () => {
    // One 40-character span in no-text; the cell is 1 for the first 8 span characters, then 0 like the no-text.
    const labels = picture(`${'.'.repeat(20)}${'x'.repeat(40)}${'.'.repeat(20)}`);
    const values = Float32Array.from(labels, (y, t) => (y > 0 && t < 28 ? 1 : 0));
    const e = whereCellErrs(values, labels, 1, []);
    const group = (name: string) => e.positives.find((g) => g.group === name);
    assert.deepStrictEqual(
      e.positives.map((g) => [g.group, g.count]),
      [['span 1', 1], ['span 2-8', 7], ['span 9-32', 24], ['span 33+', 8]],
    );
    assert.strictEqual(group('span 1')?.auroc, 1);
    assert.strictEqual(group('span 2-8')?.auroc, 1);
    assert.strictEqual(group('span 33+')?.auroc, 0.5);
    assert.ok(e.auroc > 0.5 && e.auroc < 1, `overall ${e.auroc}`);
  });

  it('puts the no-characters right after a span in their own group, then those inside a region, then the rest', () => {
    const labels = picture('..xxx.....ccc...');
    const comment = picture('..........xxx...');
    // The cell stays on one character too long and fires on the "comment"; elsewhere it is off.
    const values = Float32Array.from('0011110000111000', Number);
    const e = whereCellErrs(values, labels, 1, [{ group: 'in a comment', labels: comment }]);
    assert.deepStrictEqual(
      e.negatives.map((g) => [g.group, g.count]),
      [['after span', 2], ['in a comment', 3], ['elsewhere', 8]],
    );
    const of = (name: string) => e.negatives.find((g) => g.group === name)?.auroc;
    assert.strictEqual(of('elsewhere'), 1);
    assert.strictEqual(of('in a comment'), 0.5);
    assert.strictEqual(of('after span'), 0.75);
  });

  it('reads the cell by its sign, and restarts spans at every segment start', () => {
    // Two files, concatenated: the span of the second starts at its first character.
    const labels = picture('..xx' + 'xx..');
    const values = Float32Array.from(labels, (y) => -y);
    const e = whereCellErrs(values, labels, -1, [], [0, 4]);
    assert.strictEqual(e.auroc, 1);
    assert.deepStrictEqual(
      e.positives.map((g) => [g.group, g.count]),
      [['span 1', 2], ['span 2-8', 2]],
    );
    // The first file's span ends at its last character: the second file's "..", after its own span, is after span; nothing of the first is.
    assert.deepStrictEqual(
      e.negatives.map((g) => [g.group, g.count]),
      [['after span', 2], ['elsewhere', 2]],
    );
  });
});

describe('weakestGroup', () => {
  const groups = (list: [string, number, number][]) => list.map(([group, count, auroc]) => ({ group, count, auroc }));

  it('names the group read worst among those big enough, on either side', () => {
    const e = { auroc: 0.9, positives: groups([['span 1', 1, 0.2], ['span 2-8', 99, 0.95]]), negatives: groups([['in a comment', 30, 0.7], ['elsewhere', 70, 0.99]]) };
    // span 1 is 1% of the yes-characters: too small to speak for the cell.
    assert.deepStrictEqual(weakestGroup(e), { group: 'in a comment', count: 30, auroc: 0.7, side: 'no', share: 0.3 });
    assert.strictEqual(weakestGroup(e, 0.01)?.group, 'span 1');
  });

  it('says nothing for a cell with no group below its overall figure', () => {
    const e = { auroc: 1, positives: groups([['span 1', 10, 1]]), negatives: groups([['elsewhere', 10, 1]]) };
    assert.strictEqual(weakestGroup(e), null);
  });
});
