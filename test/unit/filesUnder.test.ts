import * as assert from 'assert';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { filesUnder } from '../../src/core/corpus/filesUnder';

describe('filesUnder: a plain listing of a folder', () => {
  let root: string;
  beforeEach(() => {
    root = fs.mkdtempSync(path.join(os.tmpdir(), 'lstm-lens-files-under-'));
    for (const rel of ['b.ts', 'a/z.py', 'a/deep/y.c', '.git/HEAD', 'a/.git/config']) {
      fs.mkdirSync(path.dirname(path.join(root, rel)), { recursive: true });
      fs.writeFileSync(path.join(root, rel), 'x');
    }
    fs.symlinkSync(path.join(root, 'a'), path.join(root, 'link-to-a'));
  });
  afterEach(() => fs.rmSync(root, { recursive: true, force: true }));

  it('lists every regular file at any depth, sorted, without following links', () => {
    const rel = (list: string[]) => list.map((p) => path.relative(root, p).split(path.sep).join('/'));
    assert.deepStrictEqual(rel(filesUnder(root)), ['.git/HEAD', 'a/.git/config', 'a/deep/y.c', 'a/z.py', 'b.ts']);
  });

  it('does not enter the folders it is told to skip, at any depth', () => {
    const rel = filesUnder(root, ['.git']).map((p) => path.relative(root, p).split(path.sep).join('/'));
    assert.deepStrictEqual(rel, ['a/deep/y.c', 'a/z.py', 'b.ts']);
  });
});
