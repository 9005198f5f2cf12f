import * as assert from 'assert';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { benchSoak } from '../../src/bench/soakBench';
import { JsOps } from '../../src/core/kernels/jsOps';
import { newManifest } from '../../src/core/model/manifest';
import { saveModel } from '../../src/core/model/modelFiles';
import { initParams, makeRng, paramLayout } from '../../src/core/params';
import { VOCAB_SIZE } from '../../src/core/vocab';

/**
 * A shortened `bench soak` as a correctness check (no timing asserts): a
 * few simulated minutes of typing across more documents than the states'
 * memory budget holds. At every request the states of one document stay
 * within the per-document budget and all of them within the total budget,
 * however the typist moves between documents.
 */

function sourceFile(seed: number, lines: number): string {
  const rng = makeRng(seed);
  const parts = ['const a = b(c);', 'if (x) {', '  return y;', '}', '// note', 'let s = "str";', 'fn(1, [2, 3]);', ''];
  return Array.from({ length: lines }, () => parts[Math.floor(rng() * parts.length)]).join('\n') + '\n';
}

describe('soak: many documents, simulated typing (shortened bench soak)', function () {
  const layout = paramLayout({ vocabSize: VOCAB_SIZE, embedDim: 8, hidden: [16] });
  /** Bytes of one stored state of this model, as DocumentStates counts them (state + distribution + overhead). */
  const entryBytes = (2 * 16 + VOCAB_SIZE) * 4 + 160;
  let dir: string;
  before(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'lstm-lens-soak-'));
    await saveModel(dir, { layout, params: initParams(layout, 3), manifest: newManifest(layout.spec, 'tiny') });
  });
  after(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('serves requests in every simulated minute and keeps the states within both budgets across 40 documents', async () => {
    // Files from 20 to 1,500 lines: the long ones outgrow one document's budget, all together the total.
    const files = Array.from({ length: 40 }, (_, i) => ({ name: `f${i}.ts`, text: sourceFile(i + 1, 20 + ((i * 397) % 1500)) }));
    const stateOptions = { checkpointInterval: 64, documentBudgetBytes: 40 * entryBytes, memoryBudgetBytes: 400 * entryBytes };
    const minutesSeen = new Set<number>();
    const settings = { maxChars: 20, beamWidth: 2, multiline: false, maxLines: 1, minCharProb: 0, minExpectedSaving: 0, documentMatch: true, wordMemory: true };
    const result = await benchSoak({
      modelDir: dir,
      files,
      docs: 40,
      minutes: 4,
      charsPerSecond: 5,
      seed: 1,
      settings,
      stateOptions,
      ops: new JsOps(),
      onProgress: (s) => minutesSeen.add(Math.floor(s / 60)),
    });
    assert.deepStrictEqual(result.run, { minutes: 4, docs: 40, files: 40, charsPerSecond: 5, seed: 1, settings }, 'the result says what it ran');
    assert.ok(result.simulatedMinutes >= 4, `${result.simulatedMinutes} simulated minutes`);
    assert.ok([0, 1, 2, 3].every((m) => minutesSeen.has(m)), `progress through every minute (${[...minutesSeen]})`);
    assert.ok(result.requests > 100 && result.requests <= result.keystrokes, `${result.requests} requests, ${result.keystrokes} keystrokes`);
    assert.ok(result.shown > 0);
    assert.strictEqual(result.states.documentBudgetBytes, stateOptions.documentBudgetBytes);
    assert.ok(result.states.maxDocumentBytes > stateOptions.documentBudgetBytes / 2, 'some document came near its budget (the check is not vacuous)');
    assert.ok(result.states.maxDocumentBytes <= stateOptions.documentBudgetBytes, `one document held ${result.states.maxDocumentBytes} bytes`);
    assert.ok(result.states.maxTotalBytes <= stateOptions.memoryBudgetBytes, `all documents held ${result.states.maxTotalBytes} bytes`);
    assert.ok(result.states.endDocuments < 40, 'least recently used documents were let go to stay within the total');
    for (const m of [result.start, result.end]) assert.ok(m.rssBytes > 0 && m.heapUsedBytes > 0);
  });
});
