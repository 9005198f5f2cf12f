import * as assert from 'assert';
import { spawn, spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { loadModel } from '../../src/core/model/modelFiles';

const ROOT = path.resolve(__dirname, '..', '..', '..');
const CLI = path.join(ROOT, 'dist', 'cli.js');

function run(args: string[]) {
  const r = spawnSync(process.execPath, [CLI, ...args], { encoding: 'utf8', timeout: 120000 });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

function lastJson(stdout: string): Record<string, unknown> {
  const lines = stdout.trim().split('\n');
  return JSON.parse(lines[lines.length - 1]);
}

/** One clear line on stderr, no stack trace. */
function assertOneLineError(stderr: string, pattern: RegExp) {
  const lines = stderr.trim().split('\n');
  assert.strictEqual(lines.length, 1, `expected one line, got:\n${stderr}`);
  assert.match(lines[0], pattern);
  assert.doesNotMatch(stderr, /\n\s+at /);
}

describe('lstm-lens command line (dist/cli.js)', function () {
  let dir: string;
  before(function () {
    if (!fs.existsSync(CLI)) throw new Error('dist/cli.js is missing: run npm run compile first');
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'lstm-lens-cli-'));
    const src = path.join(dir, 'src');
    fs.mkdirSync(src);
    for (let i = 0; i < 6; i++) {
      fs.writeFileSync(path.join(src, `m${i}.py`), `def f${i}(x):\n    if x > ${i}:\n        return x * ${i}\n    return "${i}"\n\n`.repeat(30));
    }
  });
  after(() => dir && fs.rmSync(dir, { recursive: true, force: true }));

  it('trains, evaluates and completes with the documented JSON keys', async () => {
    const out = path.join(dir, 'model');
    const t = run(['train', '--out', out, '--layers', '1', '--hidden', '32', '--embed', '8', '--seq', '32', '--batch', '8', '--epochs', '3', '--lr', '0.01', '--json', path.join(dir, 'src')]);
    assert.strictEqual(t.code, 0, t.stderr);
    const tj = lastJson(t.stdout);
    for (const k of ['chars', 'charsPerSecond', 'trainBitsPerChar', 'valBitsPerChar']) assert.strictEqual(typeof tj[k], 'number', `train --json lacks ${k}`);
    assert.ok((tj.trainBitsPerChar as number) < 4, 'three epochs on repetitive code should learn something');
    assert.match(t.stderr, /corpus: 6 files/);

    const file = path.join(dir, 'src', 'm1.py');
    const e = run(['eval', '--model', out, '--json', file]);
    assert.strictEqual(e.code, 0, e.stderr);
    const ej = lastJson(e.stdout);
    assert.strictEqual(ej.chars, fs.readFileSync(file, 'utf8').length);
    assert.ok((ej.bitsPerChar as number) > 0 && (ej.top1 as number) > 0.3);

    // The n-gram baseline and xz figures ride along in the same JSON.
    const b = run(['eval', '--model', out, '--json', '--xz', '--baseline', 'ngram', '--order', '4', '--train-corpus', path.join(dir, 'src'), file]);
    assert.strictEqual(b.code, 0, b.stderr);
    const bj = lastJson(b.stdout) as { baseline: { bitsPerChar: number; order: number }; xzBitsPerChar: number | null; bitsPerChar: number };
    assert.strictEqual(bj.baseline.order, 4);
    assert.ok(bj.baseline.bitsPerChar > 0 && bj.baseline.bitsPerChar < 8);
    assert.strictEqual(bj.bitsPerChar, ej.bitsPerChar);
    assert.ok(bj.xzBitsPerChar === null || bj.xzBitsPerChar > 0);

    // The typing replay: JSON keys of the issue, for the model and the baseline.
    const k = run(['eval', '--model', out, '--json', '--keystrokes', '--beam', '2', '--baseline', 'ngram', '--order', '4', '--train-corpus', path.join(dir, 'src'), file]);
    assert.strictEqual(k.code, 0, k.stderr);
    const kj = lastJson(k.stdout) as { keystrokesSaved: number; acceptRate: number; keystrokeCounts: { chars: number; acceptedChars: number; typedChars: number }; baseline: { keystrokesSaved: number; acceptRate: number } };
    for (const v of [kj.keystrokesSaved, kj.acceptRate, kj.baseline.keystrokesSaved, kj.baseline.acceptRate]) assert.ok(v >= 0 && v <= 1, `${v}`);
    assert.strictEqual(kj.keystrokeCounts.acceptedChars + kj.keystrokeCounts.typedChars, kj.keystrokeCounts.chars);

    // export: a half-precision copy with a patched manifest loads and predicts about the same.
    const patch = path.join(dir, 'patch.json');
    fs.writeFileSync(patch, JSON.stringify({ notes: 'exported', training: { stoppedBecause: 'patched' } }));
    const half = path.join(dir, 'half');
    const x = run(['export', '--model', out, '--out', half, '--dtype', 'float16', '--name', 'half', '--manifest', patch, '--json']);
    assert.strictEqual(x.code, 0, x.stderr);
    const loadedHalf = await loadModel(half);
    assert.strictEqual(loadedHalf.manifest.name, 'half');
    assert.strictEqual(loadedHalf.manifest.notes, 'exported');
    assert.strictEqual(loadedHalf.manifest.training?.stoppedBecause, 'patched');
    assert.strictEqual(loadedHalf.manifest.training?.seq, 32, 'a patch merges into training, it does not replace it');
    const eh = lastJson(run(['eval', '--model', half, '--json', file]).stdout);
    assert.ok(Math.abs((eh.bitsPerChar as number) - (ej.bitsPerChar as number)) < 0.01 * (ej.bitsPerChar as number));
    // export --average: the mean of the model and its half-precision copy, named in the manifest; another shape is refused.
    const mean = path.join(dir, 'mean');
    const m = run(['export', '--model', out, '--average', half, '--out', mean, '--json']);
    assert.strictEqual(m.code, 0, m.stderr);
    const [full, halfModel, meanModel] = await Promise.all([loadModel(out), loadModel(half), loadModel(mean)]);
    assert.deepStrictEqual(meanModel.manifest.averageOf, ['model', 'half']);
    assert.ok(full.manifest.metrics?.trainBitsPerChar !== undefined && meanModel.manifest.metrics === undefined, "the first model's figures are not the mean's");
    const i = full.params.findIndex((v, j) => v !== halfModel.params[j]);
    assert.ok(i >= 0, 'float16 rounding changed some weight');
    assert.ok(Math.abs(meanModel.params[i] - (full.params[i] + halfModel.params[i]) / 2) < 1e-7);
    const other = path.join(dir, 'other');
    assert.strictEqual(run(['train', '--out', other, '--layers', '1', '--hidden', '16', '--embed', '8', '--seq', '32', '--batch', '8', '--epochs', '1', path.join(dir, 'src')]).code, 0);
    const shapes = run(['export', '--model', out, '--average', other, '--out', path.join(dir, 'mixed')]);
    assert.strictEqual(shapes.code, 2);
    assertOneLineError(shapes.stderr, /model 2 is 1x16 emb8 .*model 1 is 1x32 emb8 .*only models of one shape can be averaged/);
    assert.ok(!fs.existsSync(path.join(dir, 'mixed')), 'nothing is written for a refused average');

    fs.writeFileSync(patch, JSON.stringify({ spec: { hidden: [1] } }));
    const bad = run(['export', '--model', out, '--out', path.join(dir, 'bad'), '--manifest', patch]);
    assert.strictEqual(bad.code, 2);
    assertOneLineError(bad.stderr, /may not change spec/);

    const c = run(['complete', '--model', out, '--file', file, '--offset', '20', '--beam', '3', '--json']);
    assert.strictEqual(c.code, 0, c.stderr);
    const cj = lastJson(c.stdout);
    assert.strictEqual(typeof cj.completion, 'string');
    assert.strictEqual(typeof cj.ms, 'number');
    assert.ok(!(cj.completion as string).includes('\n'));
  });

  it('Ctrl+C stops training cleanly and leaves a loadable model', async function () {
    const out = path.join(dir, 'interrupted');
    const child = spawn(process.execPath, [CLI, 'train', '--out', out, '--layers', '1', '--hidden', '64', '--seq', '16', '--batch', '4', '--minutes', '5', '--json', path.join(dir, 'src')]);
    let stderr = '';
    let stdout = '';
    child.stdout.on('data', (d) => (stdout += d));
    await new Promise<void>((resolve) => {
      child.stderr.on('data', (d) => {
        stderr += d;
        if (/epoch \d+ step/.test(stderr)) resolve();
      });
    });
    child.kill('SIGINT');
    const code = await new Promise<number | null>((resolve) => child.on('exit', resolve));
    assert.strictEqual(code, 0, stderr);
    assert.strictEqual(lastJson(stdout).stoppedBecause, 'cancelled');
    const model = await loadModel(out);
    assert.deepStrictEqual(model.layout.spec.hidden, [64]);
    // The manifest records the setup and how far the run got, as Train on Workspace's does.
    const training = model.manifest.training;
    assert.strictEqual(training?.stoppedBecause, 'cancelled');
    assert.strictEqual(training?.seq, 16);
    assert.strictEqual(training?.batch, 4);
    assert.ok((training?.steps ?? 0) > 0 && (training?.charsSeen ?? 0) > 0, 'steps and characters seen');
    assert.strictEqual(training?.corpus?.files, 6);
  });

  it('trains a GRU and a plain RNN with --cell, which eval and complete then run', async () => {
    for (const cell of ['gru', 'rnn']) {
      const out = path.join(dir, `model-${cell}`);
      const t = run(['train', '--out', out, '--cell', cell, '--layers', '1', '--hidden', '24', '--embed', '8', '--seq', '32', '--batch', '8', '--epochs', '2', '--lr', '0.01', '--json', path.join(dir, 'src')]);
      assert.strictEqual(t.code, 0, t.stderr);
      assert.strictEqual((lastJson(t.stdout).spec as { cell?: string }).cell, cell);
      const model = await loadModel(out);
      assert.strictEqual(model.manifest.cell, cell);
      const file = path.join(dir, 'src', 'm1.py');
      const e = run(['eval', '--model', out, '--json', file]);
      assert.strictEqual(e.code, 0, e.stderr);
      assert.ok((lastJson(e.stdout).bitsPerChar as number) > 0);
      const c = run(['complete', '--model', out, '--file', file, '--offset', '10', '--json']);
      assert.strictEqual(c.code, 0, c.stderr);
    }
    const bad = run(['train', '--out', path.join(dir, 'x'), '--cell', 'transformer', path.join(dir, 'src')]);
    assert.strictEqual(bad.code, 2);
    assertOneLineError(bad.stderr, /--cell must be lstm, gru, rnn/);
  });

  it('compare trains the three cell types and ends --json with one object per cell type', () => {
    const r = run(['compare', '--minutes', '0.02', '--hidden', '16', '--embed', '8', '--seq', '16', '--batch', '4', '--json', path.join(dir, 'src')]);
    assert.strictEqual(r.code, 0, r.stderr);
    const j = lastJson(r.stdout) as Record<string, { bitsPerChar: number; sample: string; gradientReach: number[]; conceptCells: { concept: string; auroc: number | null }[] }>;
    assert.deepStrictEqual(Object.keys(j), ['lstm', 'gru', 'rnn']);
    for (const cell of ['lstm', 'gru', 'rnn']) {
      assert.ok(j[cell].bitsPerChar > 0 && j[cell].bitsPerChar < 8, `${cell} bits/char ${j[cell].bitsPerChar}`);
      assert.strictEqual(typeof j[cell].sample, 'string');
      assert.strictEqual(j[cell].gradientReach.length, 16);
      assert.ok(j[cell].gradientReach[0] > 0);
      assert.ok(j[cell].conceptCells.some((c) => c.concept === 'inString' && typeof c.auroc === 'number'), `${cell}: a string cell with its AUROC`);
    }
    assert.match(r.stdout, /held-out bits\/char/);
    assert.match(r.stdout, /gradient reach/);
    for (const args of [['compare', path.join(dir, 'src')], ['compare', '--minutes', '1', '--cells', 'lstm,lstm2', path.join(dir, 'src')]]) {
      const u = run(args);
      assert.strictEqual(u.code, 2, u.stderr);
      assertOneLineError(u.stderr, /--minutes is required|--cells takes/);
    }
  });

  it('reports usage mistakes in one line with exit code 2', () => {
    for (const args of [['frobnicate'], ['train', '--out'], ['complete', '--file', 'x', '--offset', 'abc'], ['eval', '--bogus', '1', 'f'], ['train', '--out', '/tmp/x', '--engine', 'tfjs', 'src']]) {
      const r = run(args);
      assert.strictEqual(r.code, 2, `${args.join(' ')}: ${r.stderr}`);
      assertOneLineError(r.stderr, /^lstm-lens /);
    }
  });

  it('reports missing files and corrupt models in one line with exit code 1', () => {
    const missing = run(['complete', '--model', path.join(dir, 'model'), '--file', path.join(dir, 'nope.ts'), '--offset', '0']);
    assert.strictEqual(missing.code, 1);
    assertOneLineError(missing.stderr, /nope\.ts: no such file/);

    const corrupt = path.join(dir, 'corrupt');
    fs.mkdirSync(corrupt);
    fs.writeFileSync(path.join(corrupt, 'model.json'), '{ not json');
    const bad = run(['eval', '--model', corrupt, path.join(dir, 'src', 'm0.py')]);
    assert.strictEqual(bad.code, 1);
    assertOneLineError(bad.stderr, /cannot load model .*not valid JSON/);

    const empty = fs.mkdtempSync(path.join(dir, 'empty-'));
    const none = run(['train', '--out', path.join(dir, 'none'), empty]);
    assert.strictEqual(none.code, 1);
    assert.match(none.stderr, /no source files to train on/);
    assert.ok(!fs.existsSync(path.join(dir, 'none', 'model.json')));
  });
});
