#!/usr/bin/env node
// Fails (exit 1, one line on stderr) when the WebAssembly kernels embedded in
// src/core/kernels/kernelsWasm.generated.ts were not built from the current
// native/kernels.c. Runs before webpack in `npm run compile`, on machines
// that may have no clang: it only compares hashes, it builds nothing.
'use strict';

const crypto = require('crypto');
const fs = require('fs');
const path = require('path');

const root = path.resolve(__dirname, '..');
const sourcePath = path.join(root, 'native', 'kernels.c');
const generatedPath = path.join(root, 'src', 'core', 'kernels', 'kernelsWasm.generated.ts');

function fail(message) {
  process.stderr.write(`check-wasm: ${message}\n`);
  process.exit(1);
}

if (!fs.existsSync(sourcePath)) fail(`missing ${path.relative(root, sourcePath)}`);
if (!fs.existsSync(generatedPath)) {
  fail(`missing ${path.relative(root, generatedPath)}; run npm run build:wasm`);
}

const actual = crypto.createHash('sha256').update(fs.readFileSync(sourcePath)).digest('hex');
const match = /KERNELS_SOURCE_SHA256 = '([0-9a-f]{64})'/.exec(fs.readFileSync(generatedPath, 'utf8'));
if (!match) fail(`no KERNELS_SOURCE_SHA256 in ${path.relative(root, generatedPath)}; run npm run build:wasm`);
if (match[1] !== actual) {
  fail('native/kernels.c changed since the embedded wasm was built; run npm run build:wasm');
}
