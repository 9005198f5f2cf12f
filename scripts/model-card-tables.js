#!/usr/bin/env node
// Prints the tables of models/default/MODEL_CARD.md from committed result
// files: the corpus (corpus/split-summary.json, written by split-corpus.js),
// the shipped model on the test packages (bench/results/card, written by
// `BASELINE=none PREVIOUS=none model-card-figures.sh`), and the baselines on
// the same files: the previous bundled model, the 6-gram and xz
// (bench/results/card-previous, written by `PREVIOUS=none
// CARD_OUT=bench/results/card-previous model-card-figures.sh <previous model>`).
// --validation adds the candidates' figures on the validation packages
// (bench/results/sweep/<name>.val.<language>.json: train-default.sh writes
// them to .cache/sweep, and the ones the card cites are copied here).
'use strict';
const fs = require('fs');
const path = require('path');

const root = path.resolve(__dirname, '..');
const LANGS = ['typescript', 'javascript', 'python', 'c', 'cpp', 'go', 'rust', 'shell'];
const NAMES = { typescript: 'TypeScript', javascript: 'JavaScript', python: 'Python', c: 'C', cpp: 'C++', go: 'Go', rust: 'Rust', shell: 'shell' };
// A whole JSON file, or the last line of a command's output (its JSON).
const read = (f) => {
  if (!fs.existsSync(f)) return null;
  const text = fs.readFileSync(f, 'utf8').trim();
  try {
    return JSON.parse(text);
  } catch {
    return JSON.parse(text.split('\n').pop());
  }
};
const kib = (n) => `${Math.round(n / 1024).toLocaleString('en-US')} KiB`;
const pct = (x) => (x === undefined || x === null ? '–' : `${(100 * x).toFixed(1)}%`);
const bpc = (x) => (x === undefined || x === null ? '–' : x.toFixed(3));
const card = (dir, lang, what) => read(path.join(root, 'bench', 'results', dir, `${lang}.${what}.json`));

const summary = read(path.join(root, 'corpus', 'split-summary.json'));
if (summary) {
  console.log('### Corpus by language\n');
  console.log('| language | train packages | train text | validation packages | validation text | test packages | test text |');
  console.log('| --- | --- | --- | --- | --- | --- | --- |');
  for (const lang of LANGS) {
    const l = summary.languages[lang];
    if (!l) continue;
    console.log(`| ${NAMES[lang]} | ${l.train.packages} | ${kib(l.train.bytes)} | ${l.validation.packages} | ${kib(l.validation.bytes)} | ${l.test.packages} | ${kib(l.test.bytes)} |`);
  }
  console.log('');
}

console.log('### On the test packages\n');
console.log('| language | files | chars | LSTM bits/char | stage 1 | previous model | 6-gram KN | xz -9e | LSTM / xz | LSTM top-1 | 6-gram top-1 | keystrokes saved: LSTM | stage 1 | previous model | 6-gram | replayed chars |');
console.log('| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |');
for (const lang of LANGS) {
  const m = card('card', lang, 'bpc');
  const p = card('card-previous', lang, 'bpc');
  const k = card('card', lang, 'keys');
  const pk = card('card-previous', lang, 'keys');
  const s1 = card('card-stage1', lang, 'bpc');
  const s1k = card('card-stage1', lang, 'keys');
  if (!m || !p) continue;
  const xz = p.xzBitsPerChar;
  console.log(
    `| ${NAMES[lang]} | ${m.files.length} | ${m.chars.toLocaleString('en-US')} | **${bpc(m.bitsPerChar)}** | ${bpc(s1?.bitsPerChar)} | ${bpc(p.bitsPerChar)} | ${bpc(p.baseline?.bitsPerChar)} | ${bpc(xz)} | ${xz ? (m.bitsPerChar / xz).toFixed(2) : '–'} | ${pct(m.top1)} | ${pct(p.baseline?.top1)} | **${pct(k?.keystrokesSaved)}** | ${pct(s1k?.keystrokesSaved)} | ${pct(pk?.keystrokesSaved)} | ${pct(pk?.baseline?.keystrokesSaved)} | ${k ? k.chars.toLocaleString('en-US') : '–'} |`,
  );
}
console.log('');

console.log('### Style shift: the same test files re-indented\n');
console.log('| language | chars | as is | tabs | 2 spaces | 4 spaces | 8 spaces | worst of tabs/2/4 minus as is | stage 1: worst minus as is | previous model: as is | tabs | 2 spaces | 4 spaces |');
console.log('| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |');
for (const lang of LANGS) {
  const r = (dir, s) => card(dir, lang, s)?.bitsPerChar;
  const asis = card('card', lang, 'asis');
  if (!asis) continue;
  const worst = Math.max(r('card', 'tab'), r('card', '2'), r('card', '4')) - asis.bitsPerChar;
  const s1 = card('card-stage1', lang, 'asis');
  const s1worst = s1 ? Math.max(r('card-stage1', 'tab'), r('card-stage1', '2'), r('card-stage1', '4')) - s1.bitsPerChar : null;
  const signed = (x) => (x === null ? '–' : `${x >= 0 ? '+' : ''}${x.toFixed(3)}`);
  console.log(
    `| ${NAMES[lang]} | ${asis.chars.toLocaleString('en-US')} | ${bpc(asis.bitsPerChar)} | ${bpc(r('card', 'tab'))} | ${bpc(r('card', '2'))} | ${bpc(r('card', '4'))} | ${bpc(r('card', '8'))} | ${signed(worst)} | ${signed(s1worst)} | ${bpc(r('card-previous', 'asis'))} | ${bpc(r('card-previous', 'tab'))} | ${bpc(r('card-previous', '2'))} | ${bpc(r('card-previous', '4'))} |`,
  );
}
console.log('');

// The targets, language by language, from the same files.
console.log('### Against the targets\n');
console.log(`| target | ${LANGS.map((l) => NAMES[l]).join(' | ')} |`);
console.log(`| --- |${' --- |'.repeat(LANGS.length)}`);
const verdict = (ok, detail) => (ok === null ? '–' : `${ok ? '**yes**' : 'no'} (${detail})`);
const targetRows = [
  ['bits/char ≤ 0.75 × per-file xz', (m, p) => (p.xzBitsPerChar ? verdict(m.bitsPerChar <= 0.75 * p.xzBitsPerChar, (m.bitsPerChar / p.xzBitsPerChar).toFixed(2)) : '–')],
  ['at least 0.3 below the 6-gram', (m, p) => {
    const d = m.bitsPerChar - p.baseline.bitsPerChar;
    return verdict(d <= -0.3, `${d >= 0 ? '+' : '−'}${Math.abs(d).toFixed(2)}`);
  }],
  ['re-indented (tabs, 2, 4 spaces) within 0.15 of as is', (m, p, lang) => {
    const r = (kind) => card('card', lang, kind)?.bitsPerChar;
    const asis = r('asis');
    if (asis === undefined) return '–';
    const worst = Math.max(r('tab'), r('2'), r('4')) - asis;
    return verdict(worst <= 0.15, `${worst >= 0 ? '+' : '−'}${Math.abs(worst).toFixed(2)}`);
  }],
  ['keystrokes saved ≥ 35% (TS, Python) / ≥ 30%', (m, p, lang) => {
    const k = card('card', lang, 'keys');
    if (!k) return '–';
    const need = lang === 'typescript' || lang === 'python' ? 0.35 : 0.3;
    return verdict(k.keystrokesSaved >= need, pct(k.keystrokesSaved));
  }],
  ['the 6-gram saves no more', (m, p, lang) => {
    const k = card('card', lang, 'keys');
    const pk = card('card-previous', lang, 'keys');
    const g = pk?.baseline?.keystrokesSaved;
    if (!k || g === undefined) return '–';
    return verdict(g <= k.keystrokesSaved, `6-gram ${pct(g)}`);
  }],
];
for (const [name, judge] of targetRows) {
  const cells = LANGS.map((lang) => {
    const m = card('card', lang, 'bpc');
    const p = card('card-previous', lang, 'bpc');
    return m && p ? judge(m, p, lang) : '–';
  });
  console.log(`| ${name} | ${cells.join(' | ')} |`);
}
console.log('');

if (process.argv.includes('--validation')) {
  const dir = path.join(root, 'bench', 'results', 'sweep');
  const names = [...new Set(fs.readdirSync(dir).filter((f) => f.includes('.val.')).map((f) => f.split('.val.')[0]))].sort();
  console.log('### Candidates on the validation packages (bits/char)\n');
  console.log(`| model | ${LANGS.map((l) => NAMES[l]).join(' | ')} | mean of languages | all characters |`);
  console.log(`| --- |${' --- |'.repeat(LANGS.length + 2)}`);
  for (const name of names) {
    const runs = LANGS.map((l) => read(path.join(dir, `${name}.val.${l}.json`)));
    const vals = runs.map((r) => r?.bitsPerChar);
    const ok = vals.filter((v) => v !== undefined);
    const all = runs.every(Boolean) ? runs.reduce((a, r) => a + r.bitsPerChar * r.chars, 0) / runs.reduce((a, r) => a + r.chars, 0) : undefined;
    console.log(`| ${name} | ${vals.map(bpc).join(' | ')} | ${ok.length === LANGS.length ? bpc(ok.reduce((a, b) => a + b, 0) / ok.length) : '–'} | ${bpc(all)} |`);
  }
  console.log('');
}
