import * as assert from 'assert';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { SkipReason } from '../../src/core/corpus';
import { conditionalExcludeTest } from '../../src/core/workspaceTraining/conditionalExclude';
import { editorExcludeGlob, expandBraces } from '../../src/core/workspaceTraining/excludeGlob';
import { ListedFolder, WorkspaceCorpus, selectWorkspaceCorpus } from '../../src/core/workspaceTraining/workspaceCorpus';

/**
 * A fixture workspace written to a temp folder (a committed .gitignore would
 * hide the fixture's own files from git): source files, a .gitignore with a
 * nested re-include, vendor and build folders, a binary, a minified bundle, a
 * huge file, a Latin-1 file and a lockfile.
 */
function writeFixture(root: string, files: Record<string, string | Uint8Array>): string[] {
  const written: string[] = [];
  for (const [rel, content] of Object.entries(files)) {
    const file = path.join(root, ...rel.split('/'));
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(file, content);
    written.push(file);
  }
  return written;
}

const FIXTURE: Record<string, string | Uint8Array> = {
  '.gitignore': 'generated/\n*.log\nsecret*.ts\n',
  'src/app.ts': 'export const app = () => 1;\n',
  'src/util.py': 'def util(x):\n    return x * 2\n',
  'src/secret_keys.ts': 'export const key = "x";\n',
  'src/nested/.gitignore': '!secret_ok.ts\n',
  'src/nested/secret_ok.ts': 'export const ok = true;\n',
  'generated/out.ts': 'export const gen = 1;\n',
  'vendor/lib.js': 'function lib() {}\n',
  'build/app.js': 'var built = 1;\n',
  'node_modules/pkg/index.js': 'module.exports = 1;\n',
  'assets/logo.ts': new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x00, 0x00, 0x0d, 0x0a]),
  'web/bundle.js': `var a=${'1+'.repeat(3000)}1;\n`,
  'web/app.min.js': 'var x=1;\n',
  'data/huge.ts': '// big\n' + 'const x = 1;\n'.repeat(120_000),
  'legacy/latin1.py': new Uint8Array(Buffer.from('name = "caf\u00e9"\n', 'latin1')),
  'package-lock.json': '{}\n',
  'notes.txt': 'not source\n',
  'empty.ts': '',
  'debug.log': 'log line\n',
};

describe('workspace corpus: selection on a fixture workspace', function () {
  let root: string;
  let listed: string[];
  let corpus: WorkspaceCorpus;

  before(async () => {
    root = fs.mkdtempSync(path.join(os.tmpdir(), 'lstm-lens-wscorpus-'));
    listed = writeFixture(root, FIXTURE);
    corpus = await selectWorkspaceCorpus([{ name: 'proj', root, files: listed }]);
  });
  after(() => fs.rmSync(root, { recursive: true, force: true }));

  const reasonOf = (rel: string): SkipReason | 'taken' | 'absent' => {
    const abs = path.join(root, ...rel.split('/'));
    if (corpus.files.some((f) => f.path === abs)) return 'taken';
    return corpus.skipped.find((s) => s.path === abs)?.reason ?? 'absent';
  };

  it('takes hand-written source files, named "<folder>/<path>", in path order', () => {
    assert.deepStrictEqual(
      corpus.files.map((f) => f.name),
      ['proj/src/app.ts', 'proj/src/nested/secret_ok.ts', 'proj/src/util.py'],
    );
    assert.strictEqual(corpus.totalChars, corpus.files.reduce((n, f) => n + f.text.length, 0));
    assert.deepStrictEqual(Object.keys(corpus.byLanguage).sort(), ['.py', '.ts']);
  });

  it('honours .gitignore, including folder rules and a nested re-include', () => {
    assert.strictEqual(reasonOf('src/secret_keys.ts'), 'gitignore');
    assert.strictEqual(reasonOf('generated/out.ts'), 'gitignore');
    assert.strictEqual(reasonOf('debug.log'), 'gitignore');
    assert.strictEqual(reasonOf('src/nested/secret_ok.ts'), 'taken');
  });

  it('skips vendor, build and dependency folders', () => {
    assert.strictEqual(reasonOf('vendor/lib.js'), 'ignored-folder');
    assert.strictEqual(reasonOf('build/app.js'), 'ignored-folder');
    assert.strictEqual(reasonOf('node_modules/pkg/index.js'), 'ignored-folder');
  });

  it('skips binary, minified, huge, non-UTF-8, empty, lockfiles and non-source files, each with its reason', () => {
    assert.strictEqual(reasonOf('assets/logo.ts'), 'binary');
    assert.strictEqual(reasonOf('web/bundle.js'), 'minified');
    assert.strictEqual(reasonOf('web/app.min.js'), 'minified');
    assert.strictEqual(reasonOf('data/huge.ts'), 'too-large');
    assert.strictEqual(reasonOf('legacy/latin1.py'), 'not-utf8');
    assert.strictEqual(reasonOf('empty.ts'), 'empty');
    assert.strictEqual(reasonOf('package-lock.json'), 'not-source');
    assert.strictEqual(reasonOf('notes.txt'), 'not-source');
    // Every listed file is either taken or skipped with a reason; none vanishes silently.
    assert.strictEqual(corpus.files.length + corpus.skipped.length, listed.length);
  });

  it('reads only what the editor listed (files.exclude and search.exclude are applied by the listing)', async () => {
    const onlySome = listed.filter((f) => !f.endsWith(path.join('src', 'util.py')));
    const result = await selectWorkspaceCorpus([{ name: 'proj', root, files: onlySome }]);
    assert.ok(!result.files.some((f) => f.name.endsWith('util.py')));
    assert.ok(result.files.some((f) => f.name.endsWith('app.ts')));
  });

  it('include patterns pick the languages; exclude patterns leave files and folders out', async () => {
    const pyOnly = await selectWorkspaceCorpus([{ name: 'proj', root, files: listed }], { include: ['.py'] });
    assert.deepStrictEqual(pyOnly.files.map((f) => f.name), ['proj/src/util.py']);
    const noNested = await selectWorkspaceCorpus([{ name: 'proj', root, files: listed }], { exclude: ['src/nested/**'] });
    assert.deepStrictEqual(noNested.files.map((f) => f.name), ['proj/src/app.ts', 'proj/src/util.py']);
  });

  it('stops at the total size cap, says so, and keeps a prefix of the sorted files', async () => {
    const first = corpus.files[0].bytes;
    const capped = await selectWorkspaceCorpus([{ name: 'proj', root, files: listed }], { maxTotalBytes: first + 1 });
    assert.deepStrictEqual(capped.files.map((f) => f.name), ['proj/src/app.ts']);
    // Past the cap nothing more is read: secret_ok.ts, util.py and web/bundle.js all count as cut.
    assert.deepStrictEqual(
      capped.skipped.filter((s) => s.reason === 'total-cap').map((s) => path.relative(root, s.path).split(path.sep).join('/')),
      ['src/nested/secret_ok.ts', 'src/util.py', 'web/bundle.js'],
    );
    assert.match(capped.capNote ?? '', /size cap .* 3 more files were left out .*maxCorpusMB/);
    assert.strictEqual(corpus.capNote, undefined);
  });

  it('gathers every folder of a multi-root workspace and keeps same-named files apart', async () => {
    const other = fs.mkdtempSync(path.join(os.tmpdir(), 'lstm-lens-wscorpus2-'));
    try {
      const files = writeFixture(other, { 'src/app.ts': 'export const second = 2;\n' });
      const folders: ListedFolder[] = [
        { name: 'proj', root, files: listed },
        { name: 'other', root: other, files },
      ];
      const result = await selectWorkspaceCorpus(folders);
      assert.deepStrictEqual(
        result.files.map((f) => f.name),
        ['other/src/app.ts', 'proj/src/app.ts', 'proj/src/nested/secret_ok.ts', 'proj/src/util.py'],
      );
    } finally {
      fs.rmSync(other, { recursive: true, force: true });
    }
  });

  it('skips a file that disappeared after listing as unreadable, without failing', async () => {
    const gone = path.join(root, 'src', 'gone.ts');
    const result = await selectWorkspaceCorpus([{ name: 'proj', root, files: [...listed, gone] }]);
    assert.strictEqual(result.skipped.find((s) => s.path === gone)?.reason, 'unreadable');
    assert.strictEqual(result.files.length, corpus.files.length);
  });

  it('returns an empty corpus (not an error) for a workspace of only huge and binary files', async () => {
    const only = listed.filter((f) => /huge\.ts$|logo\.ts$/.test(f));
    const result = await selectWorkspaceCorpus([{ name: 'proj', root, files: only }]);
    assert.strictEqual(result.files.length, 0);
    assert.deepStrictEqual(result.skipped.map((s) => s.reason).sort(), ['binary', 'too-large']);
  });
});

describe('workspace corpus: the editor exclude glob', () => {
  it('merges files.exclude and search.exclude, keeping only patterns set to true', () => {
    const r = editorExcludeGlob({ '**/.git': true, '**/tmp': false }, { '**/node_modules': true, '**/*.js': { when: '$(basename).ts' } });
    assert.strictEqual(r.glob, '{**/.git,**/node_modules}');
    assert.deepStrictEqual(r.conditional, [{ pattern: '**/*.js', when: '$(basename).ts' }]);
  });

  it('leaves out a file whose `when` sibling exists, and only then', () => {
    const root = path.join(path.sep, 'ws');
    const onDisk = new Set(['src/a.ts', 'src/a.js', 'src/b.js', 'lib/c.js', 'lib/c.js.map', 'lib/c.ts', 'd.jsx', 'd.tsx'].map((p) => path.join(root, p)));
    const { conditional } = editorExcludeGlob({ '**/*.js': { when: '$(basename).ts' }, '**/*.{map,jsx}': { when: '$(basename).tsx' }, 'x': { when: '' }, y: false });
    const excluded = conditionalExcludeTest(conditional, (p) => onDisk.has(p));
    const out = [...onDisk].filter((f) => excluded(root, f)).map((f) => path.relative(root, f).split(path.sep).join('/')).sort();
    // c.js.map's basename is c.js, so its sibling would be c.js.tsx: absent.
    assert.deepStrictEqual(out, ['d.jsx', 'lib/c.js', 'src/a.js']);
    assert.strictEqual(conditionalExcludeTest([], () => true)(root, path.join(root, 'src/a.js')), false);
  });

  it('expands a pattern\'s own braces, since VS Code globs do not nest them', () => {
    assert.deepStrictEqual(expandBraces('out/{a,b}/*.{js,map}'), ['out/a/*.js', 'out/a/*.map', 'out/b/*.js', 'out/b/*.map']);
    assert.strictEqual(editorExcludeGlob({ '**/*.{js,map}': true }).glob, '{**/*.js,**/*.map}');
    assert.strictEqual(editorExcludeGlob({}, undefined).glob, null);
  });
});
