#!/usr/bin/env bash
# Training speed of the PyTorch trainer (python/lstm_lens_torch.py) beside
# `lstm-lens train` (the fused wasm engine) in one run: the same corpus, the
# same model shape (embedding 64 -> LSTM 2x256 -> dense 98), batch 32 x
# window 64, the same time budget each, one after the other.
# Usage: bench/torch-vs-fused.sh [MINUTES] [CORPUS...] > bench/results/torch-vs-fused-DATE.json
# Defaults: 1 minute each on src/. Needs dist/cli.js and Debian's python3-torch
# (for /usr/bin/python3). Progress goes to stderr, one JSON object to stdout.
set -euo pipefail
cd "$(dirname "$0")/.."
MINUTES="${1:-1}"
shift || true
CORPUS=("$@")
[ ${#CORPUS[@]} -gt 0 ] || CORPUS=(src)
WORK="$(mktemp -d)"
trap 'rm -rf "$WORK"' EXIT
SHAPE=(--layers 2 --hidden 256 --embed 64 --seq 64 --batch 32)
# The load average says how much other work shared the cores during the run.
LOAD_BEFORE="$(cut -d' ' -f1-3 /proc/loadavg)"

echo "lstm-lens train (fused, 2 threads), $MINUTES min" >&2
node dist/cli.js train --out "$WORK/fused" --minutes "$MINUTES" --threads 2 "${SHAPE[@]}" --json "${CORPUS[@]}" > "$WORK/fused.out"
echo "PyTorch (CPU, all cores), $MINUTES min" >&2
/usr/bin/python3 python/lstm_lens_torch.py train --out "$WORK/torch" --minutes "$MINUTES" --device cpu "${SHAPE[@]}" "${CORPUS[@]}" > "$WORK/torch.out"

/usr/bin/python3 - "$WORK" "$MINUTES" "${CORPUS[*]}" "$LOAD_BEFORE" <<'PY'
import json, os, platform, subprocess, sys
import torch
work, minutes, corpus, load_before = sys.argv[1], float(sys.argv[2]), sys.argv[3], sys.argv[4]
last = lambda f: json.loads(open(os.path.join(work, f)).read().strip().splitlines()[-1])
fused, pt = last("fused.out"), last("torch.out")
cpu = next((l.split(":", 1)[1].strip() for l in open("/proc/cpuinfo") if l.startswith("model name")), platform.processor())
pick = lambda r: {k: r.get(k) for k in ("charsPerSecond", "valBitsPerChar", "trainBitsPerChar", "steps", "seconds", "chars", "stoppedBecause")}
date = subprocess.run(["date", "-u", "+%Y-%m-%dT%H:%M:%SZ"], capture_output=True, text=True).stdout.strip()
command = "bench/torch-vs-fused.sh %g %s" % (minutes, corpus)
node = subprocess.run(["node", "--version"], capture_output=True, text=True).stdout.strip()
print(json.dumps({
    "date": date,
    "command": command,
    "machine": {"cpu": cpu, "cores": os.cpu_count(), "node": node,
                "torch": torch.__version__, "torchThreads": torch.get_num_threads(),
                "loadAverageBefore": [float(x) for x in load_before.split()], "loadAverageAfter": list(os.getloadavg())},
    "shape": {"layers": 2, "hidden": 256, "embed": 64, "seq": 64, "batch": 32},
    "minutesEach": minutes,
    "fused": dict(pick(fused), engine="lstm-lens train, fused wasm, 2 threads"),
    "pytorch": dict(pick(pt), engine="python/lstm_lens_torch.py train, CPU"),
    "pytorchOverFused": pt["charsPerSecond"] / fused["charsPerSecond"],
    # What scripts/figure-tables.js needs to cite the run (both models start from random weights).
    "provenance": {"command": command, "settings": None, "weights": None, "date": date,
                   "machine": "%s, %d cores, Node %s, torch %s, load average %s" % (cpu, os.cpu_count(), node, torch.__version__, load_before)},
}, indent=1))
PY
