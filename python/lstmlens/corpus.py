"""The training corpus, chosen as the extension chooses it
(src/core/corpus/*.ts): the same source extensions, skipped folders,
lockfiles, minified names, .gitignore files, content checks (binary, UTF-8,
minified, size, empty) and total cap, with the numbers taken from
corpus_rules.json. Candidates are sorted by relative path before reading, so
the cap always cuts the same tail."""

import os
import re
import stat
from dataclasses import dataclass, field
from typing import Dict, List, Optional, Tuple

from .gitignore import Scope, match_scopes, parse_gitignore
from .rules import RULES
from .vocab import utf16_length

@dataclass
class CorpusFile:
    path: str
    rel_path: str
    root: str
    text: str
    bytes: int

@dataclass
class CorpusResult:
    files: List[CorpusFile]
    skipped: Dict[str, int] = field(default_factory=dict)
    total_chars: int = 0
    total_bytes: int = 0

# ---------------------------------------------------------------------------
# Names (sourceFiles.ts)

def _glob_to_regex(glob: str) -> "re.Pattern[str]":
    out = []
    i = 0
    while i < len(glob):
        if glob.startswith("**/", i):
            out.append("(?:.*/)?")
            i += 3
        elif glob.startswith("**", i):
            out.append(".*")
            i += 2
        elif glob[i] == "*":
            out.append("[^/]*")
            i += 1
        elif glob[i] == "?":
            out.append("[^/]")
            i += 1
        else:
            out.append(re.escape(glob[i]))
            i += 1
    return re.compile("^" + "".join(out) + "$")

def _base_name(rel_path: str) -> str:
    trimmed = rel_path[:-1] if rel_path.endswith("/") else rel_path
    return trimmed[trimmed.rfind("/") + 1:]

def compile_name_pattern(pattern: str):
    """`.ext` (name ends with it, any case), a glob on the base name, or with `/` a glob on the relative path."""
    if pattern.startswith(".") and not re.search(r"[*?/]", pattern):
        suffix = pattern.lower()
        return lambda rel: _base_name(rel).lower().endswith(suffix)
    if "/" not in pattern:
        regex = _glob_to_regex(pattern)
        return lambda rel: regex.match(_base_name(rel)) is not None
    regex = _glob_to_regex(pattern.lstrip("/"))
    return lambda rel: regex.match(rel) is not None

class SourceFilter:
    def __init__(self, rules: dict):
        self.extensions = [(e if e.startswith(".") else "." + e).lower() for e in rules["sourceExtensions"]]
        self.skip_folders = set(rules["skipFolders"])
        self.skip_files = [(p, compile_name_pattern(p)) for p in rules["skipFiles"]]
        self.minified = [(p, compile_name_pattern(p)) for p in rules["minifiedFiles"]]
        self.include = [(p, compile_name_pattern(p)) for p in rules["include"]]
        self.exclude = [(p, compile_name_pattern(p)) for p in rules["exclude"]]

    @staticmethod
    def _first(patterns, rel: str) -> Optional[str]:
        for source, matches in patterns:
            if matches(rel):
                return source
        return None

    def classify_file(self, rel: str) -> Tuple[bool, str]:
        if self._first(self.exclude, rel):
            return False, "not-source"
        if self._first(self.minified, rel):
            return False, "minified"
        if self._first(self.skip_files, rel):
            return False, "not-source"
        if self._first(self.include, rel):
            return True, ""
        name = _base_name(rel).lower()
        if any(name.endswith(ext) for ext in self.extensions):
            return True, ""
        return False, "not-source"

    def classify_folder(self, rel: str) -> Tuple[bool, str]:
        if _base_name(rel) in self.skip_folders:
            return False, "ignored-folder"
        if self._first(self.exclude, rel) or self._first(self.exclude, rel + "/"):
            return False, "ignored-folder"
        return True, ""

# ---------------------------------------------------------------------------
# Content (contentCheck.ts)

# JavaScript's String.prototype.trim() set: Python's isspace() differs (it
# counts \x1c-\x1f, not \ufeff).
_JS_WHITESPACE = "\t\n\v\f\r \u00a0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008\u2009\u200a\u2028\u2029\u202f\u205f\u3000\ufeff"

def _is_control_byte(b: int) -> bool:
    if 0x09 <= b <= 0x0D or b == 0x1B:
        return False
    return b < 0x20 or b == 0x7F

def classify_content(data: bytes, rules: dict = RULES) -> Tuple[bool, str]:
    """(True, text with LF line endings) or (False, skip reason)."""
    if len(data) > rules["maxFileBytes"]:
        return False, "too-large"
    if len(data) == 0:
        return False, "empty"
    sniffed = data[: rules["binarySniffBytes"]]
    if 0 in sniffed:
        return False, "binary"
    controls = sum(1 for b in sniffed if _is_control_byte(b))
    if controls / len(sniffed) > rules["maxControlByteShare"]:
        return False, "binary"
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        return False, "not-utf8"
    if text.startswith("\ufeff"):
        text = text[1:]  # the decoder drops one BOM, as TextDecoder does
    text = re.sub(r"\r\n?", "\n", text)
    if text.strip(_JS_WHITESPACE) == "":
        return False, "empty"
    lines = text.split("\n")
    if lines[-1] == "":
        lines.pop()
    lengths = [utf16_length(line) for line in lines]
    if max(lengths) > rules["maxLineLength"]:
        return False, "minified"
    if utf16_length(text) >= rules["averageCheckMinChars"] and sum(lengths) / len(lengths) > rules["maxAverageLineLength"]:
        return False, "minified"
    return True, text

def read_source_file(path: str, max_bytes: int = 64 << 20) -> str:
    """A file named on the command line, read as `lstm-lens eval` reads it
    (src/cli/readSourceFile.ts): the content checks without the line-length
    rules; an empty file is ''."""
    try:
        st = os.stat(path)
    except OSError:
        raise ValueError("%s: no such file" % path)
    if not stat.S_ISREG(st.st_mode):
        raise ValueError("%s: not a file" % path)
    if st.st_size > max_bytes:
        raise ValueError("%s: %d bytes is larger than the %d MiB limit" % (path, st.st_size, max_bytes >> 20))
    with open(path, "rb") as f:
        data = f.read()
    rules = dict(RULES, maxFileBytes=max_bytes, maxLineLength=float("inf"), maxAverageLineLength=float("inf"))
    ok, result = classify_content(data, rules)
    if not ok:
        if result == "empty":
            return ""
        raise ValueError("%s: %s" % (path, result))
    return result

# ---------------------------------------------------------------------------
# The walk (collectCorpus.ts)

def _code_unit_key(s: str) -> bytes:
    """JavaScript's string order (UTF-16 code units), not Python's (code points)."""
    return s.encode("utf-16-be", "surrogatepass")

class _Walker:
    def __init__(self, rules: dict):
        self.rules = rules
        self.filter = SourceFilter(rules)
        self.candidates: List[Tuple[str, str, str]] = []
        self.skipped: List[Tuple[str, str]] = []
        self.seen = set()

    def add_root(self, given: str) -> None:
        root = os.path.abspath(given)
        try:
            st = os.stat(root)
        except FileNotFoundError:
            raise ValueError("Corpus root does not exist: %s" % root)
        except NotADirectoryError:
            raise ValueError("Corpus root does not exist: %s" % root)
        if stat.S_ISDIR(st.st_mode):
            self.walk(root, root, "", [])
        elif stat.S_ISREG(st.st_mode):
            rel = os.path.basename(root)
            take, reason = self.filter.classify_file(rel)
            if take:
                self.add(root, rel, os.path.dirname(root))
            else:
                self.skip(root, reason)
        else:
            raise ValueError("Corpus root is neither a file nor a folder: %s" % root)

    def walk(self, root: str, folder: str, folder_rel: str, parent_scopes: List[Scope]) -> None:
        try:
            entries = list(os.scandir(folder))
        except OSError as err:
            if folder_rel == "":
                raise ValueError("Cannot list corpus root %s: %s" % (root, err))
            self.skip(folder, "unreadable")
            return
        scopes = self.with_local_gitignore(parent_scopes, folder, folder_rel, entries)
        for entry in entries:
            absolute = os.path.join(folder, entry.name)
            rel = entry.name if folder_rel == "" else folder_rel + "/" + entry.name
            is_folder = entry.is_dir(follow_symlinks=False)
            if match_scopes(scopes, rel, is_folder) is not None:
                self.skip(absolute, "gitignore")
            elif entry.is_symlink():
                self.skip(absolute, "symlink")
            elif is_folder:
                take, reason = self.filter.classify_folder(rel)
                if take:
                    self.walk(root, absolute, rel, scopes)
                else:
                    self.skip(absolute, reason)
            elif entry.is_file(follow_symlinks=False):
                take, reason = self.filter.classify_file(rel)
                if take:
                    self.add(absolute, rel, root)
                else:
                    self.skip(absolute, reason)
            else:
                self.skip(absolute, "unreadable")

    def with_local_gitignore(self, parent_scopes, folder, folder_rel, entries):
        if not self.rules["respectGitignore"]:
            return parent_scopes
        if not any(e.name == ".gitignore" and e.is_file(follow_symlinks=False) for e in entries):
            return parent_scopes
        try:
            with open(os.path.join(folder, ".gitignore"), encoding="utf-8", errors="replace") as f:
                content = f.read()
        except OSError:
            return parent_scopes  # unreadable: treated as absent, as in the TS walk
        file = ".gitignore" if folder_rel == "" else folder_rel + "/.gitignore"
        return parent_scopes + [Scope(folder_rel, file, parse_gitignore(content))]

    def add(self, path: str, rel: str, root: str) -> None:
        if path in self.seen:
            return
        self.seen.add(path)
        self.candidates.append((path, rel, root))

    def skip(self, path: str, reason: str) -> None:
        if path in self.seen:
            return
        self.seen.add(path)
        self.skipped.append((path, reason))

def collect_corpus(roots: List[str], max_total_bytes: Optional[int] = None, rules: dict = RULES) -> CorpusResult:
    """The files under `roots` (folders to walk or single files) that training reads."""
    if max_total_bytes is not None:
        rules = dict(rules, maxTotalBytes=max_total_bytes)
    walker = _Walker(rules)
    for root in roots:
        walker.add_root(root)
    candidates = sorted(walker.candidates, key=lambda c: (_code_unit_key(c[1]), _code_unit_key(c[0])))
    skipped = list(walker.skipped)
    files: List[CorpusFile] = []
    total_bytes = 0
    cap_reached = False
    for path, rel, root in candidates:
        if cap_reached:
            skipped.append((path, "total-cap"))
            continue
        try:
            size = os.stat(path).st_size
            if size > rules["maxFileBytes"]:
                skipped.append((path, "too-large"))
                continue
            with open(path, "rb") as f:
                data = f.read()
        except OSError:
            skipped.append((path, "unreadable"))
            continue
        ok, result = classify_content(data, rules)
        if not ok:
            skipped.append((path, result))
            continue
        # The corpus is always a prefix of the sorted candidates.
        if total_bytes + len(data) > rules["maxTotalBytes"]:
            cap_reached = True
            skipped.append((path, "total-cap"))
            continue
        files.append(CorpusFile(path, rel, root, result, len(data)))
        total_bytes += len(data)
    counts: Dict[str, int] = {}
    for _, reason in skipped:
        counts[reason] = counts.get(reason, 0) + 1
    return CorpusResult(files, counts, sum(utf16_length(f.text) for f in files), total_bytes)

