/*
 * LSTM Lens activation heatmap: the webview side, bundled by webpack into
 * dist/webview/heatmap.js. It draws what the host sends (HostMessage) and
 * asks for changes with intents (WebviewMessage); the host owns the view
 * state. Workspace text arrives as data and only ever reaches the DOM through
 * textContent (never innerHTML), so code like `</script>` or
 * `<img onerror=...>` is shown, not run. Every message to the host is
 * re-validated there (src/host/heatmap/protocol.ts).
 */
import { LEVELS, SPARK_COLORS, levelClass } from '../core/cells/colorScale';
import type { CellEntry, FeatureEntry, GateChartLayer, HostMessage, MatchEntry, TrackPayload, TrackSpec, ViewState, WebviewMessage } from '../host/heatmap/protocol';

interface VsCodeApi {
  postMessage(message: WebviewMessage): void;
  setState(state: ViewState): void;
}
declare function acquireVsCodeApi(): VsCodeApi;

interface ShownDocument {
  fileName: string;
  text: string;
  offset: number;
  startLine: number;
  totalChars: number;
  note: string;
}

const vscode = acquireVsCodeApi();
const send = (message: WebviewMessage) => vscode.postMessage(message);

/** What the host last sent: the view is a mirror of the host's, never changed here. */
const shown = {
  view: null as ViewState | null,
  hidden: [] as number[],
  doc: null as ShownDocument | null,
  tracks: [] as TrackPayload[],
  cursor: -1,
  /** Features of the model's dictionary (0: none). */
  features: 0,
};

// ------------------------------------------------------------------ DOM helpers

/** An element with a class and (as text, never markup) its content. */
function el<K extends keyof HTMLElementTagNameMap>(tag: K, className?: string, text?: string | number): HTMLElementTagNameMap[K] {
  const e = document.createElement(tag);
  if (className) e.className = className;
  if (text !== undefined) e.textContent = String(text);
  return e;
}
function button(label: string, title: string, onClick: () => void): HTMLButtonElement {
  const b = el('button', 'btn', label);
  if (title) b.title = title;
  b.addEventListener('click', onClick);
  return b;
}
function clear(node: Element): void {
  while (node.firstChild) node.removeChild(node.firstChild);
}
function describe(ref: TrackSpec): string {
  if (ref.type === 'feature') return `feature ${ref.index}`;
  return ref.type === 'surprise' ? 'surprise (bits)' : `layer ${ref.layer} ${ref.kind}[${ref.cell}]`;
}
function addTracks(tracks: TrackSpec[], primary: boolean): void {
  send({ type: 'addTracks', tracks, primary });
}

// ------------------------------------------------------------------ layout

const app = document.getElementById('app') as HTMLElement;
clear(app);
const bar = el('header', 'bar');
const fileLabel = el('span', 'file', '');
const modelLabel = el('span', 'model', '');
const status = el('span', 'status', 'Loading…');
bar.append(fileLabel, modelLabel, status, button('Export as HTML', 'Save this view as a standalone HTML file', () => send({ type: 'export' })));

const trackBar = el('section', 'tracks');
const chips = el('div', 'chips');
const addForm = el('div', 'add');
const layerSelect = el('select', 'layer');
layerSelect.title = 'Layer';
const cellInput = el('input', 'cell');
cellInput.type = 'number';
cellInput.min = '0';
cellInput.value = '0';
cellInput.title = 'Cell number';
const kindSelect = el('select', 'kind');
kindSelect.title = 'h: hidden output (−1…1); c: cell state (memory)';
for (const k of ['h', 'c']) {
  const o = el('option', '', k);
  o.value = k;
  kindSelect.append(o);
}
const chosenKind = () => (kindSelect.value === 'c' ? 'c' : 'h');
const addCellButton = button('Add cell', 'Add this cell as a track', () => {
  const layer = Number(layerSelect.value);
  const cell = Number(cellInput.value);
  if (!Number.isInteger(layer) || !Number.isInteger(cell) || cell < 0 || cell >= (shown.hidden[layer] || 0)) {
    setStatus(`No such cell: layer ${layerSelect.value}, cell ${cellInput.value}.`);
    return;
  }
  addTracks([{ type: 'cell', layer, cell, kind: chosenKind() }], false);
});
addCellButton.classList.add('add-cell');
const addLayerButton = button('Same cell, all layers', 'Add this cell number in every layer as stacked tracks', () => {
  const cell = Number(cellInput.value);
  const kind = chosenKind();
  const add: TrackSpec[] = [];
  shown.hidden.forEach((units, layer) => {
    if (Number.isInteger(cell) && cell >= 0 && cell < units) add.push({ type: 'cell', layer, cell, kind });
  });
  addTracks(add, false);
});
addForm.append(
  el('span', 'lbl', 'Layer'),
  layerSelect,
  el('span', 'lbl', 'cell'),
  cellInput,
  kindSelect,
  addCellButton,
  addLayerButton,
  button('Surprise', 'Color each character by how unexpected it was to the model (bits)', () => addTracks([{ type: 'surprise' }], false)),
);
trackBar.append(chips, addForm);

const sparkBox = el('div', 'sparks');
const note = el('p', 'note', '');
const legend = el('div', 'legend');
for (let q = -LEVELS; q <= LEVELS; q++) legend.append(el('span', `sw ${levelClass(q)}`, q === -LEVELS ? '−1' : q === 0 ? '0' : q === LEVELS ? '+1' : '\u00a0'));
const legendNote = el('span', 'muted', '');
legend.append(legendNote);

const main = el('div', 'main');
const code = el('div', 'code');
code.tabIndex = 0;
const side = el('aside', 'side');
main.append(code, side);

function section(title: string, open: boolean): HTMLDetailsElement {
  const d = el('details', 'sec');
  d.open = open;
  d.append(el('summary', '', title));
  side.append(d);
  return d;
}
const conceptSec = section('Concept cells', true);
const conceptList = el('ul', 'cells concept-cells');
const conceptLabelledBy = el('p', 'muted concept-labelled-by', '');
conceptSec.append(
  el('p', 'muted', 'Per concept, the cells that stand out in this file: AUROC (yes/no concepts) or ρ (counts), beside the best a random model of the same shape reaches on the same text. Click a cell to show it as the top track.'),
  conceptLabelledBy,
  conceptList,
);
const syntaxSec = section('Syntax node types', true);
const syntaxNote = el('p', 'muted syntax-note', '');
const syntaxList = el('ul', 'cells syntax-cells');
syntaxSec.append(
  el('p', 'muted', 'Every node type of the file’s tree-sitter grammar (call arguments, type annotations, loop bodies…), each with the cell that best separates its characters from the rest: AUROC beside the best a random model of the same shape reaches. Click one to show its cell as the top track.'),
  syntaxNote,
  syntaxList,
);
const featureSec = section('Dictionary features', true);
const featureNote = el('p', 'muted feature-note', 'Looking for a feature dictionary beside the model…');
const featureList = el('ul', 'cells feature-list');
const featureInput = el('input', 'feature-index');
featureInput.type = 'number';
featureInput.min = '0';
featureInput.value = '0';
featureInput.title = 'Feature number';
const featureAdd = el('div', 'add feature-add');
featureAdd.append(
  el('span', 'lbl', 'Feature'),
  featureInput,
  button('Add feature', 'Add this dictionary feature as a track', () => {
    const index = Number(featureInput.value);
    if (!Number.isInteger(index) || index < 0 || index >= shown.features) {
      setStatus(shown.features ? `No such feature: ${featureInput.value} (the dictionary has ${shown.features}).` : 'This model has no feature dictionary.');
      return;
    }
    addTracks([{ type: 'feature', index }], false);
  }),
);
featureAdd.hidden = true;
featureSec.append(
  el('p', 'muted', 'Features of the sparse dictionary saved beside the model, per concept the ones that stand out in this file: AUROC or ρ, beside the best feature of a dictionary of the same size trained on a random model’s states. Click a feature to show it as the top track.'),
  featureNote,
  featureList,
  featureAdd,
);
const selectionSec = section('Cells for selection', true);
const selectionList = el('ul', 'cells selection-cells');
const SELECTION_HINT = 'Select code in the editor: cells whose mean inside the selection differs most from outside.';
const selectionNote = el('p', 'muted', SELECTION_HINT);
selectionSec.append(selectionNote, selectionList);

const hypoSec = section('Hypothesis search', true);
const thresholdInput = el('input', 'threshold');
thresholdInput.type = 'number';
thresholdInput.step = '0.05';
thresholdInput.min = '-50';
thresholdInput.max = '50';
const offInput = el('input', 'off-around');
offInput.type = 'number';
offInput.min = '0';
offInput.max = '50';
const scopeSelect = el('select', 'scope');
for (const [v, t] of [
  ['file', 'this file'],
  ['workspace', 'workspace'],
]) {
  const o = el('option', '', t);
  o.value = v;
  scopeSelect.append(o);
}
const hypoNote = el('p', 'muted', 'Select a span in the editor, then search: the cells above the threshold at every selected character, and other places where they are on together.');
const hypoCells = el('ul', 'cells hypothesis-cells');
const hypoFeatures = el('ul', 'cells hypothesis-features');
const matchList = el('ol', 'matches');
const row = (label: string, input: HTMLElement) => {
  const l = el('label', 'row');
  l.append(el('span', '', label), input);
  return l;
};
hypoSec.append(
  row('Threshold', thresholdInput),
  row('Off just before/after (chars)', offInput),
  row('Matches in', scopeSelect),
  button('Search', 'Find the cells on throughout the selection', () => {
    send({ type: 'hypothesis', ...searchInputs() });
    setStatus('Searching…');
  }),
  hypoNote,
  hypoCells,
  hypoFeatures,
  matchList,
);
const gateSec = section('Gate saturation', false);
const gateBox = el('div', 'gates');
gateSec.append(el('p', 'muted', 'Per unit: fraction of characters its gate is left-saturated (< 0.1, x) and right-saturated (> 0.9, y), over the recorded text.'), gateBox);

const tooltip = el('div', 'tooltip');
tooltip.hidden = true;
app.append(bar, trackBar, sparkBox, legend, note, main, tooltip);

function setStatus(text: string, busy = false): void {
  status.textContent = text;
  status.classList.toggle('busy', busy);
}

/** The search inputs as they stand; out-of-range entries fall back to the host's view. */
function searchInputs(): { threshold: number; offAround: number; scope: 'file' | 'workspace' } {
  const t = Number(thresholdInput.value);
  const o = Number(offInput.value);
  const view = shown.view;
  return {
    threshold: Number.isFinite(t) && t >= -50 && t <= 50 ? t : (view?.threshold ?? 0.3),
    offAround: Number.isInteger(o) && o >= 0 && o <= 50 ? o : (view?.offAround ?? 0),
    scope: scopeSelect.value === 'workspace' ? 'workspace' : 'file',
  };
}
const sendSearchInputs = () => send({ type: 'searchOptions', ...searchInputs() });
thresholdInput.addEventListener('change', sendSearchInputs);
offInput.addEventListener('change', sendSearchInputs);
scopeSelect.addEventListener('change', sendSearchInputs);

function showView(view: ViewState): void {
  shown.view = view;
  // Only for the panel serializer: after a reload it hands this back to the host.
  vscode.setState(view);
  thresholdInput.value = String(view.threshold);
  offInput.value = String(view.offAround);
  scopeSelect.value = view.scope;
}

// ------------------------------------------------------------------ tracks

function renderChips(): void {
  clear(chips);
  chips.append(el('span', 'lbl', 'Tracks'));
  shown.tracks.forEach((t, i) => {
    const chip = el('span', `chip${i === 0 ? ' primary' : ''}`);
    const name = el('button', 'chip-label', t.label);
    name.title = i === 0 ? 'The code is colored by this track' : 'Color the code by this track';
    name.addEventListener('click', () => addTracks([t.spec], true));
    const remove = el('button', 'chip-x', '×');
    remove.title = 'Remove this track';
    remove.addEventListener('click', () => send({ type: 'removeTrack', track: t.spec }));
    chip.append(name, remove);
    chips.append(chip);
  });
}

/** What full color means for the primary track: its limit (99th percentile of |value| for a cell, 8 bits for surprise). */
function renderLegend(): void {
  const t = shown.tracks[0];
  legendNote.textContent = t
    ? ` ${t.label}: full color at ±${Number(t.limit.toPrecision(3))}${t.spec.type === 'surprise' ? ' bits' : t.spec.type === 'feature' ? ' (99th percentile of its activations where it fires in this window)' : ' (99th percentile of |value| in this window)'}`
    : '';
}

// ------------------------------------------------------------------ code view

/** Window index of the first character of each rendered line. */
let lineStarts: number[] = [];
/** Span per window index (undefined for '\r' and the second half of a surrogate pair). */
let charSpans: (HTMLElement | undefined)[] = [];

function renderCode(): void {
  clear(code);
  lineStarts = [];
  charSpans = [];
  const doc = shown.doc;
  if (!doc) return;
  const text = doc.text;
  const primary = shown.tracks[0];
  const extra = shown.tracks.slice(1);
  let txt: HTMLElement = code;
  let strips: HTMLElement[] = [];
  let lineNo = doc.startLine;
  const startLine = (i: number) => {
    const line = el('div', 'line');
    line.append(el('span', 'ln', lineNo + 1));
    const body = el('div', 'body');
    txt = el('div', 'txt');
    body.append(txt);
    strips = extra.map((t) => {
      const s = el('div', 'strip');
      s.title = t.label;
      body.append(s);
      return s;
    });
    line.append(body);
    code.append(line);
    lineStarts.push(i);
    lineNo++;
  };
  startLine(0);
  for (let i = 0; i < text.length; i++) {
    const ch = text[i];
    if (ch === '\r') continue;
    let glyph = ch;
    const c = text.charCodeAt(i);
    const pair = c >= 0xd800 && c <= 0xdbff && i + 1 < text.length;
    if (pair) glyph = text.slice(i, i + 2);
    const span = el('span', `ch ${primary ? levelClass(primary.levels[i] ?? 0) : 'z'}${ch === '\n' ? ' nl' : ''}`, ch === '\n' ? ' ' : glyph);
    span.dataset.i = String(i);
    charSpans[i] = span;
    txt.append(span);
    extra.forEach((t, k) => {
      strips[k].append(el('span', `ch ${levelClass(t.levels[i] ?? 0)}`, ch === '\n' ? ' ' : glyph));
    });
    if (pair) i++;
    if (ch === '\n' && i + 1 < text.length) startLine(i + 1);
  }
  markCursor(false);
}

/** Window index → "line L, col C". */
function position(i: number): string {
  let lo = 0;
  let hi = lineStarts.length - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (lineStarts[mid] <= i) lo = mid;
    else hi = mid - 1;
  }
  return `line ${(shown.doc ? shown.doc.startLine : 0) + lo + 1}, col ${i - lineStarts[lo] + 1}`;
}

/** The window index of a character span under an event, or NaN. */
function charIndex(target: EventTarget | null): number {
  return target instanceof HTMLElement && target.dataset.i !== undefined ? Number(target.dataset.i) : NaN;
}

code.addEventListener('mouseover', (ev) => {
  const i = charIndex(ev.target);
  if (!shown.doc || !Number.isInteger(i)) return;
  clear(tooltip);
  tooltip.append(el('div', 'tt-head', `${position(i)} · ${JSON.stringify(shown.doc.text[i])}`));
  for (const tr of shown.tracks) {
    const r = el('div', 'tt-row');
    r.append(el('span', `sw ${levelClass(tr.levels[i] ?? 0)}`, '\u00a0\u00a0'), el('span', '', ` ${tr.label}: `), el('b', 'tt-value', Number(tr.values[i]).toFixed(4)));
    tooltip.append(r);
  }
  tooltip.hidden = false;
  const rect = (ev.target as HTMLElement).getBoundingClientRect();
  tooltip.style.left = `${Math.min(window.innerWidth - 280, Math.max(0, rect.left))}px`;
  tooltip.style.top = `${rect.bottom + 4}px`;
});
code.addEventListener('mouseleave', () => (tooltip.hidden = true));
code.addEventListener('click', (ev) => {
  const i = charIndex(ev.target);
  if (shown.doc && Number.isInteger(i)) send({ type: 'reveal', offset: shown.doc.offset + i });
});
code.addEventListener('scroll', () => {
  tooltip.hidden = true;
  drawSparks();
});

let cursorSpan: HTMLElement | null = null;
/** Marks the editor's cursor; scrolls it into view when asked and it is outside. */
function markCursor(scroll: boolean): void {
  if (cursorSpan) cursorSpan.classList.remove('cursor');
  cursorSpan = null;
  const doc = shown.doc;
  if (!doc || shown.cursor < doc.offset) return;
  let i = shown.cursor - doc.offset;
  if (i >= doc.text.length) i = doc.text.length - 1;
  while (i > 0 && !charSpans[i]) i--;
  const span = charSpans[i];
  if (!span) return;
  span.classList.add('cursor');
  cursorSpan = span;
  if (!scroll) return;
  const box = code.getBoundingClientRect();
  const r = span.getBoundingClientRect();
  if (r.top < box.top || r.bottom > box.bottom) span.scrollIntoView({ block: 'center', inline: 'nearest' });
}

// ------------------------------------------------------------------ sparklines

function cssColor(name: string, fallback: string): string {
  return getComputedStyle(document.body).getPropertyValue(name).trim() || fallback;
}

/** Characters (window indices) of the lines now scrolled into view. */
function visibleRange(): { start: number; end: number } | null {
  const lines = code.children;
  if (!lines.length || !shown.doc) return null;
  const top = code.scrollTop;
  const bottom = top + code.clientHeight;
  let first = -1;
  let last = -1;
  for (let k = 0; k < lines.length; k++) {
    const l = lines[k] as HTMLElement;
    if (l.offsetTop + l.offsetHeight < top + code.offsetTop) continue;
    if (l.offsetTop > bottom + code.offsetTop) break;
    if (first < 0) first = k;
    last = k;
  }
  if (first < 0) return null;
  return { start: lineStarts[first], end: last + 1 < lineStarts.length ? lineStarts[last + 1] : shown.doc.text.length };
}

function renderSparks(): void {
  clear(sparkBox);
  for (const t of shown.tracks) {
    const c = el('canvas', 'spark');
    c.title = `${t.label}: over the whole recorded text; the box is what is in view. Click to scroll there.`;
    c.addEventListener('click', (ev) => {
      const i = Math.floor((ev.offsetX / c.clientWidth) * t.values.length);
      let k = 0;
      while (k + 1 < lineStarts.length && lineStarts[k + 1] <= i) k++;
      code.children[k]?.scrollIntoView({ block: 'center' });
    });
    sparkBox.append(c);
  }
  drawSparks();
}

/** Each track's color steps over the whole window, one column per pixel (its lowest and highest step). */
function drawSparks(): void {
  const canvases = sparkBox.querySelectorAll('canvas');
  const fg = cssColor('--vscode-foreground', '#888');
  const vis = visibleRange();
  canvases.forEach((c, k) => {
    const t = shown.tracks[k];
    if (!t) return;
    const w = Math.max(50, c.clientWidth);
    const h = c.clientHeight || 26;
    const dpr = window.devicePixelRatio || 1;
    c.width = w * dpr;
    c.height = h * dpr;
    const g = c.getContext('2d');
    if (!g) return;
    g.scale(dpr, dpr);
    g.clearRect(0, 0, w, h);
    const n = t.levels.length;
    if (!n) return;
    const mid = h / 2;
    g.globalAlpha = 0.35;
    g.fillStyle = fg;
    g.fillRect(0, mid, w, 1);
    g.globalAlpha = 1;
    for (let x = 0; x < w; x++) {
      const a = Math.floor((x / w) * n);
      const b = Math.max(a + 1, Math.floor(((x + 1) / w) * n));
      let lo = Infinity;
      let hi = -Infinity;
      for (let i = a; i < b && i < n; i++) {
        const v = t.levels[i] / LEVELS;
        if (v < lo) lo = v;
        if (v > hi) hi = v;
      }
      if (hi > 0) {
        g.fillStyle = SPARK_COLORS.positive;
        g.fillRect(x, mid - hi * (mid - 1), 1, hi * (mid - 1));
      }
      if (lo < 0) {
        g.fillStyle = SPARK_COLORS.negative;
        g.fillRect(x, mid, 1, -lo * (mid - 1));
      }
    }
    if (vis) {
      g.strokeStyle = fg;
      g.lineWidth = 1;
      g.strokeRect((vis.start / n) * w + 0.5, 0.5, Math.max(2, ((vis.end - vis.start) / n) * w), h - 1);
    }
  });
}

// ------------------------------------------------------------------ side lists

/**
 * A side list of picks (cells or learned features), grouped under a head
 * where an entry names its group; a click shows the entry's track on top.
 * `variant` adds the kind's classes (e.g. `feature`: `feature-entry`, `feature-pick`).
 */
function renderTrackList<E extends { title: string; detail: string; group?: string }>(list: HTMLElement, entries: E[], track: (e: E) => TrackSpec, variant?: string): void {
  clear(list);
  let group: string | undefined;
  for (const e of entries) {
    if (e.group !== undefined && e.group !== group) list.append(el('li', 'group-head', e.group));
    group = e.group;
    const li = el('li', variant ? `cell-entry ${variant}-entry` : 'cell-entry');
    const b = el('button', variant ? `cell-pick ${variant}-pick` : 'cell-pick');
    b.append(el('span', 'cell-title', e.title), el('span', 'cell-detail', e.detail));
    const spec = track(e);
    b.title = `Show ${describe(spec)} as the top track`;
    b.addEventListener('click', () => addTracks([spec], true));
    li.append(b);
    list.append(li);
  }
}

const renderCellList = (list: HTMLElement, entries: CellEntry[]): void =>
  renderTrackList(list, entries, (e) => ({ type: 'cell', layer: e.ref.layer, cell: e.ref.cell, kind: e.ref.kind }));

const renderFeatureList = (list: HTMLElement, entries: FeatureEntry[]): void =>
  renderTrackList(list, entries, (e) => ({ type: 'feature', index: e.feature }), 'feature');

function renderMatches(matches: MatchEntry[]): void {
  clear(matchList);
  for (const m of matches) {
    const li = el('li', 'match');
    const b = el('button', 'match-pick');
    b.append(el('span', 'match-where', `${m.where} · overlap ${Number(m.overlap).toFixed(2)} · ${m.chars} chars`), el('code', 'match-preview', m.preview));
    b.addEventListener('click', () => send({ type: 'openMatch', index: m.index }));
    li.append(b);
    matchList.append(li);
  }
}

// LSTM i, f, o; GRU z (update) and r (reset); a plain RNN has no gates.
const GATE_COLORS: Record<string, string> = { i: 'rgb(46,160,67)', f: 'rgb(163,113,247)', o: 'rgb(219,137,36)', z: 'rgb(163,113,247)', r: 'rgb(46,160,67)' };

function renderGates(layers: GateChartLayer[]): void {
  clear(gateBox);
  const fg = cssColor('--vscode-foreground', '#888');
  if (layers.length > 0 && layers.every((l) => l.gates.length === 0)) {
    gateBox.append(el('p', 'gate-none', 'A plain RNN has no gates to chart.'));
    return;
  }
  for (const layer of layers) {
    const fig = el('figure', 'gate-fig');
    const c = el('canvas', 'gate-chart');
    const size = 150;
    const dpr = window.devicePixelRatio || 1;
    c.width = size * dpr;
    c.height = size * dpr;
    const g = c.getContext('2d');
    if (!g) continue;
    g.scale(dpr, dpr);
    const pad = 14;
    const span = size - 2 * pad;
    g.strokeStyle = fg;
    g.globalAlpha = 0.5;
    g.strokeRect(pad + 0.5, pad + 0.5, span, span);
    g.beginPath();
    g.moveTo(pad, pad + span);
    g.lineTo(pad + span, pad);
    g.stroke();
    g.globalAlpha = 0.75;
    for (const gate of layer.gates) {
      g.fillStyle = GATE_COLORS[gate.name] ?? fg;
      for (let j = 0; j < gate.left.length; j++) g.fillRect(pad + gate.left[j] * span - 1, pad + (1 - gate.right[j]) * span - 1, 3, 3);
    }
    g.globalAlpha = 1;
    fig.append(c);
    const cap = el('figcaption', '', `layer ${layer.layer} · ${layer.steps} steps · `);
    for (const gate of layer.gates) cap.append(el('span', `gate-key gate-${gate.name}`, `${gate.name} `));
    fig.append(cap);
    gateBox.append(fig);
  }
}

// ------------------------------------------------------------------ messages

function onHostMessage(msg: HostMessage): void {
  switch (msg.type) {
    case 'model':
      shown.hidden = msg.hidden;
      modelLabel.textContent = `model: ${msg.name} (${msg.shape})`;
      clear(layerSelect);
      msg.hidden.forEach((_, l) => {
        const o = el('option', '', String(l));
        o.value = String(l);
        layerSelect.append(o);
      });
      cellInput.max = String(Math.max(0, (msg.hidden[0] || 1) - 1));
      // A GRU or a plain RNN has no memory cell c: offer h alone.
      for (const o of Array.from(kindSelect.options)) o.hidden = o.value === 'c' && !msg.hasMemoryCell;
      if (!msg.hasMemoryCell) kindSelect.value = 'h';
      break;
    case 'document':
      shown.doc = { fileName: msg.fileName, text: msg.text, offset: msg.offset, startLine: msg.startLine, totalChars: msg.totalChars, note: msg.note };
      fileLabel.textContent = msg.fileName;
      note.textContent = msg.note;
      note.hidden = !msg.note;
      break;
    case 'view':
      showView(msg.view);
      break;
    case 'tracks':
      shown.tracks = msg.tracks;
      renderChips();
      renderLegend();
      renderCode();
      renderSparks();
      break;
    case 'cursor':
      shown.cursor = msg.offset;
      markCursor(true);
      break;
    case 'conceptCells':
      conceptLabelledBy.textContent = msg.labelledBy;
      renderCellList(conceptList, msg.entries);
      break;
    case 'syntaxCells':
      syntaxNote.textContent = msg.note;
      renderCellList(syntaxList, msg.entries);
      break;
    case 'featureList':
      shown.features = msg.features;
      featureNote.textContent = msg.note;
      featureAdd.hidden = msg.features === 0;
      featureInput.max = String(Math.max(0, msg.features - 1));
      renderFeatureList(featureList, msg.entries);
      break;
    case 'selectionCells':
      renderCellList(selectionList, msg.entries);
      selectionNote.textContent = msg.note ?? (msg.selection ? `Selection ${msg.selection.start}–${msg.selection.end}: inside vs outside means.` : SELECTION_HINT);
      break;
    case 'hypothesis':
      hypoNote.textContent = msg.note;
      renderCellList(hypoCells, msg.cells);
      renderFeatureList(hypoFeatures, msg.features);
      renderMatches(msg.matches);
      setStatus('');
      break;
    case 'saturation':
      renderGates(msg.layers);
      break;
    case 'status':
      setStatus(msg.message, msg.busy);
      break;
    default: {
      // Every host message is handled: a new one in the union fails to compile here.
      const unhandled: never = msg;
      return unhandled;
    }
  }
}

window.addEventListener('message', (event: MessageEvent<HostMessage>) => {
  const msg = event.data;
  // Only the host posts to this webview; a message of another shape is ignored, not guessed at.
  if (msg && typeof msg === 'object' && typeof msg.type === 'string') onHostMessage(msg);
});
window.addEventListener('resize', drawSparks);

send({ type: 'ready' });
