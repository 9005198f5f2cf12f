import * as assert from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import { UsageError } from '../../src/cli/args';
import { cellsCommand } from '../../src/cli/commands/cells';
import { FEATURES_USAGE, featuresCommand } from '../../src/cli/commands/features';
import { auroc } from '../../src/core/cells';
import { CONCEPT_NAMES, ConceptName } from '../../src/core/concepts';
import { SparseCodes, featureColumns, featureValues, labelFeatures, loadDictionary } from '../../src/core/features';
import { averageRanks, sparseAuroc, sparseSpearman, spearman } from '../../src/core/features/rankCorrelation';
import { loadModel } from '../../src/core/model/modelFiles';
import { makeRng } from '../../src/core/params';
import { runCaptured } from './helpers/captureOutput';
import { textbookPearson } from './helpers/textbookPearson';
import { tinyModelFolder } from './helpers/tinyModelFolder';
import { saveTinyModel } from './helpers/tinyModels';

/** Random sparse codes: each row fires `k` distinct features of `features`, a few with value 0, values from few levels (ties). */
function randomCodes(rows: number, features: number, k: number, seed: number): SparseCodes {
  const rng = makeRng(seed);
  const index = new Int32Array(rows * k);
  const value = new Float32Array(rows * k);
  for (let t = 0; t < rows; t++) {
    const picked = new Set<number>();
    while (picked.size < k) picked.add(Math.floor(rng() * features));
    [...picked].forEach((j, s) => {
      index[t * k + s] = j;
      value[t * k + s] = rng() < 0.2 ? 0 : 1 + Math.floor(rng() * 4) / 2;
    });
  }
  return { rows, k, index, value };
}

/** Spearman by the textbook route: Pearson r of average ranks, computed densely. */
function denseSpearman(a: number[], b: number[]): number {
  return textbookPearson(averageRanks(a), averageRanks(b));
}

describe('features: rank statistics', () => {
  it('average ranks share ties', () => {
    assert.deepStrictEqual([...averageRanks([3, 1, 3, 2, 3])], [4, 1, 4, 2, 4]);
  });

  it('Spearman ρ is 1 for any increasing transform, −1 for a decreasing one, 0 for a constant', () => {
    const x = [5, 1, 9, 2, 7, 3];
    assert.strictEqual(spearman(x, x.map((v) => Math.exp(v))), 1);
    assert.strictEqual(spearman(x, x.map((v) => -v * v)), -1);
    assert.strictEqual(spearman(x, [2, 2, 2, 2, 2, 2]), 0);
  });

  it('sparse AUROC and ρ equal the dense ones on the expanded column', () => {
    const codes = randomCodes(400, 12, 3, 7);
    const rng = makeRng(9);
    const binary = Array.from({ length: 400 }, () => (rng() < 0.3 ? 1 : 0));
    const counts = Array.from({ length: 400 }, () => Math.floor(rng() * 5));
    const positives = binary.reduce((s: number, y) => s + y, 0);
    const ranks = averageRanks(counts);
    const rankSum = ranks.reduce((s, r) => s + r, 0);
    const rankSq = ranks.reduce((s, r) => s + r * r, 0);
    featureColumns(codes, 12).forEach((col, j) => {
      const dense = [...featureValues(codes, j)];
      assert.ok(Math.abs(sparseAuroc(col, binary, positives) - auroc(dense, binary)) < 1e-12, `feature ${j} AUROC`);
      assert.ok(Math.abs(sparseSpearman(col, ranks, rankSum, rankSq) - denseSpearman(dense, counts)) < 1e-9, `feature ${j} ρ`);
    });
  });
});

describe('features: labelling features by concepts', () => {
  it('names the feature that fires on a concept and the one that counts it', () => {
    const rows = 600;
    const codes = randomCodes(rows, 20, 3, 4);
    const rng = makeRng(6);
    const labels = {} as Record<ConceptName, Float32Array>;
    for (const name of CONCEPT_NAMES) labels[name] = Float32Array.from({ length: rows }, () => Math.floor(rng() * 3));
    labels.inString = Float32Array.from({ length: rows }, () => (rng() < 0.25 ? 1 : 0));
    labels.inComment = new Float32Array(rows); // constant: nothing to find
    for (let t = 0; t < rows; t++) if (labels.inString[t] === 1) labels.indentDepth[t] = 0;
    // Slot 0 of each row becomes feature 20 (fires exactly on strings) or feature 21 (activation = indentDepth + 1).
    const wide: SparseCodes = { ...codes, index: codes.index.slice(), value: codes.value.slice() };
    for (let t = 0; t < rows; t++) {
      if (labels.inString[t] === 1) {
        wide.index[t * 3] = 20;
        wide.value[t * 3] = 0.5;
      } else {
        wide.index[t * 3] = 21;
        wide.value[t * 3] = labels.indentDepth[t] + 1;
      }
    }
    const found = labelFeatures(wide, 22, labels, 3);
    assert.strictEqual(found.inString?.index, 20);
    assert.strictEqual(found.inString?.auroc, 1);
    assert.strictEqual(found.inString?.fires, labels.inString.reduce((s, y) => s + y, 0));
    assert.strictEqual(found.inComment, null);
    assert.strictEqual(found.indentDepth?.index, 21);
    assert.ok((found.indentDepth?.rho ?? 0) > 0.8, `ρ ${found.indentDepth?.rho}`);
    assert.strictEqual(found.indentDepth?.auroc, undefined);
    assert.strictEqual(found.linePosition?.top.length, 3);
  });
});

const run = (command: (argv: string[]) => Promise<number>, argv: string[]) => runCaptured(() => command(argv));

const SOURCE = [
  '// a small file: strings, comments and conditions',
  'export function pick(xs: string[], n: number): string {',
  '  /* the first long one */',
  '  for (const x of xs) {',
  '    if (x.length > n && x !== "skip") {',
  "      return `found ${x}`;",
  '    }',
  '  }',
  "  return 'none'; // nothing",
  '}',
  '',
].join('\n');

describe('lstm-lens features train and cells --features', function () {
  this.timeout(300_000);
  const folder = tinyModelFolder('lstm-lens-features-cli-');
  let file: string;

  before(() => {
    file = path.join(folder.dir, 'a.ts');
    fs.writeFileSync(file, SOURCE.repeat(6));
  });

  it('trains a dictionary, saves it in the model folder and lists it in the manifest', async () => {
    const before = await loadModel(folder.modelDir);
    const out = path.join(folder.modelDir, 'features.dict');
    const r = await run(featuresCommand, ['train', '--model', folder.modelDir, '--out', out, '--features', '96', '--k', '6', '--epochs', '4', '--json', file]);
    assert.strictEqual(r.code, 0, r.stderr);
    const j = JSON.parse(r.stdout);
    assert.strictEqual(j.listedInManifest, true);
    assert.strictEqual(j.chars, SOURCE.length * 6);
    assert.strictEqual(j.dim, 32);
    assert.strictEqual(j.features, 96);
    assert.ok(j.fvu > 0 && j.fvu < 1, `FVU ${j.fvu}`);
    assert.ok(j.meanActive > 0 && j.meanActive <= 6);
    const after = await loadModel(folder.modelDir);
    assert.deepStrictEqual(after.params, before.params);
    assert.strictEqual(after.manifest.features?.file, 'features.dict');
    assert.strictEqual(after.manifest.features?.fvu, j.fvu);
    const { dict, info } = await loadDictionary(out);
    assert.strictEqual(dict.features, 96);
    assert.strictEqual(info.training.rows, j.chars);
  });

  it('with --batch-topk, trains a thresholded dictionary that fires about k features a character', async () => {
    const out = path.join(folder.dir, 'batch.dict');
    const r = await run(featuresCommand, ['train', '--model', folder.modelDir, '--out', out, '--features', '96', '--k', '6', '--epochs', '4', '--batch-topk', '--json', file]);
    assert.strictEqual(r.code, 0, r.stderr);
    const j = JSON.parse(r.stdout);
    assert.ok(j.threshold > 0, `threshold ${j.threshold}`);
    assert.ok(j.meanActive > 3 && j.meanActive < 12, `mean active ${j.meanActive}`);
    const { dict } = await loadDictionary(out);
    assert.strictEqual(dict.threshold, j.threshold);
  });

  it('adds concepts.<name>.feature to cells --json, beside a random model’s dictionary', async () => {
    const r = await run(cellsCommand, ['--model', folder.modelDir, '--features', '--json', file]);
    assert.strictEqual(r.code, 0, r.stderr);
    const j = JSON.parse(r.stdout);
    assert.strictEqual(j.features.file, path.join(folder.modelDir, 'features.dict'));
    for (const name of CONCEPT_NAMES) {
      const f = j.concepts[name].feature;
      assert.ok(Number.isInteger(f.index) && f.index >= 0 && f.index < 96, name);
      assert.ok(Math.abs(f.rho) <= 1, name);
      const yesNo = ['inString', 'inComment', 'inIfCondition'].includes(name);
      assert.strictEqual(typeof f.auroc === 'number', yesNo, name);
      assert.strictEqual(typeof f.random.rho, 'number', name);
    }
  });

  it('leaves a dictionary outside the model folder out of the manifest, and refuses other models’ dictionaries', async () => {
    const out = path.join(folder.dir, 'elsewhere.dict');
    const r = await run(featuresCommand, ['train', '--model', folder.modelDir, '--out', out, '--features', '64', '--k', '4', '--epochs', '1', '--json', file]);
    assert.strictEqual(r.code, 0, r.stderr);
    assert.strictEqual(JSON.parse(r.stdout).listedInManifest, false);
    assert.strictEqual((await loadModel(folder.modelDir)).manifest.features?.file, 'features.dict');

    const otherDir = path.join(folder.dir, 'other');
    await saveTinyModel(otherDir, 5, 'other');
    await assert.rejects(() => cellsCommand(['--model', otherDir, '--features', file]), /--features: the model lists no dictionary/);
    await assert.rejects(() => cellsCommand(['--model', otherDir, '--features', '--dictionary', out, file]), /trained on the states of other weights/);
  });

  it('rejects bad calls with a usage error', async () => {
    assert.match(FEATURES_USAGE, /^features train --model DIR --out FILE/);
    await assert.rejects(() => featuresCommand(['fit', file]), UsageError);
    await assert.rejects(() => featuresCommand(['train', '--model', folder.modelDir, file]), /--out is required/);
    await assert.rejects(() => featuresCommand(['train', '--model', folder.modelDir, '--out', path.join(folder.dir, 'x.dict')]), UsageError);
    await assert.rejects(() => featuresCommand(['train', '--model', folder.modelDir, '--out', path.join(folder.dir, 'x.dict'), '--k', '0', file]), UsageError);
  });
});
