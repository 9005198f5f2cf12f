/// <reference lib="dom" />
// (The evaluate() callbacks below run inside the heatmap webview and use DOM types.)
import * as assert from 'assert';
import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { closeSessionAfterSuite, REPO_ROOT, VsCodeSession } from './harness';
import { heatmapFrame, waitForHeatmap } from './heatmapHelpers';

const HELD_OUT = path.join(REPO_ROOT, 'test', 'e2e', 'fixtures', 'heldout');
const FILE = 'openapi-typescript/response-object.ts';

/**
 * Dictionary features as heatmap tracks in a real VS Code: a copy of the
 * bundled model with a small dictionary trained beside it (lstm-lens
 * features train, which lists it in model.json), loaded through
 * lstmLens.modelPath. The panel lists the features per concept with the
 * random control, one becomes the primary track, and hypothesis search
 * reports features.
 */
describe('heatmap panel: dictionary features (code-server + Chromium)', function () {
  this.timeout(420_000);
  let session: VsCodeSession | undefined;
  let modelDir = '';

  before(async function () {
    modelDir = await fs.promises.mkdtemp(path.join(os.tmpdir(), 'lstm-lens-e2e-dict-'));
    await fs.promises.cp(path.join(REPO_ROOT, 'models', 'default'), modelDir, { recursive: true });
    // Small and quick: 256 features, 8 active per character, one pass over the held-out file's states.
    execFileSync(
      process.execPath,
      [path.join(REPO_ROOT, 'dist', 'cli.js'), 'features', 'train', '--model', modelDir, '--out', path.join(modelDir, 'features.dict'), '--features', '256', '--k', '8', '--epochs', '1', path.join(HELD_OUT, FILE)],
      { stdio: ['ignore', 'ignore', 'inherit'] },
    );
    const manifest = JSON.parse(fs.readFileSync(path.join(modelDir, 'model.json'), 'utf8')).userDefinedMetadata.lstmLens;
    assert.strictEqual(manifest.features?.file, 'features.dict', 'features train lists the dictionary in the manifest');
    session = await VsCodeSession.start({
      workspace: HELD_OUT,
      viewport: { width: 1600, height: 900 },
      settings: { 'lstmLens.modelPath': modelDir, 'typescript.validate.enable': false },
      ...(process.env.E2E_VSIX ? { vsix: process.env.E2E_VSIX } : {}),
    });
    await session.waitForExtensionLog(/LSTM Lens \S+ activated/, 90_000);
    await session.waitForExtensionLog(/model ready/, 90_000);
  });

  closeSessionAfterSuite(() => session);
  after(async function () {
    if (modelDir) await fs.promises.rm(modelDir, { recursive: true, force: true });
  });

  it('lists the standout features per concept beside the random dictionary, and a feature becomes the primary track', async function () {
    const s = session!;
    await s.openFile(FILE);
    await s.runCommand('LSTM Lens: Show Activation Heatmap');
    await waitForHeatmap(s, (h) => h.fileName.endsWith('response-object.ts') && h.text.length > 0, 'the held-out file');
    const found = await s.waitForExtensionLog(/heatmap: feature dictionary .*features\.dict: 256 features, 8 active/, 90_000);
    assert.ok(found.line);
    // The random-model control dictionary is trained in the features worker; then every line names its score.
    const trained = await s.waitForExtensionLog(/heatmap: control dictionary trained on \d+ chars/, 240_000);
    assert.ok(trained.line);
    const deadline = Date.now() + 60_000;
    let details: string[] = [];
    while (Date.now() < deadline) {
      details = await (await heatmapFrame(s)).evaluate(() => Array.from(document.querySelectorAll('.feature-list .cell-detail')).map((d) => d.textContent ?? ''));
      if (details.length > 0 && !details.some((d) => d.includes('measuring'))) break;
      await new Promise((r) => setTimeout(r, 500));
    }
    assert.ok(details.length > 0, 'features are listed');
    assert.ok(
      details.every((d) => /^this file: (AUROC|ρ =) -?\d\.\d{3} · fires at \d+ chars · random model’s dictionary (AUROC|ρ =) -?\d\.\d{3}/.test(d)),
      `every line has the feature's score and the control's: ${details.slice(0, 3).join(' | ')}`,
    );
    const frame = await heatmapFrame(s);
    const first = frame.locator('.feature-list .feature-pick').first();
    const title = (await first.locator('.cell-title').textContent()) ?? '';
    assert.match(title, /^\w+ · feature \d+$/);
    await first.click();
    const shown = await waitForHeatmap(s, (h) => h.tracks[0] === title, `${title} as the primary track`);
    assert.ok(shown.levels.some((l) => l !== 'z'), 'the feature colors some characters');
    assert.ok(shown.levels.every((l) => !l.startsWith('n')), 'a feature is never negative');
    const legend = (await frame.locator('.legend').textContent()) ?? '';
    assert.match(legend, /where it fires/);
    await s.screenshot('heatmap-features');
  });

  it('adds a feature by number, and hypothesis search reports the features on throughout a selection', async function () {
    const s = session!;
    let frame = await heatmapFrame(s);
    await frame.locator('input.feature-index').fill('3');
    await frame.locator('.feature-add button').click();
    await waitForHeatmap(s, (h) => h.tracks.some((t) => /(^|· )feature 3$/.test(t)), 'feature 3 among the tracks');
    // Select the first line's string "typescript" (in the editor's group, not the panel's) and search with a threshold below every activation.
    await s.runCommand('View: Focus First Editor Group');
    await s.press('Control+Home');
    for (let i = 0; i < 15; i++) await s.press('ArrowRight');
    for (let i = 0; i < 12; i++) await s.press('Shift+ArrowRight');
    frame = await heatmapFrame(s);
    await frame.locator('input.threshold').fill('-1');
    await frame.locator('input.threshold').dispatchEvent('change');
    await frame.locator('details.sec', { hasText: 'Hypothesis search' }).locator('button', { hasText: 'Search' }).click();
    const deadline = Date.now() + 60_000;
    let note = '';
    while (Date.now() < deadline) {
      note = (await frame.locator('details.sec', { hasText: 'Hypothesis search' }).locator('p.muted').last().textContent()) ?? '';
      if (/dictionary feature/.test(note)) break;
      await new Promise((r) => setTimeout(r, 250));
    }
    // Below 0 every feature is on everywhere: the hypothesis keeps the most (10), and they are listed.
    assert.match(note, /and 10 dictionary features above -1 at every selected character/);
    assert.strictEqual(await frame.locator('.hypothesis-features .feature-pick').count(), 10);
  });
});
