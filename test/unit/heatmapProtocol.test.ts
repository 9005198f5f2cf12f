import * as assert from 'assert';
import { MAX_TRACKS, defaultViewState, parseTracks, parseViewState, parseWebviewMessage } from '../../src/host/heatmap/protocol';
import { contentSecurityPolicy, webviewHtml } from '../../src/host/heatmap/webviewHtml';

const SHAPE = { hidden: [16, 8] };

describe('heatmap protocol', () => {
  it('accepts well-formed messages and copies only their known fields', () => {
    assert.deepStrictEqual(parseWebviewMessage({ type: 'reveal', offset: 12, extra: '<script>' }, SHAPE), { type: 'reveal', offset: 12 });
    assert.deepStrictEqual(parseWebviewMessage({ type: 'addTracks', primary: true, tracks: [{ type: 'cell', layer: 1, cell: 7, kind: 'c', label: 'x' }, { type: 'surprise' }] }, SHAPE), {
      type: 'addTracks',
      tracks: [{ type: 'cell', layer: 1, cell: 7, kind: 'c' }, { type: 'surprise' }],
      primary: true,
    });
    assert.deepStrictEqual(parseWebviewMessage({ type: 'removeTrack', track: { type: 'cell', layer: 0, cell: 15, kind: 'h' } }, SHAPE), { type: 'removeTrack', track: { type: 'cell', layer: 0, cell: 15, kind: 'h' } });
    assert.deepStrictEqual(parseWebviewMessage({ type: 'searchOptions', threshold: -1, offAround: 0, scope: 'file' }, SHAPE), { type: 'searchOptions', threshold: -1, offAround: 0, scope: 'file' });
    assert.deepStrictEqual(parseWebviewMessage({ type: 'hypothesis', threshold: 0.5, offAround: 3, scope: 'workspace' }, SHAPE), { type: 'hypothesis', threshold: 0.5, offAround: 3, scope: 'workspace' });
    assert.deepStrictEqual(parseWebviewMessage({ type: 'openMatch', index: 4 }, SHAPE), { type: 'openMatch', index: 4 });
    assert.deepStrictEqual(parseWebviewMessage({ type: 'export' }, SHAPE), { type: 'export' });
    // The webview no longer sends a state: the host owns it.
    assert.deepStrictEqual(parseWebviewMessage({ type: 'ready', state: { tracks: [] } }, SHAPE), { type: 'ready' });
  });

  it('rejects malformed, out-of-range and unknown messages', () => {
    const bad: unknown[] = [
      null,
      'reveal',
      [],
      { type: 'run', command: 'rm -rf /' },
      { type: 'reveal', offset: -1 },
      { type: 'reveal', offset: 1.5 },
      { type: 'reveal', offset: '3' },
      { type: 'openMatch', index: Infinity },
      { type: 'hypothesis', threshold: NaN, offAround: 0, scope: 'file' },
      { type: 'hypothesis', threshold: 0.2, offAround: 99, scope: 'file' },
      { type: 'hypothesis', threshold: 0.2, offAround: 1, scope: '../etc' },
      { type: 'addTracks', tracks: 'all', primary: true },
      { type: 'addTracks', tracks: [], primary: 'yes' },
      { type: 'removeTrack', track: { type: 'cell', layer: 2, cell: 0, kind: 'h' } },
      { type: 'searchOptions', threshold: 0.2, offAround: 1, scope: 'disk' },
      { type: 'setTracks', tracks: [] },
      { type: '__proto__' },
    ];
    for (const raw of bad) assert.strictEqual(parseWebviewMessage(raw, SHAPE), undefined, JSON.stringify(raw));
  });

  it('keeps only tracks the model has, without duplicates, at most MAX_TRACKS', () => {
    const tracks = parseTracks(
      [
        { type: 'cell', layer: 0, cell: 15, kind: 'h' },
        { type: 'cell', layer: 1, cell: 8, kind: 'h' }, // layer 1 has 8 cells: 0..7
        { type: 'cell', layer: 2, cell: 0, kind: 'h' }, // no layer 2
        { type: 'cell', layer: 0, cell: 1, kind: 'x' },
        { type: 'cell', layer: 0, cell: 15, kind: 'h' }, // duplicate
        { type: 'surprise' },
        { type: 'surprise' },
      ],
      SHAPE,
    );
    assert.deepStrictEqual(tracks, [{ type: 'cell', layer: 0, cell: 15, kind: 'h' }, { type: 'surprise' }]);
    const many = Array.from({ length: 20 }, (_, cell) => ({ type: 'cell', layer: 0, cell: cell % 16, kind: 'c' }));
    assert.strictEqual(parseTracks(many, SHAPE)!.length, MAX_TRACKS);
  });

  it('drops c tracks for a model without a memory cell (a GRU or a plain RNN)', () => {
    const raw = [
      { type: 'cell', layer: 0, cell: 3, kind: 'c' },
      { type: 'cell', layer: 0, cell: 3, kind: 'h' },
    ];
    assert.deepStrictEqual(parseTracks(raw, { hidden: [16, 8], hasMemoryCell: false }), [{ type: 'cell', layer: 0, cell: 3, kind: 'h' }]);
    assert.strictEqual(parseTracks(raw, SHAPE)!.length, 2, 'an LSTM keeps both');
  });

  it('repairs a saved view state field by field (the serializer gets whatever the webview stored)', () => {
    assert.deepStrictEqual(parseViewState(undefined, SHAPE), defaultViewState());
    assert.deepStrictEqual(parseViewState({ tracks: [{ type: 'surprise' }], threshold: 'high', offAround: 2, scope: 'workspace' }, SHAPE), {
      tracks: [{ type: 'surprise' }],
      threshold: defaultViewState().threshold,
      offAround: 2,
      scope: 'workspace',
    });
    // A state saved with a bigger model loses the cells the new one lacks.
    assert.deepStrictEqual(parseViewState({ tracks: [{ type: 'cell', layer: 1, cell: 200, kind: 'h' }] }, SHAPE).tracks, []);
  });

  it('serves a shell with a nonce-only script policy, no unsafe sources, and no content', () => {
    const nonce = 'abc123XYZ';
    const html = webviewHtml({ cspSource: 'https://webview.example', scriptUri: 'https://webview.example/media/heatmap.js', styleUri: 'https://webview.example/media/heatmap.css' }, nonce);
    const csp = contentSecurityPolicy('https://webview.example', nonce);
    assert.ok(html.includes(`content="${csp}"`));
    assert.match(csp, /default-src 'none'/);
    assert.match(csp, /script-src 'nonce-abc123XYZ'(;|$)/);
    assert.doesNotMatch(csp, /unsafe-inline|unsafe-eval|\*/);
    // Exactly one script, carrying the nonce and loaded from media/.
    const scripts = html.match(/<script\b[^>]*>/g) ?? [];
    assert.deepStrictEqual(scripts, ['<script nonce="abc123XYZ" src="https://webview.example/media/heatmap.js">']);
    assert.doesNotMatch(html, /\sstyle=|\son\w+=/);
    // One style element, the color steps, allowed by the same nonce.
    assert.match(csp, /style-src https:\/\/webview\.example 'nonce-abc123XYZ'(;|$)/);
    assert.deepStrictEqual(html.match(/<style\b[^>]*>/g), ['<style nonce="abc123XYZ">']);
    assert.match(html, /<style nonce="abc123XYZ">\.p1\{background:rgba\(/);
  });

  it('makes a fresh nonce for every shell', () => {
    const uris = { cspSource: 'x', scriptUri: 'y', styleUri: 'z' };
    const a = webviewHtml(uris).match(/nonce="([^"]+)"/)![1];
    const b = webviewHtml(uris).match(/nonce="([^"]+)"/)![1];
    assert.notStrictEqual(a, b);
    assert.ok(a.length >= 16);
  });
});
