import * as assert from 'assert';
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';

/** The repository root: nearest ancestor holding scripts/split-corpus.js. */
function repoRoot(): string {
  for (let dir = __dirname; ; dir = path.dirname(dir)) {
    if (fs.existsSync(path.join(dir, 'scripts', 'split-corpus.js'))) return dir;
    if (path.dirname(dir) === dir) return process.cwd();
  }
}

const ROOT = repoRoot();

interface Package {
  name: string;
  language: string;
  files: Record<string, string>;
}

/**
 * A scratch repository with the split scripts, a sources list of train
 * packages and those packages as fetch-corpus.sh leaves them; runs the split
 * and returns the files it wrote under .cache/split/train, relative to it.
 */
function split(packages: Package[]): string[] {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'split-corpus-'));
  try {
    for (const rel of ['scripts/split-corpus.js', 'scripts/corpus-sources.js']) {
      fs.mkdirSync(path.dirname(path.join(dir, rel)), { recursive: true });
      fs.copyFileSync(path.join(ROOT, rel), path.join(dir, rel));
    }
    const rows = packages.map((p) => ['npm', p.name, '1.0.0', 'MIT', p.language, 'train', '*'].join('\t'));
    fs.mkdirSync(path.join(dir, 'corpus', 'sources'), { recursive: true });
    fs.writeFileSync(path.join(dir, 'corpus', 'sources', 'list.tsv'), rows.join('\n') + '\n');
    for (const p of packages) {
      const pkg = path.join(dir, '.cache', 'corpus', `${p.name}@1.0.0`);
      for (const [rel, text] of Object.entries(p.files)) {
        fs.mkdirSync(path.dirname(path.join(pkg, rel)), { recursive: true });
        fs.writeFileSync(path.join(pkg, rel), text);
      }
      fs.writeFileSync(path.join(pkg, '.done'), '');
    }
    const env = { ...process.env };
    delete env.CORPUS_SOURCES; // the scratch list, not one the caller named
    const run = spawnSync(process.execPath, ['scripts/split-corpus.js'], { cwd: dir, encoding: 'utf8', env });
    assert.strictEqual(run.status, 0, run.stderr);
    const train = path.join(dir, '.cache', 'split', 'train');
    const found: string[] = [];
    const walk = (rel: string): void => {
      for (const e of fs.readdirSync(path.join(train, rel), { withFileTypes: true })) {
        const r = rel ? `${rel}/${e.name}` : e.name;
        if (e.isDirectory()) walk(r);
        else found.push(r);
      }
    };
    walk('');
    return found.sort();
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

describe('scripts/split-corpus.js', () => {
  it('takes extensionless scripts with a sh, bash or dash shebang as shell, named .sh', () => {
    const files = split([
      {
        name: 'tools',
        language: 'shell',
        files: {
          'bin/posix': '#!/bin/sh\necho posix\n',
          'bin/spaced': '#! /bin/sh -e\necho spaced\n',
          'bin/env-bash': '#!/usr/bin/env bash\necho env\n',
          'bin/env-flags': '#!/usr/bin/env -S dash -e\necho flags\n',
          'bin/crlf': '#!/bin/bash\r\necho crlf\r\n',
          'lib/helpers.sh': 'helpers() { :; }\n',
          'bin/zsh-tool': '#!/bin/zsh\necho zsh\n',
          'bin/perl-tool': '#!/usr/bin/perl\nprint 1;\n',
          'bin/shellish': '#!/bin/shell\necho not a shell we know\n',
          'bin/no-shebang': 'echo sourced, no shebang\n',
          'bin/bare': '#!bash\necho not an absolute path\n',
          'bin/tool.in': '#!/bin/sh\necho a template\n',
        },
      },
      // Only shell packages take files by shebang: a C package's scripts stay out.
      { name: 'clib', language: 'c', files: { 'src/a.c': 'int a;\n', 'tools/gen': '#!/bin/sh\necho gen\n' } },
    ]);
    assert.deepStrictEqual(files, [
      'c/clib@1.0.0/src/a.c',
      'shell/tools@1.0.0/bin/crlf.sh',
      'shell/tools@1.0.0/bin/env-bash.sh',
      'shell/tools@1.0.0/bin/env-flags.sh',
      'shell/tools@1.0.0/bin/posix.sh',
      'shell/tools@1.0.0/bin/spaced.sh',
      'shell/tools@1.0.0/lib/helpers.sh',
    ]);
  });

  it('refuses a script whose .sh name is taken by another file of the package', () => {
    assert.throws(
      () => split([{ name: 'clash', language: 'shell', files: { 'run': '#!/bin/sh\necho a\n', 'run.sh': 'echo b\n' } }]),
      /two files would be written to .*run\.sh/,
    );
  });
});
