import * as assert from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import { closeSessionAfterSuite, FIXTURE_WORKSPACE, REPO_ROOT, VsCodeSession } from './harness';

/**
 * The packaged extension activates in a real VS Code (code-server) and the
 * workbench can be driven: Explorer, command palette, editor, screenshots.
 */
describe('activation in a real VS Code (code-server + Chromium)', function () {
  this.timeout(300_000);
  let session: VsCodeSession | undefined;

  before(async function () {
    session = await VsCodeSession.start();
  });

  closeSessionAfterSuite(() => session);

  it('logs "LSTM Lens <version> activated" to its output channel', async function () {
    const { version } = JSON.parse(fs.readFileSync(path.join(REPO_ROOT, 'package.json'), 'utf8')) as { version: string };
    const hit = await session!.waitForExtensionLog(/LSTM Lens (\S+) activated/, 90_000);
    assert.strictEqual(hit.match[1], version);
  });

  it('opens a TypeScript file from the Explorer and shows its text', async function () {
    await session!.openFile('src/greet.ts');
    const expected = fs.readFileSync(path.join(FIXTURE_WORKSPACE, 'src', 'greet.ts'), 'utf8').trimEnd();
    const shown = await session!.waitForEditorText((text) => text.trimEnd() === expected, 30_000);
    assert.strictEqual(shown.trimEnd(), expected);
  });

  it('runs a command from the palette and shows the extension running', async function () {
    await session!.runCommand('Developer: Show Running Extensions');
    const tab = session!.page.locator('.editor-group-container.active .tab.active', { hasText: 'Running Extensions' });
    await tab.waitFor({ state: 'visible', timeout: 30_000 });
    const row = session!.page.locator('.runtime-extensions-editor .monaco-list-row', { hasText: 'LSTM Lens' }).first();
    await row.waitFor({ state: 'visible', timeout: 30_000 });
  });

  it('returns to the file and saves a screenshot of the workbench', async function () {
    await session!.openFile('src/greet.ts');
    await session!.waitForEditorText(/export function greet\(person: Person\): string \{/, 30_000);
    const file = await session!.screenshot('activation');
    assert.ok(fs.statSync(file).size > 10_000, `${file} looks empty`);
    console.log(`    screenshot: ${file}`);
  });
});
