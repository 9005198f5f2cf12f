import * as assert from 'assert';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { conceptLabelsFor } from '../../src/core/cells/findCellsForConcepts';
import { recordActivations } from '../../src/core/cells/recordActivations';
import { ConceptLabels, labelConcepts } from '../../src/core/concepts';
import { Engine } from '../../src/core/engine';
import { createFastestOps } from '../../src/core/kernels/wasmOps';
import { newManifest } from '../../src/core/model/manifest';
import { initParams, paramLayout } from '../../src/core/params';
import { GRAMMAR_NAMES, SyntaxParsers, grammarForFile, labelConceptFiles } from '../../src/core/syntax';
import { VOCAB_SIZE } from '../../src/core/vocab';

/** The characters where a 0/1 label is 1, each run of them, joined by '|'. */
function marked(mask: Uint8Array, text: string): string {
  const runs: string[] = [];
  let run = '';
  for (let i = 0; i <= text.length; i++) {
    if (i < text.length && mask[i]) run += text[i];
    else if (run) {
      runs.push(run);
      run = '';
    }
  }
  return runs.join('|');
}

interface Case {
  file: string;
  text: string;
  /** Hand-marked: the runs of characters in a string, a comment, an if-condition. */
  inString: string;
  inComment: string;
  inIfCondition: string;
}

/**
 * One snippet per grammar, each with what trips a lexer: comment markers
 * inside strings, quotes inside comments, nested and chained ifs, and code
 * inside literals (template substitutions, f-string fields, `$(…)`), which
 * is not string (a string inside it is).
 */
const CASES: Case[] = [
  {
    file: 'a.ts',
    text: 'const u: string = "http://x/*y*/"; // it\'s "q"\n/* a \'b\' "c" */\nif (a) {\n  if (b && f(`${c}`)) { s = `t ${x ? \'y\' : "z"} u`; }\n} else if (d) {}\n',
    inString: '"http://x/*y*/"|`|`|`t |\'y\'|"z"| u`',
    inComment: '// it\'s "q"|/* a \'b\' "c" */',
    inIfCondition: 'if (a)|if (b && f(`${c}`))|if (d)',
  },
  {
    file: 'b.tsx',
    text: 'const e = <div title="a // b">{/* c "d" */ x}</div>;\nif (k) { m(\'#\'); }\n',
    inString: '"a // b"|\'#\'',
    inComment: '/* c "d" */',
    inIfCondition: 'if (k)',
  },
  {
    file: 'c.js',
    text: 'const r = /"/g; // a "b"\nlet s = \'#not\' + `x${"}"}`;\nif (x) if (y) z();\n',
    inString: '\'#not\'|`x|"}"|`',
    inComment: '// a "b"',
    inIfCondition: 'if (x)|if (y)',
  },
  {
    file: 'd.py',
    text: 's = "# not"  # it\'s \'q\'\nt = f"a{b[\'k\']}c" + \'\'\'x\n"y"\'\'\'\nif a:\n    if b or (c and\n             d):\n        pass\nelif e: pass\n',
    inString: '"# not"|f"a|\'k\'|c"|\'\'\'x\n"y"\'\'\'',
    inComment: '# it\'s \'q\'',
    inIfCondition: 'if a|if b or (c and\n             d)|elif e',
  },
  {
    file: 'e.c',
    text: '#include "a.h"\nchar *s = "/* no */"; /* it\'s "q" */\n// line \'c\'\nint f(void) { if (x) { if (y == \'"\') return 1; } else if (z) return 2; return 0; }\n#define V "1 // 2"\n#define F(x) do { if ((x)) g("#"); } while (0)\n',
    // Macro bodies are opaque text to the grammar: their labels are the lexers'.
    inString: '"a.h"|"/* no */"|\'"\'|"1 // 2"|"#"',
    inComment: '/* it\'s "q" */|// line \'c\'',
    inIfCondition: 'if (x)|if (y == \'"\')|if (z)|if ((x))',
  },
  {
    file: 'f.cpp',
    text: 'auto r = R"x(a "// b)x"; // c \'d\'\nvoid g() { if (p) { if (q) {} } }\n',
    inString: 'R"x(a "// b)x"',
    inComment: '// c \'d\'',
    inIfCondition: 'if (p)|if (q)',
  },
  {
    file: 'g.go',
    text: 'package m\nvar s = `/* raw */` + "q" // c \'x\'\nfunc f() { if v := g(); v > 0 { if w { } } }\n',
    inString: '`/* raw */`|"q"',
    inComment: '// c \'x\'',
    inIfCondition: 'if v := g(); v > 0|if w',
  },
  {
    file: 'h.rs',
    text: 'fn f<\'a>(x: &\'a str) -> char { // it\'s\n    let s = "// no"; let r = r#"a "q" b"#;\n    if x.is_empty() { if let Some(c) = y { } } else if z { }\n    \'"\'\n}\n',
    inString: '"// no"|r#"a "q" b"#|\'"\'',
    inComment: '// it\'s',
    inIfCondition: 'if x.is_empty()|if let Some(c) = y|if z',
  },
  {
    file: 'i.sh',
    text: 'echo "a # b $(ls \'c\')" # it\'s\nif [ -n "$x" ]; then\n  if true; then :; fi\nelif false; then :; fi\n',
    inString: '"a # b |\'c\'|"|"$x"',
    inComment: '# it\'s',
    inIfCondition: 'if [ -n "$x" ]|if true|elif false',
  },
];

describe('concept labels from tree-sitter (labelConceptFiles)', function () {
  this.timeout(60_000);
  const parsers = new SyntaxParsers();
  after(() => parsers.dispose());

  it('has a snippet for every shipped grammar', () => {
    assert.deepStrictEqual([...new Set(CASES.map((c) => grammarForFile(c.file)))].sort(), [...GRAMMAR_NAMES].sort());
  });

  for (const c of CASES) {
    it(`${grammarForFile(c.file)}: strings, comments and if-conditions as marked by hand`, async () => {
      const [out] = await labelConceptFiles([{ name: c.file, text: c.text, language: 'generic' }], parsers);
      assert.deepStrictEqual(out.source, { kind: 'tree-sitter', grammar: grammarForFile(c.file) });
      assert.strictEqual(marked(out.labels.inString, c.text), c.inString, 'inString');
      assert.strictEqual(marked(out.labels.inComment, c.text), c.inComment, 'inComment');
      assert.strictEqual(marked(out.labels.inIfCondition, c.text), c.inIfCondition, 'inIfCondition');
    });
  }

  it('falls back to the lexers of the file\'s language where no grammar is shipped or none loads', async () => {
    const java = 'class A { String s = "// x"; /* "y" */ void f() { if (a) {} } }\n';
    const py = 's = "# x"  # y\nif a:\n    pass\n';
    const empty = fs.mkdtempSync(path.join(os.tmpdir(), 'lstm-lens-nogrammar-'));
    const missing = new SyntaxParsers({ folders: [empty], nodeModules: false });
    try {
      const [a] = await labelConceptFiles([{ name: 'A.java', text: java, language: 'java' }], parsers);
      assert.deepStrictEqual(a.source, { kind: 'lexical', reason: 'no tree-sitter grammar is shipped for A.java' });
      assert.deepStrictEqual(a.labels, labelConcepts(java, 'java'));
      assert.strictEqual(marked(a.labels.inString, java), '"// x"');
      // A file with no name picks its grammar by its language: Java has none either.
      const [unnamed] = await labelConceptFiles([{ text: java, language: 'java' }], parsers);
      assert.strictEqual(unnamed.source.kind, 'lexical');
      // The grammar is shipped but cannot be read: the lexers of the given language, not of the name's.
      const [b] = await labelConceptFiles([{ name: 'b.py', text: py, language: 'python' }], missing);
      assert.strictEqual(b.source.kind, 'lexical');
      assert.match(b.source.kind === 'lexical' ? b.source.reason : '', /python grammar did not load/);
      assert.deepStrictEqual(b.labels, labelConcepts(py, 'python'));
      assert.strictEqual(marked(b.labels.inIfCondition, py), 'if a:');
    } finally {
      missing.dispose();
      fs.rmSync(empty, { recursive: true, force: true });
    }
  });

  it('the concept search ranks against the labels it is given, not the lexers\'', async () => {
    const text = 'x = `a ${b} c`;\n';
    const [tree] = await labelConceptFiles([{ name: 'a.js', text, language: 'javascript' }], parsers);
    const spec = { vocabSize: VOCAB_SIZE, embedDim: 4, hidden: [8] };
    const layout = paramLayout(spec);
    const engine = new Engine({ layout, params: initParams(layout, 1), manifest: newManifest(spec, 'tiny') }, createFastestOps());
    const act = recordActivations(engine, [text, text]);
    const given: ConceptLabels = { ...tree.labels, inString: new Uint8Array(text.length).fill(1, 0, 3) };
    const labels = conceptLabelsFor(act, [
      { text, language: 'javascript', labels: given },
      { text, language: 'javascript' },
    ]);
    assert.deepStrictEqual([...labels.inString.subarray(0, text.length)], [...given.inString]);
    assert.deepStrictEqual([...labels.inString.subarray(text.length)], [...labelConcepts(text, 'javascript').inString]);
    assert.throws(() => conceptLabelsFor(act, [{ text, language: 'javascript', labels: { ...given, inComment: new Uint8Array(2) } }]), /inComment has 2 labels for 16 characters/);
  });
});
