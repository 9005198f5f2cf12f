import * as assert from 'assert';
import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { GRAMMAR_FILES, RUNTIME_FILE } from '../../src/core/syntax/grammars';

/**
 * What goes into the vsix, as `vsce ls` reports it from .vscodeignore and
 * package.json (the same list `vsce package` zips): only what runs, nothing
 * platform-specific, under 10 MB. Needs the built dist/ (npm run compile).
 */

const ROOT = path.resolve(__dirname, '..', '..', '..');
const VSCE = path.join(ROOT, 'node_modules', '@vscode', 'vsce', 'vsce');
/** The limit: 10 MB (decimal, the stricter reading). */
const MAX_VSIX_BYTES = 10_000_000;

describe('packaging (vsce ls)', function () {
  this.timeout(60_000);
  let files: string[];
  let pkg: { main: string; icon?: string; contributes?: unknown };

  before(() => {
    assert.ok(fs.existsSync(path.join(ROOT, 'dist', 'extension.js')), 'dist/ is not built: run npm run compile first');
    const out = execFileSync(process.execPath, [VSCE, 'ls', '--no-dependencies'], { cwd: ROOT, encoding: 'utf8' });
    files = out.split('\n').map((l) => l.trim()).filter(Boolean);
    pkg = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8'));
  });

  it('ships no native binaries, so one vsix fits every platform', () => {
    const native = files.filter((f) => /\.(node|so|dylib|dll|exe)$/i.test(f) || /(^|\/)prebuilds?\//.test(f));
    assert.deepStrictEqual(native, []);
  });

  it('ships no sources, tests, tooling or node_modules (webpack bundled what runs)', () => {
    const unwanted = files.filter(
      (f) =>
        /^(src|test|out|node_modules|scripts|native|bench|corpus|samples|docs|notes|\.ci|\.cache|\.tmp|\.vscode|\.git)\//.test(f) ||
        (/\.ts$/.test(f) && !/\.d\.ts$/.test(f)) ||
        /^(tsconfig.*\.json|webpack\.config\.js|eslint\.config\.mjs|package-lock\.json|\.mocharc\.json|\.gitignore|\.vscodeignore)$/.test(f) ||
        /\.vsix$/.test(f),
    );
    assert.deepStrictEqual(unwanted, []);
  });

  it('ships what runs: the entry point, every bundle, the bundled model, the media and the icon', () => {
    const has = (f: string) => assert.ok(files.includes(f), `${f} is not in the vsix`);
    has(path.posix.normalize(pkg.main));
    for (const bundle of fs.readdirSync(path.join(ROOT, 'dist')).filter((f) => f.endsWith('.js'))) has(`dist/${bundle}`);
    // The heatmap panel's webview script (its own webpack bundle).
    has('dist/webview/heatmap.js');
    // The model folder must be loadable from the vsix: model.json and every shard it names.
    const model = JSON.parse(fs.readFileSync(path.join(ROOT, 'models', 'default', 'model.json'), 'utf8'));
    has('models/default/model.json');
    for (const group of model.weightsManifest) for (const shard of group.paths) has(`models/default/${shard}`);
    for (const f of fs.readdirSync(path.join(ROOT, 'media'))) has(`media/${f}`);
    if (pkg.icon) has(pkg.icon);
    // Every file the manifest's contributions point at (icons, views) is shipped too.
    const referenced = JSON.stringify(pkg.contributes ?? {}).match(/"(?:\.\/)?((?:media|dist|models|images)\/[^"]+)"/g) ?? [];
    for (const ref of referenced) has(ref.slice(1, -1).replace(/^\.\//, ''));
  });

  it('ships the tree-sitter runtime and every grammar, gzipped, where the bundles look for them', () => {
    for (const { file } of [RUNTIME_FILE, ...Object.values(GRAMMAR_FILES)]) {
      assert.ok(files.includes(`dist/tree-sitter/${file}.gz`), `dist/tree-sitter/${file}.gz is not in the vsix`);
    }
  });

  it('stays under 10 MB', () => {
    // The zip only compresses, so the sum of the files bounds the vsix (plus ~100 bytes of headers a file).
    const bytes = files.reduce((sum, f) => sum + fs.statSync(path.join(ROOT, f)).size + 128, 0);
    assert.ok(bytes <= MAX_VSIX_BYTES, `the vsix would hold ${(bytes / 1e6).toFixed(2)} MB`);
  });
});
