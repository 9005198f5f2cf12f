import * as assert from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import { cellsCommand } from '../../src/cli/commands/cells';
import { runCaptured } from './helpers/captureOutput';
import { tinyModelFolder } from './helpers/tinyModelFolder';

const run = (argv: string[]) => runCaptured(() => cellsCommand(argv));

describe('lstm-lens cells --syntax', function () {
  this.timeout(120_000);
  const folder = tinyModelFolder('lstm-lens-cells-syntax-');
  const ts = 'export function f(xs: number[], y: string): string {\n  if (xs.length > 0) { return g(xs, "a", `n=${xs.length + y}`); }\n  return "none"; // end\n}\n'.repeat(6);
  const py = '@decorate_with(1, 2)\ndef g(x: int) -> str:\n    if x > 1:\n        return h(x, "s")  # c\n    return \'t\'\n'.repeat(6);

  before(() => {
    fs.writeFileSync(path.join(folder.dir, 'a.ts'), ts);
    fs.writeFileSync(path.join(folder.dir, 'b.py'), py);
  });

  it('adds syntax.<nodeType> with the best cell, its AUROC and the random control', async () => {
    const r = await run(['--model', folder.modelDir, '--json', '--syntax', path.join(folder.dir, 'a.ts')]);
    assert.strictEqual(r.code, 0, r.stderr);
    const j = JSON.parse(r.stdout.trim());
    assert.ok(j.concepts.inString, 'the six concepts are still there');
    assert.deepStrictEqual(j.syntaxLabelledBy, [{ kind: 'tree-sitter', grammar: 'typescript' }]);
    for (const t of ['type_annotation', 'arguments', 'template_substitution', 'if_statement.condition', 'string']) {
      const f = j.syntax[t];
      assert.ok(f, `${t} in ${Object.keys(j.syntax).join(' ')}`);
      assert.deepStrictEqual(Object.keys(f).slice(0, 4), ['layer', 'cell', 'kind', 'auroc']);
      assert.ok(f.auroc >= 0.5 && f.auroc <= 1 && f.random.auroc >= 0.5 && f.random.auroc <= 1, t);
      assert.ok(f.positives >= 30 && f.negatives >= 30 && f.nodes >= 5, t);
    }
    const aurocs = Object.values(j.syntax as Record<string, { auroc: number }>).map((f) => f.auroc);
    assert.deepStrictEqual(aurocs, [...aurocs].sort((a, b) => b - a), 'best first');
  });

  it('prefixes the grammar when files mix grammars, and says what labelled each file in the text report', async () => {
    const r = await run(['--model', folder.modelDir, '--json', '--syntax', path.join(folder.dir, 'a.ts'), path.join(folder.dir, 'b.py')]);
    assert.strictEqual(r.code, 0, r.stderr);
    const keys = Object.keys(JSON.parse(r.stdout.trim()).syntax);
    assert.ok(keys.includes('typescript:type_annotation') && keys.includes('python:decorator'), keys.join(' '));
    assert.ok(keys.every((k) => /^(typescript|python):/.test(k)));

    const text = await run(['--model', folder.modelDir, '--syntax', path.join(folder.dir, 'a.ts')]);
    assert.strictEqual(text.code, 0, text.stderr);
    assert.match(text.stdout, /a\.ts: tree-sitter typescript/);
    assert.match(text.stdout, /syntax node types \(\d+ ranked; best \d+\):\n {2}\S+ +layer 0 [hc]\[\d+\] +AUROC [01]\.\d{3} +\(random model: AUROC [01]\.\d{3}\)/);
  });
});
