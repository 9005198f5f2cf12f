import * as assert from 'assert';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { labelConcepts } from '../../src/core/concepts';
import { GRAMMAR_NAMES, GrammarName, SyntaxLabels, SyntaxParsers, grammarForFile, labelText, syntaxMask } from '../../src/core/syntax';

/** The characters of text inside a key's spans, joined by '|'. */
function inside(labels: SyntaxLabels, key: string, text: string): string {
  const mask = syntaxMask(labels, key);
  const parts: string[] = [];
  let run = '';
  for (let i = 0; i < text.length; i++) {
    if (mask[i]) run += text[i];
    else if (run) {
      parts.push(run);
      run = '';
    }
  }
  if (run) parts.push(run);
  return parts.join('|');
}

/** The characters where a 0/1 concept is 1, runs joined by '|'. */
function marked(mask: Uint8Array, text: string): string {
  return inside({ grammar: 'c', length: text.length, spans: new Map([['k', runsOf(mask)]]) }, 'k', text);
}

function runsOf(mask: Uint8Array): number[] {
  const spans: number[] = [];
  for (let i = 0; i < mask.length; i++) {
    if (mask[i] && (i === 0 || !mask[i - 1])) spans.push(i);
    if (mask[i] && (i === mask.length - 1 || !mask[i + 1])) spans.push(i + 1);
  }
  return spans;
}

describe('syntax concepts (tree-sitter)', function () {
  this.timeout(60_000);
  const parsers = new SyntaxParsers();
  after(() => parsers.dispose());

  async function tree(name: string, text: string) {
    const out = await labelText(text, name, parsers);
    assert.deepStrictEqual(out.source.kind, 'tree-sitter', JSON.stringify(out.source));
    assert.ok(out.syntax);
    return { ...out, syntax: out.syntax };
  }

  it('picks a grammar by language id or extension, none for languages without one', () => {
    assert.strictEqual(grammarForFile('src/a.ts'), 'typescript');
    assert.strictEqual(grammarForFile('typescriptreact'), 'tsx');
    assert.strictEqual(grammarForFile('x/Y.HPP'), 'cpp');
    assert.strictEqual(grammarForFile('shellscript'), 'bash');
    assert.strictEqual(grammarForFile('run.sh'), 'bash');
    assert.strictEqual(grammarForFile('Main.java'), null);
    assert.strictEqual(grammarForFile('Makefile'), null);
  });

  it('loads every shipped grammar offline from node_modules', async () => {
    for (const g of GRAMMAR_NAMES) assert.ok(await parsers.parserFor(g), `${g}: ${parsers.failure(g as GrammarName)}`);
    // Files of one grammar asking at once share one parser.
    const fresh = new SyntaxParsers();
    try {
      const [a, b] = await Promise.all([fresh.parserFor('go'), fresh.parserFor('go')]);
      assert.ok(a && a === b);
    } finally {
      fresh.dispose();
    }
  });

  it('TypeScript: a type annotation, call arguments, a template substitution and an if condition', async () => {
    const text = 'function f(xs: number[]): string {\n  if (xs.length > 0) { return `n=${g(xs, 1)}`; }\n  return "none"; // done\n}\n';
    const { syntax, concepts } = await tree('a.ts', text);
    assert.strictEqual(inside(syntax, 'type_annotation', text), ': number[]|: string');
    assert.strictEqual(inside(syntax, 'arguments', text), '(xs, 1)');
    assert.strictEqual(inside(syntax, 'template_substitution', text), '${g(xs, 1)}');
    assert.strictEqual(inside(syntax, 'if_statement.condition', text), '(xs.length > 0)');
    // The substitution is code, as for the lexers.
    assert.strictEqual(marked(concepts.inString, text), '`n=|`|"none"');
    assert.strictEqual(marked(concepts.inComment, text), '// done');
    assert.strictEqual(marked(concepts.inIfCondition, text), 'if (xs.length > 0)');
  });

  it('Python: strings with prefixes, a decorator, an elif condition; offsets in UTF-16 units past non-ASCII', async () => {
    const text = '@cache\ndef g(x):\n    s = "é😀"  # c\n    if x: return f\'{x}\'\n    elif x > 1: pass\n';
    const { syntax, concepts } = await tree('b.py', text);
    assert.strictEqual(inside(syntax, 'string', text), '"é😀"|f\'{x}\'');
    assert.strictEqual(inside(syntax, 'decorator', text), '@cache');
    assert.strictEqual(marked(concepts.inString, text), '"é😀"|f\'|\'');
    assert.strictEqual(marked(concepts.inComment, text), '# c');
    assert.strictEqual(marked(concepts.inIfCondition, text), 'if x|elif x > 1');
  });

  it('C, C++, Go, Rust, JavaScript and shell: strings and comments from their trees', async () => {
    const cases: [string, string, string, string][] = [
      ['c.c', 'int main(void) { /* b */ char c = \'x\'; puts("s"); }\n', '\'x\'|"s"', '/* b */'],
      ['d.cpp', 'auto s = R"(raw)"; // k\n', 'R"(raw)"', '// k'],
      ['e.go', 'package m\n// k\nvar s = `raw` + "i"\n', '`raw`|"i"', '// k'],
      ['f.rs', 'fn m() { /* a /* n */ b */ let c = \'x\'; }\n', '\'x\'', '/* a /* n */ b */'],
      ['g.js', 'const a = \'q\' /* k */;\n', '\'q\'', '/* k */'],
      ['h.sh', 'echo "a $b" \'c\' # k\n', '"a $b"|\'c\'', '# k'],
    ];
    for (const [name, text, strings, comments] of cases) {
      const { concepts } = await tree(name, text);
      assert.strictEqual(marked(concepts.inString, text), strings, name);
      assert.strictEqual(marked(concepts.inComment, text), comments, name);
    }
  });

  it('keeps the lexical indentation, column and bracket depth, and every array is as long as the text (CRLF too)', async () => {
    const text = 'if (a) {\r\n  f([1]);\r\n}\r\n';
    const { concepts } = await tree('a.js', text);
    const lexical = labelConcepts(text, 'javascript');
    for (const [name, values] of Object.entries(concepts)) assert.strictEqual(values.length, text.length, name);
    assert.deepStrictEqual(concepts.indentDepth, lexical.indentDepth);
    assert.deepStrictEqual(concepts.linePosition, lexical.linePosition);
    assert.deepStrictEqual(concepts.bracketDepth, lexical.bracketDepth);
    assert.strictEqual(marked(concepts.inIfCondition, text), 'if (a)');
  });

  it('falls back to the lexers, and says why, when no grammar is shipped or none loads', async () => {
    const java = await labelText('class A { String s = "x"; }', 'A.java', parsers);
    assert.strictEqual(java.source.kind, 'lexical');
    assert.strictEqual(java.syntax, null);
    assert.strictEqual(marked(java.concepts.inString, 'class A { String s = "x"; }'), '"x"');

    const empty = fs.mkdtempSync(path.join(os.tmpdir(), 'lstm-lens-nogrammar-'));
    const missing = new SyntaxParsers({ folders: [empty], nodeModules: false });
    try {
      const text = 'x = "s"  # c\n';
      const out = await labelText(text, 'b.py', missing);
      assert.strictEqual(out.source.kind, 'lexical');
      assert.match(out.source.kind === 'lexical' ? out.source.reason : '', /python grammar did not load: tree-sitter-python\.wasm not found/);
      assert.deepStrictEqual(out.concepts, labelConcepts(text, 'python'));
    } finally {
      missing.dispose();
      fs.rmSync(empty, { recursive: true, force: true });
    }
  });

  it('reads gzipped grammars from the extension folder (dist/tree-sitter)', async () => {
    const folder = fs.mkdtempSync(path.join(os.tmpdir(), 'lstm-lens-gz-'));
    const zlib = await import('zlib');
    const root = path.resolve(__dirname, '..', '..', '..', 'node_modules', 'tree-sitter-go', 'tree-sitter-go.wasm');
    fs.writeFileSync(path.join(folder, 'tree-sitter-go.wasm.gz'), zlib.gzipSync(fs.readFileSync(root)));
    const fromGz = new SyntaxParsers({ folders: [folder], nodeModules: false });
    try {
      const text = 'package m\nvar s = "x"\n';
      const out = await labelText(text, 'e.go', fromGz);
      assert.strictEqual(out.source.kind, 'tree-sitter');
      assert.ok(out.syntax && inside(out.syntax, 'interpreted_string_literal', text) === '"x"');
      // Python is not in that folder: it falls back, it does not throw.
      assert.strictEqual((await labelText('x = 1\n', 'b.py', fromGz)).source.kind, 'lexical');
    } finally {
      fromGz.dispose();
      fs.rmSync(folder, { recursive: true, force: true });
    }
  });
});
