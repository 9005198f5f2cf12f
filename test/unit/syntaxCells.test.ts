import * as assert from 'assert';
import { Activations, auroc, cellValues, recordActivations } from '../../src/core/cells';
import { Engine } from '../../src/core/engine';
import { createFastestOps } from '../../src/core/kernels/wasmOps';
import { newManifest } from '../../src/core/model/manifest';
import { ModelSpec } from '../../src/core/modelSpec';
import { initParams, makeRng, paramLayout } from '../../src/core/params';
import { SyntaxLabels, SyntaxParsers, cellsForSyntax, findCellsForSyntax, labelText, syntaxLabelsForRecording, syntaxMask } from '../../src/core/syntax';
import { VOCAB_SIZE } from '../../src/core/vocab';

/** A recording of one h track whose units are given per character. */
function recording(columns: number[][], segments = [{ start: 0, end: columns[0].length, textLength: columns[0].length }]): Activations {
  const T = columns[0].length;
  const U = columns.length;
  const values = new Float32Array(T * U);
  for (let t = 0; t < T; t++) for (let j = 0; j < U; j++) values[t * U + j] = columns[j][t];
  return { chars: T, tracks: [{ layer: 0, kind: 'h', units: U, values }], surprise: new Float32Array(T), gateCounts: [], segments };
}

function labels(grammar: SyntaxLabels['grammar'], length: number, spans: Record<string, number[]>): SyntaxLabels {
  return { grammar, length, spans: new Map(Object.entries(spans)) };
}

describe('cells for syntax node types', function () {
  this.timeout(60_000);

  it('finds the cell that separates a node type, sign-free, with the AUROC a direct count gives', () => {
    const T = 200;
    const rng = makeRng(5);
    const noise = Array.from({ length: T }, () => rng());
    const label = syntaxMask(labels('c', T, { call_expression: [20, 60, 100, 180] }), 'call_expression');
    // Unit 0: noise. Unit 1: low inside calls (a perfect detector, reversed). Unit 2: noise plus a small shift inside.
    const act = recording([noise, [...label].map((y) => (y ? -1 : 1)), noise.map((x, t) => x + 0.3 * label[t])]);
    const recorded = syntaxLabelsForRecording(act.segments, [labels('c', T, { call_expression: [20, 60, 100, 180], comment: [0, 3] })], { minPositives: 10, minNegatives: 10, minNodes: 1 });
    assert.deepStrictEqual(
      recorded.groups[0].keys.map((k) => k.key),
      ['call_expression'],
      'a node type with fewer than 10 characters is not ranked',
    );
    const [found] = findCellsForSyntax(act, recorded);
    assert.strictEqual(found.nodeType, 'call_expression');
    assert.strictEqual(found.positives, 120);
    assert.strictEqual(found.negatives, 80);
    assert.deepStrictEqual({ cell: found.best.cell, auroc: found.best.auroc, sign: found.best.sign }, { cell: 1, auroc: 1, sign: -1 });
    assert.strictEqual(found.random, null);

    // Against the control (units 0 and 2 only), the best is unit 2's AUROC, as the sorting AUROC counts it.
    const control = recording([noise, noise.map((x, t) => x + 0.3 * label[t])]);
    const [withControl] = findCellsForSyntax(act, recorded, { control });
    const direct = auroc(cellValues(control, { layer: 0, kind: 'h', cell: 1 }), label);
    assert.ok(withControl.random);
    assert.strictEqual(withControl.random.cell, 1);
    assert.ok(Math.abs(withControl.random.auroc - Math.max(direct, 1 - direct)) < 1e-9, `${withControl.random.auroc} vs ${direct}`);
  });

  it('compares a node type only with characters of files of the same grammar', () => {
    // Two files: a TS one (rows 0..99) and a Python one (rows 100..199). The cell is high inside TS strings and
    // everywhere in the Python file: among TS characters alone it is perfect.
    const T = 200;
    const ts = labels('typescript', 100, { string: [10, 40] });
    const py = labels('python', 100, { string: [50, 90] });
    const column = Array.from({ length: T }, (_, t) => (t >= 100 || (t >= 10 && t < 40) ? 1 : 0));
    const act = recording([column], [
      { start: 0, end: 100, textLength: 100 },
      { start: 100, end: 200, textLength: 100 },
    ]);
    const found = findCellsForSyntax(act, syntaxLabelsForRecording(act.segments, [ts, py], { minPositives: 5, minNegatives: 5, minNodes: 1 }));
    const byGrammar = Object.fromEntries(found.map((f) => [f.grammar, f]));
    assert.strictEqual(byGrammar.typescript.best.auroc, 1);
    assert.strictEqual(byGrammar.typescript.positives + byGrammar.typescript.negatives, 100);
    assert.strictEqual(byGrammar.python.best.auroc, 0.5, 'constant over the Python file: no separation');
  });

  it('cuts labels at a capped recording and uses the smaller class either way', () => {
    const act = recording([Array.from({ length: 50 }, (_, t) => t)], [{ start: 0, end: 50, textLength: 80 }]);
    const recorded = syntaxLabelsForRecording(act.segments, [labels('go', 80, { block: [10, 80] })], { minPositives: 1, minNegatives: 1, minNodes: 1 });
    const key = recorded.groups[0].keys[0];
    assert.deepStrictEqual({ positives: key.positives, negatives: key.negatives, complement: key.complement, listed: key.indices.length }, { positives: 40, negatives: 10, complement: true, listed: 10 });
    assert.strictEqual(findCellsForSyntax(act, recorded)[0].best.auroc, 1);
  });

  it('leaves out node types with too few separate nodes (one long node is separated by any drift)', () => {
    const act = recording([Array.from({ length: 200 }, (_, t) => t)]);
    const oneBlock = syntaxLabelsForRecording(act.segments, [labels('python', 200, { import_statement: [0, 100] })]);
    assert.deepStrictEqual(oneBlock.groups[0].keys, []);
    const five = syntaxLabelsForRecording(act.segments, [labels('python', 200, { call: [0, 20, 40, 60, 80, 100, 120, 140, 160, 180] })]);
    assert.deepStrictEqual(
      five.groups[0].keys.map((k) => [k.key, k.nodes]),
      [['call', 5]],
    );
  });

  it('ranks a tiny model on real parses, beside a random model of the same shape', async () => {
    const spec: ModelSpec = { vocabSize: VOCAB_SIZE, embedDim: 8, hidden: [12, 12] };
    const layout = paramLayout(spec);
    const engine = new Engine({ layout, params: initParams(layout, 3), manifest: newManifest(spec, 'tiny') }, createFastestOps());
    const files = [
      { name: 'a.ts', text: 'export function f(xs: number[], y: string): string {\n  if (xs.length > 0) {\n    return g(xs, "a", `n=${y}`);\n  }\n  return "none"; // the end\n}\n'.repeat(3) },
      { name: 'A.java', text: 'class A { String s = "x"; }\n' },
    ];
    const parsers = new SyntaxParsers();
    try {
      const found = await cellsForSyntax(engine, files, parsers, { minPositives: 20, minNegatives: 20, minNodes: 3 });
      assert.deepStrictEqual(found.sources[0], { kind: 'tree-sitter', grammar: 'typescript' });
      assert.strictEqual(found.sources[1].kind, 'lexical');
      const types = found.findings.map((f) => f.nodeType);
      for (const t of ['string', 'arguments', 'type_annotation', 'if_statement.condition', 'comment']) assert.ok(types.includes(t), `${t} in ${types.join(' ')}`);
      assert.ok(found.findings.every((f) => f.grammar === 'typescript'));
      for (let k = 1; k < found.findings.length; k++) assert.ok(found.findings[k - 1].best.auroc >= found.findings[k].best.auroc, 'best first');
      for (const f of found.findings) {
        assert.ok(f.random, f.nodeType);
        assert.ok(f.best.auroc >= 0.5 && f.best.auroc <= 1 && f.random.auroc >= 0.5 && f.random.auroc <= 1);
        assert.ok(f.best.layer < 2 && f.best.cell < 12);
      }
      // The named best cell really has that AUROC over the file's characters.
      const recordingOfA = recordActivations(engine, files.map((f) => f.text));
      const first = found.findings[0];
      const labelsOfA = await labelText(files[0].text, 'a.ts', parsers);
      assert.ok(labelsOfA.syntax);
      const mask = syntaxMask(labelsOfA.syntax, first.nodeType);
      const a = auroc(cellValues(recordingOfA, first.best, 0, files[0].text.length), mask);
      assert.ok(Math.abs(Math.max(a, 1 - a) - first.best.auroc) < 1e-6, `${a} vs ${first.best.auroc}`);

      // Given a capped recording (only layer 1's c), the findings and the control cover exactly its characters and cells.
      const capped = recordActivations(engine, files.map((f) => f.text), { maxChars: 300, layers: [1], kinds: ['c'] });
      const fromCapped = await cellsForSyntax(engine, files, parsers, { recording: capped, minPositives: 10, minNegatives: 10, minNodes: 2 });
      assert.ok(fromCapped.findings.length > 0);
      for (const f of fromCapped.findings) {
        assert.strictEqual(f.positives + f.negatives, capped.segments[0].end - capped.segments[0].start, f.nodeType);
        assert.ok(f.random && f.best.layer === 1 && f.best.kind === 'c' && f.random.layer === 1 && f.random.kind === 'c', f.nodeType);
      }
    } finally {
      parsers.dispose();
    }
  });
});
