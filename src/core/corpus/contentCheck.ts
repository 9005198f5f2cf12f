/**
 * Checks on one file's bytes: is this something a character-level model
 * should learn from? Pure functions, no file system, so they can be tested
 * byte by byte and reused wherever the bytes come from.
 */

/** Why a file's content was refused. A subset of the corpus SkipReason. */
export type ContentSkipReason = 'binary' | 'not-utf8' | 'minified' | 'generated' | 'too-large' | 'empty';

export interface ContentRules {
  /** Files bigger than this many bytes are refused (and, on disk, never read). */
  maxFileBytes: number;
  /** A single line longer than this many characters marks the file as minified or generated. */
  maxLineLength: number;
  /**
   * An average line length above this marks the file as minified or generated.
   * Only judged on files of at least AVERAGE_CHECK_MIN_CHARS characters, so a
   * short file with one longish line is not mistaken for a bundle.
   */
  maxAverageLineLength: number;
}

export const DEFAULT_CONTENT_RULES: Readonly<ContentRules> = {
  maxFileBytes: 1024 * 1024,
  maxLineLength: 1000,
  maxAverageLineLength: 200,
};

export type ContentVerdict =
  | { ok: true; text: string }
  | { ok: false; reason: ContentSkipReason; detail: string };

/** How much of the start of a file is sniffed for binary content (as git does). */
export const BINARY_SNIFF_BYTES = 8 * 1024;

/** Above this share of control bytes in the sniffed prefix, text is taken to be binary. */
export const MAX_CONTROL_BYTE_SHARE = 0.1;

/** Below this many characters the average-line-length rule is not applied. */
export const AVERAGE_CHECK_MIN_CHARS = 2048;

/**
 * Decides whether `bytes` is usable source text and, if so, returns it decoded
 * with line endings normalised to LF. Checks run cheapest first.
 */
export function classifyContent(bytes: Uint8Array, rules: ContentRules = DEFAULT_CONTENT_RULES): ContentVerdict {
  if (bytes.length > rules.maxFileBytes) {
    return refuse('too-large', `${bytes.length} bytes, more than the ${rules.maxFileBytes}-byte limit`);
  }
  if (bytes.length === 0) return refuse('empty', '0 bytes');

  const binaryDetail = describeBinary(bytes.subarray(0, BINARY_SNIFF_BYTES));
  if (binaryDetail !== undefined) return refuse('binary', binaryDetail);

  const decoded = decodeUtf8(bytes);
  if (decoded === undefined) {
    return refuse('not-utf8', 'not valid UTF-8 (perhaps Latin-1 or another legacy encoding)');
  }
  const text = normaliseLineEndings(decoded);
  if (text.trim() === '') return refuse('empty', 'only whitespace');

  const minifiedDetail = describeMinified(text, rules);
  if (minifiedDetail !== undefined) return refuse('minified', minifiedDetail);

  const generatedDetail = describeGenerated(text);
  if (generatedDetail !== undefined) return refuse('generated', generatedDetail);

  return { ok: true, text };
}

function refuse(reason: ContentSkipReason, detail: string): ContentVerdict {
  return { ok: false, reason, detail };
}

/** Returns why the sniffed bytes look binary, or undefined if they look like text. */
function describeBinary(sniffed: Uint8Array): string | undefined {
  // A NUL never appears in UTF-8 text; UTF-16 text is full of them, and we
  // do not accept UTF-16 either.
  if (sniffed.includes(0)) return 'contains NUL bytes';
  let controlBytes = 0;
  for (const byte of sniffed) if (isControlByte(byte)) controlBytes++;
  const share = controlBytes / sniffed.length;
  if (share > MAX_CONTROL_BYTE_SHARE) {
    return `${Math.round(share * 100)}% control characters in the first ${sniffed.length} bytes`;
  }
  return undefined;
}

/**
 * Control bytes that do not occur in ordinary text. Tab, LF, VT, FF and CR
 * are text; so is ESC, which shell scripts use for terminal colours.
 */
function isControlByte(byte: number): boolean {
  if (byte >= 0x09 && byte <= 0x0d) return false;
  if (byte === 0x1b) return false;
  return byte < 0x20 || byte === 0x7f;
}

/** Strict UTF-8 decoding; undefined on any invalid sequence. A leading BOM is dropped by the decoder. */
function decodeUtf8(bytes: Uint8Array): string | undefined {
  // ignoreBOM defaults to false, which means "consume the BOM", i.e. strip it.
  const decoder = new TextDecoder('utf-8', { fatal: true });
  try {
    return decoder.decode(bytes);
  } catch {
    return undefined;
  }
}

/** CRLF (Windows) and lone CR (classic Mac) both become LF, so the model sees one newline. */
export function normaliseLineEndings(text: string): string {
  return text.replace(/\r\n?/g, '\n');
}

/** Returns why the text looks minified or generated, or undefined. Lengths are in UTF-16 code units. */
function describeMinified(text: string, rules: ContentRules): string | undefined {
  const lines = text.split('\n');
  // A trailing newline ends the last line; it does not start an empty one.
  if (lines[lines.length - 1] === '') lines.pop();

  let longestLength = 0;
  let longestLineNumber = 0;
  let totalLength = 0;
  lines.forEach((line, index) => {
    totalLength += line.length;
    if (line.length > longestLength) {
      longestLength = line.length;
      longestLineNumber = index + 1;
    }
  });

  if (longestLength > rules.maxLineLength) {
    return `line ${longestLineNumber} is ${longestLength} characters long (limit ${rules.maxLineLength})`;
  }
  const averageLength = totalLength / lines.length;
  if (text.length >= AVERAGE_CHECK_MIN_CHARS && averageLength > rules.maxAverageLineLength) {
    return `average line is ${Math.round(averageLength)} characters long (limit ${rules.maxAverageLineLength})`;
  }
  return undefined;
}

/** How far into a file a "generated" marker counts: tools put it in the header. */
const GENERATED_MARKER_CHARS = 1024;

/** Markers code generators write at the top of their output (Go's convention among them). */
const GENERATED_MARKER = /(\bcode generated\b.*\bdo not edit|@generated\b|\bauto-?generated|\bautomatically generated|\bthis file (is|was) generated|\bgenerated by (the )?(protoc|bindgen|cbindgen|swig|flex|bison|cython))/i;

/** Above this share of numeric-literal tokens a file is a data table, not code. */
const MAX_NUMERIC_TOKEN_SHARE = 0.5;
/** Tokens needed before the numeric share is judged. */
const NUMERIC_CHECK_MIN_TOKENS = 200;

/**
 * Returns why the text looks machine-written or like data rather than code:
 * a generator's marker in its header, or mostly numeric literals (lookup
 * tables, test vectors). Such files teach a model nothing a person types.
 */
export function describeGenerated(text: string): string | undefined {
  const head = text.slice(0, GENERATED_MARKER_CHARS);
  const marker = GENERATED_MARKER.exec(head);
  if (marker) return `its header says "${marker[0].slice(0, 60)}"`;
  const tokens = text.split(/[^0-9A-Za-z_.]+/).filter(Boolean);
  if (tokens.length < NUMERIC_CHECK_MIN_TOKENS) return undefined;
  let numeric = 0;
  for (const t of tokens) if (/^(0[xX][0-9a-fA-F]+|\d+(\.\d*)?([eE]\d+)?)[uUlLfF]*$/.test(t)) numeric++;
  const share = numeric / tokens.length;
  if (share > MAX_NUMERIC_TOKEN_SHARE) return `${Math.round(100 * share)}% of its tokens are numbers (a data table)`;
  return undefined;
}
