import * as assert from 'assert';
import { completeAt, DocumentStates, SearchSettings } from '../../src/core/completion';
import { DocumentMatchModel, MATCH_WEIGHTS, matchNext, mixMatch } from '../../src/core/completion/documentMatch';
import { feedText, startAfter } from '../../src/core/completion/completeAt';
import { beamSearch, greedySearch } from '../../src/core/search';
import { charToId } from '../../src/core/vocab';
import { UniformModel, tinyEngine } from './helpers/tinyModels';

const weightOf = (length: number) => MATCH_WEIGHTS.find((m) => m.length === length)!.weight;
const logSumExp = (a: Float32Array) => {
  const m = Math.max(...a);
  return m + Math.log(a.reduce((s, v) => s + Math.exp(v - m), 0));
};

describe('document match (the document cache)', () => {
  it('predicts the character after the latest earlier occurrence, trying the longest match first', () => {
    // "alphaBetaGam" (12) occurs earlier, "log(alphaBetaGam" (16) does not.
    const history = 'let alphaBetaGamma = 1;\nlog(alphaBetaGam';
    assert.deepStrictEqual(matchNext(history, history), { id: charToId('m'.charCodeAt(0)), weight: weightOf(12) });
    // Two earlier occurrences of the 8 characters: the later one's next character wins.
    const twice = 'x abcdefgh1 y abcdefgh2 z abcdefgh';
    assert.deepStrictEqual(matchNext(twice, twice), { id: charToId('2'.charCodeAt(0)), weight: weightOf(8) });
    // A 16-character match outranks a later 8-character one.
    const both = 'ONE_two_THREE_fourX ... THREE_fourY ... ONE_two_THREE_four';
    assert.deepStrictEqual(matchNext(both, both), { id: charToId('X'.charCodeAt(0)), weight: weightOf(16) });
  });

  it('finds nothing when the tail does not occur before itself, or is shorter than the shortest match', () => {
    assert.strictEqual(matchNext('abcdefgh', 'abcdefgh'), null);
    assert.strictEqual(matchNext('one two three four five', 'one two three four five'), null);
    assert.strictEqual(matchNext('abcdefghXabcdefgh', 'efgh'), null);
    assert.strictEqual(matchNext('', 'abcdefghij'), null);
  });

  it('mixing keeps a distribution and gives the predicted character (1 − w)·p + w', () => {
    const engine = tinyEngine(3);
    const start = startAfter(engine, 'some text');
    const lp = new Float32Array(start.logProbs);
    const id = charToId('q'.charCodeAt(0));
    const p = Math.exp(lp[id]);
    mixMatch(lp, { id, weight: 0.4 });
    assert.ok(Math.abs(logSumExp(lp)) < 1e-5, `sums to ${Math.exp(logSumExp(lp))}`);
    assert.ok(Math.abs(Math.exp(lp[id]) - (0.6 * p + 0.4)) < 1e-6);
    const other = charToId('z'.charCodeAt(0));
    assert.ok(Math.abs(Math.exp(lp[other]) - 0.6 * Math.exp(start.logProbs[other])) < 1e-7);
  });

  it('lets a model that knows nothing continue a name the document repeats, and a search follow it', () => {
    const history = 'x = aVeryLongIdentifierName;\ny = aVeryLongIdentifier';
    const inner = new UniformModel();
    const model = new DocumentMatchModel(inner, history);
    const start = model.extend(startAfter(inner, history));
    const result = greedySearch(model, start, { maxChars: 40, stopAtNewline: true, minCharProb: 0.3 });
    assert.strictEqual(result.text, 'Name;');
    // Beam search steps the states in batches; it must find the same text.
    const beam = beamSearch(model, start, { maxChars: 40, stopAtNewline: true, minCharProb: 0.3, width: 3, nonWhitespace: true });
    assert.strictEqual(beam.text, 'Name;');
  });

  it('carries the recent characters in the state, so feeding text moves the match along', () => {
    const history = 'call(firstArgument, secondArgument);\n';
    const inner = new UniformModel();
    const model = new DocumentMatchModel(inner, history);
    const start = model.extend(startAfter(inner, history));
    const at = feedText(model, start, 'call(firstArgum');
    const best = at.logProbs.indexOf(Math.max(...at.logProbs));
    assert.strictEqual(best, charToId('e'.charCodeAt(0)));
  });

  it('completeAt uses it only when documentMatch is on, and reads CRLF text like LF', async () => {
    const settings: SearchSettings = { maxChars: 40, beamWidth: 1, multiline: false, maxLines: 1, minCharProb: 0.3, minExpectedSaving: 0, documentMatch: true, wordMemory: false };
    const inner = new UniformModel();
    for (const eol of ['\n', '\r\n']) {
      const doc = `x = aVeryLongIdentifierName;${eol}y = aVeryLongIdentifier`;
      const on = await completeAt(inner, new DocumentStates(inner), 'doc', doc, doc.length, settings, () => false);
      assert.strictEqual(on?.text, 'Name;', JSON.stringify(eol));
      const off = await completeAt(inner, new DocumentStates(inner), 'doc', doc, doc.length, { ...settings, documentMatch: false }, () => false);
      assert.strictEqual(off, undefined);
    }
  });
});

describe('scoring with the document cache (eval --document-match)', () => {
  it('changes no prediction where the file has no earlier match, and mixes the match in where it has one', async () => {
    const { scoreText } = await import('../../src/core/eval/scoreText');
    const line = 'const alphaBetaGammaDelta = computeSomething(1);\n';
    const text = 'x = 1;\n' + line + 'y = 2;\n' + line;
    const plain: Float32Array[] = [];
    const mixed: Float32Array[] = [];
    const a = scoreText(tinyEngine(5), text, (lp) => plain.push(Float32Array.from(lp)));
    const b = scoreText(tinyEngine(5), text, (lp) => mixed.push(Float32Array.from(lp)), { documentMatch: true });
    assert.strictEqual(a.chars, text.length);
    const second = text.lastIndexOf(line);
    // Before the second copy nothing repeats a stretch of 8 characters (the shortest match).
    for (let i = 0; i <= second; i++) assert.deepStrictEqual(mixed[i], plain[i], `position ${i}`);
    // 16 characters into the second copy: the longest match, the character after it gets (1 − w)·p + w.
    const i = second + 16;
    const id = charToId(text.charCodeAt(i));
    const w = weightOf(16);
    assert.ok(Math.abs(mixed[i][id] - Math.log((1 - w) * Math.exp(plain[i][id]) + w)) < 1e-5);
    assert.ok(Math.abs(logSumExp(mixed[i])) < 1e-4, 'still a distribution');
    assert.ok(b.bits < a.bits - 30, `the repeated line costs far less: ${b.bits.toFixed(1)} bits against ${a.bits.toFixed(1)}`);
    // The same pass reports the model's own bits: exactly the figure of a pass without the cache.
    assert.strictEqual(b.modelBits, a.bits);
    assert.strictEqual(a.modelBits, a.bits);
  });
});
