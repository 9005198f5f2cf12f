import { NEWLINE } from './charClasses';
import { CODE } from './lexicalScan';

/** The indent unit assumed when a file gives no evidence (no line is indented deeper than the one before). */
export const DEFAULT_INDENT_UNIT = 4;

/**
 * The file's indent unit in spaces: the most common step (2–8 spaces) by
 * which a line is indented deeper than the code line before it. Lines that
 * begin inside a comment or string (JSDoc's ` * `, docstring bodies) and
 * tab-indented lines cast no vote.
 */
export function detectIndentUnit(s: string, region: Uint8Array): number {
  const votes = new Uint32Array(9);
  let previous = -1;
  for (let start = 0; start < s.length; ) {
    const nl = s.indexOf('\n', start);
    const end = nl < 0 ? s.length : nl;
    let spaces = 0;
    while (start + spaces < end && s.charCodeAt(start + spaces) === 32) spaces++;
    const blank = start + spaces === end;
    const tabbed = s.charCodeAt(start + spaces) === 9;
    const beginsInCode = start === 0 || region[start - 1] === CODE;
    if (!blank && !tabbed && beginsInCode) {
      const step = spaces - previous;
      if (previous >= 0 && step >= 2 && step <= 8) votes[step]++;
      previous = spaces;
    }
    start = end + 1;
  }
  let best = 0;
  for (let step = 2; step <= 8; step++) if (votes[step] > votes[best]) best = step;
  return best === 0 ? DEFAULT_INDENT_UNIT : best;
}

/**
 * Indentation level of each character's line (the newline that ends it
 * included): one per leading tab, plus leading spaces / unit, rounded down.
 */
export function markIndentDepth(s: string, unit: number, out: Uint16Array): void {
  const n = s.length;
  for (let start = 0; start < n; ) {
    let tabs = 0;
    let spaces = 0;
    let j = start;
    for (; j < n; j++) {
      const c = s.charCodeAt(j);
      if (c === 9) tabs++;
      else if (c === 32) spaces++;
      else break;
    }
    const nl = s.indexOf('\n', j);
    const end = nl < 0 ? n : nl + 1;
    out.fill(Math.min(tabs + Math.floor(spaces / unit), 0xffff), start, end);
    start = end;
  }
}

/** Column of each character: UTF-16 units since its line began (a newline gets the column it sits at). */
export function markLinePosition(s: string, out: Uint16Array): void {
  let column = 0;
  for (let i = 0; i < s.length; i++) {
    out[i] = column < 0xffff ? column : 0xffff;
    column = s.charCodeAt(i) === NEWLINE ? 0 : column + 1;
  }
}
