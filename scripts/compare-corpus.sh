#!/usr/bin/env bash
# The lectures' comparison on the bundled model's corpus: an LSTM, a GRU and
# a plain RNN trained for the same minutes on the same train packages and
# measured on the validation packages (held out by package, as the bundled
# model is), then the README's table and gradient-reach plot.
#   bash scripts/compare-corpus.sh MINUTES [LANGUAGE...]
# Needs the split corpus (fetch-corpus.sh, split-corpus.js). Writes
# bench/results/compare-<date>-corpus.json and docs/images/gradient-reach.svg.
# Environment: CLI (default dist/cli.js), HIDDEN (128), THREADS (1).
set -euo pipefail
cd "$(dirname "$0")/.."
minutes=${1:?usage: compare-corpus.sh MINUTES [LANGUAGE...]}
shift
langs=("${@:-typescript python c}")
read -r -a langs <<< "${langs[*]}"
cli=${CLI:-dist/cli.js}
train=()
val=()
for l in "${langs[@]}"; do
  [ -d ".cache/split/train/$l" ] || { echo "no .cache/split/train/$l: run scripts/fetch-corpus.sh and node scripts/split-corpus.js first" >&2; exit 1; }
  train+=(".cache/split/train/$l")
  val+=(".cache/split/validation/$l")
done
valList=$(IFS=,; echo "${val[*]}")
day=$(date -u +%F)
out="bench/results/compare-$day-corpus.json"
raw=$(mktemp)
command=(node "$cli" compare --minutes "$minutes" --hidden "${HIDDEN:-128}" --threads "${THREADS:-1}" --val-from "$valList" --json "${train[@]}")
echo "${command[*]}" >&2
"${command[@]}" > "$raw"
node -e '
  const fs = require("fs");
  const os = require("os");
  const [raw, out, command, langs] = process.argv.slice(1);
  const lines = fs.readFileSync(raw, "utf8").trimEnd().split("\n");
  const result = JSON.parse(lines.pop());
  const cpus = os.cpus();
  fs.writeFileSync(out, JSON.stringify({
    what: `lstm-lens compare on the bundled corpus: train packages of ${langs}, held out on their validation packages`,
    provenance: {
      command,
      settings: null,
      weights: null,
      machine: `${cpus[0].model}, ${cpus.length} cores, Node ${process.version}, load average ${os.loadavg().map((l) => l.toFixed(1)).join(" ")}`,
      date: new Date().toISOString(),
    },
    report: lines,
    result,
  }, null, 1) + "\n");
  console.log(lines.join("\n"));
' "$raw" "$out" "${command[*]}" "${langs[*]}"
rm -f "$raw"
node scripts/plot-gradient-reach.js "$out" docs/images/gradient-reach.svg
echo "wrote $out" >&2
