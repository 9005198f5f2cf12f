#!/usr/bin/env bash
# End-to-end tests: the packaged extension in a real VS Code (code-server) driven
# by headless Chromium. Installs what it needs (cached in .cache/code-server/),
# builds dist/, compiles test/e2e to out/test/e2e, runs mocha on the *.e2e.js files.
# Extra arguments go to mocha (e.g. --grep activation). Exit code: mocha's.
#   E2E_SCREENSHOTS  folder for screenshots (default .tmp/e2e-screenshots)
#   E2E_DEBUG=1      print the harness's start-up steps
#   E2E_KEEP_TMP=1   keep each session's temp folder (profile, logs, workspace copy)
set -euo pipefail
cd "$(dirname "$0")/.."

log() { printf '[run-e2e] %s\n' "$*" >&2; }

t0=$SECONDS
log "installing e2e dependencies (cached after the first run)"
bash scripts/install-e2e-deps.sh
log "dependencies ready in $((SECONDS - t0)) s"

log "npm run compile"
npm run compile >&2

log "compiling test/e2e (tsc -p test/e2e/tsconfig.json)"
rm -rf out/test/e2e
npx --no-install tsc -p test/e2e/tsconfig.json

export E2E_SCREENSHOTS="${E2E_SCREENSHOTS:-.tmp/e2e-screenshots}"
log "running mocha (screenshots in $E2E_SCREENSHOTS)"
t1=$SECONDS
set +e
# --no-config: .mocharc.json holds the unit tests' spec, which mocha would add to ours.
npx --no-install mocha --no-config --timeout 300000 --slow 30000 --reporter spec --exit 'out/test/e2e/**/*.e2e.js' "$@"
rc=$?
set -e
log "mocha exited with $rc after $((SECONDS - t1)) s (total $((SECONDS - t0)) s)"
exit "$rc"
