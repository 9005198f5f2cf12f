import * as assert from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import { closeSessionAfterSuite, FIXTURE_WORKSPACE, REPO_ROOT, VsCodeSession } from './harness';
import { heatmapFrame, injectedMarkup, readHeatmap, waitForHeatmap } from './heatmapHelpers';

/**
 * The activation heatmap in a real VS Code: the panel opens beside the editor
 * on a file full of markup-like text and shows it as colored text, switches
 * cells, moves the editor's cursor on click, follows the active editor,
 * finds the cells of a selection, and comes back with its tracks after a
 * reload (panel serializer).
 */
describe('heatmap panel in a real VS Code (code-server + Chromium)', function () {
  this.timeout(300_000);
  let session: VsCodeSession | undefined;
  const hostile = fs.readFileSync(path.join(FIXTURE_WORKSPACE, 'src', 'hostile.ts'), 'utf8');

  before(async function () {
    // E2E_VSIX: a prepackaged extension (else the harness packages the repo).
    session = await VsCodeSession.start({ viewport: { width: 1440, height: 860 }, ...(process.env.E2E_VSIX ? { vsix: process.env.E2E_VSIX } : {}) });
    await session.waitForExtensionLog(/LSTM Lens \S+ activated/, 90_000);
    await session.waitForExtensionLog(/model ready/, 90_000);
  });

  closeSessionAfterSuite(() => session);

  it('opens beside the editor and shows a hostile file as colored text, never as markup', async function () {
    const s = session!;
    await s.openFile('src/hostile.ts');
    await s.runCommand('LSTM Lens: Show Activation Heatmap');
    const shown = await waitForHeatmap(s, (h) => h.fileName.endsWith('hostile.ts') && h.tracks.length > 0 && h.text.length > 0, 'hostile.ts with tracks');
    assert.strictEqual(shown.text, hostile, 'every character of the file is shown as text');
    assert.strictEqual(shown.levels.length, hostile.length);
    assert.ok(shown.levels.every((l) => l !== ''), 'every character has a color level');
    assert.ok(shown.levels.some((l) => l !== 'z'), 'some characters are colored');
    const frame = await heatmapFrame(s);
    assert.deepStrictEqual(await injectedMarkup(frame), [], 'no markup from the file was created in the webview');
    const inPage = await s.page.evaluate(() => (document.body as HTMLElement).dataset.pwned ?? '');
    assert.strictEqual(inPage, '');
    const log = await s.extensionLog();
    assert.match(log, /heatmap: hostile\.ts: recorded \d+ of \d+ chars/);
  });

  it('switches cells: a numbered cell as a second stacked track, then a concept cell as the primary', async function () {
    const s = session!;
    const frame = await heatmapFrame(s);
    const before = await readHeatmap(frame);
    await frame.locator('select.layer').selectOption('0');
    await frame.locator('input.cell').fill('5');
    await frame.locator('select.kind').selectOption('c');
    await frame.locator('button.add-cell').click();
    const added = await waitForHeatmap(s, (h) => h.tracks.includes('layer 0 c[5]'), 'layer 0 c[5] among the tracks');
    assert.strictEqual(added.tracks[0], before.tracks[0], 'the primary track stays');
    assert.strictEqual(added.stripsPerLine, added.tracks.length - 1, 'one strip per extra track under each line');

    // Make the new cell primary: the code's colors follow it.
    await (await heatmapFrame(s)).locator('.chip-label', { hasText: 'layer 0 c[5]' }).click();
    const switched = await waitForHeatmap(s, (h) => h.tracks[0] === 'layer 0 c[5]', 'layer 0 c[5] primary');
    assert.notDeepStrictEqual(switched.levels, before.levels, 'the colors changed with the cell');

    // A concept cell from the list becomes the primary track.
    const concepts = await waitForHeatmap(s, (h) => h.conceptCells.length > 0, 'concept cells listed');
    const wanted = concepts.conceptCells[0].split(' · ')[1];
    await (await heatmapFrame(s)).locator('.concept-cells .cell-pick').first().click();
    const picked = await waitForHeatmap(s, (h) => h.tracks[0].endsWith(wanted), `${wanted} primary`);
    assert.ok(picked.tracks.length >= 2);
  });

  it('lists the node types of the file\'s grammar whose best cell beats the random model, and a click makes that cell the primary track', async function () {
    const s = session!;
    const listed = await waitForHeatmap(s, (h) => h.syntaxCells.length > 0, 'node types listed');
    assert.match(listed.syntaxNote, /^\d+ node types of the tree-sitter typescript grammar ranked on this window .*; \d+ have a cell above the random model's best/);
    // Titles are "<node type> · layer L h|c[N]".
    const first = listed.syntaxCells[0];
    assert.match(first, /^[a-z_.]+ · layer \d+ [hc]\[\d+\]$/, first);
    const details = await (await heatmapFrame(s)).locator('.syntax-cells .cell-detail').allTextContents();
    assert.match(details[0], /^this file: AUROC \d\.\d{3} · random model AUROC \d\.\d{3} · \d+ nodes, (higher|lower) inside$/);
    const wanted = first.split(' · ')[1];
    await (await heatmapFrame(s)).locator('.syntax-cells .cell-pick').first().click();
    await waitForHeatmap(s, (h) => h.tracks[0].endsWith(wanted), `${wanted} primary`);
    assert.match(await s.extensionLog(), /heatmap: \d+ node types listed, ranked in \d+ ms/);
  });

  it('hover shows the exact value and a click moves the editor cursor there', async function () {
    const s = session!;
    const frame = await heatmapFrame(s);
    // Line 3, column 7 of the file (0-based offset of that character).
    const lines = hostile.split('\n');
    const offset = lines[0].length + 1 + lines[1].length + 1 + 6;
    const span = frame.locator(`.code .txt .ch[data-i="${offset}"]`);
    await span.hover();
    const tip = frame.locator('.tooltip');
    await tip.waitFor({ state: 'visible' });
    const tipText = (await tip.textContent()) ?? '';
    assert.match(tipText, /line 3, col 7/);
    assert.match(tipText, /-?\d+\.\d{4}/, 'a value with four decimals');
    await span.click();
    const status = s.page.locator('#status\\.editor\\.selection');
    await status.filter({ hasText: /Ln 3, Col 7/ }).first().waitFor({ state: 'visible', timeout: 20_000 });
  });

  it('follows the active editor and takes a screenshot', async function () {
    const s = session!;
    await s.openFile('src/labels.ts');
    const shown = await waitForHeatmap(s, (h) => h.fileName.endsWith('labels.ts') && h.text.length > 0 && h.conceptCells.length > 0, 'labels.ts with its concept cells');
    const labels = fs.readFileSync(path.join(FIXTURE_WORKSPACE, 'src', 'labels.ts'), 'utf8');
    assert.strictEqual(shown.text, labels);
    // Color the code by the cell that tracks strings best in this file.
    const stringCell = shown.conceptCells.find((c) => c.startsWith('inString'));
    assert.ok(stringCell, `an inString cell is listed: ${shown.conceptCells.join(', ')}`);
    await (await heatmapFrame(s)).locator('.concept-cells .cell-pick', { hasText: stringCell }).first().click();
    await waitForHeatmap(s, (h) => h.tracks[0].endsWith(stringCell.split(' · ')[1]), 'the inString cell primary');
    await (await heatmapFrame(s)).locator('details.sec', { hasText: 'Gate saturation' }).locator('summary').click();
    await s.runCommand('View: Toggle Primary Side Bar Visibility');
    await (await heatmapFrame(s)).locator('canvas.gate-chart').first().waitFor({ state: 'visible' });
    const file = await s.screenshot('heatmap');
    assert.ok(fs.statSync(file).size > 10_000, `${file} looks empty`);
    if (process.env.E2E_UPDATE_README_IMAGE === '1') fs.copyFileSync(file, path.join(REPO_ROOT, 'docs', 'images', 'heatmap.png'));
    console.log(`    screenshot: ${file}`);
    await s.runCommand('View: Toggle Primary Side Bar Visibility');
  });

  it('Find Cells for Selection makes the cells that stand out over the selected code the tracks', async function () {
    const s = session!;
    const before = await readHeatmap(await heatmapFrame(s));
    await s.openFile('src/labels.ts');
    await s.press('Control+Home');
    await s.press('Shift+End');
    await s.runCommand('LSTM Lens: Find Cells for Selection');
    const found = await s.waitForExtensionLog(/heatmap: find cells for selection (\d+)–(\d+) of the window: (\d+) cells/, 60_000);
    assert.ok(Number(found.match[3]) > 0, found.line);
    const shown = await waitForHeatmap(
      s,
      (h) => h.fileName.endsWith('labels.ts') && h.tracks.length >= 1 && h.tracks.length <= 3 && h.tracks.every((t) => /layer \d+ [hc]\[\d+\]$/.test(t)) && h.tracks.join() !== before.tracks.join(),
      'up to three cells as the tracks',
    );
    assert.ok(shown.levels.some((l) => l !== 'z'), 'the code is colored by the first of them');
  });

  it('comes back with the same tracks after the window reloads (panel serializer + saved state)', async function () {
    const s = session!;
    const before = await readHeatmap(await heatmapFrame(s));
    // Reload Window shuts the workbench down properly (state saved), as a user's reload does.
    await s.runCommand('Developer: Reload Window', { waitForClose: false });
    await s.page.waitForEvent('framenavigated', { predicate: (f) => f === s.page.mainFrame(), timeout: 60_000 });
    await s.page.locator('.monaco-workbench').first().waitFor({ state: 'visible', timeout: 60_000 });
    const after = await waitForHeatmap(s, (h) => h.tracks.length > 0 && h.text.length > 0, 'the restored panel', 90_000);
    assert.deepStrictEqual(after.tracks, before.tracks);
  });
});
