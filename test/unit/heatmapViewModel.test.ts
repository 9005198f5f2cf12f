import * as assert from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import { Activations, CellKind, cellValues, recordActivations } from '../../src/core/cells';
import { WindowActivations } from '../../src/core/cells/recordWindow';
import { labelConcepts } from '../../src/core/concepts';
import { Engine } from '../../src/core/engine';
import { createFastestOps } from '../../src/core/kernels/wasmOps';
import { newManifest } from '../../src/core/model/manifest';
import { ModelSpec } from '../../src/core/modelSpec';
import { initParams, paramLayout } from '../../src/core/params';
import { exportHeatmapHtml } from '../../src/host/heatmap/exportHtml';
import { hypothesisInWindow } from '../../src/host/heatmap/hypothesis';
import { SURPRISE_LIMIT_BITS, levelClass, levelStyleRules, levelsOf, robustLimit } from '../../src/core/cells/colorScale';
import { CONCEPT_CANDIDATES, conceptCells, labelFileConcepts } from '../../src/host/heatmap/conceptCells';
import { SyntaxParsers } from '../../src/core/syntax';
import { buildTrack, gateChart, selectionCells } from '../../src/host/heatmap/viewModel';
import { webviewHtml } from '../../src/host/heatmap/webviewHtml';

const SHAPES = [
  { layer: 0, kind: 'h' as CellKind, units: 6 },
  { layer: 0, kind: 'c' as CellKind, units: 6 },
  { layer: 1, kind: 'h' as CellKind, units: 6 },
  { layer: 1, kind: 'c' as CellKind, units: 6 },
];

/** A made-up recording of a text: value(t, layer, kind, unit) per character, at document offset `offset`. */
function synthetic(T: number, value: (t: number, layer: number, kind: CellKind, unit: number) => number, offset = 0): WindowActivations {
  const tracks = SHAPES.map((s) => {
    const values = new Float32Array(T * s.units);
    for (let t = 0; t < T; t++) for (let j = 0; j < s.units; j++) values[t * s.units + j] = value(t, s.layer, s.kind, j);
    return { ...s, values };
  });
  const surprise = new Float32Array(T).map((_, t) => (t % 7) * 1.5);
  return { chars: T, tracks, surprise, gateCounts: [], segments: [{ start: 0, end: T, textLength: T }], offset, stepsBeforeWindow: offset };
}

/** Deterministic small noise. */
const jitter = (t: number, j: number) => Math.sin(t * 12.9898 + j * 78.233) * 0.05;

const HOSTILE = fs.readFileSync(path.join(__dirname, '..', '..', '..', 'test', 'e2e', 'fixtures', 'workspace', 'src', 'hostile.ts'), 'utf8');

describe('heatmap view model', () => {
  const text = "const a = 'quoted text';\n// a comment line\nif (a && b) { call('x'); }\n".repeat(4);
  const labels = labelConcepts(text, 'typescript');

  it('builds tracks with the exact values, a robust limit for h and c, surprise in bits, and the color steps', () => {
    const act = synthetic(text.length, (t, l, k, j) => (k === 'c' ? 3 : 1) * Math.sin(t / 5 + j + l));
    const h = buildTrack(act, { type: 'cell', layer: 1, cell: 2, kind: 'h' });
    assert.deepStrictEqual(h.values, Array.from(cellValues(act, { layer: 1, cell: 2, kind: 'h' })));
    assert.strictEqual(h.limit, robustLimit(cellValues(act, { layer: 1, cell: 2, kind: 'h' })));
    assert.deepStrictEqual(h.levels, levelsOf(h.values, h.limit));
    assert.strictEqual(h.label, 'layer 1 h[2]');
    const c = buildTrack(act, { type: 'cell', layer: 0, cell: 4, kind: 'c' }, { inString: { layer: 0, cell: 4, kind: 'c', r: 0.9 } });
    assert.strictEqual(c.limit, robustLimit(cellValues(act, { layer: 0, cell: 4, kind: 'c' })));
    assert.strictEqual(c.label, 'inString · layer 0 c[4]');
    const s = buildTrack(act, { type: 'surprise' });
    assert.deepStrictEqual(s.values, Array.from(act.surprise));
    assert.strictEqual(s.limit, SURPRISE_LIMIT_BITS);
    assert.deepStrictEqual(s.levels, levelsOf(act.surprise, SURPRISE_LIMIT_BITS));
  });

  it('a c cell with one huge outlier still shows its on/off swing at full contrast', () => {
    // On (+2) for a third of the text, off (−2) elsewhere, and one spike of 500.
    const act = synthetic(text.length, (t, l, k, j) => (k === 'c' && j === 1 ? (t === 10 ? 500 : t % 30 < 10 ? 2 : -2) : 0));
    const track = buildTrack(act, { type: 'cell', layer: 0, cell: 1, kind: 'c' });
    const full = track.levels.filter((q) => Math.abs(q) === 8).length;
    assert.ok(full >= track.levels.length - 1, `${full} of ${track.levels.length} characters at full color`);
    // Scaled by its largest |value| the swing would have been invisible: 2/500 rounds to step 0.
    assert.strictEqual(levelsOf([2, -2], 500).join(), '0,0');
  });

  it('the exported page and the panel draw with the same limits, steps and colors', () => {
    const act = synthetic(text.length, (t, l, k, j) => (k === 'c' ? 3 : 1) * Math.sin(t / 5 + j + l) + (t === 3 ? 40 : 0));
    const tracks = [buildTrack(act, { type: 'cell', layer: 0, cell: 2, kind: 'c' }), buildTrack(act, { type: 'surprise' })];
    const html = exportHeatmapHtml({ fileName: 'a.ts', text, tracks, modelName: 'tiny' });
    const pres = [...html.matchAll(/<pre class="code">([\s\S]*?)<\/pre>/g)].map((m) => [...m[1].matchAll(/<span class="(\w+)/g)].map((x) => x[1]));
    assert.deepStrictEqual(pres, tracks.map((t) => t.levels.map(levelClass)), 'each character has the step the panel draws');
    const panel = webviewHtml({ cspSource: 'x', scriptUri: 'y', styleUri: 'z' });
    // The light theme's step colors: the same rules in both pages.
    const lightRules = levelStyleRules('prefers-color-scheme').filter((r) => r.startsWith('.p'));
    for (const rule of lightRules) {
      assert.ok(html.includes(rule), `export has ${rule}`);
      assert.ok(panel.includes(rule), `panel has ${rule}`);
    }
  });

  it('finds the planted concept cells on the window and lists the model card cells first', () => {
    // Layer 1 c[3] follows inString, layer 0 h[1] follows inComment; everything else is noise.
    const act = synthetic(text.length, (t, l, k, j) => {
      if (l === 1 && k === 'c' && j === 3) return 2 * labels.inString[t] + jitter(t, j);
      if (l === 0 && k === 'h' && j === 1) return labels.inComment[t] - 0.5 + jitter(t, j);
      return jitter(t, j + 10 * l);
    });
    const entries = conceptCells(act, labels, 0, {
      inIfCondition: { layer: 1, cell: 0, kind: 'h', r: 0.77, auroc: 0.91, randomR: 0.2, randomAuroc: 0.68 },
      indentDepth: { layer: 0, cell: 2, kind: 'c', r: 0.5, rho: -0.93, randomR: 0.1, randomRho: 0.41 },
    });
    assert.strictEqual(entries[0].title, 'inIfCondition · layer 1 h[0]');
    assert.match(entries[0].detail, /model card: AUROC 0\.910 · r = 0\.770 · random model AUROC 0\.680/);
    assert.match(entries[1].detail, /model card: ρ = -0\.930 · r = 0\.500 · random model ρ = 0\.410/);
    const str = entries.find((e) => e.title.startsWith('inString ·') && e.detail.startsWith('this file'));
    const com = entries.find((e) => e.title.startsWith('inComment ·') && e.detail.startsWith('this file'));
    assert.deepStrictEqual(str?.ref, { layer: 1, cell: 3, kind: 'c' });
    assert.deepStrictEqual(com?.ref, { layer: 0, cell: 1, kind: 'h' });
    assert.match(str!.detail, /this file: AUROC 1\.000 · r = 0\.99\d · random model: measuring…/);
    assert.strictEqual(str!.group, 'inString');
  });

  it('says where a concept\'s best cell reads worst: a quote cell that also fires on comment text', () => {
    // Layer 0 c[2] is on in strings, and on every other character of comments; everything else is noise.
    const act = synthetic(text.length, (t, l, k, j) => {
      if (l === 0 && k === 'c' && j === 2) return 2 * labels.inString[t] + 2 * labels.inComment[t] * (t % 2) + jitter(t, j);
      return jitter(t, j + 10 * l);
    });
    const entries = conceptCells(act, labels, 0, undefined);
    const str = entries.filter((e) => e.group === 'inString');
    assert.deepStrictEqual(str[0].ref, { layer: 0, cell: 2, kind: 'c' });
    assert.match(str[0].detail, / · weakest on comment text \(AUROC 0\.\d\d\)$/);
    // Only the best (first) cell of a yes/no concept says it; counts never do.
    for (const e of entries) {
      const first = entries.find((x) => x.group === e.group) === e;
      const yesNo = ['inString', 'inComment', 'inIfCondition'].includes(e.group ?? '');
      assert.strictEqual(e.detail.includes(' · weakest on '), first && yesNo, `${e.title}: ${e.detail}`);
    }
  });

  it('lists per concept the cells that beat the random-init control, with the control beside each', () => {
    // Three string cells of decreasing quality; the control's best string cell is middling.
    const act = synthetic(text.length, (t, l, k, j) => {
      const s = labels.inString[t];
      if (l === 0 && k === 'c' && j === 0) return 2 * s + jitter(t, 1);
      if (l === 0 && k === 'c' && j === 1) return s + 4 * jitter(t, 2) * 10;
      return jitter(t, j + 10 * l + (k === 'c' ? 5 : 0));
    });
    const control = synthetic(text.length, (t, l, k, j) => (l === 1 && k === 'h' && j === 0 ? labels.inString[t] + 12 * jitter(t, 3) : jitter(t, j + 30 * l)));
    const entries = conceptCells(act, labels, 0, undefined, control);
    const strings = entries.filter((e) => e.group === 'inString');
    assert.ok(strings.length >= 1 && strings.length <= CONCEPT_CANDIDATES);
    assert.deepStrictEqual(strings[0].ref, { layer: 0, cell: 0, kind: 'c' });
    const auroc = (e: { detail: string }) => Number(/this file: AUROC (\d\.\d+)/.exec(e.detail)![1]);
    const controlAuroc = Number(/random model AUROC (\d\.\d+)/.exec(strings[0].detail)![1]);
    assert.ok(controlAuroc > 0.5 && controlAuroc < 1, `control ${controlAuroc}`);
    for (const e of strings) {
      assert.match(e.detail, /random model AUROC \d\.\d{3}/, 'the control beside every listed cell');
      assert.ok(auroc(e) > controlAuroc, `${e.title}: ${auroc(e)} beats the control`);
    }
    // A concept no real cell beats the control on still lists its best cell, flagged.
    const weakAct = synthetic(text.length, (t, l, k, j) => jitter(t, j + 10 * l));
    const weak = conceptCells(weakAct, labels, 0, undefined, control).filter((e) => e.group === 'inString');
    assert.strictEqual(weak.length, 1);
    assert.match(weak[0].detail, /not above the random model/);
  });

  it('measures concepts on a window with labels from the whole file (the scanner state at the window start)', () => {
    // The window starts inside a block comment opened before it: its characters are comment.
    const full = '/* start\n' + 'inside the comment\n'.repeat(6) + '*/ code();\n'.repeat(6);
    const start = 20;
    const fullLabels = labelConcepts(full, 'typescript');
    const act = synthetic(full.length - start, (t, l, k, j) => (l === 0 && k === 'c' && j === 5 ? fullLabels.inComment[t + start] : jitter(t, j + 7 * l)), start);
    const com = conceptCells(act, fullLabels, start, undefined).find((e) => e.title.startsWith('inComment ·'));
    assert.deepStrictEqual(com?.ref, { layer: 0, cell: 5, kind: 'c' });
  });

  describe('the concept labels of the panel\'s list', () => {
    const parsers = new SyntaxParsers();
    after(() => parsers.dispose());

    it('come from the file\'s tree-sitter grammar where one is shipped, and say so', async () => {
      const shell = 'if [ -f "$conf" ]; then\n  curl http://example.com/a\nfi\n'.repeat(8);
      const file = await labelFileConcepts(shell, 'shellscript', 'generic', parsers);
      assert.strictEqual(file.labelledBy, 'Concepts labelled by the tree-sitter bash grammar.');
      // The generic lexer reads the `//` of a URL as a comment and finds no if-condition in shell; the tree does neither.
      const lexical = labelConcepts(shell, 'generic');
      const url = shell.indexOf('//');
      assert.strictEqual(lexical.inComment[url], 1);
      assert.strictEqual(file.labels.inComment[url], 0);
      assert.strictEqual(lexical.inIfCondition.indexOf(1), -1);
      assert.strictEqual(file.labels.inIfCondition[shell.indexOf('-f')], 1);
      // A cell that follows the tree's if-conditions is the list's if-condition cell, with a perfect score.
      const act = synthetic(shell.length, (t, l, k, j) => (l === 0 && k === 'c' && j === 2 ? file.labels.inIfCondition[t] + jitter(t, j) : jitter(t, j + 10 * l)));
      const cond = conceptCells(act, file.labels, 0, undefined).find((e) => e.group === 'inIfCondition');
      assert.deepStrictEqual(cond?.ref, { layer: 0, cell: 2, kind: 'c' });
      assert.match(cond!.detail, /this file: AUROC 1\.000/);
    });

    it('fall back to the lexers where no grammar is shipped, and say why', async () => {
      const java = 'class A {\n  String s = "x"; // note\n}\n';
      const file = await labelFileConcepts(java, 'java', 'java', parsers);
      assert.strictEqual(file.labelledBy, 'Concepts labelled by the java lexer: no tree-sitter grammar is shipped for java.');
      const lexical = labelConcepts(java, 'java');
      assert.deepStrictEqual(Array.from(file.labels.inString), Array.from(lexical.inString));
      assert.deepStrictEqual(Array.from(file.labels.inComment), Array.from(lexical.inComment));
    });
  });

  it('ranks the cells that fire inside a selection first', () => {
    const act = synthetic(200, (t, l, k, j) => (l === 1 && k === 'h' && j === 4 && t >= 50 && t < 70 ? 0.9 : jitter(t, j + l)));
    const top = selectionCells(act, 50, 70);
    assert.deepStrictEqual(top[0].ref, { layer: 1, cell: 4, kind: 'h' });
  });

  it('hypothesis search: cells on throughout the span (and off around it), matches elsewhere in document offsets', () => {
    const offset = 1000;
    // Cells 0 and 2 of layer 0 h are on in three bursts; cell 1 is on everywhere (not off around the span).
    const bursts = [
      [10, 20],
      [60, 70],
      [120, 126],
    ];
    const on = (t: number) => bursts.some(([a, b]) => t >= a && t < b);
    const act = synthetic(
      160,
      (t, l, k, j) => {
        if (l !== 0 || k !== 'h') return jitter(t, j) - 0.2;
        if (j === 0) return on(t) ? 0.8 : -0.5;
        if (j === 2) return on(t) || (t >= 100 && t < 104) ? 0.6 : -0.1;
        if (j === 1) return 0.9;
        return -0.3;
      },
      offset,
    );
    const r = hypothesisInWindow(act, offset + 60, offset + 70, 0.3, 2);
    assert.deepStrictEqual(r.cells.map((c) => c.ref.cell).sort(), [0, 2]);
    assert.ok(r.cells.every((c) => c.ref.layer === 0 && c.ref.kind === 'h'));
    // [100, 104) has only one of the two cells on: no match; the selection itself is left out.
    assert.deepStrictEqual(
      r.matches.map((m) => [m.start - offset, m.end - offset, m.overlap]),
      [
        [10, 20, 1],
        [120, 126, 1],
      ],
    );
    // Without "off around", cell 1 (on everywhere) joins the hypothesis.
    const loose = hypothesisInWindow(act, offset + 60, offset + 70, 0.3, 0);
    assert.ok(loose.cells.some((c) => c.ref.cell === 1));
  });

  it('exports the hostile fixture as text: no markup from the file survives, every character is there', () => {
    const engine = tinyEngine();
    const act = recordActivations(engine, HOSTILE, { maxChars: 1e9 });
    const tracks = [buildTrack(act, { type: 'cell', layer: 0, cell: 1, kind: 'h' }), buildTrack(act, { type: 'surprise' })];
    const html = exportHeatmapHtml({ fileName: 'src/<img src=x onerror=alert(1)>.ts', text: HOSTILE, tracks, modelName: '</title><script>x()</script>' });
    for (const bad of ['<script', '</script', '<img', '<b id', '<iframe', '<svg', '<a href', '</title><']) assert.ok(!html.includes(bad), `export contains ${bad}`);
    assert.strictEqual((html.match(/<style nonce=/g) ?? []).length, 1);
    assert.strictEqual((html.match(/<\/style>/g) ?? []).length, 1, 'only the page style sheet closes a style element');
    assert.doesNotMatch(html, /<[a-zA-Z][^>]*\son\w+\s*=/, "no tag has an event handler attribute");
    // The code is all there, as text: strip the tags, decode the entities, compare with the file (once per track).
    const pre = [...html.matchAll(/<pre class="code">([\s\S]*?)<\/pre>/g)].map((m) => decode(m[1].replace(/<[^>]+>/g, '')));
    assert.strictEqual(pre.length, 2);
    for (const shown of pre) assert.strictEqual(shown, HOSTILE);
  });

  it('reports gate saturation per layer and gate', () => {
    const engine = tinyEngine();
    const act: Activations = recordActivations(engine, text, { maxChars: 1e9 });
    const chart = gateChart(act);
    assert.deepStrictEqual(chart.map((l) => l.layer), [0, 1]);
    for (const l of chart) {
      assert.deepStrictEqual(l.gates.map((g) => g.name), ['i', 'f', 'o']);
      for (const g of l.gates) for (let j = 0; j < g.left.length; j++) assert.ok(g.left[j] >= 0 && g.right[j] >= 0 && g.left[j] + g.right[j] <= 1);
    }
  });
});

function tinyEngine(): Engine {
  const spec: ModelSpec = { vocabSize: 98, embedDim: 8, hidden: [10, 6] };
  const layout = paramLayout(spec);
  return new Engine({ layout, params: initParams(layout, 9), manifest: newManifest(spec, 'tiny') }, createFastestOps());
}

function decode(s: string): string {
  return s.replace(/&(amp|lt|gt|quot|#39|#(\d+));/g, (_, name: string, num?: string) => (num ? String.fromCharCode(Number(num)) : ({ amp: '&', lt: '<', gt: '>', quot: '"', '#39': "'" } as Record<string, string>)[name]));
}
