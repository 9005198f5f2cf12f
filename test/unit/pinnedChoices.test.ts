import * as assert from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import { languageForFile } from '../../src/core/concepts/language';
import { augmentIndentation, detectIndentUnit } from '../../src/core/corpus/reindent';
import { grammarForFile } from '../../src/core/syntax/grammars';
import { TextSource, splitTrainVal } from '../../src/core/trainer/trainingData';
import { decode } from '../../src/core/vocab';
import { heldOutOf } from '../../src/core/workspaceTraining/heldOut';
import { splitByPathHash } from '../../src/core/workspaceTraining/pathSplit';

// These files were written by the code as it stood at commit 5597b5d, before the
// hash-by-name helpers and the file-extension tables were each made one. They pin
// that the refactor changed no choice: which files validation holds out (so a
// model's validation figures stay comparable), which files the indentation
// augmentation rewrites and to what (so the bundled model's corpus is the same),
// and what language and grammar each name gets.
const PINNED = path.join(__dirname, '..', '..', '..', 'test', 'fixtures', 'pinned');
const read = <T>(file: string): T => JSON.parse(fs.readFileSync(path.join(PINNED, file), 'utf8')) as T;

interface NameHashChoices {
  names: string[];
  /** valFraction → the held-out names, in the order the split ranks them. */
  split: Record<string, string[]>;
  heldOut: Record<string, string[]>;
  /** heldOutFraction → the files splitByPathHash holds out (bench workspace's split). */
  pathSplit: Record<string, string[]>;
  /** seed → name → the indentation it was rewritten to ('tab', '2', '4', '8'). */
  reindented: Record<string, Record<string, string>>;
}

// Each file's text names the file, so the joined validation bytes say which files they are and in what order.
const textOf = (name: string) => `function f() {\n  return '${name}';\n}\n`;
const namesIn = (bytes: Uint8Array) => [...decode(bytes).matchAll(/return '([^']+)'/g)].map((m) => m[1]);

describe('choices pinned from before the refactor', () => {
  const pinned = read<NameHashChoices>('nameHashChoices.json');
  const sources: TextSource[] = pinned.names.map((name) => ({ name, text: textOf(name) }));

  it('splitTrainVal holds out the same files, ranked the same', () => {
    for (const [fraction, names] of Object.entries(pinned.split)) {
      const split = splitTrainVal(sources, Number(fraction));
      assert.strictEqual(split.valBy, 'files');
      assert.deepStrictEqual(namesIn(split.val), names, `valFraction ${fraction}`);
    }
  });

  it('heldOutOf names the same files', () => {
    for (const [fraction, names] of Object.entries(pinned.heldOut)) {
      assert.deepStrictEqual(heldOutOf(sources, Number(fraction)).files.map((s) => s.name), names, `valFraction ${fraction}`);
    }
  });

  it('splitByPathHash holds out the same paths', () => {
    for (const [fraction, names] of Object.entries(pinned.pathSplit)) {
      assert.deepStrictEqual(splitByPathHash(pinned.names, (n) => n, Number(fraction)).heldOut, names, `heldOutFraction ${fraction}`);
    }
  });

  it('augmentIndentation rewrites the same files to the same styles', () => {
    for (const [seed, expected] of Object.entries(pinned.reindented)) {
      const got: Record<string, string> = {};
      for (const f of augmentIndentation(sources, 0.5, Number(seed))) {
        if (f.text === textOf(f.name)) continue;
        const unit = detectIndentUnit(f.text);
        assert.ok(unit, `${f.name} lost its indentation`);
        got[f.name] = unit.kind === 'tab' ? 'tab' : String(unit.width);
      }
      assert.deepStrictEqual(got, expected, `seed ${seed}`);
    }
  });

  it('languageForFile and grammarForFile give each name the same language and grammar', () => {
    const rows = read<[string, string, string | null][]>('fileKinds.json');
    assert.ok(rows.length > 100);
    for (const [name, language, grammar] of rows) {
      assert.strictEqual(languageForFile(name), language, `language of ${JSON.stringify(name)}`);
      assert.strictEqual(grammarForFile(name), grammar, `grammar of ${JSON.stringify(name)}`);
    }
  });
});
