#!/usr/bin/env node
// Draws the gradient reach of a `compare` result as an SVG line chart:
// ‖∂loss/∂h‖ k steps before the prediction, relative to k = 0, on a log
// scale, one line per cell type. The README shows it beside the table.
//   node scripts/plot-gradient-reach.js RESULT.json OUT.svg
// RESULT.json is a committed compare result: {"result": compare --json's line, ...}.
'use strict';
const fs = require('fs');

const [input, output] = process.argv.slice(2);
if (!input || !output) {
  console.error('usage: plot-gradient-reach.js RESULT.json OUT.svg');
  process.exit(2);
}
const file = JSON.parse(fs.readFileSync(input, 'utf8'));
const result = file.result ?? file;
const CELLS = [
  ['lstm', 'LSTM', '#1f77b4'],
  ['gru', 'GRU', '#2ca02c'],
  ['rnn', 'plain RNN', '#d62728'],
].filter(([key]) => result[key]?.gradientReach?.length);
if (CELLS.length === 0) {
  console.error(`${input}: no gradientReach in lstm, gru or rnn`);
  process.exit(1);
}

const W = 640;
const H = 360;
const M = { left: 64, right: 130, top: 28, bottom: 44 };
const relative = (reach) => reach.map((v) => Math.max(v / reach[0], 1e-12));
const series = CELLS.map(([key, label, color]) => ({ label, color, values: relative(result[key].gradientReach) }));
const kMax = Math.max(...series.map((s) => s.values.length - 1));
const lowest = Math.min(...series.flatMap((s) => s.values));
const decades = Math.max(1, Math.ceil(-Math.log10(lowest)));
const x = (k) => M.left + ((W - M.left - M.right) * k) / kMax;
const y = (v) => M.top + ((H - M.top - M.bottom) * -Math.log10(v)) / decades;

const parts = [];
parts.push(`<svg xmlns="http://www.w3.org/2000/svg" width="${W}" height="${H}" viewBox="0 0 ${W} ${H}" font-family="sans-serif" font-size="12">`);
parts.push(`<rect width="${W}" height="${H}" fill="white"/>`);
// Grid: one line per decade, ticks every quarter of the window.
for (let d = 0; d <= decades; d++) {
  const gy = y(10 ** -d);
  parts.push(`<line x1="${M.left}" x2="${W - M.right}" y1="${gy}" y2="${gy}" stroke="#ddd"/>`);
  parts.push(`<text x="${M.left - 6}" y="${gy + 4}" text-anchor="end">1e-${d}</text>`);
}
for (let i = 0; i <= 4; i++) {
  const k = Math.round((kMax * i) / 4);
  parts.push(`<line x1="${x(k)}" x2="${x(k)}" y1="${M.top}" y2="${H - M.bottom}" stroke="#eee"/>`);
  parts.push(`<text x="${x(k)}" y="${H - M.bottom + 16}" text-anchor="middle">${k}</text>`);
}
parts.push(`<text x="${(M.left + W - M.right) / 2}" y="${H - 8}" text-anchor="middle">k: characters before the prediction</text>`);
parts.push(`<text x="14" y="${(M.top + H - M.bottom) / 2}" text-anchor="middle" transform="rotate(-90 14 ${(M.top + H - M.bottom) / 2})">‖∂loss/∂h‖ relative to k = 0</text>`);
series.forEach((s, i) => {
  const points = s.values.map((v, k) => `${x(k).toFixed(1)},${y(v).toFixed(1)}`).join(' ');
  parts.push(`<polyline fill="none" stroke="${s.color}" stroke-width="2" points="${points}"/>`);
  const ly = M.top + 10 + 20 * i;
  parts.push(`<line x1="${W - M.right + 12}" x2="${W - M.right + 34}" y1="${ly}" y2="${ly}" stroke="${s.color}" stroke-width="2"/>`);
  parts.push(`<text x="${W - M.right + 40}" y="${ly + 4}">${s.label}</text>`);
});
parts.push('</svg>');
fs.writeFileSync(output, parts.join('\n') + '\n');
console.log(`wrote ${output}: ${series.map((s) => `${s.label} ${s.values[kMax]?.toExponential(1) ?? '–'} at k=${kMax}`).join(', ')}`);
