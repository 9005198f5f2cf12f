import { TextSource } from './textSource';

/**
 * What an editor with auto-closing brackets has after the cursor while a
 * line is typed: the closers of the brackets and quotes opened on the line
 * so far (innermost first). Quotes close only after a non-word character;
 * inside a quote only the same quote counts (it is typed over).
 */
export function autoClosedSuffix(typedLine: string): string {
  const closers: string[] = [];
  const pairs: Record<string, string> = { '(': ')', '[': ']', '{': '}' };
  for (let i = 0; i < typedLine.length; i++) {
    const ch = typedLine[i];
    const top = closers[closers.length - 1];
    if (top === '"' || top === "'" || top === '`') {
      if (ch === top) closers.pop();
      continue;
    }
    if (pairs[ch]) closers.push(pairs[ch]);
    else if (ch === ')' || ch === ']' || ch === '}') {
      if (top === ch) closers.pop();
    } else if ((ch === '"' || ch === "'" || ch === '`') && !/\w/.test(typedLine[i - 1] ?? '')) closers.push(ch);
  }
  return closers.reverse().join('');
}

/**
 * The file as the editor has it while it is typed front to back, with the
 * cursor at `typedEnd`: the typed prefix, the auto-closed suffix, then the
 * file from `lineEnd` (the end of the line being typed) on.
 */
export function typingView(file: string, typedEnd: number, autoSuffix: string, lineEnd: number): TextSource {
  const length = typedEnd + autoSuffix.length + (file.length - lineEnd);
  return {
    length,
    slice(start: number, end: number): string {
      let out = '';
      if (start < typedEnd) out += file.slice(start, Math.min(end, typedEnd));
      const a = typedEnd;
      const b = typedEnd + autoSuffix.length;
      if (end > a && start < b) out += autoSuffix.slice(Math.max(0, start - a), Math.min(autoSuffix.length, end - a));
      if (end > b) out += file.slice(lineEnd + Math.max(0, start - b), lineEnd + (end - b));
      return out;
    },
  };
}

/** The typing view of `file` with the cursor at `offset`, the line's closers computed from its typed part. */
export function typingViewAt(file: string, offset: number): TextSource {
  const lineStart = file.lastIndexOf('\n', offset - 1) + 1;
  let lineEnd = file.indexOf('\n', offset);
  if (lineEnd < 0) lineEnd = file.length;
  return typingView(file, offset, autoClosedSuffix(file.slice(lineStart, offset)), lineEnd);
}
