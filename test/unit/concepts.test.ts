import * as assert from 'assert';
import { CONCEPT_NAMES, Language, detectIndentUnit, labelConcepts, languageForFile } from '../../src/core/concepts';
import { scanLexical } from '../../src/core/concepts/lexicalScan';
import { syntaxFor } from '../../src/core/concepts/syntax';
import { makeRng } from '../../src/core/params';

/** The runs of characters where a 0/1 label is 1, as substrings: readable expectations. */
function spans(text: string, labels: ArrayLike<number>): string[] {
  const out: string[] = [];
  for (let i = 0; i < text.length; ) {
    if (!labels[i]) {
      i++;
      continue;
    }
    const start = i;
    while (i < text.length && labels[i]) i++;
    out.push(text.slice(start, i));
  }
  return out;
}

const strings = (text: string, lang: Language) => spans(text, labelConcepts(text, lang).inString);
const comments = (text: string, lang: Language) => spans(text, labelConcepts(text, lang).inComment);
const conditions = (text: string, lang: Language) => spans(text, labelConcepts(text, lang).inIfCondition);

const LANGUAGES: Language[] = ['typescript', 'javascript', 'python', 'c', 'cpp', 'java', 'csharp', 'go', 'rust', 'generic'];

describe('concept labels', () => {
  describe('languageForFile', () => {
    it('knows extensions, paths and VS Code language ids, and falls back to generic', () => {
      assert.strictEqual(languageForFile('src/a.ts'), 'typescript');
      assert.strictEqual(languageForFile('C:\\x\\y.TSX'), 'typescript');
      assert.strictEqual(languageForFile('lib/index.mjs'), 'javascript');
      assert.strictEqual(languageForFile('typescriptreact'), 'typescript');
      assert.strictEqual(languageForFile('a/b/util.py'), 'python');
      assert.strictEqual(languageForFile('python'), 'python');
      assert.strictEqual(languageForFile('lz4.c'), 'c');
      assert.strictEqual(languageForFile('x.h'), 'c');
      assert.strictEqual(languageForFile('x.hpp'), 'cpp');
      assert.strictEqual(languageForFile('Main.java'), 'java');
      assert.strictEqual(languageForFile('csharp'), 'csharp');
      assert.strictEqual(languageForFile('main.go'), 'go');
      assert.strictEqual(languageForFile('lib.rs'), 'rust');
      assert.strictEqual(languageForFile('Makefile'), 'generic');
      assert.strictEqual(languageForFile('notes.md'), 'generic');
      assert.strictEqual(languageForFile(''), 'generic');
      assert.strictEqual(languageForFile('constructor'), 'generic'); // not an Object.prototype key
    });
  });

  describe('never throws and always labels every character', () => {
    it('on random text made of the characters that steer the scanner', () => {
      const rng = makeRng(7);
      const pieces = ['"', "'", '`', '\\', '/', '*', '#', '{', '}', '(', ')', '[', ']', '${', 'if', 'elif', ':', '\n', '\r\n', '\r', '\t', '    ', 'x', ' ', '"""', "'''", 'r#"', '"#', 'R"(', ')"', '@"', 'f"', '/*', '*/', '//', '\ud83d', '\ude00', 'else if (', '=>', ';'];
      for (let k = 0; k < 300; k++) {
        let text = '';
        const len = Math.floor(rng() * 60);
        for (let i = 0; i < len; i++) text += pieces[Math.floor(rng() * pieces.length)];
        for (const lang of LANGUAGES) {
          const labels = labelConcepts(text, lang);
          for (const name of CONCEPT_NAMES) assert.strictEqual(labels[name].length, text.length, `${lang} ${name} on ${JSON.stringify(text)}`);
          for (let i = 0; i < text.length; i++) assert.ok(!(labels.inString[i] && labels.inComment[i]), 'a character is not in a string and a comment at once');
        }
      }
    });

    it('on the empty string and a lone newline', () => {
      for (const lang of LANGUAGES) {
        assert.strictEqual(labelConcepts('', lang).inString.length, 0);
        assert.deepStrictEqual([...labelConcepts('\n', lang).linePosition], [0]);
      }
    });
  });

  describe('TypeScript / JavaScript', () => {
    it('escaped quotes stay inside the string; // inside a string is not a comment', () => {
      const text = 'const a = "say \\"hi\\" // not a comment"; // real "comment"\nconst b = \'it\\\'s\';';
      assert.deepStrictEqual(strings(text, 'typescript'), ['"say \\"hi\\" // not a comment"', "'it\\'s'"]);
      assert.deepStrictEqual(comments(text, 'typescript'), ['// real "comment"']);
    });

    it('a quote inside a block comment does not start a string', () => {
      const text = '/* don\'t "stop" */ x = 1; /** it\'s\n * "doc"\n */ y = "s";';
      assert.deepStrictEqual(comments(text, 'typescript'), ['/* don\'t "stop" */', '/** it\'s\n * "doc"\n */']);
      assert.deepStrictEqual(strings(text, 'typescript'), ['"s"']);
    });

    it('template literals: ${…} is code, nested templates and object braces inside it work', () => {
      const text = 'const t = `a ${ {k: "}"}["k"] + `b ${c}` } d`; e';
      assert.deepStrictEqual(strings(text, 'typescript'), ['`a ', '"}"', '"k"', '`b ', '`', ' d`']);
      const labels = labelConcepts(text, 'typescript');
      assert.strictEqual(labels.inString[text.indexOf('c}')], 0, 'the inner expression is code');
      assert.strictEqual(labels.inString[text.indexOf('e', text.length - 2)], 0, 'code resumes after the template');
      assert.strictEqual(labels.bracketDepth[text.length - 1], 0, 'the braces of ${…} balance');
    });

    it('a multi-line template literal is one string; an escaped backtick does not end it', () => {
      const text = 'x = `line1\n  \\` still ${y}\nend`;';
      assert.deepStrictEqual(strings(text, 'javascript'), ['`line1\n  \\` still ', '\nend`']);
    });

    it('regex literals hide their quotes and slashes; division stays division', () => {
      const text = 'const r = /["\'\\/]+/g.test(s); const q = a / b / c; if (/[)]/.test(x)) f("ok");';
      assert.deepStrictEqual(strings(text, 'typescript'), ['"ok"']);
      assert.deepStrictEqual(comments(text, 'typescript'), []);
      assert.deepStrictEqual(conditions(text, 'typescript'), ['if (/[)]/.test(x))']);
    });

    it('if conditions: nested parens, multi-line, else if, strings and comments holding parens', () => {
      const text = 'if (a(b, (c)) && d[")"] /* ) */) {\n} else if (\n  x ||\n  y(1)\n) z();\nobj.if(1); const o = { if: 2 };';
      assert.deepStrictEqual(conditions(text, 'typescript'), ['if (a(b, (c)) && d[")"] /* ) */)', 'if (\n  x ||\n  y(1)\n)']);
    });

    it('unterminated literals and comments end where the language ends them', () => {
      assert.deepStrictEqual(strings('a = "open\nb = 1', 'typescript'), ['"open']);
      assert.deepStrictEqual(strings('a = `open\nstill', 'typescript'), ['`open\nstill']);
      assert.deepStrictEqual(comments('a /* open\nstill', 'typescript'), ['/* open\nstill']);
      assert.deepStrictEqual(conditions('if (a &&\n b', 'typescript'), ['if (a &&\n b']);
      assert.deepStrictEqual(strings('x = "ends with a backslash\\', 'typescript'), ['"ends with a backslash\\']);
    });
  });

  describe('Python', () => {
    it('triple-quoted docstrings holding quotes, prefixes, and # inside strings', () => {
      const text = 'def f():\n    """Say "hi" and \'\'\'quote\'\'\' it."""\n    s = rb\'\\\'\' + "#no" # yes "q"\n    t = F\'\'\'x\'\'\'\n';
      assert.deepStrictEqual(strings(text, 'python'), ['"""Say "hi" and \'\'\'quote\'\'\' it."""', "rb'\\''", '"#no"', "F'''x'''"]);
      assert.deepStrictEqual(comments(text, 'python'), ['# yes "q"']);
    });

    it('f-string fields are code; {{ is a literal brace', () => {
      const text = 'x = f"a{b["k"]}c{{d}}"';
      assert.deepStrictEqual(strings(text, 'python'), ['f"a', '"k"', 'c{{d}}"']);
    });

    it('if and elif conditions end at their colon, across lines and brackets; a ternary is not one', () => {
      const text = 'if (a and\n        b[1:2]):\n    pass\nelif x := f(d={"k": 1}):\n    y = 1 if z else 2\nif q: r = lambda: 0\n';
      assert.deepStrictEqual(conditions(text, 'python'), ['if (a and\n        b[1:2]):', 'elif x := f(d={"k": 1}):', 'if q:']);
    });

    it('an unterminated string ends at its line; an unterminated docstring at the end of the text', () => {
      assert.deepStrictEqual(strings("s = 'open\nt = 2", 'python'), ["'open"]);
      assert.deepStrictEqual(strings('s = """open\nstill "here"', 'python'), ['"""open\nstill "here"']);
    });

    it('detects a 2- or 4-space indent unit from code lines, not from docstrings', () => {
      const two = 'def f():\n  if x:\n    return 1\n  """\n   doc\n   """\n';
      assert.strictEqual(detectIndentUnit(two, scanLexical(two, syntaxFor('python')).region), 2);
      const labels = labelConcepts(two, 'python');
      assert.strictEqual(labels.indentDepth[two.indexOf('return')], 2);
      const four = 'class A:\n    def f(self):\n        pass\n';
      assert.strictEqual(labelConcepts(four, 'python').indentDepth[four.indexOf('pass')], 2);
    });
  });

  describe('C family', () => {
    it('C: char literals, strings holding /*, block comments holding quotes, #if is no if', () => {
      const text = '#if DEBUG\nchar q = \'"\', e = \'\\\'\'; /* "unclosed? */ char *s = "/* not */";\nif ((a & 1) == \'(\') x(); else if (b) {}\n';
      assert.deepStrictEqual(strings(text, 'c'), ['\'"\'', "'\\''", '"/* not */"', "'('"]);
      assert.deepStrictEqual(comments(text, 'c'), ['/* "unclosed? */']);
      assert.deepStrictEqual(conditions(text, 'c'), ["if ((a & 1) == '(')", 'if (b)']);
    });

    it('C++: raw strings and digit separators', () => {
      const text = 'auto s = R"x(a ")" b)x"; int n = 1\'000\'000; char c = \'a\';';
      assert.deepStrictEqual(strings(text, 'cpp'), ['R"x(a ")" b)x"', "'a'"]);
    });

    it('Java text blocks and C# verbatim strings', () => {
      assert.deepStrictEqual(strings('s = """\n  a "quoted" word\n  """; t = "x";', 'java'), ['"""\n  a "quoted" word\n  """', '"x"']);
      assert.deepStrictEqual(strings('s = @"C:\\dir\\ ""q"" "; t = \'c\';', 'csharp'), ['@"C:\\dir\\ ""q"" "', "'c'"]);
    });

    it('Go: raw backtick strings, conditions without parentheses', () => {
      const text = 'if v, ok := m[k]; ok && f(`{`) {\n\treturn\n}\ns := `raw\n"x"`';
      assert.deepStrictEqual(conditions(text, 'go'), ['if v, ok := m[k]; ok && f(`{`)']);
      assert.deepStrictEqual(strings(text, 'go'), ['`{`', '`raw\n"x"`']);
    });

    it('brace-ended conditions stay linear on broken text (if if if … with no body)', () => {
      // Work is counted as characters read (charCodeAt calls), not timed: a scan per `if` to the
      // 20,000-character limit would read about 4·10^8 here; linear labelling reads a few per character.
      const text = 'if x '.repeat(20000);
      const { result: labels, reads } = countCharReads(() => labelConcepts(text, 'go'));
      assert.ok(reads < 64 * text.length, `${reads} character reads for ${text.length} characters`);
      assert.strictEqual(labels.inIfCondition[text.length - 2], 1);
    });

    it("Rust: lifetimes are not char literals; raw strings; nested block comments; match guards", () => {
      const text = "fn f<'a>(s: &'a str) -> char { 'x' }\nlet r = r#\"a \"q\" b\"#; /* a /* b */ c */ d\nmatch v { Some(n) if n > 0 => 1, _ => 0 }\nif let Some(c) = it.next() { c }";
      assert.deepStrictEqual(strings(text, 'rust'), ["'x'", 'r#"a "q" b"#']);
      assert.deepStrictEqual(comments(text, 'rust'), ['/* a /* b */ c */']);
      assert.deepStrictEqual(conditions(text, 'rust'), ['if n > 0', 'if let Some(c) = it.next()']);
    });
  });

  describe('positions, depths and line ends', () => {
    it('linePosition is the column; bracketDepth counts brackets outside strings and comments', () => {
      const text = 'f(a, [b, "(("], {c: /* [ */ d})\nx';
      const l = labelConcepts(text, 'typescript');
      assert.deepStrictEqual([...l.linePosition.slice(0, 3)], [0, 1, 2]);
      assert.strictEqual(l.linePosition[text.length - 1], 0);
      const depthAt = (s: string) => l.bracketDepth[text.indexOf(s)];
      assert.strictEqual(depthAt('f'), 0);
      assert.strictEqual(depthAt('('), 0, 'an opener sits at the outer depth');
      assert.strictEqual(depthAt('a'), 1);
      assert.strictEqual(depthAt('b'), 2);
      assert.strictEqual(depthAt('(('), 2, 'brackets in strings do not count');
      assert.strictEqual(depthAt('d'), 2, 'brackets in comments do not count');
      assert.strictEqual(l.bracketDepth[text.indexOf(')\n')], 0, 'the closer sits at the outer depth');
      assert.strictEqual(l.bracketDepth[text.length - 1], 0);
    });

    it('stray and mismatched closers do not break the depth', () => {
      const l = labelConcepts(')] x (a] b) c', 'typescript');
      assert.strictEqual(l.bracketDepth[3], 0);
      assert.strictEqual(l.bracketDepth['(a] b) c'.length + 5 - 1], 0);
    });

    it('indentDepth: tabs are one level each; spaces use the detected unit, 4 when nothing tells', () => {
      const tabs = 'a\n\tb\n\t\tc\n';
      const lt = labelConcepts(tabs, 'go');
      assert.deepStrictEqual([tabs.indexOf('a'), tabs.indexOf('b'), tabs.indexOf('c')].map((i) => lt.indentDepth[i]), [0, 1, 2]);
      // No line is indented deeper than a line before it: no evidence, so 4 spaces a level.
      const flat = '        y\nz\n';
      assert.strictEqual(labelConcepts(flat, 'c').indentDepth[0], 2);
      const eight = 'x\n        y\n';
      assert.strictEqual(labelConcepts(eight, 'c').indentDepth[eight.indexOf('y')], 1, 'one step of 8 spaces: the unit is 8');
    });

    it('JSDoc lines cast no vote for the indent unit', () => {
      const text = 'class A {\n  /**\n   * doc\n   */\n  f() {\n    return 1;\n  }\n}\n';
      assert.strictEqual(detectIndentUnit(text, scanLexical(text, syntaxFor('typescript')).region), 2);
    });

    it('CRLF labels like LF; the CR gets the labels of its line end', () => {
      const lf = 'if (a) {\n  s = "x"; // c\n  /* b\n  */ t = (1,\n 2)\n}\n';
      const crlf = lf.replace(/\n/g, '\r\n');
      const a = labelConcepts(lf, 'typescript');
      const b = labelConcepts(crlf, 'typescript');
      let j = 0;
      for (let i = 0; i < crlf.length; i++) {
        // Offset in the LF text of this CRLF character (a CR and its LF share one).
        const at = crlf[i] === '\r' ? j : j++;
        for (const name of CONCEPT_NAMES) assert.strictEqual(b[name][i], a[name][at], `${name} at ${i} (${JSON.stringify(crlf[i])})`);
      }
      assert.strictEqual(j, lf.length);
    });
  });
});

/** Runs `fn` counting the String.prototype.charCodeAt calls it makes (how the labellers read text). */
function countCharReads<T>(fn: () => T): { result: T; reads: number } {
  const original = String.prototype.charCodeAt;
  let reads = 0;
  String.prototype.charCodeAt = function (this: string, index: number): number {
    reads++;
    return original.call(this, index);
  };
  try {
    return { result: fn(), reads };
  } finally {
    String.prototype.charCodeAt = original;
  }
}
