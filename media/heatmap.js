// @ts-check
/* LSTM Lens activation heatmap: the webview side. Workspace text arrives as
 * data in messages and only ever reaches the DOM through textContent (never
 * innerHTML), so code like `</script>` or `<img onerror=...>` is shown, not run.
 * Every message to the host is re-validated there (src/host/heatmap/protocol.ts). */
(function () {
  'use strict';
  // eslint-disable-next-line no-undef
  const vscode = acquireVsCodeApi();
  const LEVELS = 8;
  const MAX_TRACKS = 8;

  /** Everything the view shows; `view` is what survives hiding (setState). */
  const model = {
    view: { tracks: [], threshold: 0.3, offAround: 0, scope: 'file' },
    hidden: /** @type {number[]} */ ([]),
    modelName: '',
    doc: /** @type {null | {fileName: string, text: string, offset: number, startLine: number, totalChars: number, note: string}} */ (null),
    tracks: /** @type {{spec: any, label: string, values: number[], scale: number}[]} */ ([]),
    cursor: -1,
  };
  const saved = vscode.getState();
  if (saved && typeof saved === 'object') model.view = Object.assign(model.view, saved);

  // ------------------------------------------------------------------ DOM helpers

  /** An element with a class and (as text, never markup) its content. */
  function el(tag, className, text) {
    const e = document.createElement(tag);
    if (className) e.className = className;
    if (text !== undefined) e.textContent = String(text);
    return e;
  }
  function button(label, title, onClick) {
    const b = el('button', 'btn', label);
    if (title) b.title = title;
    b.addEventListener('click', onClick);
    return b;
  }
  function clear(node) {
    while (node.firstChild) node.removeChild(node.firstChild);
  }
  function describe(ref) {
    return ref.type === 'surprise' ? 'surprise (bits)' : 'layer ' + ref.layer + ' ' + ref.kind + '[' + ref.cell + ']';
  }
  function sameTrack(a, b) {
    if (a.type === 'surprise' || b.type === 'surprise') return a.type === b.type;
    return a.layer === b.layer && a.cell === b.cell && a.kind === b.kind;
  }
  function levelClass(v, scale) {
    if (!isFinite(v)) return 'z';
    const q = Math.round(Math.max(-1, Math.min(1, v / scale)) * LEVELS);
    return q > 0 ? 'p' + q : q < 0 ? 'n' + -q : 'z';
  }

  // ------------------------------------------------------------------ layout

  const app = /** @type {HTMLElement} */ (document.getElementById('app'));
  clear(app);
  const bar = el('header', 'bar');
  const fileLabel = el('span', 'file', '');
  const modelLabel = el('span', 'model', '');
  const status = el('span', 'status', 'Loading…');
  bar.append(fileLabel, modelLabel, status, button('Export as HTML', 'Save this view as a standalone HTML file', () => vscode.postMessage({ type: 'export' })));

  const trackBar = el('section', 'tracks');
  const chips = el('div', 'chips');
  const addForm = el('div', 'add');
  const layerSelect = /** @type {HTMLSelectElement} */ (el('select', 'layer'));
  layerSelect.title = 'Layer';
  const cellInput = /** @type {HTMLInputElement} */ (el('input', 'cell'));
  cellInput.type = 'number';
  cellInput.min = '0';
  cellInput.value = '0';
  cellInput.title = 'Cell number';
  const kindSelect = /** @type {HTMLSelectElement} */ (el('select', 'kind'));
  kindSelect.title = 'h: hidden output (−1…1); c: cell state (memory)';
  for (const k of ['h', 'c']) {
    const o = el('option', '', k);
    /** @type {HTMLOptionElement} */ (o).value = k;
    kindSelect.append(o);
  }
  const addCellButton = button('Add cell', 'Add this cell as a track', () => {
    const layer = Number(layerSelect.value);
    const cell = Number(cellInput.value);
    if (!Number.isInteger(layer) || !Number.isInteger(cell) || cell < 0 || cell >= (model.hidden[layer] || 0)) {
      setStatus('No such cell: layer ' + layerSelect.value + ', cell ' + cellInput.value + '.');
      return;
    }
    addTrack({ type: 'cell', layer, cell, kind: kindSelect.value === 'c' ? 'c' : 'h' }, false);
  });
  addCellButton.classList.add('add-cell');
  const addLayerButton = button('Same cell, all layers', 'Add this cell number in every layer as stacked tracks', () => {
    const cell = Number(cellInput.value);
    const kind = kindSelect.value === 'c' ? 'c' : 'h';
    const add = model.hidden.map((H, layer) => ({ type: 'cell', layer, cell, kind })).filter((t, layer) => Number.isInteger(cell) && cell >= 0 && cell < model.hidden[layer]);
    setTracks(dedupe(model.view.tracks.concat(add)));
  });
  addForm.append(el('span', 'lbl', 'Layer'), layerSelect, el('span', 'lbl', 'cell'), cellInput, kindSelect, addCellButton, addLayerButton, button('Surprise', 'Color each character by how unexpected it was to the model (bits)', () => addTrack({ type: 'surprise' }, false)));
  trackBar.append(chips, addForm);

  const sparkBox = el('div', 'sparks');
  const note = el('p', 'note', '');
  const legend = el('div', 'legend');
  for (let q = -LEVELS; q <= LEVELS; q++) legend.append(el('span', 'sw ' + (q > 0 ? 'p' + q : q < 0 ? 'n' + -q : 'z'), q === -LEVELS ? '−1' : q === 0 ? '0' : q === LEVELS ? '+1' : '\u00a0'));
  legend.append(el('span', 'muted', ' value ÷ track scale (h: 1; c: its largest |value|; surprise: 8 bits)'));

  const main = el('div', 'main');
  const code = el('div', 'code');
  code.tabIndex = 0;
  const side = el('aside', 'side');
  main.append(code, side);

  function section(title, open) {
    const d = /** @type {HTMLDetailsElement} */ (el('details', 'sec'));
    d.open = open;
    d.append(el('summary', '', title));
    side.append(d);
    return d;
  }
  const conceptSec = section('Concept cells', true);
  const conceptList = el('ul', 'cells concept-cells');
  conceptSec.append(el('p', 'muted', 'Click a cell to show it as the top track.'), conceptList);
  const selectionSec = section('Cells for selection', true);
  const selectionList = el('ul', 'cells selection-cells');
  const selectionNote = el('p', 'muted', 'Select code in the editor: cells whose mean inside the selection differs most from outside.');
  selectionSec.append(selectionNote, selectionList);

  const hypoSec = section('Hypothesis search', true);
  const thresholdInput = /** @type {HTMLInputElement} */ (el('input', 'threshold'));
  thresholdInput.type = 'number';
  thresholdInput.step = '0.05';
  thresholdInput.min = '-50';
  thresholdInput.max = '50';
  const offInput = /** @type {HTMLInputElement} */ (el('input', 'off-around'));
  offInput.type = 'number';
  offInput.min = '0';
  offInput.max = '50';
  const scopeSelect = /** @type {HTMLSelectElement} */ (el('select', 'scope'));
  for (const [v, t] of [['file', 'this file'], ['workspace', 'workspace']]) {
    const o = /** @type {HTMLOptionElement} */ (el('option', '', t));
    o.value = v;
    scopeSelect.append(o);
  }
  const hypoNote = el('p', 'muted', 'Select a span in the editor, then search: the cells above the threshold at every selected character, and other places where they are on together.');
  const hypoCells = el('ul', 'cells hypothesis-cells');
  const matchList = el('ol', 'matches');
  const row = (label, input) => {
    const l = el('label', 'row');
    l.append(el('span', '', label), input);
    return l;
  };
  hypoSec.append(
    row('Threshold', thresholdInput),
    row('Off just before/after (chars)', offInput),
    row('Matches in', scopeSelect),
    button('Search', 'Find the cells on throughout the selection', () => {
      saveView();
      vscode.postMessage({ type: 'hypothesis', threshold: model.view.threshold, offAround: model.view.offAround, scope: model.view.scope });
      setStatus('Searching…');
    }),
    hypoNote,
    hypoCells,
    matchList,
  );
  const gateSec = section('Gate saturation', false);
  const gateBox = el('div', 'gates');
  gateSec.append(el('p', 'muted', 'Per unit: fraction of characters its gate is left-saturated (< 0.1, x) and right-saturated (> 0.9, y), over the recorded text.'), gateBox);

  const tooltip = el('div', 'tooltip');
  tooltip.hidden = true;
  app.append(bar, trackBar, sparkBox, legend, note, main, tooltip);

  function setStatus(text, busy) {
    status.textContent = text;
    status.classList.toggle('busy', !!busy);
  }
  function syncInputs() {
    thresholdInput.value = String(model.view.threshold);
    offInput.value = String(model.view.offAround);
    scopeSelect.value = model.view.scope;
  }
  function saveView() {
    const t = Number(thresholdInput.value);
    const o = Number(offInput.value);
    if (isFinite(t) && t >= -50 && t <= 50) model.view.threshold = t;
    if (Number.isInteger(o) && o >= 0 && o <= 50) model.view.offAround = o;
    model.view.scope = scopeSelect.value === 'workspace' ? 'workspace' : 'file';
    vscode.setState(model.view);
  }
  thresholdInput.addEventListener('change', saveView);
  offInput.addEventListener('change', saveView);
  scopeSelect.addEventListener('change', saveView);
  syncInputs();

  // ------------------------------------------------------------------ tracks

  function dedupe(list) {
    const out = [];
    for (const t of list) if (!out.some((o) => sameTrack(o, t))) out.push(t);
    return out.slice(0, MAX_TRACKS);
  }
  function setTracks(list) {
    model.view.tracks = dedupe(list);
    vscode.setState(model.view);
    vscode.postMessage({ type: 'setTracks', tracks: model.view.tracks });
  }
  /** Adds a track (first when asPrimary, else last). */
  function addTrack(spec, asPrimary) {
    const rest = model.view.tracks.filter((t) => !sameTrack(t, spec));
    setTracks(asPrimary ? [spec].concat(rest) : rest.concat([spec]));
  }

  function renderChips() {
    clear(chips);
    chips.append(el('span', 'lbl', 'Tracks'));
    model.tracks.forEach((t, i) => {
      const chip = el('span', 'chip' + (i === 0 ? ' primary' : ''));
      const name = el('button', 'chip-label', t.label);
      name.title = i === 0 ? 'The code is colored by this track' : 'Color the code by this track';
      name.addEventListener('click', () => setTracks([t.spec].concat(model.view.tracks.filter((o) => !sameTrack(o, t.spec)))));
      const remove = el('button', 'chip-x', '×');
      remove.title = 'Remove this track';
      remove.addEventListener('click', () => setTracks(model.view.tracks.filter((o) => !sameTrack(o, t.spec))));
      chip.append(name, remove);
      chips.append(chip);
    });
  }

  // ------------------------------------------------------------------ code view

  /** Window index of the first character of each rendered line. */
  let lineStarts = [];
  /** Span per window index (undefined for '\r' and the second half of a surrogate pair). */
  let charSpans = [];

  function renderCode() {
    clear(code);
    lineStarts = [];
    charSpans = [];
    const doc = model.doc;
    if (!doc) return;
    const text = doc.text;
    const primary = model.tracks[0];
    const extra = model.tracks.slice(1);
    let line = null;
    let txt = null;
    let strips = [];
    let lineNo = doc.startLine;
    const startLine = (i) => {
      line = el('div', 'line');
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
      let shown = ch;
      const c = text.charCodeAt(i);
      const pair = c >= 0xd800 && c <= 0xdbff && i + 1 < text.length;
      if (pair) shown = text.slice(i, i + 2);
      const span = el('span', 'ch ' + (primary ? levelClass(primary.values[i], primary.scale) : 'z') + (ch === '\n' ? ' nl' : ''), ch === '\n' ? ' ' : shown);
      span.dataset.i = String(i);
      charSpans[i] = span;
      /** @type {HTMLElement} */ (txt).append(span);
      extra.forEach((t, k) => {
        strips[k].append(el('span', 'ch ' + levelClass(t.values[i], t.scale), ch === '\n' ? ' ' : shown));
      });
      if (pair) i++;
      if (ch === '\n' && i + 1 < text.length) startLine(i + 1);
    }
    markCursor(false);
  }

  /** Window index → "line L, col C". */
  function position(i) {
    let lo = 0;
    let hi = lineStarts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (lineStarts[mid] <= i) lo = mid;
      else hi = mid - 1;
    }
    const doc = model.doc;
    return 'line ' + ((doc ? doc.startLine : 0) + lo + 1) + ', col ' + (i - lineStarts[lo] + 1);
  }

  code.addEventListener('mouseover', (ev) => {
    const t = /** @type {HTMLElement} */ (ev.target);
    const i = t && t.dataset ? Number(t.dataset.i) : NaN;
    if (!model.doc || !Number.isInteger(i)) return;
    clear(tooltip);
    const ch = model.doc.text[i];
    tooltip.append(el('div', 'tt-head', position(i) + ' · ' + JSON.stringify(ch)));
    for (const tr of model.tracks) {
      const r = el('div', 'tt-row');
      r.append(el('span', 'sw ' + levelClass(tr.values[i], tr.scale), '\u00a0\u00a0'), el('span', '', ' ' + tr.label + ': '), el('b', 'tt-value', Number(tr.values[i]).toFixed(4)));
      tooltip.append(r);
    }
    tooltip.hidden = false;
    const rect = t.getBoundingClientRect();
    tooltip.style.left = Math.min(window.innerWidth - 280, Math.max(0, rect.left)) + 'px';
    tooltip.style.top = rect.bottom + 4 + 'px';
  });
  code.addEventListener('mouseleave', () => (tooltip.hidden = true));
  code.addEventListener('click', (ev) => {
    const t = /** @type {HTMLElement} */ (ev.target);
    const i = t && t.dataset ? Number(t.dataset.i) : NaN;
    if (model.doc && Number.isInteger(i)) vscode.postMessage({ type: 'reveal', offset: model.doc.offset + i });
  });
  code.addEventListener('scroll', () => {
    tooltip.hidden = true;
    drawSparks();
  });

  let cursorSpan = null;
  /** Marks the editor's cursor; scrolls it into view when asked and it is outside. */
  function markCursor(scroll) {
    if (cursorSpan) cursorSpan.classList.remove('cursor');
    cursorSpan = null;
    const doc = model.doc;
    if (!doc || model.cursor < doc.offset) return;
    let i = model.cursor - doc.offset;
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

  function cssColor(name, fallback) {
    const v = getComputedStyle(document.body).getPropertyValue(name).trim();
    return v || fallback;
  }

  /** Characters (window indices) of the lines now scrolled into view. */
  function visibleRange() {
    const lines = code.children;
    if (!lines.length || !model.doc) return null;
    const top = code.scrollTop;
    const bottom = top + code.clientHeight;
    let first = -1;
    let last = -1;
    for (let k = 0; k < lines.length; k++) {
      const l = /** @type {HTMLElement} */ (lines[k]);
      if (l.offsetTop + l.offsetHeight < top + code.offsetTop) continue;
      if (l.offsetTop > bottom + code.offsetTop) break;
      if (first < 0) first = k;
      last = k;
    }
    if (first < 0) return null;
    return { start: lineStarts[first], end: last + 1 < lineStarts.length ? lineStarts[last + 1] : model.doc.text.length };
  }

  function renderSparks() {
    clear(sparkBox);
    for (const t of model.tracks) {
      const c = /** @type {HTMLCanvasElement} */ (el('canvas', 'spark'));
      c.title = t.label + ': over the whole recorded text; the box is what is in view. Click to scroll there.';
      c.addEventListener('click', (ev) => {
        const n = t.values.length;
        const i = Math.floor((ev.offsetX / c.clientWidth) * n);
        let k = 0;
        while (k + 1 < lineStarts.length && lineStarts[k + 1] <= i) k++;
        const line = code.children[k];
        if (line) line.scrollIntoView({ block: 'center' });
      });
      sparkBox.append(c);
    }
    drawSparks();
  }

  function drawSparks() {
    const canvases = sparkBox.querySelectorAll('canvas');
    const fg = cssColor('--vscode-foreground', '#888');
    const vis = visibleRange();
    canvases.forEach((node, k) => {
      const c = /** @type {HTMLCanvasElement} */ (node);
      const t = model.tracks[k];
      if (!t) return;
      const w = Math.max(50, c.clientWidth);
      const h = c.clientHeight || 26;
      const dpr = window.devicePixelRatio || 1;
      c.width = w * dpr;
      c.height = h * dpr;
      const g = /** @type {CanvasRenderingContext2D} */ (c.getContext('2d'));
      g.scale(dpr, dpr);
      g.clearRect(0, 0, w, h);
      const n = t.values.length;
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
          const v = Math.max(-1, Math.min(1, t.values[i] / t.scale));
          if (v < lo) lo = v;
          if (v > hi) hi = v;
        }
        if (hi > 0) {
          g.fillStyle = 'rgb(214,47,39)';
          g.fillRect(x, mid - hi * (mid - 1), 1, hi * (mid - 1));
        }
        if (lo < 0) {
          g.fillStyle = 'rgb(49,113,196)';
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

  function renderCellList(list, entries) {
    clear(list);
    for (const e of entries) {
      const li = el('li', 'cell-entry');
      const b = el('button', 'cell-pick');
      b.append(el('span', 'cell-title', e.title), el('span', 'cell-detail', e.detail));
      b.title = 'Show ' + describe(Object.assign({ type: 'cell' }, e.ref)) + ' as the top track';
      b.addEventListener('click', () => addTrack({ type: 'cell', layer: e.ref.layer, cell: e.ref.cell, kind: e.ref.kind }, true));
      li.append(b);
      list.append(li);
    }
  }

  function renderMatches(matches) {
    clear(matchList);
    for (const m of matches) {
      const li = el('li', 'match');
      const b = el('button', 'match-pick');
      b.append(el('span', 'match-where', m.where + ' · overlap ' + Number(m.overlap).toFixed(2) + ' · ' + m.chars + ' chars'), el('code', 'match-preview', m.preview));
      b.addEventListener('click', () => vscode.postMessage({ type: 'openMatch', index: m.index }));
      li.append(b);
      matchList.append(li);
    }
  }

  function renderGates(layers) {
    clear(gateBox);
    // LSTM i, f, o; GRU z (update) and r (reset); a plain RNN has no gates.
    const colors = { i: 'rgb(46,160,67)', f: 'rgb(163,113,247)', o: 'rgb(219,137,36)', z: 'rgb(163,113,247)', r: 'rgb(46,160,67)' };
    const fg = cssColor('--vscode-foreground', '#888');
    if (layers.length > 0 && layers.every((l) => l.gates.length === 0)) {
      gateBox.append(el('p', 'gate-none', 'A plain RNN has no gates to chart.'));
      return;
    }
    for (const layer of layers) {
      const fig = el('figure', 'gate-fig');
      const c = /** @type {HTMLCanvasElement} */ (el('canvas', 'gate-chart'));
      const size = 150;
      const dpr = window.devicePixelRatio || 1;
      c.width = size * dpr;
      c.height = size * dpr;
      const g = /** @type {CanvasRenderingContext2D} */ (c.getContext('2d'));
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
        g.fillStyle = colors[gate.name] || fg;
        for (let j = 0; j < gate.left.length; j++) g.fillRect(pad + gate.left[j] * span - 1, pad + (1 - gate.right[j]) * span - 1, 3, 3);
      }
      g.globalAlpha = 1;
      fig.append(c);
      const cap = el('figcaption', '', 'layer ' + layer.layer + ' · ' + layer.steps + ' steps · ');
      for (const gate of layer.gates) {
        const s = el('span', 'gate-key gate-' + gate.name, gate.name + ' ');
        cap.append(s);
      }
      fig.append(cap);
      gateBox.append(fig);
    }
  }

  // ------------------------------------------------------------------ messages

  window.addEventListener('message', (event) => {
    const msg = event.data;
    if (!msg || typeof msg !== 'object') return;
    switch (msg.type) {
      case 'model':
        model.hidden = Array.isArray(msg.hidden) ? msg.hidden.map(Number) : [];
        model.modelName = String(msg.name) + ' (' + String(msg.shape) + ')';
        modelLabel.textContent = 'model: ' + model.modelName;
        clear(layerSelect);
        model.hidden.forEach((H, l) => {
          const o = /** @type {HTMLOptionElement} */ (el('option', '', String(l)));
          o.value = String(l);
          layerSelect.append(o);
        });
        cellInput.max = String(Math.max(0, (model.hidden[0] || 1) - 1));
        // A GRU or a plain RNN has no memory cell c: offer h alone.
        for (const o of Array.from(kindSelect.options)) o.hidden = o.value === 'c' && msg.hasMemoryCell === false;
        if (msg.hasMemoryCell === false) kindSelect.value = 'h';
        break;
      case 'document':
        model.doc = { fileName: String(msg.fileName), text: String(msg.text), offset: Number(msg.offset) || 0, startLine: Number(msg.startLine) || 0, totalChars: Number(msg.totalChars) || 0, note: String(msg.note || '') };
        fileLabel.textContent = model.doc.fileName;
        note.textContent = model.doc.note;
        note.hidden = !model.doc.note;
        break;
      case 'tracks':
        model.tracks = Array.isArray(msg.tracks) ? msg.tracks : [];
        if (msg.state && typeof msg.state === 'object') {
          model.view = Object.assign(model.view, msg.state);
          vscode.setState(model.view);
          syncInputs();
        }
        renderChips();
        renderCode();
        renderSparks();
        break;
      case 'cursor':
        model.cursor = Number(msg.offset);
        markCursor(true);
        break;
      case 'conceptCells':
        renderCellList(conceptList, Array.isArray(msg.entries) ? msg.entries : []);
        break;
      case 'selectionCells':
        renderCellList(selectionList, Array.isArray(msg.entries) ? msg.entries : []);
        selectionNote.textContent = msg.note ? String(msg.note) : msg.selection ? 'Selection ' + msg.selection.start + '–' + msg.selection.end + ': inside vs outside means.' : 'Select code in the editor: cells whose mean inside the selection differs most from outside.';
        break;
      case 'hypothesis':
        hypoNote.textContent = String(msg.note || '');
        renderCellList(hypoCells, Array.isArray(msg.cells) ? msg.cells : []);
        renderMatches(Array.isArray(msg.matches) ? msg.matches : []);
        setStatus('');
        break;
      case 'saturation':
        renderGates(Array.isArray(msg.layers) ? msg.layers : []);
        break;
      case 'status':
        setStatus(String(msg.message || ''), !!msg.busy);
        break;
    }
  });
  window.addEventListener('resize', drawSparks);

  vscode.postMessage({ type: 'ready', state: saved && typeof saved === 'object' ? model.view : null });
})();
