import * as assert from 'assert';
import { CompletionService, DEFAULT_DOCUMENT_STATES_OPTIONS, DEFAULT_SETTINGS, SearchSettings, TextSource, completeAt, DocumentStates } from '../../src/core/completion';
import { NAMES_WINDOW_STEP } from '../../src/core/completion/completeAt';
import { MATCH_HISTORY_CHARS } from '../../src/core/completion/documentMatch';
import { StepModel } from '../../src/core/stepModel';
import { UNK_CHAR, UNK_ID, VOCAB_SIZE, charToId } from '../../src/core/vocab';
import { CountingModel, tinyEngine } from './helpers/tinyModels';

/**
 * Completion on the inputs an editor throws at it: a 50 MB document, a line
 * of a megabyte, text outside the vocabulary, a document closed mid-request.
 * What must hold is that a request reads and steps a bounded window of the
 * text, whatever the document's size, and never inserts what the model
 * cannot spell.
 */

const SEARCH: SearchSettings = { maxChars: 80, beamWidth: 4, multiline: false, maxLines: 10, minCharProb: 0, minExpectedSaving: 0, documentMatch: false, wordMemory: false };
const never = () => false;



/** A string as a TextSource that counts how many characters were read from it. */
function countingSource(text: string): TextSource & { read: number } {
  return {
    length: text.length,
    read: 0,
    slice(start: number, end: number): string {
      this.read += Math.max(0, end - start);
      return text.slice(start, end);
    },
  };
}

/** What one request may read: the prime window, one checkpoint interval, and the line scans either side. */
const READ_BOUND = DEFAULT_DOCUMENT_STATES_OPTIONS.maxPrimeChars + DEFAULT_DOCUMENT_STATES_OPTIONS.checkpointInterval + 4 * 4096;
/** With the document cache (on by default) a request also reads the text it matches against. */
// The document cache and the word memory share one read of the text before the cursor; the
// word memory's window starts up to NAMES_WINDOW_STEP earlier.
const READ_BOUND_WITH_CACHE = READ_BOUND + MATCH_HISTORY_CHARS + NAMES_WINDOW_STEP;
/** Steps of one request: the state (prime window + interval) and a beam search of SEARCH. */
const STEP_BOUND = DEFAULT_DOCUMENT_STATES_OPTIONS.maxPrimeChars + DEFAULT_DOCUMENT_STATES_OPTIONS.checkpointInterval + SEARCH.beamWidth * (SEARCH.maxChars + 1) + 1;

describe('completion on hard inputs', () => {
  const engine = tinyEngine(7);

  describe('a 50 MB document', () => {
    const line = 'const value = compute(input, 42);\n';
    const text = line.repeat(Math.ceil((50 << 20) / line.length));
    // The end of the text, and the end of a line in the middle (before its '\n').
    const offsets = [text.length, line.length * 700_000 - 1];

    it('reads and steps a bounded window, at its end and in its middle, without the document cache', async () => {
      assert.ok(text.length >= 50 << 20);
      for (const offset of offsets) {
        const source = countingSource(text);
        const model = new CountingModel(engine);
        const states = new DocumentStates(model);
        await completeAt(model, states, 'huge', source, offset, { ...SEARCH, minCharProb: 0.02 }, never);
        assert.ok(source.read <= READ_BOUND, `read ${source.read} characters at offset ${offset}`);
        assert.ok(model.steps >= DEFAULT_DOCUMENT_STATES_OPTIONS.maxPrimeChars, `the state was built (${model.steps} steps)`);
        assert.ok(model.steps <= STEP_BOUND, `${model.steps} steps at offset ${offset}`);
      }
    });

    it('with the default settings (document cache on) reads the cache\'s 20,000 characters more, and no more', async () => {
      assert.strictEqual(DEFAULT_SETTINGS.documentMatch, true, 'the document cache is on by default');
      for (const offset of offsets) {
        const source = countingSource(text);
        const model = new CountingModel(engine);
        await completeAt(model, new DocumentStates(model), 'huge', source, offset, DEFAULT_SETTINGS, never);
        assert.ok(source.read > MATCH_HISTORY_CHARS, `read only ${source.read}: the cache's history was not read`);
        assert.ok(source.read <= READ_BOUND_WITH_CACHE, `read ${source.read} characters at offset ${offset}`);
      }
    });

    it('reads the same however finely the work is sliced (a busy machine slices it more)', async () => {
      const reads = [];
      for (const sliceMs of [1000, 0]) {
        const source = countingSource(text);
        await completeAt(engine, new DocumentStates(engine), 'huge', source, text.length, DEFAULT_SETTINGS, never, { sliceMs });
        reads.push(source.read);
      }
      assert.strictEqual(reads[1], reads[0], `read ${reads[0]} in one slice, ${reads[1]} in slices of one stop check each`);
    });
  });

  it('completes at the end of a one-megabyte line, reading a bounded part of it', async () => {
    const text = 'a = b + c; '.repeat(100_000);
    const source = countingSource(text);
    const model = new CountingModel(engine);
    const c = await completeAt(model, new DocumentStates(model), 'long', source, text.length, SEARCH, never);
    assert.ok(source.read <= READ_BOUND, `read ${source.read}`);
    assert.ok(model.steps <= STEP_BOUND, `${model.steps} steps`);
    if (c) assert.ok(!c.text.includes('\n') && c.text.length <= SEARCH.maxChars);
  });

  it('stays quiet in the middle of a line whose rest is longer than the scan, without reading it all', async () => {
    const text = 'x'.repeat(1_000_000);
    const source = countingSource(text);
    const c = await completeAt(engine, new DocumentStates(engine), 'long', source, 10, SEARCH, never);
    assert.strictEqual(c, undefined);
    assert.ok(source.read <= READ_BOUND, `read ${source.read}`);
  });

  it('never inserts the unknown character, even when the model likes it best after non-ASCII text', async () => {
    /** Predicts UNK with 0.9 after any UNK input, else 'é'-like noise; then 'x'. */
    const unkLover: StepModel = {
      vocabSize: VOCAB_SIZE,
      stateSize: 1,
      newState: () => new Float32Array(1),
      step(state, id, logProbs) {
        state[0] = id === UNK_ID ? 1 : 0;
        logProbs.fill(Math.log(0.01 / (VOCAB_SIZE - 2)));
        logProbs[UNK_ID] = Math.log(0.9);
        logProbs[charToId('x'.charCodeAt(0))] = Math.log(0.09);
      },
      stepBatch(states, ids, n, logProbs) {
        for (let i = 0; i < n; i++) this.step(states.subarray(i, i + 1), ids[i], logProbs.subarray(i * VOCAB_SIZE, (i + 1) * VOCAB_SIZE));
      },
    };
    const text = '// Größe: 😀 日本語 ';
    for (const beamWidth of [1, 4]) {
      const c = await completeAt(unkLover, new DocumentStates(unkLover), 'u', text, text.length, { ...SEARCH, beamWidth, maxChars: 10 }, never);
      assert.ok(c, `a completion (beam ${beamWidth})`);
      assert.ok(!c.text.includes(UNK_CHAR), `no replacement character in ${JSON.stringify(c.text)}`);
      assert.match(c.text, /^x+$/);
    }
  });

  it('keeps UTF-16 offsets across astral characters (an emoji is two steps, like in training)', () => {
    const model = new CountingModel(engine);
    const states = new DocumentStates(model);
    const text = 'const s = "😀";\n';
    states.stateAt('e', 1, text, text.length);
    // One step per UTF-16 code unit: the emoji's two count as two UNKs.
    assert.strictEqual(text.length, [...text].length + 1);
    assert.strictEqual(model.steps, text.length);
  });

  it('leaves no state behind for a document closed during a request, even one that does not notice', async () => {
    const service = new CompletionService(engine, { stopCheckSteps: 8 });
    const text = 'let total = 0;\n'.repeat(400);
    let closed = false;
    const request = { docId: 'closing', version: 1, text, offset: text.length };
    // The document closes while its state is being built; this request keeps going (its check says nothing).
    const isCancelled = () => {
      if (!closed && service.states.has('closing')) {
        closed = true;
        service.close('closing');
      }
      return false;
    };
    const result = await service.complete(request, SEARCH, isCancelled);
    assert.ok(closed, 'the close happened mid-request');
    assert.strictEqual(result, undefined, 'no completion for a closed document');
    assert.strictEqual(service.states.has('closing'), false, 'the request did not bring its states back');
    assert.strictEqual(service.cache.size, 0);
    // Opened again later, it completes as usual.
    assert.ok(await service.complete({ ...request, version: 2 }, SEARCH, never));
  });
});
