/**
 * The training view's page: a live loss curve (training and validation
 * bits/char against characters seen) drawn as SVG, plus a status line and a
 * Cancel button. Everything dynamic arrives by postMessage and is set with
 * textContent or SVG attributes, never as HTML; the page allows only its own
 * nonce'd script and style sheet (strict Content-Security-Policy, no
 * 'unsafe-inline').
 */

import { escapeHtml } from '../cells/escapeHtml';
import { ConceptCellRow } from './conceptCellsText';

/** Host → view. */
export type ToLossCurve =
  | { type: 'reset'; title: string }
  | { type: 'point'; chars: number; train: number; val?: number }
  | { type: 'status'; text: string; running: boolean }
  /** What the model writes at a validation; `label` says when. */
  | { type: 'sample'; label: string; text: string }
  /** The best cell per concept at a validation; `label` says when and on what. */
  | { type: 'concepts'; label: string; rows: ConceptCellRow[] };

/** View → host. */
export type FromLossCurve = { type: 'ready' } | { type: 'cancel' };

/** Validates a message from the view; anything else is null (and ignored). */
export function parseLossCurveMessage(msg: unknown): FromLossCurve | null {
  if (typeof msg !== 'object' || msg === null) return null;
  const type = (msg as { type?: unknown }).type;
  return type === 'ready' || type === 'cancel' ? { type } : null;
}

/**
 * The page. `cspSource` is the webview's own origin (webview.cspSource);
 * `nonce` must be fresh and random for every page.
 */
export function lossCurveHtml(opts: { nonce: string; cspSource: string; title: string }): string {
  if (!/^[A-Za-z0-9+/=]{16,}$/.test(opts.nonce)) throw new Error('the nonce must be at least 16 base64 characters');
  const csp = [`default-src 'none'`, `style-src ${escapeHtml(opts.cspSource)} 'nonce-${opts.nonce}'`, `script-src 'nonce-${opts.nonce}'`, `img-src ${escapeHtml(opts.cspSource)}`].join('; ');
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="UTF-8">
<meta http-equiv="Content-Security-Policy" content="${csp}">
<meta name="viewport" content="width=device-width, initial-scale=1.0">
<title>${escapeHtml(opts.title)}</title>
<style nonce="${opts.nonce}">
  body { font-family: var(--vscode-font-family); font-size: var(--vscode-font-size); color: var(--vscode-foreground); padding: 6px 10px; }
  #head { display: flex; gap: 10px; align-items: center; }
  #title { font-weight: 600; }
  #status { opacity: 0.85; flex: 1; }
  #sampleLabel { opacity: 0.85; margin-top: 6px; }
  #sample { font-family: var(--vscode-editor-font-family); white-space: pre-wrap; margin: 2px 0; }
  #conceptsLabel { opacity: 0.85; margin-top: 6px; }
  #concepts td { padding: 0 12px 0 0; }
  #concepts td.random { opacity: 0.7; }
  button { background: var(--vscode-button-secondaryBackground); color: var(--vscode-button-secondaryForeground); border: none; padding: 3px 10px; cursor: pointer; }
  button:disabled { opacity: 0.4; cursor: default; }
  svg { width: 100%; height: calc(100vh - 64px); min-height: 120px; display: block; margin-top: 6px; }
  .axis { stroke: var(--vscode-editorWidget-border, #888); stroke-width: 1; }
  .tick { fill: var(--vscode-descriptionForeground, #999); font-size: 10px; }
  .train { fill: none; stroke: var(--vscode-charts-blue, #3794ff); stroke-width: 1.5; }
  .val { fill: none; stroke: var(--vscode-charts-orange, #d18616); stroke-width: 2; }
  .valDot { fill: var(--vscode-charts-orange, #d18616); }
  #legend span { margin-right: 14px; }
  .swatchTrain { color: var(--vscode-charts-blue, #3794ff); }
  .swatchVal { color: var(--vscode-charts-orange, #d18616); }
</style>
</head>
<body>
<div id="head"><span id="title">${escapeHtml(opts.title)}</span><span id="status">No training yet. Run “LSTM Lens: Train on Workspace”.</span><button id="cancel" disabled>Cancel Training</button></div>
<div id="legend"><span class="swatchTrain">━ training bits/char</span><span class="swatchVal">● validation bits/char</span><span id="last"></span></div>
<svg id="chart" viewBox="0 0 600 220" preserveAspectRatio="none" role="img" aria-label="loss curve"></svg>
<div id="sampleLabel"></div><pre id="sample"></pre>
<div id="conceptsLabel"></div><table id="concepts"></table>
<script nonce="${opts.nonce}">${VIEW_SCRIPT}</script>
</body>
</html>`;
}

/** Runs in the webview. Checks every message; draws with DOM calls only. */
const VIEW_SCRIPT = `
(function () {
  'use strict';
  const vscode = acquireVsCodeApi();
  const NS = 'http://www.w3.org/2000/svg';
  const chart = document.getElementById('chart');
  const status = document.getElementById('status');
  const title = document.getElementById('title');
  const last = document.getElementById('last');
  const cancel = document.getElementById('cancel');
  const sample = document.getElementById('sample');
  const sampleLabel = document.getElementById('sampleLabel');
  const concepts = document.getElementById('concepts');
  const conceptsLabel = document.getElementById('conceptsLabel');
  const W = 600, H = 220, L = 40, R = 8, T = 8, B = 22;
  let train = [], val = [];
  const num = (v) => typeof v === 'number' && Number.isFinite(v);
  const text = (v) => (typeof v === 'string' ? v.slice(0, 500) : '');
  function el(name, attrs, content) {
    const e = document.createElementNS(NS, name);
    for (const k in attrs) e.setAttribute(k, String(attrs[k]));
    if (content !== undefined) e.textContent = content;
    chart.appendChild(e);
    return e;
  }
  function draw() {
    while (chart.firstChild) chart.removeChild(chart.firstChild);
    const all = train.concat(val);
    if (all.length === 0) return;
    const xMax = Math.max(1, ...all.map((p) => p[0]));
    let yMin = Math.min(...all.map((p) => p[1])), yMax = Math.max(...all.map((p) => p[1]));
    if (yMax - yMin < 0.1) { yMax += 0.05; yMin -= 0.05; }
    yMin = Math.max(0, yMin);
    const sx = (x) => L + ((W - L - R) * x) / xMax;
    const sy = (y) => T + ((H - T - B) * (yMax - y)) / (yMax - yMin);
    el('line', { x1: L, y1: T, x2: L, y2: H - B, class: 'axis' });
    el('line', { x1: L, y1: H - B, x2: W - R, y2: H - B, class: 'axis' });
    for (let i = 0; i <= 4; i++) {
      const y = yMin + ((yMax - yMin) * i) / 4;
      el('text', { x: 2, y: sy(y) + 3, class: 'tick' }, y.toFixed(2));
    }
    el('text', { x: W - R - 130, y: H - 6, class: 'tick' }, 'characters seen: ' + Math.round(xMax).toLocaleString('en-US'));
    const path = (pts) => pts.map((p, i) => (i ? 'L' : 'M') + sx(p[0]).toFixed(1) + ' ' + sy(p[1]).toFixed(1)).join(' ');
    if (train.length > 1) el('path', { d: path(train), class: 'train' });
    if (val.length > 1) el('path', { d: path(val), class: 'val' });
    for (const p of val) el('circle', { cx: sx(p[0]), cy: sy(p[1]), r: 3, class: 'valDot' });
  }
  window.addEventListener('message', (event) => {
    const m = event.data;
    if (typeof m !== 'object' || m === null) return;
    if (m.type === 'reset') {
      train = []; val = [];
      title.textContent = text(m.title);
      last.textContent = '';
      sample.textContent = '';
      sampleLabel.textContent = '';
      conceptsLabel.textContent = '';
      while (concepts.firstChild) concepts.removeChild(concepts.firstChild);
      draw();
    } else if (m.type === 'point' && num(m.chars) && num(m.train)) {
      train.push([m.chars, m.train]);
      if (train.length > 2000) train = train.filter((_, i) => i % 2 === 0);
      if (num(m.val) && (val.length === 0 || val[val.length - 1][1] !== m.val)) val.push([m.chars, m.val]);
      last.textContent = 'train ' + m.train.toFixed(3) + (num(m.val) ? ' · val ' + m.val.toFixed(3) : '');
      draw();
    } else if (m.type === 'sample') {
      sampleLabel.textContent = text(m.label);
      sample.textContent = text(m.text);
    } else if (m.type === 'concepts' && Array.isArray(m.rows)) {
      conceptsLabel.textContent = text(m.label);
      while (concepts.firstChild) concepts.removeChild(concepts.firstChild);
      for (const r of m.rows.slice(0, 20)) {
        if (typeof r !== 'object' || r === null) continue;
        const tr = document.createElement('tr');
        for (const k of ['concept', 'cell', 'score', 'random']) {
          const td = document.createElement('td');
          td.className = k;
          td.textContent = text(r[k]);
          tr.appendChild(td);
        }
        concepts.appendChild(tr);
      }
    } else if (m.type === 'status') {
      status.textContent = text(m.text);
      cancel.disabled = m.running !== true;
    }
  });
  cancel.addEventListener('click', () => vscode.postMessage({ type: 'cancel' }));
  vscode.postMessage({ type: 'ready' });
})();
`;
