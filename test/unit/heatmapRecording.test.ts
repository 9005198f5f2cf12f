import * as assert from 'assert';
import { Activations, cellValues, findMatches, recordActivations } from '../../src/core/cells';
import { chooseWindow, windowHolds } from '../../src/core/cells/heatmapWindow';
import { StateCheckpoints, commonPrefixLength, recordWindow } from '../../src/core/cells/recordWindow';
import { searchMatches } from '../../src/core/cells/searchMatches';
import { Engine } from '../../src/core/engine';
import { createFastestOps } from '../../src/core/kernels/wasmOps';
import { newManifest } from '../../src/core/model/manifest';
import { ModelSpec } from '../../src/core/modelSpec';
import { initParams, paramLayout } from '../../src/core/params';

const SPEC: ModelSpec = { vocabSize: 98, embedDim: 8, hidden: [12, 10] };

function tinyEngine(seed = 5): Engine {
  const layout = paramLayout(SPEC);
  return new Engine({ layout, params: initParams(layout, seed), manifest: newManifest(SPEC, 'tiny') }, createFastestOps());
}

const CODE = [
  'function greet(name: string): string {',
  '  // say hello\r',
  "  if (name.length > 3 && name !== 'x') {",
  '    return `Hello, ${name}!`;',
  '  }',
  "  return 'hi';",
  '}',
  '',
].join('\n');

/** Rows [from, to) of every track and the surprise of a full recording, for comparison with a window. */
function assertWindowMatches(win: Activations, full: Activations, from: number, what: string): void {
  assert.strictEqual(win.tracks.length, full.tracks.length);
  for (let k = 0; k < win.tracks.length; k++) {
    const a = win.tracks[k];
    const b = full.tracks[k];
    assert.deepStrictEqual([a.layer, a.kind], [b.layer, b.kind]);
    assert.deepStrictEqual(Array.from(a.values), Array.from(b.values.subarray(from * b.units, (from + win.chars) * b.units)), `${what}: layer ${a.layer} ${a.kind}`);
  }
  assert.deepStrictEqual(Array.from(win.surprise), Array.from(full.surprise.subarray(from, from + win.chars)), `${what}: surprise`);
}

describe('heatmap recording', () => {
  const engine = tinyEngine();
  const text = CODE.repeat(6);
  const full = recordActivations(engine, text, { maxChars: 1e9 });

  it('records a window exactly like a whole-file recording, sliced', async () => {
    const act = await recordWindow(engine, text, { start: 150, end: 420 });
    assert.ok(act);
    assert.strictEqual(act.offset, 150);
    assert.strictEqual(act.chars, 270);
    assert.strictEqual(act.stepsBeforeWindow, 150);
    assertWindowMatches(act, full, 150, 'window 150–420');
    // Gate saturation is counted over the window's characters only ('\r' is not fed).
    const crs = text.slice(150, 420).split('\r').length - 1;
    assert.strictEqual(act.gateCounts[0].steps, 270 - crs);
  });

  it('yields between slices and stops when cancelled', async () => {
    let yields = 0;
    const act = await recordWindow(engine, text, { start: 0, end: text.length, sliceChars: 50, yieldNow: async () => void yields++ });
    assert.ok(act);
    assert.ok(yields >= Math.floor(text.length / 50) - 2, `${yields} yields for ${text.length} chars in slices of 50`);
    let calls = 0;
    const cancelled = await recordWindow(engine, text, { start: 0, end: text.length, sliceChars: 50, yieldNow: async () => void calls++, isCancelled: () => calls >= 3 });
    assert.strictEqual(cancelled, undefined);
    assert.strictEqual(calls, 3);
  });

  it('starts from a checkpoint when one lies before the window, with the same values', async () => {
    const checkpoints = new StateCheckpoints(64);
    await recordWindow(engine, text, { start: 0, end: 300, checkpoints });
    assert.ok(checkpoints.size >= 4, `${checkpoints.size} checkpoints`);
    const act = await recordWindow(engine, text, { start: 260, end: 500, checkpoints });
    assert.ok(act);
    assert.ok(act.stepsBeforeWindow < 64, `read ${act.stepsBeforeWindow} chars before the window`);
    assertWindowMatches(act, full, 260, 'window from a checkpoint');
  });

  it('after an edit keeps only the checkpoints before it, and the result equals a fresh recording of the new text', async () => {
    const checkpoints = new StateCheckpoints(64);
    await recordWindow(engine, text, { start: 0, end: text.length, checkpoints });
    const edited = text.slice(0, 200) + 'let x = "edit";' + text.slice(200);
    const act = await recordWindow(engine, edited, { start: 180, end: 400, checkpoints });
    assert.ok(act);
    assert.ok(act.stepsBeforeWindow <= 64 && act.stepsBeforeWindow > 0, `resumed ${act.stepsBeforeWindow} chars before the window (from the checkpoint at 128)`);
    const fresh = recordActivations(engine, edited, { maxChars: 1e9 });
    assertWindowMatches(act, fresh, 180, 'edited text');
    assert.strictEqual(commonPrefixLength(text, edited), 200);
  });

  it('chooses a line-aligned window around the focus, whole text when it fits', () => {
    const lines = Array.from({ length: 400 }, (_, i) => `line ${i} ${'x'.repeat(i % 30)}`).join('\n');
    assert.deepStrictEqual(chooseWindow('short\ntext', 3, 100), { start: 0, end: 10, startLine: 0 });
    for (const focus of [0, 1000, 5000, lines.length - 5, lines.length]) {
      const w = chooseWindow(lines, focus, 2000);
      assert.ok(w.end - w.start <= 2000 && w.end - w.start > 1000, `window ${w.start}–${w.end}`);
      assert.ok(windowHolds(w, focus, lines.length), `focus ${focus} in ${w.start}–${w.end}`);
      assert.ok(w.start === 0 || lines[w.start - 1] === '\n', 'starts at a line start');
      assert.ok(w.end === lines.length || lines[w.end - 1] === '\n', 'ends after a newline');
      assert.strictEqual(w.startLine, lines.slice(0, w.start).split('\n').length - 1);
    }
    // One line longer than the window: cut inside it.
    const long = 'a'.repeat(5000);
    const w = chooseWindow(long, 4000, 1000);
    assert.ok(windowHolds(w, 4000, long.length) && w.end - w.start === 1000);
  });

  it('searches several files for the cells of a hypothesis, ranked by overlap, like findMatches on each', async () => {
    const cells = [
      { layer: 1, cell: 2, kind: 'h' as const },
      { layer: 0, cell: 5, kind: 'c' as const },
    ];
    const sources = [
      { name: 'a.ts', text: CODE },
      { name: 'b.ts', text: CODE.replace(/name/g, 'person').repeat(2) },
    ];
    const threshold = 0;
    const result = await searchMatches(engine, sources, cells, threshold, { limit: 1000, minLength: 1 });
    assert.ok(result);
    assert.strictEqual(result.filesSearched, 2);
    assert.strictEqual(result.charsSearched, sources[0].text.length + sources[1].text.length);
    const expected = sources.flatMap((s) => findMatches(recordActivations(engine, s.text, { maxChars: 1e9 }), cells, threshold, { limit: 1000 }).map((m) => ({ ...m, name: s.name })));
    assert.strictEqual(result.matches.length, expected.length);
    for (let k = 1; k < result.matches.length; k++) assert.ok(result.matches[k - 1].overlap >= result.matches[k].overlap, 'ranked by overlap');
    for (const m of result.matches) {
      const src = sources.find((s) => s.name === m.name)!;
      assert.strictEqual(m.preview, src.text.slice(m.start, Math.min(m.end, m.start + 200)));
      // Every character of a match has both cells above the threshold.
      const rec = recordActivations(engine, src.text, { maxChars: 1e9 });
      for (const ref of cells) for (const v of cellValues(rec, ref, m.start, m.end)) assert.ok(v > threshold);
    }
  });
});
