import * as assert from 'assert';
import * as fc from 'fast-check';
import { cutBeforeSuffix, lineSuffixAllowsCompletion } from '../../src/core/completion/lineSuffix';
import { linePrefixAt, lineSuffixAt } from '../../src/core/completion/textSource';
import { codeLikeText, fuzzParams } from './helpers/fuzzParams';

/** A text and an offset inside it (0..length). */
const textAndOffset = codeLikeText(300).chain((text) => fc.tuple(fc.constant(text), fc.integer({ min: 0, max: text.length })));

/** Reference line helpers: split the whole text, no scan limit. */
const fullPrefix = (text: string, offset: number) => text.slice(0, offset).split('\n').pop() as string;
const fullSuffix = (text: string, offset: number) => text.slice(offset).split(/\r?\n/)[0];

describe('fuzz: completion text helpers', () => {
  it('linePrefixAt / lineSuffixAt match a whole-text split when the scan is unbounded', () => {
    fc.assert(
      fc.property(textAndOffset, ([text, offset]) => {
        assert.strictEqual(linePrefixAt(text, offset, Infinity), fullPrefix(text, offset));
        assert.strictEqual(lineSuffixAt(text, offset, Infinity), fullSuffix(text, offset));
      }),
      fuzzParams(500),
    );
  });

  it('with a scan limit they give the right line or null, and null only for a line too long to scan', () => {
    fc.assert(
      fc.property(textAndOffset, fc.integer({ min: 1, max: 40 }), ([text, offset], maxScan) => {
        const prefix = linePrefixAt(text, offset, maxScan);
        const full = fullPrefix(text, offset);
        if (prefix !== null) assert.strictEqual(prefix, full);
        else assert.ok(full.length >= maxScan, `null for a ${full.length}-char prefix with maxScan ${maxScan}`);

        const suffix = lineSuffixAt(text, offset, maxScan);
        const fullS = fullSuffix(text, offset);
        if (suffix !== null) assert.strictEqual(suffix, fullS);
        else assert.ok(fullS.length > maxScan, `null for a ${fullS.length}-char suffix with maxScan ${maxScan}`);
      }),
      fuzzParams(500),
    );
  });

  it('reads a TextSource only through in-range slices', () => {
    fc.assert(
      fc.property(textAndOffset, fc.integer({ min: 1, max: 5000 }), ([text, offset], maxScan) => {
        const source = {
          length: text.length,
          slice(start: number, end: number) {
            assert.ok(Number.isInteger(start) && Number.isInteger(end) && 0 <= start && start <= end && end <= text.length, `slice(${start}, ${end}) of ${text.length}`);
            return text.slice(start, end);
          },
        };
        linePrefixAt(source, offset, maxScan);
        lineSuffixAt(source, offset, maxScan);
      }),
      fuzzParams(300),
    );
  });

  it('lineSuffixAllowsCompletion: closers and blanks allow, anything with other code does not', () => {
    const closer = fc.constantFrom(' ', '\t', ')', ']', '}', '"', "'", '`', ';', ',');
    const other = fc.string({ unit: 'binary', minLength: 1, maxLength: 1 }).filter((c) => !/[\s)\]}"'`;,]/.test(c));
    fc.assert(
      fc.property(fc.array(closer, { maxLength: 20 }), other, fc.nat(20), (closers, bad, at) => {
        const allowed = closers.join('');
        assert.strictEqual(lineSuffixAllowsCompletion(allowed), true);
        const i = at % (allowed.length + 1);
        assert.strictEqual(lineSuffixAllowsCompletion(allowed.slice(0, i) + bad + allowed.slice(i)), false);
      }),
      fuzzParams(300),
    );
    assert.strictEqual(lineSuffixAllowsCompletion(null), false);
  });

  it('cutBeforeSuffix returns a prefix that, before a non-blank suffix, never closes more brackets than it opens', () => {
    fc.assert(
      fc.property(codeLikeText(80), codeLikeText(20), (completion, suffix) => {
        const cut = cutBeforeSuffix(completion, suffix);
        assert.ok(completion.startsWith(cut), 'not a prefix');
        // A blank suffix (end of line) leaves the completion whole.
        if (suffix.trim() === '') return assert.strictEqual(cut, completion);
        let depth = 0;
        for (const ch of cut) {
          if ('([{'.includes(ch)) depth++;
          else if (')]}'.includes(ch)) depth--;
          assert.ok(depth >= 0, `unmatched closer in ${JSON.stringify(cut)}`);
        }
        // Where it cut, the text goes on with the suffix's first character or a closer.
        if (cut.length < completion.length) {
          const next = completion[cut.length];
          assert.ok(next === suffix.trim()[0] || ')]}'.includes(next), `cut before ${JSON.stringify(next)}`);
        }
      }),
      fuzzParams(500),
    );
  });
});
