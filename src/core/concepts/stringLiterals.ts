import { BACKSLASH, NEWLINE, codeAt, isDigit, isIdentChar } from './charClasses';
import { StringDialect } from './syntax';

/** How the body of one kind of literal is read once its opening delimiter is past. */
export interface StringForm {
  /** The closing delimiter: `"`, `'''`, `` ` ``, `)delim"` (C++ raw), `"##` (Rust raw). */
  close: string;
  /** A backslash takes the next character with it (also in Python raw strings, where `\"` does not close). */
  escapes: boolean;
  /** A newline may appear inside; if not, a newline ends an unterminated literal. */
  multiline: boolean;
  /** Embedded code: `${…}` (JS template literals) or `{…}` (Python f-strings, `{{` is a literal brace). */
  interpolation: 'dollarBrace' | 'brace' | null;
  /** A doubled closing quote is a literal quote (C# verbatim strings). */
  doubledCloseEscapes: boolean;
}

export interface StringStart {
  form: StringForm;
  /** Offset just past the prefix and opening delimiter. */
  bodyStart: number;
}

export interface StringBodyEnd {
  /** Offset just past the literal's last character (or past the body read so far). */
  end: number;
  /** Where an interpolation opener (`${` or `{`) starts; -1 when the literal ended. */
  interpolationAt: number;
}

const form = (close: string, escapes: boolean, multiline: boolean, interpolation: StringForm['interpolation'] = null, doubledCloseEscapes = false): StringForm => ({
  close,
  escapes,
  multiline,
  interpolation,
  doubledCloseEscapes,
});

const DOUBLE = form('"', true, false);
const SINGLE = form("'", true, false);
const TEMPLATE = form('`', true, true, 'dollarBrace');
const MULTILINE_DOUBLE = form('"', true, true);
const TEXT_BLOCK = form('"""', true, true);
const RAW_BACKTICK = form('`', false, true);
const CSHARP_VERBATIM = form('"', false, true, null, true);
const CSHARP_RAW = form('"""', false, true);

const QUOTE = 34; // "
const APOSTROPHE = 39; // '
const BACKTICK = 96; // `

/** A literal starting at s[i] in this dialect, or null. */
export function stringStartAt(s: string, i: number, dialect: StringDialect): StringStart | null {
  const c = s.charCodeAt(i);
  switch (dialect) {
    case 'js':
      if (c === QUOTE) return { form: DOUBLE, bodyStart: i + 1 };
      if (c === APOSTROPHE) return { form: SINGLE, bodyStart: i + 1 };
      if (c === BACKTICK) return { form: TEMPLATE, bodyStart: i + 1 };
      return null;
    case 'python':
      return pythonStringAt(s, i);
    case 'c':
      return cStringAt(s, i);
    case 'cpp':
      return cppRawStringAt(s, i) ?? cStringAt(s, i);
    case 'java':
      if (s.startsWith('"""', i)) return { form: TEXT_BLOCK, bodyStart: i + 3 };
      return cStringAt(s, i);
    case 'csharp':
      return csharpStringAt(s, i);
    case 'go':
      if (c === BACKTICK) return { form: RAW_BACKTICK, bodyStart: i + 1 };
      return cStringAt(s, i);
    case 'rust':
      return rustStringAt(s, i);
    default:
      if (c === QUOTE) return { form: DOUBLE, bodyStart: i + 1 };
      // An apostrophe after a letter is prose ("don't"), not a quote.
      if (c === APOSTROPHE && !isIdentChar(codeAt(s, i - 1))) return { form: SINGLE, bodyStart: i + 1 };
      return null;
  }
}

/** "…" strings and '…' char literals; C++14/C23 digit separators (1'000'000) are not literals. */
function cStringAt(s: string, i: number): StringStart | null {
  const c = s.charCodeAt(i);
  if (c === QUOTE) return { form: DOUBLE, bodyStart: i + 1 };
  if (c === APOSTROPHE) {
    if (isDigit(codeAt(s, i - 1)) && isIdentChar(codeAt(s, i + 1))) return null;
    return { form: SINGLE, bodyStart: i + 1 };
  }
  return null;
}

/** Python: optional prefix (r, b, u, f and the pairs rb, br, fr, rf in any case), then ' " ''' or """. */
function pythonStringAt(s: string, i: number): StringStart | null {
  if (!'"\'rRbBuUfF'.includes(s[i])) return null;
  if (isIdentChar(codeAt(s, i - 1))) {
    // Inside a word (e.g. the f of `if"`): only a bare quote can start here.
    const c = s.charCodeAt(i);
    if (c !== QUOTE && c !== APOSTROPHE) return null;
  }
  let j = i;
  while (j < s.length && j - i < 2 && /[rRbBuUfF]/.test(s[j])) j++;
  const prefix = s.slice(i, j).toLowerCase();
  if (prefix && !['r', 'b', 'u', 'f', 'rb', 'br', 'fr', 'rf'].includes(prefix)) return null;
  const q = s[j];
  if (q !== '"' && q !== "'") return null;
  const triple = s.startsWith(q + q + q, j);
  const close = triple ? q + q + q : q;
  return { form: form(close, true, triple, prefix.includes('f') ? 'brace' : null), bodyStart: j + close.length };
}

/** C++11 raw strings: (u8|u|U|L)?R"delim( … )delim". */
function cppRawStringAt(s: string, i: number): StringStart | null {
  if (!'uULR'.includes(s[i]) || isIdentChar(codeAt(s, i - 1))) return null;
  const m = /^(?:u8|u|U|L)?R"([^()\\\s"]{0,16})\(/.exec(s.slice(i, i + 24));
  if (!m) return null;
  return { form: form(`)${m[1]}"`, false, true), bodyStart: i + m[0].length };
}

/** C#: @"…" and $@"…" verbatim ("" is a quote), """…""" raw, $"…" (read as a plain string), 'c'. */
function csharpStringAt(s: string, i: number): StringStart | null {
  if (!'@$"\''.includes(s[i])) return null;
  const m = /^(?:\$@|@\$|@)"/.exec(s.slice(i, i + 3));
  if (m) return { form: CSHARP_VERBATIM, bodyStart: i + m[0].length };
  const raw = /^\$*"""/.exec(s.slice(i, i + 8));
  if (raw) return { form: CSHARP_RAW, bodyStart: i + raw[0].length };
  if (s.charCodeAt(i) === 36 && s.charCodeAt(i + 1) === QUOTE) return { form: DOUBLE, bodyStart: i + 2 };
  return cStringAt(s, i);
}

/**
 * Rust: "…" (may span lines), b"…", raw r#"…"# / br"…" / cr"…", char 'x' and
 * byte b'x'. A quote that is not a char literal is a lifetime ('a) and stays code.
 */
function rustStringAt(s: string, i: number): StringStart | null {
  const c = s.charCodeAt(i);
  if ((c === 98 || c === 99 || c === 114) && !isIdentChar(codeAt(s, i - 1))) {
    const raw = /^(?:br|cr|r)(#*)"/.exec(s.slice(i, i + 40));
    if (raw) return { form: form('"' + raw[1], false, true), bodyStart: i + raw[0].length };
    if ((c === 98 || c === 99) && s.charCodeAt(i + 1) === QUOTE) return { form: MULTILINE_DOUBLE, bodyStart: i + 2 }; // b"…", c"…"
    if (c === 98 && s.charCodeAt(i + 1) === APOSTROPHE) return { form: SINGLE, bodyStart: i + 2 }; // b'x'
  }
  if (c === QUOTE) return { form: MULTILINE_DOUBLE, bodyStart: i + 1 };
  if (c === APOSTROPHE) {
    const next = codeAt(s, i + 1);
    // 'x', '\n', '\u{…}', or a surrogate pair: a char literal. 'a (no closing quote right after) is a lifetime.
    const isChar = next === BACKSLASH || codeAt(s, i + 2) === APOSTROPHE || (next >= 0xd800 && next <= 0xdbff && codeAt(s, i + 3) === APOSTROPHE);
    return isChar ? { form: SINGLE, bodyStart: i + 1 } : null;
  }
  return null;
}

/**
 * Reads a literal's body from `from`: up to and including its closing
 * delimiter, up to (not including) the newline that ends an unterminated
 * single-line literal, to the end of the text, or up to an interpolation.
 */
export function scanStringBody(s: string, from: number, f: StringForm): StringBodyEnd {
  const n = s.length;
  const close0 = f.close.charCodeAt(0);
  let j = from;
  while (j < n) {
    const c = s.charCodeAt(j);
    if (c === BACKSLASH && f.escapes) {
      j += 2;
      continue;
    }
    if (c === close0 && s.startsWith(f.close, j)) {
      if (f.doubledCloseEscapes && s.charCodeAt(j + 1) === close0) {
        j += 2;
        continue;
      }
      return { end: j + f.close.length, interpolationAt: -1 };
    }
    if (c === NEWLINE && !f.multiline) return { end: j, interpolationAt: -1 };
    if (f.interpolation === 'dollarBrace' && c === 36 && s.charCodeAt(j + 1) === 123) return { end: j, interpolationAt: j };
    if (f.interpolation === 'brace' && c === 123) {
      if (s.charCodeAt(j + 1) === 123) {
        j += 2;
        continue;
      }
      return { end: j, interpolationAt: j };
    }
    j++;
  }
  return { end: n, interpolationAt: -1 };
}
