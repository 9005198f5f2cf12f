import * as assert from 'assert';
import * as fc from 'fast-check';
import { CONCEPT_NAMES, ConceptLabels, labelConcepts } from '../../src/core/concepts';
import { Language } from '../../src/core/concepts/language';
import { codeLikeText, fuzzParams } from './helpers/fuzzParams';

const LANGUAGES: Language[] = ['typescript', 'javascript', 'python', 'c', 'cpp', 'java', 'csharp', 'go', 'rust', 'generic'];
const language = fc.constantFrom(...LANGUAGES);

/** The labels at one offset, all concepts, for readable failures. */
function at(labels: ConceptLabels, i: number): Record<string, number> {
  return Object.fromEntries(CONCEPT_NAMES.map((name) => [name, labels[name][i]]));
}

describe('fuzz: concept scanner', () => {
  it('labels any text in any language without throwing, one value per UTF-16 unit', () => {
    fc.assert(
      fc.property(codeLikeText(300), language, (text, lang) => {
        const labels = labelConcepts(text, lang);
        for (const name of CONCEPT_NAMES) assert.strictEqual(labels[name].length, text.length, name);
        for (const name of ['inString', 'inComment', 'inIfCondition'] as const) {
          assert.ok(labels[name].every((v) => v === 0 || v === 1), `${name} is not 0/1`);
        }
      }),
      fuzzParams(400),
    );
  });

  // The scanner reads CRLF like LF (the CR takes the labels of its line end):
  // the same file checked out on Windows must get the same labels.
  it('CRLF line ends give the LF labels, the CR taking its LF\'s labels', () => {
    fc.assert(
      fc.property(codeLikeText(300).map((t) => t.replace(/\r/g, '')), language, (lf, lang) => {
        const crlf = lf.replace(/\n/g, '\r\n');
        const a = labelConcepts(lf, lang);
        const b = labelConcepts(crlf, lang);
        let j = 0;
        for (let i = 0; i < lf.length; i++, j++) {
          if (lf[i] === '\n') {
            assert.deepStrictEqual(at(b, j), at(a, i), `CR at ${j}`);
            j++;
          }
          assert.deepStrictEqual(at(b, j), at(a, i), `offset ${i} (CRLF offset ${j})`);
        }
        assert.strictEqual(j, crlf.length);
      }),
      fuzzParams(300),
    );
  });

  it('a lone CR is read as a line end: same labels as LF', () => {
    fc.assert(
      fc.property(codeLikeText(300).map((t) => t.replace(/\r/g, '')), language, (lf, lang) => {
        assert.deepStrictEqual(labelConcepts(lf.replace(/\n/g, '\r'), lang), labelConcepts(lf, lang));
      }),
      fuzzParams(300),
    );
  });

  it('finishes on large pathological inputs (deep nesting, unterminated literals, long lines)', () => {
    // No timing assert: mocha's timeout is the guard against a quadratic scan or a hang.
    const n = 100_000;
    const inputs = [
      '('.repeat(n),
      ')'.repeat(n),
      '{['.repeat(n / 2),
      '"' + 'a'.repeat(n),
      '/*' + ' '.repeat(n),
      'if ('.repeat(n / 4),
      'if x'.repeat(n / 4),
      '\t'.repeat(n) + 'x',
      'r#'.repeat(n / 2),
      '"""'.repeat(n / 3),
      '\r\n'.repeat(n / 2),
      '\r'.repeat(n),
    ];
    for (const lang of LANGUAGES) {
      for (const text of inputs) {
        const labels = labelConcepts(text, lang);
        assert.strictEqual(labels.bracketDepth.length, text.length);
      }
    }
  });
});
