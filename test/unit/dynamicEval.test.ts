import * as assert from 'assert';
import { DEFAULT_SETTINGS, SearchSettings } from '../../src/core/completion';
import { DynamicEvalSettings, DynamicEvaluator } from '../../src/core/dynamicEval/dynamicEvaluator';
import { LocalDynamicEvaluation } from '../../src/core/dynamicEval/localDynamicEvaluation';
import { AdaptChunk, MAX_WINDOWS_PER_CHUNK, TypedTextTracker } from '../../src/core/dynamicEval/typedTextTracker';
import { Engine } from '../../src/core/engine';
import { replayTyping } from '../../src/core/eval/keystrokeReplay';
import { scoreText } from '../../src/core/eval/scoreText';
import { JsOps } from '../../src/core/kernels/jsOps';
import { newManifest } from '../../src/core/model/manifest';
import { Model } from '../../src/core/model/modelFiles';
import { ModelSpec } from '../../src/core/modelSpec';
import { initParams, paramLayout } from '../../src/core/params';
import { decode, encode, VOCAB_SIZE } from '../../src/core/vocab';

const LOOP = 'for (let i = 0; i < n; i++) {\n  total += values[i];\n}\n';
const FAST: DynamicEvalSettings = { windowChars: 20, learningRate: 1, decay: 0, maxGradNorm: 5 };

function tinyModel(seed = 3): Model {
  const spec: ModelSpec = { vocabSize: VOCAB_SIZE, embedDim: 8, hidden: [24] };
  const layout = paramLayout(spec);
  return { layout, params: initParams(layout, seed), manifest: newManifest(spec, 'tiny') };
}

function bitsPerChar(model: Model, params: Float32Array, text: string): number {
  const engine = new Engine({ ...model, params }, new JsOps());
  const s = scoreText(engine, text);
  return s.bits / s.chars;
}

describe('dynamic evaluation', () => {
  it('adapted weights predict the text they learned better than the trained ones, and the trained ones are not written', () => {
    const model = tinyModel();
    const before = Float32Array.from(model.params);
    const ev = new DynamicEvaluator(new JsOps(), model.layout, model.params, FAST);
    const r = ev.adapt(encode(LOOP.repeat(8)));
    assert.strictEqual(r.steps, Math.floor((LOOP.length * 8 - 1) / FAST.windowChars));
    assert.strictEqual(r.consumed, r.steps * FAST.windowChars);
    assert.deepStrictEqual(model.params, before, 'the trained weights are unchanged');
    const adapted = bitsPerChar(model, ev.params(), LOOP);
    const trained = bitsPerChar(model, model.params, LOOP);
    assert.ok(adapted < trained - 0.5, `bits/char ${trained.toFixed(3)} -> ${adapted.toFixed(3)}`);
  });

  it('the loss it reports is that of predictions made before each step (so it falls as the text repeats)', () => {
    const model = tinyModel();
    const ev = new DynamicEvaluator(new JsOps(), model.layout, model.params, FAST);
    const first = ev.adapt(encode(LOOP.repeat(3)));
    const later = ev.adapt(encode(LOOP.repeat(3)));
    assert.ok(later.lossSum / later.consumed < first.lossSum / first.consumed, `${first.lossSum / first.consumed} then ${later.lossSum / later.consumed}`);
    const still = new DynamicEvaluator(new JsOps(), model.layout, model.params, { ...FAST, learningRate: 0 });
    const a = still.adapt(encode(LOOP.repeat(3)));
    assert.deepStrictEqual(still.params(), model.params, 'learning rate 0 changes nothing');
    assert.ok(a.lossSum > 0);
  });

  it('decay pulls the weights back toward the trained ones', () => {
    const model = tinyModel();
    const distance = (p: Float32Array) => p.reduce((s, v, i) => s + (v - model.params[i]) ** 2, 0);
    const free = new DynamicEvaluator(new JsOps(), model.layout, model.params, FAST);
    const pulled = new DynamicEvaluator(new JsOps(), model.layout, model.params, { ...FAST, decay: 0.2 });
    const text = encode(LOOP.repeat(6));
    free.adapt(text);
    pulled.adapt(text);
    assert.ok(distance(pulled.params()) < distance(free.params()));
  });

  it('reset goes back to the trained weights; cancellation stops before the next step', () => {
    const model = tinyModel();
    const ev = new DynamicEvaluator(new JsOps(), model.layout, model.params, FAST);
    ev.adapt(encode(LOOP.repeat(2)));
    assert.notDeepStrictEqual(ev.params(), model.params);
    ev.reset();
    assert.deepStrictEqual(ev.params(), model.params);
    assert.strictEqual(ev.steps, 0);
    let asked = 0;
    const r = ev.adapt(encode(LOOP.repeat(4)), () => ++asked > 2);
    assert.strictEqual(r.steps, 2);
    assert.strictEqual(r.consumed, 2 * FAST.windowChars, 'the rest is left for the next call');
  });

  it('rejects bad settings and weights of the wrong size with a message', () => {
    const model = tinyModel();
    assert.throws(() => new DynamicEvaluator(new JsOps(), model.layout, model.params, { ...FAST, windowChars: 1 }), /windowChars/);
    assert.throws(() => new DynamicEvaluator(new JsOps(), model.layout, model.params, { ...FAST, learningRate: -1 }), /learningRate/);
    assert.throws(() => new DynamicEvaluator(new JsOps(), model.layout, new Float32Array(3), FAST), /expected \d+ weights/);
  });

  it('Engine.loadParams swaps weights in place: the same outputs as an engine built with them', () => {
    const a = tinyModel(3);
    const b = tinyModel(4);
    const swapped = new Engine(a, new JsOps());
    swapped.loadParams(b.params);
    const fresh = new Engine(b, new JsOps());
    const ids = encode('let x = 1;\n');
    const s1 = swapped.prime(ids, 95);
    const s2 = fresh.prime(ids, 95);
    assert.deepStrictEqual(s1.logProbs, s2.logProbs);
    assert.throws(() => swapped.loadParams(new Float32Array(5)), /expected \d+ weights/);
  });
});

describe('typed text tracker', () => {
  /** A text source that fails if anything at or after the cursor is read. */
  const upTo = (text: string, cursor: number) => ({
    slice(start: number, end: number): string {
      assert.ok(end <= cursor, `read [${start}, ${end}) past the cursor ${cursor}`);
      return text.slice(start, end);
    },
  });

  it('sends whole windows of text typed forward, each character once, never past the cursor', () => {
    const chunks: AdaptChunk[] = [];
    const tracker = new TypedTextTracker(10, (c) => chunks.push(c));
    const text = LOOP.repeat(3);
    for (let cursor = 0; cursor <= text.length; cursor++) tracker.typed('a', upTo(text, cursor), cursor);
    assert.ok(chunks.length > 0);
    assert.ok(chunks.every((c) => c.ids.length === 11), 'one window (10 inputs and the next character) at a time');
    assert.deepStrictEqual(chunks.map((c) => c.fresh), [true, ...chunks.slice(1).map(() => false)], 'one stream, carried on');
    // Windows overlap by one character: inputs [0,10), [10,20), …
    const learned = chunks.map((c) => decode(c.ids.subarray(0, 10))).join('');
    assert.strictEqual(learned, text.slice(0, learned.length));
    assert.strictEqual(learned.length, Math.floor((text.length - 1) / 10) * 10);
  });

  it('restarts where the cursor goes back, starts fresh on another document, and learns a big paste from its end', () => {
    const chunks: AdaptChunk[] = [];
    const tracker = new TypedTextTracker(10, (c) => chunks.push(c));
    const text = LOOP.repeat(40);
    tracker.typed('a', upTo(text, 0), 0);
    tracker.typed('a', upTo(text, 25), 25);
    tracker.typed('b', upTo(text, 0), 0);
    tracker.typed('b', upTo(text, 11), 11);
    tracker.typed('a', upTo(text, 5), 5);
    tracker.typed('a', upTo(text, 16), 16);
    assert.deepStrictEqual(chunks.map((c) => [c.ids.length, c.fresh]), [[21, true], [11, true], [11, true]]);
    assert.strictEqual(decode(chunks[2].ids), text.slice(5, 16));
    chunks.length = 0;
    tracker.typed('a', upTo(text, text.length), text.length);
    assert.strictEqual(chunks.length, 1);
    assert.strictEqual(chunks[0].ids.length, MAX_WINDOWS_PER_CHUNK * 10 + 1);
    // 'a' had learned up to 15; of the whole windows since, the last MAX_WINDOWS_PER_CHUNK.
    const windows = Math.floor((text.length - 15 - 1) / 10);
    const from = 15 + (windows - MAX_WINDOWS_PER_CHUNK) * 10;
    assert.strictEqual(decode(chunks[0].ids), text.slice(from, from + MAX_WINDOWS_PER_CHUNK * 10 + 1));
  });
});

describe('typing replay with dynamic evaluation', () => {
  // The model alone (the document cache and the word memory also learn repeats), showing whatever it finds.
  const SETTINGS: SearchSettings = { ...DEFAULT_SETTINGS, beamWidth: 1, minCharProb: 0, minExpectedSaving: 0, documentMatch: false, wordMemory: false };
  const text = LOOP.repeat(4);

  async function replay(model: Model, settings: DynamicEvalSettings) {
    const ops = new JsOps();
    const engine = new Engine(model, ops);
    const learner = new LocalDynamicEvaluation(engine, ops, model.layout, model.params, settings);
    const counts = await replayTyping(engine, text, SETTINGS, undefined, learner);
    return { counts, learner, engine };
  }

  it('learning the file as it is typed changes what the replay shows; with learning rate 0 nothing changes', async () => {
    const model = tinyModel();
    const plain = await replayTyping(new Engine(model, new JsOps()), text, SETTINGS);
    const still = await replay(model, { ...FAST, learningRate: 0 });
    assert.deepStrictEqual(still.counts, plain, 'the plumbing alone changes nothing');
    const learning = await replay(model, FAST);
    assert.strictEqual(learning.learner.evaluator.steps, Math.floor((text.length - 1) / FAST.windowChars));
    assert.strictEqual(learning.counts.acceptedChars + learning.counts.typedChars, text.length);
    assert.notDeepStrictEqual(learning.counts, plain);
    assert.notStrictEqual(learning.counts.shown, plain.shown, `shown ${plain.shown} without, ${learning.counts.shown} with`);
  });

  it('reset puts the trained weights back in the engine', async () => {
    const model = tinyModel();
    const { learner, engine } = await replay(model, FAST);
    const ids = encode('for');
    const trained = new Engine(model, new JsOps()).prime(ids, 95).logProbs;
    assert.notDeepStrictEqual(engine.prime(ids, 95).logProbs, trained);
    learner.reset();
    assert.deepStrictEqual(engine.prime(ids, 95).logProbs, trained);
  });
});
