import * as assert from 'assert';
import { completeAt, DocumentStates, SearchSettings } from '../../src/core/completion';
import { cutAtExpectedSaving } from '../../src/core/completion/expectedSaving';
import { makeRng } from '../../src/core/params';
import { greedySearch } from '../../src/core/search';
import { StepModel } from '../../src/core/stepModel';
import { NEWLINE_ID } from '../../src/core/vocab';
import { CountingModel, ScriptModel, tinyEngine } from './helpers/tinyModels';

/** E(L) for every L, the slow way, to check the pruned scan against. */
function bruteForceBest(logProbs: number[], maxLength: number): { length: number; expected: number } {
  let best = { length: 0, expected: 0 };
  for (let L = 1; L <= Math.min(maxLength, logProbs.length); L++) {
    const expected = Math.exp(logProbs.slice(0, L).reduce((a, b) => a + b, 0)) * (L - 1);
    if (expected > best.expected) best = { length: L, expected };
  }
  return best;
}

describe('expected-saving cut', () => {
  it('keeps a confident line whole', () => {
    const sure = new Array(20).fill(Math.log(0.999));
    assert.strictEqual(cutAtExpectedSaving(sure, 20, 0.5).length, 20);
  });

  it('cuts before an unlikely character that follows a sure run', () => {
    const lp = [...new Array(8).fill(Math.log(0.98)), Math.log(0.05), ...new Array(10).fill(Math.log(0.99))];
    const cut = cutAtExpectedSaving(lp, lp.length, 0.5);
    assert.strictEqual(cut.length, 8);
    assert.ok(Math.abs(cut.expected - Math.pow(0.98, 8) * 7) < 1e-9);
  });

  it('goes on past a doubtful character when enough sure ones follow it', () => {
    // One 0.6 character, then 30 near-certain ones: the long cut is worth more than the 3 characters before it.
    const lp = [Math.log(0.99), Math.log(0.99), Math.log(0.99), Math.log(0.6), ...new Array(30).fill(Math.log(0.999))];
    assert.strictEqual(cutAtExpectedSaving(lp, lp.length, 0.5).length, lp.length);
  });

  it('shows nothing when no cut is expected to save the minimum, or the text is one character', () => {
    const lp = [Math.log(0.5), Math.log(0.5), Math.log(0.1)];
    assert.strictEqual(cutAtExpectedSaving(lp, 3, 0.5).length, 0, 'E(2) = 0.25, E(3) = 0.05');
    assert.strictEqual(cutAtExpectedSaving(lp, 3, 0.2).length, 2);
    assert.strictEqual(cutAtExpectedSaving([0], 1, 0).length, 0, 'a single character saves nothing');
    assert.strictEqual(cutAtExpectedSaving([], 0, 0).length, 0);
  });

  it('with minLength, never cuts before it (only indentation would be left)', () => {
    // Sure indentation, then an unsure word: alone, E peaks inside the indentation.
    const lp = [...new Array(8).fill(Math.log(0.99)), Math.log(0.3), ...new Array(5).fill(Math.log(0.9))];
    assert.strictEqual(cutAtExpectedSaving(lp, lp.length, 0.5).length, 8);
    const visible = cutAtExpectedSaving(lp, lp.length, 0.5, 9);
    assert.ok(visible.length >= 9, `cut at ${visible.length}`);
    const best = Math.max(...[9, 10, 11, 12, 13, 14].map((L) => Math.exp(lp.slice(0, L).reduce((a, b) => a + b, 0)) * (L - 1)));
    assert.ok(Math.abs(visible.expected - best) < 1e-12);
  });

  it('never looks past maxLength', () => {
    const sure = new Array(20).fill(Math.log(0.999));
    assert.strictEqual(cutAtExpectedSaving(sure, 7, 0.5).length, 7);
  });

  it('finds the same best cut as trying every length, on random log-probs', () => {
    const rng = makeRng(3);
    for (let trial = 0; trial < 2000; trial++) {
      const n = Math.floor(rng() * 40);
      const lp = Array.from({ length: n }, () => (rng() < 0.8 ? Math.log(0.5 + rng() * 0.5) : Math.log(rng() + 1e-9)));
      const maxLength = Math.floor(rng() * (n + 3));
      const slow = bruteForceBest(lp, maxLength);
      const fast = cutAtExpectedSaving(lp, maxLength, 0);
      assert.strictEqual(fast.length, slow.length, `trial ${trial}`);
      assert.ok(Math.abs(fast.expected - slow.expected) < 1e-12, `trial ${trial}`);
    }
  });
});

describe('completeAt with the expected-saving cut', () => {
  const base: SearchSettings = { maxChars: 80, beamWidth: 1, multiline: false, maxLines: 10, minCharProb: 0, minExpectedSaving: 0, documentMatch: false, wordMemory: false };
  const script = 'const answer = computeTheAnswerToEverything(42);';
  const prefix = 'const ';

  async function complete(p: number, settings: Partial<SearchSettings>) {
    const model = new ScriptModel(script, p);
    return completeAt(model, new DocumentStates(model), 'doc', prefix, prefix.length, { ...base, ...settings }, () => false);
  }

  it('0 leaves the whole line', async () => {
    const c = await complete(0.9, {});
    assert.strictEqual(c?.text, script.slice(prefix.length));
  });

  it('cuts an uncertain line where 0.9^L·(L − 1) peaks (L = 10 or 11) and says why it stopped', async () => {
    for (const beamWidth of [1, 3]) {
      const c = await complete(0.9, { minExpectedSaving: 0.5, beamWidth });
      assert.ok(c, `beam ${beamWidth}`);
      assert.ok(c.text.length === 10 || c.text.length === 11, `beam ${beamWidth}: ${JSON.stringify(c.text)}`);
      assert.ok(script.slice(prefix.length).startsWith(c.text));
      assert.strictEqual(c.stop, 'expected-saving');
      assert.ok(Math.abs(c.logProb - c.text.length * Math.log(0.9)) < 1e-4, 'logProb is the shown text’s');
    }
  });

  it('in multi-line mode, a cut first line gets no block after it; a whole one does', async () => {
    const blockScript = '\nfunction f(value, other, third) {\n  return value + 1;\n}\n';
    const run = async (p: number) => {
      const model = new ScriptModel(blockScript, p);
      const prefix = '\nfunction f(';
      return completeAt(model, new DocumentStates(model), 'doc', prefix, prefix.length, { ...base, multiline: true, maxLines: 5, minExpectedSaving: 0.5 }, () => false);
    };
    const unsure = await run(0.8);
    assert.strictEqual(unsure?.lines, 1);
    assert.strictEqual(unsure?.stop, 'expected-saving');
    const sure = await run(0.999);
    assert.strictEqual(sure?.text, 'value, other, third) {\n  return value + 1;\n}');
  });

  it('keeps a sure line whole and hides one that is not worth the minimum', async () => {
    assert.strictEqual((await complete(0.999, { minExpectedSaving: 0.5 }))?.text, script.slice(prefix.length));
    assert.strictEqual(await complete(0.9, { minExpectedSaving: 4 }), undefined, 'the best cut is worth about 3.1 keystrokes');
  });
});

describe('greedy search bounded by the expected-saving cut', () => {
  function startOf(model: StepModel) {
    const state = model.newState();
    const logProbs = new Float32Array(model.vocabSize);
    model.step(state, NEWLINE_ID, logProbs);
    return { state, logProbs };
  }

  it('stops early but leaves the cut exactly as the full search would, and steps the model less', () => {
    const rng = makeRng(5);
    let fullSteps = 0;
    let boundSteps = 0;
    for (let trial = 0; trial < 300; trial++) {
      const words = ['const', 'x', '=', 'f(', ')', ';', 'return', 'value', '.map', '42'];
      // The script starts after the newline startOf feeds, some lines indented.
      let script = '\n' + ' '.repeat(4 * Math.floor(rng() * 3));
      while (script.length < 120) script += words[Math.floor(rng() * words.length)] + ' ';
      const inner: StepModel = trial % 3 === 0 ? tinyEngine(trial) : new ScriptModel(script, 0.5 + rng() * 0.499);
      const minExpected = [0.25, 0.5, 1, 3][trial % 4];
      const maxChars = 10 + Math.floor(rng() * 70);
      const full = new CountingModel(inner);
      const bound = new CountingModel(inner);
      const a = greedySearch(full, startOf(full), { maxChars, stopAtNewline: true, minCharProb: 0 });
      const b = greedySearch(bound, startOf(bound), { maxChars, stopAtNewline: true, minCharProb: 0, minExpectedSaving: minExpected });
      assert.ok(a.text.startsWith(b.text), `trial ${trial}: the bounded text is a prefix`);
      // As completeAt cuts: never inside the leading indentation.
      const minLength = Math.max(0, a.text.search(/[^ \t]/)) + 1;
      const cutA = cutAtExpectedSaving(a.charLogProbs, a.text.length, minExpected, minLength);
      const cutB = cutAtExpectedSaving(b.charLogProbs, b.text.length, minExpected, minLength);
      assert.strictEqual(cutB.length, cutA.length, `trial ${trial}: same cut`);
      if (cutA.length > 0) assert.ok(Math.abs(cutB.expected - cutA.expected) < 1e-12, `trial ${trial}: same saving`);
      if (b.text.length < a.text.length) assert.strictEqual(b.stop, 'saving-bound');
      fullSteps += full.steps;
      boundSteps += bound.steps;
    }
    assert.ok(boundSteps < fullSteps / 2, `bounded searches stepped ${boundSteps} times, full ones ${fullSteps}`);
  });
});
