#!/usr/bin/env bash
# Keystrokes saved in the typing replay with and without dynamic evaluation
# (lstmLens.completion.dynamicEvaluation), on held-out test packages: each
# package's files typed in path order, the adaptation carried from file to
# file, up to MAX_CHARS characters of whole files per package.
# Usage: bench/dynamic-eval.sh OUT.json [CLI] ; CLI defaults to dist/cli.js.
set -euo pipefail
out=${1:?usage: bench/dynamic-eval.sh OUT.json [CLI]}
cli=${2:-dist/cli.js}
split=${SPLIT:-/work/main/.cache/split/test}
max_chars=${MAX_CHARS:-12000}
packages=${PACKAGES:-"typescript/@xterm typescript/ethers@6.17.0 python/python3-absl@0.15.0-2 python/python3-dkim@1.1.4-1"}
tmp=$(mktemp -d)
for pkg in $packages; do
  files=()
  total=0
  while IFS= read -r f; do
    n=$(wc -c <"$f")
    if ((total > 0 && total + n > max_chars)); then break; fi
    files+=("$f")
    total=$((total + n))
  done < <(find "$split/$pkg" -type f | LC_ALL=C sort)
  name=$(echo "$pkg" | tr '/@' '__')
  node "$cli" eval --model models/default --keystrokes --json "${files[@]}" >"$tmp/$name.without.json"
  node "$cli" eval --model models/default --keystrokes --dynamic-eval --json "${files[@]}" >"$tmp/$name.with.json"
done
node -e '
const fs = require("fs"); const [dir, out, packages] = process.argv.slice(1);
const rows = packages.split(" ").map((pkg) => {
  const name = pkg.replace(/[/@]/g, "_");
  const w = JSON.parse(fs.readFileSync(`${dir}/${name}.without.json`, "utf8"));
  const d = JSON.parse(fs.readFileSync(`${dir}/${name}.with.json`, "utf8"));
  return { package: pkg, files: w.files.map((f) => f.file), chars: w.chars, without: { keystrokesSaved: w.keystrokesSaved, acceptRate: w.acceptRate, seconds: w.seconds, provenance: w.provenance }, with: { keystrokesSaved: d.keystrokesSaved, acceptRate: d.acceptRate, seconds: d.seconds, dynamicEvaluation: d.dynamicEvaluation, provenance: d.provenance } };
});
const mean = (k) => rows.reduce((s, r) => s + r[k].keystrokesSaved * r.chars, 0) / rows.reduce((s, r) => s + r.chars, 0);
fs.writeFileSync(out, JSON.stringify({ what: "keystrokes saved in the typing replay with and without dynamic evaluation, held-out test packages", note: "measured while other work ran (two training runs and other helpers on 2 cores)", total: { without: mean("without"), with: mean("with") }, packages: rows }, null, 1) + "\n");
' "$tmp" "$out" "$packages"
echo "wrote $out"
