#!/usr/bin/env bash
# Fetches the npm packages `bench features` reads. Dictionary training
# states: mobx (TypeScript src/) and zod 3 (compiled JavaScript lib/), in no
# list of corpus/sources/ (d3-shape, pino and graphql add to them for the
# broader-text run of 2026-12-05). Held-out states: since the 1x384 model, the
# corpus's validation packages (.cache/split/validation, README "Features");
# immer, @trpc/server, koa and chalk here are the 1x256 model's held-out set
# of 2026-12-04 (koa and chalk are in the 1x384 model's training list).
# Usage: bash bench/fetch-features-heldout.sh [DIR]   (default .cache/features-heldout)
set -euo pipefail
dir="${1:-.cache/features-heldout}"
mkdir -p "$dir"
cd "$dir"
for spec in mobx@6.13.5 zod@3.23.8 immer@10.1.1 koa@2.15.3 chalk@5.3.0 @trpc/server@10.45.2 d3-shape@3.2.0 pino@9.5.0 graphql@16.9.0; do
  tgz=$(npm pack "$spec" --silent)
  name="${tgz%.tgz}"
  mkdir -p "$name"
  tar xzf "$tgz" -C "$name"
  rm "$tgz"
done
ls
