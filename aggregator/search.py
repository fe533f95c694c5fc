"""Chinese full-text search over SQLite FTS5.

SQLite's tokenizers see a run of Chinese characters as one word, so 教育 would never
match inside 区教育局. We index every Chinese character and every pair of adjacent
characters as tokens (unigrams + bigrams, the classic CJK approach), and turn a query
into the matching phrase: 教育局 -> "教育 育局". One- and two-character words (疫, 教育)
match exactly; longer words match as consecutive bigrams. (The pairs and each run's last
character alone, half the tokens, would find a one-character word only as the prefix query
"校" *, for which FTS5 merges the lists of every pair the character begins before it returns a
row: 4.6x the p95 of this index at 30,000 articles, bench/search.py's design bigrams-end.)

Both the indexed text and the query are folded Traditional -> Simplified first (OpenCC's t2s,
character by character, so a position in the folded text is the same position in the stored
one): 北侖 finds 北仑 and the other way round.

The FTS5 table (SEARCH_TABLE_SQL) is contentless (the text stays in `articles`) and has the body
as its first column: FTS5 writes a column number before the positions of every column but the
first, so putting the column nearly every token occurs in first keeps the index 1.9x the text
instead of 2.6x (bench/search.py).
"""
from __future__ import annotations

import functools
import re

import numpy as np
from markupsafe import Markup, escape
from opencc import OpenCC

# CJK Unified Ideographs (+ extension A) and the compatibility block
_CJK = "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
# a run of Chinese characters (first group) or of other letters and digits (second group)
_RUNS = re.compile(rf"([{_CJK}]+)|((?:(?![{_CJK}])[^\W_])+)")
# tokenize='ascii': the text given to the index is search_tokens' already (tokens lower-cased,
# one space between them), so the tokenizer need only split at the spaces; FTS5's ascii
# tokenizer does that, taking every byte of a Chinese character as part of a token, at less
# cost than unicode61, which looks every character's category up
SEARCH_TABLE_SQL = "create virtual table articles_search using fts5(body, title, content='', tokenize='ascii')"
# settings of the table, kept in the file; the store sets them whenever it opens one.
# automerge 16: FTS5 merges the index's segments once 16 lie on one level instead of 4 (its
# default), so a bulk load merges each row's tokens about half as often; a query reads up to
# ~30 segments instead of ~12 at 100,000 articles (bench/search.py times both).
# hashsize 64 MiB: the tokens of a transaction are held in memory up to 64 MiB (the default
# 1 MiB) before FTS5 writes them out as a segment: the 2,000 articles of an import's commit
# make one segment instead of ~60 small ones to merge
SEARCH_TABLE_SETTINGS = ("insert into articles_search (articles_search, rank) values ('automerge', 16)",
                         "insert into articles_search (articles_search, rank) values ('hashsize', 67108864)")


@functools.cache
def _t2s_table() -> dict:
    """{code point: its Simplified character} for every CJK character t2s changes into one
    character (built once, ~40 ms: every code point of the blocks converted in one call)."""
    t2s = OpenCC("t2s")
    table = {}
    for lo, hi in ((0x3400, 0x4DC0), (0x4E00, 0xA000), (0xF900, 0xFB00)):
        chars = [chr(c) for c in range(lo, hi)]
        for char, simple in zip(chars, t2s.convert("\n".join(chars)).split("\n")):
            if simple != char and len(simple) == 1:
                table[ord(char)] = simple
    return table


@functools.cache
def _traditional() -> re.Pattern:
    """The characters t2s changes, as one character class."""
    return re.compile("[" + "".join(map(chr, sorted(_t2s_table()))) + "]")


def _simple(match: re.Match) -> str:
    return _t2s_table()[ord(match.group())]


def simplified(text: str) -> str:
    """Traditional -> Simplified, one character for one (positions are kept). A regular
    expression finds the Traditional characters (str.translate would look up every character
    in Python: 10x slower on Simplified text, which is nearly all of it)."""
    return _traditional().sub(_simple, text)


def _run_tokens(cjk: str, other: str) -> str:
    if not cjk:
        return other.lower()
    return " ".join(cjk) + (" " + " ".join(map(str.__add__, cjk, cjk[1:])) if len(cjk) > 1 else "")


def search_tokens(text) -> str:
    """Text -> the space-separated tokens stored in the FTS index: per run of Chinese characters
    its characters, then its pairs of adjacent characters; a run of letters or digits lower-cased."""
    if not isinstance(text, str):
        return ""
    return " ".join(_run_tokens(cjk, other) for cjk, other in _RUNS.findall(simplified(text)))


# search_tokens_many: each code point's class (below _CLASS_TABLE_SIZE; the rare ones above it
# are looked up one by one): not part of a token, a Chinese character (_CJK), another letter or
# digit (str.isalnum, the regex's [^\W_])
_CJK_RANGES = ((0x3400, 0x4DC0), (0x4E00, 0xA000), (0xF900, 0xFB00))
_CLASS_TABLE_SIZE = 0x30000
_NONE, _HAN, _WORD = 0, 1, 2
_SPACE = ord(" ")
_CAPITAL_SIGMA = "\u03a3"  # lower-cased by its context (final ς or σ): a run alone may differ
_GROUP_CHARS = 200_000


@functools.cache
def _class_table() -> np.ndarray:
    """The class of every code point below _CLASS_TABLE_SIZE (built once, ~40 ms)."""
    table = np.frombuffer(bytes(_WORD if chr(c).isalnum() else _NONE for c in range(_CLASS_TABLE_SIZE)),
                          dtype=np.uint8).copy()
    for lo, hi in _CJK_RANGES:
        table[lo:hi] = _HAN
    return table


def _concatenated_ranges(starts: np.ndarray, lengths: np.ndarray) -> np.ndarray:
    """The indices start..start+length-1 of each range, one range after the other."""
    before = np.cumsum(lengths) - lengths
    return np.repeat(starts - before, lengths) + np.arange(int(lengths.sum()))


def _tokens_of_folded(folded: list[str]) -> list[str]:
    """search_tokens of texts already folded to Simplified and lower-cased (each as long as
    before), in numpy passes over all of them: every run of one class is found from where the
    class changes; the output is gathered from a buffer that holds, for every position, "c "
    (its character, a unigram), "cd " (its pair, a bigram) and "c" (the character of a letter
    or digit run): a Chinese run takes its unigrams then its bigrams, another run its
    characters and a space; each text's share ends before its last space."""
    cp = np.frombuffer("\n".join(folded).encode("utf-32-le", "surrogatepass"), dtype=np.uint32)
    n = len(cp)
    cls = _class_table().take(np.minimum(cp, _CLASS_TABLE_SIZE - 1))
    high = np.flatnonzero(cp >= _CLASS_TABLE_SIZE)
    if len(high):
        cls[high] = [_WORD if chr(c).isalnum() else _NONE for c in cp[high].tolist()]
    edges = np.empty(n + 1, dtype=bool)
    edges[0], edges[n] = cls[0] != _NONE, cls[-1] != _NONE
    np.not_equal(cls[1:], cls[:-1], out=edges[1:n])
    bounds = np.flatnonzero(edges)  # a run begins or ends (or both) at each
    is_run = cls[bounds[:-1]] != _NONE
    starts, lengths = bounds[:-1][is_run], (bounds[1:] - bounds[:-1])[is_run]
    han = cls[starts] == _HAN
    source = np.empty(6 * n + 1, dtype=np.uint32)
    unigrams, bigrams = source[:2 * n].reshape(n, 2), source[2 * n:5 * n].reshape(n, 3)
    unigrams[:, 0], unigrams[:, 1] = cp, _SPACE
    bigrams[:, 0], bigrams[:-1, 1], bigrams[-1, 1], bigrams[:, 2] = cp, cp[1:], _SPACE, _SPACE
    source[5 * n:6 * n], source[6 * n] = cp, _SPACE
    # each run as two ranges of the buffer: unigrams and bigrams, or characters and a space
    first = np.where(han, 2 * starts, 5 * n + starts), np.where(han, 2 * lengths, lengths)
    second = np.where(han, 2 * n + 3 * starts, 6 * n), np.where(han, 3 * (lengths - 1), 1)
    ranges = [np.column_stack(pair).ravel() for pair in zip(first, second)]
    text = source.take(_concatenated_ranges(*ranges)).tobytes().decode("utf-32-le", "surrogatepass")
    ends = np.zeros(len(starts) + 1, dtype=np.int64)  # where each run's output ends
    np.cumsum(first[1] + second[1], out=ends[1:])
    sizes = np.fromiter(map(len, folded), dtype=np.int64, count=len(folded))
    begins = np.zeros(len(folded), dtype=np.int64)  # where each text begins in cp
    np.cumsum(sizes[:-1] + 1, out=begins[1:])
    out_begin = ends[np.searchsorted(starts, begins)].tolist()
    out_end = ends[np.searchsorted(starts, begins + sizes)].tolist()
    return [text[a:b - 1] if b > a else "" for a, b in zip(out_begin, out_end)]


def search_tokens_many(texts) -> list[str]:
    """[search_tokens(text) for text in texts], the same strings, in a few numpy passes over
    all the texts instead of Python work per run and per pair (5x less time on news bodies).
    A text whose lower-casing is not one character for one (İ, or a Σ that depends on its
    neighbours) goes through search_tokens itself."""
    out = [""] * len(texts)
    folded, where = [], []
    for n, text in enumerate(texts):
        if not isinstance(text, str):
            continue
        simple = simplified(text)
        lower = simple.lower()
        if len(lower) != len(simple) or _CAPITAL_SIGMA in simple:
            out[n] = search_tokens(text)
        elif lower:
            folded.append(lower)
            where.append(n)
    # in groups of about _GROUP_CHARS characters: the passes' arrays take ~60 bytes a character
    start = 0
    while start < len(folded):
        end, size = start + 1, len(folded[start])
        while end < len(folded) and size + len(folded[end]) <= _GROUP_CHARS:
            size += len(folded[end])
            end += 1
        for n, tokens in zip(where[start:end], _tokens_of_folded(folded[start:end])):
            out[n] = tokens
        start = end
    return out


def match_query(query) -> str | None:
    """A user's query -> an FTS5 MATCH expression (all terms must match), or None when it has
    no searchable term. Operators are never passed through: a query cannot break the SQL."""
    if not isinstance(query, str):
        return None
    terms = []
    for cjk, other in _RUNS.findall(simplified(query)):
        if len(cjk) > 1:
            terms.append('"' + " ".join(cjk[i:i + 2] for i in range(len(cjk) - 1)) + '"')
        else:
            terms.append('"' + (cjk or other.lower()) + '"')
    return " ".join(terms) or None


def query_terms(query) -> list[str]:
    """The words of a query as they are searched: folded to Simplified, letters lower-cased."""
    if not isinstance(query, str):
        return []
    return [cjk or other.lower() for cjk, other in _RUNS.findall(simplified(query))]


def _first_match(folded: str, terms) -> int:
    positions = [p for p in (folded.find(t) for t in terms) if p >= 0]
    return min(positions) if positions else -1


def excerpt(body, query, width=60) -> str | None:
    """The part of body around the first place one of the query's words occurs (the whole
    word, or else its first character), on one line; the body's start when none does."""
    if not isinstance(body, str):
        return None
    folded = simplified(body).lower()
    terms = query_terms(query)
    position = _first_match(folded, terms)
    if position < 0:
        position = _first_match(folded, [t[0] for t in terms])
    if position < 0:
        return body[:width * 2].replace("\n", " ")
    start = max(0, position - width)
    end = position + width
    return (("…" if start else "") + body[start:end].replace("\n", " ") + ("…" if end < len(body) else ""))


def highlight(text, query) -> Markup:
    """text, escaped, with every occurrence of the query's words (Traditional or Simplified)
    in <mark>: the search page's snippet."""
    if not isinstance(text, str):
        return Markup("")
    terms = sorted(set(query_terms(query)), key=len, reverse=True)
    folded = simplified(text).lower()
    if not terms:
        return escape(text)
    pattern = re.compile("|".join(re.escape(t) for t in terms))
    out, last = [], 0
    for match in pattern.finditer(folded):
        out.append(escape(text[last:match.start()]))
        out.append(Markup("<mark>") + escape(text[match.start():match.end()]) + Markup("</mark>"))
        last = match.end()
    out.append(escape(text[last:]))
    return Markup("").join(out)
