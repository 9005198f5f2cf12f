#!/usr/bin/env bash
# The README's concept-cell figures from a real VS Code: the bundled model and
# a random-init model of the same shape on a held-out file, each concept's
# best cell as the heatmap track (test/e2e/screenshots/heatmapFigures.ts).
# One command: builds dist/, packages the extension, runs code-server +
# headless Chromium (installed and cached by install-e2e-deps.sh), and
# writes PNGs and cells.json to OUT (default docs/images/heatmap-concepts).
#   bash scripts/heatmap-screenshots.sh [OUT]
#   E2E_VSIX=path.vsix  use a packaged extension instead of building one
set -euo pipefail
cd "$(dirname "$0")/.."
OUT="${1:-docs/images/heatmap-concepts}"

log() { printf '[heatmap-screenshots] %s\n' "$*" >&2; }

bash scripts/install-e2e-deps.sh
if [[ -z "${E2E_VSIX:-}" ]]; then
  log "npm run compile (dist/ is what the packaged extension runs)"
  npm run compile >&2
fi
log "compiling test/e2e (tsc -p test/e2e/tsconfig.json)"
npx --no-install tsc -p test/e2e/tsconfig.json
log "drawing the figures into $OUT"
node out/test/e2e/screenshots/heatmapFigures.js "$OUT"
