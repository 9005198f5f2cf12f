import * as assert from 'assert';
import { KneserNeyModel } from '../../src/core/baseline/kneserNeyModel';
import { DEFAULT_SETTINGS, SearchSettings } from '../../src/core/completion';
import { keystrokeFigures, replayTyping } from '../../src/core/eval/keystrokeReplay';
import { StepModel } from '../../src/core/stepModel';
import { encode } from '../../src/core/vocab';

const LOOP = 'for (let i = 0; i < n; i++) {\n  total += values[i];\n}\n';
const SETTINGS: SearchSettings = { ...DEFAULT_SETTINGS, beamWidth: 1, minCharProb: 0 };

/** A confident model that knows nothing: it always expects `q`. */
const Q = encode('q')[0];
function expectQ(lp: Float32Array, offset: number): void {
  lp.fill(Math.log(0.01 / 97), offset, offset + 98);
  lp[offset + Q] = Math.log(0.99);
}
const alwaysQ: StepModel = {
  vocabSize: 98,
  stateSize: 1,
  newState: () => new Float32Array(1),
  step: (_s, _id, lp) => expectQ(lp, 0),
  stepBatch: (_s, _ids, n, lp) => {
    for (let b = 0; b < n; b++) expectQ(lp, b * 98);
  },
};

describe('keystroke replay (eval --keystrokes)', () => {
  it('a model that knows the text saves most keystrokes, and the counts add up', async () => {
    const text = LOOP.repeat(6);
    const model = new KneserNeyModel(7).train([encode(LOOP.repeat(20))]);
    const c = await replayTyping(model, text, SETTINGS);
    assert.strictEqual(c.acceptedChars + c.typedChars, text.length, 'every character is either accepted or typed');
    assert.strictEqual(c.chars, text.length);
    assert.ok(c.accepted <= c.shown && c.shown <= c.requests);
    const f = keystrokeFigures(c);
    assert.ok(f.keystrokesSaved > 0.5, `saved ${f.keystrokesSaved}`);
    assert.strictEqual(f.keystrokesSaved, (c.acceptedChars - c.accepted) / text.length);
    assert.strictEqual(f.acceptRate, c.accepted / c.shown);
  });

  it('a model that knows nothing saves (almost) nothing', async () => {
    const text = LOOP.repeat(2);
    // The model alone: the word memory would complete the loop's names from the first copy.
    const c = await replayTyping(alwaysQ, text, { ...SETTINGS, wordMemory: false });
    assert.ok(c.shown > 0, 'it still shows completions');
    assert.ok(keystrokeFigures(c).keystrokesSaved < 0.05, `saved ${keystrokeFigures(c).keystrokesSaved}`);
    assert.strictEqual(c.acceptedChars + c.typedChars, text.length);
  });

  it('asks only where the rest of the line allows a completion', async () => {
    // Typing `ab` then `c` after auto-closed brackets: a request at every cursor position
    // of a one-line file whose brackets are closed by the editor.
    const text = 'f(x)';
    const c = await replayTyping(alwaysQ, text, SETTINGS);
    // Positions 0..3: before `f` (empty suffix), after `f` (empty), after `(` (suffix `)`), after `x` (suffix `)`).
    assert.strictEqual(c.requests, 4);
  });

  it('stops on cancellation', async () => {
    await assert.rejects(replayTyping(alwaysQ, LOOP, SETTINGS, () => true), /cancelled/);
  });

  it('an empty file costs nothing and saves nothing', async () => {
    const c = await replayTyping(alwaysQ, '', SETTINGS);
    assert.deepStrictEqual(keystrokeFigures(c), { keystrokesSaved: 0, acceptRate: 0 });
  });
});
