// Joins `lstm-lens bench workspace-names --json` runs, one per project, into
// one result file with its provenance (scripts/figure-tables.js reads it).
// The first project is the one the occurrence weight was chosen on; the
// others are the check.
// TUNING (optional): runs on the first project that tried other weights and
// rules (--skip-without), kept beside the result as the choice's record.
// Usage: [TUNING="RUN.json ..."] node bench/workspace-names-combine.js OUT.json CHOSEN_WEIGHT LABEL=RUN.json [LABEL=RUN.json ...]
'use strict';
const fs = require('fs');

const [out, chosen, ...specs] = process.argv.slice(2);
if (!out || !chosen || specs.length === 0) throw new Error('usage: node bench/workspace-names-combine.js OUT.json CHOSEN_WEIGHT LABEL=RUN.json...');
const projects = specs.map((spec, i) => {
  const eq = spec.indexOf('=');
  const run = JSON.parse(fs.readFileSync(spec.slice(eq + 1), 'utf8').trim().split('\n').pop());
  const { provenance, ...figures } = run;
  return { label: spec.slice(0, eq), role: i === 0 ? 'chose the weight' : 'check', ...figures, command: provenance.command, date: provenance.date, machine: provenance.machine };
});
const first = JSON.parse(fs.readFileSync(specs[0].slice(specs[0].indexOf('=') + 1), 'utf8').trim().split('\n').pop()).provenance;
const tuning = (process.env.TUNING ?? '').split(/\s+/).filter(Boolean).map((file) => {
  const run = JSON.parse(fs.readFileSync(file, 'utf8').trim().split('\n').pop());
  return {
    minPrefix: run.minPrefix,
    onlyWithoutDocumentMatch: run.onlyWithoutDocumentMatch,
    with: run.with.map(({ occurrenceWeight, keystrokesSaved }) => ({ occurrenceWeight, keystrokesSaved })),
    command: run.provenance.command,
    date: run.provenance.date,
  };
});
const result = {
  what: "keystrokes saved in the typing replay on a project's held-out 20% (by path hash), the bundled model untrained, without and with the names of the other 80% in the word memory",
  chosenWeight: Number(chosen),
  projects,
  tuning,
  provenance: {
    ...first,
    command: projects.map((p) => p.command).join(' ; '),
    machine: `${first.machine}; measured while other work ran (under nice 10)`,
  },
};
fs.writeFileSync(out, JSON.stringify(result, null, 1) + '\n');
