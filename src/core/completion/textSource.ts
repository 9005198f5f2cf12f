/**
 * Read access to a document's text by offsets. A plain string is one; the
 * VS Code adapter reads ranges of a TextDocument, so that a request never
 * copies a whole (possibly 50 MB) document.
 */
export interface TextSource {
  /** Number of UTF-16 code units. */
  readonly length: number;
  /** The text in [start, end), like String.prototype.slice for 0 <= start <= end <= length. */
  slice(start: number, end: number): string;
}

/** A TextSource returned less text than its length promised: the document changed while it was read. */
export class TextChangedError extends Error {}

/** How far the line helpers look around the cursor before giving up. */
export const MAX_LINE_SCAN = 4096;

/**
 * The rest of the line after `offset` (without its line break), or null
 * when the line goes on for more than `maxScan` characters.
 */
export function lineSuffixAt(text: TextSource, offset: number, maxScan = MAX_LINE_SCAN): string | null {
  // Two characters past the window, so that a line of exactly maxScan
  // characters still finds its CRLF.
  const end = Math.min(text.length, offset + maxScan + 2);
  const chunk = text.slice(offset, end);
  const nl = chunk.search(/\r?\n/);
  if (nl >= 0 && nl <= maxScan) return chunk.slice(0, nl);
  return end === text.length && chunk.length <= maxScan ? chunk : null;
}

/**
 * The line before `offset` (from the line start), or null when it is longer
 * than `maxScan` characters.
 */
export function linePrefixAt(text: TextSource, offset: number, maxScan = MAX_LINE_SCAN): string | null {
  const start = Math.max(0, offset - maxScan);
  const chunk = text.slice(start, offset);
  const nl = chunk.lastIndexOf('\n');
  if (nl >= 0) return chunk.slice(nl + 1);
  return start === 0 ? chunk : null;
}
