import * as assert from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import { closeSessionAfterSuite, REPO_ROOT, VsCodeSession } from './harness';

/**
 * "LSTM Lens: Train on Workspace" in a real VS Code: on a small fixture
 * workspace with a 15-second budget, the user confirms the corpus, sees the
 * progress notification and the status bar report training, and at the end
 * the status bar names the newly trained model (the swap happened without a
 * reload). A second run, cancelled, leaves that model in place.
 */
describe('training: Train on Workspace in a real VS Code (code-server + Chromium)', function () {
  this.timeout(300_000);
  let session: VsCodeSession | undefined;

  before(async function () {
    session = await VsCodeSession.start({
      workspace: path.join(REPO_ROOT, 'test', 'fixtures', 'training-workspace'),
      settings: { 'lstmLens.training.minutes': 0.25 },
      viewport: { width: 1400, height: 900 },
    });
    await session.waitForExtensionLog(/LSTM Lens \S+ activated/, 90_000);
    await session.waitForExtensionLog(/model ready: bundled/, 90_000);
  });

  closeSessionAfterSuite(() => session);

  /** Train on Workspace: the corpus summary (files, characters) comes first, and Fine-Tune starts the run. */
  async function startFineTune(s: VsCodeSession): Promise<void> {
    await s.runCommand('LSTM Lens: Train on Workspace');
    const toast = s.page.locator('.notifications-toasts .notification-toast', { hasText: /train on 6 files, [\d.k]+ characters/i });
    await toast.waitFor({ state: 'visible', timeout: 30_000 });
    await toast.locator('.monaco-button', { hasText: 'Fine-Tune Current Model' }).click();
  }

  it('shows files and characters before it starts, and starts on Fine-Tune', async function () {
    await startFineTune(session!);
  });

  it('shows progress (epoch, bits/char, chars/s, time left) and the training state in the status bar', async function () {
    const page = session!.page;
    const progress = page.locator('.notifications-toasts .notification-toast', { hasText: /epoch \d+ · loss [\d.]+ · [\d.]+ bits\/char .* chars\/s · .* left/ });
    await progress.waitFor({ state: 'visible', timeout: 60_000 });
    await page.locator('.statusbar-item', { hasText: /LSTM: training/ }).first().waitFor({ state: 'visible', timeout: 30_000 });
    // The loss curve view draws the training curve as it goes.
    const frame = await session!.findFrame('#chart path.train', 60_000);
    assert.ok((await frame.locator('#chart path.train').count()) === 1);
    const file = await session!.screenshot('training');
    console.log(`    screenshot: ${file}`);
  });

  it('swaps in the trained model when it is better, and the status bar names it', async function () {
    const page = session!.page;
    const done = await session!.waitForExtensionLog(/training stopped \((\S+)\).*bits\/char before ([\d.]+), after ([\d.]+): (.*)$/, 120_000);
    const [, , before, after] = done.match;
    assert.ok(Number(after) < Number(before), `held-out bits/char went from ${before} to ${after}: ${done.line}`);
    await page.locator('.statusbar-item', { hasText: 'LSTM: workspace (trained)' }).first().waitFor({ state: 'visible', timeout: 30_000 });
    await page.locator('.notifications-toasts .notification-toast', { hasText: /now using the model trained on this workspace: held-out bits\/char/ }).waitFor({ state: 'visible', timeout: 30_000 });
    const file = await session!.screenshot('training-done');
    console.log(`    screenshot: ${file}`);
    assert.ok(fs.statSync(file).size > 10_000);
  });

  it('stops a second run on Cancel Training and keeps the working model', async function () {
    const page = session!.page;
    await startFineTune(session!);
    await page.locator('.statusbar-item', { hasText: /LSTM: training/ }).first().waitFor({ state: 'visible', timeout: 60_000 });
    await session!.runCommand('LSTM Lens: Cancel Training');
    await session!.waitForExtensionLog(/training: cancel requested/, 30_000);
    await page.locator('.notifications-toasts .notification-toast', { hasText: 'Training cancelled. The working model is unchanged.' }).waitFor({ state: 'visible', timeout: 60_000 });
    await page.locator('.statusbar-item', { hasText: 'LSTM: workspace (trained)' }).first().waitFor({ state: 'visible', timeout: 30_000 });
  });

  it('says so when Cancel Training is run with nothing running', async function () {
    await session!.runCommand('LSTM Lens: Cancel Training');
    await session!.page.locator('.notifications-toasts .notification-toast', { hasText: 'no training is running' }).waitFor({ state: 'visible', timeout: 30_000 });
  });
});
