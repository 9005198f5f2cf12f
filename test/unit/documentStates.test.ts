import * as assert from 'assert';
import { DocumentStates } from '../../src/core/completion';
import { makeRng } from '../../src/core/params';
import { SearchStart } from '../../src/core/stepModel';
import { NEWLINE_ID, encode } from '../../src/core/vocab';
import { CountingModel, tinyEngine } from './helpers/tinyModels';



function randomCode(length: number, seed = 3): string {
  const rng = makeRng(seed);
  const words = ['const', 'x', '=', 'foo(', ')', ';', '{', '}', 'return', 'if', '"str"', '// note', '\n', '\n  ', '\t', 'é'];
  let s = '';
  while (s.length < length) s += words[Math.floor(rng() * words.length)] + (rng() < 0.5 ? ' ' : '');
  return s.slice(0, length);
}

function assertClose(actual: Float32Array, expected: Float32Array, what: string): void {
  assert.strictEqual(actual.length, expected.length, `${what}: length`);
  let worst = 0;
  for (let i = 0; i < actual.length; i++) worst = Math.max(worst, Math.abs(actual[i] - expected[i]));
  assert.ok(worst <= 1e-5, `${what}: differs by ${worst}`);
}

function assertStartsEqual(actual: SearchStart | undefined, expected: SearchStart, what: string): void {
  assert.ok(actual, `${what}: no state`);
  assertClose(actual.state, expected.state, `${what} state`);
  assertClose(actual.logProbs, expected.logProbs, `${what} logProbs`);
}

describe('DocumentStates', () => {
  const engine = tinyEngine(7, [16, 12]);

  it('gives the same state as priming the prefix from scratch, at any offset and after edits', () => {
    const text = randomCode(1500);
    const states = new DocumentStates(engine, { checkpointInterval: 64 });
    for (const n of [1, 63, 64, 65, 700, 1500, 10, 640, 641]) {
      assertStartsEqual(states.stateAt('a', 1, text, n), engine.prime(encode(text.slice(0, n)), NEWLINE_ID), `offset ${n}`);
    }
    // Change the text at 300 and ask around it.
    const edited = text.slice(0, 300) + 'let y = 2;' + text.slice(301);
    states.edit('a', 2, 300);
    for (const n of [299, 300, 305, 311, 1200]) {
      assertStartsEqual(states.stateAt('a', 2, edited, n), engine.prime(encode(edited.slice(0, n)), NEWLINE_ID), `after the edit, offset ${n}`);
    }
  });

  it('starts an empty prefix as if after a newline, like Engine.prime', () => {
    const states = new DocumentStates(engine);
    assertStartsEqual(states.stateAt('a', 1, 'abc', 0), engine.prime([], NEWLINE_ID), 'offset 0');
  });

  it('costs exactly one step per typed character', () => {
    const model = new CountingModel(engine);
    const states = new DocumentStates(model, { checkpointInterval: 16 });
    const target = randomCode(400, 5);
    let text = target.slice(0, 50);
    let version = 1;
    states.stateAt('doc', version, text, text.length);
    for (let i = 50; i < target.length; i++) {
      // Type target[i] at the end of the text, then ask at the new cursor.
      text += target[i];
      states.edit('doc', ++version, i);
      const before = model.steps;
      states.stateAt('doc', version, text, i + 1);
      assert.strictEqual(model.steps - before, 1, `typing at ${i}`);
    }
  });

  it('costs one step per character typed in the middle of a document too', () => {
    const model = new CountingModel(engine);
    const states = new DocumentStates(model, { checkpointInterval: 32 });
    let text = randomCode(2000, 9);
    let version = 1;
    let cursor = 1000;
    states.stateAt('doc', version, text, cursor);
    for (const ch of 'const z = foo(1);\n') {
      text = text.slice(0, cursor) + ch + text.slice(cursor);
      states.edit('doc', ++version, cursor);
      cursor++;
      const before = model.steps;
      assertStartsEqual(states.stateAt('doc', version, text, cursor), engine.prime(encode(text.slice(0, cursor)), NEWLINE_ID), `at ${cursor}`);
      assert.strictEqual(model.steps - before, 1);
    }
  });

  it('keeps the states before an edit, drops the ones after it, and recomputes at most one interval', () => {
    const interval = 64;
    const model = new CountingModel(engine);
    const states = new DocumentStates(model, { checkpointInterval: interval });
    const text = randomCode(3000, 11);
    states.stateAt('doc', 1, text, 3000);
    const stored = states.storedOffsets('doc');
    assert.ok(stored);
    assert.deepStrictEqual(
      stored.checkpoints,
      Array.from({ length: Math.floor(3000 / interval) + 1 }, (_, i) => i * interval).filter((o) => o <= 3000),
    );

    const edited = text.slice(0, 1234) + 'X' + text.slice(1235);
    states.edit('doc', 2, 1234);
    const after = states.storedOffsets('doc');
    assert.ok(after);
    assert.ok(after.checkpoints.every((o) => o <= 1234) && after.recent.every((o) => o <= 1234), 'nothing after the edit survives');
    assert.strictEqual(after.checkpoints[after.checkpoints.length - 1], 1216, 'the checkpoints before it do');

    const before = model.steps;
    assertStartsEqual(states.stateAt('doc', 2, edited, 1235), engine.prime(encode(edited.slice(0, 1235)), NEWLINE_ID), 'after the edit');
    assert.ok(model.steps - before <= interval, `recomputed ${model.steps - before} steps`);

    // A jump back into text already read costs at most one interval as well.
    const jump = model.steps;
    states.stateAt('doc', 2, edited, 700);
    assert.ok(model.steps - jump <= interval);
  });

  it('makes backspace and asking again free (recent states)', () => {
    const model = new CountingModel(engine);
    const states = new DocumentStates(model, { checkpointInterval: 256 });
    const text = randomCode(600, 13);
    states.stateAt('doc', 1, text, 590);
    const shorter = text.slice(0, 589) + text.slice(590);
    states.edit('doc', 2, 589);
    const before = model.steps;
    assertStartsEqual(states.stateAt('doc', 2, shorter, 589), engine.prime(encode(shorter.slice(0, 589)), NEWLINE_ID), 'after backspace');
    states.stateAt('doc', 2, shorter, 589);
    assert.strictEqual(model.steps - before, 0);
  });

  it('reads CRLF text like LF text, with document offsets', () => {
    const lf = 'function f() {\n  return 1;\n}\nconst x = f();\n'.repeat(20);
    const crlf = lf.replace(/\n/g, '\r\n');
    const states = new DocumentStates(engine, { checkpointInterval: 16 });
    // The offset in the CRLF text of each LF offset: one more per line break before it.
    for (const n of [5, 15, 16, 17, 100, 333, lf.length]) {
      const breaks = lf.slice(0, n).split('\n').length - 1;
      assertStartsEqual(states.stateAt('crlf', 1, crlf, n + breaks), engine.prime(encode(lf.slice(0, n)), NEWLINE_ID), `LF offset ${n}`);
    }
  });

  it('builds the state from at most maxPrimeChars back in a huge document', () => {
    const interval = 256;
    const maxPrimeChars = 2048;
    const model = new CountingModel(engine);
    const states = new DocumentStates(model, { checkpointInterval: interval, maxPrimeChars });
    const text = randomCode(200_000, 17);
    const offset = 199_999;
    const start = states.stateAt('huge', 1, text, offset);
    assert.ok(model.steps <= maxPrimeChars + interval, `${model.steps} steps`);
    // Exactly the state of priming the text from the fresh start on.
    const base = Math.floor((offset - maxPrimeChars) / interval) * interval;
    assertStartsEqual(start, engine.prime(encode(text.slice(base, offset)), NEWLINE_ID), 'fresh start');
    // A far jump starts afresh again instead of walking from the last checkpoint.
    const before = model.steps;
    states.stateAt('huge', 1, text, 100_000);
    assert.ok(model.steps - before <= maxPrimeChars + interval);
  });

  it('stops when asked, keeps its progress, and goes on from there', () => {
    const model = new CountingModel(engine);
    const states = new DocumentStates(model, { checkpointInterval: 64, stopCheckSteps: 16 });
    const text = randomCode(2000, 19);
    let calls = 0;
    let result: SearchStart | undefined;
    while (!(result = states.stateAt('doc', 1, text, 2000, () => ++calls % 5 === 0))) {
      assert.ok(calls < 1000, 'makes progress');
    }
    assert.strictEqual(model.steps, 2000, 'no step is taken twice');
    assertStartsEqual(result, engine.prime(encode(text), NEWLINE_ID), 'resumed');
  });

  it('drops a document whose version skipped an edit, and forgets closed documents', () => {
    const model = new CountingModel(engine);
    const states = new DocumentStates(model, { checkpointInterval: 64 });
    const text = randomCode(500, 23);
    states.stateAt('doc', 1, text, 500);
    const before = model.steps;
    states.stateAt('doc', 3, text, 500); // version 2's edit was never reported
    assert.strictEqual(model.steps - before, 500, 'rebuilt from scratch');
    states.delete('doc');
    assert.strictEqual(states.has('doc'), false);
    assert.strictEqual(states.stats().bytes, 0);
  });

  it('keeps memory within the budget: least recently used documents go first', () => {
    const interval = 64;
    const entryBytes = (engine.stateSize + engine.vocabSize) * 4 + 160;
    // A document of 1,000 characters holds 24 states (16 checkpoints, 8 recent): room for 4 of them, not 5.
    const budget = 100 * entryBytes;
    const states = new DocumentStates(engine, { checkpointInterval: interval, memoryBudgetBytes: budget, documentBudgetBytes: budget });
    const text = randomCode(1000, 29);
    for (const doc of ['a', 'b', 'c']) states.stateAt(doc, 1, text, 1000);
    states.stateAt('a', 1, text, 10); // a is now the most recently used
    states.stateAt('d', 1, text, 1000);
    assert.deepStrictEqual(states.documents().sort(), ['a', 'c', 'd']);
    assert.ok(states.stats().bytes <= budget);
  });

  it('thins one document to its budget, keeping the checkpoints near the cursor', () => {
    const interval = 32;
    const entryBytes = (engine.stateSize + engine.vocabSize) * 4 + 160;
    const documentBudgetBytes = 40 * entryBytes;
    const states = new DocumentStates(engine, { checkpointInterval: interval, documentBudgetBytes, maxPrimeChars: 100_000 });
    const text = randomCode(20_000, 31);
    states.stateAt('doc', 1, text, 20_000);
    const stored = states.storedOffsets('doc');
    assert.ok(stored);
    assert.ok(states.stats().bytes <= documentBudgetBytes, `${states.stats().bytes} bytes`);
    assert.ok(stored.checkpoints.every((o) => o >= 20_000 - 40 * interval), 'the far ones went');
    // Still exact afterwards.
    assertStartsEqual(states.stateAt('doc', 1, text, 19_990), engine.prime(encode(text.slice(0, 19_990)), NEWLINE_ID), 'after thinning');
  });
});
