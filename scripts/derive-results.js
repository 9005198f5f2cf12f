#!/usr/bin/env node
// Result files derived from other committed files by arithmetic or counting
// alone (no model runs, nothing timed), for figures the docs give that no
// single measured file holds: a mean over several files, the difference of
// two, the size of the text a run read. Each is written under bench/results/
// with its provenance (the command is this script), so figure-tables.js can
// mark its figures as it marks a measured file's.
//
//   node scripts/derive-results.js           rewrites them
//   node scripts/derive-results.js --check   exits 1, naming each that its sources no longer give
//                                            (those made from git history, which a shallow clone lacks, are not checked)
//
// What is derived, and from what, is the list DERIVED below; a new one is
// one more entry.
'use strict';

const fs = require('fs');
const path = require('path');
const { execFileSync } = require('child_process');
const { readResult } = require('./figure-tables');

const LANGS = ['typescript', 'javascript', 'python', 'c', 'cpp', 'go', 'rust', 'shell'];
const COMMAND = 'node scripts/derive-results.js';

/** A git command's output, run in the repository. */
const git = (root, ...args) => execFileSync('git', args, { cwd: root, encoding: 'utf8', maxBuffer: 1 << 28, stdio: ['ignore', 'pipe', 'pipe'] });

/** A commit's full hash and its committer date (ISO 8601). */
function commitOf(root, commit) {
  const full = git(root, 'rev-parse', commit).trim();
  return { full, date: git(root, 'show', '-s', '--format=%cI', full).trim() };
}

/**
 * Validation bits/char per run over all characters (each language's file
 * weighted by its characters) and as the plain mean of the eight languages,
 * as the model card's card-validation table computes them; and, per pair
 * [a, b], a's figures minus b's.
 */
function validationMeans(root, runs, pairs) {
  const sources = [];
  const out = { runs: {}, differences: {} };
  for (const name of runs) {
    const files = LANGS.map((lang) => {
      const res = readResult(root, `sweep/${name}.val.${lang}.json`, ['command', 'weights', 'machine', 'date']);
      sources.push(res);
      return res;
    });
    const chars = files.reduce((a, { r }) => a + r.chars, 0);
    const weights = [...new Set(files.map(({ p }) => (typeof p.weights === 'string' ? p.weights : p.weights?.file)))];
    out.runs[name] = {
      allCharacters: files.reduce((a, { r }) => a + r.bitsPerChar * r.chars, 0) / chars,
      meanOfLanguages: files.reduce((a, { r }) => a + r.bitsPerChar, 0) / LANGS.length,
      chars,
      languages: Object.fromEntries(LANGS.map((lang, i) => [lang, files[i].r.bitsPerChar])),
      weights: weights.length === 1 ? weights[0] : weights,
    };
  }
  for (const [a, b] of pairs) {
    const x = out.runs[a];
    const y = out.runs[b];
    if (!x || !y) throw new Error(`validation difference ${a} − ${b}: both runs must be in the list of runs`);
    (out.differences[a] ??= {})[b] = {
      allCharacters: x.allCharacters - y.allCharacters,
      meanOfLanguages: x.meanOfLanguages - y.meanOfLanguages,
      languages: Object.fromEntries(LANGS.map((lang) => [lang, x.languages[lang] - y.languages[lang]])),
    };
  }
  const date = sources.map(({ p }) => p.date).sort().pop();
  return {
    what:
      'Bits/char on the validation packages per run: over all characters (each language weighted by its characters) and the plain mean of the eight languages, as the model card\'s validation table computes them; differences.A.B is run A\'s figure minus run B\'s. Arithmetic on bench/results/sweep/<run>.val.<language>.json, nothing measured anew.',
    languages: LANGS,
    ...out,
    provenance: {
      command: COMMAND,
      settings: { runs, pairs: pairs.map(([a, b]) => `${a} − ${b}`), from: 'bench/results/sweep/<run>.val.<language>.json', weighting: 'by characters (allCharacters); none (meanOfLanguages)' },
      weights: { file: 'each run\'s own (runs.<run>.weights)' },
      machine: 'none: arithmetic on committed result files (each names the machine that measured it: AMD EPYC, 2 cores, Node v20.20.2)',
      date,
      note: `derived; the date is the latest of its ${sources.length} source files' dates`,
    },
  };
}

/**
 * Files and characters (JavaScript string length, as the CLI counts them) of
 * the files a command read, as they were at a commit: `git ls-tree` of the
 * commit filtered as the command filtered `git ls-files`.
 */
function textAtCommit(root, { commit, under, suffix, exclude, command, note }) {
  const files = git(root, 'ls-tree', '-r', '--name-only', commit, '--', under)
    .split('\n')
    .filter((f) => f.endsWith(suffix) && !f.includes(exclude));
  let chars = 0;
  for (const f of files) chars += git(root, 'show', `${commit}:${f}`).length;
  const { full, date } = commitOf(root, commit);
  return {
    what: `The files and characters of ${under}/ (*${suffix}, without paths containing "${exclude}") at commit ${full}: ${note}`,
    commit: full,
    files: files.length,
    chars,
    provenance: {
      command: COMMAND,
      settings: { commit: full, under, suffix, exclude, as: command },
      weights: null,
      machine: 'none: counted from the git objects of the commit',
      date,
      note: 'derived; the date is the commit\'s',
    },
  };
}

/**
 * The shipped model's size: parameters counted from the shapes in its
 * model.json, and the bytes of its weights file as stored (float16 halves
 * float32's).
 */
function modelSize(root, dir) {
  const manifest = JSON.parse(fs.readFileSync(path.join(root, dir, 'model.json'), 'utf8'));
  const group = manifest.weightsManifest[0];
  const parameters = group.weights.reduce((a, w) => a + w.shape.reduce((x, y) => x * y, 1), 0);
  const bytes = fs.statSync(path.join(root, dir, group.paths[0])).size;
  return {
    what: `The model in ${dir}/: parameters (the product of each weight's shape in model.json, summed) and its weights file's size in bytes and in MB (10^6 bytes).`,
    parameters,
    weightsFile: group.paths[0],
    bytes,
    megabytes: bytes / 1e6,
    bytesPerParameter: bytes / parameters,
    provenance: {
      command: COMMAND,
      settings: { model: dir },
      weights: group.paths[0],
      machine: 'none: counted from the committed model files',
      date: manifest.userDefinedMetadata?.lstmLens?.createdAt ?? null,
      note: 'derived; the date is the model\'s createdAt',
    },
  };
}

/**
 * Train packages and bytes per language of the corpus split
 * (corpus/split-summary.json, which scripts/split-corpus.js writes), now or at
 * a commit.
 */
function corpusSplitSizes(root, commit) {
  const text = commit ? git(root, 'show', `${commit}:corpus/split-summary.json`) : fs.readFileSync(path.join(root, 'corpus', 'split-summary.json'), 'utf8');
  const summary = JSON.parse(text);
  const at = commit ? commitOf(root, commit) : null;
  const full = at?.full ?? null;
  const train = Object.fromEntries(
    Object.entries(summary.languages).map(([lang, s]) => [lang, { packages: s.train.packages, files: s.train.files, bytes: s.train.bytes, megabytes: s.train.bytes / 1e6 }]),
  );
  const languages = Object.values(summary.languages);
  return {
    what: `Train packages, files and bytes (and MB, 10^6 bytes) per language of corpus/split-summary.json${full ? ` at commit ${full}` : ''}, and packages in all (train, validation and test).`,
    ...(full ? { commit: full } : {}),
    packages: {
      train: languages.reduce((n, s) => n + s.train.packages, 0),
      all: languages.reduce((n, s) => n + s.train.packages + s.validation.packages + s.test.packages, 0),
    },
    train,
    provenance: {
      command: COMMAND,
      settings: { from: 'corpus/split-summary.json', commit: full },
      weights: null,
      machine: 'none: read from the split summary that scripts/split-corpus.js wrote',
      date: at?.date ?? splitChangedOn(root),
      note: 'derived',
    },
  };
}

/**
 * When the working tree's split summary last changed: the date of the last
 * commit that touched it, or, in a clone whose history stops short of that
 * (a shallow clone's one commit touches every file), the date the result
 * file already holds.
 */
function splitChangedOn(root) {
  const summary = 'corpus/split-summary.json';
  try {
    if (git(root, 'status', '--porcelain', '--', summary).trim() !== '') return new Date().toISOString();
    if (git(root, 'rev-parse', '--is-shallow-repository').trim() !== 'true') {
      const date = git(root, 'log', '-1', '--format=%cI', '--', summary).trim();
      if (date) return date;
    }
  } catch {
    // Not a git checkout (a copy of the tree): only the recorded date can say.
  }
  const kept = path.join(root, 'bench', 'results', 'corpus-split-sizes.json');
  return fs.existsSync(kept) ? JSON.parse(fs.readFileSync(kept, 'utf8')).provenance.date : new Date().toISOString();
}

/** Each derived file, under bench/results/, and how it is made. */
const DERIVED = [
  {
    file: 'validation-means.json',
    build: (root) =>
      validationMeans(
        root,
        ['A-1x256', 'B2-384a', 'C2-256a', 'D-384r', 'E-384l1', 'F-384c', 'G-512w', 'H-384s', 'I-2x384d', 'J-384c', 'J-384d', 'J-384e', 'J-384f', 'J-384g', 'K-384a', 'K-384b', 'L-384a', 'L-384b', 'M-soup-Kab', 'M-soup-Lab', 'M-soup-KaLab', 'M-soup-KabLab', 'previous'],
        [
          ['M-soup-KabLab', 'K-384a'],
          ['M-soup-KaLab', 'K-384a'],
          ['M-soup-Lab', 'K-384a'],
          ['M-soup-Kab', 'K-384a'],
          ['L-384a', 'K-384a'],
          ['L-384b', 'K-384a'],
          ['K-384a', 'J-384g'],
          ['K-384b', 'J-384g'],
          ['J-384g', 'J-384e'],
          ['J-384f', 'J-384e'],
          ['J-384e', 'J-384c'],
          ['J-384d', 'J-384c'],
          ['J-384c', 'H-384s'],
          ['B2-384a', 'C2-256a'],
          ['D-384r', 'I-2x384d'],
        ],
      ),
  },
  {
    file: 'compare-2026-12-04-src-size.json',
    // Counted from git objects of an old commit, which a shallow clone (as CI may make) lacks: written by a full run, not re-checked by --check.
    checked: false,
    build: (root) =>
      textAtCommit(root, {
        commit: '99edab3',
        under: 'src',
        suffix: '.ts',
        exclude: 'generated',
        command: "git ls-files 'src/*.ts' | grep -v generated",
        note: 'what compare-2026-12-04-src.json read (its command lists these files), at the commit that added it',
      }),
  },
  {
    file: 'model-size.json',
    build: (root) => modelSize(root, 'models/default'),
  },
  {
    file: 'corpus-split-sizes.json',
    build: (root) => corpusSplitSizes(root, null),
  },
  {
    file: 'corpus-split-sizes-before-shell-grew.json',
    // From git history (the split before the shell lists grew, which stages 1 to 3 trained on): a shallow clone lacks it.
    checked: false,
    build: (root) => corpusSplitSizes(root, 'd630bf8'),
  },
];

const render = (value) => `${JSON.stringify(value, null, 1)}\n`;

if (require.main === module) {
  const root = path.resolve(__dirname, '..');
  const check = process.argv.includes('--check');
  let stale = 0;
  try {
    for (const { file, build, checked = true } of DERIVED) {
      if (check && !checked) continue;
      const full = path.join(root, 'bench', 'results', file);
      const text = render(build(root));
      const old = fs.existsSync(full) ? fs.readFileSync(full, 'utf8') : null;
      if (text === old) continue;
      stale++;
      process.stderr.write(`derive-results: bench/results/${file} ${check ? 'is stale' : 'rewritten'}\n`);
      if (!check) fs.writeFileSync(full, text);
    }
  } catch (err) {
    process.stderr.write(`derive-results: ${err.message}\n`);
    process.exit(1);
  }
  if (check && stale > 0) {
    process.stderr.write('derive-results: run node scripts/derive-results.js to rewrite them from their sources\n');
    process.exit(1);
  }
}

module.exports = { DERIVED, validationMeans, textAtCommit, modelSize, corpusSplitSizes };
