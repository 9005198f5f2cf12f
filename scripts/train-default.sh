#!/usr/bin/env bash
# Trains a candidate for the bundled model (models/default/MODEL_CARD.md says
# which stages made the shipped one): fetch the pinned corpus, split it by
# package, train on the train packages with validation on the *validation
# packages* (every choice is made there; the test packages are for the card
# alone), and measure the result on the validation packages per language.
#   bash scripts/train-default.sh NAME MINUTES LAYERS HIDDEN [SEQ]
# writes .cache/sweep/NAME/ (the model, with a checkpoint of the best weights
# every CHECKPOINT minutes), NAME.train.json/.log and NAME.val.<language>.json.
# Environment: FROM (a model folder to continue; its shape wins; with WIDEN=N
# its layers grow to N units, keeping its outputs; with DEEPEN=1 it gets one
# more layer on top, starting as a near copy of its top layer), LR (Adam,
# default 2e-3), LR_DECAY (per epoch, 0.95), PATIENCE (validations without
# improvement before stopping, 4), REINDENT (share of training files
# re-indented to another style, 0.25), ANNEAL (share of the minutes at the
# end over which the learning rate falls linearly to 0, 0 = off), CELL_L1 (L1
# penalty on cell states, 0 = off), THREADS (trainer threads, 1),
# EVAL_EVERY (seconds between validations, 300), SEED (1), START_AT (share of
# the training text where the pass begins, 0: a stage continuing a run that
# time cut short starts where that one stopped), REPEAT (folders of the train
# split read N times per pass, e.g. shell=3; none by default).
set -euo pipefail
cd "$(dirname "$0")/.."
name=${1:?usage: train-default.sh NAME MINUTES LAYERS HIDDEN [SEQ]}
minutes=${2:?minutes}
layers=${3:?layers}
hidden=${4:?hidden}
seq=${5:-64}
out=.cache/sweep
mkdir -p "$out"
[ -f dist/cli.js ] || npm run compile
# A private copy of the build, so that rebuilding while a run goes on cannot
# change the code half way through.
rm -rf ".cache/sweep-dist-$name" && cp -r dist ".cache/sweep-dist-$name"
cli=".cache/sweep-dist-$name/cli.js"
if [ -z "${NO_FETCH:-}" ]; then
  bash scripts/fetch-corpus.sh >/dev/null
  node scripts/split-corpus.js
fi

shape=(--layers "$layers" --hidden "$hidden")
from=()
if [ -n "${FROM:-}" ]; then shape=(); from=(--from "$FROM"); fi
if [ -n "${WIDEN:-}" ]; then from+=(--widen "$WIDEN"); fi
if [ -n "${DEEPEN:-}" ]; then from+=(--deepen); fi
echo "training $name for $minutes min" >&2
node "$cli" train --threads "${THREADS:-1}" --out "$out/$name" "${shape[@]}" "${from[@]}" --seq "$seq" --minutes "$minutes" \
  --lr "${LR:-0.002}" --lr-decay "${LR_DECAY:-0.95}" --anneal "${ANNEAL:-0}" --cell-l1 "${CELL_L1:-0}" --dropout 0.1 --patience "${PATIENCE:-4}" --seed "${SEED:-1}" --start-at "${START_AT:-0}" \
  --reindent "${REINDENT:-0.25}" ${REPEAT:+--repeat "$REPEAT"} --eval-every "${EVAL_EVERY:-300}" --val-from .cache/split/validation --json .cache/split/train \
  > "$out/$name.train.json" 2> "$out/$name.train.log"

for dir in .cache/split/validation/*/; do
  lang=$(basename "$dir")
  mapfile -t files < <(find "$dir" -type f | sort)
  node "$cli" eval --model "$out/$name" --json "${files[@]}" > "$out/$name.val.$lang.json" 2>/dev/null
  # The command, weights, machine and date beside the figures (scripts/figure-tables.js refuses a result without them).
  node -e '
    const fs = require("fs"), os = require("os");
    const [file, model, cli] = process.argv.slice(1);
    const r = JSON.parse(fs.readFileSync(file, "utf8").trim().split("\n").pop());
    const manifest = JSON.parse(fs.readFileSync(model + "/model.json", "utf8"));
    r.provenance = { command: `node ${cli} eval --model ${model} --json <validation files>`, settings: null, weights: manifest.weightsManifest[0].paths[0],
      machine: `${os.cpus()[0].model}, ${os.cpus().length} cores, Node ${process.version}`, date: new Date().toISOString() };
    fs.writeFileSync(file, JSON.stringify(r) + "\n");' "$out/$name.val.$lang.json" "$out/$name" "$cli"
done
node -e '
  const fs = require("fs");
  for (const f of fs.readdirSync(process.argv[1]).filter((f) => f.startsWith(process.argv[2] + ".val.")).sort()) {
    const r = JSON.parse(fs.readFileSync(process.argv[1] + "/" + f, "utf8"));
    console.log(`${f.split(".")[2].padEnd(11)} ${r.bitsPerChar.toFixed(3)} bits/char  top-1 ${(100 * r.top1).toFixed(1)}%`);
  }' "$out" "$name"
