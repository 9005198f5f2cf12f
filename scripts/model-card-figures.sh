#!/usr/bin/env bash
# Measures a model for its model card on the held-out split (run
# train-default.sh first, which fetches and splits the corpus), per language:
#   bits/char and top-1 on every held-out file, beside xz -9e (each file on
#   its own) and a 6-gram Kneser-Ney baseline trained on the same training text;
#   keystrokes saved and accept rate from a typing replay (eval --keystrokes,
#   the editor's default settings) on the first KEYSTROKE_CHARS characters'
#   worth of held-out files (sorted by path), for the model and the baseline;
#   and the same replay of the model with the completion settings before the
#   expected-saving cut (beam 4, confidence floor 0.4), side by side; and both
#   replays again without the document cache (--no-document-match), to show
#   what the model alone does.
# Writes <language>.{bpc,keys,keys-nomatch,keys-floor}.json to CARD_OUT (default
# .cache/card). BASELINE=none leaves the n-gram out (to compare candidate
# models quickly: the baseline does not change with the model), and
# OLD_SETTINGS=none the replay with the settings before the cut.
#   bash scripts/model-card-figures.sh [MODEL_DIR]   (default models/default)
set -euo pipefail
cd "$(dirname "$0")/.."
model=${1:-models/default}
KEYSTROKE_CHARS=${KEYSTROKE_CHARS:-20000}
cli=${CLI:-dist/cli.js}
out=${CARD_OUT:-.cache/card}
baseline=()
[ "${BASELINE:-ngram}" = none ] || baseline=(--baseline ngram --train-corpus .cache/split/train)
mkdir -p "$out"
declare -A patterns=([typescript]='*.ts' [javascript]='*.js' [python]='*.py' [c]='*.[ch]')
for lang in typescript javascript python c; do
  mapfile -t files < <(find ".cache/split/heldout/$lang" -type f -name "${patterns[$lang]}" | sort)
  [ "${#files[@]}" -gt 0 ] || { echo "no held-out $lang files: run scripts/train-default.sh sweep first" >&2; exit 1; }
  subset=()
  total=0
  for f in "${files[@]}"; do
    [ "$total" -ge "$KEYSTROKE_CHARS" ] && break
    subset+=("$f")
    total=$((total + $(wc -c < "$f")))
  done
  echo "$lang: ${#files[@]} held-out files; keystroke replay on ${#subset[@]} files, $total bytes" >&2
  node "$cli" eval --model "$model" --json --xz "${baseline[@]}" "${files[@]}" > "$out/$lang.bpc.json"
  node "$cli" eval --model "$model" --json --keystrokes "${baseline[@]}" "${subset[@]}" > "$out/$lang.keys.json"
  node "$cli" eval --model "$model" --json --keystrokes --no-document-match "${baseline[@]}" "${subset[@]}" > "$out/$lang.keys-nomatch.json"
  [ "${OLD_SETTINGS:-yes}" = none ] ||
    node "$cli" eval --model "$model" --json --keystrokes --beam 4 --min-char-prob 0.4 --min-expected-saving 0 --no-document-match "${subset[@]}" > "$out/$lang.keys-floor.json"
done
