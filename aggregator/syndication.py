"""Syndicated coverage: exact and near-duplicate bodies, story clusters, pickups.

Pure functions (never raise on bad input):

    normalize_text(text) -> str            what gets fingerprinted
    content_hash(text) -> str | None       hex digest of normalize_text(text); None when empty
    normalize_body(text, title) -> (str, str)  normalize_text(text) and fingerprint()'s text, at once
    fingerprint(text, title=None) -> Fingerprint | None
    compare(a, b) -> Comparison            exact verification of two fingerprints
    compare_texts(a, b) -> Comparison | None
    shared_count(a, b) -> int              values two sorted arrays of distinct hashes share
    org_aliases(name) -> set[str]          generous spellings of an organisation's name
    credits_original(source, body, names) -> bool

(org_aliases and credits_original live in aggregator/syndication_credits.py) and the persistent
index the store drives, StoryIndex (aggregator/syndication_index.py); all are importable from here.

How two bodies are judged the same story
----------------------------------------
1. Both are normalized (Traditional -> Simplified with OpenCC, full-width -> half-width,
   credit lines / editor's notes / navigation boilerplate dropped, whitespace and punctuation
   folded) and cut into character 5-gram shingles.
2. Candidates come from LSH bands of a one-permutation MinHash signature, stored in SQLite.
3. Each candidate is verified exactly on the shingles: the smaller body must be mostly contained
   in the larger one (containment, not Jaccard: a copy holding the first 60% of the original or
   the original plus an editor's lead is the same story), and the two bodies may differ only by
   *insertions and deletions* plus short *replacements*. Two notices built on one long template
   differ by a long replaced block (the slot holding each notice's own facts), or by replaced
   digits (a different date, count or phone number): they are not the same story.
"""
from __future__ import annotations

import bisect
import hashlib
import re
import unicodedata
from dataclasses import dataclass
from functools import cached_property

import numpy as np
from opencc import OpenCC

__all__ = [
    "normalize_text", "content_hash", "content_hash_normalized", "normalize_body",
    "fingerprint", "fingerprint_normalized", "fingerprints",
    "fingerprints_normalized", "signatures", "compare", "compare_texts",
    "shared_count", "Fingerprint", "Comparison", "SHINGLE", "MIN_CHARS",
]

SHINGLE = 5            # characters per shingle
MIN_CHARS = 40         # normalized bodies shorter than this only match exactly
MAX_CHARS = 200_000    # longer inputs are cut (10 MB of text must not stall the pipeline)

# --- Traditional -> Simplified, full-width -> half-width ------------------------------------------
_T2S = OpenCC("t2s")  # stateless, safe to share
_TABLE_SIZE = 0x30000
# Full-width letters and digits, folded with NFKC. unicodedata's NFKC over a whole body costs
# ~0.4 ms per 2,000 characters, mostly spent on CJK that it leaves alone; only these characters
# change what is fingerprinted (full-width punctuation and spaces are dropped anyway, and the
# credit patterns accept both widths).
_FULL_WIDTH = re.compile("[\uff10-\uff19\uff21-\uff3a\uff41-\uff5a]+")
# Code-point classes, looked up for a whole body at once with numpy (a regex scan for one
# character class costs ~15 us per 1,500 characters, the table ~5 us for all of them).
_WORDCHAR, _TRADITIONAL, _FULLWIDTH = 1, 2, 4
_CJK_RANGES = ((0x2E80, 0xA000), (0xF900, 0xFB00), (0x20000, 0x30000))


def _char_table() -> np.ndarray:
    """_WORDCHAR: what re's \\w keeps, minus "_". _TRADITIONAL: a character OpenCC's t2s
    changes (found by converting every CJK code point once, ~30 ms at import; most bodies hold
    none, and skipping OpenCC for them saves ~25 us per 1,500 characters). _FULLWIDTH: a
    full-width letter or digit."""
    table = np.zeros(_TABLE_SIZE + 1, dtype=np.uint8)
    table[[c for c in range(_TABLE_SIZE) if chr(c).isalnum()]] |= _WORDCHAR
    table[_TABLE_SIZE] = _WORDCHAR  # planes 3+ hold CJK extension ideographs
    for lo, hi in _CJK_RANGES:
        cps = range(lo, hi)
        out = _T2S.convert("\n".join(map(chr, cps))).split("\n")
        table[[c for c, o in zip(cps, out) if o != chr(c)]] |= _TRADITIONAL
    table[[c for c in range(0xFF00, 0xFF60) if _FULL_WIDTH.match(chr(c))]] |= _FULLWIDTH
    table.flags.writeable = False
    return table


_CLASS = _char_table()


def _classes(text: str) -> int:
    """The bitwise OR of the classes of text's characters."""
    cp = np.frombuffer(text.encode("utf-32-le", "replace"), dtype=np.uint32)
    # .take: fancy indexing costs 3x as much on a body
    return int(np.bitwise_or.reduce(_CLASS.take(np.minimum(cp, _TABLE_SIZE)))) if len(cp) else 0


def _to_half_width(m) -> str:
    return unicodedata.normalize("NFKC", m.group())


# --- boilerplate that must not count in a fingerprint ------------------------------------------
_CREDIT_LABELS = (
    "来源|稿源|文章来源|信息来源|新闻来源|消息来源|资料来源|图片来源|本文来源|转自|转载自|本文转自|"
    "原标题|原文标题|原文链接|原文地址|原载|编辑|责任编辑|责编|编审|编校|审核|审校|审稿|校对|终审|初审|复审|"
    "签发|作者|记者|通讯员|摄影|摄像|图片|图文|供稿|撰稿|文字|文图|文/图|图/文|文|图|发布时间|发布日期|"
    "发布者|发布人|点击数|点击量|浏览次数|阅读次数|阅读量|字号"
)
# a short line that is nothing but a credit / byline / meta line
_CREDIT_LINE = re.compile(
    rf"^[\[【(（]?\s*(?:{_CREDIT_LABELS})\s*[:：/／]\s*.{{0,60}}$")
# editor's notes and navigation, dropped whole
_NOTE_LINE = re.compile(r"^[\[【(（]?\s*(?:编者按|编者的话|编者注|编辑按|编后语|编后|按)\s*[\]】)）]?\s*[:：]")
_NAV_LINE = re.compile(
    r"(?:打印本页|打印此页|关闭窗口|关闭本页|上一篇|下一篇|推荐新闻|相关阅读|相关新闻|相关链接|延伸阅读|"
    r"分享到|扫一扫|返回顶部|收藏本页|字体[:：]?\s*[【\[]?\s*大|【\s*[大中小]\s*】|版权所有|免责声明|"
    r"本文转载自|转载请注明|原文链接|点击阅读原文|阅读原文)")
# inline credits: （来源：教育之江） (记者 张三 通讯员 李四) 本报讯 本网讯
_INLINE_CREDIT = re.compile(
    rf"[(（\[【]\s*(?:{_CREDIT_LABELS}|据)[^()（）\[\]【】\n]{{0,40}}[)）\]】]|"
    r"^(?:本报讯|本网讯|本台讯|本刊讯)\s*")
_TRAILING_CREDIT = re.compile(rf"[(（\[【]?(?:{_CREDIT_LABELS})\s*[:：]\s*\S{{1,30}}\s*$")
_NON_WORD = re.compile(r"[\W_]+")
_DIGITS = re.compile(r"\d+")


def _clean_str(text) -> str:
    if isinstance(text, bytes):
        text = text.decode("utf-8", "replace")
    if not isinstance(text, str) or not text:
        return ""
    if len(text) > MAX_CHARS:
        text = text[:MAX_CHARS]
    return text.replace("\x00", "")


def _simplified_half_width(text: str) -> str:
    classes = _classes(text)
    if classes & _TRADITIONAL:
        text = _T2S.convert(text)
    if classes & _FULLWIDTH:
        text = _FULL_WIDTH.sub(_to_half_width, text)
    return text


def fold(text) -> str:
    """Full-width -> half-width, Traditional -> Simplified, no whitespace: the light form used
    to look for names (credits), not for fingerprints. Converts character by character with
    OpenCC."""
    try:
        return re.sub(r"\s+", "", _simplified_half_width(_clean_str(text)))
    except Exception:
        return ""


def _content_lines(text: str):
    for line in text.splitlines():  # str.splitlines: ~10x faster than a regex split
        line = line.strip()
        if not line:
            continue
        if len(line) <= 80 and (_CREDIT_LINE.match(line) or _NAV_LINE.search(line)):
            continue
        if _NOTE_LINE.match(line):
            continue
        if "：" in line or ":" in line or "(" in line or "（" in line or "【" in line:
            line = _INLINE_CREDIT.sub("", line)
            m = _TRAILING_CREDIT.search(line, max(0, len(line) - 45))
            if m:
                line = line[:m.start()]
        elif line.startswith("本"):
            line = _INLINE_CREDIT.sub("", line)
        if line:
            yield line


def _normalize(text, title=None) -> str:
    return _normalize_both(text, title)[1]


def _normalize_both(text, title=None) -> tuple[str, str]:
    """(the body normalized, the body normalized without its first line when that repeats the
    title), from one pass over it: the two are the same text unless the title is printed again."""
    text = _simplified_half_width(_clean_str(text))
    lines = list(_content_lines(text))
    whole = _word_chars("\n".join(lines))
    if title and lines and len(lines[0]) <= 2 * len(title) + 40:  # else it is no headline
        t = _NON_WORD.sub("", fold(title)).lower()
        if t and _NON_WORD.sub("", lines[0]).lower() == t:
            # the headline printed again as the body's first line
            return whole, _word_chars("\n".join(lines[1:]))
    return whole, whole


def _word_chars(text: str) -> str:
    """Letters and digits only, lower-cased: _NON_WORD.sub("", text).lower() in a third of the
    time (a code-point table lookup in numpy instead of a regex scan)."""
    cp = np.frombuffer(text.encode("utf-32-le", "replace"), dtype=np.uint32)
    keep = cp[(_CLASS.take(np.minimum(cp, _TABLE_SIZE)) & _WORDCHAR).view(bool)]
    return keep.tobytes().decode("utf-32-le").lower()


def normalize_text(text) -> str:
    """The body as it is fingerprinted: Simplified, half-width, lower-case, no whitespace or
    punctuation, without credit lines, editor's notes and navigation boilerplate.
    Paragraph breaks are dropped too, so merged or split paragraphs do not matter."""
    try:
        return _normalize(text)
    except Exception:  # never raise on bad input
        return ""


def content_hash(text) -> str | None:
    """Hex digest of normalize_text(text); None when nothing is left to hash."""
    return content_hash_normalized(normalize_text(text))


def content_hash_normalized(norm) -> str | None:
    """content_hash() of text that is already normalize_text() output; None when empty."""
    if not norm or not isinstance(norm, str):
        return None
    return _digest(norm)


def normalize_body(text, title=None) -> tuple[str, str]:
    """(normalize_text(text), the text fingerprint(text, title) shingles) from one pass over the
    body: what the store hashes and what the story index fingerprints (fingerprints_normalized)
    differ only when the body's first line repeats the title. ("", "") on bad input."""
    try:
        return _normalize_both(text, title)
    except Exception:  # never raise on bad input
        return "", ""


def _digest(norm: str) -> str:
    """The content hash of a normalized text (content_hash, Fingerprint.digest)."""
    return hashlib.blake2b(norm.encode("utf-8"), digest_size=16).hexdigest()


# --- shingles and signatures --------------------------------------------------------------------
_M1 = np.uint32(0x9E3779B1)
_M2 = np.uint32(0x85EBCA77)
_M3 = np.uint32(0xC2B2AE3D)


def _mix32(h):
    h = h ^ (h >> np.uint32(16))
    h = h * _M2
    h = h ^ (h >> np.uint32(13))
    h = h * _M3
    return h ^ (h >> np.uint32(16))


def _window_hashes(cp: np.ndarray, k: int = SHINGLE) -> np.ndarray:
    """Stable 32-bit hash of every k-code-point window of cp (len(cp) - k + 1 of them)."""
    n = len(cp) - k + 1
    h = cp[:n] * _M1
    for j in range(1, k):
        h = (h ^ cp[j:j + n]) * _M1 + np.uint32(j)
    return _mix32(h)


def _shingle_hashes(norm: str, k: int = SHINGLE) -> np.ndarray:
    """Stable 32-bit hash of every k-character window, in text order (vectorized with numpy:
    hashing each window in Python would cost more than the whole rest of the lookup)."""
    cp = np.frombuffer(norm.encode("utf-32-le"), dtype=np.uint32)
    if len(cp) < k:
        return np.zeros(0, dtype=np.uint32)
    return _window_hashes(cp, k)


def _oph_signatures(unique: np.ndarray, doc: np.ndarray, docs: int, bins: int) -> np.ndarray:
    """One-permutation MinHash with optimal densification (Shrivastava 2017), for `docs` texts
    at once: unique holds each text's distinct shingle hashes, doc which text each belongs to.
    Returns a (docs, bins) uint32 array; a text with no shingle gets all 0xFFFFFFFF.

    Same collision probability as a `bins`-permutation MinHash at O(n) instead of O(n * bins):
    datasketch's MinHash costs ~1.5 ms per 1,500-character body here, this ~20 us for one
    text and a few us each for a batch."""
    sig = np.full(docs * bins, 0xFFFFFFFF, dtype=np.uint32)
    if len(unique) == 0:
        return sig.reshape(docs, bins)
    h = _mix32(unique ^ np.uint32(0x5BD1E995))
    which = ((h.astype(np.uint64) * np.uint64(bins)) >> np.uint64(32)).astype(np.intp)
    flat = doc.astype(np.intp) * bins + which
    np.minimum.at(sig, flat, h)
    filled = np.zeros(docs * bins, dtype=bool)
    filled[flat] = True
    empty = np.flatnonzero(~filled)
    if len(empty):
        row, col = np.divmod(empty, bins)
        src = np.full(len(empty), -1, dtype=np.intp)
        base = col.astype(np.uint32)
        for attempt in range(1, 256):
            todo = src < 0
            if not todo.any():
                break
            salt = np.uint32((attempt * 0x85EBCA77) & 0xFFFFFFFF)
            probe = (_mix32(base[todo] * _M1 + salt).astype(np.uint64)
                     * np.uint64(bins)) >> np.uint64(32)
            probe = row[todo] * bins + probe.astype(np.intp)
            hit = filled[probe]
            idx = np.flatnonzero(todo)[hit]
            src[idx] = probe[hit]
        if (src < 0).any():  # never seen; fall back to the text's first filled bin
            first = np.argmax(filled.reshape(docs, bins), axis=1)
            miss = src < 0
            src[miss] = row[miss] * bins + first[row[miss]]
        sig[empty] = sig[src]
    return sig.reshape(docs, bins)


def _oph_signature(unique_hashes: np.ndarray, bins: int) -> np.ndarray:
    """_oph_signatures of one text."""
    return _oph_signatures(unique_hashes, np.zeros(len(unique_hashes), dtype=np.intp), 1, bins)[0]


@dataclass(frozen=True)
class Fingerprint:
    norm: str                  # normalize_text() of the body
    digest: str                # content hash of norm
    hashes: np.ndarray         # shingle hashes in text order
    unique: np.ndarray         # sorted distinct shingle hashes

    # what exact verification reads of one text in every comparison, computed on the first
    # (numpy methods: the np.* wrappers cost ~1 us a call)
    @cached_property
    def _occurrences(self) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """(positions, once_at, once): per shingle in text order, its index in unique; per value
        of unique, the position of its only occurrence, or -1 when it occurs more than once;
        the positions of the shingles occurring once, in text order."""
        order = self.hashes.argsort()
        s = self.hashes[order]
        n = len(s)
        new = np.ones(n + 1, dtype=bool)
        np.not_equal(s[1:], s[:-1], out=new[1:n])
        positions = np.empty(n, dtype=np.int32)
        positions[order] = new[:n].cumsum() - 1
        once_at = np.full(len(self.unique), -1, dtype=np.int32)
        single = new[:-1] & new[1:]  # a first occurrence that is also the last
        once = order[single]
        once_at[positions[once]] = once
        once.sort()
        return positions, once_at, once

    @property
    def positions(self) -> np.ndarray:
        """Per shingle in text order: its index in unique (where a comparison marks the
        shingles both texts hold)."""
        return self._occurrences[0]

    @property
    def once_at(self) -> np.ndarray:
        """Per value of unique: the position of its only occurrence in the text, or -1."""
        return self._occurrences[1]

    @property
    def once(self) -> np.ndarray:
        """The positions of the shingles occurring exactly once in the text, in text order."""
        return self._occurrences[2]

    @cached_property
    def figures(self) -> frozenset:
        """The text's runs of digits."""
        return frozenset(_DIGITS.findall(self.norm))

    @property
    def indexable(self) -> bool:
        return len(self.norm) >= MIN_CHARS

    def signature(self, bins: int) -> np.ndarray:
        return _oph_signature(self.unique, bins)


def fingerprint(text, title=None) -> Fingerprint | None:
    """Normalized text and shingles of a body (its first line is dropped when it repeats the
    title); None when nothing is left."""
    try:
        norm = _normalize(text, title)
    except Exception:
        return None
    return fingerprint_normalized(norm)


def fingerprints(items) -> list:
    """[fingerprint(body, title) for body, title in items], with the numpy steps run once over
    all the texts (per-call overhead is most of their cost on one news-sized body)."""
    norms = []
    for body, title in items:
        try:
            norms.append(_normalize(body, title))
        except Exception:
            norms.append("")
    return fingerprints_normalized(norms)


def fingerprints_normalized(norms) -> list:
    """[fingerprint_normalized(n) for n in norms], the numpy steps run once over all of them."""
    out = [None] * len(norms)
    long_ = []
    for i, norm in enumerate(norms):
        if not norm or not isinstance(norm, str):
            continue
        if len(norm) < SHINGLE:
            out[i] = fingerprint_normalized(norm)
        else:
            long_.append(i)
    if not long_:
        return out
    texts = [norms[i] for i in long_]
    lengths = np.fromiter((len(t) for t in texts), dtype=np.intp, count=len(texts))
    cp = np.frombuffer("".join(texts).encode("utf-32-le"), dtype=np.uint32)
    every = _window_hashes(cp)  # windows across two texts are dropped below
    counts = lengths - SHINGLE + 1
    starts = np.concatenate([[0], np.cumsum(lengths)[:-1]])
    first = np.concatenate([[0], np.cumsum(counts)[:-1]])
    doc = np.repeat(np.arange(len(texts)), counts)
    hashes = every[np.repeat(starts - first, counts) + np.arange(len(doc))]
    # one sort for all texts: (text, hash) packed in 64 bits
    key = (doc.astype(np.uint64) << np.uint64(32)) | hashes.astype(np.uint64)
    key.sort()
    packed = _sorted_unique(key)
    unique = packed.astype(np.uint32)
    unique_counts = np.bincount((packed >> np.uint64(32)).astype(np.intp), minlength=len(texts))
    unique_first = np.concatenate([[0], np.cumsum(unique_counts)[:-1]])
    for n, i in enumerate(long_):
        norm = texts[n]
        h = hashes[first[n]:first[n] + counts[n]]
        u = unique[unique_first[n]:unique_first[n] + unique_counts[n]]
        out[i] = Fingerprint(norm, _digest(norm), h, u)
    return out


def signatures(fps, bins: int) -> list:
    """[fp.signature(bins) for fp in fps] in one pass (None stays None)."""
    present = [fp for fp in fps if fp is not None]
    if not present:
        return [None] * len(fps)
    unique = np.concatenate([fp.unique for fp in present])
    doc = np.repeat(np.arange(len(present)), [len(fp.unique) for fp in present])
    sig = iter(_oph_signatures(unique, doc, len(present), bins))
    return [next(sig) if fp is not None else None for fp in fps]


def fingerprint_normalized(norm: str) -> Fingerprint | None:
    """fingerprint() of text that is already normalize_text() output (a stored one)."""
    if not norm or not isinstance(norm, str):
        return None
    hashes = _shingle_hashes(norm)
    if len(hashes) == 0:  # shorter than one shingle: the whole text is its only shingle
        hashes = _mix32(np.frombuffer(norm.encode("utf-32-le"), dtype=np.uint32).sum(
            dtype=np.uint32, keepdims=True) ^ np.uint32(len(norm)))
    ordered = hashes.copy()
    ordered.sort()
    return Fingerprint(norm, _digest(norm), hashes, _sorted_unique(ordered))


def _sorted_unique(s: np.ndarray) -> np.ndarray:
    # np.unique does the same with ~10x the overhead on short arrays
    keep = np.empty(len(s), dtype=bool)
    keep[:1] = True
    np.not_equal(s[1:], s[:-1], out=keep[1:])
    return s[keep]


# --- exact verification -----------------------------------------------------------------------
# Two bodies are one story when they share their text: most of one of them (either direction)
# lies in long passages the other also holds, wherever those passages sit (paragraphs may be
# reordered). What surrounds the shared text is free: an editor's lead, a note, a cut tail, a
# credit line, furniture removed or replaced. What is not free is a *slot*: between two
# stretches of shared text, both bodies holding text of their own with other figures (the
# date, count or phone number of a notice built on one template), or one body's own text
# replaced by more than a few words of the other's.
MIN_CONTAINMENT = 0.6      # share of the smaller body's shingles found in the larger one
MIN_SHARED = 0.6           # share of a body's characters in passages the other also holds
MIN_PASSAGE = 12           # characters of a shared passage (a clause; a stock phrase is shorter)
MIN_SHARED_CHARS = 60      # characters in shared passages (one long common phrase is no copy)
MIN_JACCARD = 0.2          # a short notice quoted inside a long roundup is not a copy of it
MAX_REPLACED_RUN = 8       # characters of a slot: text of its own on both sides, other words
MAX_REPLACED_SHARE = 0.12  # all replaced characters / the smaller body's characters
MIN_SAME_CHARACTERS = 0.3  # share of characters two replaced blocks share when one rewords the other
MIN_REWORDED = 0.5         # share of character pairs two stretches share when one rewords the other
EDGE_SLOT = 16             # at an edge, a replacement this short on both sides is a slot
SLOT_CONTEXT = 8           # shared characters on each side of a slot
MAX_SLOT = 60              # characters of a slot (a longer new run is a passage of its own)
MIN_LEFT_OUT = 2           # slots holding facts the other body lacks (_facts_left_out): one
                           # may be a figure an editor dropped, two are another filling
MIN_ANCHOR_RUN = MIN_PASSAGE - SHINGLE + 1  # consecutive shared shingles that align two
                           # texts: a passage (a name both hold inside a new lead is none)


@dataclass(frozen=True)
class Comparison:
    same_story: bool
    containment: float     # |A ∩ B| / min(|A|, |B|) over distinct shingles
    jaccard: float
    coverage_a: float      # share of a's shingles found in b
    coverage_b: float      # share of b's shingles found in a
    replaced_run: int      # longest block of characters replaced (not inserted or deleted)
    replaced_chars: int
    digits_replaced: bool  # a replaced block changes a number
    shared: float = 0.0    # share of the better-covered body's characters in shared passages
    shared_chars: int = 0  # its characters in shared passages (runs of >= MIN_PASSAGE covered)
    passages: int = 0      # how many such passages (a run of consecutive shared sentences is one)
    names_replaced: bool = False  # a replaced block names another person, school or place
    facts_left_out: int = 0  # slots of one body holding figures or names the other lacks (the
                             # more of the two bodies' counts)

    @property
    def conflict(self) -> bool:
        """Most text shared but a slot differs (other figures, or other words between shared
        stretches): two notices on one template, never one story, whatever joins them."""
        return (self.digits_replaced or self.names_replaced or self.replaced_run > MAX_REPLACED_RUN
                or self.facts_left_out >= MIN_LEFT_OUT)

    @property
    def reason(self) -> str:
        """How the two bodies compare, in an editor's words."""
        if self.containment == 1.0 and self.jaccard == 1.0 and not self.shared_chars:
            return "same text"
        return (f"containment {self.containment:.2f}, {self.shared:.0%} of the text "
                f"({self.shared_chars} characters) in {self.passages} shared passage"
                + ("s" if self.passages != 1 else ""))


class _Cover:
    """One text's side of a comparison: which characters a shingle shared with the other text
    covers, as runs in text order: `runs` [(start, end)] of covered characters, `gaps`
    [(start, end)] of new ones (Python lists: a text has a few dozen runs, and a loop over
    them costs less than the numpy calls it would take)."""
    __slots__ = ("fp", "text", "mine", "theirs", "runs", "gaps")

    def __init__(self, fp: Fingerprint, mine: np.ndarray, theirs: np.ndarray):
        """mine, theirs: the indices in fp.unique and in the other's unique of the values both
        texts hold (_shared)."""
        self.fp, self.mine, self.theirs = fp, mine, theirs
        text = self.text = fp.norm
        n = len(text)
        shared = np.zeros(len(fp.unique), dtype=bool)
        shared[mine] = True
        # per shingle in text order, padded with one False on each side for the run edges
        flags = np.zeros(len(fp.hashes) + 2, dtype=bool)
        flags[1:-1] = shared[fp.positions]
        edges = np.not_equal(flags[1:], flags[:-1]).nonzero()[0].tolist()
        # the shingles i .. j-1 cover characters i .. j+3 (a text shorter than a shingle has
        # one, covering it all); runs that touch or overlap are one
        runs = []
        for start, end in zip(edges[0::2], edges[1::2]):
            end = min(end + SHINGLE - 1, n)
            if runs and start <= runs[-1][1]:
                runs[-1] = (runs[-1][0], end)
            else:
                runs.append((start, end))
        self.runs = runs
        gaps, prev = [], 0
        for start, end in runs:
            if start > prev:
                gaps.append((prev, start))
            prev = end
        if prev < n:
            gaps.append((prev, n))
        self.gaps = gaps

    @property
    def whole(self) -> bool:
        """Is every character covered?"""
        return not self.gaps

    def passages(self) -> tuple[int, int]:
        """(characters, count) of the runs of >= MIN_PASSAGE covered characters."""
        long_ = [e - s for s, e in self.runs if e - s >= MIN_PASSAGE]
        return sum(long_), len(long_)

    def _first_passage(self) -> int | None:
        """Index in runs of the first shared passage (a run of >= MIN_PASSAGE)."""
        return next((i for i, (s, e) in enumerate(self.runs) if e - s >= MIN_PASSAGE), None)

    def slots(self) -> list:
        """[(start, end)] of the runs of new characters *inside* shared text: after its first
        shared passage, between two runs of >= SLOT_CONTEXT shared characters, at most MAX_SLOT
        long (longer: a passage of its own)."""
        if self.whole:
            return []
        # shared text begins with the first shared passage: a stretch of the other's words
        # before it is a lead or furniture that happens to repeat a name
        first = self._first_passage()
        if first is None:
            return []
        runs = self.runs
        return [(runs[i][1], runs[i + 1][0]) for i in range(first, len(runs) - 1)
                if runs[i][1] - runs[i][0] >= SLOT_CONTEXT
                and runs[i + 1][1] - runs[i + 1][0] >= SLOT_CONTEXT
                and runs[i + 1][0] - runs[i][1] <= MAX_SLOT]

    def name_slots(self) -> set:
        """The names the text holds in the frame of shared text: a run of new characters
        shaped like a person's (a surname and one or two characters) or a place or
        organisation's name (_place; or ending with its suffix), after shared text and followed
        by >= SLOT_CONTEXT shared characters (镇海东湖中心小学|还把活动成果整理成校本教材). Two
        reports built on the same stock sentences hold their own schools and people there
        wherever the sentences sit; a copy keeps the original's."""
        if self.whole:
            return set()
        first = self._first_passage()
        if first is None:
            return set()
        text, runs, out = self.text, self.runs, set()
        # inside shared text: after the first shared passage (as slots()); the text's first
        # new run is a lead or furniture of its own, not a slot
        for i in range(first, len(runs) - 1):
            s, e = runs[i][1], runs[i + 1][0]
            if not 2 <= e - s <= 14 or runs[i + 1][1] - e < SLOT_CONTEXT:
                continue
            run = text[s:e]
            if ((e - s <= 3 and run[0] in _SURNAMES) or _NAME_END.search(run)
                    or _place(run, text[e - 1:e + 3])):
                out.add(run)
        return out

    def new_runs(self) -> list:
        """The text's runs of 2 to 8 new characters, longest first (a figure, a date or a short
        clause of its own)."""
        text = self.text
        runs = {text[s:e] for s, e in self.gaps if 2 <= e - s <= 8}
        return sorted(runs, key=len, reverse=True)

    def _gaps_in(self, start: int, end: int):
        """The gaps cut to text[start:end], as (start, end)."""
        gaps = self.gaps
        i = bisect.bisect_right(gaps, (start, len(self.text) + 1)) - 1
        for s, e in gaps[max(i, 0):]:
            if s >= end:
                break
            s, e = max(s, start), min(e, end)
            if s < e:
                yield s, e

    def chars(self, start: int, end: int) -> str:
        """The characters of text[start:end] that no shared shingle covers."""
        text = self.text
        return "".join(text[s:e] for s, e in self._gaps_in(start, end))

    def runs_in(self, start: int, end: int) -> list:
        """[(run, end)] for each run of new characters in text[start:end]: its characters, and
        its last one with the three after it."""
        text = self.text
        return [(text[s:e], text[e - 1:e + 3]) for s, e in self._gaps_in(start, end)]


def _digit_slots(text: str, slots: list) -> set:
    """The figures a text holds *inside* shared text (its _slots). Two notices built on one
    template have them (their own date or count inside the template's sentences) wherever the
    sentences sit; a copy's lead, note or cut tail is new text at an edge or between whole
    shared sentences, and a copy keeps the original's figures (a date moved to another clause
    is new text here, but the other body holds the same figure)."""
    return {d for s, e in slots for d in _DIGITS.findall(text[s:e])}


def _facts_left_out(text: str, slots: list, names: set, other: str,
                    other_digits: frozenset) -> int:
    """How many slots of text (its _slots and _name_slots) hold a figure or a name that the
    other text lacks altogether. A copy keeps the facts inside the sentences it shares, even
    when it cuts, rewords or reorders them; the text of one frame filled twice or left blank
    (two notices on one template, a form with its blanks, two reports built from the same
    stock sentences) holds its own facts in the frame's slots, and the other body has none.
    other_digits: the other text's runs of digits (Fingerprint.figures)."""
    # a slot holds a name or a figure with its unit; a longer run is a sentence the other left
    # out (a digest, a cut), between two chance repeats of a name
    left_out = {text[s:e] for s, e in slots if e - s <= EDGE_SLOT and (
                any(d not in other_digits for d in _DIGITS.findall(text[s:e]))
                or (_speaker(text[s:e], text[e:e + 2]) and text[s:e] not in other))}
    return len(left_out) + sum(1 for n in names if n not in other and n not in left_out)


# what follows a person's name in a news report (某某表示 / 告诉记者 / 介绍说)
_SPEECH = re.compile("说|表示|介绍|告诉|指出|坦言|认为|强调|谈到|透露|感慨")


def _speaker(run: str, after: str) -> bool:
    """Does a run end with a person's name (a surname and one or two characters) that a
    reporting verb follows (班主任魏红轩|表示)?"""
    return bool(_SPEECH.match(after)) and any(
        len(run) >= k and run[-k] in _SURNAMES for k in (2, 3))


def _shared(a: np.ndarray, b: np.ndarray):
    """Positions in a and in b of the values both hold; a and b sorted and distinct.
    Same answer as np.intersect1d(a, b, assume_unique=True, return_indices=True)[1:] at a
    fraction of its cost (a binary search instead of sorting both arrays again)."""
    if not len(a) or not len(b):
        empty = np.zeros(0, dtype=np.intp)
        return empty, empty
    pos = b.searchsorted(a)
    pos[pos == len(b)] = 0
    hit = b[pos] == a
    return np.flatnonzero(hit), pos[hit]


def shared_count(a: np.ndarray, b: np.ndarray) -> int:
    """How many values two sorted arrays of distinct values share."""
    return len(_shared(a, b)[0])


def _anchors(cov_a: _Cover, cov_b: _Cover):
    """Positions (in a, in b) of the shingles that align the two texts: runs of shingles
    occurring once in each text (as in patience diff) of >= MIN_ANCHOR_RUN, kept while they run
    forward in both. Computed from the shorter text's side, so compare(a, b) and compare(b, a)
    align alike."""
    a = cov_a.fp
    # per value of a: its position in b when it occurs once there, else -1
    in_b = np.full(len(a.unique), -1, dtype=np.int32)
    in_b[cov_a.mine] = cov_b.fp.once_at[cov_a.theirs]
    ia = a.once  # in text order, so ia comes out sorted
    jb = in_b[a.positions[ia]]
    keep = jb >= 0
    ia, jb = ia[keep], jb[keep]
    if len(ia):
        # a common 5-character phrase met by chance inside two different slots is no anchor
        cont = (np.diff(ia) == 1) & (np.diff(jb) == 1)
        run_id = np.concatenate([[0], np.cumsum(~cont)])
        keep = np.bincount(run_id)[run_id] >= MIN_ANCHOR_RUN
        ia, jb = ia[keep], jb[keep]
    if len(ia):
        keep = jb == np.maximum.accumulate(jb)
        ia, jb = ia[keep], jb[keep]
    return ia, jb


def _replacements(cov_a: _Cover, cov_b: _Cover):
    """Blocks where a and b both hold characters the other lacks, between the same anchors:
    [(a's new characters, b's new characters, at_edge, a's stretch, b's stretch)], each
    stretch (start, end) in its text between the anchors (_slot and _Cover.runs_in read them).

    A character is new when no shingle of the whole other text covers it (so a paragraph
    moved elsewhere is not new). New text on one side only is an insertion or deletion (an
    editor's lead, a cut tail), not a replacement. at_edge: the block lies before the first or
    after the last anchor (where leads, furniture and tails are)."""
    a, b = cov_a.fp, cov_b.fp
    if len(a.norm) > len(b.norm) or (len(a.norm) == len(b.norm) and a.digest > b.digest):
        return [(tb, ta, edge, gb, ga) for ta, tb, edge, ga, gb in _replacements(cov_b, cov_a)]
    ia, jb = _anchors(cov_a, cov_b)
    k = SHINGLE
    # the stretches lie before the first anchor, between two anchors (the first one's shingle
    # excluded) and after the last; only one holding characters on both sides can be a block
    if len(ia):
        inner = np.flatnonzero((np.diff(ia) > k) & (np.diff(jb) > k))
        stretches = ([(True, 0, int(ia[0]), 0, int(jb[0]))]
                     + [(False, s_a + k, e_a, s_b + k, e_b) for s_a, e_a, s_b, e_b in zip(
                         ia[inner].tolist(), ia[inner + 1].tolist(), jb[inner].tolist(),
                         jb[inner + 1].tolist())]
                     + [(True, int(ia[-1]) + k, len(a.norm), int(jb[-1]) + k, len(b.norm))])
    else:
        stretches = [(True, 0, len(a.norm), 0, len(b.norm))]
    blocks = []
    for edge, s_a, e_a, s_b, e_b in stretches:
        if s_a < e_a and s_b < e_b:
            ta = cov_a.chars(s_a, e_a)
            tb = cov_b.chars(s_b, e_b) if ta else ""
            if ta and tb:
                blocks.append((ta, tb, edge, (s_a, e_a), (s_b, e_b)))
    return blocks


def _slot(ta: str, tb: str, ga: str, gb: str) -> bool:
    """Is a replaced block (ta, tb: each side's new characters; ga, gb: each side's stretch
    between the anchors) a slot: both stretches are mostly new and are not one rewording the
    other (_reworded), as the slots of two notices built on one template hold their own facts?
    A paraphrased sentence shares most words with the one it rewords, and a sentence cut
    beside a small edit leaves the edited side mostly shared. (The cheaper tests first.)"""
    return (2 * len(ta) >= len(ga) and 2 * len(tb) >= len(gb)
            and not _same_characters(ta, tb) and not _reworded(ga, gb))


# Names in a replaced block. A copy keeps the original's names (an editor rewords, never renames
# the school); two notices on one template differ in them, even when every figure is the same.
# A place or organisation ends with one of these words (often shared by both names: 北仑区 /
# 镇海区, so it follows the new characters); a person's name is two or three characters after a
# common surname (the most frequent surnames, which cover most people).
_NAME_SUFFIXES = ("小学|中学|学校|幼儿园|学院|大学|教育局|教研室|研究院|中心|医院|公司|街道|社区|乡|镇|村|"
                  "县|区|市|省")
_NAME_SUFFIX = re.compile(f"(?:{_NAME_SUFFIXES})")
_NAME_END = re.compile(rf"[\u4e00-\u9fff]{{2,}}(?:{_NAME_SUFFIXES})$")
_SURNAMES = frozenset(
    "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁"
    "任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫"
    "孔向汤常温康施文牛樊葛邢安齐易乔伍庞颜倪庄聂章鲁岳翟殷詹申欧耿关兰焦俞左柳甘祝包宁尚符舒阮柯纪梅童"
    "凌毕单季裴霍涂成苗谷盛曲翁冉骆蓝路游辛靳管柴蒙鲍华喻祁蒲房滕屈饶解牟艾尤阳时穆农司卓古吉缪简车项连"
    "芦麦褚娄窦戚岑景党宫费卜冷晏席卫米柏宗瞿桂全佟应臧闵苟邬边卞姬师和仇栾隋商刁沙荣巫寇桑郎甄丛仲虞敖"
    "巩明佘池查麻苑迟邝")


def _person(run: str) -> set:
    """The (name, next character) readings of a run that opens with a person's name: a
    surname and one or two characters."""
    if not run or run[0] not in _SURNAMES:
        return set()
    return {(run[:k], run[k:k + 1]) for k in (2, 3) if len(run) >= k}


def _place(run: str, end: str) -> tuple | None:
    """(the name's last two characters, its suffix) of a run that is a place or organisation's
    name: its suffix begins in its last character (北仑城南实验小|学) or right after it, one
    character (北仑|区) or, after three or more characters, a longer one (城南实验|学校; 介绍|学校 is
    a verb before its object)."""
    if not 2 <= len(run) <= 12:
        return None
    m = _NAME_SUFFIX.match(end)
    if m:
        return run[-3:-1], m.group()
    m = _NAME_SUFFIX.match(end, 1)
    if m and (len(m.group()) == 1 or len(run) >= 3):
        return run[-2:], m.group()
    return None


def _other_names(runs_a: list, runs_b: list) -> bool:
    """Does a replaced block put other names in place of the other body's: a person's name
    followed by what follows the other's (曹燕怡|说 / 杨华|说), or a place or organisation of the
    same kind (桐乡|市 / 东阳|市), the two names sharing no character?"""
    names_b = [(sb, _person(sb), _place(sb, eb)) for sb, eb in runs_b]
    names_b = [n for n in names_b if n[1] or n[2]]
    if not names_b:
        return False
    for sa, ea in runs_a:
        persons_a, pa = _person(sa), _place(sa, ea)
        if not persons_a and not pa:
            continue  # neither a person's nor a place's name: nothing to put in place
        for sb, persons_b, pb in names_b:
            if not (persons_a and persons_b) and not (pa and pb):
                continue
            if _same_characters(sa, sb):
                continue  # one name spelled two ways, or a phrase reworded
            for na, after_a in persons_a:
                if any(after_a == after_b and not set(na) & set(nb) for nb, after_b in persons_b):
                    return True
            if pa and pb and pa[1] == pb[1] and not set(pa[0]) & set(pb[0]):
                return True
    return False


def _same_characters(x: str, y: str) -> bool:
    """Do two replaced blocks hold mostly the same characters (活动现场师生 / 主题活动当场老师和同学:
    a phrase reworded), unlike two names or two sentences of their own?"""
    cx, cy = set(x), set(y)
    return bool(cx and cy) and len(cx & cy) >= MIN_SAME_CHARACTERS * max(len(cx), len(cy))


def _reworded(x: str, y: str) -> bool:
    """Do most character pairs of the shorter stretch also occur in the longer one?"""
    if max(len(x), len(y)) <= _PAIRS_IN_PYTHON:
        bx = {x[i:i + 2] for i in range(len(x) - 1)}
        by = {y[i:i + 2] for i in range(len(y) - 1)}
        if not bx or not by:
            return False
        return len(bx & by) >= MIN_REWORDED * min(len(bx), len(by))
    bx, by = _pairs(x), _pairs(y)
    if not len(bx) or not len(by):
        return False
    return shared_count(bx, by) >= MIN_REWORDED * min(len(bx), len(by))


def _pairs(x: str) -> np.ndarray:
    """The distinct pairs of adjacent characters of x, sorted, each pair's two code points
    packed in 64 bits: the set of x[i:i + 2] that _reworded builds for a short stretch, ~5x
    faster to build past a few hundred characters."""
    cp = np.frombuffer(x.encode("utf-32-le"), dtype=np.uint32).astype(np.uint64)
    packed = (cp[:-1] << np.uint64(32)) | cp[1:]
    packed.sort()
    return _sorted_unique(packed)


# longer stretches: their character pairs counted with numpy (_pairs)
_PAIRS_IN_PYTHON = 64


def _unmoved(block: str, moved: list) -> str:
    """A replaced block without the pieces the other text holds as new runs of its own
    elsewhere: words moved within a sentence (4月7日，…参加 / …参加，4月7日), not replaced."""
    for run in moved:
        if run in block:
            block = block.replace(run, "", 1)
    return block


def compare(a: Fingerprint, b: Fingerprint) -> Comparison:
    """Exact comparison of two fingerprints (see the comment above MIN_CONTAINMENT)."""
    if a.digest == b.digest:
        return Comparison(True, 1.0, 1.0, 1.0, 1.0, 0, 0, False, 1.0, 0, 0)
    in_a, in_b = _shared(a.unique, b.unique)
    inter = len(in_a)
    na, nb = len(a.unique), len(b.unique)
    cov_a, cov_b = inter / na, inter / nb
    containment = inter / min(na, nb)
    jaccard = inter / (na + nb - inter)
    run = total = passages = shared_chars = 0
    shared = 0.0
    digits = names = False
    left_out = 0
    if containment >= MIN_CONTAINMENT and jaccard >= MIN_JACCARD:
        chars_a, chars_b = _Cover(a, in_a, in_b), _Cover(b, in_b, in_a)
        (pa, ca), (pb, cb) = chars_a.passages(), chars_b.passages()
        shared_a, shared_b = pa / len(a.norm), pb / len(b.norm)
        shared, shared_chars, passages = ((shared_a, pa, ca) if shared_a >= shared_b
                                          else (shared_b, pb, cb))
        # a body every character of which the other holds (a cut copy, the original beside a
        # copy with a lead of its own) replaces nothing: no block to look at
        replaced = [] if chars_a.whole or chars_b.whole else _replacements(chars_a, chars_b)
        if replaced:  # a clause moved within its sentence: its words are new on both sides
            moved_a, moved_b = chars_a.new_runs(), chars_b.new_runs()
        for ta, tb, edge, (s_a, e_a), (s_b, e_b) in replaced:
            sa, sb = _unmoved(ta, moved_b), _unmoved(tb, moved_a)
            if edge and max(len(sa), len(sb)) > EDGE_SLOT:
                continue  # a lead, furniture or a tail of one's own: free
            da, db = _DIGITS.findall(sa), _DIGITS.findall(sb)
            if da and db and set(da) != set(db) and max(len(sa), len(sb)) <= MAX_SLOT:
                # other figures in a slot: a date, a count, a phone number (longer blocks are
                # passages of their own, as where two copies cut other paragraphs)
                digits = True
            if not edge:
                # one body's own words in place of the other's; past a slot's length the longer
                # side is a passage of its own (an insertion, or the paragraphs a digest left
                # out) beside a small edit, and only what both sides replaced counts
                n = min(len(sa), len(sb))
                total += n
                longest = max(len(sa), len(sb))
                width = longest if longest <= MAX_SLOT else n
                # (whether it is a slot matters only when it would be the longest so far)
                if width > run and _slot(ta, tb, a.norm[s_a:e_a], b.norm[s_b:e_b]):
                    run = width
            if not names and _other_names(chars_a.runs_in(s_a, e_a), chars_b.runs_in(s_b, e_b)):
                names = True
        slots_a, slots_b = chars_a.slots(), chars_b.slots()
        names_a, names_b = chars_a.name_slots(), chars_b.name_slots()
        # each holds a figure of its own inside shared text that the other lacks
        if (not digits and slots_a and slots_b and _digit_slots(a.norm, slots_a) - b.figures
                and _digit_slots(b.norm, slots_b) - a.figures):
            digits = True
        # each holds a name of its own in the frame of shared text
        if (not names and any(n not in b.norm for n in names_a)
                and any(n not in a.norm for n in names_b)):
            names = True
        # one body holds facts in the frame of shared text that the other lacks altogether
        if slots_a or slots_b or names_a or names_b:
            left_out = max(_facts_left_out(a.norm, slots_a, names_a, b.norm, b.figures),
                           _facts_left_out(b.norm, slots_b, names_b, a.norm, a.figures))
    smaller = min(len(a.norm), len(b.norm))
    same = (a.indexable and b.indexable and containment >= MIN_CONTAINMENT
            and jaccard >= MIN_JACCARD and shared >= MIN_SHARED and shared_chars >= MIN_SHARED_CHARS
            and run <= MAX_REPLACED_RUN and total <= MAX_REPLACED_SHARE * smaller and not digits
            and not names and left_out < MIN_LEFT_OUT)
    return Comparison(bool(same), round(containment, 4), round(jaccard, 4), round(cov_a, 4),
                      round(cov_b, 4), int(run), int(total), digits, round(shared, 4),
                      int(shared_chars), int(passages), names, left_out)


def compare_texts(a, b) -> Comparison | None:
    """compare() on two raw bodies; None when either has no text."""
    fa, fb = fingerprint(a), fingerprint(b)
    if fa is None or fb is None:
        return None
    return compare(fa, fb)
