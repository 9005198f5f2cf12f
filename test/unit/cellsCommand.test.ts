import * as assert from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import { UsageError } from '../../src/cli/args';
import { CELLS_USAGE, cellsCommand } from '../../src/cli/commands/cells';
import { loadModel } from '../../src/core/model/modelFiles';
import { runCaptured } from './helpers/captureOutput';
import { tinyModelFolder } from './helpers/tinyModelFolder';

const run = (argv: string[]) => runCaptured(() => cellsCommand(argv));

const FILES: Record<string, string> = {
  'a.ts': 'export function f(xs: number[]): string {\n  // sum "them"\n  if (xs.length > 0 && xs[0] !== 1) {\n    return `n=${xs.length}`;\n  }\n  return "none";\n}\n',
  'b.py': 'def g(x):\n    """Doc with "quotes"."""\n    if (x and\n            x > 1):\n        return \'big\'  # comment\n    return [x, (x, x)]\n',
  'c.c': '#include <stdio.h>\n/* block "comment" */\nint main(void) {\n\tchar c = \'"\';\n\tif (c == \'(\' || (1 + 2)) { puts("s"); }\n\treturn 0;\n}\n',
};

describe('lstm-lens cells (cellsCommand)', function () {
  const folder = tinyModelFolder('lstm-lens-cells-');
  let files: string[];

  before(() => {
    files = Object.entries(FILES).map(([name, text]) => {
      const p = path.join(folder.dir, name);
      fs.writeFileSync(p, text);
      return p;
    });
  });

  it('prints one JSON object with the best cell per concept and the random baseline', async () => {
    const r = await run(['--model', folder.modelDir, '--json', ...files]);
    assert.strictEqual(r.code, 0, r.stderr);
    const lines = r.stdout.trim().split('\n');
    assert.strictEqual(lines.length, 1);
    const j = JSON.parse(lines[0]);
    const total = Object.values(FILES).reduce((n, t) => n + t.length, 0);
    assert.strictEqual(j.chars, total);
    assert.deepStrictEqual(
      j.files.map((f: { language: string; recorded: number }) => [f.language, f.recorded]),
      Object.entries(FILES).map(([name, text]) => [{ 'a.ts': 'typescript', 'b.py': 'python', 'c.c': 'c' }[name], text.length]),
    );
    assert.deepStrictEqual(Object.keys(j.concepts), ['inString', 'inComment', 'indentDepth', 'inIfCondition', 'linePosition', 'bracketDepth']);
    for (const [name, c] of Object.entries(j.concepts) as [string, Record<string, unknown>][]) {
      assert.strictEqual(c.layer, 0, name);
      assert.ok(Number.isInteger(c.cell) && (c.cell as number) >= 0 && (c.cell as number) < 16, name);
      assert.ok(c.kind === 'h' || c.kind === 'c', name);
      assert.ok(typeof c.r === 'number' && Math.abs(c.r) <= 1, name);
      const yesNo = ['inString', 'inComment', 'inIfCondition'].includes(name);
      assert.strictEqual(typeof c.auroc === 'number', yesNo, `${name}: auroc only for yes/no concepts`);
      assert.strictEqual(typeof c.rho === 'number', !yesNo, `${name}: rho only for counts`);
      if (yesNo) assert.ok((c.auroc as number) >= 0.5 && (c.auroc as number) <= 1, `${name}: AUROC taken either sign`);
      else assert.ok(Math.abs(c.rho as number) <= 1, name);
      const random = c.random as Record<string, unknown>;
      assert.strictEqual(typeof random.r, 'number', name);
      assert.strictEqual(typeof random.auroc === 'number', yesNo, name);
      assert.strictEqual(typeof random.rho === 'number', !yesNo, name);
      assert.ok(Number.isInteger(random.cell) && (random.kind === 'h' || random.kind === 'c'), `${name}: the control names its cell`);
      // Where the best cell errs: yes/no concepts only, every recorded character in exactly one group.
      const errors = c.errors as { positives: { group: string; count: number; auroc: number }[]; negatives: { group: string; count: number; auroc: number }[] } | undefined;
      assert.strictEqual(errors !== undefined, yesNo, `${name}: error groups only for yes/no concepts`);
      if (errors) {
        const count = (list: { count: number }[]) => list.reduce((n, g) => n + g.count, 0);
        assert.strictEqual(count(errors.positives) + count(errors.negatives), total, name);
        assert.strictEqual(errors.positives[0].group, 'span 1', name);
        for (const g of [...errors.positives, ...errors.negatives]) assert.ok(g.auroc >= 0 && g.auroc <= 1, `${name} ${g.group}`);
      }
      // Counts: the cell's mean per band of the count, every recorded character in one band.
      const curve = c.curve as { band: string; count: number; mean: number }[] | undefined;
      assert.strictEqual(curve !== undefined, !yesNo, `${name}: a curve only for counts`);
      if (curve) {
        assert.strictEqual(curve.reduce((n, b) => n + b.count, 0), total, name);
        assert.strictEqual(curve[0].band, '0', name);
      }
    }
    assert.strictEqual(j.saturation.length, 1);
    assert.ok(typeof j.saturation[0].f.right === 'number');
  });

  it('writes the heatmap page and stores the named cells in the manifest, weights unchanged', async () => {
    const before = await loadModel(folder.modelDir);
    const html = path.join(folder.dir, 'out', 'heat.html');
    fs.mkdirSync(path.dirname(html));
    const r = await run(['--model', folder.modelDir, '--json', '--html', html, '--save', '--max-chars', '150', ...files]);
    assert.strictEqual(r.code, 0, r.stderr);
    const j = JSON.parse(r.stdout);
    assert.strictEqual(j.chars, 150);
    assert.strictEqual(j.saved, true);

    const page = fs.readFileSync(html, 'utf8');
    assert.match(page, /Content-Security-Policy/);
    assert.ok(!page.includes('<stdio.h>'), 'code is escaped');
    assert.ok(page.includes('&lt;</span><span class="'), 'the < of the include is a character of its own');
    assert.strictEqual((page.match(/<h2>/g) ?? []).length, 3, 'one section per file');
    assert.deepStrictEqual(fs.readdirSync(path.dirname(html)), ['heat.html'], 'no temporary file left behind');

    const after = await loadModel(folder.modelDir);
    assert.deepStrictEqual([...after.params], [...before.params]);
    const cells = after.manifest.cells!;
    assert.deepStrictEqual(Object.keys(cells).sort(), ['bracketDepth', 'inComment', 'inIfCondition', 'inString', 'indentDepth', 'linePosition']);
    assert.deepStrictEqual([cells.inString.layer, cells.inString.cell, cells.inString.kind], [j.concepts.inString.layer, j.concepts.inString.cell, j.concepts.inString.kind]);
    assert.strictEqual(cells.inString.r, j.concepts.inString.r);
    assert.strictEqual(cells.inString.auroc, j.concepts.inString.auroc);
    assert.strictEqual(cells.indentDepth.rho, j.concepts.indentDepth.rho);
  });

  it('prints a readable table without --json', async () => {
    const r = await run(['--model', folder.modelDir, files[0]]);
    assert.strictEqual(r.code, 0);
    const lines = r.stdout.trim().split('\n');
    // A line per concept; under each yes/no concept's the groups where its cell errs, under each count's the cell's mean by level.
    assert.strictEqual(lines.length, 14);
    assert.strictEqual(lines[13], 'concept labels: tree-sitter for 1 file (typescript)');
    assert.match(lines[6], /^\s+mean by level \(rises where it counts\): 0 -?\d\.\d\d, 1 -?\d\.\d\d/);
    assert.match(lines[1], /^inString\s+layer 0 [hc]\[\d+\]\s+AUROC \d\.\d{3}\s+r\s+-?\d\.\d{3}\s+\(random model: AUROC \d\.\d{3}/);
    assert.match(lines[2], /^\s+where it errs, AUROC per group: yes span 1 \d\.\d\d, span 2-8 \d\.\d\d.*; no after span \d\.\d\d, in a comment \d\.\d\d, elsewhere \d\.\d\d$/);
    assert.match(lines[5], /^indentDepth\s+layer 0 [hc]\[\d+\]\s+rho\s+-?\d\.\d{3}\s+r\s+-?\d\.\d{3}\s+\(random model: rho/);
  });

  it('labels the concepts from each file\'s grammar, the lexers with --lexical or where none is shipped', async () => {
    const java = path.join(folder.dir, 'D.java');
    fs.writeFileSync(java, 'class D { String s = "x"; }\n');
    const tree = JSON.parse((await run(['--model', folder.modelDir, '--json', ...files, java])).stdout);
    assert.deepStrictEqual(
      tree.files.map((f: { labelledBy: unknown }) => f.labelledBy),
      [
        { kind: 'tree-sitter', grammar: 'typescript' },
        { kind: 'tree-sitter', grammar: 'python' },
        { kind: 'tree-sitter', grammar: 'c' },
        { kind: 'lexical', reason: `no tree-sitter grammar is shipped for ${java}` },
      ],
    );
    const lexical = JSON.parse((await run(['--model', folder.modelDir, '--json', '--lexical', ...files])).stdout);
    assert.deepStrictEqual(
      lexical.files.map((f: { labelledBy: { kind: string } }) => f.labelledBy.kind),
      ['lexical', 'lexical', 'lexical'],
    );
    // The same recording ranked against other labels: the lexers end a Python if-condition at its
    // colon, the tree before it, so the if-condition finding moves.
    assert.notStrictEqual(tree.concepts.inIfCondition.auroc, lexical.concepts.inIfCondition.auroc, 'the tree labels reach the ranking');
  });

  it('rejects bad calls with a usage error', async () => {
    assert.match(CELLS_USAGE, /^cells --model DIR/);
    await assert.rejects(() => cellsCommand(['--model', folder.modelDir]), UsageError);
    await assert.rejects(() => cellsCommand(['--model', folder.modelDir, '--max-chars', '0', files[0]]), UsageError);
    await assert.rejects(() => cellsCommand(['--bogus', files[0]]), UsageError);
    await assert.rejects(() => cellsCommand(['--model', folder.modelDir, '--html', path.join(folder.dir, 'no', 'such', 'dir.html'), files[0]]), /--html: the folder .* does not exist/);
    await assert.rejects(() => cellsCommand(['--model', folder.modelDir, path.join(folder.dir, 'missing.ts')]), /no such file/);
    await assert.rejects(() => cellsCommand(['--model', path.join(folder.dir, 'nope'), files[0]]), /cannot load model/);
  });
});
