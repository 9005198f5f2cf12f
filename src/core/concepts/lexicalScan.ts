import { NEWLINE, codeAt, isIdentChar, isSpaceOrTab } from './charClasses';
import { StringForm, scanStringBody, stringStartAt } from './stringLiterals';
import { Syntax } from './syntax';

/** What a character belongs to. */
export const CODE = 0;
export const STRING = 1;
export const COMMENT = 2;
/** A JavaScript regex literal: neither string nor comment, but its quotes and brackets are not code. */
export const REGEX = 3;

export interface LexicalScan {
  /** Per character: CODE, STRING, COMMENT or REGEX. */
  region: Uint8Array;
  /** Per character: brackets open around it; an opener and its closer sit at the outer depth. */
  depth: Uint16Array;
  /** At each opening bracket in code: the offset of its closer; -1 elsewhere and where unclosed. */
  closer: Int32Array;
}

interface OpenBracket {
  at: number;
  code: number;
  /** Set for the `{` of `${` or an f-string `{`: the literal to go back to after the `}`. */
  resume: StringForm | null;
}

const MAX_DEPTH = 0xffff;
const OPENER_OF: Record<number, number> = { 41: 40, 93: 91, 125: 123 }; // ) ( ] [ } {

/** Keywords after which a `/` starts a regex rather than dividing. */
const REGEX_AFTER = new Set(['return', 'typeof', 'instanceof', 'in', 'of', 'new', 'delete', 'void', 'throw', 'case', 'do', 'else', 'yield', 'await']);

/**
 * One pass over (LF-only) text that tells code from strings and comments and
 * tracks bracket nesting in code. Literals with embedded code (template
 * literals, f-strings) hand over to code at `${` / `{` and resume after the
 * matching `}`, which the bracket stack remembers. Never throws; unterminated
 * literals and comments run to their natural end (line or text).
 */
export function scanLexical(s: string, syntax: Syntax): LexicalScan {
  const n = s.length;
  const region = new Uint8Array(n);
  const depth = new Uint16Array(n);
  const closer = new Int32Array(n).fill(-1);
  const stack: OpenBracket[] = [];
  /** The last significant code character, and whether it ended a literal (for regex-vs-division). */
  let lastSignificant = -1;
  let lastWasLiteral = false;
  const level = () => Math.min(stack.length, MAX_DEPTH);

  /** Reads a literal body from `from`, marks it, and returns where code resumes. */
  const readLiteral = (f: StringForm, from: number): number => {
    const body = scanStringBody(s, from, f);
    const d = level();
    region.fill(STRING, from, body.end);
    depth.fill(d, from, body.end);
    if (body.interpolationAt < 0) {
      lastSignificant = body.end - 1;
      lastWasLiteral = true;
      return body.end;
    }
    // `${`: the `$` is code at the outer depth; the `{` opens a bracket that resumes the literal when closed.
    const brace = f.interpolation === 'dollarBrace' ? body.interpolationAt + 1 : body.interpolationAt;
    depth.fill(d, body.interpolationAt, brace + 1);
    stack.push({ at: brace, code: 123, resume: f });
    lastSignificant = brace;
    lastWasLiteral = false;
    return brace + 1;
  };

  let i = 0;
  while (i < n) {
    const c = s.charCodeAt(i);
    const d = level();
    if (c === NEWLINE || isSpaceOrTab(c)) {
      depth[i] = d;
      i++;
      continue;
    }
    const commentEnd = commentEndAt(s, i, syntax);
    if (commentEnd > i) {
      region.fill(COMMENT, i, commentEnd);
      depth.fill(d, i, commentEnd);
      i = commentEnd;
      continue;
    }
    const literal = stringStartAt(s, i, syntax.strings);
    if (literal) {
      region.fill(STRING, i, literal.bodyStart);
      depth.fill(d, i, literal.bodyStart);
      i = readLiteral(literal.form, literal.bodyStart);
      continue;
    }
    if (c === 47 && syntax.regexLiterals && slashStartsRegex(s, lastSignificant, lastWasLiteral)) {
      const end = regexEnd(s, i);
      if (end > i) {
        region.fill(REGEX, i, end);
        depth.fill(d, i, end);
        lastSignificant = end - 1;
        lastWasLiteral = true;
        i = end;
        continue;
      }
    }
    depth[i] = d;
    lastSignificant = i;
    lastWasLiteral = false;
    if (c === 40 || c === 91 || c === 123) {
      stack.push({ at: i, code: c, resume: null });
    } else if (c === 41 || c === 93 || c === 125) {
      const k = matchingOpen(stack, OPENER_OF[c]);
      if (k >= 0) {
        const open = stack[k];
        stack.length = k; // brackets above k were never closed; their closer stays -1
        closer[open.at] = i;
        depth[i] = Math.min(k, MAX_DEPTH);
        if (open.resume) {
          i = readLiteral(open.resume, i + 1);
          continue;
        }
      }
    }
    i++;
  }
  return { region, depth, closer };
}

/**
 * Where in the stack the closer's opener is: the nearest one of its kind,
 * skipping unclosed brackets of other kinds, but never reaching past an
 * interpolation (a stray `)` inside `${…}` must not end the template). -1
 * for a stray closer.
 */
function matchingOpen(stack: OpenBracket[], opener: number): number {
  for (let k = stack.length - 1; k >= 0; k--) {
    if (stack[k].code === opener) return k;
    if (stack[k].resume) return -1;
  }
  return -1;
}

/** End (exclusive) of a comment starting at s[i], or i when none starts there. */
function commentEndAt(s: string, i: number, syntax: Syntax): number {
  for (const open of syntax.lineComments) {
    if (!s.startsWith(open, i)) continue;
    if (open === '#' && syntax.hashCommentAfterSpaceOnly && i > 0 && !/\s/.test(s[i - 1])) continue;
    const nl = s.indexOf('\n', i);
    return nl < 0 ? s.length : nl;
  }
  const block = syntax.blockComment;
  if (block && s.startsWith(block.open, i)) {
    let nesting = 1;
    let j = i + block.open.length;
    while (j < s.length) {
      if (s.startsWith(block.close, j)) {
        j += block.close.length;
        if (--nesting === 0) return j;
      } else if (block.nests && s.startsWith(block.open, j)) {
        j += block.open.length;
        nesting++;
      } else j++;
    }
    return s.length;
  }
  return i;
}

/** A `/` starts a regex where no value just ended: after an operator, `(`, `,`, a keyword like `return`, or at the start. */
function slashStartsRegex(s: string, lastSignificant: number, lastWasLiteral: boolean): boolean {
  if (lastSignificant < 0) return true;
  if (lastWasLiteral) return false;
  const c = s.charCodeAt(lastSignificant);
  if (c === 41 || c === 93 || c === 125) return false; // ) ] }
  if (!isIdentChar(c)) return true;
  let start = lastSignificant;
  while (start > 0 && isIdentChar(s.charCodeAt(start - 1))) start--;
  return REGEX_AFTER.has(s.slice(start, lastSignificant + 1));
}

/** End (exclusive, flags included) of a regex literal at s[i], or -1 when it does not close on its line. */
function regexEnd(s: string, i: number): number {
  const next = codeAt(s, i + 1);
  if (next === 47 || next === 42 || next === NEWLINE || next < 0) return -1; // // or /* are comments
  let inClass = false;
  for (let j = i + 1; j < s.length; j++) {
    const c = s.charCodeAt(j);
    if (c === NEWLINE) return -1;
    if (c === 92) j++;
    else if (c === 91) inClass = true;
    else if (c === 93) inClass = false;
    else if (c === 47 && !inClass) {
      j++;
      while (j < s.length && isIdentChar(s.charCodeAt(j))) j++;
      return j;
    }
  }
  return -1;
}
