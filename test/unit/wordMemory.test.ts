import * as assert from 'assert';
import * as path from 'path';
import { completeAt, DEFAULT_SETTINGS, DocumentStates, SearchSettings, validateSettings } from '../../src/core/completion';
import { feedText, startAfter } from '../../src/core/completion/completeAt';
import { NameIndex, WORD_MEMORY_PARAMS, WordMemoryModel } from '../../src/core/completion/wordMemory';
import { Engine } from '../../src/core/engine';
import { createFastestOps } from '../../src/core/kernels/wasmOps';
import { loadModel } from '../../src/core/model/modelFiles';
import { beamSearch, greedySearch } from '../../src/core/search';
import { VOCAB_SIZE, charToId } from '../../src/core/vocab';
import { UniformModel, tinyEngine } from './helpers/tinyModels';

const prob = (logProbs: Float32Array, ch: string) => Math.exp(logProbs[charToId(ch.charCodeAt(0))]);
const total = (logProbs: Float32Array) => logProbs.reduce((s, v) => s + Math.exp(v), 0);

/** Where the bundled model lives (tests run from out/test/unit). */
const BUNDLED = path.resolve(__dirname, '..', '..', '..', 'models', 'default');

describe('word memory (the names this code uses)', () => {
  it('indexes the names before the cursor, sorted, without numbers or the word being typed', () => {
    const index = NameIndex.fromHistory('x = foo(bar, 42, foo2)\nfoo.b', 1000);
    assert.deepStrictEqual(index.names, ['bar', 'foo', 'foo2', 'x']);
    // `foo` twice, the second closer to the cursor; `b` (being typed) is not a name.
    const foo = index.weights[index.names.indexOf('foo')];
    const bar = index.weights[index.names.indexOf('bar')];
    assert.ok(foo > 1 && foo < 2, `foo weighs ${foo}`);
    assert.ok(bar < 1, `bar weighs ${bar}`);
  });

  it('weighs an occurrence less the farther back it is', () => {
    const index = NameIndex.fromHistory(`old ${' '.repeat(5000)} new\nx`, 1000);
    assert.ok(index.weights[index.names.indexOf('new')] > 3 * index.weights[index.names.indexOf('old')]);
  });

  it('gives the same weights when it extends a cached index by new lines as when it counts them anew', () => {
    const R = 10;
    const lines = 'alpha beta\ngamma alpha\n';
    const end = (name: string, from = 0) => lines.indexOf(name, from) + name.length;
    const expected = Math.exp(-(lines.length - end('alpha')) / R) + Math.exp(-(lines.length - end('alpha', 6)) / R);
    // First the first line alone (cached), then both lines (the cached index extended by the second).
    NameIndex.fromHistory('alpha beta\ny', R);
    const extended = NameIndex.fromHistory(lines + 'de', R);
    assert.ok(Math.abs(extended.weights[extended.names.indexOf('alpha')] - expected) < 1e-9);
    // The same text with different first lines is counted anew: same rule, same figure.
    const fresh = NameIndex.fromHistory('x\n' + lines + 'de', R);
    assert.ok(Math.abs(fresh.weights[fresh.names.indexOf('alpha')] - expected) < 1e-9);
    assert.deepStrictEqual(extended.names, ['alpha', 'beta', 'gamma']);
  });

  it('narrows a range of names letter by letter', () => {
    const index = NameIndex.fromHistory('warn warning warnings water x ', 1000);
    let [lo, hi] = [0, index.size];
    for (const [depth, ch] of [...'warn'].entries()) [lo, hi] = index.narrow(lo, hi, depth, ch.charCodeAt(0));
    assert.deepStrictEqual(index.names.slice(lo, hi), ['warn', 'warning', 'warnings']);
    const [zLo, zHi] = index.narrow(lo, hi, 4, 'z'.charCodeAt(0));
    assert.strictEqual(zHi - zLo, 0);
  });

  it('gives the next letter of the names the typed word starts, by how often they occur', () => {
    const inner = new UniformModel();
    const history = 'warnings.a()\nwarnings.b()\nwarnings.c()\nwater()\n';
    const model = new WordMemoryModel(inner, history);
    const at = feedText(model, model.extend(startAfter(inner, history)), 'wa');
    assert.ok(prob(at.logProbs, 'r') > prob(at.logProbs, 't'), 'three warnings outweigh one water');
    assert.ok(prob(at.logProbs, 't') > 2 / VOCAB_SIZE, 'water still gets some');
    assert.ok(Math.abs(total(at.logProbs) - 1) < 1e-4, 'still a distribution');
    // After a name character that starts no known name, and after a non-name character, nothing is mixed in.
    for (const text of ['wq', 'wa(']) {
      const off = feedText(model, model.extend(startAfter(inner, history)), text);
      assert.ok(Math.abs(prob(off.logProbs, 'r') - 1 / VOCAB_SIZE) < 1e-6, text);
    }
  });

  it(`offers nothing before ${WORD_MEMORY_PARAMS.minPrefix} letters, nor inside a number`, () => {
    const inner = new UniformModel();
    const history = 'warnings warnings warnings x1 ';
    const model = new WordMemoryModel(inner, history);
    const short = 'warnings'.slice(0, WORD_MEMORY_PARAMS.minPrefix - 1);
    const early = feedText(model, model.extend(startAfter(inner, history)), short);
    assert.ok(Math.abs(prob(early.logProbs, 'warnings'[short.length]) - 1 / VOCAB_SIZE) < 1e-6);
    const enough = feedText(model, model.extend(startAfter(inner, history)), 'warnings'.slice(0, WORD_MEMORY_PARAMS.minPrefix));
    assert.ok(prob(enough.logProbs, 'warnings'[WORD_MEMORY_PARAMS.minPrefix]) > 0.5);
    const number = feedText(model, model.extend(startAfter(inner, history)), '1x');
    assert.ok(Math.abs(prob(number.logProbs, '1') - 1 / VOCAB_SIZE) < 1e-6);
  });

  it('continues the word the history ends in (the cursor in the middle of a word)', () => {
    const inner = new UniformModel();
    const history = 'elephant = 1\nelephant += 2\nele';
    const model = new WordMemoryModel(inner, history);
    assert.strictEqual(greedySearch(model, model.extend(startAfter(inner, history)), { maxChars: 5, stopAtNewline: true, minCharProb: 0 }).text, 'phant');
  });

  it('beam search (stepBatch) finds what greedy search (step) finds', () => {
    const inner = tinyEngine(7);
    const history = 'const parseOptions = 1;\nparseOptions(parseOptions);\npar';
    const model = new WordMemoryModel(inner, history);
    const start = model.extend(startAfter(inner, history));
    const rules = { maxChars: 9, stopAtNewline: true, minCharProb: 0 };
    const greedy = greedySearch(model, start, rules);
    const beam = beamSearch(model, start, { ...rules, width: 1, nonWhitespace: false });
    assert.strictEqual(beam.text, greedy.text);
    assert.ok(greedy.text.startsWith('seOptions'), greedy.text);
  });

  it('is on by default, and is a setting', () => {
    assert.strictEqual(DEFAULT_SETTINGS.wordMemory, true);
    const off = validateSettings((key) => (key === 'completion.wordMemory' ? false : undefined));
    assert.strictEqual(off.settings.wordMemory, false);
    const wrong = validateSettings((key) => (key === 'completion.wordMemory' ? 'yes' : undefined));
    assert.strictEqual(wrong.settings.wordMemory, true);
    assert.strictEqual(wrong.problems.length, 1);
  });

  it('with the bundled model and default settings, `warn` at a new line of a file that calls warnings.simplefilter( five times completes to `warnings`', async function () {
    this.timeout(60_000);
    const engine = new Engine(await loadModel(BUNDLED), createFastestOps());
    const kinds = ['ignore', 'always', 'once', 'default', 'error'];
    const doc = ['import warnings', '', ...kinds.flatMap((k) => ['', `def use_${k}():`, `    warnings.simplefilter("${k}")`, '']), '', 'warn'].join('\n');
    const settings: SearchSettings = DEFAULT_SETTINGS;
    const on = await completeAt(engine, new DocumentStates(engine), 'doc', doc, doc.length, settings, () => false);
    assert.ok(on && ('warn' + on.text).startsWith('warnings'), JSON.stringify(on));
  });

  it('a name the model cannot know (made up, used five times in the file) completes from its first 4 letters only with the memory', async function () {
    this.timeout(60_000);
    const engine = new Engine(await loadModel(BUNDLED), createFastestOps());
    const kinds = ['ignore', 'always', 'once', 'default', 'error'];
    const doc = ['import qzvwlogger', '', ...kinds.flatMap((k) => ['', `def use_${k}():`, `    qzvwlogger.simplefilter("${k}")`, '']), '', 'qzvw'].join('\n');
    const on = await completeAt(engine, new DocumentStates(engine), 'doc', doc, doc.length, DEFAULT_SETTINGS, () => false);
    assert.ok(on && ('qzvw' + on.text).startsWith('qzvwlogger'), JSON.stringify(on));
    const off = await completeAt(engine, new DocumentStates(engine), 'doc', doc, doc.length, { ...DEFAULT_SETTINGS, wordMemory: false }, () => false);
    assert.ok(!off || !('qzvw' + off.text).startsWith('qzvwlogger'), JSON.stringify(off));
  });
});
