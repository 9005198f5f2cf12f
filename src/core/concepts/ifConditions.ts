import { NEWLINE, codeAt, isIdentChar, isSpaceOrTab } from './charClasses';
import { CODE, LexicalScan } from './lexicalScan';
import { IfConditionStyle } from './syntax';

/** The longest condition followed when it ends at a `:` or `{` (bounds the work on broken text). */
const MAX_SCAN = 20000;

/**
 * Marks (1) every character from an `if` (or Python `elif`) keyword to the
 * end of its condition:
 *   parens: through the `)` matching the `(` after `if` (C, Java, C#, JS/TS);
 *           unclosed, to the end of the text; no `(` (a property named if,
 *           `#if`), nothing.
 *   colon:  through the `:` at the keyword's bracket depth (Python); only for
 *           an `if`/`elif` that starts its line.
 *   brace:  up to the last character before the body's `{` at the keyword's
 *           depth (Go, Rust), or before `=>` (a Rust match guard).
 * `else if` is an `if`. Ranges are summed in a difference array so that
 * nested or repeated conditions stay linear.
 */
export function markIfConditions(s: string, scan: LexicalScan, style: IfConditionStyle, out: Uint8Array): void {
  const n = s.length;
  const delta = new Int32Array(n + 1);
  const mark = (from: number, to: number) => {
    if (to < from) return;
    delta[from]++;
    delta[to + 1]--;
  };
  const keywords = findIfKeywords(s, scan, style);
  // Ends are found last keyword first: a scan that meets a later `if` at its own level jumps to
  // that one's end (its stop is ours too), which keeps `if if if … {` linear.
  const endOf = new Int32Array(n).fill(-1);
  for (let k = keywords.length - 1; k >= 0; k -= 2) {
    const at = keywords[k - 1];
    const after = keywords[k];
    let end: number;
    if (style === 'parens') {
      const open = nextCodeChar(s, scan.region, after);
      if (open < 0 || s.charCodeAt(open) !== 40) continue;
      const close = scan.closer[open];
      end = close < 0 ? n - 1 : close;
    } else end = conditionEnd(s, scan, after, style, endOf);
    endOf[at] = end;
    mark(at, end);
  }
  let on = 0;
  for (let i = 0; i < n; i++) {
    on += delta[i];
    out[i] = on > 0 ? 1 : 0;
  }
}

/** Pairs (keyword start, offset after it) of the `if`/`elif` keywords that can start a condition in this style. */
function findIfKeywords(s: string, scan: LexicalScan, style: IfConditionStyle): number[] {
  const found: number[] = [];
  for (let i = 0; i + 1 < s.length; i++) {
    const len = keywordAt(s, i, scan.region, style === 'colon');
    if (len === 0) continue;
    const ok = style === 'colon' ? startsLine(s, i) : !precededByHashOrDot(s, i);
    if (ok) found.push(i, i + len);
    i += len - 1;
  }
  return found;
}

/** Length of an `if` (or, in Python, `elif`) keyword in code at s[i], else 0. */
function keywordAt(s: string, i: number, region: Uint8Array, allowElif: boolean): number {
  if (region[i] !== CODE || isIdentChar(codeAt(s, i - 1))) return 0;
  let len = 0;
  if (s.charCodeAt(i) === 105 && s.charCodeAt(i + 1) === 102) len = 2; // if
  else if (allowElif && s.startsWith('elif', i)) len = 4;
  if (len === 0 || isIdentChar(codeAt(s, i + len))) return 0;
  return len;
}

/** `#if` (preprocessor) and `x.if` (a member named if) are not if statements. */
function precededByHashOrDot(s: string, i: number): boolean {
  let j = i - 1;
  while (j >= 0 && isSpaceOrTab(s.charCodeAt(j))) j--;
  const c = codeAt(s, j);
  return c === 35 || c === 46;
}

function startsLine(s: string, i: number): boolean {
  let j = i - 1;
  while (j >= 0 && isSpaceOrTab(s.charCodeAt(j))) j--;
  return j < 0 || s.charCodeAt(j) === NEWLINE;
}

/** The next code character that is not whitespace (comments skipped), or -1. */
function nextCodeChar(s: string, region: Uint8Array, from: number): number {
  for (let j = from; j < s.length; j++) {
    const c = s.charCodeAt(j);
    if (region[j] === CODE && !isSpaceOrTab(c) && c !== NEWLINE) return j;
  }
  return -1;
}

/**
 * Last offset of a condition that ends at a `:` (included) or before a `{`,
 * scanning code at the keyword's level and jumping over bracketed groups; a
 * closer of an enclosing bracket, a Python newline without a backslash, or a
 * Rust `=>` also end it.
 */
function conditionEnd(s: string, scan: LexicalScan, from: number, ends: 'colon' | 'brace', endOf: Int32Array): number {
  const { region, closer } = scan;
  const limit = Math.min(s.length, from + MAX_SCAN);
  let lastContent = from - 1;
  let j = from;
  while (j < limit) {
    const c = s.charCodeAt(j);
    if (region[j] !== CODE) {
      lastContent = j++;
      continue;
    }
    if (endOf[j] >= 0) {
      lastContent = endOf[j];
      j = endOf[j] + 1;
      continue;
    }
    if (c === 40 || c === 91 || (c === 123 && ends === 'colon')) {
      const close = closer[j];
      if (close < 0) return s.length - 1; // unclosed group: the condition runs on to the end
      lastContent = close;
      j = close + 1;
      continue;
    }
    if (ends === 'brace' && c === 123) return lastContent;
    // Groups opened inside the condition were jumped over, so a closer here closes an enclosing bracket.
    if (c === 41 || c === 93 || c === 125) return lastContent;
    if (ends === 'colon' && c === 58 && s.charCodeAt(j + 1) !== 61) return j; // ':' but not ':='
    if (ends === 'colon' && c === NEWLINE && s.charCodeAt(j - 1) !== 92) return lastContent;
    if (ends === 'brace' && c === 61 && s.charCodeAt(j + 1) === 62) return lastContent; // =>
    if (!isSpaceOrTab(c) && c !== NEWLINE) lastContent = j;
    j++;
  }
  return limit >= s.length ? s.length - 1 : lastContent;
}
