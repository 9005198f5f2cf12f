/**
 * Characters the heatmap records at once. Memory is 4 bytes per unit per kind
 * per character (4 KiB a character for h and c of a 2×256 model), so this is
 * about 50 MiB; a longer file is shown one window at a time, around the cursor.
 */
export const HEATMAP_WINDOW_CHARS = 12_000;

export interface TextWindow {
  /** UTF-16 offsets [start, end) into the text. */
  start: number;
  end: number;
  /** 0-based line of start. */
  startLine: number;
}

/**
 * The part of a text the heatmap records: all of it when it fits, otherwise
 * about maxChars of whole lines with the focus (the cursor) in its first
 * third, so that reading on downwards stays inside the window longer.
 */
export function chooseWindow(text: string, focus: number, maxChars = HEATMAP_WINDOW_CHARS): TextWindow {
  const n = text.length;
  const cap = Math.max(1, Math.floor(maxChars));
  if (n <= cap) return { start: 0, end: n, startLine: 0 };
  const f = Math.max(0, Math.min(n, Math.floor(focus)));
  let start = Math.max(0, Math.min(f - Math.floor(cap / 3), n - cap));
  // Back to the start of its line, unless that line alone is longer than the window.
  const lineStart = text.lastIndexOf('\n', start - 1) + 1;
  if (start - lineStart < cap / 2 && lineStart + cap > f) start = lineStart;
  else if (start > lineStart) {
    // Near the end of the text, moving back would push the focus out: move forward to the next line start instead.
    const next = text.indexOf('\n', start) + 1;
    if (next > 0 && next <= f && next - start < cap / 2) start = next;
  }
  let end = Math.min(n, start + cap);
  if (end < n) {
    // Forward-cut at the last line end inside the window (keeping its newline), unless that leaves too little.
    const lastNewline = text.lastIndexOf('\n', end - 1);
    if (lastNewline >= start && lastNewline + 1 > f && lastNewline + 1 - start > cap / 2) end = lastNewline + 1;
  }
  return { start, end, startLine: countNewlines(text, 0, start) };
}

/** True when offset lies inside the window, or the window already ends at the text's end and offset is that end. */
export function windowHolds(win: TextWindow, offset: number, textLength: number): boolean {
  return (offset >= win.start && offset < win.end) || (offset === win.end && win.end === textLength);
}

function countNewlines(text: string, from: number, to: number): number {
  let lines = 0;
  for (let i = from; i < to; i++) if (text.charCodeAt(i) === 10) lines++;
  return lines;
}
