import * as assert from 'assert';
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { newManifest } from '../../src/core/model/manifest';
import { saveModel } from '../../src/core/model/modelFiles';
import { ModelSpec } from '../../src/core/modelSpec';
import { initParams, paramLayout } from '../../src/core/params';
import { nameHashUnit } from '../../src/core/nameHash';
import { splitByPathHash } from '../../src/core/workspaceTraining/pathSplit';
import { benchWorkspace } from '../../src/bench/workspaceBench';

const ROOT = path.resolve(__dirname, '..', '..', '..');
const CLI = path.join(ROOT, 'dist', 'cli.js');

describe('split by path hash', () => {
  const paths = Array.from({ length: 50 }, (_, i) => `src/dir${i % 3}/file${i}.ts`);

  it('holds out a fifth of the files, those with the smallest hashes, whatever their order', () => {
    const a = splitByPathHash(paths, (p) => p, 0.2);
    const b = splitByPathHash([...paths].reverse(), (p) => p, 0.2);
    assert.strictEqual(a.heldOut.length, 10);
    assert.strictEqual(a.train.length, 40);
    assert.deepStrictEqual([...a.heldOut].sort(), [...b.heldOut].sort());
    assert.deepStrictEqual(new Set([...a.heldOut, ...a.train]), new Set(paths));
    const maxHeld = Math.max(...a.heldOut.map(nameHashUnit));
    assert.ok(a.train.every((p) => nameHashUnit(p) >= maxHeld));
  });

  it('keeps at least one file on each side, and refuses what cannot be split', () => {
    const two = splitByPathHash(['a.ts', 'b.ts'], (p) => p, 0.2);
    assert.strictEqual(two.heldOut.length, 1);
    assert.strictEqual(two.train.length, 1);
    assert.throws(() => splitByPathHash(['a.ts'], (p) => p, 0.2), /at least 2 files/);
    assert.throws(() => splitByPathHash(paths, (p) => p, 1), /between 0 and 1/);
  });
});

describe('lstm-lens bench workspace (dist/cli.js)', function () {
  this.timeout(120_000);
  let dir: string;
  before(function () {
    if (!fs.existsSync(CLI)) throw new Error('dist/cli.js is missing: run npm run compile first');
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'lstm-lens-wsbench-'));
  });
  after(() => dir && fs.rmSync(dir, { recursive: true, force: true }));

  it('measures before and after a short training run, the last line being the JSON figures', async () => {
    const project = path.join(dir, 'project');
    fs.mkdirSync(path.join(project, 'src'), { recursive: true });
    for (let i = 0; i < 10; i++) {
      fs.writeFileSync(path.join(project, 'src', `m${i}.py`), `def scale_${i}(value):\n    return value * ${i}\n\n`.repeat(40));
    }
    // A tiny untrained model: it knows nothing, so ten passes over the other files must help.
    // The budget is passes, not seconds, so a loaded machine trains exactly as much (validation too runs at each pass's end only).
    const spec: ModelSpec = { vocabSize: 98, embedDim: 8, hidden: [32] };
    const layout = paramLayout(spec);
    await saveModel(path.join(dir, 'model'), { layout, params: initParams(layout, 3), manifest: newManifest(spec, 'tiny') });
    const r = spawnSync(process.execPath, [CLI, 'bench', 'workspace', '--dir', project, '--model', path.join(dir, 'model'), '--epochs', '10', '--keystroke-chars', '300', '--threads', '1', '--json'], { encoding: 'utf8', timeout: 110_000 });
    assert.strictEqual(r.status, 0, r.stderr);
    const lines = r.stdout.trim().split('\n');
    assert.strictEqual(lines.length, 1, '--json prints only the figures');
    const j = JSON.parse(lines[0]);
    assert.deepStrictEqual(Object.keys(j), ['before', 'after', 'trainSeconds']);
    for (const side of ['before', 'after']) assert.deepStrictEqual(Object.keys(j[side]), ['bitsPerChar', 'cachedBitsPerChar', 'keystrokesSaved']);
    // The files repeat their lines, so the document cache (and the other files' text) must beat the untrained model alone.
    assert.ok(j.before.cachedBitsPerChar < j.before.bitsPerChar - 1, `with the cache: ${j.before.bitsPerChar} -> ${j.before.cachedBitsPerChar}`);
    assert.ok(j.trainSeconds > 0, `trained ${j.trainSeconds} s`);
    assert.ok(j.before.bitsPerChar > 5, `untrained: near log2(98) = 6.6 bits/char, got ${j.before.bitsPerChar}`);
    assert.ok(j.after.bitsPerChar < j.before.bitsPerChar - 1, `training on the other files helps: ${j.before.bitsPerChar} -> ${j.after.bitsPerChar}`);
    assert.ok(j.after.keystrokesSaved >= 0 && j.after.keystrokesSaved <= 1);
    assert.match(r.stderr, /10 files: 8 to train on .* 2 held out/);
    assert.match(r.stderr, /training for up to 10 passes/);
    assert.match(r.stderr, /trained [\d.]+ s \(epochs\)/, 'the passes, not the clock, ended the training');
  });

  it('offers the names of the files it trains on while a held-out file is typed, as the editor offers the workspace\'s', async () => {
    // Every file calls the same long names once each, in its own order: a held-out file meets each name for the
    // first time, so only the other files' names (the workspace's) can complete it.
    const project = path.join(dir, 'names');
    fs.mkdirSync(project);
    const words = ['configureTransport', 'registerListener', 'normalizeSelector', 'deserializePayload', 'computeChecksum', 'validateEnvelope'];
    for (let i = 0; i < 10; i++) {
      const order = words.map((w, k) => words[(k * 5 + i) % words.length]);
      fs.writeFileSync(path.join(project, `m${i}.ts`), order.map((w) => `${w}Handler${i % 2}(x);\n`).join(''));
    }
    const spec: ModelSpec = { vocabSize: 98, embedDim: 8, hidden: [16] };
    const layout = paramLayout(spec);
    await saveModel(path.join(dir, 'names-model'), { layout, params: initParams(layout, 5), manifest: newManifest(spec, 'tiny') });
    const run = (workspaceNames: boolean) =>
      benchWorkspace({ dir: project, modelDir: path.join(dir, 'names-model'), minutes: Infinity, epochs: 1, keystrokeChars: 10_000, threads: 1, workspaceNames, afterWithNames: true });
    const without = await run(false);
    const withNames = await run(true);
    assert.strictEqual(withNames.before.bitsPerChar, without.before.bitsPerChar, 'bits/char is the model alone either way');
    assert.ok(withNames.before.keystrokesSaved > without.before.keystrokesSaved + 0.1, `the names complete: ${without.before.keystrokesSaved} -> ${withNames.before.keystrokesSaved}`);
    // The trained model is typed without the names, as the editor types it: the same (one pass, seeded) as the run that never offers them.
    assert.deepStrictEqual(withNames.after, without.after);
    assert.ok(withNames.afterWithNames, 'afterWithNames typed with the names offered');
    assert.ok(withNames.afterWithNames.keystrokesSaved !== withNames.after.keystrokesSaved, 'and the names change what it saves');
    assert.strictEqual(without.afterWithNames, undefined, 'nothing to offer when no names are');
  });

  it("lets the document cache match in the files it trains on while a held-out file is typed, as the editor does with the workspace's", async () => {
    // Each file opens with the same long header line and then its own code: a held-out file's header occurs
    // nowhere before it in that file, so only the other files' text can predict it.
    const project = path.join(dir, 'matches');
    fs.mkdirSync(project);
    const header = 'import { configureTransport, registerListener } from "./transport/registry";\n';
    for (let i = 0; i < 10; i++) fs.writeFileSync(path.join(project, `m${i}.ts`), header + `export const value${i} = ${i * 7};\n`);
    const spec: ModelSpec = { vocabSize: 98, embedDim: 8, hidden: [16] };
    const layout = paramLayout(spec);
    await saveModel(path.join(dir, 'matches-model'), { layout, params: initParams(layout, 5), manifest: newManifest(spec, 'tiny') });
    const run = (workspaceMatch: boolean) =>
      benchWorkspace({ dir: project, modelDir: path.join(dir, 'matches-model'), minutes: Infinity, epochs: 1, keystrokeChars: 10_000, threads: 1, workspaceNames: false, workspaceMatch });
    const without = await run(false);
    const withMatch = await run(true);
    assert.strictEqual(withMatch.before.bitsPerChar, without.before.bitsPerChar, 'bits/char of the model alone is the same either way');
    assert.ok(withMatch.before.cachedBitsPerChar < without.before.cachedBitsPerChar - 1, `the header is predicted: ${without.before.cachedBitsPerChar} -> ${withMatch.before.cachedBitsPerChar}`);
    assert.ok(withMatch.before.keystrokesSaved > without.before.keystrokesSaved + 0.03, `and completed (3 points or more): ${without.before.keystrokesSaved} -> ${withMatch.before.keystrokesSaved}`);
    assert.ok(withMatch.after.keystrokesSaved > without.after.keystrokesSaved, 'the trained model is typed with the match too');
  });

  it('says clearly when the folder is not one', () => {
    const r = spawnSync(process.execPath, [CLI, 'bench', 'workspace', '--dir', path.join(dir, 'nope')], { encoding: 'utf8' });
    assert.strictEqual(r.status, 2);
    assert.match(r.stderr, /is not a folder/);
  });
});
