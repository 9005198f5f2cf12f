#!/usr/bin/env bash
# Writes the ~3,000-line TypeScript file that `lstm-lens bench completion` is
# measured on (bench/README.md, README "Inline completion"): the repository's own
# src/**/*.ts at a pinned commit, in path order, cut at 3,000 lines. Pinned so the
# text is the same on every machine and after src/ changes.
# Usage: bash bench/completion-file.sh [OUT]   (default .tmp/bench/completion-3000.ts)
set -euo pipefail
cd "$(dirname "$0")/.."
COMMIT=a89dff3
OUT="${1:-.tmp/bench/completion-3000.ts}"
git cat-file -e "$COMMIT^{commit}" 2>/dev/null || { echo "commit $COMMIT is not in this clone (a shallow clone?); fetch more history" >&2; exit 1; }
mkdir -p "$(dirname "$OUT")"
all="$(mktemp)"
trap 'rm -f "$all"' EXIT
git ls-tree -r --name-only "$COMMIT" -- src | grep '\.ts$' | grep -v '\.generated\.ts$' | LC_ALL=C sort \
  | while read -r f; do git show "$COMMIT:$f"; done >"$all"
head -n 3000 "$all" >"$OUT"
echo "$OUT: $(wc -l <"$OUT") lines, $(wc -c <"$OUT") bytes" >&2
