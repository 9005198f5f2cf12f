/**
 * The fixed character vocabulary every LSTM Lens model shares, so that any
 * model can be fine-tuned on any workspace and the bundled model is always a
 * valid starting point.
 *
 * Ids: 0..94 are printable ASCII 32..126, 95 is '\n', 96 is '\t', 97 is UNK
 * (every other character, including all non-ASCII text).
 */

export const VOCAB_SIZE = 98;
/** ' ', the first printable character. */
export const SPACE_ID = 0;
export const NEWLINE_ID = 95;
export const TAB_ID = 96;
export const UNK_ID = 97;
/** What UNK decodes to: the Unicode replacement character. */
export const UNK_CHAR = '\uFFFD';

const FIRST_PRINTABLE = 32;
const LAST_PRINTABLE = 126;

/** The vocabulary as stored in a model manifest: index = id. */
export const VOCAB_CHARS: readonly string[] = (() => {
  const chars: string[] = [];
  for (let c = FIRST_PRINTABLE; c <= LAST_PRINTABLE; c++) chars.push(String.fromCharCode(c));
  chars.push('\n', '\t', UNK_CHAR);
  return chars;
})();

export function charToId(code: number): number {
  if (code >= FIRST_PRINTABLE && code <= LAST_PRINTABLE) return code - FIRST_PRINTABLE;
  if (code === 10) return NEWLINE_ID;
  if (code === 9) return TAB_ID;
  return UNK_ID;
}

export function idToChar(id: number): string {
  return VOCAB_CHARS[id] ?? UNK_CHAR;
}

/**
 * Encodes text one UTF-16 code unit at a time. A surrogate pair becomes two
 * UNKs, which keeps offsets in the encoded array equal to offsets in the
 * JavaScript string (and in VS Code documents).
 */
export function encode(text: string, out?: Uint8Array): Uint8Array {
  const ids = out ?? new Uint8Array(text.length);
  for (let i = 0; i < text.length; i++) ids[i] = charToId(text.charCodeAt(i));
  return ids;
}

export function decode(ids: ArrayLike<number>): string {
  let s = '';
  for (let i = 0; i < ids.length; i++) s += idToChar(ids[i]);
  return s;
}

/** True when the manifest's vocabulary is exactly ours (same chars, same order). */
export function isOurVocabulary(chars: readonly string[]): boolean {
  return chars.length === VOCAB_SIZE && chars.every((c, i) => c === VOCAB_CHARS[i]);
}
