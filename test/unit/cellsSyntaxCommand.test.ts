import * as assert from 'assert';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { cellsCommand } from '../../src/cli/commands/cells';
import { newManifest } from '../../src/core/model/manifest';
import { saveModel } from '../../src/core/model/modelFiles';
import { ModelSpec } from '../../src/core/modelSpec';
import { initParams, paramLayout } from '../../src/core/params';
import { VOCAB_SIZE } from '../../src/core/vocab';

async function run(argv: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  let stdout = '';
  let stderr = '';
  const out = process.stdout.write;
  const err = process.stderr.write;
  process.stdout.write = ((chunk: string | Uint8Array) => ((stdout += chunk.toString()), true)) as typeof process.stdout.write;
  process.stderr.write = ((chunk: string | Uint8Array) => ((stderr += chunk.toString()), true)) as typeof process.stderr.write;
  try {
    return { code: await cellsCommand(argv), stdout, stderr };
  } finally {
    process.stdout.write = out;
    process.stderr.write = err;
  }
}

describe('lstm-lens cells --syntax', function () {
  this.timeout(120_000);
  let dir: string;
  let modelDir: string;
  const spec: ModelSpec = { vocabSize: VOCAB_SIZE, embedDim: 8, hidden: [16] };
  const ts = 'export function f(xs: number[], y: string): string {\n  if (xs.length > 0) { return g(xs, "a", `n=${xs.length + y}`); }\n  return "none"; // end\n}\n'.repeat(6);
  const py = '@decorate_with(1, 2)\ndef g(x: int) -> str:\n    if x > 1:\n        return h(x, "s")  # c\n    return \'t\'\n'.repeat(6);

  before(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'lstm-lens-cells-syntax-'));
    modelDir = path.join(dir, 'model');
    const layout = paramLayout(spec);
    await saveModel(modelDir, { layout, params: initParams(layout, 4), manifest: newManifest(spec, 'tiny') });
    fs.writeFileSync(path.join(dir, 'a.ts'), ts);
    fs.writeFileSync(path.join(dir, 'b.py'), py);
  });
  after(() => dir && fs.rmSync(dir, { recursive: true, force: true }));

  it('adds syntax.<nodeType> with the best cell, its AUROC and the random control', async () => {
    const r = await run(['--model', modelDir, '--json', '--syntax', path.join(dir, 'a.ts')]);
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
    const r = await run(['--model', modelDir, '--json', '--syntax', path.join(dir, 'a.ts'), path.join(dir, 'b.py')]);
    assert.strictEqual(r.code, 0, r.stderr);
    const keys = Object.keys(JSON.parse(r.stdout.trim()).syntax);
    assert.ok(keys.includes('typescript:type_annotation') && keys.includes('python:decorator'), keys.join(' '));
    assert.ok(keys.every((k) => /^(typescript|python):/.test(k)));

    const text = await run(['--model', modelDir, '--syntax', path.join(dir, 'a.ts')]);
    assert.strictEqual(text.code, 0, text.stderr);
    assert.match(text.stdout, /a\.ts: tree-sitter typescript/);
    assert.match(text.stdout, /syntax node types \(\d+ ranked; best \d+\):\n {2}\S+ +layer 0 [hc]\[\d+\] +AUROC [01]\.\d{3} +\(random model: AUROC [01]\.\d{3}\)/);
  });
});
