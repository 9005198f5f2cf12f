'use strict';
// The corpus sources list (corpus/sources.tsv, one tab-separated package per
// line, '#' comments), read the same way by every corpus script.
const fs = require('fs');
const path = require('path');

const root = path.resolve(__dirname, '..');

/**
 * The packages of a sources list: { kind, name, version, license, language,
 * paths }. `file` is relative to the repository root; the default is the
 * list CORPUS_SOURCES names, else corpus/sources.tsv.
 */
function readCorpusSources(file = process.env.CORPUS_SOURCES ?? 'corpus/sources.tsv') {
  const sources = [];
  for (const line of fs.readFileSync(path.resolve(root, file), 'utf8').split('\n')) {
    if (!line.trim() || line.startsWith('#')) continue;
    const [kind, name, version, license, language, paths] = line.split('\t');
    sources.push({ kind, name, version, license, language, paths });
  }
  return sources;
}

module.exports = { readCorpusSources };
