#!/usr/bin/env node
// Writes the measured figures of the docs from the committed result files,
// so that no figure is typed by hand and one re-measurement is one command.
//
// A doc marks a region with
//   <!-- figures:KIND ARG... -->
//   (generated text)
//   <!-- /figures:KIND -->
// where KIND names a renderer below and each ARG is a result file under
// bench/results/ (optionally FILE="label"). A figure inside a sentence is
// marked on its own:
//   <!-- fig:FILE#PATH FORMAT -->1.729<!-- /fig -->
// where PATH is a dotted path into the file's JSON (array items by index:
// projects.0.before.bitsPerChar), or two such paths A/B for their ratio, and
// FORMAT one of FORMATS below; the text between the marks is the figure.
// Every result file must carry a `provenance` object (command, settings,
// weights, machine, date): a file without one cannot back a figure, and the
// script says so. A figure no one measured file holds (a mean over several,
// the difference of two, the size of the text a run read) comes from a file
// that scripts/derive-results.js writes from the committed ones.
//
//   node scripts/figure-tables.js           rewrites the regions and figures in place
//   node scripts/figure-tables.js --check   exits 1, naming each stale region and figure
'use strict';

const fs = require('fs');
const path = require('path');
const card = require('./model-card-tables');

const DOCS = ['README.md', 'bench/README.md', 'models/default/MODEL_CARD.md', 'CHANGELOG.md'];
const REGION = /<!-- figures:([\w-]+)((?:\s+[^\s>]+)*)\s*-->\n[\s\S]*?<!-- \/figures:\1 -->/g;
const FIGURE = /<!-- fig:(\S*?)#(\S*) (\S*) -->(.*?)<!-- \/fig -->/g;

// ------------------------------------------------------------------ formats

const int = (n) => Math.round(n).toLocaleString('en-US');
const ms = (v) => (v >= 10 ? v.toFixed(1) : v >= 0.1 ? v.toFixed(2) : v.toPrecision(2));
const us = (v) => (v >= 1000 ? `${ms(v / 1000)} ms` : `${Math.round(v)} µs`);
const pct = (x) => `${(100 * x).toFixed(1)}%`;
const ratio = (x) => `${x.toFixed(2)}×`;
const table = (head, rows) => [`| ${head.join(' | ')} |`, `|${head.map(() => '---').join('|')}|`, ...rows.map((r) => `| ${r.join(' | ')} |`)].join('\n');

// ------------------------------------------------------------------ result files

/**
 * A result file with its provenance checked: the whole file is the JSON, or
 * its last line is (a CLI may print notes first). The model card's files (eval runs) carry their
 * settings in the command, so they need no separate settings.
 */
function readResult(root, rel, required = ['command', 'settings', 'weights', 'machine', 'date']) {
  const file = path.join(root, 'bench', 'results', rel);
  if (!fs.existsSync(file)) throw new Error(`bench/results/${rel} does not exist`);
  const text = fs.readFileSync(file, 'utf8').trim();
  let r;
  try {
    r = JSON.parse(text);
  } catch {
    r = JSON.parse(text.split('\n').pop());
  }
  const p = r.provenance;
  if (!p) throw new Error(`bench/results/${rel} has no provenance (command, settings, weights, machine, date): it cannot back a figure`);
  for (const key of required) {
    if (!(key in p)) throw new Error(`bench/results/${rel}: provenance has no ${key}`);
  }
  return { rel, r, p };
}

function sourceLine({ rel, p }) {
  const weights = p.weights ? `weights \`${p.weights.file}\`` : 'random weights';
  const afterwards = p.recorded ? ` (provenance recorded ${p.recorded})` : '';
  return `\`${path.posix.join('bench/results', rel)}\`: \`${p.command}\`; ${weights}; ${p.machine}; ${p.date.slice(0, 10)}${afterwards}.`;
}

/** Blocks of a region (tables, sentences) with a blank line between them, then the line naming the source. */
function withSource(res, ...blocks) {
  return [...blocks, `Source: ${sourceLine(res)}`].join('\n\n');
}

/** Today's completion defaults, from the extension's manifest. */
function defaultSettings(root) {
  const props = JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8')).contributes.configuration.properties;
  const out = {};
  for (const key of ['beamWidth', 'maxChars', 'multiline', 'maxLines', 'minCharProb', 'minExpectedSaving', 'documentMatch']) {
    out[key] = props[`lstmLens.completion.${key}`].default;
  }
  return out;
}

function describeSettings(s) {
  return [
    s.beamWidth === 1 ? 'greedy' : `beam ${s.beamWidth}`,
    s.minCharProb > 0 ? `floor ${s.minCharProb}` : 'no floor',
    s.minExpectedSaving > 0 ? `expected-saving cut at ${s.minExpectedSaving}` : 'no cut',
    s.documentMatch ? 'document cache' : 'no document cache',
    `${s.maxChars} characters${s.multiline ? `, multi-line up to ${s.maxLines}` : ''}`,
  ].join(', ');
}

/** The bench flag that sets each completion setting on purpose. */
const SETTING_FLAGS = { beamWidth: '--beam', maxChars: '--max-chars', multiline: '--multiline', maxLines: '--max-lines', minCharProb: '--min-char-prob', minExpectedSaving: '--min-expected-saving', documentMatch: '--no-document-match' };

/**
 * A plain mark on every run that used other completion settings than today's
 * defaults without asking for them on its command line: it measured the
 * defaults of its day, and nobody has measured today's.
 */
function settingsNotes(root, results) {
  const today = defaultSettings(root);
  const notes = [];
  for (const { rel, p } of results) {
    if (!p.settings) continue;
    const unasked = Object.keys(today).filter((k) => k in p.settings && p.settings[k] !== today[k] && !p.command.split(/\s+/).includes(SETTING_FLAGS[k]));
    if (unasked.length > 0) notes.push(`- **Not re-measured under today's defaults**: \`${rel}\` ran with ${describeSettings(p.settings)}; today's defaults are ${describeSettings(today)}.`);
  }
  return notes;
}

/** From a to b in percent, signed, with a true minus sign (bits/char before and after training). */
const relativeChange = (a, b, digits) => `${b >= a ? '+' : '−'}${Math.abs(100 * (b / a - 1)).toFixed(digits)}%`;

/** A cell as the tables name it: a one-layer model's cells need no layer ("layer 0 c[12]" → "c[12]"); an upper layer's keep theirs. */
const cellName = (name) => name.replace(/^layer 0 /, '');

/** A number with a true minus sign. */
const signed = (x, digits) => (x < 0 ? `−${(-x).toFixed(digits)}` : x.toFixed(digits));

/** A command with its file arguments after the first folded into a count, for commands that list hundreds of files. */
function shortCommand(command) {
  const words = command.split(/\s+/);
  const firstFile = words.findIndex((w, i) => i > 1 && !w.startsWith('-') && w.includes('/') && !words[i - 1].startsWith('--model'));
  if (firstFile < 0) return command;
  const files = words.slice(firstFile).filter((w) => w.includes('/'));
  if (files.length < 3) return command;
  return `${words.slice(0, firstFile + 1).join(' ')} … (${files.length} files)`;
}

/** A validation folder's language, as the card names it (.cache/split/validation/typescript: TypeScript). */
const languageOf = (folder) => card.NAMES[path.basename(folder)] ?? path.basename(folder);

/** FILE or FILE="label" arguments of a region. */
function parseArgs(text) {
  return [...text.matchAll(/([^\s=]+)(?:="([^"]*)")?/g)].map((m) => ({ file: m[1], label: m[2] ?? m[1] }));
}

// ------------------------------------------------------------------ renderers

const RENDERERS = {
  /** Completion latency per run (bench completion). */
  completion(root, args) {
    const runs = args.map((a) => ({ ...readResult(root, a.file), label: a.label }));
    const rows = [];
    for (const { r, label } of runs) {
      rows.push([`request, ${label}`, int(r.count), `${ms(r.p50Ms)} ms`, `${ms(r.p95Ms)} ms`, `${ms(r.p99Ms)} ms`, `${ms(r.maxMs)} ms`, `${ms(r.meanMs)} ms`]);
      const s = r.searched;
      rows.push(['… answered by a search', int(s.count), `${ms(s.p50Ms)} ms`, `${ms(s.p95Ms)} ms`, `${ms(s.p99Ms)} ms`, `${ms(s.maxMs)} ms`, `${ms(s.meanMs)} ms`]);
    }
    const k = runs[0].r.keystroke;
    rows.push([runs.length > 1 ? 'keystroke state update, first run' : 'keystroke state update', int(runs[0].r.typed), us(k.p50Us), us(k.p95Us), us(k.p99Us), us(k.maxUs), us(k.meanUs)]);
    const counts = runs.map(({ r, label }) =>
      `- ${label}: ${int(r.requests)} requests, ${int(r.searched.count)} answered by a search, ${int(r.typedThrough)} from the answer cache (typing through a shown completion); suggestions matched what the file goes on with ${int(r.exactMatches)} times, covering ${int(r.matchedChars)} characters (a Tab at each would save ${int(r.matchedChars - r.exactMatches)} keystrokes in all)${
        r.workspaceNames ? `; the workspace's names: ${int(r.workspaceNames.names)} from ${int(r.workspaceNames.files)} files, the index built in ${ms(r.workspaceNames.buildMs)} ms` : ''
      }.`,
    );
    return [table(['', 'count', 'p50', 'p95', 'p99', 'max', 'mean'], rows), '', ...counts, ...runs.map((x) => `- Source: ${sourceLine(x)}`), ...settingsNotes(root, runs)].join('\n');
  },

  /** Keystrokes saved with and without dynamic evaluation, per held-out package (bench/dynamic-eval.sh). */
  'dynamic-eval'(root, [arg]) {
    const res = readResult(root, arg.file);
    const { r } = res;
    const rows = r.packages.map((p) => [
      `\`${p.package}\``,
      String(p.files.length),
      int(p.chars),
      `${p.without.bitsPerChar.toFixed(3)} → ${p.with.bitsPerChar.toFixed(3)}`,
      pct(p.without.keystrokesSaved),
      pct(p.with.keystrokesSaved),
      signed((p.with.keystrokesSaved - p.without.keystrokesSaved) * 100, 1),
    ]);
    rows.push(['**all**', String(r.packages.reduce((n, p) => n + p.files.length, 0)), int(r.chars), '', `**${pct(r.total.without)}**`, `**${pct(r.total.with)}**`, `**${signed((r.total.with - r.total.without) * 100, 1)}**`]);
    const d = r.dynamicEvaluation;
    return withSource(
      res,
      table(['package', 'files', 'chars', 'bits/char, without → with', 'keystrokes saved, without', 'with', 'points'], rows),
      `Dynamic evaluation: a step every ${d.windowChars} characters, learning rate ${d.learningRate}, decay ${d.decay}, gradient norm clipped at ${d.maxGradNorm}. Bits/char "with" is dynamic evaluation's own figure (each window predicted before it is learned); "all" weights packages by characters.`,
    );
  },

  /** Dynamic evaluation's bits/char per setting on validation packages (bench/dynamic-eval-bits.js). */
  'dynamic-eval-tuning'(root, [arg]) {
    const res = readResult(root, arg.file, ['command', 'weights', 'machine', 'date']);
    const { r } = res;
    const d = r.defaults;
    const rows = r.results.map((x) => [String(x.learningRate), String(x.decay ?? d.decay), String(x.windowChars ?? d.windowChars), x.bitsPerChar.toFixed(3)]);
    return withSource(res, table(['learning rate', 'decay', 'window', 'bits/char'], rows), `${int(r.chars)} characters; gradient norm clipped at ${d.maxGradNorm}. Chosen: learning rate ${r.chosen.learningRate}, decay ${r.chosen.decay}, window ${r.chosen.windowChars} (${r.chosen.why}).`);
  },

  /** The engine comparison (bench --json). */
  engines(root, [arg]) {
    const res = readResult(root, arg.file);
    const { r } = res;
    const name = (e) => (e.startsWith('fused-wasm-relaxed') ? 'fused, wasm relaxed SIMD' : e.startsWith('fused') ? 'fused, wasm SIMD' : e === 'tfjs-wasm' ? 'tf.layers, tfjs wasm backend (one-hot input)' : e === 'tfjs-cpu' ? 'tf.layers, tfjs cpu backend' : e.replace(/^pytorch/, 'PyTorch'));
    const groups = new Map();
    for (const row of r.rows) {
      const threads = row.threads === '1 (batch 1)' ? '1' : row.threads;
      const key = `${row.engine}|${threads}`;
      if (!groups.has(key)) groups.set(key, { engine: row.engine, threads, train: {}, step: {} });
      const g = groups.get(key);
      if (row.trainCharsPerSecond !== undefined) g.train[row.model] = row.trainCharsPerSecond;
      if (row.stepUs !== undefined) g.step[row.model] = row.stepUs;
    }
    const rank = (g) => (g.engine.startsWith('fused') ? 0 : g.engine.startsWith('pytorch') ? 1 : g.engine === 'tfjs-wasm' ? 2 : 3);
    const ordered = [...groups.values()].sort((a, b) => rank(a) - rank(b) || b.threads.localeCompare(a.threads));
    const cell = (v, f) => (v === undefined ? '' : f(v));
    const step = (v) => v.toLocaleString('en-US', { minimumFractionDigits: 1, maximumFractionDigits: 1 });
    const rows = ordered.map((g) => [name(g.engine), g.threads, cell(g.train['1x128'], int), cell(g.train['2x256'], int), cell(g.step['1x128'], step), cell(g.step['2x256'], step)]);
    const c = r.completion2x256;
    return withSource(
      res,
      table(['engine', 'threads', 'train 1×128, chars/s', 'train 2×256, chars/s', '1×128 step, µs', '2×256 step, µs'], rows),
      `Completion with the 2×256 model, ${c.chars} characters: greedy ${ms(c.greedyMs)} ms, beam-4 ${ms(c.beam4Ms)} ms.`,
    );
  },

  /** The engine bench against the targets of issue 3. */
  'engine-targets'(root, [arg]) {
    const res = readResult(root, arg.file);
    const f = engineFigures(res.r);
    return withSource(
      res,
      table(['target of issue 3', 'measured'], [
        ['train 2×256 at ≥ ½ PyTorch\'s chars/s', `${ratio(f.fused2x256 / f.torch2x256)} PyTorch (${int(f.fused2x256)} vs ${int(f.torch2x256)})`],
        ['train 1×128 (no target; for reference)', `${ratio(f.fused1x128 / f.torch1x128)} PyTorch`],
        ['2×256 step ≤ 130 µs and no slower than PyTorch', `${f.step2x256.toFixed(1)} µs; PyTorch ${f.torchStep2x256.toFixed(1)} µs (${ratio(f.torchStep2x256 / f.step2x256)} slower)`],
        ['greedy 40-character completion ≤ 6 ms', `${ms(f.greedyMs)} ms`],
      ]),
    );
  },

  /** One paragraph for the README's Speed section. */
  'speed-summary'(root, [arg]) {
    const res = readResult(root, arg.file);
    const f = engineFigures(res.r);
    return `On ${res.p.machine.split(',').slice(0, 2).join(',')}, in one run beside ${f.torchName}: the fused WebAssembly engine trains a 2×256 model at ${int(f.fused2x256)} characters/s on two threads (${ratio(f.fused2x256 / f.torch2x256)} PyTorch's ${int(f.torch2x256)}), a 1×128 at ${int(f.fused1x128)} (${ratio(f.fused1x128 / f.torch1x128)}); one 2×256 inference step takes ${Math.round(f.step2x256)} µs (PyTorch ${Math.round(f.torchStep2x256)} µs), a greedy 40-character completion ${ms(f.greedyMs)} ms. tf.layers on tfjs's wasm backend trains the 2×256 model at ${int(f.tfjsWasm2x256)} characters/s (\`bench/results/${res.rel}\`, ${res.p.date.slice(0, 10)}).`;
  },

  /** Event-loop delay while training (bench host-lag). */
  'host-lag'(root, [arg]) {
    const res = readResult(root, arg.file);
    const { r } = res;
    return withSource(
      res,
      table(['', 'p50 ms', 'p99 ms', 'max ms', 'train chars/s'], [
        ['idle main thread (noise floor)', r.idle.p50Ms.toFixed(1), r.idle.p99Ms.toFixed(1), r.idle.maxMs.toFixed(1), ''],
        ['**training in the worker**', r.p50Ms.toFixed(1), `**${r.p99Ms.toFixed(1)}**`, r.maxMs.toFixed(1), `**${int(r.charsPerSecond)}**`],
        ['training in-process (CLI path)', r.inProcess.p50Ms.toFixed(1), r.inProcess.p99Ms.toFixed(1), r.inProcess.maxMs.toFixed(1), int(r.cliCharsPerSecond)],
      ]),
      `The worker trained at ${ratio(r.workerOverCli)} the in-process characters/s, ${r.threads} thread, ${r.seconds} s per phase, on ${int(r.corpusChars)} characters.`,
    );
  },

  /** Typing while idle retraining runs in its worker, beside the same typing with nothing running (bench idle-training). */
  'idle-training'(root, [arg]) {
    const res = readResult(root, arg.file);
    const { r } = res;
    const names = { none: 'nothing running', 'idle-training': '**idle retraining** (as the editor runs it)', 'normal-priority-training': 'idle retraining at normal priority', 'unpaused-training': 'training never paused (low priority)' };
    const rows = r.conditions.map((c) => [
      names[c.condition] ?? c.condition,
      `${ms(c.completion.p50Ms)} ms`,
      `${ms(c.completion.p95Ms)} ms`,
      `${ms(c.searched.p95Ms)} ms`,
      `${ms(c.keystrokeLateness.p95Ms)} ms`,
      `${c.eventLoop.p99Ms.toFixed(1)} ms`,
      `${c.eventLoop.maxMs.toFixed(1)} ms`,
      c.condition === 'none' ? '' : `${int(c.trainingSteps)}${c.trainingBeforeTyping ? '' : c.trainingSteps === 0 ? ' (still scoring the working model)' : ' (began during the typing)'}`,
    ]);
    const t = r.typed;
    return withSource(
      res,
      table(['beside the typing', 'completion p50', 'completion p95', 'p95 of searches', 'keystroke timer late, p95', 'event loop p99', 'event loop max', 'training steps'], rows),
      `Each condition typed the same ${t.burstsPerCondition} bursts of ${t.charsPerBurst} keystrokes ${t.paceMs} ms apart (${int(r.conditions[0].completion.count)} completion requests), each after ${(t.gapMs / 1000).toFixed(1)} s idle (a paused run resumes ${(t.resumeAfterMs / 1000).toFixed(1)} s after the last keystroke), the conditions taking turns burst by burst; ${r.model}, ${r.ops}; the run trained on ${int(r.corpus.chars)} characters in ${int(r.corpus.files)} files. With idle retraining over without: completion p95 ${ratio(r.ratios.completionP95)}, event-loop p99 ${ratio(r.ratios.eventLoopP99)}.`,
    );
  },

  /** Keystrokes saved on a project's held-out 20% without and with the other files' names (bench/workspace-names-combine.js). */
  'workspace-names'(root, [arg]) {
    const res = readResult(root, arg.file);
    const { r } = res;
    const weights = r.projects[0].with.map((w) => w.occurrenceWeight);
    const head = ['project (held-out 20%)', 'typed', 'workspace', 'without', ...weights.map((w) => (w === r.chosenWeight ? `**with, ${w} per occurrence**` : `with, ${w}`))];
    const rows = r.projects.map((p) => [
      `${p.label}, ${p.role}`,
      `${int(p.chars.typed)} chars`,
      `${p.files.workspace} files, ${int(p.names.indexed)} names`,
      pct(p.without.keystrokesSaved),
      ...weights.map((w) => {
        const at = p.with.find((x) => x.occurrenceWeight === w);
        if (!at) return '';
        const points = 100 * (at.keystrokesSaved - p.without.keystrokesSaved);
        const cell = `${pct(at.keystrokesSaved)} (${points >= 0 ? '+' : ''}${signed(points, 1)} points)`;
        return w === r.chosenWeight ? `**${cell}**` : cell;
      }),
    ]);
    const chosen = r.projects[0];
    const rule = (t) => `${t.onlyWithoutDocumentMatch ? 'only where the document’s names match nothing' : 'beside the document’s names'}, from ${t.minPrefix} letter${t.minPrefix === 1 ? '' : 's'}`;
    const tried = (r.tuning ?? []).map((t) => `${rule(t)}: ${t.with.map((w) => `${pct(w.keystrokesSaved)} at ${w.occurrenceWeight}`).join(', ')}`);
    const sentence = `Offered ${rule(chosen)}. ${tried.length > 0 ? `Other weights and rules tried on ${chosen.label} (keystrokes saved; ${pct(chosen.without.keystrokesSaved)} without): ${tried.join('; ')}.` : ''}`.trim();
    return withSource(res, table(head, rows), sentence);
  },

  /** Held-out bits/char and keystrokes saved before and after fine-tuning on a project (bench/workspace-projects.sh). */
  workspace(root, [arg]) {
    const res = readResult(root, arg.file);
    const change = (before, after) => `${before.toFixed(3)} → ${after.toFixed(3)} (${relativeChange(before, after, 0)})`;
    // Results from before the workspace match have no cached figure: their tables keep three columns.
    const cached = res.r.projects.every((x) => x.before.cachedBitsPerChar !== undefined);
    const rows = res.r.projects.map((x) => [
      x.label,
      change(x.before.bitsPerChar, x.after.bitsPerChar),
      ...(cached ? [change(x.before.cachedBitsPerChar, x.after.cachedBitsPerChar)] : []),
      `${pct(x.before.keystrokesSaved)} → ${pct(x.after.keystrokesSaved)}`,
      `${x.trainSeconds.toFixed(0)} s`,
    ]);
    const head = ['project (held-out 20%)', 'bits/char, bundled → trained', ...(cached ? ['with the document cache (as completions predict)'] : []), 'keystrokes saved', 'training'];
    return withSource(res, table(head, rows));
  },

  /**
   * The same projects through bench workspace-projects.sh with the workspace
   * match off and on (two result files): per project, keystrokes saved and
   * bits/char as completions predict, before training and after.
   */
  'workspace-match'(root, [offArg, onArg]) {
    const off = readResult(root, offArg.file);
    const on = readResult(root, onArg.file);
    const points = (a, b) => `${b >= a ? '+' : ''}${signed(100 * (b - a), 1)} points`;
    const rows = on.r.projects.map((x) => {
      const y = off.r.projects.find((p) => p.dir === x.dir);
      if (!y) throw new Error(`${offArg.file} has no run on ${x.dir}`);
      return [
        x.label,
        `${y.before.cachedBitsPerChar.toFixed(3)} → ${x.before.cachedBitsPerChar.toFixed(3)}`,
        `${pct(y.before.keystrokesSaved)} → ${pct(x.before.keystrokesSaved)} (${points(y.before.keystrokesSaved, x.before.keystrokesSaved)})`,
        `${pct(y.after.keystrokesSaved)} → ${pct(x.after.keystrokesSaved)} (${points(y.after.keystrokesSaved, x.after.keystrokesSaved)})`,
      ];
    });
    const head = ['project (held-out 20%)', 'bits/char with the document cache, bundled model: off → on', 'keystrokes saved, bundled model: off → on', 'after training: off → on'];
    return [table(head, rows), `Source, off: ${sourceLine(off)}`, `Source, on: ${sourceLine(on)}`].join('\n\n');
  },

  /** Load and soak of inline completion (bench soak). */
  soak(root, [arg]) {
    const res = readResult(root, arg.file);
    const { r } = res;
    const mb = (b) => `${(b / 1e6).toFixed(1)} MB`;
    const mib = (b) => `${int(b / (1 << 20))} MiB`;
    return [
      table(['', 'first tenth', 'last tenth', 'whole run'], [
        [`requests (of ${int(r.keystrokes)} keystrokes)`, '', '', `${int(r.requests)} (${int(r.shown)} shown, ${int(r.accepted)} accepted)`],
        ['p50 per request', `${ms(r.firstTenth.p50Ms)} ms`, `${ms(r.lastTenth.p50Ms)} ms`, ''],
        ['**p95 per request**', `**${ms(r.firstTenth.p95Ms)} ms**`, `**${ms(r.lastTenth.p95Ms)} ms**`, `${ms(r.p95Ms)} ms (max ${ms(r.maxMs)} ms)`],
        ['p95 of requests that ran a search', `${ms(r.firstTenth.searchedP95Ms)} ms (${r.firstTenth.searched})`, `${ms(r.lastTenth.searchedP95Ms)} ms (${r.lastTenth.searched})`, ''],
      ]),
      '',
      table(['memory', 'start', `end (${Math.round(r.simulatedMinutes)} min)`], [
        ['RSS', `**${mb(r.start.rssBytes)}**`, mb(r.end.rssBytes)],
        ['JS heap used', mb(r.start.heapUsedBytes), mb(r.end.heapUsedBytes)],
        ['array buffers (weights, wasm memory, states)', mb(r.start.arrayBuffersBytes), mb(r.end.arrayBuffersBytes)],
        [`document states (all ${r.states.endDocuments})`, '', `${mb(r.states.endTotalBytes)}, at most ${mb(r.states.maxDocumentBytes)} for one document (budgets: ${mib(r.states.documentBudgetBytes)} per document, ${mib(r.states.memoryBudgetBytes)} in all)`],
      ]),
      '',
      `${r.docs} documents, ${r.simulatedMinutes.toFixed(0)} simulated minutes in ${r.realSeconds.toFixed(1)} s; the bare process before the model loaded: RSS ${mb(r.baseline.rssBytes)}; RSS at each tenth: ${r.byTenth.map((m) => (m.rssBytes / 1e6).toFixed(0)).join(', ')} MB.`,
      '',
      `- Source: ${sourceLine(res)}`,
      ...settingsNotes(root, [res]),
    ].join('\n');
  },

  /**
   * One project's one-minute fine-tuning under several recipes (bench
   * workspace, a run per row): held-out bits/char and keystrokes saved after.
   */
  'fine-tune-recipe'(root, [arg]) {
    const res = readResult(root, arg.file);
    const { r } = res;
    const rows = r.runs.map((x) => [
      String(x.learningRate),
      String(x.batch),
      String(x.threads),
      x.trainSeconds.toFixed(0),
      `${x.before.bitsPerChar.toFixed(3)} → ${x.after.bitsPerChar.toFixed(3)}`,
      relativeChange(x.before.bitsPerChar, x.after.bitsPerChar, 1),
      `${pct(x.before.keystrokesSaved)} → ${pct(x.after.keystrokesSaved)}`,
    ]);
    return withSource(res, `${r.project}, ${r.minutes} minute of training per run, in the order run:`, table(['rate', 'batch', 'threads', 'trained s', 'held-out bits/char', 'change', 'keystrokes saved'], rows));
  },

  /** The fine-tuning recipes on several projects (bench workspace per recipe and project): per recipe, each project's change and the mean. */
  'fine-tune-recipes'(root, [arg]) {
    const res = readResult(root, arg.file);
    const projects = [...new Set(res.r.rows.map((x) => x.project))];
    const recipes = [];
    for (const x of res.r.rows) {
      const key = `${x.learningRate} ${x.batch} ${x.anneal} ${x.patience}`;
      let recipe = recipes[recipes.length - 1];
      if (!recipe || recipe.key !== key || recipe.runs.has(x.project)) recipes.push((recipe = { key, x, runs: new Map() }));
      recipe.runs.set(x.project, x);
    }
    const change = (x) => x.after.bitsPerChar / x.before.bitsPerChar - 1;
    const rows = recipes.map(({ x, runs }) => {
      const got = projects.map((p) => runs.get(p));
      const mean = got.every(Boolean) ? got.reduce((a, y) => a + change(y), 0) / got.length : null;
      return [String(x.learningRate), String(x.batch), x.anneal ? `over ${pct(x.anneal)}` : 'none', String(x.patience),
        ...got.map((y) => (y ? `${relativeChange(y.before.bitsPerChar, y.after.bitsPerChar, 1)}, ${pct(y.after.keystrokesSaved)} (${y.trainSeconds.toFixed(0)} s)` : '–')),
        mean === null ? '–' : `${mean < 0 ? '−' : '+'}${Math.abs(100 * mean).toFixed(1)}%`];
    });
    return withSource(res, table(['rate', 'batch', 'anneal', 'patience', ...projects.map((p) => `${p}: bits/char change, keystrokes saved after (trained)`), 'mean change'], rows));
  },

  /**
   * bench concept-labels: per language and yes/no concept, the best cell
   * against the lexers' labels and against tree-sitter's, each with the
   * random model's best (in brackets), and the share of labels that differ.
   */
  'concept-labels'(root, [arg]) {
    const res = readResult(root, arg.file);
    const rows = [];
    for (const { folder, result } of res.r.folders) {
      for (const row of result.rows.filter((x) => x.positives)) {
        const differ = row.lexical.score.toFixed(3) !== row.tree.score.toFixed(3);
        const show = (x) => `${cellName(x.cell)} ${differ ? `**${x.score.toFixed(3)}**` : x.score.toFixed(3)} (${x.randomScore.toFixed(3)})`;
        rows.push([languageOf(folder), `\`${row.concept}\``, show(row.lexical), show(row.tree), row.disagree === 0 ? '0' : pct(row.disagree)]);
      }
    }
    return withSource(res, table(['language', 'concept', 'lexers: best cell, AUROC (random)', 'tree-sitter: best cell, AUROC (random)', 'labels differ'], rows));
  },

  /**
   * bench concept-labels, tree-sitter labels: per language and yes/no
   * concept, where the best cell errs (treeErrors): the yes-characters by
   * their position in the span, the no-characters just after a span and
   * inside strings or comments, each group's AUROC against the whole other
   * class, and the share of its class it holds.
   */
  'cell-errors'(root, [arg]) {
    const res = readResult(root, arg.file);
    const positives = ['span 1', 'span 2-8', 'span 9-32', 'span 33+'];
    const negatives = ['after span', 'in a comment', 'in a string', 'elsewhere'];
    const rows = [];
    for (const { folder, result } of res.r.folders) {
      for (const row of result.rows.filter((x) => x.treeErrors)) {
        const e = row.treeErrors;
        const total = (groups) => groups.reduce((a, g) => a + g.count, 0);
        const show = (groups, name) => {
          const g = groups.find((x) => x.group === name);
          return g ? `${g.auroc.toFixed(2)} (${Math.round((100 * g.count) / total(groups))}%)` : '–';
        };
        rows.push([languageOf(folder), `\`${row.concept}\``, `${cellName(row.tree.cell)} ${e.auroc.toFixed(3)}`, ...positives.map((n) => show(e.positives, n)), ...negatives.map((n) => show(e.negatives, n))]);
      }
    }
    return withSource(res, table(['language', 'concept', 'best cell, AUROC', ...positives.map((n) => (n === 'span 1' ? 'yes: first character of the span' : `yes: ${n.replace('span ', 'characters ')}`)), ...negatives.map((n) => (n === 'after span' ? 'no: the 2 characters after a span' : `no: ${n}`))], rows));
  },

  /**
   * bench concept-labels, tree-sitter labels: per language and count
   * concept, the best cell's mean in each band of the count (treeCurve),
   * signed to rise with it, and the share of characters in the band.
   */
  'count-curves'(root, [arg]) {
    const res = readResult(root, arg.file);
    const bands = ['0', '1', '2-3', '4-7', '8-15', '16-31', '32-63', '64+'];
    const rows = [];
    for (const { folder, result } of res.r.folders) {
      for (const row of result.rows.filter((x) => x.treeCurve)) {
        const total = row.treeCurve.reduce((a, b) => a + b.count, 0);
        const show = (name) => {
          const b = row.treeCurve.find((x) => x.band === name);
          return b ? `${signed(b.mean, 2)} (${Math.round((100 * b.count) / total)}%)` : '–';
        };
        rows.push([languageOf(folder), `\`${row.concept}\``, `${cellName(row.tree.cell)} ρ ${signed(row.tree.score, 2)}`, ...bands.map(show)]);
      }
    }
    return withSource(res, table(['language', 'concept', 'best cell', ...bands.map((b) => `level ${b}`)], rows));
  },

  /**
   * bench concept-labels of several models (FILE="label"), tree-sitter
   * labels: per language and model, each concept's best cell and score,
   * the random model's score in brackets.
   */
  'concepts-by-language'(root, args) {
    const runs = args.map((a) => ({ ...readResult(root, a.file), label: a.label }));
    const concepts = [['inString', 'in a string, AUROC'], ['inComment', 'in a comment, AUROC'], ['inIfCondition', 'in an if-condition, AUROC'], ['indentDepth', 'indentation, ρ'], ['linePosition', 'line position, ρ']];
    const languages = [...new Set(runs.flatMap((x) => x.r.folders.map((f) => f.folder)))];
    const rows = [];
    for (const folder of languages) {
      for (const run of runs) {
        const found = run.r.folders.find((f) => f.folder === folder);
        if (!found) continue;
        rows.push([languageOf(folder), run.label, ...concepts.map(([name]) => {
          const row = found.result.rows.find((x) => x.concept === name);
          return row ? `${cellName(row.tree.cell)} ${signed(row.tree.score, 2)} (${signed(row.tree.randomScore, 2)})` : '—';
        })]);
      }
    }
    return [
      table(['language', 'model', ...concepts.map(([, title]) => title)], rows),
      '',
      ...runs.map((x) => `- Source: ${sourceLine(x)}`),
    ].join('\n');
  },

  /**
   * The heatmap screenshots' cells (test/e2e/screenshots/heatmapFigures.ts
   * writes cells.json beside the images): per concept, the cell the panel
   * listed first for the file with the bundled model and with a random one,
   * and the panel's own scores ("control": the panel's random model).
   */
  'heatmap-shots'(root, [arg]) {
    const res = readResult(root, arg.file);
    const TITLES = { inString: 'in a string', inComment: 'in a comment', indentDepth: 'indentation depth', inIfCondition: 'in an if-condition' };
    const scoreOf = (detail) => {
      const m = /this file: (AUROC|ρ =) (-?[\d.]+) .*random model (?:AUROC|ρ =) (-?[\d.]+)/.exec(detail);
      if (!m) throw new Error(`${res.rel}: cannot read the panel's line "${detail}"`);
      const kind = m[1] === 'AUROC' ? 'AUROC' : 'ρ';
      return { kind, score: Number(m[2]), control: Number(m[3]) };
    };
    const num = (x) => signed(x, 3);
    const rows = Object.entries(TITLES).map(([concept, title]) => {
      const of = (model) => res.r.picked.find((p) => p.model === model && p.concept === concept);
      const bundled = of('bundled');
      const random = of('random');
      if (!bundled || !random) throw new Error(`${res.rel} has no ${concept} figure for both models`);
      const b = scoreOf(bundled.detail);
      const r = scoreOf(random.detail);
      return [title, `${cellName(bundled.cell)}, ${b.kind} ${num(b.score)} (control ${num(b.control)})`, `${cellName(random.cell)}, ${r.kind} ${num(r.score)}`];
    });
    return withSource(res, table(['concept', 'bundled model', 'random model'], rows));
  },

  /**
   * The best cell per concept (cells --json), beside a random model of the
   * same shape; further files (earlier models, labelled) get one column each
   * with their best cell and score on their own run. Yes/no concepts are
   * scored by AUROC, counts by Spearman ρ.
   */
  'named-cells'(root, args) {
    const runs = args.map((a) => ({ ...readResult(root, a.file, ['command', 'weights', 'machine', 'date']), label: a.label }));
    const score = (c) => ('auroc' in c ? `AUROC ${c.auroc.toFixed(3)}` : `ρ ${signed(c.rho, 3)}`);
    const cell = (c) => cellName(`layer ${c.layer ?? 0} ${c.kind}[${c.cell}]`);
    const [main, ...earlier] = runs;
    const rows = Object.entries(main.r.concepts).map(([name, c]) => [
      `\`${name}\``,
      cell(c),
      score(c),
      signed(c.r, 3),
      `${cell(c.random)}, ${score(c.random)}`,
      ...earlier.map((e) => (e.r.concepts[name] ? `${cell(e.r.concepts[name])}, ${score(e.r.concepts[name])}` : '—')),
    ]);
    return [
      table(['concept', 'best cell', 'AUROC / ρ', 'r', 'random model: cell, AUROC / ρ', ...earlier.map((e) => `${e.label}: cell, AUROC / ρ`)], rows),
      '',
      ...runs.map((x) => `- Source: ${sourceLine({ ...x, p: { ...x.p, command: shortCommand(x.p.command) } })}`),
    ].join('\n');
  },

  /**
   * Cells against tree-sitter node types (cells --syntax --json), one result
   * file per language: the five node types with the highest AUROC, then the
   * three others with the largest margin over the random model.
   */
  'syntax-cells'(root, args) {
    const runs = args.map((a) => ({ ...readResult(root, a.file, ['command', 'weights', 'machine', 'date']), label: a.label }));
    const rows = [];
    for (const { r, label, rel } of runs) {
      if (!r.syntax) throw new Error(`bench/results/${rel} has no syntax rankings (run cells with --syntax)`);
      const ranked = Object.entries(r.syntax).map(([type, c]) => ({ type, c, margin: c.auroc - c.random.auroc }));
      const byAuroc = [...ranked].sort((a, b) => b.c.auroc - a.c.auroc || b.margin - a.margin || a.type.localeCompare(b.type)).slice(0, 5);
      const byMargin = ranked.filter((x) => !byAuroc.includes(x)).sort((a, b) => b.margin - a.margin || a.type.localeCompare(b.type)).slice(0, 3);
      for (const [x, why] of [...byAuroc.map((x) => [x, 'top AUROC']), ...byMargin.map((x) => [x, 'top margin'])]) {
        const sign = x.margin >= 0 ? '+' : '−';
        rows.push([label, `\`${x.type}\``, int(x.c.nodes), `layer ${x.c.layer} ${x.c.kind}[${x.c.cell}]`, x.c.auroc.toFixed(3), x.c.random.auroc.toFixed(3), `${sign}${Math.abs(x.margin).toFixed(3)}`, why]);
      }
    }
    return [
      table(['language', 'node type', 'nodes', 'best cell', 'AUROC', 'random model', 'margin', 'listed for'], rows),
      '',
      ...runs.map((x) => `- Source: ${sourceLine(x)}`),
    ].join('\n');
  },

  /** Dictionaries of several sizes side by side (bench features, one file per setting): reconstruction against how cleanly the best features read. */
  'features-sweep'(root, args) {
    const runs = args.map((a) => ({ ...readResult(root, a.file), label: a.label }));
    const rows = runs.map(({ r, label }) => {
      const t = r.trained;
      const d = t.dictionary;
      const c = (name) => t.concepts[name].feature.separation.toFixed(3);
      return [label, String(d.k), String(d.epochs), `${t.heldOut.fvu.toFixed(3)} (${t.train.fvu.toFixed(3)})`, t.heldOut.meanActive.toFixed(1), int(t.heldOut.deadFeatures), c('inString'), c('inComment'), c('inIfCondition'), `${t.trainWallSeconds.toFixed(0)} s`];
    });
    const cells = runs[0].r.trained.concepts;
    const cell = (name) => cells[name].cell.separation.toFixed(3);
    const sentence = `The best single cells on the same held-out characters: string ${cell('inString')}, comment ${cell('inComment')}, if-condition ${cell('inIfCondition')}.`;
    return [
      table(['dictionary', 'k', 'epochs', 'FVU held-out (training)', 'active per character, held-out', 'dead features', 'string', 'comment', 'if-condition', 'training wall'], rows),
      '',
      sentence,
      '',
      ...runs.map((x) => `- Source: ${sourceLine(x)}`),
    ].join('\n');
  },

  /**
   * The sparse dictionary on held-out code (bench features --json): its
   * reconstruction and sparsity beside the random model's, then per yes/no
   * concept the best feature against the best single cell, with the issue's
   * targets (feature ≥ cell + 0.02; ≥ 0.98 for strings and comments).
   */
  features(root, [arg]) {
    const res = readResult(root, arg.file);
    const { r } = res;
    const t = r.trained;
    const rnd = r.randomControl;
    const both = (f) => [f(t), rnd ? f(rnd) : '—'];
    const d = t.dictionary;
    const verdict = (ok) => (ok ? 'met' : 'not met');
    const summary = table(
      ['', 'the model', 'random model', 'target (the model)'],
      [
        ['fraction of variance unexplained, held-out (training)', ...both((m) => `${m.heldOut.fvu.toFixed(3)} (${m.train.fvu.toFixed(3)})`), `≤ 0.1 held-out: ${verdict(t.heldOut.fvu <= 0.1)}`],
        // Results from before the linear baseline was measured have no such row.
        ...(t.linearBaseline
          ? [[`a linear code instead: held-out FVU on the top ${t.linearBaseline.directions.join(' / ')} principal directions`, ...both((m) => (m.linearBaseline ? m.linearBaseline.heldOutFvu.map((f) => f.toFixed(3)).join(' / ') : '—')), '']]
          : []),
        ['dead features on the held-out characters', ...both((m) => `${int(m.heldOut.deadFeatures)} of ${int(m.dictionary.features)}`), ''],
        ['mean active features per character', ...both((m) => m.heldOut.meanActive.toFixed(1)), ''],
        [`training on ${int(d.rows)} characters: wall (CPU)`, ...both((m) => `${m.trainWallSeconds.toFixed(0)} s (${m.trainCpuSeconds.toFixed(0)} s)`), `≤ 60 s wall on 2 cores: ${verdict(t.trainWallSeconds <= 60)}`],
      ],
    );
    const targets = { inString: 0.98, inComment: 0.98, inIfCondition: null };
    const rows = Object.entries(targets).map(([name, floor]) => {
      const c = t.concepts[name];
      const rc = rnd?.concepts[name];
      const needed = Math.max(c.cell.separation + 0.02, floor ?? 0);
      const met = c.feature.separation >= needed;
      return [
        `\`${name}\``,
        `${c.feature.separation.toFixed(3)} (#${c.feature.index})`,
        c.feature.firesOnPositives === undefined ? '—' : `${(100 * c.feature.firesOnPositives).toFixed(0)}% / ${(100 * c.feature.firesOnNegatives).toFixed(1)}%`,
        c.featurePreActivation.separation.toFixed(3),
        `${c.cell.separation.toFixed(3)} (${cellName(c.cell.name)})`,
        rc ? `${rc.feature.separation.toFixed(3)} / ${rc.cell.separation.toFixed(3)}` : '—',
        // An AUROC is at most 1: past a cell above 0.98 the +0.02 cannot be reached by any feature.
        `≥ ${needed.toFixed(3)}: ${met ? 'met' : needed > 1 ? 'cannot be met (an AUROC is at most 1)' : 'not met'}`,
      ];
    });
    const aurocs = table(['held-out AUROC (either way round)', 'best feature', 'it fires on (yes / no characters)', 'its pre-activation', 'best single cell', 'random model: feature / cell', 'target'], rows);
    const s = r.settings;
    // An npm package's folder is named by its package (mobx-6.13.5/package/src: mobx-6.13.5), a split's by its own name (immer@11.2.14).
    const folderName = (f) => `\`${path.basename(path.dirname(f)) === 'package' ? path.basename(path.dirname(path.dirname(f))) : path.basename(f)}\``;
    const sentence =
      `A ${int(d.features)}-feature dictionary (k = ${d.k}, ${d.epochs} epoch${d.epochs === 1 ? '' : 's'}, ${int(d.steps)} steps${s.nested && s.nested.length === 0 ? ', no nesting' : ''}) over the ${int(d.dim)} numbers of the state, ` +
      `trained on ${int(d.rows)} characters of ${r.trainFiles.folders.map(folderName).join(' and ')} ` +
      `(${int(r.trainFiles.files)} files) and measured on ${int(t.heldOut.rows)} characters of ${r.heldOutFiles.folders.map(folderName).join(', ')} (${int(r.heldOutFiles.files)} files); ` +
      `load average ${r.machine.loadAverageBefore[0]} before and ${r.machine.loadAverageAfter[0]} after${res.p.note ? ` (${res.p.note})` : ''}.`;
    return withSource(res, summary, aurocs, sentence);
  },

  /** The cell types side by side (compare --json): its text report without the samples, under the command. */
  compare(root, [arg]) {
    const res = readResult(root, arg.file, ['command', 'weights', 'machine', 'date']);
    const lines = [];
    let inSamples = false;
    for (const line of res.r.report) {
      if (line.startsWith('samples (')) inSamples = true;
      else if (line === '') inSamples = false;
      if (!inSamples) lines.push(line.trimEnd());
    }
    // The column heads stand over the numbers of the line below them (the report starts them at the margin).
    if (lines.length > 1 && !/\d/.test(lines[0])) lines[0] = lines[0].padStart(lines[1].length);
    const body = lines.join('\n').replace(/\n{3,}/g, '\n\n');
    return withSource(res, ['```text', `$ ${res.p.command}`, body, '```'].join('\n'));
  },

  /** Training speed of the three cell types at one shape per result file (bench cells --json). */
  'cell-types'(root, args) {
    const runs = args.map((a) => readResult(root, a.file, ['command', 'weights', 'machine', 'date']));
    const rows = [];
    for (const { r } of runs) {
      const shape = r.shape.replace('x', '×');
      for (const [cell, name] of [['lstm', 'LSTM'], ['gru', 'GRU'], ['rnn', 'RNN']]) {
        const over = (key) => (r[key][cell] / r[key].lstm).toFixed(2);
        rows.push([shape, name, int(r.charsPerSecond[cell]), int(r.charsPerCpuSecond[cell]), over('charsPerSecond'), over('charsPerCpuSecond')]);
      }
    }
    const header = `| shape | cell | chars/s | chars per CPU second | × LSTM (wall) | × LSTM (CPU) |\n|---|---|---:|---:|---:|---:|`;
    return [header, ...rows.map((row) => `| ${row.join(' | ')} |`), '', ...runs.map((x) => `- Source: ${sourceLine(x)}`)].join('\n');
  },

  /** lstm-lens train beside the PyTorch trainer, the same model for the same minutes (bench/torch-vs-fused.sh). */
  trainers(root, [arg]) {
    const res = readResult(root, arg.file);
    const { r } = res;
    const row = (name, t) => [name, int(t.charsPerSecond), String(t.steps), t.valBitsPerChar.toFixed(3)];
    return withSource(
      res,
      table(['trainer', 'chars/s', 'steps', `val bits/char after ${r.minutesEach} min`], [row(`fused, 2 threads`, r.fused), row(`PyTorch ${r.machine.torch.replace(/a0$/, '')} on CPU, ${r.machine.torchThreads} torch thread`, r.pytorch)]),
      `PyTorch at ${ratio(r.pytorchOverFused)} the fused engine's characters/s; load average ${r.machine.loadAverageBefore[0].toFixed(1)} before, ${r.machine.loadAverageAfter[0].toFixed(1)} after.`,
    );
  },

  /** Model card: packages and text per language and split (corpus/split-summary.json). */
  'card-corpus'(root) {
    return [card.corpusTable(card.readSummary(root)), '', 'Source: `corpus/split-summary.json`, written by `node scripts/split-corpus.js`.'].join('\n');
  },

  /** Model card: the test packages, the model beside the other folders named, the 6-gram and xz (scripts/model-card-figures.sh). */
  'card-test'(root, args) {
    return cardRegion(root, 'scripts/model-card-figures.sh', (reader) => card.testTable(reader, card.cardFolders(args)));
  },

  /** Model card: the same test files re-indented (eval --reindent). */
  'card-style'(root, args) {
    return cardRegion(root, 'scripts/model-card-figures.sh', (reader) => card.styleTable(reader, card.cardFolders(args)));
  },

  /** Model card: bits/char with the document cache mixed in (eval --document-match), the model and the 6-gram alike. */
  'card-cache'(root, args) {
    return cardRegion(root, 'scripts/model-card-figures.sh', (reader) => card.cacheTable(reader, card.cardFolders(args)));
  },

  /** Model card: the first folder against the targets of the issue that asked for the model. */
  'card-targets'(root, args) {
    return cardRegion(root, 'scripts/model-card-figures.sh', (reader) => card.targetsTable(reader, card.cardFolders(args)));
  },

  /** Model card: the candidates on the validation packages (train-default.sh), one folder. */
  'card-validation'(root, [arg]) {
    if (!arg) throw new Error('name the sweep folder under bench/results/');
    return cardRegion(root, 'scripts/train-default.sh', (reader) => card.validationTable(reader, arg.file));
  },
};

function engineFigures(r) {
  const find = (pred) => r.rows.find(pred);
  const fused = (model, threads) => find((x) => x.engine.startsWith('fused') && x.model === model && x.threads === threads);
  const torch = (model) => find((x) => x.engine.startsWith('pytorch') && x.model === model);
  const need = (row, key, what) => {
    if (!row || row[key] === undefined) throw new Error(`the engine bench result has no ${what}`);
    return row[key];
  };
  return {
    fused1x128: need(fused('1x128', '2'), 'trainCharsPerSecond', 'fused 1x128 two-thread training'),
    fused2x256: need(fused('2x256', '2'), 'trainCharsPerSecond', 'fused 2x256 two-thread training'),
    step2x256: need(fused('2x256', '1 (batch 1)'), 'stepUs', 'fused 2x256 step'),
    torch1x128: need(torch('1x128'), 'trainCharsPerSecond', 'PyTorch 1x128 training'),
    torch2x256: need(torch('2x256'), 'trainCharsPerSecond', 'PyTorch 2x256 training'),
    torchStep2x256: need(torch('2x256'), 'stepUs', 'PyTorch 2x256 step'),
    torchName: `PyTorch ${torch('2x256').engine.replace(/^pytorch\s*/, '').replace(/a0$/, '')}`.trim(),
    tfjsWasm2x256: need(find((x) => x.engine === 'tfjs-wasm' && x.model === '2x256' && x.threads === '1'), 'trainCharsPerSecond', 'tfjs wasm 2x256 training'),
    greedyMs: r.completion2x256.greedyMs,
  };
}

/** A model card table under the lines naming the folders it read (eval runs carry their settings in the command). */
function cardRegion(root, writer, render) {
  const reader = card.cardReader(root, (rel) => readResult(root, rel, ['command', 'weights', 'machine', 'date']));
  const text = render(reader);
  return [text, '', `Source, written by \`${writer}\` (each file holds its command):`, ...reader.sources()].join('\n');
}

// ------------------------------------------------------------------ figures in sentences

/** How an inline figure is written: fN (N decimals, a true minus sign), pctN (× 100, N decimals, %), int (thousands separated), xN (N decimals, ×), mN (in millions, N decimals, " M": characters seen), sci (one digit × a power of ten). */
const SUPERSCRIPT = { '-': '⁻', 0: '⁰', 1: '¹', 2: '²', 3: '³', 4: '⁴', 5: '⁵', 6: '⁶', 7: '⁷', 8: '⁸', 9: '⁹' };
const FORMATS = {
  f: (v, n) => signed(v, n),
  pct: (v, n) => `${signed(100 * v, n)}%`,
  x: (v, n) => `${v.toFixed(n)}×`,
  m: (v, n) => `${(v / 1e6).toFixed(n)} M`,
  int: (v) => int(v),
  sci: (v) => {
    const [digit, exponent] = v.toExponential(0).split('e');
    return `${digit}·10${String(Number(exponent)).replace(/./g, (c) => SUPERSCRIPT[c])}`;
  },
};

function formatFigure(format, v) {
  const m = /^(f|pct|x|m)([0-4])$|^(int|sci)$/.exec(format);
  if (!m) throw new Error(`unknown format "${format}" (known: f0…f4, pct0…pct4, x0…x4, m0…m4, int, sci)`);
  return m[3] ? FORMATS[m[3]](v) : FORMATS[m[1]](v, Number(m[2]));
}

/** The number at a dotted PATH of a result file (array items by index). */
function valueAt(res, dotted) {
  let x = res.r;
  const keys = dotted.split('.');
  for (const [i, key] of keys.entries()) {
    if (x === null || typeof x !== 'object' || !Object.prototype.hasOwnProperty.call(x, key)) {
      const parent = keys.slice(0, i).join('.') || 'the top level';
      throw new Error(`bench/results/${res.rel} has no ${dotted} (no "${key}" in ${parent})`);
    }
    x = x[key];
  }
  if (typeof x !== 'number' || !Number.isFinite(x)) throw new Error(`bench/results/${res.rel}: ${dotted} is not a number`);
  return x;
}

/**
 * Every inline figure of one doc's text written anew from its file; `stale`
 * names each whose text changed, with its line and both texts. A mark the
 * pattern cannot take (a figure broken over two lines, a lone closing mark)
 * would go unchecked, so it is an error; so is a figure at the start of a
 * line, which Markdown would read as the start of an HTML block.
 */
function renderFigures(root, text, doc) {
  const lineOf = (offset) => text.slice(0, offset).split('\n').length;
  const matches = [...text.matchAll(FIGURE)];
  const opens = new Set(matches.map((m) => m.index));
  const closes = new Set(matches.map((m) => m.index + m[0].length - '<!-- /fig -->'.length));
  for (const m of text.matchAll(/<!-- fig:\S*#/g)) {
    if (!opens.has(m.index)) throw new Error(`${doc}:${lineOf(m.index)}: a <!-- fig: --> mark without its <!-- /fig --> on the same line`);
  }
  for (const m of text.matchAll(/<!-- \/fig -->/g)) {
    if (!closes.has(m.index)) throw new Error(`${doc}:${lineOf(m.index)}: a <!-- /fig --> mark without its <!-- fig: --> on the same line`);
  }
  const stale = [];
  const cache = new Map();
  let out = '';
  let last = 0;
  for (const m of matches) {
    const [whole, file, dotted, format, shown] = m;
    const line = lineOf(m.index);
    const name = `fig:${file}#${dotted} ${format}`;
    let fresh;
    try {
      if (/^[ \t]*$/.test(text.slice(text.lastIndexOf('\n', m.index - 1) + 1, m.index))) throw new Error('a figure must not start its line (Markdown would take the line for an HTML block): put a word before it');
      if (!file || !dotted) throw new Error('write it as <!-- fig:FILE#PATH FORMAT -->');
      if (!cache.has(file)) cache.set(file, readResult(root, file, ['command', 'weights', 'machine', 'date']));
      const res = cache.get(file);
      const parts = dotted.split('/');
      if (parts.length > 2) throw new Error('a path is one PATH or a ratio PATH/PATH');
      const v = parts.length === 2 ? valueAt(res, parts[0]) / valueAt(res, parts[1]) : valueAt(res, parts[0]);
      fresh = formatFigure(format, v);
    } catch (err) {
      throw new Error(`${doc}:${line}: ${name}: ${err.message}`);
    }
    if (fresh !== shown) stale.push({ name: `${doc}:${line}: ${name}`, detail: ` (the text said "${shown}", the file gives "${fresh}")` });
    out += `${text.slice(last, m.index)}<!-- fig:${file}#${dotted} ${format} -->${fresh}<!-- /fig -->`;
    last = m.index + whole.length;
  }
  return { text: out + text.slice(last), stale };
}

// ------------------------------------------------------------------ docs

/** Every figure and region of one doc's text rendered anew; `stale` names those whose text changed. */
function renderText(root, text, doc) {
  const figures = renderFigures(root, text, doc);
  const stale = [...figures.stale];
  const out = figures.text.replace(REGION, (whole, kind, argText) => {
    const render = RENDERERS[kind];
    if (!render) throw new Error(`${doc}: unknown figures region "${kind}" (known: ${Object.keys(RENDERERS).join(', ')})`);
    let body;
    try {
      body = render(root, parseArgs(argText.trim()));
    } catch (err) {
      throw new Error(`${doc}, figures:${kind}: ${err.message}`);
    }
    const fresh = `<!-- figures:${kind}${argText} -->\n${body}\n<!-- /figures:${kind} -->`;
    if (fresh !== whole) stale.push({ name: `${doc}: figures:${kind}${argText}`, detail: '' });
    return fresh;
  });
  return { text: out, stale };
}

function renderDocs(root, docs = DOCS) {
  return docs
    .filter((doc) => fs.existsSync(path.join(root, doc)))
    .map((doc) => ({ doc, ...renderText(root, fs.readFileSync(path.join(root, doc), 'utf8'), doc) }));
}

module.exports = { renderDocs, renderText, renderFigures, readResult, RENDERERS };

if (require.main === module) {
  const root = path.resolve(__dirname, '..');
  const check = process.argv.includes('--check');
  let stale = 0;
  try {
    for (const { doc, text, stale: names } of renderDocs(root)) {
      for (const { name, detail } of names) {
        stale++;
        process.stderr.write(`figure-tables: ${name} ${check ? 'is stale' : 'rewritten'}${detail}\n`);
      }
      if (!check && names.length > 0) fs.writeFileSync(path.join(root, doc), text);
    }
  } catch (err) {
    process.stderr.write(`figure-tables: ${err.message}\n`);
    process.exit(1);
  }
  if (check && stale > 0) {
    process.stderr.write('figure-tables: run node scripts/figure-tables.js to rewrite them from bench/results/\n');
    process.exit(1);
  }
}
