#!/usr/bin/env bash
# Fetches the npm packages `bench features` reads: code the bundled model
# never saw (corpus/sources.tsv lists what it trained on). Training states:
# mobx (TypeScript src/) and zod (compiled JavaScript lib/); held-out states:
# immer and @trpc/server (TypeScript src/), koa and chalk (JavaScript).
# Usage: bash bench/fetch-features-heldout.sh [DIR]   (default .cache/features-heldout)
set -euo pipefail
dir="${1:-.cache/features-heldout}"
mkdir -p "$dir"
cd "$dir"
for spec in mobx@6.13.5 zod@3.23.8 immer@10.1.1 koa@2.15.3 chalk@5.3.0 @trpc/server@10.45.2; do
  tgz=$(npm pack "$spec" --silent)
  name="${tgz%.tgz}"
  mkdir -p "$name"
  tar xzf "$tgz" -C "$name"
  rm "$tgz"
done
ls
