import * as assert from 'assert';
import { Activations, CellRef, recordActivations } from '../../src/core/cells';
import { robustLimit, sparseLimit, levelsOf } from '../../src/core/cells/colorScale';
import { addCellsOn, findMatches, matchRuns } from '../../src/core/cells/findMatches';
import { rankCellsForSpan } from '../../src/core/cells/rankCellsForSpan';
import { WindowActivations } from '../../src/core/cells/recordWindow';
import { CONCEPT_NAMES } from '../../src/core/concepts/conceptNames';
import { labelConcepts } from '../../src/core/concepts/labelConcepts';
import { SparseCodes, featureValues, newDictionary } from '../../src/core/features/dictionary';
import { addFeaturesOn, rankFeaturesForSpan } from '../../src/core/features/featureSpans';
import { FeatureFindings } from '../../src/core/features/labelFeatures';
import { fitNormalisation } from '../../src/core/features/normalisation';
import { stateMatrixOf } from '../../src/core/features/stateMatrix';
import { Engine } from '../../src/core/engine';
import { createFastestOps } from '../../src/core/kernels/wasmOps';
import { newManifest } from '../../src/core/model/manifest';
import { ModelSpec } from '../../src/core/modelSpec';
import { initParams, paramLayout } from '../../src/core/params';
import { encodeWindow, encodeWindowSliced, featureEntries, featureNames, rankFeaturesOnWindow } from '../../src/host/heatmap/featureList';
import { hypothesisInWindow } from '../../src/host/heatmap/hypothesis';
import { TrackSpec, defaultViewState, parseTrack, parseViewState, parseWebviewMessage, sameTrack } from '../../src/host/heatmap/protocol';
import { applyIntent } from '../../src/host/heatmap/viewChanges';
import { buildTrack, buildTracks } from '../../src/host/heatmap/viewModel';

/** Deterministic pseudo-random numbers in [0, 1). */
function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

/** Random sparse codes: k slots a row, distinct features, some slots unused (value 0). */
function randomCodes(rows: number, features: number, k: number, seed: number): SparseCodes {
  const r = rng(seed);
  const index = new Int32Array(rows * k);
  const value = new Float32Array(rows * k);
  for (let t = 0; t < rows; t++) {
    const picked = new Set<number>();
    while (picked.size < k) picked.add(Math.floor(r() * features));
    [...picked].forEach((j, s) => {
      index[t * k + s] = j;
      value[t * k + s] = r() < 0.3 ? 0 : Math.round(r() * 20) / 10;
    });
  }
  return { rows, k, index, value };
}

/** The same codes as a dense recording: one track whose units are the features (what rankCellsForSpan and findMatches read). */
function denseRecording(codes: SparseCodes, features: number): Activations {
  const values = new Float32Array(codes.rows * features);
  for (let j = 0; j < features; j++) featureValues(codes, j).forEach((v, t) => (values[t * features + j] = v));
  return { chars: codes.rows, tracks: [{ layer: 0, kind: 'h', units: features, values }], surprise: new Float32Array(codes.rows), gateCounts: [], segments: [{ start: 0, end: codes.rows, textLength: codes.rows }] };
}

function tinyEngine(spec: ModelSpec, seed: number): Engine {
  const layout = paramLayout(spec);
  return new Engine({ layout, params: initParams(layout, seed), manifest: newManifest(spec, 'tiny') }, createFastestOps());
}

const SPEC: ModelSpec = { vocabSize: 98, embedDim: 8, hidden: [6] };

describe('heatmap: dictionary features as tracks', () => {
  it('ranks features over a span from the sparse codes exactly as the dense cell ranking does on the same values', () => {
    const F = 12;
    for (let seed = 1; seed <= 20; seed++) {
      const codes = randomCodes(60, F, 3, seed);
      const dense = denseRecording(codes, F);
      const r = rng(seed * 7);
      const start = Math.floor(r() * 50);
      const end = start + 1 + Math.floor(r() * 8);
      for (const threshold of [-0.5, 0, 0.4, 1.1]) {
        for (const around of [0, 2]) {
          const opts = { threshold, offBeforeAfter: around, top: F };
          const sparse = rankFeaturesForSpan(codes, F, start, end, opts);
          const cells = rankCellsForSpan(dense, start, end, opts);
          const key = (x: { inside: number; outside: number; minInside: number }) => [x.inside, x.outside, x.minInside].map((v) => v.toFixed(6)).join(' ');
          const byFeature = new Map(sparse.byDifference.map((s) => [s.feature, key(s)]));
          for (const c of cells.byDifference) assert.strictEqual(byFeature.get(c.cell), key(c), `seed ${seed}, feature ${c.cell}`);
          assert.deepStrictEqual(
            sparse.onThroughout.map((s) => s.feature).sort((a, b) => a - b),
            cells.onThroughout.map((s) => s.cell).sort((a, b) => a - b),
            `seed ${seed}, threshold ${threshold}, around ${around}`,
          );
        }
      }
    }
  });

  it('counts features on per character as findMatches counts cells, so mixed hypotheses match the same runs', () => {
    const F = 10;
    for (let seed = 1; seed <= 10; seed++) {
      const codes = randomCodes(80, F, 4, seed);
      const dense = denseRecording(codes, F);
      const chosen = [1, 4, 7];
      const refs: CellRef[] = chosen.map((cell) => ({ layer: 0, cell, kind: 'h' }));
      for (const threshold of [-1, 0, 0.5]) {
        const on = new Uint32Array(codes.rows);
        addFeaturesOn(codes, chosen, threshold, on);
        const viaCells = new Uint32Array(codes.rows);
        addCellsOn(dense, refs, threshold, viaCells);
        assert.deepStrictEqual(Array.from(on), Array.from(viaCells));
        assert.deepStrictEqual(matchRuns(on, chosen.length, { minFraction: 0.6 }), findMatches(dense, refs, threshold, { minFraction: 0.6 }));
      }
    }
  });

  it('hypothesis search keeps the features on throughout the span and finds where they and the cells are on again', () => {
    // Feature 3 fires over [10, 15) and [40, 45); nothing else is above 0.5 anywhere; no cell is on.
    const T = 60;
    const k = 2;
    const index = new Int32Array(T * k);
    const value = new Float32Array(T * k);
    for (let t = 0; t < T; t++) {
      index[t * k] = 3;
      index[t * k + 1] = 5;
      value[t * k] = (t >= 10 && t < 15) || (t >= 40 && t < 45) ? 2 : 0;
      value[t * k + 1] = 0.2;
    }
    const codes = { rows: T, k, index, value };
    const cellsOff = denseRecording({ rows: T, k: 1, index: new Int32Array(T), value: new Float32Array(T) }, 2);
    const act: WindowActivations = { ...cellsOff, offset: 100, stepsBeforeWindow: 100 };
    const found = hypothesisInWindow(act, 110, 115, 0.5, 1, { features: 8, codes });
    assert.deepStrictEqual(found.cells, []);
    assert.deepStrictEqual(
      found.features.map((f) => f.feature),
      [3],
    );
    assert.deepStrictEqual(found.matches, [{ start: 140, end: 145, overlap: 1 }]);
    // Without the dictionary, nothing is on: no hypothesis, no match.
    assert.deepStrictEqual(hypothesisInWindow(act, 110, 115, 0.5, 1).matches, []);
  });

  it('a feature track accepts only an index the loaded dictionary has, and is one track however often it is added', () => {
    const shape = { hidden: [6], features: 16 };
    assert.deepStrictEqual(parseTrack({ type: 'feature', index: 15, extra: '<script>' }, shape), { type: 'feature', index: 15 });
    for (const bad of [{ type: 'feature', index: 16 }, { type: 'feature', index: -1 }, { type: 'feature', index: 1.5 }, { type: 'feature', index: '3' }, { type: 'feature' }]) {
      assert.strictEqual(parseTrack(bad, shape), undefined, JSON.stringify(bad));
    }
    assert.strictEqual(parseTrack({ type: 'feature', index: 0 }, { hidden: [6], features: 0 }), undefined, 'no dictionary: no feature track');
    assert.deepStrictEqual(parseTrack({ type: 'feature', index: 900 }, { hidden: [6] }), { type: 'feature', index: 900 }, 'dictionary not known yet: kept for the host to check later');
    const f = (index: number): TrackSpec => ({ type: 'feature', index });
    assert.ok(sameTrack(f(2), f(2)));
    assert.ok(!sameTrack(f(2), f(3)));
    assert.ok(!sameTrack(f(0), { type: 'cell', layer: 0, cell: 0, kind: 'h' }));
    assert.ok(!sameTrack(f(0), { type: 'surprise' }));
    const msg = parseWebviewMessage({ type: 'addTracks', tracks: [f(2), f(99), f(2), { type: 'cell', layer: 0, cell: 1, kind: 'h' }], primary: true }, shape);
    assert.ok(msg && msg.type === 'addTracks');
    const view = applyIntent({ ...defaultViewState(), tracks: [{ type: 'surprise' }, f(2)] }, msg);
    assert.deepStrictEqual(view.tracks, [f(2), { type: 'cell', layer: 0, cell: 1, kind: 'h' }, { type: 'surprise' }]);
    // A saved view with feature tracks, restored for a model whose dictionary is gone, drops them.
    assert.deepStrictEqual(parseViewState(view, { hidden: [6], features: 0 }).tracks, [{ type: 'cell', layer: 0, cell: 1, kind: 'h' }, { type: 'surprise' }]);
  });

  it('colors a feature track by the 99th percentile of its firing values, on the shared scale', () => {
    const sparse = new Float32Array(1000);
    for (let i = 0; i < 1000; i += 100) sparse[i] = 1 + i / 1000;
    assert.strictEqual(robustLimit(sparse), 1, 'over every character the quantile is 0 and says nothing');
    assert.strictEqual(sparseLimit(sparse), Math.fround(1.9));
    assert.strictEqual(sparseLimit(new Float32Array(50)), 1, 'a feature that never fires');

    const codes = randomCodes(40, 6, 2, 3);
    const act = denseRecording(codes, 6);
    const names = new Map([[4, 'inString']]);
    const track = buildTrack(act, { type: 'feature', index: 4 }, undefined, { codes, names });
    const values = featureValues(codes, 4);
    assert.deepStrictEqual(track.values, Array.from(values));
    assert.strictEqual(track.limit, sparseLimit(values));
    assert.deepStrictEqual(track.levels, levelsOf(values, sparseLimit(values)));
    assert.strictEqual(track.label, 'inString · feature 4');
    assert.strictEqual(buildTrack(act, { type: 'feature', index: 1 }, undefined, { codes }).label, 'feature 1');
    // Without codes (no dictionary) feature tracks are left out, the others drawn.
    const specs: TrackSpec[] = [{ type: 'feature', index: 4 }, { type: 'surprise' }];
    assert.deepStrictEqual(
      buildTracks(act, specs).map((t) => t.spec),
      [{ type: 'surprise' }],
    );
    assert.strictEqual(buildTracks(act, specs, undefined, { codes }).length, 2);
  });

  it('lists per concept the features above the random dictionary’s best, sign-free, and flags a best one that is not', () => {
    const finding = (index: number, auroc: number | undefined, rho: number) => ({ index, auroc, rho, fires: 10 });
    const findings = (entries: Partial<Record<string, ReturnType<typeof finding>[]>>): FeatureFindings => {
      const out = {} as FeatureFindings;
      for (const name of CONCEPT_NAMES) {
        const top = entries[name];
        out[name] = top ? { ...top[0], top } : null;
      }
      return out;
    };
    const real = findings({
      inString: [finding(7, 0.97, 0.8), finding(2, 0.1, -0.7), finding(9, 0.7, 0.2)],
      inComment: [finding(5, 0.6, 0.1)],
      indentDepth: [finding(11, undefined, -0.9), finding(12, undefined, 0.3)],
    });
    const random = findings({ inString: [finding(1, 0.8, 0.3)], inComment: [finding(4, 0.75, 0.2)], indentDepth: [finding(3, undefined, 0.5)] });
    const listed = featureEntries(real, random);
    assert.deepStrictEqual(
      listed.map((e) => `${e.group}:${e.feature}`),
      ['inString:7', 'inString:2', 'inComment:5', 'indentDepth:11'],
      'AUROC 0.1 separates as well as 0.9; 0.7 is below the control 0.8; the best is always listed',
    );
    assert.match(listed[1].detail, /AUROC 0\.900/);
    assert.match(listed[2].detail, /not above the random model/);
    assert.match(listed[3].detail, /ρ = -0\.900 .*random model’s dictionary ρ = 0\.500/);
    assert.match(featureEntries(real)[0].detail, /measuring/);
    assert.match(featureEntries(real, undefined, 'no random-model control (boom)')[0].detail, /boom/);
    assert.deepStrictEqual([...featureNames(real)], [
      [7, 'inString'],
      [5, 'inComment'],
      [11, 'indentDepth'],
    ]);
  });

  it('encodes a window in slices exactly as in one go, and labels its features against the window’s concepts', async () => {
    const engine = tinyEngine(SPEC, 5);
    const text = "const a = 'one';\n// note\nif (a) { b('two'); }\n".repeat(12);
    const act = recordActivations(engine, text);
    const states = stateMatrixOf(act, SPEC);
    const dict = newDictionary(states.dim, 24, 3, fitNormalisation(states.values, states.rows, states.dim), 4);
    const whole = encodeWindow(dict, act, SPEC);
    let yields = 0;
    const sliced = await encodeWindowSliced(dict, act, SPEC, { yieldNow: async () => void yields++, isCancelled: () => false });
    assert.ok(sliced);
    assert.ok(yields >= 2, 'the window is encoded in more than one slice');
    assert.deepStrictEqual(Array.from(sliced.codes.index), Array.from(whole.codes.index));
    assert.deepStrictEqual(Array.from(sliced.codes.value), Array.from(whole.codes.value));
    assert.strictEqual(await encodeWindowSliced(dict, act, SPEC, { yieldNow: async () => undefined, isCancelled: () => true }), undefined);

    // A window starting mid-file is labelled with the concepts of those characters.
    const start = 100;
    const tail = { ...act, chars: act.chars - start, tracks: act.tracks.map((t) => ({ ...t, values: t.values.subarray(start * t.units) })) };
    const findings = rankFeaturesOnWindow(encodeWindow(dict, tail, SPEC), labelConcepts(text, 'typescript'), start);
    const string = findings.inString;
    assert.ok(string);
    assert.ok(string.top.length >= 1 && string.top.length <= 5);
    assert.ok(findings.inComment && findings.inIfCondition);
  });
});
