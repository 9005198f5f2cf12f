"""The .gitignore rules the corpus walk honours, as the TypeScript walk applies
them (src/core/corpus/collectCorpus.ts, which uses the npm package `ignore`):
each .gitignore applies to its own folder and below, rules are tried in order
and the last one that matches decides, a deeper file's rules win over a
shallower one's, and a path under an ignored folder is ignored.

Patterns follow git's documentation: `#` comments, `!` negation, a trailing
`/` for folders only, a leading or middle `/` anchors the pattern to the
file's folder, `*` and `?` stay within a path segment, `**/`, `/**/` and
`/**` cross segments, `[...]` is a character class, `\\` escapes.
"""

import re
import sys
from typing import List, Optional, Tuple

# Git ignores case where the file system usually does (as the TS walk does).
IGNORE_CASE = sys.platform in ("darwin", "win32")


class Rule:
    def __init__(self, pattern: str, negative: bool, regex: "re.Pattern[str]"):
        self.pattern = pattern
        self.negative = negative
        self.regex = regex


def _strip_trailing_spaces(line: str) -> str:
    """Trailing spaces are dropped unless the last one is escaped with a backslash."""
    end = len(line)
    while end > 0 and line[end - 1] in " \t":
        backslashes = 0
        k = end - 2
        while k >= 0 and line[k] == "\\":
            backslashes += 1
            k -= 1
        if backslashes % 2 == 1:
            break
        end -= 1
    return line[:end]


def _translate(core: str) -> str:
    """Glob body (no leading or trailing slash) to a regular expression body."""
    out = []
    i = 0
    n = len(core)
    while i < n:
        at_segment_start = i == 0 or core[i - 1] == "/"
        if at_segment_start and core.startswith("**/", i):
            out.append("(?:[^/]+/)*")  # zero or more folders
            i += 3
        elif at_segment_start and core.startswith("**", i) and i + 2 == n:
            out.append(".+")  # `dir/**`: everything inside, not the folder itself
            i += 2
        elif core[i] == "*":
            while i < n and core[i] == "*":
                i += 1
            # `dir/*` needs a name after the slash; elsewhere `*` may be empty.
            out.append("[^/]+" if at_segment_start and i == n else "[^/]*")
        elif core[i] == "?":
            out.append("[^/]")
            i += 1
        elif core[i] == "[":
            close = core.find("]", i + 2)
            body = core[i + 1:close] if close > 0 else ""
            if close < 0 or "/" in body:
                out.append(re.escape("["))
                i += 1
            else:
                negate = body[:1] in ("!", "^")
                if negate:
                    body = body[1:]
                body = body.replace("\\", "\\\\").replace("[", "\\[")
                out.append("[" + ("^" if negate else "") + body + "]")
                i = close + 1
        elif core[i] == "\\" and i + 1 < n:
            out.append(re.escape(core[i + 1]))
            i += 2
        else:
            out.append(re.escape(core[i]))
            i += 1
    return "".join(out)


def compile_rule(line: str) -> Optional[Rule]:
    """One line of a .gitignore, or None for a blank line or a comment."""
    line = line.lstrip("\ufeff")
    if line.strip() == "" or line.startswith("#"):
        return None
    if re.search(r"(?:[^\\]|^)\\$", line):
        return None  # a lone trailing backslash: git rejects the pattern
    pattern = line
    negative = line.startswith("!")
    body = line[1:] if negative else line
    if body.startswith("\\!") or body.startswith("\\#"):
        body = body[1:]
    body = _strip_trailing_spaces(body)
    if body == "":
        return None
    folders_only = body.endswith("/")
    core = body.rstrip("/") if folders_only else body
    anchored = "/" in core
    core = core[1:] if core.startswith("/") else core
    regex = ("^" if anchored else "^(?:.*/)?") + _translate(core) + ("/$" if folders_only else "/?$")
    return Rule(pattern, negative, re.compile(regex, re.IGNORECASE if IGNORE_CASE else 0))


def parse_gitignore(text: str) -> List[Rule]:
    rules = []
    for line in re.split(r"\r?\n", text):
        rule = compile_rule(line)
        if rule is not None:
            rules.append(rule)
    return rules


def _test_one(rules: List[Rule], path: str) -> Tuple[bool, bool, Optional[Rule]]:
    """(ignored, unignored, deciding rule) for one path: the last matching rule decides."""
    ignored = unignored = False
    deciding = None
    for rule in rules:
        if rule.regex.search(path):
            ignored, unignored = not rule.negative, rule.negative
            deciding = None if rule.negative else rule
    return ignored, unignored, deciding


def test_path(rules: List[Rule], rel_path: str) -> Tuple[bool, bool, Optional[Rule]]:
    """Like `ignore`'s test(): a path under an ignored folder is ignored by
    that folder's rule. Folders are given with a trailing slash."""
    parts = [p for p in rel_path.split("/") if p]
    for k in range(1, len(parts)):
        parent = "/".join(parts[:k]) + "/"
        result = _test_one(rules, parent)
        if result[0]:
            return result
    return _test_one(rules, rel_path)


class Scope:
    """The rules of one .gitignore; `folder` is where it sits relative to the walk root ('' for the root)."""

    def __init__(self, folder: str, file: str, rules: List[Rule]):
        self.folder = folder
        self.file = file
        self.rules = rules


def match_scopes(scopes: List[Scope], rel_path: str, is_folder: bool) -> Optional[str]:
    """Why the path is ignored (the deciding rule), or None: scopes from the root down, deeper ones win."""
    deciding = None
    for scope in scopes:
        local = rel_path if scope.folder == "" else rel_path[len(scope.folder) + 1:]
        ignored, unignored, rule = test_path(scope.rules, local + "/" if is_folder else local)
        if ignored:
            deciding = "matches '%s' in %s" % (rule.pattern if rule else "?", scope.file)
        elif unignored:
            deciding = None
    return deciding
