"""NFKC normalization, the same result as unicodedata.normalize("NFKC", text), faster on Chinese text.

    nfkc(text) -> str

unicodedata's NFKC costs about 0.5 us per character on a line of Chinese that holds full-width
punctuation (，：（）: almost every line), most of it spent recomposing the ideographs it leaves
alone. The full-width forms U+FF01-U+FF5E and the ideographic space U+3000 each decompose to one
ASCII character (their <wide> compatibility mapping); putting that character in their place keeps
the text's NFKD, so its NFKC is the same. When that leaves a text already in NFKC (the check is a
fast scan), it is the answer; otherwise, some other compatibility character is left (a circled
digit, a CJK compatibility ideograph, a ligature) and unicodedata normalizes it.
"""
from __future__ import annotations

import re
import unicodedata

_WIDE = re.compile("[\uff01-\uff5e\u3000]")
_NARROW = {chr(c): chr(c - 0xFEE0) for c in range(0xFF01, 0xFF5F)} | {"\u3000": " "}


def _narrowed(text: str) -> str:
    """`text` with every full-width form and ideographic space put back to its ASCII character
    (the text itself when it holds none): one search and one str.replace per distinct character,
    not a call per occurrence (a line of Chinese repeats the same few: ，：（）). A replaced
    character is ASCII, so none is met again, and each takes one character's place: the search
    goes on from the next position."""
    m = _WIDE.search(text)
    while m is not None:
        at = m.start()
        wide = text[at]
        text = text.replace(wide, _NARROW[wide])
        m = _WIDE.search(text, at + 1)
    return text


def nfkc(text: str) -> str:
    """unicodedata.normalize("NFKC", text)."""
    if unicodedata.is_normalized("NFKC", text):
        return text
    narrowed = _narrowed(text)
    if narrowed is not text and unicodedata.is_normalized("NFKC", narrowed):
        return narrowed
    return unicodedata.normalize("NFKC", narrowed)
