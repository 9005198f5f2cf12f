// Joins bench/dynamic-eval.sh's eval runs (DIR/<package>.{without,with}.json)
// into one result file with its provenance (scripts/figure-tables.js reads it).
// Usage: node bench/dynamic-eval-combine.js DIR OUT.json "PACKAGE ..." COMMAND
// LOAD_NOTE (optional) is added to the machine line, e.g. "measured while other work ran".
'use strict';
const fs = require('fs');

const [dir, out, packages, command] = process.argv.slice(2);
const read = (name, kind) => JSON.parse(fs.readFileSync(`${dir}/${name}.${kind}.json`, 'utf8').trim().split('\n').pop());
const rows = packages.split(' ').map((pkg) => {
  const name = pkg.replace(/[/@]/g, '_');
  const w = read(name, 'without');
  const d = read(name, 'with');
  return {
    package: pkg,
    files: w.files.map((f) => f.file),
    chars: w.chars,
    without: { keystrokesSaved: w.keystrokesSaved, acceptRate: w.acceptRate, bitsPerChar: w.bitsPerChar, seconds: w.seconds, command: w.provenance.command, date: w.provenance.date },
    with: { keystrokesSaved: d.keystrokesSaved, acceptRate: d.acceptRate, bitsPerChar: d.dynamicEvaluation.bitsPerChar, seconds: d.seconds, dynamicEvaluation: d.dynamicEvaluation, command: d.provenance.command, date: d.provenance.date },
  };
});
const chars = rows.reduce((s, r) => s + r.chars, 0);
const mean = (side) => rows.reduce((s, r) => s + r[side].keystrokesSaved * r.chars, 0) / chars;
const first = read(packages.split(' ')[0].replace(/[/@]/g, '_'), 'with');
const result = {
  what: 'keystrokes saved in the typing replay with and without dynamic evaluation, on held-out test packages (files typed in path order, the adaptation carried from file to file)',
  chars,
  total: { without: mean('without'), with: mean('with') },
  dynamicEvaluation: (({ windowChars, learningRate, decay, maxGradNorm }) => ({ windowChars, learningRate, decay, maxGradNorm }))(first.dynamicEvaluation),
  packages: rows,
  provenance: { ...first.provenance, command, machine: process.env.LOAD_NOTE ? `${first.provenance.machine}; ${process.env.LOAD_NOTE}` : first.provenance.machine },
};
fs.writeFileSync(out, JSON.stringify(result) + '\n');
process.stdout.write(`wrote ${out}\n`);
