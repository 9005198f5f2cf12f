import * as assert from 'assert';
import * as fc from 'fast-check';
import { DEFAULT_SETTINGS, LstmLensSettings, SETTING_SPECS, validateSettings } from '../../src/core/completion/settings';
import { fuzzParams } from './helpers/fuzzParams';

type Field = keyof LstmLensSettings;
const FIELDS = Object.keys(SETTING_SPECS) as Field[];
const KEY_OF = Object.fromEntries(FIELDS.map((f) => [SETTING_SPECS[f].key, f])) as Record<string, Field>;

/** Whatever a hand-edited settings.json (or a buggy sync) can hold. */
const anyValue: fc.Arbitrary<unknown> = fc.oneof(
  fc.constantFrom(undefined, null, NaN, Infinity, -Infinity, -0, 1e308, '', ' 80 ', 'true', [], {}, [true]),
  fc.jsonValue({ maxDepth: 3 }),
  fc.double(),
  fc.integer({ min: -5000, max: 5000 }),
);

describe('fuzz: settings reader', () => {
  it('any values: every setting valid, a wrong type falls back to the default with exactly one problem line naming it', () => {
    const rawSettings = fc.record(Object.fromEntries(FIELDS.map((f) => [f, anyValue])) as Record<Field, fc.Arbitrary<unknown>>);
    fc.assert(
      fc.property(rawSettings, (raw) => {
        const { settings, problems } = validateSettings((key) => raw[KEY_OF[key]]);
        for (const field of FIELDS) {
          const { key, spec } = SETTING_SPECS[field];
          const name = `lstmLens.${key}`;
          const given = raw[field];
          const value = settings[field];
          const lines = problems.filter((p) => p.startsWith(`${name}:`));
          if (given === undefined || given === null) {
            assert.deepStrictEqual(value, spec.default, `${name} unset`);
            assert.strictEqual(lines.length, 0, `${name} unset but reported`);
            continue;
          }
          switch (spec.kind) {
            case 'boolean':
            case 'string': {
              assert.strictEqual(typeof value, spec.kind);
              const rightType = typeof given === spec.kind;
              assert.strictEqual(lines.length, rightType ? 0 : 1, `${name}: ${lines.join(' | ')}`);
              if (!rightType) assert.strictEqual(value, spec.default);
              break;
            }
            case 'integer':
            case 'number': {
              const v = value as number;
              assert.ok(Number.isFinite(v) && v >= spec.min && v <= spec.max, `${name} = ${v}`);
              if (spec.kind === 'integer') assert.ok(Number.isInteger(v), `${name} = ${v}`);
              const usable = typeof given === 'number' && Number.isFinite(given) && (spec.kind === 'number' || Number.isInteger(given));
              const inRange = usable && (given as number) >= spec.min && (given as number) <= spec.max;
              // One line for a wrong type (default) or an out-of-range number (clamped); none for a good value.
              assert.strictEqual(lines.length, inRange ? 0 : 1, `${name}: ${lines.join(' | ')}`);
              if (!usable) assert.strictEqual(v, spec.default);
              else if (inRange) assert.strictEqual(v, given);
              break;
            }
            case 'languages': {
              const langs = value as Record<string, unknown>;
              assert.ok(typeof langs === 'object' && langs !== null && !Array.isArray(langs));
              assert.ok(Object.values(langs).every((on) => typeof on === 'boolean'), `${name} holds a non-boolean`);
              if (typeof given !== 'object' || Array.isArray(given)) {
                assert.deepStrictEqual(langs, spec.default);
                assert.strictEqual(lines.length, 1, `${name}: ${lines.join(' | ')}`);
              } else {
                // Each non-boolean entry is dropped with its own line.
                const bad = Object.values(given as object).filter((on) => typeof on !== 'boolean').length;
                assert.strictEqual(lines.length, bad, `${name}: ${lines.join(' | ')}`);
              }
              break;
            }
          }
        }
        // No stray lines: every problem names one of the settings.
        assert.ok(problems.every((p) => FIELDS.some((f) => p.startsWith(`lstmLens.${SETTING_SPECS[f].key}:`))), problems.join('\n'));
        // Each line is one short line, even for huge or deeply nested values.
        assert.ok(problems.every((p) => !p.includes('\n') && p.length < 400), problems.join('\n'));
      }),
      fuzzParams(500),
    );
  });

  it('all unset: exactly the defaults, no problems', () => {
    const { settings, problems } = validateSettings(() => undefined);
    assert.deepStrictEqual(settings, { ...DEFAULT_SETTINGS });
    assert.deepStrictEqual(problems, []);
  });

  it('values that cannot be printed (cycles, BigInt, deep nesting) still give one readable line', () => {
    const cyclic: Record<string, unknown> = {};
    cyclic.self = cyclic;
    let deep: unknown = 1;
    for (let i = 0; i < 100_000; i++) deep = [deep];
    for (const bad of [cyclic, BigInt(5), deep, Symbol('x'), () => 1]) {
      const { settings, problems } = validateSettings((key) => (key === 'completion.maxChars' ? bad : undefined));
      assert.strictEqual(settings.maxChars, DEFAULT_SETTINGS.maxChars);
      assert.strictEqual(problems.length, 1, problems.join('\n'));
      assert.match(problems[0], /^lstmLens\.completion\.maxChars: expected an integer/);
    }
  });
});
