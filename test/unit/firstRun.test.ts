import * as assert from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import { AUTO_TRAINING_VALUES, FirstRunFacts, MIN_WORKSPACE_CHARS, applyFirstRunChoice, decideFirstRun, readAutoTraining } from '../../src/core/workspaceTraining/firstRun';

const NEW_WORKSPACE: FirstRunFacts = {
  auto: 'ask',
  trusted: true,
  hasTrainedModel: false,
  modelPathSet: false,
  neverHere: false,
  offeredHere: false,
  alwaysEverywhere: false,
  workspaceChars: 10 * MIN_WORKSPACE_CHARS,
};

describe('first-run offer to train on the workspace', () => {
  it('offers in a trusted workspace with enough code and no model of its own', () => {
    assert.deepStrictEqual(decideFirstRun(NEW_WORKSPACE), { kind: 'offer' });
  });

  it('counts the code first when it is not counted yet, and offers nothing for a little code', () => {
    assert.deepStrictEqual(decideFirstRun({ ...NEW_WORKSPACE, workspaceChars: undefined }), { kind: 'count' });
    assert.strictEqual(decideFirstRun({ ...NEW_WORKSPACE, workspaceChars: MIN_WORKSPACE_CHARS - 1 }).kind, 'nothing');
  });

  it('offers nothing when off, untrusted, already trained, on a chosen model, or after never', () => {
    const cases: Partial<FirstRunFacts>[] = [{ auto: 'off' }, { trusted: false }, { hasTrainedModel: true }, { modelPathSet: true }, { neverHere: true }];
    for (const c of cases) {
      const action = decideFirstRun({ ...NEW_WORKSPACE, ...c });
      assert.strictEqual(action.kind, 'nothing', JSON.stringify(c));
      // Not even 'always' or 'idle' overrides these.
      assert.strictEqual(decideFirstRun({ ...NEW_WORKSPACE, ...c, alwaysEverywhere: true }).kind, 'nothing', JSON.stringify(c));
      assert.strictEqual(decideFirstRun({ ...NEW_WORKSPACE, auto: 'idle', ...c }).kind, 'nothing', JSON.stringify(c));
    }
  });

  it('offers once: a closed offer is not made again', () => {
    assert.strictEqual(decideFirstRun({ ...NEW_WORKSPACE, offeredHere: true }).kind, 'nothing');
  });

  it('trains without asking after "always" (in any new workspace) or with idle', () => {
    assert.deepStrictEqual(decideFirstRun({ ...NEW_WORKSPACE, alwaysEverywhere: true, offeredHere: true }), { kind: 'train' });
    assert.deepStrictEqual(decideFirstRun({ ...NEW_WORKSPACE, auto: 'idle' }), { kind: 'train' });
  });

  it('remembers each choice where it belongs', () => {
    assert.deepStrictEqual(applyFirstRunChoice('train'), { train: true, rememberHere: { offered: true, never: false }, rememberAlways: false });
    assert.deepStrictEqual(applyFirstRunChoice('always'), { train: true, rememberHere: { offered: true, never: false }, rememberAlways: true });
    assert.deepStrictEqual(applyFirstRunChoice('never'), { train: false, rememberHere: { offered: true, never: true }, rememberAlways: false });
    assert.deepStrictEqual(applyFirstRunChoice(undefined), { train: false, rememberHere: { offered: true, never: false }, rememberAlways: false });
    // After each, the next startup's decision follows from what was remembered.
    const after = (choice: 'train' | 'always' | 'never' | undefined, trained: boolean) => {
      const o = applyFirstRunChoice(choice);
      return decideFirstRun({ ...NEW_WORKSPACE, offeredHere: o.rememberHere.offered, neverHere: o.rememberHere.never, alwaysEverywhere: o.rememberAlways, hasTrainedModel: trained }).kind;
    };
    assert.strictEqual(after('never', false), 'nothing');
    assert.strictEqual(after(undefined, false), 'nothing');
    assert.strictEqual(after('always', false), 'train', 'a run that did not produce a model is tried again');
  });

  it('reads the setting, falling back to ask with a message', () => {
    assert.deepStrictEqual(readAutoTraining(undefined), { auto: 'ask' });
    assert.deepStrictEqual(readAutoTraining('idle'), { auto: 'idle' });
    const bad = readAutoTraining('sometimes');
    assert.strictEqual(bad.auto, 'ask');
    assert.match(bad.problem ?? '', /lstmLens\.training\.auto is "sometimes"/);
  });

  it('is declared in package.json with the same values and default', () => {
    const pkg = JSON.parse(fs.readFileSync(path.join(__dirname, '..', '..', '..', 'package.json'), 'utf8'));
    const entry = pkg.contributes.configuration.properties['lstmLens.training.auto'];
    assert.deepStrictEqual(entry.enum, [...AUTO_TRAINING_VALUES]);
    assert.strictEqual(entry.default, readAutoTraining(undefined).auto);
  });
});
