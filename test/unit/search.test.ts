import * as assert from 'assert';
import { makeRng } from '../../src/core/params';
import {
  SearchResult,
  StopRules,
  beamSearch,
  greedySearch,
  resolveStopRules,
  sampleStream,
  sampleText,
} from '../../src/core/search';
import { SearchStart, StepModel } from '../../src/core/stepModel';
import { NEWLINE_ID, UNK_CHAR, UNK_ID, VOCAB_SIZE, charToId } from '../../src/core/vocab';

const V = VOCAB_SIZE;
/** A made-up id for the row of the table that gives the distribution of the first character. */
const START_ROW = V;

/**
 * A Markov fake: the state is the last character fed, and the next-char
 * distribution is a fixed table row per last character, so the best texts
 * are known by construction. Row START_ROW is the distribution after the
 * prefix. It also checks the batch shapes beam search passes.
 */
class TableModel implements StepModel {
  readonly vocabSize = V;
  readonly stateSize = 1;
  stepCalls = 0;
  batchCalls = 0;

  /** rows: [V + 1, V] log-probs; row r = after character r, row START_ROW = after the prefix. */
  constructor(private readonly rows: Float32Array) {}

  newState(): Float32Array {
    return new Float32Array(1);
  }

  step(state: Float32Array, id: number, logProbs: Float32Array): void {
    this.stepCalls++;
    state[0] = id;
    logProbs.set(this.row(id));
  }

  stepBatch(states: Float32Array, ids: ArrayLike<number>, n: number, logProbs: Float32Array): void {
    this.batchCalls++;
    assert.strictEqual(states.length, n * this.stateSize, 'states are exactly [n, stateSize]');
    assert.strictEqual(logProbs.length, n * V, 'logProbs are exactly [n, V]');
    assert.strictEqual(ids.length, n);
    for (let i = 0; i < n; i++) {
      assert.strictEqual(states[i], this.lastFed(states[i]), 'each row holds a real state');
      states[i] = ids[i];
      logProbs.set(this.row(ids[i]), i * V);
    }
  }

  start(): SearchStart {
    return { state: Float32Array.of(START_ROW), logProbs: new Float32Array(this.row(START_ROW)) };
  }

  private row(r: number): Float32Array {
    return this.rows.subarray(r * V, (r + 1) * V);
  }

  private lastFed(value: number): number {
    assert.ok(Number.isInteger(value) && value >= 0 && value <= START_ROW, `state ${value} was never fed`);
    return value;
  }
}

function id(ch: string): number {
  return charToId(ch.charCodeAt(0));
}

/** Log-probs for one row: the listed characters get their probabilities, the rest share what is left equally. */
function row(probs: Record<string, number>): Float64Array {
  let listed = 0;
  for (const p of Object.values(probs)) listed += p;
  const others = V - Object.keys(probs).length;
  const rest = (1 - listed) / others;
  const out = new Float64Array(V).fill(Math.log(rest));
  for (const [ch, p] of Object.entries(probs)) out[id(ch)] = Math.log(p);
  return out;
}

/** A table from rows for chosen previous characters ('' = the start row); every other row ends the line. */
function designedModel(rows: Record<string, Record<string, number>>): TableModel {
  const table = new Float32Array((V + 1) * V);
  const endLine = row({ '\n': 0.9 });
  for (let r = 0; r <= V; r++) table.set(endLine, r * V);
  for (const [prev, probs] of Object.entries(rows)) {
    table.set(row(probs), (prev === '' ? START_ROW : id(prev)) * V);
  }
  return new TableModel(table);
}

/** Random log-softmax rows; `newlineBoost` makes lines end after a few characters. */
function randomModel(seed: number, options: { spread?: number; newlineBoost?: number } = {}): TableModel {
  const rng = makeRng(seed);
  const spread = options.spread ?? 6;
  const table = new Float32Array((V + 1) * V);
  const logits = new Float64Array(V);
  for (let r = 0; r <= V; r++) {
    for (let i = 0; i < V; i++) logits[i] = rng() * spread;
    logits[NEWLINE_ID] += options.newlineBoost ?? 2;
    table.set(logSoftmax(logits), r * V);
  }
  return new TableModel(table);
}

function logSoftmax(logits: ArrayLike<number>): Float64Array {
  let max = -Infinity;
  for (let i = 0; i < logits.length; i++) max = Math.max(max, logits[i]);
  let sum = 0;
  for (let i = 0; i < logits.length; i++) sum += Math.exp(logits[i] - max);
  const lse = max + Math.log(sum);
  return Float64Array.from(logits, (x) => x - lse);
}

const rules = (overrides: Partial<StopRules> = {}): StopRules => resolveStopRules(overrides);

function assertSameResult(actual: SearchResult, expected: SearchResult, what: string): void {
  assert.strictEqual(actual.text, expected.text, `${what}: text`);
  assert.deepStrictEqual(actual.ids, expected.ids, `${what}: ids`);
  assert.strictEqual(actual.stop, expected.stop, `${what}: stop`);
  assert.ok(Math.abs(actual.logProb - expected.logProb) <= 1e-9, `${what}: logProb ${actual.logProb} vs ${expected.logProb}`);
  assert.strictEqual(actual.charLogProbs.length, expected.charLogProbs.length, `${what}: charLogProbs`);
  actual.charLogProbs.forEach((lp, i) => assert.ok(Math.abs(lp - expected.charLogProbs[i]) <= 1e-6, `${what}: charLogProbs[${i}]`));
}

/** Each character's log-prob found by feeding `ids` to the model from its start. */
function refedLogProbs(model: TableModel, ids: number[]): number[] {
  const { state, logProbs } = model.start();
  return ids.map((id) => {
    const lp = logProbs[id];
    model.step(state, id, logProbs);
    return lp;
  });
}

const searches: [string, (model: StepModel, start: SearchStart, rules: StopRules) => SearchResult][] = [
  ['greedy', greedySearch],
  ['beam width 3', (model, start, r) => beamSearch(model, start, { ...r, width: 3 })],
];

describe('search', function () {
  describe('beam search with width 1 equals greedy search', function () {
    it('on many random tables, stop rules and floors', function () {
      const pick = makeRng(7);
      for (let seed = 1; seed <= 300; seed++) {
        const model = randomModel(seed, { spread: 1 + pick() * 8, newlineBoost: pick() * 4 });
        const r = rules({
          maxChars: Math.floor(pick() * 40),
          stopAtNewline: pick() < 0.8,
          minCharProb: [0, 0, 0.01, 0.03, 0.1][Math.floor(pick() * 5)],
          stopAtChars: ['', ';', ')(', ' '][Math.floor(pick() * 4)],
        });
        const greedy = greedySearch(model, model.start(), r);
        const beam = beamSearch(model, model.start(), { ...r, width: 1 });
        assertSameResult(beam, greedy, `seed ${seed}`);
      }
    });

    it('also with nonWhitespace set, since no alternative ever finishes at width 1', function () {
      const model = designedModel({ '': { '\n': 0.6, x: 0.3 }, x: { '\n': 0.9 } });
      const greedy = greedySearch(model, model.start(), rules());
      assert.strictEqual(greedy.text, '');
      assertSameResult(beamSearch(model, model.start(), { ...rules(), width: 1, nonWhitespace: true }), greedy, 'width 1');
    });
  });

  describe('per-character log-probs', function () {
    it('are the model’s log-prob of each character of the text, and add up to logProb (greedy and beam)', function () {
      const pick = makeRng(11);
      for (let seed = 1; seed <= 100; seed++) {
        const model = randomModel(seed, { spread: 1 + pick() * 6, newlineBoost: pick() * 3 });
        const r = rules({ maxChars: 1 + Math.floor(pick() * 30), minCharProb: [0, 0.01][Math.floor(pick() * 2)] });
        for (const [name, search] of [...searches, ['beam width 5', (m: StepModel, s: SearchStart, rr: StopRules) => beamSearch(m, s, { ...rr, width: 5 })]] as typeof searches) {
          const result = search(model, model.start(), r);
          const expected = refedLogProbs(model, result.ids);
          assert.strictEqual(result.charLogProbs.length, result.text.length, `${name} seed ${seed}: one per character`);
          result.charLogProbs.forEach((lp, i) => assert.ok(Math.abs(lp - expected[i]) <= 1e-5, `${name} seed ${seed}: char ${i} ${lp} vs ${expected[i]}`));
          const sum = result.charLogProbs.reduce((a, b) => a + b, 0);
          assert.ok(Math.abs(sum - result.logProb) <= 1e-5, `${name} seed ${seed}: sum ${sum} vs logProb ${result.logProb}`);
        }
      }
    });
  });

  describe('beam search', function () {
    it('finds a likelier line than greedy when greedy’s first choice leads nowhere', function () {
      // 'a' is the likelier first char, but after it nothing is likely; 'b' is followed by a sure newline.
      const model = designedModel({
        '': { a: 0.5, b: 0.4 },
        a: { c: 0.03 },
        c: { '\n': 0.99 },
        b: { '\n': 0.95 },
      });
      const greedy = greedySearch(model, model.start(), rules());
      assert.strictEqual(greedy.text, 'ac');
      const beam = beamSearch(model, model.start(), { ...rules(), width: 3 });
      assert.strictEqual(beam.text, 'b');
      assert.strictEqual(beam.stop, 'newline');
      assert.ok(Math.abs(beam.logProb - Math.log(0.4)) < 1e-6);
      assert.ok(beam.logProb > greedy.logProb);
    });

    it('finds the exact best line when the beam is wide enough to keep everything', function () {
      // Only 'a', 'b' and newline are possible, so a width-64 beam never prunes a 5-char search.
      const maxChars = 5;
      const alphabet = [id('a'), id('b')];
      for (let seed = 1; seed <= 20; seed++) {
        const rng = makeRng(1000 + seed);
        const table = new Float32Array((V + 1) * V).fill(-Infinity);
        for (let r = 0; r <= V; r++) {
          const possible = r === START_ROW ? alphabet : [...alphabet, NEWLINE_ID];
          const lp = logSoftmax(possible.map(() => rng() * 3));
          possible.forEach((c, i) => (table[r * V + c] = lp[i]));
        }
        const model = new TableModel(table);
        const at = (prev: number, next: number) => table[prev * V + next];

        let best = { text: '', score: -Infinity, logProb: 0, stop: '' };
        const visit = (text: string, prev: number, logProb: number) => {
          if (text.length === maxChars) {
            if (logProb > best.score) best = { text, score: logProb, logProb, stop: 'length' };
            return;
          }
          if (text.length > 0) {
            const score = logProb + at(prev, NEWLINE_ID);
            if (score > best.score) best = { text, score, logProb, stop: 'newline' };
          }
          for (const c of alphabet) visit(text + String.fromCharCode(c + 32), c, logProb + at(prev, c));
        };
        visit('', START_ROW, 0);

        const beam = beamSearch(model, model.start(), { ...rules({ maxChars }), width: 64 });
        assert.strictEqual(beam.text, best.text, `seed ${seed}`);
        assert.strictEqual(beam.stop, best.stop, `seed ${seed}`);
        assert.ok(Math.abs(beam.logProb - best.logProb) < 1e-9, `seed ${seed}`);
      }
    });

    it('steps all alive hypotheses with one stepBatch call per character and never calls step', function () {
      for (let seed = 1; seed <= 20; seed++) {
        const model = randomModel(seed, { newlineBoost: 0 });
        const result = beamSearch(model, model.start(), { ...rules({ maxChars: 30 }), width: 5 });
        assert.strictEqual(model.stepCalls, 0);
        assert.ok(model.batchCalls <= 29, `${model.batchCalls} batch calls`);
        assert.ok(model.batchCalls >= Math.min(result.ids.length, 29) - 1);
      }
    });

    it('prefers a likely non-whitespace line over an empty one (WHITESPACE_ALTERNATIVE_RATIO)', function () {
      // Ending the line now (0.6) beats "x" then newline (0.27), but 0.27 is well above 0.1 × 0.6.
      const model = designedModel({ '': { '\n': 0.6, x: 0.3 }, x: { '\n': 0.9 } });
      assert.strictEqual(greedySearch(model, model.start(), rules()).text, '');
      const beam = beamSearch(model, model.start(), { ...rules(), width: 4 });
      assert.strictEqual(beam.text, 'x');
      assert.ok(Math.abs(beam.logProb - Math.log(0.3)) < 1e-6);
    });

    it('keeps the empty line when the alternative is too unlikely, unless nonWhitespace is set', function () {
      // "x" then newline: 0.027, below 0.1 × 0.95.
      const model = designedModel({ '': { '\n': 0.95, x: 0.03 }, x: { '\n': 0.9 } });
      assert.strictEqual(beamSearch(model, model.start(), { ...rules(), width: 4 }).text, '');
      const required = beamSearch(model, model.start(), { ...rules(), width: 4, nonWhitespace: true });
      assert.strictEqual(required.text, 'x');
      assert.strictEqual(required.stop, 'newline');
    });

    it('treats spaces and tabs as whitespace too', function () {
      const model = designedModel({ '': { ' ': 0.7, y: 0.2 }, ' ': { '\n': 0.9 }, y: { '\n': 0.9 } });
      assert.strictEqual(greedySearch(model, model.start(), rules()).text, ' ');
      assert.strictEqual(beamSearch(model, model.start(), { ...rules(), width: 4 }).text, 'y');
    });

    it('rejects a width that is not a positive integer', function () {
      const model = randomModel(1);
      for (const width of [0, -1, 1.5, NaN]) {
        assert.throws(() => beamSearch(model, model.start(), { ...rules(), width }), RangeError);
      }
    });
  });

  for (const [name, search] of searches) {
    describe(`stop rules (${name})`, function () {
      // "ab" then newline, "c" only half the time after "b".
      const model = designedModel({
        '': { a: 0.9 },
        a: { b: 0.9 },
        b: { c: 0.5, '\n': 0.3 },
        c: { '\n': 0.9 },
      });

      it('stops before a newline and leaves it out', function () {
        const result = search(model, model.start(), rules());
        assert.strictEqual(result.text, 'abc');
        assert.strictEqual(result.stop, 'newline');
        assert.ok(!result.ids.includes(NEWLINE_ID));
        assert.ok(Math.abs(result.logProb - Math.log(0.9 * 0.9 * 0.5)) < 1e-6);
      });

      it('emits newlines when stopAtNewline is off', function () {
        const result = search(model, model.start(), rules({ stopAtNewline: false, maxChars: 6 }));
        assert.strictEqual(result.text, 'abc\n\n\n');
        assert.strictEqual(result.stop, 'length');
      });

      it('stops at maxChars', function () {
        const result = search(model, model.start(), rules({ maxChars: 2 }));
        assert.strictEqual(result.text, 'ab');
        assert.strictEqual(result.stop, 'length');
        const none = search(model, model.start(), rules({ maxChars: 0 }));
        assert.deepStrictEqual([none.text, none.stop, none.logProb], ['', 'length', 0]);
      });

      it('stops before a character below the probability floor', function () {
        const result = search(model, model.start(), rules({ minCharProb: 0.6 }));
        assert.strictEqual(result.text, 'ab');
        assert.strictEqual(result.stop, 'floor');
        assert.ok(Math.abs(result.logProb - Math.log(0.81)) < 1e-6);
        const nothing = search(model, model.start(), rules({ minCharProb: 0.95 }));
        assert.deepStrictEqual([nothing.text, nothing.stop], ['', 'floor']);
      });

      it('stops before a stop character and leaves it out', function () {
        const result = search(model, model.start(), rules({ stopAtChars: ';b' }));
        assert.strictEqual(result.text, 'a');
        assert.strictEqual(result.stop, 'stop-char');
      });

      it('never emits UNK, even when it is the likeliest character', function () {
        const table = new Float32Array((V + 1) * V);
        const probs = new Float64Array(V).fill(0.001 / (V - 3));
        probs[UNK_ID] = 0.9;
        probs[id('q')] = 0.099;
        probs[NEWLINE_ID] = 1e-6; // so that "qqq" is likelier than ending the line at once
        for (let r = 0; r <= V; r++) table.set(probs.map(Math.log), r * V);
        const unkModel = new TableModel(table);
        const result = search(unkModel, unkModel.start(), rules({ maxChars: 3 }));
        assert.strictEqual(result.text, 'qqq');
        assert.ok(!result.ids.includes(UNK_ID) && !result.text.includes(UNK_CHAR));
      });

      it('does not modify start', function () {
        const random = randomModel(3);
        const start = random.start();
        const state = start.state.slice();
        const logProbs = start.logProbs.slice();
        search(random, start, rules({ maxChars: 20 }));
        assert.deepStrictEqual(start.state, state);
        assert.deepStrictEqual(start.logProbs, logProbs);
      });
    });
  }

  describe('sampleText', function () {
    it('at a very low temperature gives the greedy text', function () {
      for (let seed = 1; seed <= 50; seed++) {
        const model = randomModel(seed, { newlineBoost: 1 });
        const greedy = greedySearch(model, model.start(), rules({ maxChars: 40 }));
        const sample = sampleText(model, model.start(), {
          temperature: 1e-9,
          maxChars: 40,
          stopAtNewline: true,
          rng: makeRng(seed),
        });
        assert.strictEqual(sample.text, greedy.text, `seed ${seed}`);
        assert.strictEqual(sample.stop, greedy.stop, `seed ${seed}`);
        assert.ok(Math.abs(sample.logProb - greedy.logProb) < 1e-9);
      }
    });

    it('is reproducible with a seeded rng and streams the text in chunks', function () {
      const model = randomModel(11, { newlineBoost: 0 });
      const run = () => {
        const chunks: string[] = [];
        const result = sampleText(model, model.start(), {
          temperature: 1,
          maxChars: 100,
          chunkChars: 16,
          rng: makeRng(42),
          onChunk: (text) => chunks.push(text),
        });
        return { result, chunks };
      };
      const first = run();
      const second = run();
      assert.strictEqual(first.result.text.length, 100);
      assert.strictEqual(first.result.stop, 'length');
      assert.deepStrictEqual(second.result, first.result);
      assert.strictEqual(first.chunks.join(''), first.result.text);
      assert.deepStrictEqual(first.chunks.map((c) => c.length), [16, 16, 16, 16, 16, 16, 4]);
      const other = sampleText(model, model.start(), { temperature: 1, maxChars: 100, rng: makeRng(43) });
      assert.notStrictEqual(other.text, first.result.text);
    });

    it('stops at a newline only when asked', function () {
      const model = designedModel({ '': { a: 0.999 }, a: { '\n': 0.999 } });
      const opts = { temperature: 1, maxChars: 4, rng: makeRng(1) };
      const line = sampleText(model, model.start(), { ...opts, stopAtNewline: true });
      assert.deepStrictEqual([line.text, line.stop], ['a', 'newline']);
      assert.strictEqual(sampleText(model, model.start(), opts).text, 'a\n\n\n');
    });

    it('never draws UNK', function () {
      const table = new Float32Array((V + 1) * V);
      const probs = new Float64Array(V).fill(0.5 / (V - 1));
      probs[UNK_ID] = 0.5;
      for (let r = 0; r <= V; r++) table.set(probs.map(Math.log), r * V);
      const model = new TableModel(table);
      const result = sampleText(model, model.start(), { temperature: 2, maxChars: 2000, rng: makeRng(5) });
      assert.strictEqual(result.ids.length, 2000);
      assert.ok(!result.ids.includes(UNK_ID));
    });

    it('stops when the signal is aborted, keeping what it has', function () {
      const model = randomModel(2, { newlineBoost: 0 });
      const signal = { aborted: false };
      const chunks: string[] = [];
      const result = sampleText(model, model.start(), {
        temperature: 1,
        maxChars: 1000,
        chunkChars: 8,
        rng: makeRng(9),
        signal,
        onChunk: (text) => {
          chunks.push(text);
          signal.aborted = true;
        },
      });
      assert.strictEqual(result.stop, 'aborted');
      assert.strictEqual(result.text.length, 8);
      assert.deepStrictEqual(chunks, [result.text]);
      assert.strictEqual(sampleText(model, model.start(), { temperature: 1, maxChars: 10, rng: makeRng(9), signal }).text, '');
    });

    it('does not modify start', function () {
      const model = randomModel(4);
      const start = model.start();
      const state = start.state.slice();
      const logProbs = start.logProbs.slice();
      sampleText(model, start, { temperature: 0.7, maxChars: 50, rng: makeRng(1) });
      assert.deepStrictEqual(start.state, state);
      assert.deepStrictEqual(start.logProbs, logProbs);
    });

    it('rejects a temperature that is not positive', function () {
      const model = randomModel(1);
      for (const temperature of [0, -1, NaN, Infinity]) {
        assert.throws(() => sampleText(model, model.start(), { temperature, maxChars: 5, rng: Math.random }), RangeError);
      }
    });
  });

  describe('sampleStream', function () {
    it('yields the same text as sampleText, in chunks, letting the event loop run between them', async function () {
      const model = randomModel(8, { newlineBoost: 0 });
      const opts = { temperature: 0.8, maxChars: 50, chunkChars: 10 };
      const expected = sampleText(model, model.start(), { ...opts, rng: makeRng(3) });

      // Counts event-loop turns: without real yields it would not move while the stream runs.
      let macrotasks = 0;
      let ticking = true;
      const tick = () => {
        macrotasks++;
        if (ticking) setImmediate(tick);
      };
      setImmediate(tick);
      const stream = sampleStream(model, model.start(), { ...opts, rng: makeRng(3) });
      const chunks: string[] = [];
      const turnsAtChunk: number[] = [];
      let step = await stream.next();
      while (!step.done) {
        chunks.push(step.value);
        turnsAtChunk.push(macrotasks);
        step = await stream.next();
      }
      ticking = false;

      assert.deepStrictEqual(step.value, expected);
      assert.strictEqual(chunks.join(''), expected.text);
      assert.strictEqual(chunks.length, 5);
      assert.ok(turnsAtChunk[4] > turnsAtChunk[0], `timers ran between chunks: ${turnsAtChunk.join(',')}`);
    });

    it('stops when aborted between chunks', async function () {
      const model = randomModel(8, { newlineBoost: 0 });
      const signal = { aborted: false };
      const stream = sampleStream(model, model.start(), { temperature: 1, maxChars: 500, chunkChars: 10, rng: makeRng(1), signal });
      const chunks: string[] = [];
      let step = await stream.next();
      while (!step.done) {
        chunks.push(step.value);
        if (chunks.length === 2) signal.aborted = true;
        step = await stream.next();
      }
      assert.strictEqual(chunks.length, 2);
      assert.strictEqual(step.value.stop, 'aborted');
      assert.strictEqual(step.value.text, chunks.join(''));
    });
  });
});
