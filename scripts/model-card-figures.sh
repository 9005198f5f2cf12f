#!/usr/bin/env bash
# Measures a model for its model card on the *test packages* (whole projects
# that no training text came from, and that no choice was made on; run
# fetch-corpus.sh and split-corpus.js first), per language:
#   LSTM bits/char and top-1 on every test file, beside xz -9e (each file on
#   its own), a 6-gram Kneser-Ney model trained on that language's training
#   text, and the previous bundled model (PREVIOUS, a model folder);
#   the LSTM on the same files re-indented with tabs, 2, 4 and 8 spaces (the
#   first REINDENT_CHARS characters' worth of files);
#   keystrokes saved and accept rate from the typing replay with the editor's
#   defaults (eval --keystrokes) for the LSTM and the 6-gram, on the first
#   KEYSTROKE_CHARS characters' worth of test files (sorted by path);
#   bits/char with the document cache mixed in (eval --document-match), the
#   LSTM and the 6-gram alike: the next-character prediction completions use.
# Writes <language>.{bpc,previous,asis,tab,2,4,8,cache,keys}.json to CARD_OUT (default
# bench/results/card), each with the command that made it.
#   bash scripts/model-card-figures.sh [MODEL_DIR]   (default models/default)
# BASELINE=none leaves the n-gram out; PREVIOUS=none the previous model;
# LANGS="go rust" measures only those; STEPS="bpc keys" only those steps
# (of bpc, previous, reindent, cache, keys).
set -euo pipefail
cd "$(dirname "$0")/.."
model=${1:-models/default}
KEYSTROKE_CHARS=${KEYSTROKE_CHARS:-10000}
REINDENT_CHARS=${REINDENT_CHARS:-40000}
cli=${CLI:-dist/cli.js}
out=${CARD_OUT:-bench/results/card}
previous=${PREVIOUS:-.cache/previous-model}
mkdir -p "$out"
langs=${LANGS:-$(ls .cache/split/test)}

first_chars() { # limit file...: the first files whose sizes add up to limit
  local limit=$1 total=0 f
  shift
  for f in "$@"; do
    [ "$total" -ge "$limit" ] && break
    echo "$f"
    total=$((total + $(wc -c < "$f")))
  done
}

run() { # output-file command...: runs it, keeps its JSON with the command beside it
  local dest=$1
  shift
  "$@" > "$dest.tmp"
  node -e '
    const fs = require("fs");
    const [dest, model, ...cmd] = process.argv.slice(1);
    const r = JSON.parse(fs.readFileSync(dest + ".tmp", "utf8").trim().split("\n").pop());
    const manifest = JSON.parse(fs.readFileSync(model + "/model.json", "utf8"));
    r.provenance = { command: cmd.join(" ").replace(/\S*\.cache\/split\/test\/\S*/g, "").replace(/\s+/g, " ").trim() + " <test files>",
      weights: manifest.weightsManifest[0].paths[0], date: new Date().toISOString(), machine: `${require("os").cpus()[0].model}, ${require("os").cpus().length} cores, Node ${process.version}` };
    fs.writeFileSync(dest, JSON.stringify(r) + "\n");
    fs.unlinkSync(dest + ".tmp");' "$dest" "$model" "$@"
}

for lang in $langs; do
  mapfile -t files < <(find ".cache/split/test/$lang" -type f | sort)
  [ "${#files[@]}" -gt 0 ] || { echo "no $lang test files: run scripts/fetch-corpus.sh and scripts/split-corpus.js" >&2; exit 1; }
  mapfile -t typed < <(first_chars "$KEYSTROKE_CHARS" "${files[@]}")
  mapfile -t shifted < <(first_chars "$REINDENT_CHARS" "${files[@]}")
  baseline=()
  [ "${BASELINE:-ngram}" = none ] || baseline=(--baseline ngram --train-corpus ".cache/split/train/$lang")
  echo "$lang: ${#files[@]} test files; replay on ${#typed[@]}, re-indented on ${#shifted[@]}" >&2
  steps=" ${STEPS:-bpc previous reindent cache keys} "
  [[ $steps == *" bpc "* ]] && run "$out/$lang.bpc.json" node "$cli" eval --model "$model" --json --xz "${baseline[@]}" "${files[@]}"
  if [[ $steps == *" previous "* ]] && [ "$previous" != none ] && [ -d "$previous" ]; then
    run "$out/$lang.previous.json" node "$cli" eval --model "$previous" --json "${files[@]}"
  fi
  if [[ $steps == *" reindent "* ]]; then
    run "$out/$lang.asis.json" node "$cli" eval --model "$model" --json "${shifted[@]}"
    for style in tab 2 4 8; do
      run "$out/$lang.$style.json" node "$cli" eval --model "$model" --json --reindent "$style" "${shifted[@]}"
    done
  fi
  # As completions see the next character: the model and the 6-gram, each with the document cache mixed in.
  [[ $steps == *" cache "* ]] && run "$out/$lang.cache.json" node "$cli" eval --model "$model" --json --document-match "${baseline[@]}" "${files[@]}"
  [[ $steps == *" keys "* ]] && run "$out/$lang.keys.json" node "$cli" eval --model "$model" --json --keystrokes "${baseline[@]}" "${typed[@]}"
done
exit 0
