import * as assert from 'assert';
import * as fc from 'fast-check';
import { NEWLINE_ID, SPACE_ID, TAB_ID, UNK_CHAR, UNK_ID, VOCAB_CHARS, VOCAB_SIZE, charToId, decode, encode } from '../../src/core/vocab';
import { fuzzParams } from './helpers/fuzzParams';

/** What the vocabulary should make of one UTF-16 code unit. */
function expectedChar(code: number): string {
  const ch = String.fromCharCode(code);
  return (code >= 32 && code <= 126) || ch === '\n' || ch === '\t' ? ch : UNK_CHAR;
}

describe('fuzz: vocabulary encode/decode', () => {
  it('encodes any string to one in-range id per UTF-16 code unit', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary', maxLength: 300 }), (text) => {
        const ids = encode(text);
        assert.strictEqual(ids.length, text.length);
        for (const id of ids) assert.ok(id >= 0 && id < VOCAB_SIZE, `id ${id}`);
      }),
      fuzzParams(300),
    );
  });

  it('decode(encode(text)) keeps in-vocabulary characters and turns every other code unit into one UNK', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary', maxLength: 300 }), (text) => {
        const back = decode(encode(text));
        let expected = '';
        for (let i = 0; i < text.length; i++) expected += expectedChar(text.charCodeAt(i));
        assert.strictEqual(back, expected);
        // Offsets line up with the editor's: same length in UTF-16 units.
        assert.strictEqual(back.length, text.length);
      }),
      fuzzParams(300),
    );
  });

  it('encode(decode(ids)) is the identity for valid ids', () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 0, max: VOCAB_SIZE - 1 }), { maxLength: 300 }), (ids) => {
        assert.deepStrictEqual(Array.from(encode(decode(ids))), ids);
      }),
      fuzzParams(300),
    );
  });

  it('decodes out-of-range, fractional or NaN ids to UNK without throwing', () => {
    const bad = fc.oneof(fc.integer({ min: VOCAB_SIZE, max: 1 << 30 }), fc.integer({ max: -1 }), fc.double({ noInteger: true }));
    fc.assert(
      fc.property(fc.array(bad, { minLength: 1, maxLength: 50 }), (ids) => {
        assert.strictEqual(decode(ids), UNK_CHAR.repeat(ids.length));
      }),
      fuzzParams(200),
    );
  });

  it('charToId agrees with the manifest vocabulary for every code unit', () => {
    // Exhaustive rather than random: there are only 65,536 code units.
    for (let code = 0; code < 0x10000; code++) {
      const id = charToId(code);
      const expected = expectedChar(code);
      assert.strictEqual(VOCAB_CHARS[id], expected, `code ${code}`);
      if (expected === UNK_CHAR) assert.strictEqual(id, UNK_ID);
    }
    assert.deepStrictEqual([SPACE_ID, NEWLINE_ID, TAB_ID], [charToId(32), charToId(10), charToId(9)], 'the named ids are those characters');
  });

  it('writes into a caller-provided buffer without touching bytes past the text', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary', maxLength: 100 }), fc.nat(20), (text, extra) => {
        const out = new Uint8Array(text.length + extra).fill(255);
        const ids = encode(text, out);
        assert.strictEqual(ids, out);
        assert.deepStrictEqual(Array.from(out.subarray(0, text.length)), Array.from(encode(text)));
        assert.ok(out.subarray(text.length).every((b) => b === 255));
      }),
      fuzzParams(200),
    );
  });
});
