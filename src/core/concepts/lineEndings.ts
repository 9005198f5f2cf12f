/**
 * The concept scanners see only LF line ends. CRLF and lone CR become LF, and
 * each original offset maps to an offset in the normalised text: the CR of a
 * CRLF maps to the LF's, so it gets the labels of a line end.
 */
export interface NormalisedText {
  text: string;
  /** Original offset → normalised offset; null when the text had no CR (identity). */
  offsetMap: Int32Array | null;
}

export function normaliseNewlines(text: string): NormalisedText {
  if (!text.includes('\r')) return { text, offsetMap: null };
  const offsetMap = new Int32Array(text.length);
  let out = 0;
  for (let i = 0; i < text.length; i++) {
    offsetMap[i] = out;
    // A CR followed by LF shares the LF's offset; a lone CR becomes an LF in place.
    if (!(text.charCodeAt(i) === 13 && text.charCodeAt(i + 1) === 10)) out++;
  }
  return { text: text.replace(/\r\n?/g, '\n'), offsetMap };
}

/** Labels of the normalised text spread back onto the original offsets. */
export function expandToOriginal<T extends Uint8Array | Uint16Array>(labels: T, offsetMap: Int32Array | null, make: (n: number) => T): T {
  if (!offsetMap) return labels;
  const out = make(offsetMap.length);
  for (let i = 0; i < offsetMap.length; i++) out[i] = labels[offsetMap[i]];
  return out;
}
