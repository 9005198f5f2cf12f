#!/usr/bin/env node
// Prints the sweep's results (.cache/sweep, written by train-default.sh) as
// the markdown table of models/default/MODEL_CARD.md.
'use strict';
const fs = require('fs');
const path = require('path');

const dir = path.resolve(__dirname, '..', '.cache', 'sweep');
const langs = ['typescript', 'javascript', 'python', 'c'];
const read = (f) => {
  const text = fs.existsSync(f) ? fs.readFileSync(f, 'utf8').trim() : '';
  return text ? JSON.parse(text.split('\n').pop()) : null; // empty while a run is in progress
};
const names = fs.readdirSync(dir).filter((n) => n.endsWith('.train.json')).map((n) => n.slice(0, -'.train.json'.length)).sort();

console.log('| model | params | minutes | chars seen | train chars/s | val bpc | ' + langs.map((l) => `${l} bpc`).join(' | ') + ' | held-out bpc (all) | µs/step | greedy ms | beam-4 ms |');
console.log('|' + ' --- |'.repeat(10 + langs.length));
for (const name of names) {
  const t = read(path.join(dir, `${name}.train.json`));
  if (!t) continue;
  const spec = t.spec;
  const params = (() => {
    let n = spec.vocabSize * spec.embedDim;
    let inSize = spec.embedDim;
    for (const h of spec.hidden) {
      n += inSize * 4 * h + h * 4 * h + 4 * h;
      inSize = h;
    }
    return n + inSize * spec.vocabSize + spec.vocabSize;
  })();
  let bits = 0;
  let chars = 0;
  const perLang = langs.map((l) => {
    const e = read(path.join(dir, `${name}.eval.${l}.json`));
    if (!e) return '–';
    bits += e.bitsPerChar * e.chars;
    chars += e.chars;
    return e.bitsPerChar.toFixed(3);
  });
  const c1 = read(path.join(dir, `${name}.complete.beam1.json`));
  const c4 = read(path.join(dir, `${name}.complete.beam4.json`));
  const stepUs = c1 ? ((c1.primeMs * 1000) / c1.prefixChars).toFixed(0) : '–';
  console.log(
    `| ${name} | ${(params / 1e6).toFixed(2)}M | ${(t.seconds / 60).toFixed(1)} | ${(t.chars / 1e6).toFixed(1)}M | ${Math.round(t.charsPerSecond).toLocaleString('en-US')} | ${t.valBitsPerChar?.toFixed(3) ?? '–'} | ${perLang.join(' | ')} | ${chars ? (bits / chars).toFixed(3) : '–'} | ${stepUs} | ${c1 ? c1.searchMs.toFixed(2) : '–'} | ${c4 ? c4.searchMs.toFixed(2) : '–'} |`,
  );
}
