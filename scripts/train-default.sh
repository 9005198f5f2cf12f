#!/usr/bin/env bash
# Reproduces the bundled model's sweep (models/default/MODEL_CARD.md):
# fetch the pinned corpus, split off the held-out set, train each candidate
# size for the same wall-clock budget on this machine, and measure each on the
# held-out files per language and on completion latency.
#   bash scripts/train-default.sh sweep          # all candidates
#   bash scripts/train-default.sh final 2 256 64  # the chosen one, longer
# Budgets: SWEEP_MINUTES (default 5), FINAL_MINUTES (default 25). FROM: the
# model "final" continues (default: the sweep run of that size). OUT_NAME:
# the final run's folder under .cache/sweep (default final-LxH-TT).
# REPEAT=c:2 gives the training packages of one language twice (oversampling;
# the copies keep their names, so a file and its copy land on the same side
# of the validation split). THREADS: the trainer's threads (default 2).
set -euo pipefail
cd "$(dirname "$0")/.."
SWEEP_MINUTES=${SWEEP_MINUTES:-5}
FINAL_MINUTES=${FINAL_MINUTES:-25}
# Adam's learning rate, its decay per epoch, and validations without improvement before stopping.
LR=${LR:-0.002}
LR_DECAY=${LR_DECAY:-0.95}
PATIENCE=${PATIENCE:-4}
THREADS=${THREADS:-2}
REPEAT=${REPEAT:-}
out=.cache/sweep
mkdir -p "$out"
[ -f dist/cli.js ] || npm run compile
# A private copy of the build, so that rebuilding while a sweep runs cannot
# change the code half way through.
rm -rf .cache/sweep-dist && cp -r dist .cache/sweep-dist
cli=.cache/sweep-dist/cli.js
bash scripts/fetch-corpus.sh >/dev/null
node scripts/split-corpus.js

# The training folders: the split, plus REPEAT's extra copies of one language.
train_roots() {
  echo .cache/split/train
  [ -n "$REPEAT" ] || return 0
  local lang=${REPEAT%%:*} times=${REPEAT##*:} i
  for ((i = 2; i <= times; i++)); do
    local dir=.cache/split/repeat-$lang-$i
    rm -rf "$dir" && mkdir -p "$dir"
    # shellcheck disable=SC2046
    cp -r $(node -e 'for (const s of require("./scripts/corpus-sources.js").readCorpusSources()) if (s.language === process.argv[1]) console.log(`.cache/split/train/${s.name}@${s.version}`)' "$lang") "$dir"/
    echo "$dir"
  done
}

heldout_files() { find ".cache/split/heldout/$1" -type f | sort; }

measure() { # name
  local name=$1 lang
  for lang in typescript javascript python c; do
    # shellcheck disable=SC2046
    node "$cli" eval --model "$out/$name" --json $(heldout_files "$lang") > "$out/$name.eval.$lang.json"
  done
  for beam in 1 4; do
    node "$cli" complete --model "$out/$name" --file samples/sample.ts --offset 283 --beam "$beam" --json > "$out/$name.complete.beam$beam.json"
  done
}

train() { # name minutes layers hidden seq [extra...]
  local name=$1 minutes=$2 layers=$3 hidden=$4 seq=$5
  shift 5
  echo "training $name for $minutes min" >&2
  # shellcheck disable=SC2046
  node "$cli" train --threads "$THREADS" --out "$out/$name" --layers "$layers" --hidden "$hidden" --seq "$seq" --minutes "$minutes" \
    --lr "$LR" --lr-decay "$LR_DECAY" --dropout 0.1 --val 0.08 --patience "$PATIENCE" --json "$@" $(train_roots) \
    > "$out/$name.train.json" 2> "$out/$name.train.log"
  measure "$name"
}

case "${1:-sweep}" in
  sweep)
    for cfg in "1 256 64" "2 256 64" "2 384 64" "2 256 128"; do
      read -r layers hidden seq <<< "$cfg"
      train "${layers}x${hidden}-T${seq}" "$SWEEP_MINUTES" "$layers" "$hidden" "$seq"
    done ;;
  final)
    layers=$2 hidden=$3 seq=$4
    train "${OUT_NAME:-final-${layers}x${hidden}-T${seq}}" "$FINAL_MINUTES" "$layers" "$hidden" "$seq" --from "${FROM:-$out/${layers}x${hidden}-T${seq}}" ;;
  *) echo "usage: $0 sweep | final LAYERS HIDDEN SEQ" >&2; exit 2 ;;
esac
