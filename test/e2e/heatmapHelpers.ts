/// <reference lib="dom" />
// (The evaluate() callbacks below run inside the heatmap webview and use DOM types.)
/**
 * Reading and driving the LSTM Lens heatmap webview in a real VS Code: the
 * panel's document lives in nested iframes of the workbench page, found by
 * the selector of its code view.
 */
import { Frame } from 'playwright-core';
import { VsCodeSession } from './harness';

/** What the heatmap shows, read from its DOM. */
export interface HeatmapSnapshot {
  fileName: string;
  /** The code as rendered (a newline for each end-of-line marker). */
  text: string;
  /** The color class (p1…p8, n1…n8, z) of each rendered character, in order. */
  levels: string[];
  /** Track chips, the primary (coloring the code) first. */
  tracks: string[];
  /** Lines of stacked strips below each code line (one per extra track). */
  stripsPerLine: number;
  conceptCells: string[];
  /** The node-type list: each entry's title, and the note above it. */
  syntaxCells: string[];
  syntaxNote: string;
  status: string;
}

const CODE_SELECTOR = '.code .txt .ch';

/** The frame holding the heatmap's code view (waits until the panel has rendered characters). */
export function heatmapFrame(session: VsCodeSession, timeoutMs = 90_000): Promise<Frame> {
  return session.findFrame(CODE_SELECTOR, timeoutMs);
}

export async function readHeatmap(frame: Frame): Promise<HeatmapSnapshot> {
  return frame.evaluate(() => {
    const chars = Array.from(document.querySelectorAll<HTMLElement>('.code .txt .ch'));
    const firstLine = document.querySelector('.code .line');
    return {
      fileName: document.querySelector('.bar .file')?.textContent ?? '',
      text: chars.map((c) => (c.classList.contains('nl') ? '\n' : (c.textContent ?? ''))).join(''),
      levels: chars.map((c) => Array.from(c.classList).find((k) => /^(p\d|n\d|z)$/.test(k)) ?? ''),
      tracks: Array.from(document.querySelectorAll('.chips .chip-label')).map((c) => c.textContent ?? ''),
      stripsPerLine: firstLine ? firstLine.querySelectorAll('.strip').length : 0,
      conceptCells: Array.from(document.querySelectorAll('.concept-cells .cell-title')).map((c) => c.textContent ?? ''),
      syntaxCells: Array.from(document.querySelectorAll('.syntax-cells .cell-title')).map((c) => c.textContent ?? ''),
      syntaxNote: document.querySelector('.syntax-note')?.textContent ?? '',
      status: document.querySelector('.bar .status')?.textContent ?? '',
    };
  });
}

/** Polls readHeatmap until the predicate holds (the frame is looked up again each time: a reload replaces it). */
export async function waitForHeatmap(session: VsCodeSession, test: (s: HeatmapSnapshot) => boolean, what: string, timeoutMs = 60_000): Promise<HeatmapSnapshot> {
  const deadline = Date.now() + timeoutMs;
  let last: HeatmapSnapshot | undefined;
  let lastError = '';
  while (Date.now() < deadline) {
    try {
      const frame = await heatmapFrame(session, Math.max(1_000, deadline - Date.now()));
      last = await readHeatmap(frame);
      if (test(last)) return last;
    } catch (err) {
      lastError = err instanceof Error ? err.message : String(err);
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(`timed out waiting for the heatmap: ${what}; last seen: ${JSON.stringify(last && { ...last, text: last.text.slice(0, 200), levels: last.levels.length })} ${lastError}`);
}

/** Script-injection canaries: elements the hostile fixture would create if its text were parsed as HTML, and its onerror flag. */
export async function injectedMarkup(frame: Frame): Promise<string[]> {
  return frame.evaluate(() => {
    const found: string[] = [];
    for (const sel of ['img', 'iframe', 'svg', 'a[href]', '#injected', 'b']) if (document.querySelector(sel)) found.push(sel);
    // VS Code adds scripts of its own to the webview document; none may carry the fixture's code.
    for (const script of Array.from(document.querySelectorAll('script'))) if (/pwned|alert\(/.test(script.textContent ?? '')) found.push('script from the file');
    if (document.body.dataset.pwned) found.push(`pwned=${document.body.dataset.pwned}`);
    return found;
  });
}
