import * as assert from 'assert';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { GitignoreScopes } from '../../src/core/corpus/gitignoreScopes';

describe('GitignoreScopes (the .gitignore matcher of both corpus selectors)', () => {
  let root: string;
  before(() => {
    root = fs.mkdtempSync(path.join(os.tmpdir(), 'gitignore-scopes-'));
    const write = (rel: string, text: string) => {
      fs.mkdirSync(path.dirname(path.join(root, rel)), { recursive: true });
      fs.writeFileSync(path.join(root, rel), text);
    };
    write('.gitignore', 'build/\n*.log\n');
    write('pkg/.gitignore', '*.ts\n!keep.ts\n');
    write('elsewhere/rules', '*.py\n');
    fs.mkdirSync(path.join(root, 'linked'));
    fs.symlinkSync(path.join(root, 'elsewhere', 'rules'), path.join(root, 'linked', '.gitignore'));
  });
  after(() => fs.rmSync(root, { recursive: true, force: true }));

  it('names the deciding rule and its file; a deeper file re-includes', async () => {
    const scopes = new GitignoreScopes(root, true);
    assert.strictEqual(await scopes.match('a.log', false), "matches '*.log' in .gitignore");
    assert.strictEqual(await scopes.match('pkg/drop.ts', false), "matches '*.ts' in pkg/.gitignore");
    assert.strictEqual(await scopes.match('pkg/keep.ts', false), undefined);
    assert.strictEqual(await scopes.match('src/a.ts', false), undefined);
  });

  it('a folder-only pattern matches folders; a listed file under an ignored folder is hidden by it', async () => {
    const scopes = new GitignoreScopes(root, true);
    assert.strictEqual(await scopes.match('build', true), "matches 'build/' in .gitignore");
    assert.strictEqual(await scopes.match('build', false), undefined);
    assert.strictEqual(await scopes.matchWithFolders('build/out.js'), "matches 'build/' in .gitignore (folder build/)");
  });

  it('a .gitignore that is a symbolic link counts as absent, as in git', async () => {
    assert.strictEqual(await new GitignoreScopes(root, true).match('linked/a.py', false), undefined);
  });

  it('turned off, ignores nothing', async () => {
    assert.strictEqual(await new GitignoreScopes(root, false).matchWithFolders('build/a.log'), undefined);
  });
});
