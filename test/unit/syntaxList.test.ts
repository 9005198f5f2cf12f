import * as assert from 'assert';
import { Activations } from '../../src/core/cells';
import { makeRng } from '../../src/core/params';
import { SyntaxFinding, SyntaxLabels, findCellsForSyntax, findCellsForSyntaxSliced, syntaxLabelsForRecording, syntaxMask, windowSyntaxLabels } from '../../src/core/syntax';
import { SYNTAX_LIST_MAX, syntaxEntries, syntaxListOnWindow } from '../../src/host/heatmap/syntaxCells';

/** A recording of one c track whose units are given per character. */
function recording(columns: number[][]): Activations {
  const T = columns[0].length;
  const U = columns.length;
  const values = new Float32Array(T * U);
  for (let t = 0; t < T; t++) for (let j = 0; j < U; j++) values[t * U + j] = columns[j][t];
  return { chars: T, tracks: [{ layer: 0, kind: 'c', units: U, values }], surprise: new Float32Array(T), gateCounts: [], segments: [{ start: 0, end: T, textLength: T }] };
}

const labels = (length: number, spans: Record<string, number[]>): SyntaxLabels => ({ grammar: 'typescript', length, spans: new Map(Object.entries(spans)) });
const noYield = { yieldNow: () => Promise.resolve() };

describe('the panel\'s node-type list', () => {
  it('cuts a file\'s node-type labels to a window, as if the window were the whole text', () => {
    const whole = labels(100, { string: [5, 15, 40, 60, 90, 95], arguments: [0, 100] });
    const w = windowSyntaxLabels(whole, 10, 50);
    assert.strictEqual(w.length, 40);
    // The string that began before the window starts at its first character; the one after it is gone.
    assert.deepStrictEqual(w.spans.get('string'), [0, 5, 30, 40]);
    assert.deepStrictEqual(w.spans.get('arguments'), [0, 40]);
    assert.deepStrictEqual([...syntaxMask(w, 'string')].slice(0, 6), [1, 1, 1, 1, 1, 0]);
    assert.strictEqual(windowSyntaxLabels(whole, 96, 100).spans.has('string'), false, 'a window no span reaches has no key for it');
  });

  it('ranks in time slices to the same findings, and stops when cancelled', async () => {
    const T = 300;
    const rng = makeRng(3);
    const spans = { call_expression: [10, 40, 80, 120, 150, 170, 200, 230, 260, 280], string: [0, 5, 50, 60, 130, 140, 180, 190, 240, 250] };
    const y = syntaxMask(labels(T, spans), 'call_expression');
    const act = recording([Array.from({ length: T }, () => rng()), Array.from(y, (v) => v + 0.5 * rng()), Array.from({ length: T }, () => rng())]);
    const control = recording([Array.from({ length: T }, () => rng()), Array.from({ length: T }, () => rng())]);
    const recorded = syntaxLabelsForRecording(act.segments, [labels(T, spans)]);
    const direct = findCellsForSyntax(act, recorded, { control });
    let yields = 0;
    const sliced = await findCellsForSyntaxSliced(act, recorded, { control }, { yieldNow: async () => void yields++, sliceMs: 0 });
    assert.deepStrictEqual(sliced, direct);
    assert.ok(yields >= 4, `yielded ${yields} times between cells`);
    const cancelled = await findCellsForSyntaxSliced(act, recorded, { control }, { yieldNow: () => Promise.resolve(), sliceMs: 0, isCancelled: () => true });
    assert.strictEqual(cancelled, undefined);
  });

  it('lists the node types whose best cell beats the control, furthest above it first, capped, and says what it ranked', () => {
    const finding = (nodeType: string, auroc: number, random: number | null, cell = 1): SyntaxFinding => ({
      grammar: 'typescript',
      nodeType,
      nodes: 12,
      positives: 100,
      negatives: 200,
      best: { layer: 0, cell, kind: 'c', auroc, sign: -1 },
      random: random === null ? null : { layer: 0, cell: 9, kind: 'h', auroc: random, sign: 1 },
    });
    const list = syntaxEntries([finding('string', 0.97, 0.8, 132), finding('arguments', 0.9, 0.95), finding('comment', 0.88, 0.6)], 'typescript');
    // Ordered by the margin over the control: comment (+0.28) before string (+0.17); arguments does not beat it.
    assert.deepStrictEqual(
      list.entries.map((e) => e.title),
      ['comment · layer 0 c[1]', 'string · layer 0 c[132]'],
    );
    assert.deepStrictEqual(list.entries[1].ref, { layer: 0, cell: 132, kind: 'c' });
    assert.strictEqual(list.entries[1].detail, 'this file: AUROC 0.970 · random model AUROC 0.800 · 12 nodes, lower inside');
    assert.match(list.note, /^3 node types of the tree-sitter typescript grammar ranked on this window .*; 2 have a cell above the random model's best\.$/);

    const many = Array.from({ length: SYNTAX_LIST_MAX + 5 }, (_, k) => finding(`type_${k}`, 0.99 - k / 100, 0.6));
    const capped = syntaxEntries(many, 'typescript');
    assert.strictEqual(capped.entries.length, SYNTAX_LIST_MAX);
    assert.strictEqual(capped.entries[SYNTAX_LIST_MAX - 1].title, `type_${SYNTAX_LIST_MAX - 1} · layer 0 c[1]`);
    assert.match(capped.note, new RegExp(`${SYNTAX_LIST_MAX + 5} have a cell above the random model's best; the ${SYNTAX_LIST_MAX} furthest above it are listed\\.$`));
  });

  it('ranks a window of the file against its node types, or says why there are none', async () => {
    const T = 200;
    const rng = makeRng(8);
    // The whole file is 400 characters; the window is [100, 300). Unit 0 follows the calls inside the window.
    const whole = labels(400, { call_expression: [0, 20, 110, 130, 150, 170, 190, 210, 230, 250, 270, 290, 350, 360] });
    const y = syntaxMask(windowSyntaxLabels(whole, 100, 300), 'call_expression');
    const act = recording([Array.from(y, (v) => v * 2 + 0.1 * rng()), Array.from({ length: T }, () => rng())]);
    const control = recording([Array.from({ length: T }, () => rng()), Array.from({ length: T }, () => rng())]);
    const list = await syntaxListOnWindow(act, control, whole, 100, noYield, '');
    assert.ok(list);
    assert.strictEqual(list.entries[0].title, 'call_expression · layer 0 c[0]');
    assert.match(list.entries[0].detail, /^this file: AUROC 1\.000 · random model AUROC 0\.\d{3} · 5 nodes, higher inside$/);

    const none = await syntaxListOnWindow(act, control, null, 100, noYield, 'Concepts labelled by the java lexer: no tree-sitter grammar is shipped for java.');
    assert.deepStrictEqual(none, { entries: [], note: 'Concepts labelled by the java lexer: no tree-sitter grammar is shipped for java. No node types to rank.' });
  });
});
