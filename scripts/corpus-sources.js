'use strict';
// The corpus sources lists, read the same way by every corpus script. The
// bundled model's corpus is corpus/sources/<language>.tsv, one tab-separated
// package per line ('#' comments):
//   kind  name  version  license  language  split  paths
// split is train, validation or test: whole packages, so that every choice is
// made, and every card figure measured, on projects training never saw.
// A list in the older six-column form (no split) reads as all train.
const fs = require('fs');
const path = require('path');

const root = path.resolve(__dirname, '..');
const SPLITS = ['train', 'validation', 'test'];

function readList(file) {
  const sources = [];
  const lines = fs.readFileSync(file, 'utf8').split('\n');
  lines.forEach((line, i) => {
    if (!line.trim() || line.startsWith('#')) return;
    const cols = line.split('\t');
    const where = `${path.relative(root, file)}:${i + 1}`;
    let s;
    if (cols.length === 6) {
      const [kind, name, version, license, language, paths] = cols;
      s = { kind, name, version, license, language, split: 'train', paths };
    } else if (cols.length === 7) {
      const [kind, name, version, license, language, split, paths] = cols;
      s = { kind, name, version, license, language, split, paths };
    } else throw new Error(`${where}: expected 7 tab-separated columns, found ${cols.length}`);
    if (!['npm', 'deb'].includes(s.kind)) throw new Error(`${where}: kind must be npm or deb, not ${s.kind}`);
    if (!SPLITS.includes(s.split)) throw new Error(`${where}: split must be ${SPLITS.join(', ')}, not ${s.split}`);
    if (!s.paths || !s.paths.trim()) throw new Error(`${where}: no paths`);
    sources.push(s);
  });
  return sources;
}

/**
 * The packages of a sources list or folder of lists: { kind, name, version,
 * license, language, split, paths }. `where` is relative to the repository
 * root; the default is CORPUS_SOURCES, else the folder corpus/sources.
 */
function readCorpusSources(where = process.env.CORPUS_SOURCES ?? 'corpus/sources') {
  const abs = path.resolve(root, where);
  const files = fs.statSync(abs).isDirectory()
    ? fs.readdirSync(abs).filter((f) => f.endsWith('.tsv')).sort().map((f) => path.join(abs, f))
    : [abs];
  const sources = files.flatMap(readList);
  const seen = new Map();
  for (const s of sources) {
    const key = `${s.name}@${s.version}`;
    if (seen.has(key) && seen.get(key) !== s.split) throw new Error(`${key} is listed in both ${seen.get(key)} and ${s.split}`);
    seen.set(key, s.split);
  }
  return sources;
}

module.exports = { readCorpusSources, SPLITS };

// `node scripts/corpus-sources.js` prints the list as TSV (kind name version
// license language split paths), for the shell scripts.
if (require.main === module) {
  for (const s of readCorpusSources(process.argv[2])) {
    process.stdout.write([s.kind, s.name, s.version, s.license, s.language, s.split, s.paths].join('\t') + '\n');
  }
}
