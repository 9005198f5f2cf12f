"""The corpus rules and vocabulary, as data. corpus_rules.json is written by
`node dist/cli.js corpus --json` from the TypeScript constants (the one source
of truth); tests/test_corpus.py fails when the committed copy drifts."""

import json
import os

RULES_PATH = os.path.join(os.path.dirname(os.path.abspath(__file__)), "corpus_rules.json")

with open(RULES_PATH, encoding="utf-8") as _f:
    RULES = json.load(_f)["rules"]
