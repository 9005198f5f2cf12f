#!/usr/bin/env node
// Prints the tables of models/default/MODEL_CARD.md from what the scripts
// measured: the corpus sources (corpus/sources.tsv, sizes from .cache/corpus),
// the held-out figures (.cache/card, from model-card-figures.sh) and, with
// --sweep, the sweep (sweep-table.js).
'use strict';
const fs = require('fs');
const path = require('path');
const { readCorpusSources } = require('./corpus-sources');

const root = path.resolve(__dirname, '..');
const langs = ['typescript', 'javascript', 'python', 'c'];

function walkBytes(dir) {
  let files = 0;
  let bytes = 0;
  for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) {
      const sub = walkBytes(p);
      files += sub.files;
      bytes += sub.bytes;
    } else if (e.isFile() && e.name !== '.done') {
      files++;
      bytes += fs.statSync(p).size;
    }
  }
  return { files, bytes };
}

const kb = (n) => `${Math.round(n / 1024).toLocaleString('en-US')} KiB`;
const pct = (x) => `${(100 * x).toFixed(1)}%`;

console.log('### Sources\n');
console.log('| source | package | version | license | language | files | size |');
console.log('| --- | --- | --- | --- | --- | --- | --- |');
let totalFiles = 0;
let totalBytes = 0;
// The shipped model's list, whatever CORPUS_SOURCES says.
for (const { kind, name, version, license, language } of readCorpusSources('corpus/sources.tsv')) {
  const dir = path.join(root, '.cache', 'corpus', `${name}@${version}`);
  const size = fs.existsSync(dir) ? walkBytes(dir) : { files: 0, bytes: 0 };
  totalFiles += size.files;
  totalBytes += size.bytes;
  console.log(`| ${kind === 'npm' ? 'npm registry' : 'Debian 12'} | ${name} | ${version} | ${license} | ${language} | ${size.files} | ${kb(size.bytes)} |`);
}
console.log(`| **total** | | | | | **${totalFiles}** | **${kb(totalBytes)}** |\n`);

const read = (f) => (fs.existsSync(f) ? JSON.parse(fs.readFileSync(f, 'utf8').trim().split('\n').pop()) : null);
const card = path.join(root, '.cache', 'card');
if (fs.existsSync(card)) {
  console.log('### Held-out figures\n');
  // Keystrokes with the editor's defaults (document cache on for both models), then the models alone (keys-nomatch).
  console.log('| language | files | chars | LSTM bits/char | 6-gram KN bits/char | xz -9e bits/char | LSTM top-1 | 6-gram top-1 | LSTM keystrokes saved | 6-gram keystrokes saved | LSTM accept rate | 6-gram accept rate | model alone: LSTM keystrokes saved | model alone: 6-gram | replayed chars |');
  console.log('| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |');
  for (const lang of langs) {
    const b = read(path.join(card, `${lang}.bpc.json`));
    const k = read(path.join(card, `${lang}.keys.json`));
    const m = read(path.join(card, `${lang}.keys-nomatch.json`));
    if (!b || !k || !m) continue;
    console.log(
      `| ${lang} | ${b.files.length} | ${b.chars.toLocaleString('en-US')} | ${b.bitsPerChar.toFixed(3)} | ${b.baseline.bitsPerChar.toFixed(3)} | ${b.xzBitsPerChar?.toFixed(3) ?? '–'} | ${pct(b.top1)} | ${pct(b.baseline.top1)} | ${pct(k.keystrokesSaved)} | ${pct(k.baseline.keystrokesSaved)} | ${pct(k.acceptRate)} | ${pct(k.baseline.acceptRate)} | ${pct(m.keystrokesSaved)} | ${pct(m.baseline.keystrokesSaved)} | ${k.chars.toLocaleString('en-US')} |`,
    );
  }
  console.log('');
  // Both without the document cache, so that only the settings differ.
  console.log('### Completion settings, side by side (LSTM, same replay, no document cache)\n');
  console.log('| language | expected-saving cut (greedy, 0.5): keystrokes saved | accept rate | confidence floor (beam 4, 0.4): keystrokes saved | accept rate |');
  console.log('| --- | --- | --- | --- | --- |');
  for (const lang of langs) {
    const k = read(path.join(card, `${lang}.keys-nomatch.json`));
    const f = read(path.join(card, `${lang}.keys-floor.json`));
    if (!k || !f) continue;
    console.log(`| ${lang} | ${pct(k.keystrokesSaved)} | ${pct(k.acceptRate)} | ${pct(f.keystrokesSaved)} | ${pct(f.acceptRate)} |`);
  }
  console.log('');
}
if (process.argv.includes('--sweep')) {
  console.log('### Sweep\n');
  process.stdout.write(require('child_process').execFileSync(process.execPath, [path.join(__dirname, 'sweep-table.js')], { encoding: 'utf8' }));
}
