/// <reference lib="dom" />
// (The evaluate() callbacks below run inside the heatmap webview and use DOM types.)
/**
 * The README's concept-cell figures, from a real VS Code (code-server +
 * headless Chromium, the e2e harness): a held-out file
 * (test/e2e/fixtures/heldout, a package of the corpus's test split) opened
 * in the editor, the heatmap panel beside it, and for each concept (in a
 * string, in a comment, indentation depth, in an if-condition) the cell the
 * panel lists first for this file made the track: a screenshot of the panel
 * per concept, for the bundled model and for a randomly initialised model
 * of the same shape (the control every finding is shown beside). The cells
 * picked and the panel's scores go to cells.json beside the images.
 *
 * Run by scripts/heatmap-screenshots.sh (which builds what this needs);
 * see docs/E2E.md. Usage: node out/test/e2e/screenshots/heatmapFigures.js OUT_DIR
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { resultProvenance } from '../../../src/bench/resultProvenance';
import { loadModel, saveModel } from '../../../src/core/model/modelFiles';
import { newManifest } from '../../../src/core/model/manifest';
import { initParams, paramLayout } from '../../../src/core/params';
import { REPO_ROOT, VsCodeSession } from '../harness';
import { heatmapFrame, waitForHeatmap } from '../heatmapHelpers';

const HELD_OUT = path.join(REPO_ROOT, 'test', 'e2e', 'fixtures', 'heldout');
const FILE = 'openapi-typescript/response-object.ts';
/** The concepts of the figures and the file names they get. */
const CONCEPTS = [
  { name: 'inString', slug: 'string' },
  { name: 'inComment', slug: 'comment' },
  { name: 'indentDepth', slug: 'indent' },
  { name: 'inIfCondition', slug: 'if-condition' },
] as const;
/** Seed of the random model's weights; not 1, which the panel's own random control uses. */
const RANDOM_SEED = 7;
/** The code view starts at this line in every figure: a doc comment, a line comment, an if, strings and nested blocks follow it. */
const FIRST_LINE = 17;

interface Picked {
  model: 'bundled' | 'random';
  concept: string;
  cell: string;
  /** The panel's line for the cell: its score on this file and the random control's. */
  detail: string;
  image: string;
}

async function main(): Promise<void> {
  const outDir = path.resolve(process.argv[2] ?? path.join(REPO_ROOT, 'docs', 'images', 'heatmap-concepts'));
  await fs.promises.mkdir(outDir, { recursive: true });
  const scratch = await fs.promises.mkdtemp(path.join(os.tmpdir(), 'lstm-lens-figures-'));
  try {
    const randomDir = await writeRandomModel(path.join(scratch, 'random-model'));
    const picked: Picked[] = [];
    picked.push(...(await figuresFor('bundled', {}, outDir)));
    picked.push(...(await figuresFor('random', { 'lstmLens.modelPath': randomDir }, outDir)));
    // As every result file says where it came from (scripts/figure-tables.js writes the README's table from cells.json).
    const provenance = { ...resultProvenance(null, path.join(REPO_ROOT, 'models', 'default')), command: 'bash scripts/heatmap-screenshots.sh' };
    await fs.promises.writeFile(path.join(outDir, 'cells.json'), JSON.stringify({ file: `test/e2e/fixtures/heldout/${FILE}`, randomSeed: RANDOM_SEED, picked, provenance }, null, 1) + '\n');
    for (const p of picked) console.log(`${p.model.padEnd(7)} ${p.concept.padEnd(13)} ${p.cell.padEnd(18)} ${p.detail}`);
    console.log(`images and cells.json in ${outDir}`);
  } finally {
    await fs.promises.rm(scratch, { recursive: true, force: true });
  }
}

/** A model folder with the bundled model's shape and random weights. */
async function writeRandomModel(dir: string): Promise<string> {
  const bundled = await loadModel(path.join(REPO_ROOT, 'models', 'default'));
  const spec = bundled.layout.spec;
  const layout = paramLayout(spec);
  const manifest = { ...newManifest(spec, `random init (seed ${RANDOM_SEED})`), notes: 'Random weights of the bundled model’s shape: the control of the README’s cell figures.' };
  await saveModel(dir, { layout, params: initParams(layout, RANDOM_SEED), manifest });
  return dir;
}

async function figuresFor(model: Picked['model'], settings: Record<string, unknown>, outDir: string): Promise<Picked[]> {
  const session = await VsCodeSession.start({
    workspace: HELD_OUT,
    viewport: { width: 1800, height: 1000 },
    startTimeoutMs: 240_000,
    actionTimeoutMs: 60_000,
    // Unresolved imports of the copied file would draw error squiggles in the editor.
    settings: { ...settings, 'typescript.validate.enable': false, 'workbench.colorTheme': 'Default Light Modern' },
    ...(process.env.E2E_VSIX ? { vsix: process.env.E2E_VSIX } : {}),
  });
  try {
    await session.waitForExtensionLog(/LSTM Lens \S+ activated/, 120_000);
    const ready = await session.waitForExtensionLog(/model ready/, 120_000);
    console.log(`${model}: ${ready.line.trim()}`);
    await session.openFile(FILE);
    await session.runCommand('View: Toggle Primary Side Bar Visibility');
    await session.runCommand('LSTM Lens: Show Activation Heatmap');
    // Wait for the concept list with the random control measured (each line then names the random model's score).
    const listed = await waitForHeatmap(session, (h) => h.fileName.endsWith('response-object.ts') && h.text.length > 0 && h.conceptCells.length > 0, 'the file and its concept cells', 180_000);
    await waitForDetails(session, (details) => details.some((d) => d.startsWith('this file')) && !details.some((d) => d.includes('measuring')), 180_000);
    const frame = await heatmapFrame(session);
    // Room for the code and the concept list: fold the other sections.
    for (const title of ['Syntax node types', 'Dictionary features', 'Cells for selection', 'Hypothesis search']) {
      const section = frame.locator('details.sec', { has: frame.locator('summary', { hasText: title }) });
      if ((await section.count()) > 0 && (await section.first().getAttribute('open')) !== null) await section.first().locator('summary').click();
    }
    const out: Picked[] = [];
    for (const concept of CONCEPTS) {
      const entry = frame.locator('.concept-cells .cell-pick').filter({ has: frame.locator('.cell-title', { hasText: new RegExp(`^${concept.name} · `) }) }).filter({ has: frame.locator('.cell-detail', { hasText: /^this file/ }) }).first();
      if ((await entry.count()) === 0) throw new Error(`${model}: no ${concept.name} cell is listed for ${FILE} (listed: ${listed.conceptCells.join(', ')})`);
      const title = (await entry.locator('.cell-title').textContent()) ?? '';
      const detail = (await entry.locator('.cell-detail').textContent()) ?? '';
      const cell = title.split(' · ')[1];
      await entry.click();
      await waitForHeatmap(session, (h) => h.tracks[0]?.endsWith(cell) === true, `${cell} as the primary track`);
      // One track, the concept's cell, as every character's background: remove the others.
      while ((await frame.locator('.chips .chip').count()) > 1) {
        const before = await frame.locator('.chips .chip').count();
        await frame.locator('.chips .chip').nth(1).locator('.chip-x').click();
        await waitForHeatmap(session, (h) => h.tracks.length < before, 'one track fewer');
      }
      // No tooltip or hover highlight in the picture.
      await session.page.mouse.move(1, 1);
      await frame.locator('.code').evaluate((code, line) => {
        const target = code.children[line - 1];
        if (target) code.scrollTop += target.getBoundingClientRect().top - code.getBoundingClientRect().top;
      }, FIRST_LINE);
      const image = path.join(outDir, `${model}-${concept.slug}.png`);
      await (await frame.frameElement()).screenshot({ path: image });
      out.push({ model, concept: concept.name, cell, detail, image: path.relative(REPO_ROOT, image) });
    }
    await session.page.screenshot({ path: path.join(outDir, `${model}-window.png`) });
    // The node-type list: fold the concept list, open the node types, wait for them to be ranked beside the control.
    await frame.locator('details.sec > summary', { hasText: 'Concept cells' }).click();
    await frame.locator('details.sec > summary', { hasText: 'Syntax node types' }).click();
    const syntax = await waitForHeatmap(session, (h) => /ranked on this window/.test(h.syntaxNote), 'the node types ranked', 180_000);
    console.log(`${model} node types: ${syntax.syntaxNote}`);
    for (const t of syntax.syntaxCells) console.log(`${model}   ${t}`);
    await session.page.mouse.move(1, 1);
    await (await frame.frameElement()).screenshot({ path: path.join(outDir, `${model}-syntax.png`) });
    return out;
  } catch (err) {
    const dir = await session.captureFailure(`figures-${model}`);
    console.error(`failure screenshot and logs: ${dir}`);
    throw err;
  } finally {
    await session.close();
  }
}

/** Polls the concept list's detail lines until the predicate holds. */
async function waitForDetails(session: VsCodeSession, test: (details: string[]) => boolean, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let last: string[] = [];
  while (Date.now() < deadline) {
    const frame = await heatmapFrame(session);
    last = await frame.evaluate(() => Array.from(document.querySelectorAll('.concept-cells .cell-detail')).map((d) => d.textContent ?? '')).catch(() => []);
    if (test(last)) return;
    await new Promise((r) => setTimeout(r, 500));
  }
  throw new Error(`timed out waiting for the random control in the concept list; last seen: ${last.slice(0, 4).join(' | ')}`);
}

main().catch((err: unknown) => {
  console.error(err instanceof Error ? (err.stack ?? err.message) : String(err));
  process.exit(1);
});
