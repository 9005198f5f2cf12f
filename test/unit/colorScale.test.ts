import * as assert from 'assert';
import { LEVELS, LIMIT_QUANTILE, levelAlpha, levelClass, levelOf, levelStyleRules, robustLimit } from '../../src/core/cells/colorScale';
import { makeRng } from '../../src/core/params';

/** The quantile by its definition: the smallest |value| with at least LIMIT_QUANTILE of them at or below it. */
function bruteLimit(values: number[]): number {
  const abs = values.filter(Number.isFinite).map(Math.abs);
  const hit = abs.filter((a) => abs.filter((b) => b <= a).length >= LIMIT_QUANTILE * abs.length).sort((a, b) => a - b)[0];
  return hit > 0 ? hit : 1;
}

describe('colorScale', () => {
  it('the limit is the 99th percentile of |value|, ignoring values that are not finite', () => {
    const rng = makeRng(31);
    for (let trial = 0; trial < 20; trial++) {
      const n = 1 + Math.floor(rng() * 300);
      const values = Array.from({ length: n }, () => (rng() < 0.05 ? 1000 * rng() : rng() * 4 - 2));
      if (trial % 4 === 0) values.push(NaN, Infinity);
      assert.strictEqual(robustLimit(values), bruteLimit(values), `trial ${trial}`);
    }
    assert.strictEqual(robustLimit([]), 1);
    assert.strictEqual(robustLimit([0, 0, 0]), 1, 'an all-zero track does not divide by zero');
    // 1000 values ±1 and 5 spikes of 300: the spikes only clip.
    const spiky = Array.from({ length: 1005 }, (_, i) => (i < 5 ? 300 : i % 2 ? 1 : -1));
    assert.strictEqual(robustLimit(spiky), 1);
  });

  it('quantises value ÷ limit to ±LEVELS steps, clipping beyond the limit', () => {
    assert.strictEqual(levelOf(0, 2), 0);
    assert.strictEqual(levelOf(2, 2), LEVELS);
    assert.strictEqual(levelOf(-50, 2), -LEVELS);
    assert.strictEqual(levelOf(1, 2), LEVELS / 2);
    assert.strictEqual(Object.is(levelOf(-0.01, 2), -0), false, 'no negative zero step');
    assert.strictEqual(levelOf(NaN, 2), 0);
    assert.deepStrictEqual([levelClass(3), levelClass(-8), levelClass(0)], ['p3', 'n8', 'z']);
  });

  it('every step has a rule per sign and theme, and deeper steps are stronger', () => {
    for (const scope of ['vscode-body-class', 'prefers-color-scheme'] as const) {
      const css = levelStyleRules(scope).join('\n');
      for (let q = 1; q <= LEVELS; q++) {
        assert.strictEqual((css.match(new RegExp(`\\.p${q}\\{`, 'g')) ?? []).length, 2, `${scope} p${q}: light and dark`);
        assert.strictEqual((css.match(new RegExp(`\\.n${q}\\{`, 'g')) ?? []).length, 2, `${scope} n${q}`);
      }
    }
    for (const theme of ['light', 'dark'] as const) {
      for (let q = 2; q <= LEVELS; q++) assert.ok(levelAlpha(q, theme) > levelAlpha(q - 1, theme));
      assert.ok(levelAlpha(LEVELS, theme) >= 0.8, 'full color is strong');
      assert.strictEqual(levelAlpha(0, theme), 0);
    }
  });
});
