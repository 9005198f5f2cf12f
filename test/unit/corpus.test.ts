import * as assert from 'assert';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import {
  classifyContent,
  collectCorpus,
  compileNamePattern,
  CorpusResult,
  createSourceFilter,
  DEFAULT_CONTENT_RULES,
  DEFAULT_SOURCE_FILE_RULES,
  formatSkipCounts,
  SkipReason,
  summarizeSkipped,
} from '../../src/core/corpus';

const utf8 = (text: string): Uint8Array => new TextEncoder().encode(text);
const UTF8_BOM = [0xef, 0xbb, 0xbf];

describe('corpus: classifyContent', () => {
  const rules = DEFAULT_CONTENT_RULES;

  it('accepts plain UTF-8, including multi-byte characters, unchanged', () => {
    const text = 'const café = "✓ 日本";\n';
    assert.deepStrictEqual(classifyContent(utf8(text), rules), { ok: true, text });
  });

  it('normalises CRLF and lone CR to LF and strips a UTF-8 BOM', () => {
    const bytes = new Uint8Array([...UTF8_BOM, ...utf8('a\r\nb\rc\r\n')]);
    assert.deepStrictEqual(classifyContent(bytes, rules), { ok: true, text: 'a\nb\nc\n' });
  });

  it('refuses NUL bytes and a high share of control characters as binary', () => {
    assert.strictEqual(reasonOf(classifyContent(new Uint8Array([0x41, 0x00, 0x42, 0x0a]), rules)), 'binary');
    const noisy = utf8('ab\x01\x02\x03\x04cd\n');
    assert.strictEqual(reasonOf(classifyContent(noisy, rules)), 'binary');
  });

  it('keeps tabs, form feeds and ESC colour codes as text', () => {
    // Both strings are dense enough in these bytes to be refused if they counted as control.
    const colours = 'echo "\x1b[1m\x1b[31mred\x1b[0m"\n';
    assert.deepStrictEqual(classifyContent(utf8(colours), rules), { ok: true, text: colours });
    const whitespace = '\t\tx\f\n\t\v\n';
    assert.deepStrictEqual(classifyContent(utf8(whitespace), rules), { ok: true, text: whitespace });
  });

  it('refuses Latin-1 bytes as not-utf8', () => {
    const latin1 = new Uint8Array(Buffer.from('name = "caf\u00e9"\n', 'latin1'));
    assert.strictEqual(reasonOf(classifyContent(latin1, rules)), 'not-utf8');
  });

  it('refuses a line longer than maxLineLength, and no shorter one', () => {
    const atLimit = 'x'.repeat(rules.maxLineLength) + '\n';
    const overLimit = 'x'.repeat(rules.maxLineLength + 1) + '\n';
    assert.strictEqual(classifyContent(utf8(atLimit), rules).ok, true);
    const verdict = classifyContent(utf8('ok\n' + overLimit), rules);
    assert.strictEqual(reasonOf(verdict), 'minified');
    assert.match(detailOf(verdict), /line 2 is 1001 characters/);
  });

  it('refuses a long average line length, but only on files big enough to judge', () => {
    const wideLine = 'y'.repeat(300);
    const manyWide = Array.from({ length: 20 }, () => wideLine).join('\n') + '\n';
    assert.strictEqual(reasonOf(classifyContent(utf8(manyWide), rules)), 'minified');
    assert.strictEqual(classifyContent(utf8(wideLine + '\n'), rules).ok, true);
  });

  it('refuses files over maxFileBytes, and accepts one exactly at it', () => {
    const small = { ...rules, maxFileBytes: 10 };
    assert.strictEqual(classifyContent(utf8('123456789\n'), small).ok, true);
    assert.strictEqual(reasonOf(classifyContent(utf8('1234567890\n'), small)), 'too-large');
  });

  it('refuses empty, whitespace-only and BOM-only files as empty', () => {
    assert.strictEqual(reasonOf(classifyContent(new Uint8Array(0), rules)), 'empty');
    assert.strictEqual(reasonOf(classifyContent(utf8(' \n\t\r\n'), rules)), 'empty');
    assert.strictEqual(reasonOf(classifyContent(new Uint8Array(UTF8_BOM), rules)), 'empty');
  });
});

describe('corpus: source file names', () => {
  const filter = createSourceFilter(DEFAULT_SOURCE_FILE_RULES);
  const fileReason = (relPath: string) => {
    const verdict = filter.classifyFile(relPath);
    return verdict.take ? 'take' : verdict.reason;
  };
  const folderReason = (relPath: string) => {
    const verdict = filter.classifyFolder(relPath);
    return verdict.take ? 'take' : verdict.reason;
  };

  it('takes common source extensions, ignoring case', () => {
    for (const name of ['src/a.ts', 'App.TSX', 'x.jsx', 'm.mjs', 'c.cjs', 'a.d.ts', 'p.py', 'lib/Foo.H',
      'k.cpp', 'Main.java', 'main.go', 'lib.rs', 'P.cs', 'r.rb', 'i.php', 'run.sh', 'init.lua', 'A.kt',
      'V.swift', 'S.scala']) {
      assert.strictEqual(fileReason(name), 'take', name);
    }
  });

  it('refuses other names, lockfiles and minified bundles', () => {
    assert.strictEqual(fileReason('README.md'), 'not-source');
    assert.strictEqual(fileReason('Makefile'), 'not-source');
    assert.strictEqual(fileReason('backup.tar'), 'not-source');
    assert.strictEqual(fileReason('yarn.lock'), 'not-source');
    assert.strictEqual(fileReason('web/package-lock.json'), 'not-source');
    assert.strictEqual(fileReason('assets/app.min.js'), 'minified');
    assert.strictEqual(fileReason('assets/site.MIN.CSS'), 'minified');
  });

  it('skips vendor, build and tool folders by exact name at any depth', () => {
    for (const name of ['node_modules', '.git', 'a/b/__pycache__', 'dist', 'target', 'vendor', '.venv', 'coverage']) {
      assert.strictEqual(folderReason(name), 'ignored-folder', name);
    }
    for (const name of ['src', 'builder', 'lib/outline']) assert.strictEqual(folderReason(name), 'take', name);
  });

  it('lets include add names and exclude remove files and folders, lockfiles staying out', () => {
    const custom = createSourceFilter({
      ...DEFAULT_SOURCE_FILE_RULES,
      include: ['.json', 'Makefile'],
      exclude: ['*.spec.ts', 'legacy/**'],
    });
    assert.strictEqual(custom.classifyFile('config/app.json').take, true);
    assert.strictEqual(custom.classifyFile('Makefile').take, true);
    assert.strictEqual(custom.classifyFile('package-lock.json').take, false);
    assert.strictEqual(custom.classifyFile('src/a.spec.ts').take, false);
    assert.strictEqual(custom.classifyFile('src/a.ts').take, true);
    assert.strictEqual(custom.classifyFolder('legacy').take, false);
    assert.strictEqual(custom.classifyFolder('src/legacy').take, true);
  });

  it('accepts extensions written without a dot', () => {
    const custom = createSourceFilter({ ...DEFAULT_SOURCE_FILE_RULES, sourceExtensions: ['txt'] });
    assert.strictEqual(custom.classifyFile('notes.txt').take, true);
    assert.strictEqual(custom.classifyFile('main.ts').take, false);
  });

  it('matches patterns as documented: base-name globs, rooted path globs, ** and ?', () => {
    const cases: [string, string, boolean][] = [
      ['*.spec.ts', 'a/b/x.spec.ts', true],
      ['*.spec.ts', 'x.spec.tsx', false],
      ['src/*.ts', 'src/a.ts', true],
      ['src/*.ts', 'src/sub/a.ts', false],
      ['src/*.ts', 'other/src/a.ts', false],
      ['**/fixtures/*.json', 'fixtures/a.json', true],
      ['**/fixtures/*.json', 'a/b/fixtures/c.json', true],
      ['/src/**', 'src/a/b.c', true],
      ['file?.c', 'file1.c', true],
      ['file?.c', 'file10.c', false],
      ['a+b.c', 'a+b.c', true],
      ['a+b.c', 'aab.c', false],
      ['.min.js', 'X.MIN.JS', true],
      ['*.TS', 'a.ts', false],
    ];
    for (const [pattern, relPath, expected] of cases) {
      assert.strictEqual(compileNamePattern(pattern)(relPath), expected, `${pattern} on ${relPath}`);
    }
  });
});

describe('corpus: collectCorpus on a fixture workspace', () => {
  let workspace: string;
  let result: CorpusResult;

  // Everything the default options should take, in the order they should come.
  const expectedFiles = [
    'other/drop.ts',
    'pkg/api.gen.ts',
    'pkg/helper.py',
    'pkg/keep.ts',
    'src/bom.ts',
    'src/crlf.ts',
    'src/lib.c',
    'src/main.ts',
    'src/util.py',
  ];

  const expectedSkips: Record<string, SkipReason> = {
    '.git': 'ignored-folder',
    '.gitignore': 'not-source',
    'config.json': 'not-source',
    'debug.log': 'gitignore',
    generated: 'gitignore',
    'link.ts': 'symlink',
    'linked-src': 'symlink',
    node_modules: 'ignored-folder',
    'package-lock.json': 'not-source',
    'pkg/.gitignore': 'not-source',
    'pkg/drop.ts': 'gitignore',
    'src/app.min.js': 'minified',
    'src/bundle.js': 'minified',
    'src/empty.ts': 'empty',
    'src/huge.ts': 'too-large',
    'src/image.ts': 'binary',
    'src/latin1.py': 'not-utf8',
    'src/notes.txt': 'not-source',
    'top.gen.ts': 'gitignore',
  };

  before(async () => {
    workspace = fs.mkdtempSync(path.join(os.tmpdir(), 'lstm-lens-corpus-'));
    buildFixture(workspace);
    result = await collectCorpus([workspace]);
  });

  after(() => {
    fs.rmSync(workspace, { recursive: true, force: true });
  });

  it('takes exactly the source files, sorted by relative path', () => {
    assert.deepStrictEqual(result.files.map((file) => file.relPath), expectedFiles);
    for (const file of result.files) {
      assert.strictEqual(file.root, workspace);
      assert.strictEqual(file.path, path.join(workspace, ...file.relPath.split('/')));
    }
  });

  it('skips everything else with the right reason', () => {
    assert.deepStrictEqual(skipsByRelPath(result, workspace), expectedSkips);
  });

  it('reports a skipped folder once and nothing inside it', () => {
    const skippedRel = result.skipped.map((entry) => relTo(workspace, entry.path));
    for (const folder of ['node_modules', '.git', 'generated']) {
      assert.strictEqual(skippedRel.filter((rel) => rel === folder).length, 1, folder);
      assert.deepStrictEqual(skippedRel.filter((rel) => rel.startsWith(`${folder}/`)), [], folder);
    }
  });

  it('lets a nested .gitignore re-include with ! and keeps its rules inside its folder', () => {
    const taken = new Set(result.files.map((file) => file.relPath));
    assert.ok(taken.has('pkg/keep.ts'), 'pkg/keep.ts re-included by !keep.ts');
    assert.ok(taken.has('pkg/api.gen.ts'), 'nested !api.gen.ts overrides the root *.gen.ts');
    assert.ok(taken.has('other/drop.ts'), 'pkg/.gitignore does not reach other/');
    assert.match(result.skipped.find((s) => relTo(workspace, s.path) === 'pkg/drop.ts')?.detail ?? '', /pkg\/\.gitignore/);
  });

  it('returns normalised text, on-disk byte counts and matching totals', () => {
    const byRel = new Map(result.files.map((file) => [file.relPath, file]));
    assert.strictEqual(byRel.get('src/crlf.ts')?.text, 'const a = 1;\nconst b = 2;\n');
    assert.strictEqual(byRel.get('src/bom.ts')?.text, 'export const bom = true;\n');
    assert.strictEqual(byRel.get('src/bom.ts')?.bytes, 3 + 'export const bom = true;\n'.length);
    for (const file of result.files) assert.strictEqual(file.bytes, fs.statSync(file.path).size, file.relPath);
    assert.strictEqual(result.totalBytes, result.files.reduce((sum, file) => sum + file.bytes, 0));
    assert.strictEqual(result.totalChars, result.files.reduce((sum, file) => sum + file.text.length, 0));
    assert.ok(result.totalChars < result.totalBytes, 'BOM and CRs are not counted as characters');
  });

  it('counts skips per reason for a one-line report', () => {
    const counts = summarizeSkipped(result.skipped);
    assert.deepStrictEqual(counts, {
      binary: 1,
      'not-utf8': 1,
      minified: 2,
      'too-large': 1,
      empty: 1,
      'ignored-folder': 2,
      gitignore: 4,
      'not-source': 5,
      symlink: 2,
    });
    assert.strictEqual(
      formatSkipCounts(counts),
      '19 skipped: 1 binary, 1 not-utf8, 2 minified, 1 too-large, 1 empty, 2 ignored-folder, 4 gitignore, 5 not-source, 2 symlink',
    );
    assert.strictEqual(formatSkipCounts(summarizeSkipped([])), '0 skipped');
  });

  it('stops at maxTotalBytes: the sorted prefix that fits is taken, all later files are total-cap', async () => {
    const size = (rel: string) => fs.statSync(path.join(workspace, rel)).size;
    // Room for the first two files plus a gap that src/lib.c would fit in but
    // pkg/helper.py (next in order) does not: the cap must still cut there.
    const gap = size('src/lib.c');
    assert.ok(size('pkg/helper.py') > gap, 'fixture: helper.py must be bigger than lib.c');
    const cap = size('other/drop.ts') + size('pkg/api.gen.ts') + gap;

    const capped = await collectCorpus([workspace], { maxTotalBytes: cap });
    assert.deepStrictEqual(capped.files.map((file) => file.relPath), ['other/drop.ts', 'pkg/api.gen.ts']);
    assert.ok(capped.totalBytes <= cap);
    const capSkips = Object.entries(skipsByRelPath(capped, workspace))
      .filter(([, reason]) => reason === 'total-cap')
      .map(([rel]) => rel);
    // Every later candidate that passed the name rules, whatever its content.
    assert.deepStrictEqual(capSkips, [
      'pkg/helper.py', 'pkg/keep.ts', 'src/bom.ts', 'src/bundle.js', 'src/crlf.ts', 'src/empty.ts',
      'src/huge.ts', 'src/image.ts', 'src/latin1.py', 'src/lib.c', 'src/main.ts', 'src/util.py',
    ]);
  });

  it('takes a file that exactly fills maxTotalBytes', async () => {
    const cap = fs.statSync(path.join(workspace, 'other/drop.ts')).size;
    const capped = await collectCorpus([workspace], { maxTotalBytes: cap });
    assert.deepStrictEqual(capped.files.map((file) => file.relPath), ['other/drop.ts']);
    assert.strictEqual(capped.totalBytes, cap);
  });

  it('ignores .gitignore files when respectGitignore is false', async () => {
    const all = await collectCorpus([workspace], { respectGitignore: false });
    const taken = all.files.map((file) => file.relPath);
    for (const rel of ['generated/api.ts', 'pkg/drop.ts', 'top.gen.ts']) assert.ok(taken.includes(rel), rel);
    assert.strictEqual(skipsByRelPath(all, workspace)['debug.log'], 'not-source');
  });

  it('applies include and exclude overrides during the walk', async () => {
    const custom = await collectCorpus([workspace], { include: ['.json'], exclude: ['src/**', 'pkg'] });
    assert.deepStrictEqual(custom.files.map((file) => file.relPath), ['config.json', 'other/drop.ts']);
    const skips = skipsByRelPath(custom, workspace);
    assert.strictEqual(skips.src, 'ignored-folder');
    assert.strictEqual(skips.pkg, 'ignored-folder');
    assert.strictEqual(skips['package-lock.json'], 'not-source');
    assert.ok(!Object.keys(skips).some((rel) => rel.startsWith('src/') || rel.startsWith('pkg/')));
  });

  it('accepts single files among the roots and judges them like walked files', async () => {
    const src = path.join(workspace, 'src');
    const picked = await collectCorpus([
      path.join(src, 'main.ts'),
      path.join(src, 'notes.txt'),
      path.join(src, 'image.ts'),
    ]);
    assert.deepStrictEqual(
      picked.files.map((file) => [file.relPath, file.root]),
      [['main.ts', src]],
    );
    assert.deepStrictEqual(skipsByRelPath(picked, src), { 'image.ts': 'binary', 'notes.txt': 'not-source' });
  });

  it('lists a file once when roots overlap', async () => {
    const overlapping = await collectCorpus([workspace, path.join(workspace, 'src'), path.join(workspace, 'src', 'main.ts')]);
    const paths = overlapping.files.map((file) => file.path);
    assert.strictEqual(new Set(paths).size, paths.length);
    assert.strictEqual(paths.length, expectedFiles.length);
    const skippedPaths = overlapping.skipped.map((entry) => entry.path);
    assert.strictEqual(new Set(skippedPaths).size, skippedPaths.length);
  });

  it('rejects a root that does not exist, naming it', async () => {
    const missing = path.join(workspace, 'no-such-folder');
    await assert.rejects(collectCorpus([workspace, missing]), (error: unknown) => {
      assert.ok(error instanceof Error);
      assert.ok(error.message.includes(missing), error.message);
      return true;
    });
  });

  it('rejects invalid numeric options', async () => {
    await assert.rejects(collectCorpus([workspace], { maxTotalBytes: 0 }), RangeError);
  });

  it('stops when the signal is aborted', async () => {
    const controller = new AbortController();
    controller.abort();
    await assert.rejects(collectCorpus([workspace], {}, controller.signal), { name: 'AbortError' });
  });
});

/** Lays out the fixture workspace; each file exists to exercise one rule. */
function buildFixture(root: string): void {
  const write = (rel: string, content: string | Uint8Array) => {
    const file = path.join(root, ...rel.split('/'));
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(file, content);
  };

  write('.gitignore', '# build noise\n*.log\ngenerated/\n*.gen.ts\n');
  write('debug.log', 'started\n');
  write('top.gen.ts', 'export const generated = 1;\n');
  write('generated/api.ts', 'export const api = 1;\n');
  write('config.json', '{ "a": 1 }\n');
  write('package-lock.json', '{ "lockfileVersion": 3 }\n');

  write('pkg/.gitignore', '*.ts\n!keep.ts\n!api.gen.ts\n');
  write('pkg/keep.ts', 'export const keep = true;\n');
  write('pkg/drop.ts', 'export const drop = true;\n');
  write('pkg/api.gen.ts', 'export const api = 2;\n');
  write('pkg/helper.py', "def helper():\n    return 'help'\n");
  write('other/drop.ts', 'export const notDropped = 1;\n');

  write('src/main.ts', 'export function main(): number {\n  return 42;\n}\n');
  write('src/util.py', 'def util():\n    return 1\n');
  write('src/lib.c', 'int lib(void) { return 0; }\n');
  write('src/crlf.ts', 'const a = 1;\r\nconst b = 2;\r\n');
  write('src/bom.ts', new Uint8Array([...UTF8_BOM, ...utf8('export const bom = true;\n')]));
  write('src/empty.ts', '');
  write('src/latin1.py', new Uint8Array(Buffer.from('name = "caf\u00e9"\n', 'latin1')));
  write('src/image.ts', new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 0x0d]));
  write('src/bundle.js', `var a=${'1+'.repeat(2496)}1;`);
  write('src/app.min.js', 'var a=1;\n');
  write('src/huge.ts', '// filler line\n'.repeat(Math.ceil((DEFAULT_CONTENT_RULES.maxFileBytes + 1) / 15)));
  write('src/notes.txt', 'remember the milk\n');

  write('node_modules/dep/index.js', 'module.exports = 1;\n');
  write('.git/HEAD', 'ref: refs/heads/main\n');
  write('.git/hooks/pre-commit.sh', '#!/bin/sh\nexit 0\n');

  fs.symlinkSync(path.join('src', 'main.ts'), path.join(root, 'link.ts'));
  fs.symlinkSync('src', path.join(root, 'linked-src'), 'dir');
}

function relTo(root: string, file: string): string {
  return path.relative(root, file).split(path.sep).join('/');
}

function skipsByRelPath(result: CorpusResult, root: string): Record<string, SkipReason> {
  const skips: Record<string, SkipReason> = {};
  for (const entry of result.skipped) skips[relTo(root, entry.path)] = entry.reason;
  return skips;
}

function reasonOf(verdict: ReturnType<typeof classifyContent>): string {
  return verdict.ok ? 'ok' : verdict.reason;
}

function detailOf(verdict: ReturnType<typeof classifyContent>): string {
  return verdict.ok ? '' : verdict.detail;
}
