import * as assert from 'assert';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { closeSessionAfterSuite, LogMark, REPO_ROOT, VsCodeSession, waitUntil } from './harness';

/** The offer's buttons (host/workspaceTraining/firstRunOffer.ts). */
const OFFER_BUTTONS = ['Train Now', 'Always for New Workspaces', 'Never Here'];

/**
 * "It learns the workspace by itself" in a real VS Code, as a new user meets
 * it with the default settings: in a workspace with enough code and no model
 * of its own, the offer comes once at startup; Train Now trains for about a
 * minute in the background and swaps in the better model. Then, with
 * `lstmLens.training.auto: idle`, saved edits past the threshold start a
 * retraining once the user is idle, a keystroke holds it, and a click on
 * the status bar item cancels it.
 *
 * The workspace is 24 TypeScript files of this repository (about 77,000
 * characters, over the offer's 20,000), copied to a temporary folder.
 */
describe('learns the workspace by itself: the first-run offer and idle retraining (code-server + Chromium)', function () {
  this.timeout(300_000);
  let session: VsCodeSession | undefined;
  let source: string;

  before(async function () {
    source = fs.mkdtempSync(path.join(os.tmpdir(), 'lstm-lens-e2e-learns-'));
    fs.cpSync(path.join(REPO_ROOT, 'src', 'core', 'workspaceTraining'), path.join(source, 'src'), { recursive: true });
    session = await VsCodeSession.start({
      workspace: source,
      // An idle retraining run is 15 s of training; the first run is a minute whatever this says.
      settings: { 'lstmLens.training.minutes': 0.25 },
      logLevel: 'trace',
      viewport: { width: 1400, height: 900 },
    });
    await session.waitForExtensionLog(/LSTM Lens \S+ activated/, 90_000);
  });

  closeSessionAfterSuite(() => session);
  after(() => fs.rmSync(source, { recursive: true, force: true }));

  it('offers once, at startup, to learn the workspace, with train now, always and never', async function () {
    const toast = session!.page.locator('.notifications-toasts .notification-toast', { hasText: /can learn this workspace/ });
    await toast.waitFor({ state: 'visible', timeout: 90_000 });
    for (const label of OFFER_BUTTONS) assert.strictEqual(await toast.locator('.monaco-button', { hasText: label }).count(), 1, `the offer has a "${label}" button`);
    // The toast slides in: the screenshot waits until it stands still.
    let last = '';
    await waitUntil(
      async () => {
        const box = JSON.stringify(await toast.boundingBox());
        const still = box === last;
        last = box;
        return still;
      },
      Date.now() + 10_000,
      'the offer to stop moving',
    );
    // The corner the offer stands in, with the status bar under it (docs/images/first-run-offer.png).
    const box = (await toast.boundingBox())!;
    const view = session!.page.viewportSize()!;
    const file = path.join(session!.screenshotsDir, 'first-run-offer.png');
    fs.mkdirSync(session!.screenshotsDir, { recursive: true });
    await session!.page.screenshot({ path: file, clip: { x: box.x - 16, y: box.y - 16, width: view.width - box.x + 16, height: view.height - box.y + 16 } });
    console.log(`    screenshot: ${file}`);
    await toast.locator('.monaco-button', { hasText: 'Train Now' }).click();
    await session!.waitForExtensionLog(/first run: the user chose train$/, 30_000);
  });

  it('Train Now trains in the background for about a minute and swaps in the better model', async function () {
    const done = await session!.waitForExtensionLog(/training stopped \((\S+)\) after \d+ steps, (\S+).*bits\/char before ([\d.]+), after ([\d.]+): (.*)$/, 180_000);
    const [, , , before, after] = done.match;
    assert.ok(Number(after) < Number(before), `held-out bits/char went from ${before} to ${after}: ${done.line}`);
    await session!.page.locator('.statusbar-item', { hasText: 'LSTM: workspace (trained)' }).first().waitFor({ state: 'visible', timeout: 30_000 });
  });

  it('with auto set to idle, retrains once enough saved edits piled up and the user is idle, and a keystroke holds the run', async function () {
    const s = session!;
    // Workspace settings, as a user would set them; the retrainer reads them at each check.
    fs.mkdirSync(path.join(s.workspaceDir, '.vscode'), { recursive: true });
    fs.writeFileSync(path.join(s.workspaceDir, '.vscode', 'settings.json'), JSON.stringify({ 'lstmLens.training.auto': 'idle', 'lstmLens.training.idleRetrainChars': 1000 }, null, 2));

    const mark = await saveEditsUntilIdleRetraining(s);
    // A keystroke while it trains: the run waits, and goes on 3 s after the last one.
    await s.typeText(' ');
    const done = await s.waitForExtensionLog(/training stopped \((\S+)\) after (\d+) steps/, 180_000, undefined, mark);
    assert.notStrictEqual(done.match[1], 'cancelled', done.line);
    const paused = await s.waitForExtensionLog(/training: paused for typing (\d+) time\(s\), (\S+) in all/, 30_000, undefined, mark);
    assert.ok(Number(paused.match[1]) >= 1, paused.line);
  });

  it('shows an idle run in the status bar, and a click there cancels it, keeping the working model', async function () {
    const s = session!;
    const mark = await saveEditsUntilIdleRetraining(s);
    const item = s.page.locator('.statusbar-item', { hasText: /LSTM: training/ }).first();
    await item.waitFor({ state: 'visible', timeout: 30_000 });
    await item.click();
    await s.waitForExtensionLog(/training: cancel requested/, 30_000, undefined, mark);
    await s.waitForExtensionLog(/training stopped \(cancelled\)/, 60_000, undefined, mark);
    await s.page.locator('.statusbar-item', { hasText: 'LSTM: workspace (trained)' }).first().waitFor({ state: 'visible', timeout: 30_000 });
  });
});

/**
 * Types 1,200 characters at the end of a workspace file and saves them
 * (over the 1,000 that lstmLens.training.idleRetrainChars asks for in this
 * suite), then waits, touching nothing, until idle retraining has started
 * and is in its training loop. Returns the log mark taken after the save.
 */
async function saveEditsUntilIdleRetraining(s: VsCodeSession): Promise<LogMark> {
  const saved = path.join(s.workspaceDir, 'src', 'idleRetrain.ts');
  const added = `// ${'saved edits that count toward retraining '.repeat(30)}`;
  const copies = () => fs.readFileSync(saved, 'utf8').split(added).length - 1;
  const before = copies();
  await s.openFile('src/idleRetrain.ts');
  await s.press('Control+End');
  await s.press('Enter');
  await s.page.keyboard.insertText(added);
  await s.press('Control+s');
  await waitUntil(async () => copies() > before && (await s.page.locator('.tab.active.dirty').count()) === 0, Date.now() + 30_000, 'the edit saved to disk');

  const mark = await s.logMark();
  // 30 s without a keystroke, and a check every 10 s.
  await s.waitForExtensionLog(/idle retraining: starting \(/, 120_000, undefined, mark);
  await s.waitForExtensionLog(/training: fine-tuning .*, 1 thread, up to 0\.25 min/, 30_000, undefined, mark);
  // In the training loop (its status line comes after the scoring of the working model).
  await s.waitForExtensionLog(/training: training$/, 60_000, undefined, mark);
  return mark;
}
