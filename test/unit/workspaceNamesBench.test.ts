import * as assert from 'assert';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { benchWorkspaceNames } from '../../src/bench/workspaceNamesBench';
import { saveTinyModel } from './helpers/tinyModels';

describe('bench workspace-names: keystrokes saved with the other files’ names', function () {
  this.timeout(120000);
  let dir: string;
  let modelDir: string;
  let workspace: string;

  beforeEach(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'lstm-lens-workspace-names-test-'));
    modelDir = path.join(dir, 'model');
    await saveTinyModel(modelDir, 3);
    workspace = path.join(dir, 'ws');
    fs.mkdirSync(path.join(workspace, 'src'), { recursive: true });
    // Every file calls a made-up name once: a file's own names never hold it before it is typed.
    for (let i = 0; i < 10; i++) fs.writeFileSync(path.join(workspace, 'src', `m${i}.py`), `import os\n\nresult_${i} = qzvwloggerhelper(${i})\n`);
  });
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('types the held-out files without and with the other files’ names: the name only they know saves keystrokes', async () => {
    const r = await benchWorkspaceNames({ dir: workspace, modelDir, keystrokeChars: 10_000, weights: [0.3], maxNames: 3 });
    assert.strictEqual(r.files.workspace + r.files.heldOut, 10);
    assert.ok(r.files.heldOut >= 1 && r.files.heldOut < 10);
    assert.strictEqual(r.with.length, 1);
    assert.ok(r.with[0].keystrokesSaved > r.without.keystrokesSaved, `with ${r.with[0].keystrokesSaved}, without ${r.without.keystrokesSaved}`);
    // os, result_N × 8, qzvwloggerhelper, import: capped at the 3 most frequent.
    assert.ok(r.names.distinct > 3);
    assert.strictEqual(r.names.indexed, 3);
  });

  it('refuses a run with no weight to try', async () => {
    await assert.rejects(benchWorkspaceNames({ dir: workspace, modelDir, keystrokeChars: 100, weights: [] }), /at least one occurrence weight/);
  });
});
