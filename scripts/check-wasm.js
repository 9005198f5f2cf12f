#!/usr/bin/env node
// Fails (exit 1, one line on stderr) when the WebAssembly kernels embedded in
// src/core/kernels/kernelsWasm.generated.ts were not built from the current
// build inputs: the C source and the build script, which holds the compiler
// flags. Runs before webpack in `npm run compile`, on machines that may have
// no clang: it only compares hashes, it builds nothing. scripts/build-wasm.sh
// requires this file for the same hash, so the two cannot disagree.
'use strict';

const crypto = require('crypto');
const fs = require('fs');
const path = require('path');

/** What the embedded modules are made from, relative to the repository root. */
const BUILD_INPUTS = ['native/kernels.c', 'scripts/build-wasm.sh'];
const GENERATED = 'src/core/kernels/kernelsWasm.generated.ts';

/** sha256 over each input's path and bytes, in BUILD_INPUTS order. */
function buildInputsHash(root) {
  const hash = crypto.createHash('sha256');
  for (const rel of BUILD_INPUTS) {
    const bytes = fs.readFileSync(path.join(root, rel));
    hash.update(`${rel}\0${bytes.length}\0`).update(bytes);
  }
  return hash.digest('hex');
}

function check(root) {
  const fail = (message) => {
    process.stderr.write(`check-wasm: ${message}\n`);
    process.exit(1);
  };
  for (const rel of BUILD_INPUTS) if (!fs.existsSync(path.join(root, rel))) fail(`missing ${rel}`);
  const generatedPath = path.join(root, GENERATED);
  if (!fs.existsSync(generatedPath)) fail(`missing ${GENERATED}; run npm run build:wasm`);
  const match = /KERNELS_BUILD_INPUTS_SHA256 = '([0-9a-f]{64})'/.exec(fs.readFileSync(generatedPath, 'utf8'));
  if (!match) fail(`no KERNELS_BUILD_INPUTS_SHA256 in ${GENERATED}; run npm run build:wasm`);
  if (match[1] !== buildInputsHash(root)) {
    fail(`${BUILD_INPUTS.join(' or ')} changed since the embedded wasm was built; run npm run build:wasm`);
  }
}

module.exports = { BUILD_INPUTS, buildInputsHash };

if (require.main === module) check(path.resolve(__dirname, '..'));
