import * as assert from 'assert';
import { completeAt, DocumentStates, SearchSettings } from '../../src/core/completion';
import { MATCH_WEIGHTS, matchNext } from '../../src/core/completion/documentMatch';
import { WorkspaceMatchIndex, WorkspaceTexts } from '../../src/core/completion/workspaceMatch';
import { scoreText } from '../../src/core/eval/scoreText';
import { charToId } from '../../src/core/vocab';
import { UniformModel } from './helpers/tinyModels';

const weightOf = (length: number) => MATCH_WEIGHTS.find((m) => m.length === length)!.weight;
const id = (ch: string) => charToId(ch.charCodeAt(0));

describe('workspace match (the document cache over the other files)', () => {
  it('agrees with the document cache on the same text: latest occurrence, longest match first', () => {
    const cases = [
      ['let alphaBetaGamma = 1;\nlog(', 'alphaBetaGam'],
      ['x abcdefgh1 y abcdefgh2 z ', 'abcdefgh'],
      ['ONE_two_THREE_fourX ... THREE_fourY ... ', 'ONE_two_THREE_four'],
      ['import { parseUnits } from "./units";\n', 'import { parseUn'],
    ];
    for (const [files, tail] of cases) {
      const index = WorkspaceMatchIndex.of([files]);
      assert.deepStrictEqual(index.matchNext(tail), matchNext(files + tail, files + tail), JSON.stringify(tail));
    }
    assert.deepStrictEqual(WorkspaceMatchIndex.of(['x abcdefgh1 y abcdefgh2 z ']).matchNext('__abcdefgh'), { id: id('2'), weight: weightOf(8) });
  });

  it('matches across files, a later file winning a tie, and never across a file boundary', () => {
    const index = WorkspaceMatchIndex.of(['const value = computeA();\n', 'const value = computeB();\n']);
    assert.deepStrictEqual(index.matchNext('  const value = compute'), { id: id('B'), weight: weightOf(16) });
    // "end of one" + "start of two" is no text: nothing follows the first file's last characters.
    const split = WorkspaceMatchIndex.of(['...abcdefgh', 'ijklmnop...']);
    assert.strictEqual(split.matchNext('abcdefgh'), null);
    assert.strictEqual(split.matchNext('ghijklmn'), null);
    assert.deepStrictEqual(split.matchNext('ijklmnop'), { id: id('.'), weight: weightOf(8) });
  });

  it('finds nothing for a tail shorter than the shortest match, or one that occurs nowhere', () => {
    const index = WorkspaceMatchIndex.of(['function parseUnits(value) {}\n']);
    assert.strictEqual(index.matchNext('parseUn'), null);
    assert.strictEqual(index.matchNext('formatUnits(amount'), null);
    assert.strictEqual(WorkspaceMatchIndex.of([]).matchNext('anything at all'), null);
  });

  it('finds the same matches as a scan in a text with many repeats and hash collisions', () => {
    // Eight-character keys over a two-letter alphabet repeat constantly: the chain walk must verify each candidate.
    let seed = 7;
    const rand = () => (seed = (seed * 1103515245 + 12345) & 0x7fffffff) / 0x7fffffff;
    let text = '';
    for (let i = 0; i < 3000; i++) text += rand() < 0.5 ? 'a' : 'b';
    const index = WorkspaceMatchIndex.of([text]);
    for (let k = 0; k < 50; k++) {
      let tail = '';
      for (let i = 0; i < 16; i++) tail += rand() < 0.5 ? 'a' : 'b';
      const scanned = matchNext(text + '\u0000' + tail, text + '\u0000' + tail);
      const found = index.matchNext(tail);
      // The chain walk is capped, so it may settle for a shorter length than a full scan; what it finds must be a true match.
      if (found && scanned) assert.ok(found.weight <= scanned.weight);
      if (scanned) assert.ok(found, `a match for ${tail}`);
    }
  });

  it('leaves out the files past the character cap, and CR characters', () => {
    const index = WorkspaceMatchIndex.of(['first file text\r\n', 'second file is too long for the cap'], 20);
    assert.strictEqual(index.size, 'first file text\n'.length + 1);
    assert.deepStrictEqual(index.matchNext('first file tex'), { id: id('t'), weight: weightOf(12) });
    assert.strictEqual(index.matchNext('second file is t'), null);
  });

  it('WorkspaceTexts rebuilds its index after a file changes or goes, and only then', () => {
    const texts = new WorkspaceTexts();
    texts.setFile('a.ts', 'return computeTotal(x);\n');
    const first = texts.index();
    assert.strictEqual(texts.index(), first);
    assert.deepStrictEqual(first.matchNext('computeTo'), { id: id('t'), weight: weightOf(8) });
    texts.setFile('a.ts', 'return computeTimes(x);\n');
    assert.notStrictEqual(texts.index(), first);
    assert.deepStrictEqual(texts.index().matchNext('computeTi'), { id: id('m'), weight: weightOf(8) });
    texts.deleteFile('a.ts');
    assert.strictEqual(texts.index().matchNext('computeTi'), null);
    assert.strictEqual(texts.has('a.ts'), false);
  });

  it('built in slices, it answers as the index built at once, and a change during the build keeps it from being cached', async () => {
    const files = Array.from({ length: 40 }, (_, i) => `export function handler${i % 7}(event: Event${i % 3}) {\n  return dispatch${i}(event);\n}\n`.repeat(2000));
    let pauses = 0;
    const sliced = await WorkspaceMatchIndex.inSlices(files, async () => void pauses++);
    const whole = WorkspaceMatchIndex.of(files);
    assert.ok(pauses > 1, `built in ${pauses} slices`);
    assert.strictEqual(sliced.size, whole.size);
    for (const tail of ['function handler3(event: Ev', '  return dispatch17(', 'nothing like this here', '(event: Event2) {\n  retu']) {
      assert.deepStrictEqual(sliced.matchNext(tail), whole.matchNext(tail), tail);
    }

    const texts = new WorkspaceTexts();
    texts.setFile('a.ts', 'return computeTotal(x);\n');
    const stale = await texts.indexInSlices(async () => void texts.setFile('a.ts', 'return computeTimes(x);\n'));
    assert.deepStrictEqual(stale.matchNext('computeTo'), { id: id('t'), weight: weightOf(8) }, 'the build read the text as it was');
    assert.deepStrictEqual(texts.index().matchNext('computeTi'), { id: id('m'), weight: weightOf(8) }, 'and the next request builds anew');
    assert.strictEqual(await texts.indexInSlices(async () => undefined), texts.index(), 'an index built since is reused');
  });

  it('WorkspaceTexts keeps no more text than the index can hold: a file past the cap is left out, and fits again once others go', () => {
    const texts = new WorkspaceTexts(40);
    assert.strictEqual(texts.setFile('a', 'first file holds text'), true);
    assert.strictEqual(texts.setFile('b', 'second file is too long'), false);
    assert.strictEqual(texts.has('b'), false);
    assert.strictEqual(texts.index().matchNext('second file is t'), null);
    texts.deleteFile('a');
    assert.strictEqual(texts.setFile('b', 'second file is too long'), true);
    assert.deepStrictEqual(texts.index().matchNext('second file is t'), { id: id('o'), weight: weightOf(16) });
    // A file replaced by a longer text is measured anew.
    assert.strictEqual(texts.setFile('b', 'x'.repeat(50)), false);
    assert.strictEqual(texts.has('b'), false);
  });

  it('scoring and completion use it only where the document itself has no match', async () => {
    const model = new UniformModel();
    const files = WorkspaceMatchIndex.of(['export function formatEther(wei: bigint): string {\n']);
    const text = 'const a = formatEther(1n);\nconst b = formatEther(2n);\n';
    const plain = scoreText(model, text, undefined, { documentMatch: true });
    const withFiles = scoreText(model, text, undefined, { documentMatch: true, workspaceMatches: files });
    assert.ok(withFiles.bits < plain.bits - 1, `${withFiles.bits} < ${plain.bits}`);

    const settings: SearchSettings = { maxChars: 40, beamWidth: 1, multiline: false, maxLines: 1, minCharProb: 0, minExpectedSaving: 0, documentMatch: true, wordMemory: false, workspaceMatch: true };
    const typed = 'let x = formatEt';
    const complete = (s: SearchSettings) =>
      completeAt(model, new DocumentStates(model), 'd', typed, typed.length, s, () => false, { workspaceMatches: files });
    assert.strictEqual((await complete(settings))?.text, 'her(wei: bigint): string {');
    assert.notStrictEqual((await complete({ ...settings, workspaceMatch: false }))?.text, 'her(wei: bigint): string {');
  });
});
