import * as assert from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import { MAX_TRACKS, TrackSpec, defaultViewState, parseWebviewMessage } from '../../src/host/heatmap/protocol';
import { applyIntent } from '../../src/host/heatmap/viewChanges';

const cell = (layer: number, c: number, kind: 'h' | 'c' = 'h'): TrackSpec => ({ type: 'cell', layer, cell: c, kind });
const SHAPE = { hidden: [16, 16] };

describe('heatmap view changes (the host owns the view)', () => {
  const start = { ...defaultViewState(), tracks: [cell(0, 1), cell(1, 2)] };

  it('adds tracks at the end, or at the front as primary; a track already shown is never doubled', () => {
    assert.deepStrictEqual(applyIntent(start, { type: 'addTracks', tracks: [cell(0, 1), cell(0, 5)], primary: false }).tracks, [cell(0, 1), cell(1, 2), cell(0, 5)]);
    assert.deepStrictEqual(applyIntent(start, { type: 'addTracks', tracks: [cell(0, 3)], primary: false }).tracks, [cell(0, 1), cell(1, 2), cell(0, 3)]);
    assert.deepStrictEqual(applyIntent(start, { type: 'addTracks', tracks: [cell(1, 2)], primary: true }).tracks, [cell(1, 2), cell(0, 1)]);
    assert.deepStrictEqual(applyIntent(start, { type: 'addTracks', tracks: [{ type: 'surprise' }, cell(0, 1)], primary: true }).tracks, [{ type: 'surprise' }, cell(0, 1), cell(1, 2)]);
  });

  it('keeps at most MAX_TRACKS, dropping the ones added last (a new primary always shows)', () => {
    const many = Array.from({ length: MAX_TRACKS + 3 }, (_, i) => cell(0, i));
    const appended = applyIntent(start, { type: 'addTracks', tracks: many, primary: false }).tracks;
    assert.strictEqual(appended.length, MAX_TRACKS);
    assert.deepStrictEqual(appended.slice(0, 2), [cell(0, 1), cell(1, 2)]);
    const full = { ...start, tracks: many.slice(0, MAX_TRACKS) };
    const primary = applyIntent(full, { type: 'addTracks', tracks: [cell(1, 9)], primary: true }).tracks;
    assert.deepStrictEqual(primary[0], cell(1, 9));
    assert.strictEqual(primary.length, MAX_TRACKS);
  });

  it('removes a track, sets the search inputs, and leaves the state alone for other messages', () => {
    assert.deepStrictEqual(applyIntent(start, { type: 'removeTrack', track: cell(0, 1) }).tracks, [cell(1, 2)]);
    const searched = applyIntent(start, { type: 'searchOptions', threshold: 0.7, offAround: 4, scope: 'workspace' });
    assert.deepStrictEqual([searched.threshold, searched.offAround, searched.scope, searched.tracks], [0.7, 4, 'workspace', start.tracks]);
    for (const msg of [{ type: 'ready' }, { type: 'reveal', offset: 3 }, { type: 'export' }] as const) assert.strictEqual(applyIntent(start, msg), start);
  });

  it('a message from the webview goes through the parser before it can change the view', () => {
    const msg = parseWebviewMessage({ type: 'addTracks', tracks: [cell(5, 0), cell(0, 99), cell(0, 4)], primary: false }, SHAPE);
    assert.ok(msg);
    assert.deepStrictEqual(applyIntent(start, msg).tracks, [cell(0, 1), cell(1, 2), cell(0, 4)], 'cells the model lacks are dropped');
  });

  it('the webview script draws only through textContent and never evaluates code', () => {
    const withComments = fs.readFileSync(path.join(__dirname, '..', '..', '..', 'src', 'webview', 'heatmap.ts'), 'utf8');
    const src = withComments.replace(/\/\*[\s\S]*?\*\//g, '').replace(/\/\/.*$/gm, '');
    assert.ok(!/innerHTML|outerHTML|insertAdjacentHTML|document\.write|\beval\(|new Function|setState\(\s*\{/.test(src));
    assert.ok(!/getState\(/.test(src), 'the webview never reads back a state of its own: the host sends the view');
  });
});
