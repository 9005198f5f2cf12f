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
console.log('| language | files | chars | LSTM bits/char | previous model | 6-gram KN | xz -9e | LSTM / xz | LSTM top-1 | 6-gram top-1 | keystrokes saved: LSTM | previous model | 6-gram | replayed chars |');
console.log('| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |');
for (const lang of LANGS) {
  const m = card('card', lang, 'bpc');
  const p = card('card-previous', lang, 'bpc');
  const k = card('card', lang, 'keys');
  const pk = card('card-previous', lang, 'keys');
  if (!m || !p) continue;
  const xz = p.xzBitsPerChar;
  console.log(
    `| ${NAMES[lang]} | ${m.files.length} | ${m.chars.toLocaleString('en-US')} | **${bpc(m.bitsPerChar)}** | ${bpc(p.bitsPerChar)} | ${bpc(p.baseline?.bitsPerChar)} | ${bpc(xz)} | ${xz ? (m.bitsPerChar / xz).toFixed(2) : '–'} | ${pct(m.top1)} | ${pct(p.baseline?.top1)} | **${pct(k?.keystrokesSaved)}** | ${pct(pk?.keystrokesSaved)} | ${pct(pk?.baseline?.keystrokesSaved)} | ${k ? k.chars.toLocaleString('en-US') : '–'} |`,
  );
}
console.log('');

console.log('### Style shift: the same test files re-indented\n');
console.log('| language | chars | as is | tabs | 2 spaces | 4 spaces | 8 spaces | worst of tabs/2/4 minus as is | previous model: as is | tabs | 2 spaces | 4 spaces |');
console.log('| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |');
for (const lang of LANGS) {
  const r = (dir, s) => card(dir, lang, s)?.bitsPerChar;
  const asis = card('card', lang, 'asis');
  if (!asis) continue;
  const worst = Math.max(r('card', 'tab'), r('card', '2'), r('card', '4')) - asis.bitsPerChar;
  console.log(
    `| ${NAMES[lang]} | ${asis.chars.toLocaleString('en-US')} | ${bpc(asis.bitsPerChar)} | ${bpc(r('card', 'tab'))} | ${bpc(r('card', '2'))} | ${bpc(r('card', '4'))} | ${bpc(r('card', '8'))} | ${worst >= 0 ? '+' : ''}${worst.toFixed(3)} | ${bpc(r('card-previous', 'asis'))} | ${bpc(r('card-previous', 'tab'))} | ${bpc(r('card-previous', '2'))} | ${bpc(r('card-previous', '4'))} |`,
  );
}
console.log('');

if (process.argv.includes('--validation')) {
  const dir = path.join(root, 'bench', 'results', 'sweep');
  const names = [...new Set(fs.readdirSync(dir).filter((f) => f.includes('.val.')).map((f) => f.split('.val.')[0]))].sort();
  console.log('### Candidates on the validation packages (bits/char)\n');
  console.log(`| model | ${LANGS.map((l) => NAMES[l]).join(' | ')} | mean |`);
  console.log(`| --- |${' --- |'.repeat(LANGS.length + 1)}`);
  for (const name of names) {
    const vals = LANGS.map((l) => read(path.join(dir, `${name}.val.${l}.json`))?.bitsPerChar);
    const ok = vals.filter((v) => v !== undefined);
    console.log(`| ${name} | ${vals.map(bpc).join(' | ')} | ${ok.length === LANGS.length ? bpc(ok.reduce((a, b) => a + b, 0) / ok.length) : '–'} |`);
  }
  console.log('');
}
