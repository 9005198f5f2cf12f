import * as assert from 'assert';
import { spawn } from 'child_process';
import { createHash } from 'crypto';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { isAtomicTempName } from '../../src/core/atomicWrite';
import { newManifest } from '../../src/core/model/manifest';
import { loadModel, saveModel } from '../../src/core/model/modelFiles';
import { ModelSpec } from '../../src/core/modelSpec';
import { initParams, makeRng, paramLayout } from '../../src/core/params';

/**
 * A process killed outright (SIGKILL: no handler, no cleanup) at random
 * moments while it saves models into a folder over and over. Whenever it
 * dies, the folder loads one whole model that was saved (weights and
 * manifest of the same save), and every file a user can see there is
 * complete; the next save removes what the kill left.
 */

const SPEC: ModelSpec = { vocabSize: 98, embedDim: 16, hidden: [128, 128] };
const layout = paramLayout(SPEC);
const modelFiles = path.join(__dirname, '..', '..', 'src', 'core', 'model', 'modelFiles.js');
const params = path.join(__dirname, '..', '..', 'src', 'core', 'params.js');
const manifest = path.join(__dirname, '..', '..', 'src', 'core', 'model', 'manifest.js');

/** Saves m100, m101, … into `dir` forever; says "go" on stdout once it starts. */
function saverScript(dir: string): string {
  return `
    const { saveModel } = require(${JSON.stringify(modelFiles)});
    const { initParams, paramLayout } = require(${JSON.stringify(params)});
    const { newManifest } = require(${JSON.stringify(manifest)});
    const spec = ${JSON.stringify(SPEC)};
    const layout = paramLayout(spec);
    (async () => {
      process.stdout.write('go\\n');
      for (let seed = 100; ; seed++) await saveModel(${JSON.stringify(dir)}, { layout, params: initParams(layout, seed), manifest: newManifest(spec, 'm' + seed) });
    })();`;
}

function killDuringSaves(dir: string, afterMs: number): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['-e', saverScript(dir)], { stdio: ['ignore', 'pipe', 'inherit'] });
    child.stdout.once('data', () => setTimeout(() => child.kill('SIGKILL'), afterMs));
    child.on('error', reject);
    child.on('exit', (code, signal) => (signal === 'SIGKILL' ? resolve() : reject(new Error(`saver exited on its own (${code})`))));
  });
}

describe('faults: a process killed while it saves a model', function () {
  let dir: string;
  before(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'lstm-lens-faults-killed-'));
  });
  after(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('leaves a folder that loads one whole saved model, with every visible file complete, at any moment', async () => {
    await saveModel(dir, { layout, params: initParams(layout, 1), manifest: newManifest(SPEC, 'm1') });
    const rng = makeRng(5);
    for (let round = 0; round < 8; round++) {
      await killDuringSaves(dir, 20 + Math.floor(rng() * 150));
      const loaded = await loadModel(dir);
      const seed = Number(/^m(\d+)$/.exec(loaded.manifest.name)?.[1]);
      assert.ok(Number.isInteger(seed), `round ${round}: manifest ${loaded.manifest.name}`);
      assert.deepStrictEqual(loaded.params, initParams(layout, seed), `round ${round}: the weights are those saved with ${loaded.manifest.name}`);
      for (const name of fs.readdirSync(dir)) {
        if (isAtomicTempName(name) || name === 'model.json') continue;
        const m = /^weights-([0-9a-f]{12})\.bin$/.exec(name);
        assert.ok(m, `round ${round}: unexpected visible file ${name}`);
        const hash = createHash('sha256').update(fs.readFileSync(path.join(dir, name))).digest('hex').slice(0, 12);
        assert.strictEqual(hash, m[1], `round ${round}: ${name} is incomplete`);
      }
    }
    await saveModel(dir, { layout, params: initParams(layout, 2), manifest: newManifest(SPEC, 'm2') });
    assert.strictEqual(fs.readdirSync(dir).length, 2, `only model.json and its shard remain: ${fs.readdirSync(dir).join(', ')}`);
  });
});
