"""Chinese full-text search over SQLite FTS5.

SQLite's tokenizers see a run of Chinese characters as one word, so 教育 would never
match inside 区教育局. We index every Chinese character and every pair of adjacent
characters as tokens (unigrams + bigrams, the classic CJK approach), and turn a query
into the matching phrase: 教育局 -> "教育 育局". One- and two-character words (疫, 教育)
match exactly; longer words match as consecutive bigrams.
"""
from __future__ import annotations

import re

# CJK Unified Ideographs (+ extension A) and the compatibility block
_CJK = "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
_TOKENS = re.compile(rf"[{_CJK}]+|(?:(?![{_CJK}])[^\W_])+")


def _is_cjk(run: str) -> bool:
    return bool(re.match(rf"[{_CJK}]", run))


def search_tokens(text) -> str:
    """Text -> the space-separated tokens stored in the FTS index."""
    if not isinstance(text, str):
        return ""
    out = []
    for run in _TOKENS.findall(text):
        if _is_cjk(run):
            out.extend(run)
            out.extend(run[i:i + 2] for i in range(len(run) - 1))
        else:
            out.append(run.lower())
    return " ".join(out)


def match_query(query) -> str | None:
    """A user's query -> an FTS5 MATCH expression (all terms must match), or None when it has
    no searchable term. Operators are never passed through: a query cannot break the SQL."""
    if not isinstance(query, str):
        return None
    terms = []
    for run in _TOKENS.findall(query):
        if _is_cjk(run) and len(run) > 1:
            terms.append('"' + " ".join(run[i:i + 2] for i in range(len(run) - 1)) + '"')
        else:
            terms.append('"' + run.lower() + '"')
    return " ".join(terms) or None


def excerpt(body, query, width=60) -> str | None:
    """The part of body around the first occurrence of the query's first term."""
    if not isinstance(body, str):
        return None
    terms = _TOKENS.findall(query or "")
    position = body.find(terms[0]) if terms else -1
    if position < 0:
        return body[:width * 2]
    start = max(0, position - width)
    return ("…" if start else "") + body[start:position + width].replace("\n", " ") + "…"
