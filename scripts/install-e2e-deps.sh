#!/usr/bin/env bash
# Installs what the end-to-end tests need to run the extension in a real VS Code
# on a machine that reaches only the npm registry and Debian's packages:
#   - Debian packages: chromium (driven by playwright-core), libkrb5-dev (headers
#     for code-server's `kerberos` native module), ripgrep (VS Code's search).
#   - code-server (VS Code server + web workbench) from npm, into .cache/code-server/.
# Idempotent: installed Debian packages are skipped, and the code-server step is
# skipped when .cache/code-server/.installed names the same version.
# Each step and its reason: docs/E2E.md.
set -euo pipefail

CODE_SERVER_VERSION="${CODE_SERVER_VERSION:-4.100.3}"
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
CACHE="${E2E_CODE_SERVER_DIR:-$ROOT/.cache/code-server}"
MARKER="$CACHE/.installed"
APT_PACKAGES=(chromium libkrb5-dev ripgrep)

export npm_config_fund=false npm_config_audit=false npm_config_update_notifier=false

log() { printf '[install-e2e-deps] %s\n' "$*" >&2; }
fail() { printf '[install-e2e-deps] ERROR: %s\n' "$*" >&2; exit 1; }
step_failed() { fail "step failed (exit $?) at line $1: $2"; }
trap 'step_failed "$LINENO" "$BASH_COMMAND"' ERR

command -v node >/dev/null || fail "node is not on PATH (Node 20 is required: code-server ${CODE_SERVER_VERSION} runs on Node 20)"
command -v npm >/dev/null || fail "npm is not on PATH"
NODE_MAJOR="$(node -p 'process.versions.node.split(".")[0]')"
[[ "$NODE_MAJOR" == 20 ]] || log "warning: Node $(node --version) found; code-server ${CODE_SERVER_VERSION} is built for Node 20 and its native modules may not load"

# ---------------------------------------------------------------- Debian packages
missing=()
for pkg in "${APT_PACKAGES[@]}"; do
  if [[ "$(dpkg-query -W -f='${db:Status-Status}' "$pkg" 2>/dev/null || true)" == installed ]]; then
    log "apt: $pkg already installed"
  else
    missing+=("$pkg")
  fi
done
# code-server's native modules are rebuilt from source below: they need a C++ toolchain and Python.
for tool in g++:g++ make:make python3:python3; do
  if ! command -v "${tool%%:*}" >/dev/null; then
    log "apt: ${tool%%:*} not found; adding ${tool#*:} (needed to rebuild code-server's native modules)"
    missing+=("${tool#*:}")
  fi
done
if ((${#missing[@]})); then
  command -v apt-get >/dev/null || fail "apt-get not found; install these Debian packages by hand: ${missing[*]}"
  SUDO=()
  if [[ "$(id -u)" != 0 ]]; then
    command -v sudo >/dev/null || fail "not root and no sudo: cannot apt-get install ${missing[*]}"
    SUDO=(sudo -n)
  fi
  log "apt: installing ${missing[*]} (apt-get update first)"
  "${SUDO[@]}" env DEBIAN_FRONTEND=noninteractive apt-get update -q >&2 \
    || fail "apt-get update failed"
  "${SUDO[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends "${missing[@]}" >&2 \
    || fail "apt-get install ${missing[*]} failed"
fi
[[ -x /usr/bin/chromium ]] || fail "/usr/bin/chromium is missing after installing the chromium package"
RG="$(command -v rg || true)"
[[ -n "$RG" ]] || fail "rg (ripgrep) is not on PATH after installing the ripgrep package"

# ---------------------------------------------------------------- code-server
if [[ -f "$MARKER" && "$(cat "$MARKER")" == "$CODE_SERVER_VERSION" \
      && -f "$CACHE/node_modules/code-server/out/node/entry.js" ]]; then
  log "code-server $CODE_SERVER_VERSION already installed in $CACHE (marker $MARKER); nothing to do"
  exit 0
fi

start=$SECONDS
log "installing code-server $CODE_SERVER_VERSION into $CACHE (takes a few minutes)"
rm -f "$MARKER"
mkdir -p "$CACHE"
# A package.json of its own, so npm never walks up to the project's package.json.
cat >"$CACHE/package.json" <<'JSON'
{ "name": "lstm-lens-e2e-code-server", "private": true, "description": "code-server for the end-to-end tests; see scripts/install-e2e-deps.sh" }
JSON

cd "$CACHE"
log "1/6 npm install --ignore-scripts code-server@$CODE_SERVER_VERSION (its postinstall refuses root and downloads ripgrep)"
npm install --ignore-scripts --no-save --loglevel=error "code-server@$CODE_SERVER_VERSION" >&2 \
  || fail "npm install code-server@$CODE_SERVER_VERSION failed"

VSCODE="$CACHE/node_modules/code-server/lib/vscode"
[[ -d "$VSCODE" ]] || fail "$VSCODE not found: the code-server package layout is not the expected one"

cd "$VSCODE"
log "2/6 lib/vscode: npm install --omit=dev --ignore-scripts"
npm install --omit=dev --ignore-scripts --loglevel=error >&2 || fail "npm install in $VSCODE failed"

log "3/6 lib/vscode: npm rebuild of the native modules (needs a C++ toolchain and libkrb5-dev)"
npm_config_yes=true npm rebuild kerberos node-pty @parcel/watcher @vscode/spdlog native-watchdog @vscode/deviceid >&2 \
  || fail "npm rebuild of code-server's native modules failed (is build-essential/python3 installed?)"

log "4/6 lib/vscode: Debian's rg as @vscode/ripgrep, and the links its postinstall would make"
mkdir -p node_modules/@vscode/ripgrep/bin
cp -f "$RG" node_modules/@vscode/ripgrep/bin/rg
chmod +x node_modules/@vscode/ripgrep/bin/rg
ln -sfn node_modules node_modules.asar
if [[ -f bin/remote-cli/code-linux.sh ]]; then ln -sfn code-linux.sh bin/remote-cli/code-server; fi
if [[ -f bin/helpers/browser-linux.sh ]]; then ln -sfn browser-linux.sh bin/helpers/browser.sh; fi

log "5/6 lib/vscode/extensions: npm install --omit=dev --ignore-scripts"
cd "$VSCODE/extensions"
npm install --omit=dev --ignore-scripts --loglevel=error >&2 || fail "npm install in $VSCODE/extensions failed"

log "6/6 npm rebuild argon2 (from the folder that holds node_modules/code-server)"
cd "$CACHE"
npm_config_yes=true npm rebuild argon2 >&2 || fail "npm rebuild argon2 failed"

# code-server writes a default config under $XDG_CONFIG_HOME even for --version: keep it out of ~/.config.
scratch="$(mktemp -d)"
version="$(XDG_CONFIG_HOME="$scratch/config" XDG_DATA_HOME="$scratch/data" \
  node "$CACHE/node_modules/code-server/out/node/entry.js" --version 2>&1 | grep -m1 -E '^[0-9]+\.[0-9]+\.[0-9]+' || true)"
rm -rf "$scratch"
[[ "$version" == "$CODE_SERVER_VERSION"* ]] || fail "code-server --version printed '$version', expected $CODE_SERVER_VERSION"
printf '%s' "$CODE_SERVER_VERSION" >"$MARKER"
log "code-server $version installed in $((SECONDS - start)) s; marker $MARKER written"
