#!/usr/bin/env node
// The tables of models/default/MODEL_CARD.md, from committed result files:
// the corpus (corpus/split-summary.json, written by split-corpus.js), the
// models on the test packages (bench/results/card*, written by
// scripts/model-card-figures.sh) and the candidates on the validation
// packages (bench/results/sweep/<name>.val.<language>.json, written by
// train-default.sh and copied there from .cache/sweep).
//
// scripts/figure-tables.js writes them into the card's `<!-- figures:card-… -->`
// regions (and `npm test` fails when one is stale); run on its own, this
// script prints them with the card's folders, to look at before a new stage:
//   node scripts/model-card-tables.js [--validation]
//
// A region names its folders under bench/results/, each optionally with the
// label of its columns:
//   <!-- figures:card-test card="LSTM" card-stage1="stage 1" card-previous="previous model" -->
// The first folder is the model the card is about; the others stand beside
// it (earlier stages, then the previous model). The 6-gram's and xz's
// figures come from the first folder whose files carry them
// (model-card-figures.sh measures them with one model: `baseline`,
// `xzBitsPerChar`). A new stage's folder is one more argument.
'use strict';
const fs = require('fs');
const path = require('path');

const LANGS = ['typescript', 'javascript', 'python', 'c', 'cpp', 'go', 'rust', 'shell'];
const NAMES = { typescript: 'TypeScript', javascript: 'JavaScript', python: 'Python', c: 'C', cpp: 'C++', go: 'Go', rust: 'Rust', shell: 'shell' };

const kib = (n) => `${Math.round(n / 1024).toLocaleString('en-US')} KiB`;
const pct = (x) => (x === undefined || x === null ? '–' : `${(100 * x).toFixed(1)}%`);
const bpc = (x) => (x === undefined || x === null ? '–' : x.toFixed(3));
const signed = (x) => (x === null || x === undefined ? '–' : `${x >= 0 ? '+' : ''}${x.toFixed(3)}`);
const row = (cells) => `| ${cells.join(' | ')} |`;
const table = (head, rows) => [row(head), `|${' --- |'.repeat(head.length)}`, ...rows.map(row)].join('\n');

/**
 * The card's view of bench/results: `result(rel)` is the parsed result file,
 * or null when there is none; `folders` lists what it read, for the source
 * lines. `readFile(rel)` reads one file that exists (figure-tables.js passes
 * its reader, which refuses a file without provenance).
 */
function cardReader(root, readFile) {
  const read = new Map();
  return {
    result(rel) {
      if (!fs.existsSync(path.join(root, 'bench', 'results', rel))) return null;
      const res = readFile(rel);
      read.set(rel, res.p);
      return res.r;
    },
    /** Names of the files of one folder under bench/results. */
    list(dir) {
      const full = path.join(root, 'bench', 'results', dir);
      if (!fs.existsSync(full)) throw new Error(`bench/results/${dir} does not exist`);
      return fs.readdirSync(full).sort();
    },
    /** One line per folder and weights read: its files, machine, days, and how the provenance was recorded. */
    sources() {
      const groups = new Map();
      for (const [rel, p] of read) {
        const weights = typeof p.weights === 'string' ? p.weights : (p.weights?.file ?? 'random weights');
        const key = `${path.dirname(rel)}\n${weights}\n${p.machine}\n${p.recorded ?? ''}`;
        if (!groups.has(key)) groups.set(key, { dir: path.dirname(rel), weights, machine: p.machine, recorded: p.recorded, names: new Set(), days: new Set() });
        const g = groups.get(key);
        g.names.add(path.basename(rel).split('.').map((part) => (LANGS.includes(part) ? '<language>' : part)).join('.'));
        g.days.add(p.date.slice(0, 10));
      }
      return [...groups.values()].map((g) => {
        const days = [...g.days].sort();
        const span = days.length > 1 ? `${days[0]} to ${days[days.length - 1]}` : days[0];
        const recorded = g.recorded ? ` (provenance recorded ${g.recorded})` : '';
        return `- \`bench/results/${g.dir}/${braces([...g.names])}\`: weights \`${g.weights}\`; ${g.machine}; ${span}${recorded}.`;
      });
    },
  };
}

/** File names that differ in one dot-separated part, as one: a.{b,c}.json. */
function braces(names) {
  if (names.length === 1) return names[0];
  const parts = names.map((n) => n.split('.'));
  const at = parts[0].findIndex((part, i) => parts.some((p) => p[i] !== part));
  const same = parts.every((p) => p.length === parts[0].length && p.every((part, i) => i === at || part === parts[0][i]));
  if (!same) return names.join(', ');
  return [...parts[0].slice(0, at), `{${parts.map((p) => p[at]).join(',')}}`, ...parts[0].slice(at + 1)].join('.');
}

/** The folders of a region: at least the model's; the label of each defaults to its name. */
function cardFolders(args) {
  if (args.length === 0) throw new Error('name the result folders under bench/results/ (the model first, e.g. card="LSTM" card-previous="previous model")');
  return args.map((a) => ({ dir: a.file, label: a.label }));
}

/** The first folder's `pick` of a language's `kind` file that is not undefined. */
function firstWith(reader, folders, lang, kind, pick) {
  for (const { dir } of folders) {
    const r = reader.result(`${dir}/${lang}.${kind}.json`);
    const v = r ? pick(r) : undefined;
    if (v !== undefined) return v;
  }
  return undefined;
}

/** Packages and text per language and split. */
function corpusTable(summary) {
  const rows = LANGS.filter((lang) => summary.languages[lang]).map((lang) => {
    const l = summary.languages[lang];
    return [NAMES[lang], l.train.packages, kib(l.train.bytes), l.validation.packages, kib(l.validation.bytes), l.test.packages, kib(l.test.bytes)];
  });
  return table(['language', 'train packages', 'train text', 'validation packages', 'validation text', 'test packages', 'test text'], rows);
}

/** Bits/char, top-1 and keystrokes saved on the test packages: the model, the folders beside it, the 6-gram and xz. */
function testTable(reader, folders) {
  const [model, ...others] = folders;
  const rows = [];
  for (const lang of LANGS) {
    const m = reader.result(`${model.dir}/${lang}.bpc.json`);
    if (!m) continue;
    const k = reader.result(`${model.dir}/${lang}.keys.json`);
    const ngram = firstWith(reader, folders, lang, 'bpc', (r) => r.baseline);
    const xz = firstWith(reader, folders, lang, 'bpc', (r) => r.xzBitsPerChar);
    const ngramKeys = firstWith(reader, folders, lang, 'keys', (r) => r.baseline?.keystrokesSaved);
    const other = (kind, pick) => others.map(({ dir }) => pick(reader.result(`${dir}/${lang}.${kind}.json`)));
    rows.push([
      NAMES[lang], m.files.length, m.chars.toLocaleString('en-US'), `**${bpc(m.bitsPerChar)}**`, ...other('bpc', (r) => bpc(r?.bitsPerChar)),
      bpc(ngram?.bitsPerChar), bpc(xz), xz ? (m.bitsPerChar / xz).toFixed(2) : '–', pct(m.top1), pct(ngram?.top1),
      `**${pct(k?.keystrokesSaved)}**`, ...other('keys', (r) => pct(r?.keystrokesSaved)), pct(ngramKeys), k ? k.chars.toLocaleString('en-US') : '–',
    ]);
  }
  const labels = others.map((f) => f.label);
  return table(['language', 'files', 'chars', `${model.label} bits/char`, ...labels, '6-gram KN', 'xz -9e', `${model.label} / xz`, `${model.label} top-1`, '6-gram top-1', `keystrokes saved: ${model.label}`, ...labels, '6-gram', 'replayed chars'], rows);
}

/**
 * The most re-indenting to tabs, 2 or 4 spaces costs over the file as it is,
 * in bits/char (null without the files). With `wholeText`, each style's bits
 * are counted over the characters the file has as is: re-indenting to tabs
 * drops characters (three of every four indenting spaces) that cost the
 * model almost nothing, so bits/char can rise while the text as a whole
 * costs no more.
 */
function worstShift(reader, dir, lang, wholeText = false) {
  const r = (style) => reader.result(`${dir}/${lang}.${style}.json`);
  const asis = r('asis');
  const shifted = ['tab', '2', '4'].map(r);
  if (!asis || shifted.includes(null)) return null;
  const cost = (x) => (wholeText ? (x.bitsPerChar * x.chars) / asis.chars : x.bitsPerChar);
  return Math.max(...shifted.map(cost)) - asis.bitsPerChar;
}

/**
 * The same test files re-indented: the model in every style; the folders
 * between the first and the last (earlier stages) by their worst shift; the
 * last (the previous model) as is and in tabs, 2 and 4 spaces.
 */
function styleTable(reader, folders) {
  const [model, ...others] = folders;
  const stages = others.slice(0, -1);
  const last = others[others.length - 1];
  const rows = [];
  for (const lang of LANGS) {
    const r = (dir, style) => reader.result(`${dir}/${lang}.${style}.json`)?.bitsPerChar;
    const asis = reader.result(`${model.dir}/${lang}.asis.json`);
    if (!asis) continue;
    rows.push([
      NAMES[lang], asis.chars.toLocaleString('en-US'), ...['asis', 'tab', '2', '4', '8'].map((s) => bpc(r(model.dir, s))), signed(worstShift(reader, model.dir, lang)), signed(worstShift(reader, model.dir, lang, true)),
      ...stages.map(({ dir }) => signed(worstShift(reader, dir, lang))),
      ...(last ? ['asis', 'tab', '2', '4'].map((s) => bpc(r(last.dir, s))) : []),
    ]);
  }
  return table([
    'language', 'chars', 'as is', 'tabs', '2 spaces', '4 spaces', '8 spaces', 'worst of tabs/2/4 minus as is', 'the same in bits per as-is character',
    ...stages.map((f) => `${f.label}: worst minus as is`),
    ...(last ? [`${last.label}: as is`, 'tabs', '2 spaces', '4 spaces'] : []),
  ], rows);
}

/**
 * Bits/char as completions see the next character: the model and the 6-gram
 * each with the document cache mixed in (<language>.cache.json, eval
 * --document-match), beside each alone and xz -9e, which also reads each
 * file's earlier text.
 */
function cacheTable(reader, folders) {
  const [model] = folders;
  const rows = [];
  for (const lang of LANGS) {
    const c = reader.result(`${model.dir}/${lang}.cache.json`);
    if (!c) continue;
    const alone = firstWith(reader, folders, lang, 'bpc', (r) => r.bitsPerChar);
    const ngram = firstWith(reader, folders, lang, 'bpc', (r) => r.baseline?.bitsPerChar);
    // The 6-gram with the cache does not depend on the model: an earlier folder's serves.
    const ngramCached = firstWith(reader, folders, lang, 'cache', (r) => r.baseline?.bitsPerChar);
    const xz = firstWith(reader, folders, lang, 'bpc', (r) => r.xzBitsPerChar);
    rows.push([
      NAMES[lang], c.chars.toLocaleString('en-US'), bpc(alone), `**${bpc(c.bitsPerChar)}**`, bpc(ngram), bpc(ngramCached), bpc(xz),
      xz ? (c.bitsPerChar / xz).toFixed(2) : '–', ngramCached !== undefined ? signed(c.bitsPerChar - ngramCached) : '–',
    ]);
  }
  const m = model.label;
  return table(['language', 'chars', `${m} alone`, `${m} + document cache`, '6-gram alone', '6-gram + document cache', 'xz -9e', `${m} + cache / xz`, `${m} + cache minus 6-gram + cache`], rows);
}

const verdict = (ok, detail) => `${ok ? '**yes**' : 'no'} (${detail})`;
const signed2 = (d) => `${d >= 0 ? '+' : '−'}${Math.abs(d).toFixed(2)}`;
const shiftVerdict = (worst) => (worst === null ? '–' : verdict(worst <= 0.15, signed2(worst)));

/** The targets of the issue that asked for the model, language by language: the first folder's figures against the baselines. */
function targetsTable(reader, folders) {
  const model = folders[0].dir;
  const targets = [
    ['bits/char ≤ 0.75 × per-file xz', (m, lang) => {
      const xz = firstWith(reader, folders, lang, 'bpc', (r) => r.xzBitsPerChar);
      return xz ? verdict(m.bitsPerChar <= 0.75 * xz, (m.bitsPerChar / xz).toFixed(2)) : '–';
    }],
    ['at least 0.3 below the 6-gram', (m, lang) => {
      const ngram = firstWith(reader, folders, lang, 'bpc', (r) => r.baseline?.bitsPerChar);
      if (ngram === undefined) return '–';
      const d = m.bitsPerChar - ngram;
      return verdict(d <= -0.3, signed2(d));
    }],
    ['re-indented (tabs, 2, 4 spaces) within 0.15 of as is', (m, lang) => shiftVerdict(worstShift(reader, model, lang))],
    ['the same, in bits per as-is character (whole text)', (m, lang) => shiftVerdict(worstShift(reader, model, lang, true))],
    ['with the document cache, as completions predict: ≤ 0.75 × xz', (m, lang) => {
      const c = reader.result(`${model}/${lang}.cache.json`);
      const xz = firstWith(reader, folders, lang, 'bpc', (r) => r.xzBitsPerChar);
      return c && xz ? verdict(c.bitsPerChar <= 0.75 * xz, (c.bitsPerChar / xz).toFixed(2)) : '–';
    }],
    ['with the document cache: at least 0.3 below the 6-gram with it', (m, lang) => {
      const c = reader.result(`${model}/${lang}.cache.json`);
      const ngramCached = firstWith(reader, folders, lang, 'cache', (r) => r.baseline?.bitsPerChar);
      if (!c || ngramCached === undefined) return '–';
      const d = c.bitsPerChar - ngramCached;
      return verdict(d <= -0.3, signed2(d));
    }],
    ['keystrokes saved ≥ 35% (TS, Python) / ≥ 30%', (m, lang) => {
      const k = reader.result(`${model}/${lang}.keys.json`);
      if (!k) return '–';
      const need = lang === 'typescript' || lang === 'python' ? 0.35 : 0.3;
      return verdict(k.keystrokesSaved >= need, pct(k.keystrokesSaved));
    }],
    ['the 6-gram saves no more', (m, lang) => {
      const k = reader.result(`${model}/${lang}.keys.json`);
      const g = firstWith(reader, folders, lang, 'keys', (r) => r.baseline?.keystrokesSaved);
      if (!k || g === undefined) return '–';
      return verdict(g <= k.keystrokesSaved, `6-gram ${pct(g)}`);
    }],
  ];
  const rows = targets.map(([name, judge]) => [
    name,
    ...LANGS.map((lang) => {
      const m = reader.result(`${model}/${lang}.bpc.json`);
      return m ? judge(m, lang) : '–';
    }),
  ]);
  return table(['target', ...LANGS.map((l) => NAMES[l])], rows);
}

/** Bits/char of every candidate of a sweep folder on the validation packages: per language, their mean, and over all characters. */
function validationTable(reader, dir) {
  const names = [...new Set(reader.list(dir).filter((f) => f.includes('.val.')).map((f) => f.split('.val.')[0]))].sort();
  if (names.length === 0) throw new Error(`bench/results/${dir} has no <name>.val.<language>.json files (train-default.sh writes them)`);
  const rows = names.map((name) => {
    const runs = LANGS.map((l) => reader.result(`${dir}/${name}.val.${l}.json`));
    const vals = runs.map((r) => r?.bitsPerChar);
    const ok = vals.filter((v) => v !== undefined);
    const all = runs.every(Boolean) ? runs.reduce((a, r) => a + r.bitsPerChar * r.chars, 0) / runs.reduce((a, r) => a + r.chars, 0) : undefined;
    return [name, ...vals.map(bpc), ok.length === LANGS.length ? bpc(ok.reduce((a, b) => a + b, 0) / ok.length) : '–', bpc(all)];
  });
  return table(['model', ...LANGS.map((l) => NAMES[l]), 'mean of languages', 'all characters'], rows);
}

/** The corpus summary split-corpus.js writes (a description of the committed lists, not a measurement). */
function readSummary(root) {
  const file = path.join(root, 'corpus', 'split-summary.json');
  if (!fs.existsSync(file)) throw new Error('corpus/split-summary.json does not exist (node scripts/split-corpus.js writes it)');
  return JSON.parse(fs.readFileSync(file, 'utf8'));
}

module.exports = { NAMES, cardReader, cardFolders, corpusTable, testTable, styleTable, cacheTable, targetsTable, validationTable, readSummary };

if (require.main === module) {
  // Required here, not above: figure-tables.js requires this file.
  const { readResult } = require('./figure-tables');
  const root = path.resolve(__dirname, '..');
  const reader = cardReader(root, (rel) => readResult(root, rel, ['command', 'weights', 'machine', 'date']));
  const folders = cardFolders([
    { file: 'card', label: 'LSTM' },
    { file: 'card-stage3', label: 'stage 3' },
    { file: 'card-previous', label: 'previous model' },
  ]);
  const sections = [
    ['Corpus by language', corpusTable(readSummary(root))],
    ['On the test packages', testTable(reader, folders)],
    ['Style shift: the same test files re-indented', styleTable(reader, folders)],
    ['With the document cache', cacheTable(reader, folders)],
    ['Against the targets', targetsTable(reader, folders)],
  ];
  if (process.argv.includes('--validation')) sections.push(['Candidates on the validation packages (bits/char)', validationTable(reader, 'sweep')]);
  for (const [title, text] of sections) console.log(`### ${title}\n\n${text}\n`);
}
