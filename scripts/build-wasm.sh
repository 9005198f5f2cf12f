#!/usr/bin/env bash
# Builds native/kernels.c into two WebAssembly modules and embeds both in
# src/core/kernels/kernelsWasm.generated.ts (base64), with the sha256 of the
# build's inputs (native/kernels.c and this script, which holds the flags) and
# the compiler's version, so the bundle, workers and tests need no .wasm path
# and scripts/check-wasm.js can tell when the embedded build is stale.
#
#   simd:    plain 128-bit SIMD (runs wherever wasm SIMD does, Node ≥ 16).
#   relaxed: the same with f32x4.relaxed_madd (fused multiply-add) in the hot
#            loops; picked at run time where the engine validates it (VS Code's
#            V8; Node 20 only with --experimental-wasm-relaxed-simd).
#
# Needs clang and wasm-ld (Debian: apt-get install -y clang lld) and node.
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
src="$root/native/kernels.c"
out="$root/src/core/kernels/kernelsWasm.generated.ts"
tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT

clang_bin="${CLANG:-clang}"
if ! command -v "$clang_bin" >/dev/null 2>&1; then
  echo "build-wasm: clang not found (Debian: apt-get install -y clang lld)" >&2
  exit 1
fi

# The build is pinned to one clang major version: the relaxed-SIMD rewrite
# below expects clang 14's pre-standard f32x4.fma encoding, and another
# version emits other code for the same flags, so the committed modules could
# not be reproduced. Moving to a new clang means checking that rewrite first.
known_clang_major=14
clang_version="$("$clang_bin" --version | sed -n 's/.*clang version \([0-9][0-9.]*\).*/\1/p' | head -n 1)"
if [[ -z "$clang_version" ]]; then
  echo "build-wasm: cannot read the version of $clang_bin (its --version printed: $("$clang_bin" --version | head -n 1))" >&2
  exit 1
fi
if [[ "${clang_version%%.*}" != "$known_clang_major" ]]; then
  echo "build-wasm: $clang_bin is clang $clang_version; this build is pinned to clang $known_clang_major (Debian 12's clang and lld). Install it and run with CLANG=clang-$known_clang_major" >&2
  exit 1
fi
echo "build-wasm: clang $clang_version" >&2

# The C stack comes first in linear memory (--stack-first), so an overflow
# traps at address 0 instead of corrupting data; 512 KB holds the 264 KB
# packing buffer of the large GEMMs. Everything below __heap_base belongs to
# the kernels; WasmOps starts its Arena there.
stack_bytes=524288
flags=(
  --target=wasm32 -O3 -msimd128
  -ffreestanding -fno-builtin -nostdlib   # no libc; keep loops from becoming memset/memcpy calls
  -Wall -Wextra -Werror
  -Wl,--no-entry -Wl,--import-memory
  -Wl,--stack-first "-Wl,-z,stack-size=$stack_bytes"
  -Wl,--export=__heap_base
)

"$clang_bin" "${flags[@]}" -o "$tmp/simd.wasm" "$src"
"$clang_bin" "${flags[@]}" -mrelaxed-simd -DLSTM_RELAXED -o "$tmp/relaxed-pre.wasm" "$src"

# Rewrite clang 14's pre-standard f32x4.fma (0xfd 0xaf) to the standard
# f32x4.relaxed_madd (0xfd 0x105), walking the code section instruction by
# instruction so that no immediate that happens to hold those bytes is
# touched. Then check both modules and write the TypeScript file.
node - "$tmp" "$root" "$out" "$stack_bytes" "$clang_version" <<'NODE'
const fs = require('fs');
const path = require('path');
const v8 = require('v8');
const [tmp, root, out, stackBytes, clangVersion] = process.argv.slice(2);
const { BUILD_INPUTS, buildInputsHash } = require(path.join(root, 'scripts', 'check-wasm.js'));

const OLD_FMA = 0xaf;
const RELAXED_MADD = 0x105;

function patchRelaxed(bytes) {
  const b = Buffer.from(bytes);
  let p = 8;
  const u32 = () => {
    let r = 0, shift = 0, x;
    do { x = b[p++]; r += (x & 0x7f) * 2 ** shift; shift += 7; } while (x & 0x80);
    return r;
  };
  const skipLeb = () => { while (b[p++] & 0x80); };
  const memarg = () => { skipLeb(); skipLeb(); };
  let patched = 0;
  while (p < b.length) {
    const id = b[p++];
    const size = u32();
    const end = p + size;
    if (id !== 10) { p = end; continue; }
    const count = u32();
    for (let f = 0; f < count; f++) {
      const bodyEnd = u32() + p;
      for (let groups = u32(); groups > 0; groups--) { skipLeb(); p++; }  // locals
      while (p < bodyEnd) {
        const op = b[p++];
        if (op === 0x02 || op === 0x03 || op === 0x04) {            // block type
          if (b[p] === 0x40 || (b[p] >= 0x6f && b[p] <= 0x7f)) p++; else skipLeb();
        } else if (op === 0x0c || op === 0x0d || op === 0x10 || op === 0xd2 ||
                   (op >= 0x20 && op <= 0x26) || op === 0x41 || op === 0x42) {
          skipLeb();
        } else if (op === 0x0e) {                                    // br_table
          for (let n = u32(); n >= 0; n--) skipLeb();
        } else if (op === 0x11) { skipLeb(); skipLeb(); }
        else if (op === 0x1c) { for (let n = u32(); n > 0; n--) p++; }
        else if (op >= 0x28 && op <= 0x3e) memarg();
        else if (op === 0x3f || op === 0x40 || op === 0xd0) p++;
        else if (op === 0x43) p += 4;
        else if (op === 0x44) p += 8;
        else if (op === 0xfc) {
          const sub = u32();
          if (sub === 8) { skipLeb(); p++; }
          else if (sub === 10) p += 2;
          else if (sub === 11) p++;
          else if (sub === 12 || sub === 14) { skipLeb(); skipLeb(); }
          else if (sub === 9 || sub === 13 || (sub >= 15 && sub <= 17)) skipLeb();
        } else if (op === 0xfd) {
          const at = p;
          const sub = u32();
          const len = p - at;
          if (sub <= 11 || sub === 92 || sub === 93) memarg();      // loads, store
          else if (sub === 12 || sub === 13) p += 16;                 // v128.const, shuffle
          else if (sub >= 21 && sub <= 34) p++;                       // lane index
          else if (sub >= 84 && sub <= 91) { memarg(); p++; }         // lane load/store
          else if (sub === OLD_FMA) {
            if (len !== 2) throw new Error('unexpected opcode encoding');
            b[at] = (RELAXED_MADD & 0x7f) | 0x80;
            b[at + 1] = RELAXED_MADD >> 7;
            patched++;
          }
        }
        // Every other opcode has no immediates.
      }
      if (p !== bodyEnd) throw new Error(`function ${f}: decoder lost its place`);
    }
    p = end;
  }
  if (patched === 0) throw new Error('no f32x4.fma found to rewrite');
  return { bytes: b, patched };
}

const simd = fs.readFileSync(path.join(tmp, 'simd.wasm'));
const { bytes: relaxed, patched } = patchRelaxed(fs.readFileSync(path.join(tmp, 'relaxed-pre.wasm')));
if (!WebAssembly.validate(simd)) throw new Error('simd module does not validate');
v8.setFlagsFromString('--experimental-wasm-relaxed-simd');  // Node 20; a no-op where shipped
if (!WebAssembly.validate(relaxed)) throw new Error('relaxed module does not validate');

// Smoke test: the two builds agree on a small GEMM and report the same layout.
function instance(bytes) {
  const memory = new WebAssembly.Memory({ initial: 32 });
  const inst = new WebAssembly.Instance(new WebAssembly.Module(bytes), { env: { memory } });
  return { memory, x: inst.exports };
}
const runs = [simd, relaxed].map((bytes) => {
  const { memory, x } = instance(bytes);
  const base = x.__heap_base.value;
  const f = new Float32Array(memory.buffer, base);
  for (let i = 0; i < 3 * 4096; i++) f[i] = Math.sin(i * 0.37);
  x.gemm_nn(40, 50, 60, base, 60, base + 4 * 4096, 50, base + 8 * 4096, 50, 0);
  return { base, c: Array.from(f.subarray(2 * 4096, 2 * 4096 + 40 * 50)) };
});
if (runs[0].base !== runs[1].base) throw new Error('builds disagree on __heap_base');
const diff = Math.max(...runs[0].c.map((v, i) => Math.abs(v - runs[1].c[i])));
if (!(diff < 1e-4)) throw new Error(`relaxed build disagrees with simd build (${diff})`);

const sha = buildInputsHash(root);
const chunks = (buf) => buf.toString('base64').match(/.{1,100}/g).map((s) => `  '${s}',`).join('\n');
const text = `// Generated by scripts/build-wasm.sh from native/kernels.c. Do not edit;
// run \`npm run build:wasm\` after changing the C source or the build script.
/* eslint-disable */

/** sha256 of the build inputs (${BUILD_INPUTS.join(', ')}) these modules were built from (checked by scripts/check-wasm.js). */
export const KERNELS_BUILD_INPUTS_SHA256 = '${sha}';

/** The clang that built them (scripts/build-wasm.sh refuses any other major version). */
export const KERNELS_CLANG_VERSION = '${clangVersion}';

/** Bytes of linear memory the kernels own (C stack, then data): __heap_base. */
export const KERNELS_RESERVED_BYTES = ${runs[0].base};

/** C stack size the modules were linked with. */
export const KERNELS_STACK_BYTES = ${stackBytes};

/** Plain SIMD build (${simd.length} bytes), base64. */
export const KERNELS_WASM_SIMD = [
${chunks(simd)}
].join('');

/** Relaxed-SIMD build, f32x4.relaxed_madd in ${patched} places (${relaxed.length} bytes), base64. */
export const KERNELS_WASM_RELAXED = [
${chunks(relaxed)}
].join('');
`;
fs.writeFileSync(out, text);
console.log(`build-wasm: wrote ${path.relative(process.cwd(), out)} (simd ${simd.length} B, relaxed ${relaxed.length} B, ${patched} madds, sha256 ${sha.slice(0, 12)})`);
NODE
