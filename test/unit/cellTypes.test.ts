import * as assert from 'assert';
import { findCellsForConcepts, recordActivations } from '../../src/core/cells';
import { recordWindow } from '../../src/core/cells/recordWindow';
import { completeAt } from '../../src/core/completion/completeAt';
import { DocumentStates } from '../../src/core/completion/documentStates';
import { Engine } from '../../src/core/engine';
import { BpttWindow } from '../../src/core/kernels/bpttWindow';
import { JsOps } from '../../src/core/kernels/jsOps';
import { createWasmOps } from '../../src/core/kernels/wasmOps';
import { newManifest } from '../../src/core/model/manifest';
import { CellType, ModelSpec, stateSize } from '../../src/core/modelSpec';
import { initParams, makeRng, paramLayout } from '../../src/core/params';
import { LocalGradientSource, ParallelGradientSource } from '../../src/core/trainer/gradientSource';
import { trainModel } from '../../src/core/trainer/trainer';
import { VOCAB_SIZE, encode } from '../../src/core/vocab';

const TEXT = 'def add(a, b):\n    s = "a + b"\n    return a + b  # sum\n\n';

function engineFor(cell: CellType, seed = 3, hidden = [12, 10], scale = 2): Engine {
  const spec: ModelSpec = { vocabSize: VOCAB_SIZE, embedDim: 6, hidden, cell };
  const layout = paramLayout(spec);
  const params = initParams(layout, seed);
  for (let i = 0; i < params.length; i++) params[i] *= scale;
  return new Engine({ layout, params, manifest: newManifest(spec, cell) }, new JsOps());
}

describe('GRU and plain RNN models beyond the kernels', function () {
  this.timeout(120000);

  for (const cell of ['gru', 'rnn'] as const) {
    describe(cell, () => {
      it('the engine carries h alone, and stepping equals the training window\'s forward pass', () => {
        const engine = engineFor(cell);
        assert.strictEqual(engine.stateSize, 22, 'h of both layers, no c');
        assert.strictEqual(engine.stateSize, stateSize(engine.spec));
        const ids = Array.from(encode(TEXT));
        const state = engine.newState();
        const lp = new Float32Array(VOCAB_SIZE);
        let nats = 0;
        for (let t = 0; t + 1 < ids.length; t++) {
          engine.step(state, ids[t], lp);
          nats -= lp[ids[t + 1]];
        }
        const layout = paramLayout(engine.spec);
        const win = new BpttWindow(new JsOps(), layout, 1, ids.length - 1, false);
        win.paramsView().set(initParams(layout, 3).map((v) => v * 2));
        const r = win.run(ids.slice(0, -1), ids.slice(1), { backward: false });
        assert.ok(Math.abs(r.lossSum - nats) < 1e-3, `window ${r.lossSum} vs engine ${nats}`);
      });

      it('stepBatch (beam search) gives the same states and log-probabilities as step, on wasm too', () => {
        for (const makeOps of [() => new JsOps(), () => createWasmOps()]) {
          const base = engineFor(cell);
          const spec = base.spec;
          const layout = paramLayout(spec);
          const engine = new Engine({ layout, params: initParams(layout, 3).map((v) => v * 2), manifest: newManifest(spec, cell) }, makeOps());
          const S = engine.stateSize;
          const ids = [5, 17, 40];
          const states = new Float32Array(3 * S);
          const singles = ids.map(() => engine.newState());
          const lpBatch = new Float32Array(3 * VOCAB_SIZE);
          const lpOne = new Float32Array(VOCAB_SIZE);
          for (let step = 0; step < 4; step++) {
            engine.stepBatch(states, ids.map((id) => id + step), 3, lpBatch);
            singles.forEach((st, k) => {
              engine.step(st, ids[k] + step, lpOne);
              for (let i = 0; i < S; i++) assert.ok(Math.abs(st[i] - states[k * S + i]) < 1e-5, `${engine.ops.name} state ${k}[${i}]`);
              for (let v = 0; v < VOCAB_SIZE; v++) assert.ok(Math.abs(lpOne[v] - lpBatch[k * VOCAB_SIZE + v]) < 1e-4, `${engine.ops.name} logProb ${k}[${v}]`);
            });
          }
        }
      });

      it('records h only, refuses c with a clear message, and counts its own gates', async () => {
        const engine = engineFor(cell);
        const act = recordActivations(engine, TEXT);
        assert.deepStrictEqual(act.tracks.map((t) => `${t.layer}${t.kind}`), ['0h', '1h']);
        // The recorded h is the state's h: a tanh output, never all zero here.
        assert.ok(act.tracks[0].values.some((v) => v !== 0) && act.tracks[0].values.every((v) => Math.abs(v) <= 1));
        assert.throws(() => recordActivations(engine, TEXT, { kinds: ['h', 'c'] }), new RegExp(`${cell.toUpperCase()} has no memory cell c`));
        await assert.rejects(recordWindow(engine, TEXT, { start: 0, end: 10, kinds: ['c'] }), /has no memory cell c/);
        const gates = act.gateCounts[0].gates.map((g) => g.name);
        assert.deepStrictEqual(gates, cell === 'gru' ? ['z', 'r'] : []);
        if (cell === 'gru') {
          // Counted from z (block 0) and r (block 1) of the engine's gate rows: count them here too.
          const big = engineFor(cell, 3, [12, 10], 8);
          const counts = recordActivations(big, TEXT).gateCounts[0];
          const expected = new Uint32Array(4 * 12);
          const state = big.newState();
          const lp = new Float32Array(VOCAB_SIZE);
          big.step(state, encode('\n')[0], lp);
          for (const id of encode(TEXT)) {
            big.step(state, id, lp);
            const g = big.lastGates(0);
            for (let k = 0; k < 2; k++) for (let j = 0; j < 12; j++) {
              if (g[k * 12 + j] < 0.1) expected[2 * k * 12 + j]++;
              else if (g[k * 12 + j] > 0.9) expected[(2 * k + 1) * 12 + j]++;
            }
          }
          assert.deepStrictEqual(Array.from(counts.counts), Array.from(expected));
          assert.ok(expected.some((v) => v > 0), 'large random weights saturate some gates');
        }
        const win = await recordWindow(engine, TEXT, { start: 5, end: 20 });
        assert.ok(win);
        assert.deepStrictEqual(Array.from(win.tracks[1].values), Array.from(act.tracks[1].values.subarray(5 * 10, 20 * 10)));
      });

      it('finds concept cells among h units, with AUROC, against a random model of its own kind', () => {
        const engine = engineFor(cell);
        const res = findCellsForConcepts(engine, [{ text: TEXT.repeat(4), language: 'python' }], { probe: false });
        const inString = res.concepts.inString;
        assert.ok(inString, 'strings occur in the text');
        assert.strictEqual(inString.kind, 'h');
        assert.ok(res.randomBaseline?.inString?.kind === 'h');
        assert.strictEqual(res.saturation.length, 2);
        assert.deepStrictEqual(Object.keys(res.saturation[0].gates), cell === 'gru' ? ['z', 'r'] : []);
      });

      it('completes code, greedy and beam', async () => {
        const engine = engineFor(cell, 7, [16]);
        const states = new DocumentStates(engine);
        const settings = { maxChars: 20, beamWidth: 1, multiline: false, maxLines: 1, minCharProb: 0, minExpectedSaving: 0, documentMatch: false, wordMemory: false };
        for (const beamWidth of [1, 3]) {
          const c = await completeAt(engine, states, 'doc', 'x = ', 4, { ...settings, beamWidth }, () => false);
          // A random model may well say nothing; when it does speak, it is one bounded line.
          if (c) assert.ok(c.text.length <= 20 && !c.text.includes('\n'));
        }
      });

      it('trains: the loss falls on a tiny corpus, and two threads agree with one', async () => {
        const spec: ModelSpec = { vocabSize: 98, embedDim: 16, hidden: [32], cell };
        const layout = paramLayout(spec);
        const out = await trainModel(layout, initParams(layout, 1), [{ name: 'tiny.py', text: TEXT.repeat(30) }], {
          seq: 32,
          batch: 4,
          learningRate: 1e-2,
          epochs: 15,
          valFraction: 0,
          makeOps: () => new JsOps(),
        });
        assert.ok(out.trainBitsPerChar < 1.5, `${cell} trained to ${out.trainBitsPerChar} bits/char`);

        const two = paramLayout({ ...spec, hidden: [12, 10] });
        const params = initParams(two, 4);
        const rng = makeRng(8);
        const train = Uint8Array.from({ length: 6 * 10 * 3 + 1 }, () => Math.floor(rng() * 98));
        const data = { train, val: new Uint8Array(0), B: 6, T: 10, valB: 0, valT: 10 };
        const a = new LocalGradientSource(createWasmOps(), two, data);
        const b = new ParallelGradientSource(createWasmOps(), two, data, 2);
        try {
          const req = { dataset: 'train' as const, window: 0, backward: true, dropout: 0, seed: 1 };
          const ra = await a.run(params, req);
          const rb = await b.run(params, req);
          assert.ok(Math.abs(ra.lossSum - rb.lossSum) < 1e-3 * Math.abs(ra.lossSum), `loss ${ra.lossSum} vs ${rb.lossSum}`);
          let worst = 0;
          a.grads().forEach((g, i) => (worst = Math.max(worst, Math.abs(g - b.grads()[i]))));
          assert.ok(worst < 1e-5, `max gradient difference ${worst}`);
        } finally {
          await b.dispose();
        }
      });
    });
  }
});
