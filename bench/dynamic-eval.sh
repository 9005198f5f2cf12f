#!/usr/bin/env bash
# Keystrokes saved in the typing replay with and without dynamic evaluation
# (lstmLens.completion.dynamicEvaluation), on held-out test packages: each
# package's files typed in path order, the adaptation carried from file to
# file: whole files in path order while the total stays within MAX_CHARS
# (a file that would pass it is skipped).
# Usage (from the repository root): bench/dynamic-eval.sh OUT.json [CLI] ; CLI defaults to dist/cli.js, SPLIT to .cache/split/test.
# EVAL_FLAGS adds eval options to both runs (e.g. "--no-document-match --no-word-memory": the model alone).
# LOAD_NOTE is written beside the machine in the result (e.g. "measured while other work ran").
set -euo pipefail
out=${1:?usage: bench/dynamic-eval.sh OUT.json [CLI]}
cli=${2:-dist/cli.js}
split=${SPLIT:-.cache/split/test}
max_chars=${MAX_CHARS:-20000}
flags=${EVAL_FLAGS:-}
packages=${PACKAGES:-"typescript/@xterm typescript/ethers@6.17.0 python/python3-absl@0.15.0-2 python/python3-dkim@1.1.4-1"}
tmp=$(mktemp -d)
for pkg in $packages; do
  files=()
  total=0
  while IFS= read -r f; do
    n=$(wc -c <"$f")
    if ((total + n > max_chars)); then continue; fi
    files+=("$f")
    total=$((total + n))
  done < <(find "$split/$pkg" -type f | LC_ALL=C sort)
  name=$(echo "$pkg" | tr '/@' '__')
  node "$cli" eval --model models/default --keystrokes $flags --json "${files[@]}" >"$tmp/$name.without.json"
  node "$cli" eval --model models/default --keystrokes $flags --dynamic-eval --json "${files[@]}" >"$tmp/$name.with.json"
done
node "$(dirname "$0")/dynamic-eval-combine.js" "$tmp" "$out" "$packages" "MAX_CHARS=$max_chars${flags:+ EVAL_FLAGS=\"$flags\"} bench/dynamic-eval.sh $*"
rm -rf "$tmp"
