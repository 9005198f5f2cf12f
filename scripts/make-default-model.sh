#!/usr/bin/env bash
# Turns a training run into the bundled model (models/default): names it,
# records the corpus in its manifest, keeps half-precision weights when they
# cost under 1% held-out bits/char (else float32), finds and stores the named
# concept cells on the validation packages (code from projects it never
# trained on; the test packages stay for the card), and replaces models/default.
#   bash scripts/make-default-model.sh .cache/sweep/final-1x256-T64
# STARTED_FROM (optional): what the run continued, in words, for the manifest.
set -euo pipefail
cd "$(dirname "$0")/.."
src=${1:?usage: make-default-model.sh TRAINED_MODEL_DIR}
cli=${CLI:-dist/cli.js}
work=.cache/make-default
rm -rf "$work" && mkdir -p "$work"

# The corpus as the model card lists it: package@version (license), and training bytes per language.
node - "$work/patch.json" <<'JS'
const fs = require('fs');
const path = require('path');
const { readCorpusSources } = require('./scripts/corpus-sources');
const sources = readCorpusSources().filter((s) => s.split === 'train').map((s) => `${s.kind}:${s.name}@${s.version} (${s.license})`);
const byLanguage = {};
let files = 0;
// .cache/split/train/<language>/<package>/...
const walk = (dir, lang) => {
  for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) walk(p, lang);
    else if (e.isFile()) {
      files++;
      byLanguage[lang] = (byLanguage[lang] ?? 0) + fs.statSync(p).size;
    }
  }
};
for (const lang of fs.readdirSync('.cache/split/train')) walk(path.join('.cache/split/train', lang), lang);
fs.writeFileSync(process.argv[2], JSON.stringify({
  training: {
    corpus: { files, chars: Object.values(byLanguage).reduce((a, b) => a + b, 0), sources, byLanguage },
    // The CLI records an absolute path; STARTED_FROM says it in words for the card.
    ...(process.env.STARTED_FROM ? { startedFrom: process.env.STARTED_FROM } : {}),
  },
  notes: 'The bundled default model of LSTM Lens; see MODEL_CARD.md beside it.',
}));
JS

mapfile -t heldout < <(find .cache/split/validation -type f | sort)
for dtype in float32 float16; do
  node "$cli" export --model "$src" --out "$work/$dtype" --dtype "$dtype" --name "lstm-lens default" --manifest "$work/patch.json"
  node "$cli" eval --model "$work/$dtype" --json "${heldout[@]}" > "$work/$dtype.eval.json" 2>/dev/null
done
chosen=$(node -e '
  const r = (d) => JSON.parse(require("fs").readFileSync(`'"$work"'/${d}.eval.json`, "utf8")).bitsPerChar;
  const f32 = r("float32"), f16 = r("float16");
  console.error(`held-out bits/char: float32 ${f32.toFixed(4)}, float16 ${f16.toFixed(4)} (${(100 * (f16 / f32 - 1)).toFixed(3)}%)`);
  console.log(f16 < f32 * 1.01 ? "float16" : "float32");')
echo "keeping $chosen weights" >&2
# The validation figures just measured (eval on every validation file, the state reset per file) go into the
# manifest's metrics, over the trainer's valBitsPerChar and valTop1 (a soup from export --average has none).
node -e '
  const fs = require("fs");
  const [evalFile, patchFile] = process.argv.slice(1);
  const r = JSON.parse(fs.readFileSync(evalFile, "utf8"));
  fs.writeFileSync(patchFile, JSON.stringify({ metrics: { valBitsPerChar: r.bitsPerChar, valTop1: r.top1 } }));' "$work/$chosen.eval.json" "$work/metrics.json"
node "$cli" export --model "$work/$chosen" --out "$work/$chosen.measured" --dtype "$chosen" --manifest "$work/metrics.json"
rm -rf "$work/$chosen" && mv "$work/$chosen.measured" "$work/$chosen"

# Named cells, found on the validation packages (never seen in training),
# stored in the manifest. The files alternate between languages, so that the
# character cap does not leave some out.
mapfile -t mixed < <(for dir in .cache/split/validation/*/; do
  find "$dir" -type f | sort | awk '{print NR "\t" $0}'
done | sort -n -s -k1,1 | cut -f2)
node "$cli" cells --model "$work/$chosen" --json --save --max-chars 40000 "${mixed[@]}" > "$work/cells.json"
rm -rf models/default.new && cp -r "$work/$chosen" models/default.new
if [ -f models/default/MODEL_CARD.md ]; then cp models/default/MODEL_CARD.md models/default.new/; fi
rm -rf models/default && mv models/default.new models/default
cp "$work"/*.json .cache/card/ 2>/dev/null || { mkdir -p .cache/card && cp "$work"/*.json .cache/card/; }
echo "models/default: $(du -sh models/default | cut -f1)" >&2
