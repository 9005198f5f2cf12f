#!/usr/bin/env node
// Splits the fetched corpus (.cache/corpus/<package>@<version>/, see
// fetch-corpus.sh) by *package*, as corpus/sources lists them: every file of
// a train package goes to training, every file of a validation or test
// package to that set, so validation and test measure code from projects
// training never saw. Writes .cache/split/<split>/<language>/<package>/...
// and corpus/split-summary.json (committed: what the card's figures are on).
//
// On the way:
// - only files of the package's language are kept (by extension); in a shell
//   package, an extensionless file whose first line is a sh, bash or dash
//   shebang is shell too (most tools install their scripts without `.sh`),
//   and is written with `.sh` added, so that the corpus rules of `train` and
//   `eval` (by name) read it as shell;
// - duplicates are dropped by a hash of the normalised text (LF, no trailing
//   blanks): a file vendored into a test package and a train package is kept
//   in test only, and a file in two train packages is trained on once;
// - a train package gives at most TRAIN_CAP bytes, a validation or test
//   package at most EVAL_CAP (whole files, in a stable order by a hash of
//   their path), so no package dominates and evaluations stay short.
// Minified, generated, data-like, binary and huge files: training leaves
// them out by the corpus rules of `lstm-lens train` (src/core/corpus, the
// same rules the editor applies to a workspace); for the validation and test
// sets, this script asks the CLI (`lstm-lens corpus --json`, CLI or
// dist/cli.js) which files those rules take and removes the others, so that
// `eval` scores only what a user's workspace training would read.
'use strict';
const crypto = require('crypto');
const fs = require('fs');
const path = require('path');
const { readCorpusSources, SPLITS } = require('./corpus-sources');

const TRAIN_CAP = Number(process.env.TRAIN_CAP ?? 1.5 * 1024 * 1024);
const EVAL_CAP = Number(process.env.EVAL_CAP ?? 64 * 1024);
const root = path.resolve(__dirname, '..');
const corpus = path.join(root, '.cache', 'corpus');
const out = path.join(root, '.cache', 'split');

const EXTENSIONS = {
  typescript: ['.ts', '.tsx', '.mts', '.cts'],
  javascript: ['.js', '.jsx', '.mjs', '.cjs'],
  python: ['.py'],
  c: ['.c', '.h'],
  cpp: ['.cc', '.cpp', '.cxx', '.hpp', '.hh', '.hxx', '.h', '.ipp', '.inl'],
  go: ['.go'],
  rust: ['.rs'],
  shell: ['.sh', '.bash'],
};

// `#!/bin/sh`, `#! /usr/bin/bash -e`, `#!/usr/bin/env bash`, `#!/usr/bin/env -S dash -e`.
// Only sh, bash and dash: the shell rows measure POSIX sh and bash (the
// evaluation packages are .sh/.bash); zsh, ksh and fish differ in syntax.
const SH_SHEBANG = /^#!\s*\/\S*\/(?:env\s+(?:-\S+\s+)*)?(?:sh|bash|dash)(?:\s|$)/;

/** Whether a file without an extension starts with a sh, bash or dash shebang. */
function hasShShebang(file) {
  const fd = fs.openSync(file, 'r');
  try {
    const head = Buffer.alloc(256);
    const n = fs.readSync(fd, head, 0, head.length, 0);
    return SH_SHEBANG.test(head.subarray(0, n).toString('latin1').split(/\r?\n/)[0]);
  } finally {
    fs.closeSync(fd);
  }
}

/**
 * The name a file of a package of `language` takes in the split, or null
 * when the file is not of that language.
 */
function splitName(language, dir, rel) {
  const ext = path.extname(rel).toLowerCase();
  if (EXTENSIONS[language].includes(ext)) return rel;
  if (language === 'shell' && ext === '' && hasShShebang(path.join(dir, rel))) return `${rel}.sh`;
  return null;
}

function walk(dir, rel = '') {
  const files = [];
  for (const entry of fs.readdirSync(path.join(dir, rel), { withFileTypes: true })) {
    const r = path.join(rel, entry.name);
    if (entry.isDirectory()) files.push(...walk(dir, r));
    else if (entry.isFile() && entry.name !== '.done') files.push(r);
  }
  return files;
}

const hashOf = (s) => crypto.createHash('sha1').update(s).digest();
const normalised = (text) => text.replace(/\r\n?/g, '\n').replace(/[ \t]+$/gm, '').trim();

const sources = readCorpusSources();
fs.rmSync(out, { recursive: true, force: true });
const seen = new Map(); // content hash -> "split:package"
const summary = { trainCapBytes: TRAIN_CAP, evalCapBytes: EVAL_CAP, languages: {}, packages: [] };
// Test first, then validation, then train: a duplicate is kept where it
// matters most, and training never holds a copy of an evaluation file.
for (const split of ['test', 'validation', 'train']) {
  for (const s of sources.filter((x) => x.split === split)) {
    const pkg = `${s.name}@${s.version}`;
    const dir = path.join(corpus, pkg);
    if (!fs.existsSync(path.join(dir, '.done'))) throw new Error(`${pkg} is not fetched: run scripts/fetch-corpus.sh`);
    const exts = EXTENSIONS[s.language];
    if (!exts) throw new Error(`${pkg}: unknown language ${s.language}`);
    const cap = split === 'train' ? TRAIN_CAP : EVAL_CAP;
    const files = walk(dir)
      .filter((rel) => splitName(s.language, dir, rel) !== null)
      .sort((a, b) => Buffer.compare(hashOf(`${pkg}/${a}`), hashOf(`${pkg}/${b}`)));
    const row = { package: pkg, kind: s.kind, license: s.license, language: s.language, split, files: 0, bytes: 0, duplicates: 0, overCap: 0 };
    for (const rel of files) {
      const bytes = fs.readFileSync(path.join(dir, rel));
      const key = hashOf(normalised(bytes.toString('utf8'))).toString('hex');
      if (seen.has(key)) {
        row.duplicates++;
        continue;
      }
      if (row.bytes + bytes.length > cap && row.files > 0) {
        row.overCap++;
        continue;
      }
      seen.set(key, `${split}:${pkg}`);
      const dest = path.join(out, split, s.language, pkg, splitName(s.language, dir, rel));
      if (fs.existsSync(dest)) throw new Error(`${pkg}: two files would be written to ${dest}`);
      fs.mkdirSync(path.dirname(dest), { recursive: true });
      fs.writeFileSync(dest, bytes);
      row.files++;
      row.bytes += bytes.length;
    }
    summary.packages.push(row);
    const lang = (summary.languages[s.language] ??= Object.fromEntries(SPLITS.map((x) => [x, { packages: 0, files: 0, bytes: 0 }])));
    lang[split].packages++;
    lang[split].files += row.files;
    lang[split].bytes += row.bytes;
    if (row.files === 0) console.error(`warning: ${pkg} (${split}) gave no ${s.language} files`);
  }
}
// The corpus rules, from the CLI (one source of truth), applied to the evaluation sets.
const cli = process.env.CLI ?? path.join(root, 'dist', 'cli.js');
for (const split of ['validation', 'test']) {
  const dir = path.join(out, split);
  if (!fs.existsSync(dir)) continue;
  const run = require('child_process').spawnSync(process.execPath, [cli, 'corpus', '--json', dir], { encoding: 'utf8', maxBuffer: 1 << 28 });
  if (run.status !== 0) throw new Error(`${cli} corpus --json failed (npm run compile first?): ${run.stderr}`);
  const taken = new Set(JSON.parse(run.stdout.trim().split('\n').pop()).files.map((f) => path.resolve(f.path)));
  for (const rel of walk(dir)) {
    const file = path.join(dir, rel);
    if (taken.has(path.resolve(file))) continue;
    const size = fs.statSync(file).size;
    fs.rmSync(file);
    const [language, pkg] = rel.split(path.sep);
    const row = summary.packages.find((p) => p.split === split && p.package === pkg && p.language === language);
    if (row) {
      row.files--;
      row.bytes -= size;
      row.refusedByRules = (row.refusedByRules ?? 0) + 1;
    }
    console.error(`left out of ${split} by the corpus rules: ${rel}`);
  }
}
for (const [lang, l] of Object.entries(summary.languages)) {
  for (const split of ['validation', 'test']) {
    const rows = summary.packages.filter((p) => p.language === lang && p.split === split);
    l[split].files = rows.reduce((n, p) => n + p.files, 0);
    l[split].bytes = rows.reduce((n, p) => n + p.bytes, 0);
  }
}
summary.packages.sort((a, b) => a.language.localeCompare(b.language) || SPLITS.indexOf(a.split) - SPLITS.indexOf(b.split) || a.package.localeCompare(b.package));
fs.writeFileSync(path.join(root, 'corpus', 'split-summary.json'), JSON.stringify(summary, null, 1) + '\n');
const kb = (n) => `${(n / 1024).toFixed(0)} KiB`.padStart(10);
for (const [lang, l] of Object.entries(summary.languages)) {
  console.log(`${lang.padEnd(11)} ${SPLITS.map((x) => `${x} ${String(l[x].packages).padStart(3)} pkgs ${String(l[x].files).padStart(5)} files ${kb(l[x].bytes)}`).join('   ')}`);
}
const dups = summary.packages.reduce((n, p) => n + p.duplicates, 0);
console.log(`duplicates dropped: ${dups} files`);
