"""The fixed 98-character vocabulary every LSTM Lens model shares
(src/core/vocab.ts): ids 0..94 are printable ASCII 32..126, 95 is '\\n',
96 is '\\t', 97 is UNK. The list itself is read from corpus_rules.json,
which the tests check against `lstm-lens corpus --json`."""

import numpy as np

from .rules import RULES

VOCAB_CHARS = list(RULES["vocabulary"])
VOCAB_SIZE = len(VOCAB_CHARS)
NEWLINE_ID = VOCAB_CHARS.index("\n")
TAB_ID = VOCAB_CHARS.index("\t")
UNK_ID = VOCAB_SIZE - 1
_FIRST_PRINTABLE = 32
_LAST_PRINTABLE = 126

# Code unit -> id for the whole 16-bit range: everything not listed is UNK.
_TABLE = np.full(0x10000, UNK_ID, dtype=np.uint8)
_TABLE[_FIRST_PRINTABLE:_LAST_PRINTABLE + 1] = np.arange(_LAST_PRINTABLE - _FIRST_PRINTABLE + 1, dtype=np.uint8)
_TABLE[10] = NEWLINE_ID
_TABLE[9] = TAB_ID


def utf16_units(text: str) -> np.ndarray:
    """The text as UTF-16 code units, as JavaScript strings hold it."""
    return np.frombuffer(text.encode("utf-16-le", "surrogatepass"), dtype="<u2")


def utf16_length(text: str) -> int:
    """Length in UTF-16 code units (JavaScript's string length)."""
    return len(text.encode("utf-16-le", "surrogatepass")) // 2


def encode(text: str) -> np.ndarray:
    """Ids, one per UTF-16 code unit as in the extension: a character outside
    the Basic Multilingual Plane becomes two UNKs, so offsets agree."""
    return _TABLE[utf16_units(text)]


def decode(ids) -> str:
    return "".join(VOCAB_CHARS[i] if 0 <= i < VOCAB_SIZE else VOCAB_CHARS[UNK_ID] for i in ids)
