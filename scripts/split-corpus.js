#!/usr/bin/env node
// Splits the fetched corpus (.cache/corpus/<package>@<version>/, see
// fetch-corpus.sh) into training text and a held-out test set per language
// that training never sees: a file goes to held-out when the first 32 bits
// of sha1("<package>/<path>") fall under HELDOUT_SHARE, so the split is
// stable across machines and runs. Writes .cache/split/train/<package>/... and
// .cache/split/heldout/<language>/<package>/..., and prints a summary.
'use strict';
const crypto = require('crypto');
const fs = require('fs');
const path = require('path');
const { readCorpusSources } = require('./corpus-sources');

const HELDOUT_SHARE = 0.1;
const root = path.resolve(__dirname, '..');
const corpus = path.join(root, '.cache', 'corpus');
const out = path.join(root, '.cache', 'split');

// Held-out files are grouped by what they are, not by the package they come
// from: rxjs ships .json and .js beside its .ts, CPython's headers are C.
const LANGUAGE_BY_EXTENSION = { '.ts': 'typescript', '.tsx': 'typescript', '.js': 'javascript', '.mjs': 'javascript', '.cjs': 'javascript', '.py': 'python', '.c': 'c', '.h': 'c' };

function walk(dir, rel = '') {
  const files = [];
  for (const entry of fs.readdirSync(path.join(dir, rel), { withFileTypes: true })) {
    const r = path.join(rel, entry.name);
    if (entry.isDirectory()) files.push(...walk(dir, r));
    else if (entry.isFile() && entry.name !== '.done') files.push(r);
  }
  return files.sort();
}

// Only the packages corpus/sources.tsv (or CORPUS_SOURCES) lists now: a folder
// left in the cache by an earlier list must not slip into training or the
// held-out set.
const listed = new Set(readCorpusSources().map((s) => `${s.name}@${s.version}`));

fs.rmSync(out, { recursive: true, force: true });
const summary = {};
for (const pkg of fs.readdirSync(corpus).sort()) {
  const done = path.join(corpus, pkg, '.done');
  if (!fs.existsSync(done)) continue;
  if (!listed.has(pkg)) {
    console.error(`skipping ${pkg}: fetched earlier, not in the sources list`);
    continue;
  }
  const [, , , license] = fs.readFileSync(done, 'utf8').trim().split('\t');
  for (const rel of walk(path.join(corpus, pkg))) {
    const h = crypto.createHash('sha1').update(`${pkg}/${rel}`).digest().readUInt32BE(0) / 2 ** 32;
    const heldout = h < HELDOUT_SHARE;
    const language = LANGUAGE_BY_EXTENSION[path.extname(rel)] ?? 'other';
    const dest = heldout ? path.join(out, 'heldout', language, pkg, rel) : path.join(out, 'train', pkg, rel);
    fs.mkdirSync(path.dirname(dest), { recursive: true });
    fs.copyFileSync(path.join(corpus, pkg, rel), dest);
    const s = (summary[`${language}`] ??= { train: { files: 0, bytes: 0 }, heldout: { files: 0, bytes: 0 }, licenses: new Set() });
    const bucket = heldout ? s.heldout : s.train;
    bucket.files++;
    bucket.bytes += fs.statSync(dest).size;
    s.licenses.add(license);
  }
}
for (const [lang, s] of Object.entries(summary)) {
  console.log(`${lang.padEnd(11)} train ${String(s.train.files).padStart(4)} files ${String(s.train.bytes).padStart(9)} B   held-out ${String(s.heldout.files).padStart(3)} files ${String(s.heldout.bytes).padStart(8)} B   (${[...s.licenses].join(', ')})`);
}
