// Bits/char with dynamic evaluation (each window predicted, then learned), per
// setting, over packages: the quick measure its learning rate was chosen by.
// Usage (after `npx tsc -p tsconfig.test.json`):
//   node bench/dynamic-eval-bits.js PKG_DIR[,PKG_DIR...] '[{"learningRate":0.5}, ...]' [MAX_CHARS_PER_PACKAGE]
// Files of a package are read in path order, each a fresh stream; weights carry over within a package.
'use strict';
const fs = require('fs');
const path = require('path');
const core = path.join(__dirname, '..', 'out', 'src', 'core');
const { loadModel } = require(path.join(core, 'model', 'modelFiles'));
const { createFastestOps } = require(path.join(core, 'kernels', 'wasmOps'));
const { DEFAULT_DYNAMIC_EVAL, DynamicEvaluator } = require(path.join(core, 'dynamicEval', 'dynamicEvaluator'));
const { encode } = require(path.join(core, 'vocab'));

function files(dir) {
  const out = [];
  (function walk(d) {
    for (const e of fs.readdirSync(d, { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))) {
      const p = path.join(d, e.name);
      if (e.isDirectory()) walk(p);
      else out.push(p);
    }
  })(dir);
  return out;
}

(async () => {
  const model = await loadModel(path.join(__dirname, '..', 'models', 'default'));
  const pkgs = process.argv[2].split(',');
  const grid = JSON.parse(process.argv[3]);
  const maxChars = Number(process.argv[4] || 20000);
  for (const s of grid) {
    let bits = 0;
    let n = 0;
    for (const pkg of pkgs) {
      const ev = new DynamicEvaluator(createFastestOps(), model.layout, model.params, { ...DEFAULT_DYNAMIC_EVAL, ...s });
      let used = 0;
      for (const f of files(pkg)) {
        if (used >= maxChars) break;
        const ids = encode(fs.readFileSync(f, 'utf8').slice(0, maxChars - used));
        used += ids.length;
        ev.newStream();
        const r = ev.adapt(ids);
        bits += r.lossSum / Math.LN2;
        n += r.consumed;
      }
    }
    process.stdout.write(`${JSON.stringify({ ...DEFAULT_DYNAMIC_EVAL, ...s })} bitsPerChar ${(bits / n).toFixed(4)} chars ${n}\n`);
  }
})();
