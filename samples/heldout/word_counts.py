"""Counts words in text files, written for LSTM Lens's held-out sample:
code the bundled model never saw while training."""

import argparse
import collections
import os
import re
import sys

WORD = re.compile(r"[A-Za-z_][A-Za-z0-9_']*")


class LruCache:
    """A small least-recently-used cache of file contents."""

    def __init__(self, capacity=32):
        if capacity <= 0:
            raise ValueError("capacity must be positive")
        self.capacity = capacity
        self._items = collections.OrderedDict()

    def get(self, key, default=None):
        if key not in self._items:
            return default
        self._items.move_to_end(key)
        return self._items[key]

    def put(self, key, value):
        if key in self._items:
            self._items.move_to_end(key)
        self._items[key] = value
        while len(self._items) > self.capacity:
            self._items.popitem(last=False)

    def __len__(self):
        return len(self._items)


def read_text(path, cache):
    text = cache.get(path)
    if text is None:
        with open(path, encoding="utf-8", errors="replace") as f:
            text = f.read()
        cache.put(path, text)
    return text


def count_words(paths, lower=True):
    counts = collections.Counter()
    cache = LruCache()
    for path in paths:
        if os.path.isdir(path):
            for root, dirs, files in os.walk(path):
                dirs[:] = [d for d in dirs if not d.startswith(".")]
                for name in sorted(files):
                    counts.update(words(read_text(os.path.join(root, name), cache), lower))
        else:
            counts.update(words(read_text(path, cache), lower))
    return counts


def words(text, lower):
    for match in WORD.finditer(text):
        word = match.group(0)
        yield word.lower() if lower else word


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("paths", nargs="+", help="files or folders to read")
    parser.add_argument("-n", "--top", type=int, default=10, help="how many words to print")
    parser.add_argument("--case-sensitive", action="store_true")
    args = parser.parse_args(argv)
    counts = count_words(args.paths, lower=not args.case_sensitive)
    if not counts:
        print("no words found", file=sys.stderr)
        return 1
    width = max(len(word) for word, _ in counts.most_common(args.top))
    for word, n in counts.most_common(args.top):
        print(f"{word:<{width}}  {n}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
