import * as assert from 'assert';
import * as path from 'path';
import { CompletionService, DEFAULT_SETTINGS, validateSettings } from '../../src/core/completion';
import { feedText, startAfter } from '../../src/core/completion/completeAt';
import { NameIndex, WORD_MEMORY_PARAMS, WordMemoryModel } from '../../src/core/completion/wordMemory';
import { WORKSPACE_NAMES_PARAMS, WorkspaceNames } from '../../src/core/completion/workspaceNames';
import { Engine } from '../../src/core/engine';
import { createFastestOps } from '../../src/core/kernels/wasmOps';
import { loadModel } from '../../src/core/model/modelFiles';
import { beamSearch, greedySearch } from '../../src/core/search';
import { VOCAB_SIZE, charToId } from '../../src/core/vocab';
import { UniformModel, tinyEngine } from './helpers/tinyModels';

const prob = (logProbs: Float32Array, ch: string) => Math.exp(logProbs[charToId(ch.charCodeAt(0))]);
const total = (logProbs: Float32Array) => logProbs.reduce((s, v) => s + Math.exp(v), 0);
const RULES = { maxChars: 12, stopAtNewline: true, minCharProb: 0 };

/** Where the bundled model lives (tests run from out/test/unit). */
const BUNDLED = path.resolve(__dirname, '..', '..', '..', 'models', 'default');

function workspaceOf(files: Record<string, string>, params = WORKSPACE_NAMES_PARAMS): WorkspaceNames {
  const names = new WorkspaceNames(params);
  for (const [id, text] of Object.entries(files)) names.setFile(id, text);
  return names;
}

describe('word memory: the workspace’s names', () => {
  it('counts every name of a file, the last one too, each occurrence at the occurrence weight', () => {
    const names = workspaceOf({ 'a.ts': 'parseUnits(x); parseUnits(y); formatUnits', 'b.ts': 'parseUnits 42' });
    const index = names.index();
    assert.deepStrictEqual(index.names, ['formatUnits', 'parseUnits', 'x', 'y']);
    const w = WORKSPACE_NAMES_PARAMS.occurrenceWeight;
    assert.ok(Math.abs(index.weights[index.names.indexOf('parseUnits')] - 3 * w) < 1e-12);
    assert.ok(Math.abs(index.weights[index.names.indexOf('formatUnits')] - w) < 1e-12);
  });

  it('recounts a saved file alone, and forgets a deleted one', () => {
    const names = workspaceOf({ 'a.ts': 'alpha alpha beta', 'b.ts': 'alpha gamma' });
    names.setFile('a.ts', 'delta');
    const w = WORKSPACE_NAMES_PARAMS.occurrenceWeight;
    let index = names.index();
    assert.deepStrictEqual(index.names, ['alpha', 'delta', 'gamma']);
    assert.ok(Math.abs(index.weights[0] - w) < 1e-12, 'only b.ts uses alpha now');
    names.deleteFile('b.ts');
    index = names.index();
    assert.deepStrictEqual(index.names, ['delta']);
    assert.strictEqual(names.nameCount, 1);
  });

  it('keeps only the most frequent names past its cap (ties alphabetically)', () => {
    const names = workspaceOf({ 'a.py': 'often often often twice twice bravo alpha charlie' }, { ...WORKSPACE_NAMES_PARAMS, occurrenceWeight: 0.1, maxNames: 3 });
    assert.strictEqual(names.nameCount, 5);
    assert.deepStrictEqual(names.index().names, ['alpha', 'often', 'twice']);
    assert.throws(() => new WorkspaceNames({ ...WORKSPACE_NAMES_PARAMS, occurrenceWeight: 0 }), /positive/);
  });

  it('sums a range’s next letters by runs as a loop over every name would', () => {
    const words = 'pa pan pane panel pans pant party parse parsed parser passes past pat patch paths pattern pa9 pa_x'.split(' ');
    const counts = new Map(words.map((word, k) => [word, 1 + ((k * 7) % 5)]));
    const index = NameIndex.build(counts);
    for (const prefix of ['p', 'pa', 'par', 'pat', 'pan', 'q']) {
      let [lo, hi] = [0, index.size];
      for (let d = 0; d < prefix.length; d++) [lo, hi] = index.narrow(lo, hi, d, prefix.charCodeAt(d));
      const w = new Float64Array(VOCAB_SIZE);
      const goingOn = index.addNextLetters(lo, hi, prefix.length, w);
      const expected = new Float64Array(VOCAB_SIZE);
      let expectedGoingOn = 0;
      for (const [word, count] of counts) {
        if (word.startsWith(prefix) && word.length > prefix.length) {
          expected[charToId(word.charCodeAt(prefix.length))] += count;
          expectedGoingOn += count;
        }
      }
      assert.deepStrictEqual([...w], [...expected], prefix);
      assert.strictEqual(goingOn, expectedGoingOn, prefix);
      const all = [...counts].filter(([word]) => word.startsWith(prefix)).reduce((s, [, c]) => s + c, 0);
      assert.strictEqual(index.rangeWeight(lo, hi), all, prefix);
    }
  });

  it('offers a name that only another file uses after its first letters', () => {
    const inner = new UniformModel();
    const history = 'import { x } from "./units";\nconst value = par';
    const workspace = workspaceOf({ 'units.ts': 'export function parseUnits(v) {}\nparseUnits(1);' }).offered();
    const withWorkspace = new WordMemoryModel(inner, history, WORD_MEMORY_PARAMS, workspace);
    assert.strictEqual(greedySearch(withWorkspace, withWorkspace.extend(startAfter(inner, history)), RULES).text.slice(0, 7), 'seUnits');
    const alone = new WordMemoryModel(inner, history);
    const at = alone.extend(startAfter(inner, history));
    assert.ok(Math.abs(prob(at.logProbs, 's') - 1 / VOCAB_SIZE) < 1e-6, 'the document alone knows no par… name');
  });

  it('the document’s own names win: the workspace’s are offered only once the word starts none of them', () => {
    const inner = new UniformModel();
    const workspace = workspaceOf({ 'units.ts': 'parseUnits(1);\n'.repeat(10) }).offered();
    const history = 'const options = parseOptions(argv);\nparse';
    const model = new WordMemoryModel(inner, history, WORD_MEMORY_PARAMS, workspace);
    const at = model.extend(startAfter(inner, history));
    assert.ok(prob(at.logProbs, 'O') > 0.5, `O ${prob(at.logProbs, 'O')}`);
    assert.ok(Math.abs(prob(at.logProbs, 'U') - prob(at.logProbs, 'z')) < 1e-9, 'parseUnits gets nothing while parseOptions matches');
    // Past the document's names, the workspace's take over.
    const past = feedText(model, at, 'U');
    assert.ok(prob(past.logProbs, 'n') > 0.5, `n ${prob(past.logProbs, 'n')}`);
    assert.ok(Math.abs(total(past.logProbs) - 1) < 1e-4, 'still a distribution');
    // Offered beside the document's names instead, the workspace's ten uses outweigh the document's one.
    const beside = new WordMemoryModel(inner, history, WORD_MEMORY_PARAMS, { ...workspace, onlyWithoutDocumentMatch: false });
    const both = beside.extend(startAfter(inner, history));
    assert.ok(prob(both.logProbs, 'U') > prob(both.logProbs, 'O'), 'the rule is what keeps the document’s names first');
  });

  it('keeps each beam’s ranges apart: a batch step of forked states equals stepping each alone', () => {
    const inner = tinyEngine(5);
    const history = 'let warning = 1;\nwa';
    const workspace = workspaceOf({ 'a.ts': 'water waters warnings walrus wanted', 'b.ts': 'waterfall warn' }).offered();
    const model = new WordMemoryModel(inner, history, WORD_MEMORY_PARAMS, workspace);
    const start = model.extend(startAfter(inner, history));
    // Forks of one start, gone different ways: into the document's names, the workspace's, no name, past a word.
    const forks = ['r', 't', 'q', ' ', 'lr'].map((text) => feedText(model, start, text));
    const next = ['n', 'e', 'x', 'w', 'u'].map((ch) => charToId(ch.charCodeAt(0)));
    const n = forks.length;
    const states = new Float32Array(n * model.stateSize);
    forks.forEach((f, i) => states.set(f.state, i * model.stateSize));
    const batched = new Float32Array(n * VOCAB_SIZE);
    model.stepBatch(states, next, n, batched);
    forks.forEach((f, i) => {
      const alone = new Float32Array(VOCAB_SIZE);
      const state = new Float32Array(f.state);
      model.step(state, next[i], alone);
      assert.deepStrictEqual([...states.subarray(i * model.stateSize, (i + 1) * model.stateSize)], [...state], `state of fork ${i}`);
      for (let v = 0; v < VOCAB_SIZE; v++) assert.ok(Math.abs(batched[i * VOCAB_SIZE + v] - alone[v]) < 1e-4, `fork ${i}, id ${v}`);
    });
    // And beam search of width 1 (stepBatch) finds what greedy search (step) finds.
    const greedy = greedySearch(model, start, RULES);
    assert.strictEqual(beamSearch(model, start, { ...RULES, width: 1, nonWhitespace: false }).text, greedy.text);
  });

  it('is a setting, on by default', () => {
    assert.strictEqual(DEFAULT_SETTINGS.workspaceNames, true);
    const off = validateSettings((key) => (key === 'completion.workspaceNames' ? false : undefined));
    assert.strictEqual(off.settings.workspaceNames, false);
    const wrong = validateSettings((key) => (key === 'completion.workspaceNames' ? 1 : undefined));
    assert.strictEqual(wrong.settings.workspaceNames, true);
    assert.strictEqual(wrong.problems.length, 1);
  });

  it('with the bundled model, a made-up name used often in another file completes from 4 letters through the completion service, only with the setting on', async function () {
    this.timeout(60_000);
    const engine = new Engine(await loadModel(BUNDLED), createFastestOps());
    // Used often enough in the other file to weigh as much as 3 uses in the document.
    const uses = Math.ceil(3 / WORKSPACE_NAMES_PARAMS.occurrenceWeight);
    const workspace = workspaceOf({ 'lib/log.py': 'def qzvwlogger():\n    pass\n\n' + 'qzvwlogger()\n'.repeat(uses) });
    const doc = 'import os\n\n\ndef main():\n    qzvw';
    const request = { docId: 'doc', version: 1, text: doc, offset: doc.length };
    const complete = async (workspaceNames: boolean, wordMemory = true) => {
      const service = new CompletionService(engine);
      service.workspaceNames = () => workspace.offered();
      return (await service.complete(request, { ...DEFAULT_SETTINGS, wordMemory, workspaceNames }, () => false))?.completion;
    };
    const on = await complete(true);
    assert.ok(on && ('qzvw' + on.text).startsWith('qzvwlogger'), JSON.stringify(on));
    // Off, and on under a word memory turned off: the model alone does not know the name.
    for (const off of [await complete(false), await complete(true, false)]) assert.ok(!off || !('qzvw' + off.text).startsWith('qzvwlogger'), JSON.stringify(off));
  });
});
