#!/usr/bin/env bash
# The learn-this-project path on whole open-source projects that no
# training list names (the corpus's test packages, never used for a choice):
# `lstm-lens bench workspace` on each folder, gathered into one result file
# with its provenance, from which scripts/figure-tables.js writes the README
# table.
#   bash bench/workspace-projects.sh OUT.json LABEL=DIR [LABEL=DIR ...]
# MINUTES (default 1), THREADS (default: as the editor, all cores but one,
# at least 1), MODEL (default models/default), CLI (default dist/cli.js),
# FLAGS (more flags for bench workspace, e.g. "--epochs 1 --no-workspace-match").
set -euo pipefail
cd "$(dirname "$0")/.."
out=${1:?usage: workspace-projects.sh OUT.json LABEL=DIR...}
shift
cli=${CLI:-dist/cli.js}
model=${MODEL:-models/default}
minutes=${MINUTES:-1}
threads=()
[ -n "${THREADS:-}" ] && threads=(--threads "$THREADS")
# shellcheck disable=SC2206
flags=(${FLAGS:-})
lines=()
for spec in "$@"; do
  label=${spec%%=*}
  dir=${spec#*=}
  echo "$label: $dir" >&2
  line=$(node "$cli" bench workspace --dir "$dir" --model "$model" --minutes "$minutes" "${threads[@]}" "${flags[@]}" --json | tail -n 1)
  lines+=("$label"$'\t'"$dir"$'\t'"$line")
done
printf '%s\n' "${lines[@]}" | node -e '
  const fs = require("fs");
  const os = require("os");
  const crypto = require("crypto");
  const path = require("path");
  const [out, model, minutes, threads, command] = process.argv.slice(1);
  const projects = fs.readFileSync(0, "utf8").trim().split("\n").map((l) => {
    const [label, dir, json] = l.split("\t");
    return { label, dir, ...JSON.parse(json) };
  });
  const manifest = JSON.parse(fs.readFileSync(path.join(model, "model.json"), "utf8"));
  const file = manifest.weightsManifest[0].paths[0];
  const sha256 = crypto.createHash("sha256").update(fs.readFileSync(path.join(model, file))).digest("hex");
  const cpus = os.cpus();
  fs.writeFileSync(out, JSON.stringify({ projects, provenance: {
    command,
    settings: { minutes: Number(minutes), flags: process.env.FLAGS || "", threads: threads || "default (all cores but one)", workspaceNames: "the other 80% of the project, offered to the starting model; not to the trained one, as in the editor", workspaceMatch: /--no-workspace-match/.test(process.env.FLAGS || "") ? "off" : "the text of the other 80%, matched by the document cache for both models, as in the editor" },
    weights: { file, sha256 },
    machine: `${cpus[0].model}, ${cpus.length} cores, Node ${process.version}, load average ${os.loadavg().map((l) => l.toFixed(1)).join(" ")}${process.env.LSTM_LENS_BENCH_CONDITIONS ? ", " + process.env.LSTM_LENS_BENCH_CONDITIONS : ""}`,
    date: new Date().toISOString(),
  } }, null, 1) + "\n");
' "$out" "$model" "$minutes" "${THREADS:-}" "$(printf '%q ' bash bench/workspace-projects.sh "$out" "$@")(MINUTES=$minutes${THREADS:+ THREADS=$THREADS}${FLAGS:+ FLAGS=$FLAGS})"
echo "wrote $out" >&2
