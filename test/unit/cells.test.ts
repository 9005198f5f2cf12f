import * as assert from 'assert';
import {
  Activations,
  CellKind,
  auroc,
  aurocFromRanks,
  cellValues,
  countGateSaturation,
  findCellsForConcepts,
  findMatches,
  gateSaturation,
  newGateSaturationCounts,
  midRanks,
  pearson,
  rankCellsForConcept,
  rankCellsForConcepts,
  rankCellsForConceptsSliced,
  rankCellsForSpan,
  recordActivations,
  shareBudget,
  spearman,
  storeNamedCells,
} from '../../src/core/cells';
import { CONCEPT_NAMES } from '../../src/core/concepts';
import { Engine } from '../../src/core/engine';
import { createFastestOps } from '../../src/core/kernels/wasmOps';
import { newManifest } from '../../src/core/model/manifest';
import { ModelSpec } from '../../src/core/modelSpec';
import { initParams, makeRng, paramLayout } from '../../src/core/params';
import { NEWLINE_ID, VOCAB_SIZE, charToId } from '../../src/core/vocab';
import { textbookPearson } from './helpers/textbookPearson';

interface TrackShape {
  layer: number;
  kind: CellKind;
  units: number;
}

const SHAPES: TrackShape[] = [
  { layer: 0, kind: 'h', units: 8 },
  { layer: 0, kind: 'c', units: 8 },
  { layer: 1, kind: 'h', units: 8 },
  { layer: 1, kind: 'c', units: 8 },
];

/** A made-up recording: value(t, track, unit) for every character. */
function synthetic(T: number, value: (t: number, shape: TrackShape, unit: number) => number, shapes = SHAPES): Activations {
  const tracks = shapes.map((s) => {
    const values = new Float32Array(T * s.units);
    for (let t = 0; t < T; t++) for (let j = 0; j < s.units; j++) values[t * s.units + j] = value(t, s, j);
    return { ...s, values };
  });
  return { chars: T, tracks, surprise: new Float32Array(T), gateCounts: [], segments: [{ start: 0, end: T, textLength: T }] };
}

/** Uniform noise in [-a, a], a fresh deterministic stream per call. */
function noise(seed: number, a = 0.4) {
  const rng = makeRng(seed);
  return () => (rng() * 2 - 1) * a;
}

function bruteAuroc(scores: number[], labels: number[]): number {
  let wins = 0;
  let pairs = 0;
  scores.forEach((x, i) => {
    if (!labels[i]) return;
    scores.forEach((y, j) => {
      if (labels[j]) return;
      pairs++;
      wins += x > y ? 1 : x === y ? 0.5 : 0;
    });
  });
  return pairs ? wins / pairs : 0.5;
}

/** Rank by the definition: 1 + values below + half the other equal values. O(n²). */
function bruteRanks(xs: number[]): number[] {
  return xs.map((x) => 1 + xs.filter((y) => y < x).length + (xs.filter((y) => y === x).length - 1) / 2);
}

/** Spearman ρ by the textbook route: brute-force ranks, then Pearson's formula written out. */
function bruteSpearman(a: number[], b: number[]): number {
  return textbookPearson(bruteRanks(a), bruteRanks(b));
}

function tinyEngine(spec: ModelSpec, seed = 3): Engine {
  const layout = paramLayout(spec);
  return new Engine({ layout, params: initParams(layout, seed), manifest: newManifest(spec, 'tiny') }, createFastestOps());
}

describe('cells', () => {
  describe('auroc', () => {
    it('is 1 for a perfect detector, 0 reversed, 0.5 for ties and for one class only', () => {
      assert.strictEqual(auroc([1, 2, 3, 4], [0, 0, 1, 1]), 1);
      assert.strictEqual(auroc([4, 3, 2, 1], [0, 0, 1, 1]), 0);
      assert.strictEqual(auroc([5, 5, 5, 5], [0, 1, 0, 1]), 0.5);
      assert.strictEqual(auroc([1, 2, 3], [1, 1, 1]), 0.5);
      assert.strictEqual(auroc([], []), 0.5);
      // Pairs (pos, neg): (2,1) win, (2,2) tie, (3,1) win, (3,2) win.
      assert.strictEqual(auroc([1, 2, 2, 3], [0, 1, 0, 1]), 0.875);
    });

    it('matches the pairwise definition on random scores with many ties', () => {
      const rng = makeRng(11);
      for (let k = 0; k < 20; k++) {
        const n = 1 + Math.floor(rng() * 60);
        const scores = Array.from({ length: n }, () => Math.floor(rng() * 5));
        const labels = Array.from({ length: n }, () => (rng() < 0.4 ? 1 : 0));
        assert.ok(Math.abs(auroc(scores, labels) - bruteAuroc(scores, labels)) < 1e-12);
      }
    });
  });

  describe('ranks, Spearman ρ and AUROC from ranks', () => {
    it('mid-ranks match the definition, ties averaged', () => {
      assert.deepStrictEqual([...midRanks([3, 1, 3, 2, 3], 5, new Float64Array(5))], [4, 1, 4, 2, 4]);
      assert.deepStrictEqual([...midRanks(Float32Array.of(0, -0, -1e30, 2.5, -2.5, 1e-40), 6, new Float64Array(6))], [3.5, 3.5, 1, 6, 2, 5]);
      const rng = makeRng(11);
      for (let trial = 0; trial < 20; trial++) {
        const n = 1 + Math.floor(rng() * 60);
        const xs = Array.from({ length: n }, () => Math.floor(rng() * 7) - 3 + (rng() < 0.3 ? rng() : 0));
        assert.deepStrictEqual([...midRanks(xs, n, new Float64Array(n))], bruteRanks(xs), `trial ${trial}`);
        // A Float32Array takes the packed-key path: the same ranks for the same (float32) values.
        const f32 = Float32Array.from(xs, (x) => (rng() < 0.1 ? -x : x));
        assert.deepStrictEqual([...midRanks(f32, n, new Float64Array(n))], bruteRanks([...f32]), `trial ${trial} (float32)`);
      }
    });

    it('Spearman ρ matches the brute-force ranks on data with many ties, and is 0 when one side is constant', () => {
      const rng = makeRng(12);
      for (let trial = 0; trial < 30; trial++) {
        const n = 2 + Math.floor(rng() * 80);
        const a = Array.from({ length: n }, () => Math.floor(rng() * 5));
        const b = a.map((x) => (rng() < 0.5 ? x : Math.floor(rng() * 4)));
        const want = bruteSpearman(a, b);
        assert.ok(Math.abs(spearman(a, b) - want) < 1e-12, `trial ${trial}: ${spearman(a, b)} vs ${want}`);
      }
      assert.strictEqual(spearman([1, 2, 3], [5, 5, 5]), 0);
      // Any increasing transform leaves ρ at 1, where Pearson r falls.
      const xs = Array.from({ length: 50 }, (_, i) => i);
      assert.strictEqual(spearman(xs, xs.map((x) => Math.exp(x / 3))), 1);
      assert.ok(pearson(xs, xs.map((x) => Math.exp(x / 3))) < 0.6);
    });

    it('AUROC from the rank sum equals the pairwise AUROC, ties counting half', () => {
      const rng = makeRng(13);
      for (let trial = 0; trial < 20; trial++) {
        const n = 2 + Math.floor(rng() * 100);
        const scores = Array.from({ length: n }, () => Math.floor(rng() * 6));
        const labels = scores.map(() => (rng() < 0.3 ? 1 : 0));
        const positives = labels.reduce((x: number, y) => x + y, 0);
        const got = aurocFromRanks(midRanks(scores, n, new Float64Array(n)), labels, positives, n);
        assert.ok(Math.abs(got - bruteAuroc(scores, labels)) < 1e-12, `trial ${trial}`);
      }
    });
  });

  describe('rankCellsForConcept', () => {
    const T = 2000;
    const signal = (t: number) => Math.sin(t / 17) + (t % 300 < 100 ? 1 : 0);

    it('puts the cell that tracks the signal first with r ≈ 1, and an anti-correlated cell next', () => {
      const n = noise(1);
      const act = synthetic(T, (t, s, j) => {
        if (s.layer === 1 && s.kind === 'c' && j === 5) return 3 * signal(t) + 1;
        if (s.layer === 0 && s.kind === 'h' && j === 2) return -signal(t) + n() * 0.5;
        return n();
      });
      const labels = Float32Array.from({ length: T }, (_, t) => signal(t));
      const ranking = rankCellsForConcept(act, labels, { probe: false });
      assert.deepStrictEqual({ ...ranking.cells[0], r: undefined }, { layer: 1, cell: 5, kind: 'c', r: undefined, rho: 1, sign: 1 });
      assert.ok(ranking.cells[0].r > 0.9999, `r = ${ranking.cells[0].r}`);
      assert.deepStrictEqual([ranking.cells[1].layer, ranking.cells[1].cell, ranking.cells[1].kind], [0, 2, 'h']);
      assert.ok(ranking.cells[1].r < -0.8);
      assert.ok(Math.abs(ranking.cells[2].r) < 0.2, 'noise cells correlate weakly');
      assert.strictEqual(ranking.binary, false);
      assert.strictEqual(ranking.cells[0].auroc, undefined);
    });

    it('adds AUROC for a yes/no concept and flags a constant one', () => {
      const n = noise(2);
      const yes = (t: number) => (t % 50 < 10 ? 1 : 0);
      const act = synthetic(T, (t, s, j) => (s.layer === 0 && s.kind === 'c' && j === 7 ? yes(t) * 0.5 + n() * 0.1 : n()));
      const ranking = rankCellsForConcept(act, Float32Array.from({ length: T }, (_, t) => yes(t)), { probe: false });
      assert.deepStrictEqual([ranking.cells[0].layer, ranking.cells[0].cell, ranking.cells[0].kind], [0, 7, 'c']);
      assert.strictEqual(ranking.binary, true);
      assert.strictEqual(ranking.positives, T / 5);
      assert.ok(ranking.cells[0].auroc! > 0.99);
      const constant = rankCellsForConcept(act, new Float32Array(T), { probe: false });
      assert.strictEqual(constant.constant, true);
      assert.ok(constant.cells.every((c) => c.r === 0));
    });

    it('ranks a yes/no concept by AUROC either way round: a clean detector with outliers beats a higher Pearson r', () => {
      const yes = (t: number) => (t % 40 < 12 ? 1 : 0);
      const n = noise(21);
      const act = synthetic(T, (t, s, j) => {
        // 0c3: perfectly separates yes from no, but a few huge values wreck its r.
        if (s.layer === 0 && s.kind === 'c' && j === 3) return yes(t) ? (t % 97 < 3 ? 60 : 1 + n() * 0.1) : n() * 0.1;
        // 1h6: lower on yes, a clean detector the other way round.
        if (s.layer === 1 && s.kind === 'h' && j === 6) return yes(t) ? -0.5 + n() * 0.1 : 0.5 + n() * 0.1;
        // 1c0: follows yes loosely (higher r than 0c3, worse AUROC).
        if (s.layer === 1 && s.kind === 'c' && j === 0) return yes(t) + n() * 2;
        return n();
      });
      const labels = Float32Array.from({ length: T }, (_, t) => yes(t));
      const ranking = rankCellsForConcept(act, labels, { probe: false, top: 40 });
      const find = (layer: number, kind: CellKind, cell: number) => ranking.cells.findIndex((c) => c.layer === layer && c.kind === kind && c.cell === cell);
      const outlier = ranking.cells[find(0, 'c', 3)];
      const reversed = ranking.cells[find(1, 'h', 6)];
      const loose = ranking.cells[find(1, 'c', 0)];
      assert.deepStrictEqual([find(0, 'c', 3), find(1, 'h', 6)].sort(), [0, 1], 'the two clean detectors lead');
      assert.strictEqual(outlier.auroc, 1);
      assert.strictEqual(outlier.sign, 1);
      assert.strictEqual(reversed.auroc, 1, 'AUROC is taken either sign');
      assert.strictEqual(reversed.sign, -1);
      assert.ok(Math.abs(loose.r) > Math.abs(outlier.r), `r: loose ${loose.r}, outlier cell ${outlier.r}`);
      assert.ok(loose.auroc! < outlier.auroc!);
      assert.ok(ranking.cells.every((c) => c.auroc! >= 0.5 && c.rho === undefined));
    });

    it('ranks a count by |Spearman ρ|: a monotone but curved cell beats a linear noisy one', () => {
      const depth = (t: number) => Math.floor(t / 7) % 6;
      const n = noise(22);
      const act = synthetic(T, (t, s, j) => {
        if (s.layer === 0 && s.kind === 'c' && j === 1) return -Math.exp(depth(t) * 1.5) + n() * 0.01;
        if (s.layer === 1 && s.kind === 'h' && j === 2) return depth(t) / 5 + n();
        return n();
      });
      const labels = Float32Array.from({ length: T }, (_, t) => depth(t));
      const ranking = rankCellsForConcept(act, labels, { probe: false });
      const best = ranking.cells[0];
      assert.deepStrictEqual([best.layer, best.kind, best.cell], [0, 'c', 1]);
      // Not −1: the labels tie within a run and the cell's values do not.
      assert.ok(best.rho! < -0.95 && best.sign === -1, `rho ${best.rho}`);
      const linear = ranking.cells.find((c) => c.layer === 1 && c.kind === 'h' && c.cell === 2)!;
      assert.ok(Math.abs(linear.r) > Math.abs(best.r), 'Pearson r would have picked the noisy linear cell');
      assert.strictEqual(best.auroc, undefined);
      const labelsRho = bruteSpearman(Array.from(labels), Array.from(cellValues(act, best)));
      assert.ok(Math.abs(best.rho! - labelsRho) < 1e-9);
    });

    it('ranks several concepts in one pass exactly as one at a time', () => {
      const n = noise(23);
      const act = synthetic(400, (t, s, j) => Math.sin(t * (j + 1) * 0.01 + (s.layer + 1)) + n());
      const a = Float32Array.from({ length: 400 }, (_, t) => (t % 30 < 9 ? 1 : 0));
      const b = Float32Array.from({ length: 400 }, (_, t) => t % 50);
      const both = rankCellsForConcepts(act, [{ labels: a }, { labels: b }], { probe: false, top: 5 });
      assert.deepStrictEqual(both[0].cells, rankCellsForConcept(act, a, { probe: false, top: 5 }).cells);
      assert.deepStrictEqual(both[1].cells, rankCellsForConcept(act, b, { probe: false, top: 5 }).cells);
    });

    it('ranks in time slices to the same result, yielding between slices, and stops when cancelled', async () => {
      const n = noise(24);
      const act = synthetic(600, (t, s, j) => Math.sin(t * (j + 2) * 0.013 + s.layer) + n());
      const concepts = [{ labels: Float32Array.from({ length: 600 }, (_, t) => (t % 40 < 15 ? 1 : 0)) }, { labels: Float32Array.from({ length: 600 }, (_, t) => t % 23) }];
      let yields = 0;
      const sliced = await rankCellsForConceptsSliced(act, concepts, { probe: false, top: 6 }, { sliceMs: -1, yieldNow: async () => void yields++ });
      assert.deepStrictEqual(sliced, rankCellsForConcepts(act, concepts, { probe: false, top: 6 }));
      assert.strictEqual(yields, 4 * 8, 'a yield after every cell when every slice is over time');
      let asked = 0;
      const cancelled = await rankCellsForConceptsSliced(act, concepts, { probe: false }, { sliceMs: -1, yieldNow: async () => undefined, isCancelled: () => ++asked > 3 });
      assert.strictEqual(cancelled, undefined);
      assert.strictEqual(asked, 4);
    });

    it('the sparse probe combines cells where no single one is enough', () => {
      const rng = makeRng(5);
      const a = new Float32Array(T).map(() => rng() * 2 - 1);
      const b = new Float32Array(T).map(() => rng() * 2 - 1);
      const n = noise(6);
      const act = synthetic(T, (t, s, j) => {
        if (s.layer === 0 && s.kind === 'h' && j === 1) return a[t];
        if (s.layer === 1 && s.kind === 'h' && j === 4) return b[t];
        return n();
      });
      const labels = Float32Array.from({ length: T }, (_, t) => a[t] - 2 * b[t]);
      const ranking = rankCellsForConcept(act, labels);
      const probe = ranking.probe!;
      assert.ok(probe, 'a probe was fitted');
      assert.ok(Math.abs(ranking.cells[0].r) < 0.95, 'no single cell is enough');
      assert.ok(probe.heldOutR > 0.99, `held-out r = ${probe.heldOutR}`);
      assert.ok(probe.bestSingleHeldOutR < 0.95);
      const chosen = probe.cells.map((c) => `${c.layer}${c.kind}${c.cell}`).sort();
      assert.ok(chosen.includes('0h1') && chosen.includes('1h4'), `probe cells ${chosen}`);
      assert.ok(probe.cells.length <= 5);
      const wa = probe.cells.find((c) => c.layer === 0 && c.cell === 1)!.weight;
      const wb = probe.cells.find((c) => c.layer === 1 && c.cell === 4)!.weight;
      assert.ok(wa > 0 && wb < 0 && Math.abs(wb / wa + 2) < 0.1, `weights ${wa} ${wb}`);
    });
  });

  describe('rankCellsForSpan and findMatches', () => {
    const T = 600;
    const n = noise(9, 0.3);
    const inA = (t: number) => (t >= 100 && t < 120) || (t >= 300 && t < 310) || (t >= 500 && t < 520);
    const inB = (t: number) => (t >= 100 && t < 120) || (t >= 300 && t < 310);
    const act = synthetic(T, (t, s, j) => {
      if (s.layer === 1 && s.kind === 'h' && j === 3) return inA(t) ? 0.9 : -0.5 + n() * 0.1;
      if (s.layer === 0 && s.kind === 'c' && j === 6) return inB(t) ? 0.8 + n() * 0.05 : n();
      return n();
    });
    const A = { layer: 1, cell: 3, kind: 'h' as const };
    const B = { layer: 0, cell: 6, kind: 'c' as const };

    it('finds the planted cells that switch on over a span', () => {
      const r = rankCellsForSpan(act, 100, 120, { threshold: 0.5, offBeforeAfter: 3 });
      const ids = (list: { layer: number; cell: number; kind: string }[]) => list.map((c) => `${c.layer}${c.kind}${c.cell}`);
      assert.deepStrictEqual(ids(r.onThroughout).sort(), ['0c6', '1h3']);
      assert.strictEqual(ids(r.byDifference)[0], '1h3');
      assert.ok(Math.abs(r.byDifference[0].inside - 0.9) < 1e-6);
      assert.strictEqual(rankCellsForSpan(act, 50, 50, { threshold: 0.5 }).onThroughout.length, 0, 'an empty span selects nothing');
      // A span that starts before the cells switch on: they are not on throughout it.
      assert.deepStrictEqual(rankCellsForSpan(act, 95, 120, { threshold: 0.5 }).onThroughout, []);
    });

    it('finds the other places where the same cells are on together', () => {
      assert.deepStrictEqual(findMatches(act, [A, B], 0.5, { exclude: { start: 100, end: 120 } }), [{ start: 300, end: 310, overlap: 1 }]);
      const loose = findMatches(act, [A, B], 0.5, { minFraction: 0.5 });
      assert.deepStrictEqual(
        loose.map((m) => [m.start, m.end, m.overlap]),
        [
          [100, 120, 1],
          [300, 310, 1],
          [500, 520, 0.5],
        ],
      );
      assert.deepStrictEqual(findMatches(act, [], 0.5), []);
    });
  });

  describe('gateSaturation', () => {
    it('counts the fraction of steps each i, f, o gate is below 0.1 or above 0.9', () => {
      const H = 2;
      const counts = newGateSaturationCounts(0, H);
      // Rows [4H]: i (2), f (2), g (2, ignored), o (2).
      const steps = [
        [0.05, 0.5, 0.95, 0.99, 0.01, 0.99, 0.5, 0.5],
        [0.05, 0.95, 0.95, 0.5, 0.01, 0.99, 0.5, 0.02],
        [0.5, 0.95, 0.95, 0.05, 0.01, 0.99, 0.95, 0.02],
        [0.05, 0.5, 0.5, 0.05, 0.01, 0.99, 0.95, 0.5],
      ];
      for (const g of steps) countGateSaturation(counts, Float32Array.from(g));
      const [layer] = gateSaturation([counts]);
      assert.strictEqual(layer.steps, 4);
      assert.deepStrictEqual([...layer.gates.i.left], [0.75, 0]);
      assert.deepStrictEqual([...layer.gates.i.right], [0, 0.5]);
      assert.deepStrictEqual([...layer.gates.f.left], [0, 0.5]);
      assert.deepStrictEqual([...layer.gates.f.right], [0.75, 0.25]);
      assert.deepStrictEqual([...layer.gates.o.left], [0, 0.5]);
      assert.deepStrictEqual([...layer.gates.o.right], [0.5, 0]);
      assert.strictEqual(layer.gates.i.meanLeft, 0.375);
    });
  });

  describe('on a real (random, tiny) model', () => {
    const spec: ModelSpec = { vocabSize: VOCAB_SIZE, embedDim: 4, hidden: [16, 8] };
    const engine = tinyEngine(spec);
    const text = 'def f(x):\n    return "a\\"b" # c\n';

    it('records [chars, units] per layer and kind', () => {
      const act = recordActivations(engine, text);
      assert.strictEqual(act.chars, text.length);
      assert.deepStrictEqual(
        act.tracks.map((t) => [t.layer, t.kind, t.units, t.values.length]),
        [
          [0, 'h', 16, text.length * 16],
          [0, 'c', 16, text.length * 16],
          [1, 'h', 8, text.length * 8],
          [1, 'c', 8, text.length * 8],
        ],
      );
      assert.strictEqual(act.surprise.length, text.length);
      assert.deepStrictEqual(
        act.gateCounts.map((g) => [g.layer, g.units, g.steps]),
        [
          [0, 16, text.length],
          [1, 8, text.length],
        ],
      );
      const only = recordActivations(engine, text, { layers: [1], kinds: ['c'] });
      assert.deepStrictEqual(
        only.tracks.map((t) => [t.layer, t.kind]),
        [[1, 'c']],
      );
      assert.throws(() => recordActivations(engine, text, { layers: [2] }), /layer 2 does not exist/);
    });

    it('row t is the state after stepping the engine over characters 0..t from a newline', () => {
      const act = recordActivations(engine, text);
      const state = engine.newState();
      const logProbs = new Float32Array(VOCAB_SIZE);
      engine.step(state, NEWLINE_ID, logProbs);
      const offsets = { h0: 0, c0: 16, h1: 32, c1: 40 };
      for (let t = 0; t < text.length; t++) {
        const id = charToId(text.charCodeAt(t));
        assert.ok(Math.abs(act.surprise[t] - -logProbs[id] / Math.LN2) < 1e-5, `surprise at ${t}`);
        engine.step(state, id, logProbs);
        for (const track of act.tracks) {
          const from = offsets[`${track.kind}${track.layer}` as keyof typeof offsets];
          const row = track.values.subarray(t * track.units, (t + 1) * track.units);
          assert.deepStrictEqual([...row], [...state.subarray(from, from + track.units)], `layer ${track.layer} ${track.kind} at ${t}`);
        }
      }
      assert.deepStrictEqual([...cellValues(act, { layer: 1, cell: 2, kind: 'h' }, 3, 5)], [act.tracks[2].values[3 * 8 + 2], act.tracks[2].values[4 * 8 + 2]]);
    });

    it('skips a CR (its row repeats the state, surprise 0) so CRLF text reads like LF', () => {
      const lf = recordActivations(engine, 'a\nb');
      const crlf = recordActivations(engine, 'a\r\nb');
      const h0 = (act: Activations, t: number) => [...act.tracks[0].values.subarray(t * 16, (t + 1) * 16)];
      assert.deepStrictEqual(h0(crlf, 1), h0(crlf, 0));
      assert.strictEqual(crlf.surprise[1], 0);
      assert.deepStrictEqual(h0(crlf, 2), h0(lf, 1));
      assert.deepStrictEqual(h0(crlf, 3), h0(lf, 2));
    });

    it('caps the characters, shares the cap fairly, and restarts the state for each text', () => {
      assert.deepStrictEqual(shareBudget([10, 100, 1000], 90), [10, 40, 40]);
      assert.deepStrictEqual(shareBudget([5, 5], 100), [5, 5]);
      assert.deepStrictEqual(shareBudget([7], 0), [0]);
      const act = recordActivations(engine, ['xyz', text, text], { maxChars: 23 });
      assert.deepStrictEqual(
        act.segments.map((s) => [s.start, s.end, s.textLength]),
        [
          [0, 3, 3],
          [3, 13, text.length],
          [13, 23, text.length],
        ],
      );
      assert.deepStrictEqual([...act.tracks[3].values.subarray(3 * 8, 13 * 8)], [...act.tracks[3].values.subarray(13 * 8, 23 * 8)], 'the same text from a fresh state gives the same rows');
    });

    it('finds a cell per concept beside a random baseline, and stores them in the manifest', () => {
      const files = [
        { name: 'a.py', text: 'def f(x):\n    if (x and\n            y):\n        return "s" # c\n    return 0\n', language: 'python' as const },
        { name: 'b.ts', text: 'function g(a: number[]) {\n  if (a[0] > 1) { return `t${a}`; } // c\n  return [a, [a]];\n}\n', language: 'typescript' as const },
      ];
      const found = findCellsForConcepts(engine, files, { keepActivations: true, randomSeed: 9 });
      assert.strictEqual(found.chars, files[0].text.length + files[1].text.length);
      assert.ok(found.activations);
      assert.ok(found.randomBaseline);
      for (const name of CONCEPT_NAMES) {
        const best = found.concepts[name]!;
        assert.ok(best, name);
        assert.ok(Math.abs(best.r) <= 1);
        assert.ok(found.randomBaseline[name]);
        const yesNo = ['inString', 'inComment', 'inIfCondition'].includes(name);
        assert.strictEqual(best.auroc !== undefined, yesNo, `${name} has an AUROC only if yes/no`);
        assert.strictEqual(best.rho !== undefined, !yesNo, `${name} has a rho only if a count`);
        const strength = (c: { auroc?: number; rho?: number }) => c.auroc ?? Math.abs(c.rho!);
        assert.ok(best.top.every((c, i) => i === 0 || strength(best.top[i - 1]) >= strength(c)), `${name}: ranked by AUROC or |rho|`);
      }
      assert.strictEqual(found.saturation.length, 2);
      assert.ok(found.bitsPerChar > 0);

      const manifest = newManifest(spec, 'tiny');
      manifest.cells = { myCell: { layer: 0, cell: 1, kind: 'h', r: 0.5 } };
      storeNamedCells(manifest, found);
      assert.deepStrictEqual(Object.keys(manifest.cells).sort(), ['bracketDepth', 'inComment', 'inIfCondition', 'inString', 'indentDepth', 'linePosition', 'myCell']);
      const s = manifest.cells.inString;
      assert.deepStrictEqual([s.layer, s.cell, s.kind], [found.concepts.inString!.layer, found.concepts.inString!.cell, found.concepts.inString!.kind]);
      assert.strictEqual(typeof s.randomR, 'number');
      assert.strictEqual(s.auroc, Math.round(found.concepts.inString!.auroc! * 1e4) / 1e4);
      assert.strictEqual(typeof manifest.cells.indentDepth.rho, 'number');
      assert.strictEqual(typeof manifest.cells.indentDepth.randomRho, 'number');
      assert.strictEqual(s.chars, found.chars);
    });
  });
});
