/** Character-code tests the scanners share (ASCII rules; other letters count as identifier characters). */

export const NEWLINE = 10;
export const BACKSLASH = 92;

export function isIdentChar(code: number): boolean {
  return (
    (code >= 97 && code <= 122) || // a-z
    (code >= 65 && code <= 90) || // A-Z
    (code >= 48 && code <= 57) || // 0-9
    code === 95 || // _
    code === 36 || // $
    code > 127
  );
}

export function isDigit(code: number): boolean {
  return code >= 48 && code <= 57;
}

export function isSpaceOrTab(code: number): boolean {
  return code === 32 || code === 9;
}

/** Code of s[i], or -1 outside the string (so callers need no bounds checks). */
export function codeAt(s: string, i: number): number {
  return i >= 0 && i < s.length ? s.charCodeAt(i) : -1;
}
