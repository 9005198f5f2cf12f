import * as assert from 'assert';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { recordActivations } from '../../src/core/cells';
import {
  DictionaryInfo,
  SparseDictionary,
  StateMatrix,
  checkDictionaryFitsModel,
  encodeStates,
  fitNormalisation,
  listDictionaryInManifest,
  loadDictionary,
  measureDictionary,
  modelFingerprint,
  newDictionary,
  recordStates,
  saveDictionary,
  stateMatrixOf,
  trainDictionary,
} from '../../src/core/features';
import { topKOfCandidates, topKOfRow } from '../../src/core/features/topK';
import { newManifest } from '../../src/core/model/manifest';
import { Model, loadModel, saveModel } from '../../src/core/model/modelFiles';
import { ModelSpec } from '../../src/core/modelSpec';
import { initParams, makeRng, paramLayout } from '../../src/core/params';
import { VOCAB_SIZE } from '../../src/core/vocab';
import { tinyEngine } from './helpers/tinyModels';

/**
 * Rows made of a few of `atoms` planted unit directions (2 or 3 per row,
 * positive weights 0.5–1.5) plus a little noise: the data a sparse
 * dictionary should take apart.
 */
function plantedData(rows: number, dim: number, atoms: number, seed: number): { states: StateMatrix; directions: Float32Array } {
  const rng = makeRng(seed);
  const gauss = () => Math.sqrt(-2 * Math.log(1 - rng())) * Math.cos(2 * Math.PI * rng());
  const directions = new Float32Array(atoms * dim);
  for (let i = 0; i < directions.length; i++) directions[i] = gauss();
  for (let a = 0; a < atoms; a++) {
    let sq = 0;
    for (let d = 0; d < dim; d++) sq += directions[a * dim + d] ** 2;
    for (let d = 0; d < dim; d++) directions[a * dim + d] /= Math.sqrt(sq);
  }
  const values = new Float32Array(rows * dim);
  for (let t = 0; t < rows; t++) {
    const active = 2 + Math.floor(rng() * 2);
    for (let m = 0; m < active; m++) {
      const a = Math.floor(rng() * atoms);
      const w = 0.5 + rng();
      for (let d = 0; d < dim; d++) values[t * dim + d] += w * directions[a * dim + d];
    }
    for (let d = 0; d < dim; d++) values[t * dim + d] += 0.01 * gauss();
  }
  return { states: { rows, dim, values, segments: [{ start: 0, end: rows, textLength: rows }] }, directions };
}

/** For each planted direction, the best cosine with any decoder row (directions mapped into the dictionary's normalised space). */
function bestCosines(dict: SparseDictionary, directions: Float32Array): number[] {
  const D = dict.dim;
  const out: number[] = [];
  for (let a = 0; a < directions.length / D; a++) {
    // A raw direction v becomes v ∘ scale in normalised space.
    const v = new Float64Array(D);
    let vn = 0;
    for (let d = 0; d < D; d++) {
      v[d] = directions[a * D + d] * dict.norm.scale[d];
      vn += v[d] * v[d];
    }
    let best = -1;
    for (let j = 0; j < dict.features; j++) {
      let dot = 0;
      for (let d = 0; d < D; d++) dot += v[d] * dict.decoder[j * D + d];
      best = Math.max(best, dot / Math.sqrt(vn));
    }
    out.push(best);
  }
  return out;
}

const INFO: DictionaryInfo = {
  model: { name: 'test', fingerprint: '0123456789abcdef', spec: { vocabSize: 98, embedDim: 8, hidden: [12] } },
  training: { rows: 10, epochs: 1, steps: 1, seconds: 0.1, seed: 1, stoppedBecause: 'done' },
  createdAt: '2026-12-04T00:00:00.000Z',
};

function tinyModel(seed: number, hidden: number[]): Model {
  const spec: ModelSpec = { vocabSize: VOCAB_SIZE, embedDim: 8, hidden };
  const layout = paramLayout(spec);
  return { layout, params: initParams(layout, seed), manifest: newManifest(spec, 'tiny') };
}

function tmpDir(): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), 'lstm-lens-features-'));
}

describe('features: top-k selection', () => {
  it('picks the k largest of a row, lower position first on ties, and clamps negatives to 0', () => {
    const rng = makeRng(5);
    for (let trial = 0; trial < 200; trial++) {
      const n = 1 + Math.floor(rng() * 40);
      const k = 1 + Math.floor(rng() * n);
      // Few distinct values, so ties are common.
      const z = Float32Array.from({ length: n + 3 }, () => Math.round((rng() - 0.4) * 6));
      const index = new Int32Array(k + 2);
      const value = new Float32Array(k + 2);
      topKOfRow(z, 3, n, k, index, value, 2);
      const expected = Array.from({ length: n }, (_, j) => j)
        .sort((a, b) => z[3 + b] - z[3 + a] || a - b)
        .slice(0, k);
      assert.deepStrictEqual([...index.subarray(2)].sort((a, b) => a - b), expected.sort((a, b) => a - b));
      for (let s = 0; s < k; s++) assert.strictEqual(value[2 + s], Math.max(0, z[3 + index[2 + s]]));
    }
  });

  it('among candidates only, leaving unused slots empty', () => {
    const z = Float32Array.from([5, 1, 9, 3, 7]);
    const index = new Int32Array(3);
    const value = new Float32Array(3);
    const used = topKOfCandidates(z, 0, Int32Array.from([1, 3]), 2, 3, index, value, 0);
    assert.strictEqual(used, 2);
    assert.deepStrictEqual([...index.subarray(0, 2)].sort(), [1, 3]);
    assert.strictEqual(index[2], -1);
    assert.strictEqual(value[2], 0);
  });
});

describe('features: training a sparse dictionary', function () {
  this.timeout(300_000);
  const D = 16;
  const planted = plantedData(6000, D, 24, 11);
  const heldOut = plantedData(1500, D, 24, 11); // same directions (same seed), other rows: see below
  // Same seed gives the same directions and the same rows; take the held-out rows from a later stretch instead.
  const later = plantedData(7500, D, 24, 11);
  const heldOutStates: StateMatrix = { rows: 1500, dim: D, values: later.states.values.slice(6000 * D), segments: [{ start: 0, end: 1500, textLength: 1500 }] };
  assert.deepStrictEqual(heldOut.directions, planted.directions);
  let trained: Awaited<ReturnType<typeof trainDictionary>>;

  before(async () => {
    trained = await trainDictionary(planted.states, { features: 64, k: 3, epochs: 12, batch: 128, learningRate: 5e-3, seed: 3 });
  });

  it('recovers the planted sparse directions', () => {
    const found = bestCosines(trained.dict, planted.directions);
    const recovered = found.filter((c) => c > 0.9).length;
    assert.ok(recovered >= 20, `only ${recovered} of 24 planted directions have a decoder row with cosine > 0.9: ${found.map((c) => c.toFixed(2)).join(' ')}`);
    // An untrained dictionary of the same size finds far fewer by chance.
    const chance = bestCosines(newDictionary(D, 64, 3, trained.dict.norm, 3), planted.directions).filter((c) => c > 0.9).length;
    assert.ok(chance <= 2, `${chance} planted directions matched by a random dictionary`);
  });

  it('explains held-out rows far better than before training, with k active features or fewer', () => {
    const before = measureDictionary(newDictionary(D, 64, 3, fitNormalisation(planted.states.values, planted.states.rows, D), 3), heldOutStates);
    const after = measureDictionary(trained.dict, heldOutStates);
    assert.ok(before.fvu > 0.5, `untrained FVU ${before.fvu}`);
    assert.ok(after.fvu < 0.15, `trained FVU ${after.fvu}`);
    assert.ok(after.meanActive <= 3 && after.meanActive > 1.5, `mean active ${after.meanActive}`);
    assert.strictEqual(after.deadFeatures, Math.round(after.deadFraction * 64));
  });

  it('FVU falls as training goes on', async () => {
    const fvus: number[] = [];
    for (const epochs of [1, 4]) {
      const r = await trainDictionary(planted.states, { features: 64, k: 3, epochs, batch: 128, learningRate: 5e-3, seed: 3 });
      fvus.push(measureDictionary(r.dict, heldOutStates).fvu);
    }
    fvus.push(measureDictionary(trained.dict, heldOutStates).fvu);
    assert.ok(fvus[0] > fvus[1] && fvus[1] > fvus[2], `FVU after 1, 4 and 12 epochs: ${fvus.join(', ')}`);
  });

  it('is deterministic for a seed and differs for another', async () => {
    const small: StateMatrix = { ...planted.states, rows: 1000, values: planted.states.values.subarray(0, 1000 * D) };
    const opts = { features: 32, k: 3, epochs: 2, batch: 64 };
    const a = await trainDictionary(small, { ...opts, seed: 7 });
    const b = await trainDictionary(small, { ...opts, seed: 7 });
    const c = await trainDictionary(small, { ...opts, seed: 8 });
    assert.deepStrictEqual(a.dict.decoder, b.dict.decoder);
    assert.deepStrictEqual(a.dict.encoderBias, b.dict.encoderBias);
    assert.notDeepStrictEqual(a.dict.decoder, c.dict.decoder);
  });

  it('keeps decoder rows unit length', () => {
    const { decoder, features, dim } = trained.dict;
    for (let j = 0; j < features; j++) {
      let sq = 0;
      for (let d = 0; d < dim; d++) sq += decoder[j * dim + d] ** 2;
      assert.ok(Math.abs(Math.sqrt(sq) - 1) < 1e-4, `row ${j} has length ${Math.sqrt(sq)}`);
    }
  });

  it('stops when cancelled, with what it has so far', async () => {
    const controller = new AbortController();
    const seen: number[] = [];
    const r = await trainDictionary(planted.states, {
      features: 32,
      k: 3,
      epochs: 5,
      batch: 256,
      signal: controller.signal,
      onProgress: (p) => {
        seen.push(p.rowsSeen);
        // The report at the end of the first epoch cancels the run.
        if (p.rowsSeen >= planted.states.rows) controller.abort();
      },
    });
    assert.strictEqual(r.stoppedBecause, 'cancelled');
    assert.strictEqual(r.rowsSeen, planted.states.rows);
    assert.ok(seen.length > 0);
    const aborted = new AbortController();
    aborted.abort();
    const none = await trainDictionary(planted.states, { features: 32, k: 3, signal: aborted.signal });
    assert.strictEqual(none.steps, 0);
    assert.strictEqual(none.stoppedBecause, 'cancelled');
  });

  it('rejects impossible sizes with a message', async () => {
    await assert.rejects(trainDictionary(planted.states, { features: 8, k: 0 }), /k \(features active per character\) must be between 1 and 8/);
    await assert.rejects(trainDictionary({ rows: 0, dim: D, values: new Float32Array(0), segments: [] }), /no recorded states/);
  });
});

/**
 * Rows with a hierarchy: one of `parents` strong directions (weight 1–2)
 * plus one of its `children` weaker ones (0.3–0.6) and a little noise, as
 * "in a string" and "in an import path's string" might be.
 */
function hierarchicalData(rows: number, dim: number, parents: number, children: number, seed: number): StateMatrix {
  const rng = makeRng(seed);
  const gauss = () => Math.sqrt(-2 * Math.log(1 - rng())) * Math.cos(2 * Math.PI * rng());
  const dirs = Array.from({ length: parents * (1 + children) }, () => Float32Array.from({ length: dim }, gauss));
  const values = new Float32Array(rows * dim);
  for (let t = 0; t < rows; t++) {
    const p = Math.floor(rng() * parents);
    const c = parents + p * children + Math.floor(rng() * children);
    const wp = 1 + rng();
    const wc = 0.3 + 0.3 * rng();
    for (let d = 0; d < dim; d++) values[t * dim + d] = (wp * dirs[p][d]) / Math.sqrt(dim) + (wc * dirs[c][d]) / Math.sqrt(dim) + 0.01 * gauss();
  }
  return { rows, dim, values, segments: [{ start: 0, end: rows, textLength: rows }] };
}

/** FVU of a reconstruction from the first m features alone (the others' activations dropped). */
function prefixFvu(dict: SparseDictionary, states: StateMatrix, m: number): number {
  const codes = encodeStates(dict, states);
  for (let s = 0; s < codes.value.length; s++) if (codes.index[s] >= m) codes.value[s] = 0;
  return measureDictionary(dict, states, codes).fvu;
}

describe('features: nested (Matryoshka) training', function () {
  this.timeout(300_000);
  const D = 24;
  // One draw (the seed picks the directions too), split into training and held-out rows.
  const all = hierarchicalData(7500, D, 4, 6, 21);
  const data: StateMatrix = { ...all, rows: 6000, values: all.values.subarray(0, 6000 * D) };
  const heldOut: StateMatrix = { ...all, rows: 1500, values: all.values.slice(6000 * D) };
  const opts = { features: 64, k: 2, epochs: 8, batch: 128, learningRate: 5e-3, seed: 5 };

  it('makes the first features reconstruct on their own, at little cost to the whole', async () => {
    const nested = await trainDictionary(data, { ...opts, nested: [4] });
    const plain = await trainDictionary(data, { ...opts, nested: [] });
    const nestedFirst = prefixFvu(nested.dict, heldOut, 4);
    const plainFirst = prefixFvu(plain.dict, heldOut, 4);
    assert.ok(nestedFirst < 0.5 && nestedFirst < 0.6 * plainFirst, `FVU from the first 4 features: nested ${nestedFirst}, plain ${plainFirst}`);
    const nestedAll = measureDictionary(nested.dict, heldOut).fvu;
    const plainAll = measureDictionary(plain.dict, heldOut).fvu;
    assert.ok(nestedAll < plainAll + 0.1, `FVU of the whole dictionary: nested ${nestedAll}, plain ${plainAll}`);
  });

  it('rejects prefix sizes that do not increase', async () => {
    await assert.rejects(trainDictionary(data, { ...opts, nested: [8, 4] }), /nested prefix sizes must increase/);
  });
});

describe('features: batch top-k training', function () {
  this.timeout(300_000);
  const D = 16;
  const planted = plantedData(6000, D, 24, 11);
  const heldOutStates: StateMatrix = (() => {
    const later = plantedData(7500, D, 24, 11);
    return { rows: 1500, dim: D, values: later.states.values.slice(6000 * D), segments: [{ start: 0, end: 1500, textLength: 1500 }] };
  })();

  it('recovers the planted directions, keeps a firing bar, and fires about k features a row on held-out rows, more on some, fewer on others', async () => {
    const trained = await trainDictionary(planted.states, { features: 64, k: 3, epochs: 12, batch: 128, learningRate: 5e-3, seed: 3, batchTopK: true });
    assert.ok(trained.dict.threshold > 0, `threshold ${trained.dict.threshold}`);
    const recovered = bestCosines(trained.dict, planted.directions).filter((c) => c > 0.9).length;
    assert.ok(recovered >= 16, `only ${recovered} of 24 planted directions recovered (a random dictionary: 2 at most)`);
    const codes = encodeStates(trained.dict, heldOutStates);
    assert.strictEqual(codes.k, 4 * 3, 'a thresholded dictionary keeps 4·k slots a row');
    const perRow = Array.from({ length: heldOutStates.rows }, (_, t) => [...codes.value.subarray(t * codes.k, (t + 1) * codes.k)].filter((v) => v > 0).length);
    const mean = perRow.reduce((a, b) => a + b, 0) / perRow.length;
    assert.ok(mean > 1.5 && mean < 4.5, `mean active ${mean}`);
    assert.ok(Math.max(...perRow) > 3, 'some rows use more than k features');
    for (let s = 0; s < codes.value.length; s++) assert.ok(codes.value[s] === 0 || codes.value[s] >= trained.dict.threshold);
    const m = measureDictionary(trained.dict, heldOutStates, codes);
    assert.ok(m.fvu < 0.1, `held-out FVU ${m.fvu}`);
  });
});

describe('features: states of a model', () => {
  it('puts every layer h then c in one row per character, shared fairly between texts', () => {
    const engine = tinyEngine(3, [6, 5]);
    const texts = ['let a = 1;\n', 'if (x) { y(); }\n// done\n'];
    const states = recordStates(engine, texts, 20);
    assert.strictEqual(states.dim, 2 * 6 + 2 * 5);
    assert.strictEqual(states.rows, 20);
    assert.deepStrictEqual(
      states.segments.map((s) => s.end - s.start),
      [10, 10],
    );
    const act = recordActivations(engine, texts[1], { maxChars: 10 });
    const direct = stateMatrixOf(act, engine.spec);
    // The second text's rows equal a recording of it alone: [l0 h | l0 c | l1 h | l1 c].
    assert.deepStrictEqual(states.values.subarray(10 * states.dim), direct.values);
    const c1 = act.tracks.find((t) => t.layer === 1 && t.kind === 'c');
    assert.ok(c1);
    assert.strictEqual(direct.values[3 * direct.dim + 12 + 5 + 2], c1.values[3 * 5 + 2]);
  });
});

describe('features: dictionary files', function () {
  this.timeout(120_000);
  const dict = newDictionary(12, 30, 4, { mean: Float32Array.from({ length: 12 }, (_, i) => i / 7), scale: Float32Array.from({ length: 12 }, (_, i) => 1 + i) }, 9);
  dict.encoderBias[3] = 0.25;
  dict.decoderBias[1] = -1.5;

  it('keeps a batch top-k dictionary\'s firing bar, as format 2, while a top-k one stays format 1', async () => {
    const dir = tmpDir();
    const file = path.join(dir, 'features.dict');
    const version = () => {
      const bytes = fs.readFileSync(file);
      return (JSON.parse(bytes.subarray(16, 16 + bytes.readUInt32LE(12)).toString('utf8')) as { version: number }).version;
    };
    await saveDictionary(file, dict, INFO);
    assert.strictEqual(version(), 1);
    assert.strictEqual((await loadDictionary(file)).dict.threshold, 0);
    const thresholded = { ...dict, threshold: 0.75 };
    await saveDictionary(file, thresholded, INFO);
    assert.strictEqual(version(), 2);
    assert.deepStrictEqual((await loadDictionary(file)).dict, thresholded);
  });

  it('round-trips exactly in float32 and closely in float16', async () => {
    const dir = tmpDir();
    const file = path.join(dir, 'features.dict');
    const saved = await saveDictionary(file, dict, INFO);
    assert.strictEqual(saved.bytes, fs.statSync(file).size);
    const back = await loadDictionary(file);
    assert.deepStrictEqual(back.dict, dict);
    assert.deepStrictEqual(back.info, INFO);
    const halfSaved = await saveDictionary(file, dict, INFO, 'float16');
    const half = await loadDictionary(file);
    // The two 30 × 12 matrices take 2 bytes a number instead of 4; the header is as long.
    assert.strictEqual(saved.bytes - halfSaved.bytes, 2 * 30 * 12 * 2);
    assert.deepStrictEqual(half.dict.norm, dict.norm);
    for (let i = 0; i < dict.decoder.length; i++) assert.ok(Math.abs(half.dict.decoder[i] - dict.decoder[i]) < 1e-3);
    assert.deepStrictEqual(
      fs.readdirSync(dir).filter((n) => n !== 'features.dict'),
      [],
      'no temporary files are left',
    );
  });

  it('rejects corrupt, truncated and foreign files with a clear message', async () => {
    const dir = tmpDir();
    const file = path.join(dir, 'features.dict');
    await saveDictionary(file, dict, INFO);
    const good = fs.readFileSync(file);
    const write = (bytes: Uint8Array) => fs.writeFileSync(file, bytes);

    const flipped = Buffer.from(good);
    flipped[flipped.length - 10] ^= 0x40;
    write(flipped);
    await assert.rejects(loadDictionary(file), /do not match their checksum: the file is corrupt/);
    write(good.subarray(0, good.length - 4));
    await assert.rejects(loadDictionary(file), /truncated or corrupt/);
    write(good.subarray(0, 40));
    await assert.rejects(loadDictionary(file), /header is cut off/);
    write(Buffer.from('{"format":"layers-model"}'));
    await assert.rejects(loadDictionary(file), /not an LSTM Lens dictionary/);
    const badHeader = Buffer.from(good);
    badHeader[17] = 0x7b; // '{' into the JSON: no longer parses
    badHeader[18] = 0x7b;
    write(badHeader);
    await assert.rejects(loadDictionary(file), /header is not valid JSON/);
    await assert.rejects(loadDictionary(path.join(dir, 'missing.dict')), /does not exist/);
    await assert.rejects(loadDictionary(dir), /not a regular file/);
  });

  it('is only accepted for the weights it was trained on', async () => {
    const { layout, params } = tinyModel(4, [6]);
    const engine = { spec: layout.spec };
    const fitting = newDictionary(12, 30, 4, dict.norm, 9);
    const info = { ...INFO, model: { ...INFO.model, fingerprint: modelFingerprint(params) } };
    checkDictionaryFitsModel(info, fitting, engine.spec, params, 'test');
    const other = Float32Array.from(params, (v) => v + 0.5);
    assert.throws(() => checkDictionaryFitsModel(info, fitting, engine.spec, other, 'test'), /trained on the states of other weights/);
    assert.throws(() => checkDictionaryFitsModel(info, fitting, { ...engine.spec, hidden: [7] }, params, 'test'), /reads states of 12 numbers; this .* model has 14/);
  });

  it('is listed in the manifest without touching the weights', async () => {
    const dir = tmpDir();
    const model = tinyModel(2, [6]);
    await saveModel(dir, model);
    const weightsBefore = fs.readdirSync(dir).filter((n) => n.startsWith('weights-'));
    await assert.rejects(listDictionaryInManifest(dir, { file: 'features.dict', features: 30, k: 4, trainedOnChars: 10, createdAt: INFO.createdAt }), /not a file in/);
    await saveDictionary(path.join(dir, 'features.dict'), dict, INFO);
    await listDictionaryInManifest(dir, { file: 'features.dict', features: 30, k: 4, trainedOnChars: 10, fvu: 0.2, createdAt: INFO.createdAt });
    const back = await loadModel(dir);
    assert.strictEqual(back.manifest.features?.file, 'features.dict');
    assert.strictEqual(back.manifest.features?.fvu, 0.2);
    assert.deepStrictEqual(back.params, model.params);
    assert.deepStrictEqual(
      fs.readdirSync(dir).filter((n) => n.startsWith('weights-')),
      weightsBefore,
    );
  });
});

describe('features: codes', () => {
  it('of a thresholded dictionary: every feature whose pre-activation reaches the bar fires, the largest first when more than the slots do', () => {
    const { states } = plantedData(200, 10, 12, 4);
    const dict = { ...newDictionary(10, 40, 2, fitNormalisation(states.values, states.rows, 10), 2), threshold: 0.4 };
    const codes = encodeStates(dict, states);
    assert.strictEqual(codes.k, 8);
    const plain = encodeStates({ ...dict, threshold: 0, k: 8 }, states); // the 8 largest, no bar
    let capped = 0;
    for (let t = 0; t < states.rows; t++) {
      const fired = new Map<number, number>();
      for (let s = t * 8; s < (t + 1) * 8; s++) if (codes.value[s] > 0) fired.set(codes.index[s], codes.value[s]);
      const top = new Map<number, number>();
      for (let s = t * 8; s < (t + 1) * 8; s++) top.set(plain.index[s], plain.value[s]);
      // Fired = the row's 8 largest that reach the bar.
      for (const [j, v] of top) assert.strictEqual(fired.has(j), v >= 0.4, `row ${t} feature ${j} value ${v}`);
      if ([...top.values()].every((v) => v >= 0.4)) capped++;
    }
    assert.ok(capped < states.rows, 'the bar, not the slot count, decides on most rows');
  });


  it('encodes every row with at most k active features, the same in any batch size (up to rounding)', () => {
    const { states } = plantedData(300, 10, 12, 4);
    const dict = newDictionary(10, 40, 5, fitNormalisation(states.values, states.rows, 10), 2);
    const a = encodeStates(dict, states, { batch: 7 });
    const b = encodeStates(dict, states, { batch: 512 });
    assert.deepStrictEqual(a.index, b.index);
    for (let s = 0; s < a.value.length; s++) assert.ok(Math.abs(a.value[s] - b.value[s]) < 1e-5);
    for (let t = 0; t < states.rows; t++) {
      const active = [...a.value.subarray(t * 5, t * 5 + 5)].filter((v) => v > 0).length;
      assert.ok(active <= 5);
    }
  });
});
