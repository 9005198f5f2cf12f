import * as fs from 'fs';
import * as path from 'path';
import * as zlib from 'zlib';
import { GrammarFile } from './grammars';

/** The folder beside the bundles where webpack puts the gzipped .wasm files (dist/tree-sitter). */
export const BUNDLED_WASM_FOLDER = 'tree-sitter';

export interface WasmSearch {
  /** Folders holding `<file>.gz` or `<file>` (default: dist/tree-sitter beside the bundle). */
  folders?: readonly string[];
  /** Also look in node_modules/<pkg>/ of this folder and every folder above it (default: true, from this file's folder). */
  nodeModules?: boolean;
}

/**
 * Finds a .wasm file at run time and reads it: first gzipped in the
 * extension's own folder (the vsix ships dist/tree-sitter/*.wasm.gz, a tenth
 * of the size), then plain in node_modules (tests, the CLI from a checkout).
 * Returns the bytes and where they came from, or null with the places tried.
 */
export function readWasmFile(wanted: GrammarFile, search: WasmSearch = {}): { bytes: Uint8Array; from: string } | { bytes: null; tried: string[] } {
  const tried: string[] = [];
  const folders = search.folders ?? [path.join(__dirname, BUNDLED_WASM_FOLDER)];
  for (const folder of folders) {
    const gz = path.join(folder, `${wanted.file}.gz`);
    tried.push(gz);
    if (fs.existsSync(gz)) return { bytes: zlib.gunzipSync(fs.readFileSync(gz)), from: gz };
    const plain = path.join(folder, wanted.file);
    tried.push(plain);
    if (fs.existsSync(plain)) return { bytes: fs.readFileSync(plain), from: plain };
  }
  if (search.nodeModules ?? true) {
    for (let dir = __dirname; ; dir = path.dirname(dir)) {
      const candidate = path.join(dir, 'node_modules', wanted.pkg, wanted.file);
      tried.push(candidate);
      if (fs.existsSync(candidate)) return { bytes: fs.readFileSync(candidate), from: candidate };
      if (path.dirname(dir) === dir) break;
    }
  }
  return { bytes: null, tried };
}
