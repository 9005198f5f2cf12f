import * as assert from 'assert';
import { JsOps } from '../../src/core/kernels/jsOps';
import { createWasmOps } from '../../src/core/kernels/wasmOps';
import { initParams, makeRng, paramLayout } from '../../src/core/params';
import { Adam, clipByGlobalNorm } from '../../src/core/trainer/adam';
import { LocalGradientSource, ParallelGradientSource } from '../../src/core/trainer/gradientSource';
import { StreamBatches, fitBatchShape, splitTrainVal } from '../../src/core/trainer/trainingData';
import { trainModel } from '../../src/core/trainer/trainer';
import { encode } from '../../src/core/vocab';

const TINY = 'def add(a, b):\n    return a + b\n\n'.repeat(40);

describe('trainer', function () {
  it('overfits a tiny corpus: training loss falls below 0.35 bits/char', async () => {
    const layout = paramLayout({ vocabSize: 98, embedDim: 16, hidden: [48] });
    const out = await trainModel(layout, initParams(layout, 1), [{ name: 'tiny.py', text: TINY }], {
      seq: 32,
      batch: 4,
      learningRate: 1e-2,
      epochs: 40,
      valFraction: 0,
      threads: 1,
    });
    assert.ok(out.trainBitsPerChar < 0.35, `train bits/char ${out.trainBitsPerChar}`);
    assert.strictEqual(out.stoppedBecause, 'epochs');
  });

  it('validates on held-out text, keeps the best weights and stops early', async () => {
    const layout = paramLayout({ vocabSize: 98, embedDim: 8, hidden: [16] });
    const sources = Array.from({ length: 6 }, (_, i) => ({ name: `f${i}.py`, text: TINY.slice(0, 400 + 37 * i) }));
    const seen: number[] = [];
    const out = await trainModel(layout, initParams(layout, 2), sources, {
      seq: 16,
      batch: 4,
      learningRate: 5e-1, // far too high: validation gets worse and training must stop
      epochs: 50,
      patience: 2,
      evalEverySeconds: Infinity,
      onProgress: (p) => p.valBitsPerChar !== undefined && p.phase === 'validate' && seen.push(p.valBitsPerChar),
    });
    assert.ok(out.valBitsPerChar !== undefined && Number.isFinite(out.valBitsPerChar));
    assert.strictEqual(out.stoppedBecause, 'early-stop');
    assert.ok(out.epochs < 50);
    assert.ok(out.valChars > 0);
  });

  it('stops when cancelled, and returns usable weights', async () => {
    const layout = paramLayout({ vocabSize: 98, embedDim: 8, hidden: [16] });
    const controller = new AbortController();
    let steps = 0;
    const out = await trainModel(layout, initParams(layout, 3), [{ name: 'a.py', text: TINY }], {
      seq: 8,
      batch: 2,
      epochs: 1000,
      signal: controller.signal,
      onProgress: () => {
        if (++steps === 5) controller.abort();
      },
    });
    assert.strictEqual(out.stoppedBecause, 'cancelled');
    assert.ok(out.steps >= 5 && out.steps < 10, `steps ${out.steps}`);
    assert.ok(out.params.every(Number.isFinite));
  });

  it('--start-at begins the pass that far into the text, so a continued run reads what an earlier one did not reach', async () => {
    // One stream over 'aaa…bbb…': from the start a few steps see only a's, from half way only b's.
    const text = 'a'.repeat(2000) + 'b'.repeat(2000);
    const valOnB = async (startAt: number) => {
      const layout = paramLayout({ vocabSize: 98, embedDim: 8, hidden: [16] });
      const controller = new AbortController();
      let last = NaN;
      await trainModel(layout, initParams(layout, 4), [{ name: 'ab.txt', text }], {
        seq: 16,
        batch: 1,
        learningRate: 3e-2,
        startAt,
        valSources: [{ name: 'b.txt', text: 'b'.repeat(600) }],
        evalEverySeconds: 0,
        patience: 1000,
        signal: controller.signal,
        onValidate: (v) => {
          last = v.valBitsPerChar;
          if (v.step >= 40) controller.abort();
        },
      });
      return last;
    };
    const fromStart = await valOnB(0);
    const fromHalf = await valOnB(0.5);
    assert.ok(fromHalf < 0.5, `from half way the b's are learned: ${fromHalf} bits/char`);
    assert.ok(fromStart > 2, `from the start they are not: ${fromStart} bits/char`);
  });

  it('refuses an empty corpus with a clear message', async () => {
    const layout = paramLayout({ vocabSize: 98, embedDim: 8, hidden: [8] });
    await assert.rejects(trainModel(layout, initParams(layout), [], {}), /empty/);
  });

  it('two threads give the same loss and gradient as one', async () => {
    const layout = paramLayout({ vocabSize: 98, embedDim: 8, hidden: [16, 12] });
    const params = initParams(layout, 4);
    const rng = makeRng(8);
    const train = Uint8Array.from({ length: 6 * 10 * 3 + 1 }, () => Math.floor(rng() * 98));
    const data = { train, val: new Uint8Array(0), B: 6, T: 10, valB: 0, valT: 10 };
    const one = new LocalGradientSource(createWasmOps(), layout, data);
    const two = new ParallelGradientSource(createWasmOps(), layout, data, 2);
    try {
      for (let w = 0; w < 2; w++) {
        const req = { dataset: 'train' as const, window: w, backward: true, dropout: 0, seed: 1 };
        const a = await one.run(params, req);
        const b = await two.run(params, req);
        assert.ok(Math.abs(a.lossSum - b.lossSum) < 1e-3 * Math.abs(a.lossSum), `loss ${a.lossSum} vs ${b.lossSum}`);
        const ga = one.grads();
        const gb = two.grads();
        let worst = 0;
        for (let i = 0; i < ga.length; i++) worst = Math.max(worst, Math.abs(ga[i] - gb[i]));
        assert.ok(worst < 1e-5, `max gradient difference ${worst}`);
      }
    } finally {
      await two.dispose();
    }
  });
});

describe('training data and optimiser pieces', () => {
  it('holds out whole files, stably, when there are enough of them', () => {
    const sources = Array.from({ length: 10 }, (_, i) => ({ name: `src/f${i}.ts`, text: `// file ${i}\n`.repeat(20) }));
    const a = splitTrainVal(sources, 0.2);
    const b = splitTrainVal([...sources].reverse(), 0.2);
    assert.strictEqual(a.valBy, 'files');
    assert.ok(a.valFiles >= 2 && a.trainFiles + a.valFiles === 10);
    assert.deepStrictEqual(Array.from(a.val), Array.from(b.val));
  });

  it('holds out the tail of a single file', () => {
    const s = splitTrainVal([{ name: 'a', text: 'x'.repeat(99) }], 0.1);
    assert.strictEqual(s.valBy, 'tail');
    assert.strictEqual(s.train.length + s.val.length, 100);
    assert.strictEqual(s.val.length, 10);
  });

  it('stream batches read contiguous slices, and y is x shifted by one', () => {
    const data = encode('abcdefghijklmnopqrstuvwxyz');
    const sb = new StreamBatches(data, 2, 4);
    const x = new Int32Array(8);
    const y = new Int32Array(8);
    sb.fill(1, x, y);
    const dec = (a: Int32Array) => String.fromCharCode(...Array.from(a, (i) => i + 32));
    assert.strictEqual(dec(x), 'efghqrst'); // row 1 starts at 12 = floor(25 / 2)
    assert.strictEqual(dec(y), 'fghirstu');
    assert.strictEqual(sb.windows, 3);
  });

  it('fits the batch shape to a tiny corpus', () => {
    assert.deepStrictEqual(fitBatchShape(100, 32, 64), { B: 1, T: 64 });
    assert.deepStrictEqual(fitBatchShape(10, 32, 64), { B: 1, T: 8 });
    assert.deepStrictEqual(fitBatchShape(1e6, 32, 64), { B: 32, T: 64 });
  });

  it('clips by global norm and Adam moves against the gradient', () => {
    const g = Float32Array.from([3, 4]);
    assert.strictEqual(clipByGlobalNorm(g, 1), 5);
    assert.ok(Math.abs(Math.hypot(g[0], g[1]) - 1) < 1e-6);
    const p = Float32Array.from([1, 1]);
    new Adam(2, 0.1).update(p, Float32Array.from([1, -1]));
    assert.ok(Math.abs(p[0] - 0.9) < 1e-6 && Math.abs(p[1] - 1.1) < 1e-6);
  });

  it('the JS reference ops are usable as a training back end', async () => {
    const layout = paramLayout({ vocabSize: 98, embedDim: 4, hidden: [8] });
    const out = await trainModel(layout, initParams(layout), [{ name: 'a', text: TINY.slice(0, 300) }], { seq: 8, batch: 2, epochs: 2, makeOps: () => new JsOps(), valFraction: 0 });
    assert.ok(out.steps > 0 && Number.isFinite(out.trainBitsPerChar));
  });
});
