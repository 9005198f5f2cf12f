import * as assert from 'assert';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { UsageError } from '../../src/cli/args';
import { trainCommand } from '../../src/cli/commands/train';
import { augmentIndentation, parseRepeatRules, repeatFiles } from '../../src/core/corpus';

const files = [
  { name: 'go/a.go', text: 'package a\n' },
  { name: 'shell/x/run.sh', text: 'echo x\n' },
  { name: 'shell/y/build', text: 'echo y\n' },
  { name: 'shellfish/z.py', text: 'z = 1\n' },
];

describe('repeatFiles: oversampling a folder of the training text', () => {
  it('reads each file under the folder N times per pass, the copies after all the files and named apart', () => {
    const out = repeatFiles(files, [{ under: 'shell', times: 3 }]);
    assert.deepStrictEqual(
      out.map((f) => f.name),
      ['go/a.go', 'shell/x/run.sh', 'shell/y/build', 'shellfish/z.py', 'shell/x/run.sh#2', 'shell/y/build#2', 'shell/x/run.sh#3', 'shell/y/build#3'],
    );
    assert.strictEqual(out[4].text, files[1].text);
    // A folder name that is only a prefix of another folder's (shellfish) is not under it.
    assert.strictEqual(out.filter((f) => f.name.startsWith('shellfish')).length, 1);
  });

  it('keeps the files as they are with no rules or a rule of 1, and takes each folder\'s own count', () => {
    assert.deepStrictEqual(repeatFiles(files, []), files);
    assert.deepStrictEqual(repeatFiles(files, [{ under: 'shell', times: 1 }]), files);
    const out = repeatFiles(files, [{ under: 'go', times: 2 }, { under: 'shell/y', times: 3 }]);
    assert.deepStrictEqual(out.slice(4).map((f) => f.name), ['go/a.go#2', 'shell/y/build#2', 'shell/y/build#3']);
  });

  it('gives the copies their own re-indent draw, since the draw is by name', () => {
    const text = 'if x:\n    y = 1\n    if y:\n        z = 2\n';
    const many = Array.from({ length: 40 }, (_, i) => ({ name: `py/f${i}.py`, text }));
    const out = augmentIndentation(repeatFiles(many, [{ under: 'py', times: 2 }]), 0.5, 7);
    const differs = many.filter((_, i) => out[i].text !== out[i + 40].text).length;
    assert.ok(differs > 5, `copies re-indented alike in all but ${differs} of 40 files`);
  });

  it('parses FOLDER=N lists and names a bad part', () => {
    assert.deepStrictEqual(parseRepeatRules('shell=3,rust/=2'), [
      { under: 'shell', times: 3 },
      { under: 'rust', times: 2 },
    ]);
    assert.deepStrictEqual(parseRepeatRules(''), []);
    for (const bad of ['shell', 'shell=0', 'shell=1.5', 'shell=x', '=2', 'shell=101']) assert.throws(() => parseRepeatRules(bad), new RegExp(`"${bad.replace('.', '\\.')}"`));
  });

  it('train --repeat records the rule in the model\'s manifest, and refuses a folder that holds no training file', async function () {
    this.timeout(60000);
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'repeat-'));
    try {
      fs.mkdirSync(path.join(dir, 'text', 'shell'), { recursive: true });
      fs.mkdirSync(path.join(dir, 'text', 'go'), { recursive: true });
      fs.writeFileSync(path.join(dir, 'text', 'shell', 'run.sh'), 'for f in *; do\n  echo "$f"\ndone\n'.repeat(20));
      fs.writeFileSync(path.join(dir, 'text', 'go', 'a.go'), 'package a\n\nfunc A() int { return 1 }\n'.repeat(20));
      const out = path.join(dir, 'model');
      const args = ['--out', out, '--layers', '1', '--hidden', '8', '--embed', '8', '--seq', '16', '--batch', '2', '--epochs', '1', '--val', '0', '--threads', '1'];
      await assert.rejects(trainCommand([...args, '--repeat', 'rust=2', path.join(dir, 'text')]), (err: Error) => err instanceof UsageError && /no training file is under rust\//.test(err.message));
      await assert.rejects(trainCommand([...args, '--repeat', 'shell', path.join(dir, 'text')]), (err: Error) => err instanceof UsageError && /FOLDER=N/.test(err.message));
      await trainCommand([...args, '--repeat', 'shell=3', path.join(dir, 'text')]);
      const manifest = JSON.parse(fs.readFileSync(path.join(out, 'model.json'), 'utf8')).userDefinedMetadata.lstmLens;
      assert.deepStrictEqual(manifest.training.corpus.repeat, [{ under: 'shell', times: 3 }]);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
