"""The corpus rules and file choice agree with the TypeScript code's."""

import json
import os
import unittest

from helpers import CORPUS_DIR, node, temp_dir, write_text

from lstmlens import corpus, vocab
from lstmlens.rules import RULES, RULES_PATH


def fixture_tree(root: str) -> None:
    """Files each rule takes or refuses, and .gitignore files at two depths."""
    write_text(root, "src/app.ts", "export const a = 1;\n")
    write_text(root, "src/App.PY", "print('upper-case extension')\n")
    write_text(root, "src/crlf.js", "let a = 1;\r\nlet b = 2;\r\n")
    write_text(root, "src/bom.go", "\ufeffpackage main\n")
    write_text(root, "src/astral.rs", "// \U0001F600 smile\nfn main() {}\n")
    write_text(root, "src/notes.txt", "not source\n")
    write_text(root, "src/empty.c", "")
    write_text(root, "src/blank.h", "  \n\t\n")
    write_text(root, "src/long.ts", "x".join(["const a = 1;"] * 120) + "\n")
    write_text(root, "src/wide.ts", "".join("const v%d = %s;\n" % (i, "1" * 300) for i in range(10)))
    write_text(root, "src/lib.min.js", "var a=1;\n")
    write_text(root, "src/package-lock.json", "{}\n")
    write_text(root, "yarn.lock", "x\n")
    write_text(root, "node_modules/dep/index.js", "module.exports = 1;\n")
    write_text(root, "dist/out.js", "built\n")
    write_text(root, "debug.log.ts", "ignored by *.log.ts\n")
    write_text(root, "build.ts", "a file named like an ignored folder is kept\n")
    write_text(root, "gen/keep.ts", "re-included\n")
    write_text(root, "gen/drop.ts", "ignored\n")
    write_text(root, "deep/a/b/target.py", "x = 1\n")
    write_text(root, "deep/a/other.py", "y = 2\n")
    write_text(root, "only_root.ts", "anchored pattern\n")
    write_text(root, "sub/only_root.ts", "not anchored here\n")
    write_text(root, "sub/skip_me.ts", "ignored by the nested .gitignore\n")
    write_text(root, "sub/q1.ts", "ignored by ?\n")
    write_text(root, "sub/qq1.ts", "kept: two characters before 1\n")
    write_text(root, "sub/x.ts", "ignored by [xy]\n")
    write_text(root, "sub/z.ts", "kept\n")
    write_text(root, ".gitignore", "# comment\n*.log.ts\nbuild/\ngen/*\n!gen/keep.ts\n/only_root.ts\ndeep/**/target.py\n")
    write_text(root, "sub/.gitignore", "skip_me.ts   \n?1.ts\n[xy].ts\n")
    with open(os.path.join(root, "src", "latin1.py"), "wb") as f:
        f.write(b"s = '\xe9t\xe9'\n")
    with open(os.path.join(root, "src", "binary.c"), "wb") as f:
        f.write(b"\x00\x01\x02binary")
    os.symlink(os.path.join(root, "src", "app.ts"), os.path.join(root, "link.ts"))


class CorpusRulesTest(unittest.TestCase):
    def test_committed_rules_match_the_cli(self):
        from_cli = json.loads(node("corpus", "--json"))["rules"]
        self.assertEqual(RULES, from_cli, "%s is stale: regenerate it with `node dist/cli.js corpus --json > %s`" % (RULES_PATH, RULES_PATH))

    def test_vocabulary_has_98_symbols_and_encodes_like_the_extension(self):
        self.assertEqual(vocab.VOCAB_SIZE, 98)
        ids = vocab.encode("a\t\n\u00e9\U0001F600")
        self.assertEqual(ids.tolist(), [ord("a") - 32, vocab.TAB_ID, vocab.NEWLINE_ID, vocab.UNK_ID, vocab.UNK_ID, vocab.UNK_ID])

    def test_same_files_and_skips_as_the_cli(self):
        root = temp_dir(self)
        fixture_tree(root)
        ts = json.loads(node("corpus", "--json", root))
        py = corpus.collect_corpus([root])
        self.assertEqual([(f["relPath"], f["chars"]) for f in ts["files"]], [(f.rel_path, vocab.utf16_length(f.text)) for f in py.files])
        self.assertEqual(ts["skipped"], py.skipped)
        self.assertEqual(ts["totalChars"], py.total_chars)
        # The fixture exercises each rule: these were taken or refused for a reason.
        taken = {f.rel_path for f in py.files}
        self.assertIn("gen/keep.ts", taken)
        self.assertIn("sub/only_root.ts", taken)
        self.assertNotIn("gen/drop.ts", taken)
        self.assertNotIn("deep/a/b/target.py", taken)
        for reason in ("binary", "not-utf8", "minified", "empty", "ignored-folder", "gitignore", "not-source", "symlink"):
            self.assertIn(reason, py.skipped)

    def test_total_cap_cuts_the_same_tail(self):
        ts = json.loads(node("corpus", "--json", CORPUS_DIR))
        py = corpus.collect_corpus([CORPUS_DIR])
        self.assertEqual([f["relPath"] for f in ts["files"]], [f.rel_path for f in py.files])
        capped = corpus.collect_corpus([CORPUS_DIR], max_total_bytes=py.files[0].bytes + py.files[1].bytes)
        self.assertEqual([f.rel_path for f in capped.files], [f.rel_path for f in py.files[:2]])
        self.assertEqual(capped.skipped.get("total-cap"), len(py.files) - 2)

    def test_crlf_and_bom_are_normalised(self):
        ok, text = corpus.classify_content(b"\xef\xbb\xbfa\r\nb\rc\n")
        self.assertTrue(ok)
        self.assertEqual(text, "a\nb\nc\n")


if __name__ == "__main__":
    unittest.main()
