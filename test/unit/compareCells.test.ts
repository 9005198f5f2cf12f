import * as assert from 'assert';
import * as path from 'path';
import { compareCellTypes, measureGradientReach } from '../../src/core/compare/compareCells';
import { compareJson, compareReportText, oneLine, reachDistances } from '../../src/core/compare/compareReport';
import { runCompareInWorker } from '../../src/core/compare/compareWorkerClient';
import { isFromCompareWorker } from '../../src/core/compare/compareWorkerProtocol';
import { BpttWindow } from '../../src/core/kernels/bpttWindow';
import { JsOps } from '../../src/core/kernels/jsOps';
import { ModelSpec } from '../../src/core/modelSpec';
import { initParams, paramLayout } from '../../src/core/params';
import { StreamBatches } from '../../src/core/trainer/trainingData';
import { encode } from '../../src/core/vocab';

const SOURCES = Array.from({ length: 5 }, (_, i) => ({ name: `m${i}.py`, text: `def f${i}(x):\n    s = "v${i}"  # note\n    return x * ${i}\n\n`.repeat(25) }));
const TINY = { minutes: 0.01, hidden: 8, embed: 4, seq: 16, batch: 4, conceptChars: 2000, sampleChars: 40, reachWindows: 2, makeOps: () => new JsOps() };

describe('compare cell types', function () {
  this.timeout(120000);

  it('trains each cell type on the same text and measures it the same way', async () => {
    const progress: string[] = [];
    const result = await compareCellTypes(SOURCES, { ...TINY, onProgress: (m) => progress.push(m) });
    for (const cell of ['lstm', 'gru', 'rnn'] as const) {
      const r = result[cell];
      assert.ok(r, cell);
      assert.strictEqual(r.spec.cell, cell === 'lstm' ? undefined : cell);
      assert.ok(r.bitsPerChar !== null && r.bitsPerChar > 0, `${cell} held-out bits/char`);
      assert.ok(r.steps > 0);
      assert.strictEqual(r.gradientReach.length, result.seq);
      assert.ok(r.gradientReach[0] > 0);
      assert.strictEqual(r.sample.length, 40);
      assert.ok(r.conceptCells.some((c) => c.concept === 'inString' && c.auroc !== null));
      // Only an LSTM has c; the others' cells are all h.
      if (cell !== 'lstm') assert.ok(r.conceptCells.every((c) => c.kind === 'h'));
    }
    assert.deepStrictEqual(progress.filter((m) => m.startsWith('training')), ['training the LSTM for 0.01 min', 'training the GRU for 0.01 min', 'training the RNN for 0.01 min']);
    const json = compareJson(result);
    assert.deepStrictEqual(Object.keys(json), ['lstm', 'gru', 'rnn']);
    const text = compareReportText(result);
    assert.match(text, /held-out bits\/char/);
    for (const k of reachDistances(result.seq)) assert.match(text, new RegExp(`\\n\\s+${k}  [#.]{16}`));
  });

  it('trains on every file and measures on held-out text given apart', async () => {
    // The held-out package is JavaScript with if-conditions, which the Python
    // training text never has: finding an if-condition cell shows the cells were named on it.
    const heldOut = [{ name: 'other/a.js', text: 'if (x > 1) {\n  y = "quoted";\n}\n'.repeat(30) }];
    const result = await compareCellTypes(SOURCES, { ...TINY, cells: ['rnn'], valSources: heldOut });
    assert.strictEqual(result.trainChars, SOURCES.reduce((n, s) => n + s.text.length, 0));
    assert.strictEqual(result.valChars, heldOut[0].text.length);
    const rnn = result.rnn;
    assert.ok(rnn && rnn.bitsPerChar !== null);
    assert.ok(rnn.conceptCells.some((c) => c.concept === 'inIfCondition'), 'an if-condition cell is named on the held-out JavaScript');
    const onTraining = await compareCellTypes(SOURCES, { ...TINY, cells: ['rnn'] });
    assert.ok(!onTraining.rnn?.conceptCells.some((c) => c.concept === 'inIfCondition'), 'the training text alone has no if-condition');
  });

  it('stops between cell types when cancelled and reports those done', async () => {
    const controller = new AbortController();
    const result = await compareCellTypes(SOURCES, { ...TINY, onProgress: (m) => m.startsWith('measuring the LSTM') && controller.abort(), signal: controller.signal });
    assert.ok(result.lstm);
    assert.strictEqual(result.gru, undefined);
    assert.deepStrictEqual(Object.keys(compareJson(result)), ['lstm']);
  });

  it('measureGradientReach is the mean of gradientReach over windows after a warm-up window', () => {
    const spec: ModelSpec = { vocabSize: 98, embedDim: 4, hidden: [6], cell: 'rnn' };
    const layout = paramLayout(spec);
    const params = initParams(layout, 2);
    const text = encode(SOURCES[0].text);
    const got = measureGradientReach(new JsOps(), spec, params, text, 2, 8, 2);
    const win = new BpttWindow(new JsOps(), layout, 2, 8, false);
    win.paramsView().set(params);
    const data = new StreamBatches(text, 2, 8);
    const x = new Int32Array(16);
    const y = new Int32Array(16);
    data.fill(0, x, y);
    win.run(x, y, { backward: false });
    const sums = new Array<number>(8).fill(0);
    for (const w of [1, 2]) {
      data.fill(w, x, y);
      win.gradientReach(x, y).forEach((v, k) => (sums[k] += v / 2));
    }
    got.forEach((v, k) => assert.ok(Math.abs(v - sums[k]) < 1e-12 * Math.max(1, sums[k]), `k=${k}`));
  });

  it('shows samples on one printable line', () => {
    assert.strictEqual(oneLine('a\n\tb\u0007c'), 'a⏎→bc');
    assert.strictEqual(oneLine('x'.repeat(200), 10), 'xxxxxxxxx…');
    assert.deepStrictEqual(reachDistances(64), [0, 1, 2, 4, 8, 16, 32, 63]);
    assert.deepStrictEqual(reachDistances(2), [0, 1]);
  });

  it('runs in a worker thread for the editor, and a cancelled run reports what it has', async () => {
    const script = path.join(__dirname, '..', '..', 'src', 'worker', 'compareWorker.js');
    const messages: string[] = [];
    // The worker picks its own kernels: a function cannot cross into a thread.
    const options = { minutes: TINY.minutes, hidden: TINY.hidden, embed: TINY.embed, seq: TINY.seq, batch: TINY.batch, conceptChars: TINY.conceptChars, sampleChars: TINY.sampleChars, reachWindows: TINY.reachWindows };
    const report = await runCompareInWorker({ sources: SOURCES, options: { ...options, cells: ['rnn'] } }, new AbortController().signal, (m) => messages.push(m), script);
    assert.deepStrictEqual(Object.keys(report.json), ['rnn']);
    assert.match(report.text, /RNN/);
    assert.ok(messages.includes('training the RNN for 0.01 min'));
    const cancelled = new AbortController();
    cancelled.abort();
    // The cancel reaches the thread once it is training the first cell type: that one is cut short and reported, no other starts.
    const cut = await runCompareInWorker({ sources: SOURCES, options: { ...options, minutes: 5 } }, cancelled.signal, () => undefined, script);
    assert.deepStrictEqual(Object.keys(cut.json), ['lstm']);
    assert.strictEqual(isFromCompareWorker({ type: 'done', text: 1 }), false);
    assert.strictEqual(isFromCompareWorker({ type: 'progress', message: 'x' }), true);
  });
});
