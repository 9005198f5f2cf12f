#!/usr/bin/env bash
# The PyTorch package's tests (python/): round trips with the extension's
# model folder, probability agreement with `lstm-lens eval`, corpus rules,
# and a two-process DDP run on CPU. Needs Debian's python3-torch, which is
# for the system interpreter, hence /usr/bin/python3 and not the first
# python3 on PATH; and dist/cli.js (`npm run compile`).
# Usage: scripts/test-python.sh [PATTERN]   e.g. test_corpus.py
set -euo pipefail
cd "$(dirname "$0")/.."
PY=/usr/bin/python3
if ! "$PY" -c 'import torch' 2>/dev/null; then
  echo "scripts/test-python.sh: $PY cannot import torch; install it with: apt-get install python3-torch" >&2
  exit 1
fi
if [ ! -f dist/cli.js ]; then
  echo "scripts/test-python.sh: dist/cli.js is missing; run npm run compile first" >&2
  exit 1
fi
export PYTHONDONTWRITEBYTECODE=1
exec nice -n 5 "$PY" python/tests/run.py "$@"
