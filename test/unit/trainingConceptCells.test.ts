import * as assert from 'assert';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { CONCEPT_NAMES, labelConcepts } from '../../src/core/concepts';
import { ModelSpec } from '../../src/core/modelSpec';
import { initParams, paramLayout } from '../../src/core/params';
import { conceptCellsAt, prepareConceptSlice } from '../../src/core/workspaceTraining/conceptCellsAtValidation';
import { conceptCellRows } from '../../src/core/workspaceTraining/conceptCellsText';
import { lossCurveHtml } from '../../src/core/workspaceTraining/lossCurveHtml';
import { TrainingEvent, TrainingJobRequest, runTrainingJob } from '../../src/core/workspaceTraining/trainingJob';
import { TINY_JOB_SPEC, tinyTrainingRequest } from './helpers/tinyTrainingJob';
import { runTrainingInWorker } from '../../src/core/workspaceTraining/trainingWorkerClient';
import { isFromTrainingWorker } from '../../src/core/workspaceTraining/workerProtocol';

/** The training view shows the concept cells found so far at each validation, computed in the worker. */

const SPEC: ModelSpec = TINY_JOB_SPEC;
const layout = paramLayout(SPEC);
const PY = (i: number) => `def add_${i}(a, b):\n    # sum of "a" and b\n    if a > b:\n        return f"{a}+{b}"\n    return [a, (b, 'x')]\n\n`.repeat(8);
const SOURCES = Array.from({ length: 5 }, (_, i) => ({ name: `ws/m${i}.py`, text: PY(i) }));

function request(dir: string, conceptChars: number | undefined): TrainingJobRequest {
  return tinyTrainingRequest(dir, SOURCES, 'concepts', conceptChars === undefined ? {} : { conceptChars });
}

describe('training: concept cells at each validation', function () {
  this.timeout(60_000);

  it('labels a capped held-out slice once, from the grammar, and measures the random control on it', async () => {
    const heldOut = [SOURCES[0], SOURCES[1]];
    const cap = SOURCES[0].text.length + 100;
    const slice = await prepareConceptSlice(heldOut, layout, cap);
    assert.ok(slice);
    assert.strictEqual(slice.chars, cap);
    assert.strictEqual(slice.labelledBy, 'tree-sitter for 2 files (python)');
    assert.deepStrictEqual(
      slice.files.map((f) => f.text.length),
      [SOURCES[0].text.length, 100],
    );
    // Tree-sitter ends an if-condition before its colon; the Python lexer after it: these are the tree's.
    const text = slice.files[0].text;
    const labels = slice.files[0].labels;
    assert.ok(labels);
    const ifAt = text.indexOf('if a > b:');
    assert.strictEqual(labels.inIfCondition[ifAt + 'if a > b'.length], 0);
    assert.strictEqual(labelConcepts(text, 'python').inIfCondition[ifAt + 'if a > b'.length], 1);
    // The control is seed 1 of the same shape, on the same characters: conceptCellsAt of those weights.
    assert.deepStrictEqual(slice.random, conceptCellsAt(layout, initParams(layout, 1), slice));
    assert.strictEqual(await prepareConceptSlice([{ name: 'e.py', text: '' }], layout, 100), null);
  });

  it('finds each varying concept\'s best cell of the weights it is given', async () => {
    const slice = await prepareConceptSlice(SOURCES.slice(0, 2), layout, 1500);
    assert.ok(slice);
    const a = conceptCellsAt(layout, initParams(layout, 9), slice);
    const b = conceptCellsAt(layout, initParams(layout, 10), slice);
    assert.deepStrictEqual(
      a.map((c) => c.concept),
      [...CONCEPT_NAMES],
    );
    for (const c of a) {
      assert.ok(c.layer === 0 && c.cell >= 0 && c.cell < 16 && (c.kind === 'h' || c.kind === 'c'), JSON.stringify(c));
      const yesNo = ['inString', 'inComment', 'inIfCondition'].includes(c.concept);
      if (yesNo) assert.ok(c.auroc !== undefined && c.auroc >= 0.5 && c.auroc <= 1 && c.rho === undefined, JSON.stringify(c));
      else assert.ok(c.rho !== undefined && Math.abs(c.rho) <= 1 && c.auroc === undefined, JSON.stringify(c));
    }
    assert.notDeepStrictEqual(a, b, 'other weights, other cells or scores');
  });

  it('sends one concepts message per validation, through the worker protocol and structured clone', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'lstm-lens-concepts-'));
    try {
      const events: TrainingEvent[] = [];
      await runTrainingJob(request(dir, 800), new AbortController().signal, (e) => events.push(e));
      const concepts = events.filter((e): e is Extract<TrainingEvent, { type: 'concepts' }> => e.type === 'concepts');
      const validations = events.filter((e) => e.type === 'progress' && e.progress.phase === 'validate').length;
      assert.ok(concepts.length >= 3, `${concepts.length} over 3 epochs`);
      assert.strictEqual(concepts.length, validations);
      for (const c of concepts) {
        const copy = structuredClone(c);
        assert.deepStrictEqual(copy, c);
        assert.ok(isFromTrainingWorker(copy));
        assert.strictEqual(c.chars, 800);
        assert.ok(Number.isFinite(c.valBitsPerChar));
        assert.ok(c.cells.length > 0 && c.random.length > 0);
      }
      // The control does not train; the model does.
      assert.deepStrictEqual(concepts[0].random, concepts[concepts.length - 1].random);
      assert.ok(concepts[concepts.length - 1].step > concepts[0].step);
      const none: TrainingEvent[] = [];
      await runTrainingJob(request(dir, undefined), new AbortController().signal, (e) => none.push(e));
      assert.strictEqual(none.filter((e) => e.type === 'concepts').length, 0);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it('arrives from the real training thread', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'lstm-lens-concepts-worker-'));
    try {
      const events: TrainingEvent[] = [];
      const result = await runTrainingInWorker({ ...request(dir, 800), train: { ...request(dir, 800).train, epochs: 1 } }, new AbortController().signal, (e) => events.push(e));
      assert.ok(result.steps > 0);
      const concepts = events.filter((e) => e.type === 'concepts');
      assert.ok(concepts.length >= 1, JSON.stringify(events.filter((e) => e.type === 'status')));
      assert.ok(!events.some((e) => e.type === 'status' && /no concept cells/.test(e.text)));
      assert.ok(concepts.every((e) => e.type === 'concepts' && e.labelledBy === 'tree-sitter for 1 file (python)'), JSON.stringify(concepts[0]));
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it('the view gets plain-text rows beside the control, and sets them as text', () => {
    const rows = conceptCellRows(
      [
        { concept: 'inString', layer: 0, cell: 3, kind: 'c', auroc: 0.91234 },
        { concept: 'indentDepth', layer: 1, cell: 7, kind: 'h', rho: -0.5 },
      ],
      [{ concept: 'inString', layer: 0, cell: 9, kind: 'h', auroc: 0.7 }],
    );
    assert.deepStrictEqual(rows, [
      { concept: 'inString', cell: 'layer 0 c[3]', score: 'AUROC 0.912', random: 'random AUROC 0.700' },
      { concept: 'indentDepth', cell: 'layer 1 h[7]', score: 'ρ −0.500', random: '' },
    ]);
    const html = lossCurveHtml({ nonce: 'abcdefghijklmnopqrstuvwx', cspSource: 'vscode-webview:', title: 't' });
    assert.match(html, /<table id="concepts"><\/table>/);
    assert.match(html, /td\.textContent = text\(r\[k\]\)/);
    assert.doesNotMatch(html, /innerHTML|insertAdjacentHTML|outerHTML/);
  });
});
