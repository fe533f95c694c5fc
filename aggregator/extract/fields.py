"""Publication date, people and source of one page, strongest signal first.

The interface the rest of the code uses:

    extract_fields(tree, *, url, meta, body_node=None, body_text="", byline_lines=(),
                   title_node=None, fetched_at=None, model=None, listing_date=None) -> dict

    tree          the lxml.html tree of the page
    meta          read_meta(tree) (aggregator.extract.meta)
    body_node     the element the body was taken from, or None
    body_text     the cleaned body, paragraphs separated by "\n"
    byline_lines  lines the body extractor/cleaner moved out of the body
                  ("作者:杨阳", "编辑:杨阳 来源:投稿 发布时间:2021-06-30 13:06:00")
    title_node    the headline element, or None
    fetched_at    aware datetime of the fetch (for "3小时前"), or None
    model         the page model (aggregator.extract.page.walk) of the tree; walked here if None
    listing_date  the date the listing printed beside the link to this page, or None

    returns {"published_at", "published_raw", "published_precision", "published_signal",
             "people": [{"name","role","label"}], "people_signal", "byline_raw",
             "source", "source_raw", "source_signal"}  (values None / [] when not found)

Every signal is one small function over the page model; the areas they read (the byline
block around the headline, the body's lead and closing lines) are found once (_areas).
The headline's line is the title finder's node unless the page's own titles (meta, <title>)
point more clearly at another line: a wrong node does not move the byline block.

Dates, in tiers (the first tier with a value decides, see _date_tiers and _pick_date):
1. the page's own declaration and print: the government PubDate tag and OpenGraph/JSON-LD,
   the byline lines (a publication label wins over an update label on the same line), a
   bare date line by the headline (not the header's clock, not a related list's item);
   within the tier a head stamp the byline shows at another time (within a day) gives way
   to the displayed time, and a day-only value borrows a same-day time;
2. a publication label elsewhere on the page; 3. the listing's date; 4. the URL's date;
5. the meta update stamp; 6. any date near the headline. A date inside the body ("6月23日")
is never the publication date; an explicit offset is kept, a bare time is China time.

People: every credit of the byline lines, the body's lead ("本报讯（记者王明、李华）") and its
closing credit ("……。（记者 王明）"); the author meta tag, then bare names under the headline
(an essay's layout), only when none of those names an author. A 责任编辑/编辑 stays an
editor even when nobody else is credited: the editor answers for publishing the copy, not
for writing it (the copy's origin is in `source`). Source: ContentSource, a byline's 来源,
a closing 来源 line.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import timedelta, timezone
from itertools import compress, count, islice, repeat
from operator import contains

from aggregator.bylines import (AUTHOR_ROLES, DATE_LABELS, UPDATE_LABELS, Byline, Person, looks_like_person,
                                parse_byline, parse_lead, parse_tail)
from aggregator.dates import CHINA_TZ, date_from_url, day_order_ambiguous, is_clock_text, parse_date
from aggregator.extract.body import text_content
from aggregator.extract.meta import meta_signal
from aggregator.extract.page import page_root, walk
from aggregator.extract.posts import blog_owner, panel_poster

EMPTY = {
    "published_at": None, "published_raw": None, "published_precision": None, "published_signal": None,
    "people": [], "people_signal": None, "byline_raw": None,
    "source": None, "source_raw": None, "source_signal": None,
}

_META_PUBLISHED = ("pubdate", "publishdate", "article:published_time", "og:article:published_time",
                   "datepublished", "og:release_date", "publish_time", "publishtime", "dc.date.issued",
                   "dcterms.issued", "dc.date", "weibo:article:create_at", "sailthru.date", "parsely-pub-date",
                   "release_date", "firstpublishedtime", "date")
_META_UPDATED = ("dateupdate", "article:modified_time", "og:updated_time", "datemodified", "lastmodified",
                 "last-modified")
_META_SOURCE = ("contentsource", "source", "og:article:source", "article:source", "citation_publisher")
_META_AUTHOR = ("author", "article:author", "og:article:author", "dc.creator", "citation_author")

_LONG = 120          # a line this long is prose, not a byline
_WINDOW = 14         # lines after the headline searched for the byline block
_STOP_LINE = re.compile(r"^(?:相关(?:新闻|阅读|文章|链接|推荐)|推荐(?:新闻|阅读)|上一篇|下一篇|热点|猜你喜欢|"
                        r"网友评论|发表评论|精彩推荐|Copyright|版权所有|©)")
_DATE_LABEL_RE = re.compile(
    r"(?:(?<![\u4e00-\u9fff])(?:时间|日期)|" + "|".join(sorted(map(re.escape, (d for d in DATE_LABELS if d not in ("时间", "日期"))), key=len, reverse=True))
    + r")\s*[:：]?\s*(?=[0-9０-９〇一二])")
# a word one of which every match of _DATE_LABEL_RE or _POSTED_AT holds, as a plain alternation
# (scanned by its first characters; the lookbehind in _DATE_LABEL_RE makes it try every label at
# every position): most lines hold none
_DATE_LABEL_HINT = re.compile("|".join(["由", *map(re.escape, sorted({"时间", "日期", *DATE_LABELS}, key=len, reverse=True))]))


def _shortest_words(words) -> tuple:
    """The `words` that hold no other of them ("发布时间" holds "时间"): a text holds one of `words`
    exactly when it holds one of these."""
    return tuple(sorted(w for w in words if not any(o != w and o in w for o in words)))


# every match of _DATE_LABEL_RE holds one of its labels' shortest words; a match of
# _DATE_LABEL_HINT holds one of them or 由 (no label holds 由, none is inside it)
_LABEL_WORDS = _shortest_words({"时间", "日期", *DATE_LABELS})
_DATE_LABEL_WORDS = ("由", *_LABEL_WORDS)
_UPDATE_LABEL = re.compile(r"更新(?:时间|日期|于)")
_TITLE_SPLIT = re.compile(r"\s*(?:[_|｜]|--|—|\s-\s)\s*")


def _squeeze(text) -> str:
    return "".join(text.split()) if text else ""


def _title_candidates(meta, first_title) -> list[str]:
    """The page's titles (meta, then `first_title`, its first <title> element or None), each
    also split at a site name's separator: the squeezed parts of 4 characters or more."""
    cands = []
    for key in ("articletitle", "og:title", "twitter:title", "title"):
        value = meta.get(key)
        if isinstance(value, str) and value.strip():
            cands.append(re.sub(r"<[^>]+>", "", value))
    if first_title is not None:
        cands.append(text_content(first_title))
    out = []
    for c in cands:
        for part in [c] + _TITLE_SPLIT.split(c):
            s = _squeeze(part)
            if len(s) >= 4 and s not in out:
                out.append(s)
    return out


def _first_title(root):
    """The document's first <title>, looked for child by child of the root: lxml's iterator
    reads on to the next match before it hands over the first one, and within <head> that
    costs the head, not the whole page."""
    if root.tag == "title":
        return root
    for child in root:
        found = next(child.iter("title"), None)
        if found is not None:
            return found
    return None


def _title_match(s: str, c: str) -> int:
    """2: the line is the title (give or take a suffix); 1: one holds most of the other; 0: no."""
    if s == c or (s.startswith(c) and len(s) - len(c) <= 6) or (c.startswith(s) and len(s) >= 0.7 * len(c)):
        return 2
    if len(s) >= 6 and ((s in c and len(s) >= 0.5 * len(c)) or (c in s and len(s) <= len(c) + 24)):
        return 1
    return 0


def _headline_index(lines, starts, first_title, meta, title_node, texts=None):
    """The line of the headline. The title extractor's node is trusted unless the page's own
    titles (meta, <title>: `first_title`) point more clearly at another line: a wrong node (a
    site's name, a sidebar heading) must not move the byline window."""
    cands = _title_candidates(meta, first_title)
    own = _search_headline(lines, cands, texts)
    given = starts.get(title_node) if title_node is not None else None
    if given is None or given >= len(lines):
        return own[-1] if own else None
    s = _squeeze(lines[given].text)
    if not s or len(s) > 200:
        return own[-1] if own and own[0] >= 2 else given
    key = max(((m + (2 if lines[given].tag in ("h1", "h2", "h3") else 0), len(c))
               for c in cands for m in (_title_match(s, c),) if m), default=None)
    if own is not None and own[-1] == given:
        return given
    if key is None:
        # the node matches no title (a blog's <title> is often the blog's name): kept unless it
        # is navigation or a single word
        if len(s) >= 4 and not _NAV_TEXT.search(s):
            return given
        return own[-1] if own else None
    return own[-1] if own is not None and own[:2] > key else given


_NAV_TEXT = re.compile(r"首页|返回|登录|注册|导航|当前位置|您的位置|\|")


def _search_headline(lines, cands, texts=None):
    """(score, length matched, line index) of the line that best matches the page's titles,
    or the first h1; None.

    A longer title wins over a shorter one: "某某晚报" split off "标题-某某晚报" is the
    site's name, printed in its header before the headline."""
    best = None  # (score, length of the title matched, index)
    longest = max((len(c) for c in cands), default=0)
    for i in _title_lines([ln.text for ln in lines] if texts is None else texts, cands):
        line = lines[i]
        s = line.text.replace(" ", "")
        for c in cands:
            match = _title_match(s, c)
            if match:
                key = (match + (2 if line.tag in ("h1", "h2", "h3") else 0), len(c))
                if best is None or key > best[:2]:
                    best = (*key, i)
                break
        if best and best[0] >= 4 and best[1] >= min(longest, 12):
            break
    if best:
        return best
    for i, line in enumerate(lines):
        if line.tag == "h1":
            return 0, 0, i
    return None


def _title_lines(texts, cands) -> list[int]:
    """The lines (1-200 characters, spaces squeezed out) that may match one of the titles, in
    order: _title_match is 0 unless one holds the other. A line inside a title is inside the
    titles joined by NULs (each line searched for by a call of operator.contains, cheaper than
    one of a bound method's wrapper); a title inside a line is found by one search of the page's
    lines joined the same way (a title holds no NUL, so an occurrence lies within one line)."""
    if not cands:
        return []
    page = "\0".join(texts).replace(" ", "")  # a line's whitespace is folded to single spaces
    squeezed = page.split("\0")
    if len(squeezed) != len(texts) or any("\0" in c for c in cands):  # a NUL in a line or a title
        squeezed = [t.replace(" ", "") for t in texts]
        return [i for i, s in enumerate(squeezed) if 0 < len(s) <= 200]
    titles = "\0".join(cands)
    hits = set(compress(count(), map(contains, repeat(titles), squeezed)))
    for c in cands:
        at = page.find(c)
        while at >= 0:
            hits.add(page.count("\0", 0, at))
            at = page.find(c, at + 1)
    return sorted(i for i in hits if 0 < len(squeezed[i]) <= 200)


def _bare_headline(lines) -> int | None:
    """No title, no heading, no date (a bare essay page): a short line right above the prose."""
    for i, line in enumerate(lines[:200]):
        if line.link or len(line.text) > 60 or _SENTENCE.search(line.text):
            continue
        if any(len(n.text) >= 30 and _SENTENCE.search(n.text) for n in lines[i + 1:i + 5]):
            return i
    return None


_YEAR_PART = re.compile(r"^(?:19|20)\d{2}\s*年?$")
_MONTH_DAY_PART = re.compile(r"^\d{1,2}\s*[-/.月]\s*\d{1,2}\s*日?$")
_CLOCK_PART = re.compile(r"^\d{1,2}:\d{2}(?::\d{2})?$")


_WEEKDAY_PART = re.compile(r"^(?:星期|周|礼拜)[一二三四五六日天]$")
_DATE_PART = re.compile(r"(?:19|20)\d{2}\s*[-/.年]\s*\d{1,2}\s*[-/.月]\s*\d{1,2}")


def _merge_date_parts(texts: list[str]) -> list[str]:
    """'2019' + '09/07' + '19:02' (a date set in separate boxes) -> '2019/09/07 19:02'; a bare
    weekday in its own box beside a date ('2026年12月1日' + '星期二', as a header's clock
    widget sets it in two spans or cells) joins it, so the clock reads as one."""
    out: list[str] = []
    i = 0
    while i < len(texts):
        t = texts[i].strip()
        if _WEEKDAY_PART.match(t) and i + 1 < len(texts) and _DATE_PART.search(texts[i + 1]):
            out.append(texts[i + 1] + " " + t)
            i += 2
            continue
        if _DATE_PART.search(t) and i + 1 < len(texts) and _WEEKDAY_PART.match(texts[i + 1].strip()):
            out.append(texts[i] + " " + texts[i + 1].strip())
            i += 2
            continue
        if _YEAR_PART.match(t) and i + 1 < len(texts) and _MONTH_DAY_PART.match(texts[i + 1].strip()):
            md = texts[i + 1].strip()
            joined = t.rstrip("年").strip() + ("年" if "月" in md else "/") + md
            i += 2
            if i < len(texts) and _CLOCK_PART.match(texts[i].strip()):
                joined += " " + texts[i].strip()
                i += 1
            out.append(joined)
            continue
        out.append(texts[i])
        i += 1
    return out


_OPEN_LABEL = re.compile(r"[:：]\s*$")
_OPEN_BY = re.compile(r"\bby\s*$", re.I)
_POSTED_WORD = re.compile(r"(?:发表于|发布于|posted)", re.I)


def _opens_label(line: str) -> bool:
    """_OPEN_LABEL or _OPEN_BY finds its end in `line`: a colon, or "by", then only whitespace.
    Both end in \\s*$, so the last character that is no whitespace (str.rstrip and \\s strip the
    same characters) decides: a colon is _OPEN_LABEL's match; only a "y" or "Y" (the characters
    that match y ignoring case) can end _OPEN_BY's, which is searched for then."""
    last = line.rstrip()[-1:]
    if last in (":", "："):
        return True
    return last in ("y", "Y") and _OPEN_BY.search(line) is not None


def _merge_label_lines(texts: list[str]) -> list[str]:
    """'作者：' + '小草青青' (label and value in separate cells) -> '作者：小草青青'; a date set in
    separate boxes ('2019', '09/07', '19:02') -> one line."""
    out: list[str] = []
    for t in _merge_date_parts(texts):
        if out and len(out[-1]) < 80 and (_opens_label(out[-1]) or _POSTED_WORD.match(t)):
            out[-1] = out[-1] + " " + t
        else:
            out.append(t)
    return out


def _set_date(out, parsed, raw, signal):
    out.update(published_at=parsed.iso, published_raw=(raw or "")[:200], published_precision=parsed.precision,
               published_signal=signal)


_RANK = {"year": 0, "month": 1, "day": 2, "minute": 3, "second": 4}


def extract_fields(tree, *, url, meta, body_node=None, body_text="", byline_lines=(),
                   title_node=None, fetched_at=None, model=None, listing_date=None):
    """Publication date, people and source of a page. `model`: the page model of `tree`
    (aggregator.extract.page.walk), walked here when not given; `listing_date`: the date the
    listing printed beside the link, if any."""
    out = dict(EMPTY)
    out["people"] = []
    if tree is None:
        return out
    _extract(out, tree, url=url, meta=meta or {}, body_node=body_node, body_text=body_text or "",
             byline_lines=byline_lines or (), title_node=title_node, fetched_at=fetched_at,
             model=model if model is not None else walk(page_root(tree)), listing_date=listing_date)
    return out


@dataclass
class _Areas:
    """The parts of the page model the signals read, found once from the headline."""
    texts: list            # every line of the page
    h: int | None          # the headline's line
    window: list           # short lines around the headline: the byline block
    date_window: list      # the same without other articles' list items (see _listed)
    below: frozenset       # the window's lines under the headline
    region_start: int      # the first line after the headline (or the date anchor)
    title_text: str        # the headline, spaces squeezed out
    near_title: list       # the lines right under the headline
    leads: list            # the body's first paragraphs
    closing: list          # the body's last lines, then the lines right after the body
    n_inside: int          # how many of `closing` are the body's own
    body: list = ()        # the body's lines
    body_end: int | None = None   # the line past the body's last, when the body is an element of the page
    first_title: object = None    # the page's first <title> element (_first_title), or None


def _areas(model, root, meta, title_node, body_node, body_text) -> _Areas:
    lines, starts, ends, texts = model.lines, model.starts, model.ends, model.texts
    # read by the headline's titles and by a blog's owner
    first_title = _first_title(root) if root is not None else None
    h = _headline_index(lines, starts, first_title, meta, title_node, texts) if lines else None
    anchor = _date_anchor(lines) if h is None else None
    if h is None and anchor is None and lines:
        h = _bare_headline(lines)
    if h is not None:
        after = []
        for ln in lines[h + 1:h + 1 + _WINDOW]:
            if len(ln.text) >= _LONG and after:
                break
            if not ln.link and not _is_prose(ln.text):
                after.append(ln)
        window = [ln for ln in lines[max(0, h - 3):h] if not ln.link and not _is_prose(ln.text)] + after
        region_start = h + 1
        below = frozenset(ln.text for ln in after)
    else:
        window = [ln for ln in lines[max(0, anchor - 3):anchor + 4]
                  if not ln.link and not _is_prose(ln.text)] if anchor is not None else []
        region_start = anchor + 1 if anchor is not None else 0
        below = frozenset()
    tail_lines = []
    b1 = None
    if body_node is not None and body_node in starts:
        b0, b1 = starts[body_node], ends.get(body_node, starts[body_node])
        body_lines = texts[b0:b1]
        tail_lines = texts[b1:b1 + 8]
    else:
        body_lines = [p for p in body_text.split("\n") if p.strip()] if body_text else []
        if not body_lines:
            for t in texts[region_start:region_start + 400]:
                if _STOP_LINE.search(t):
                    break
                body_lines.append(t)
    closing = body_lines[-12:] + tail_lines
    merged = _merge_label_lines([ln.text for ln in window])
    unlisted = [ln.text for ln in window if not _listed(ln)]
    # the same lines merge to the same lines: without list items to leave out, one merge serves both
    date_window = list(merged) if len(unlisted) == len(window) else _merge_label_lines(unlisted)
    return _Areas(texts=texts, h=h, window=merged, date_window=date_window,
                  below=below,
                  region_start=region_start,
                  title_text=_squeeze(texts[h]) if h is not None else "",
                  near_title=[ln.text for ln in lines[h + 1:h + 5] if not ln.link] if h is not None else [],
                  leads=list(islice((p for p in body_lines if len(p) >= 12), 3)), closing=closing,
                  n_inside=len(closing) - len(tail_lines), body=body_lines, body_end=b1, first_title=first_title)


def _listed(line) -> bool:
    """A list item holding a link: "<li><a>另一篇</a> 2021-06-30</li>" in a related-news list
    under the headline; its date is the other article's. (A portal's date line with a link to
    its source, "2021-06-30 09:15 <a>某某日报</a>", is no list item.)"""
    return line.linked and line.tag in ("li", "dd", "dt")


def _bylines(byline_lines, window):
    """[(Byline, raw line, signal)]: the lines the cleaner moved out of the body ("byline"), then
    the byline block around the headline ("byline-block"), and the labels that block used."""
    bylines = []
    for line in byline_lines:
        b = parse_byline(line) if isinstance(line, str) else None
        if b:
            bylines.append((b, line, "byline"))
    seen_labels: set = set()
    for line in window:
        b = parse_byline(line)
        if b:
            # a sidebar or the next item repeating a label ("作者：") does not add people
            labels = {p.label for p in b.people}
            b.people = [p for p in b.people if p.label not in seen_labels]
            seen_labels |= labels
            bylines.append((b, line, "byline-block"))
    return bylines, seen_labels


@dataclass(frozen=True)
class _When:
    """What a yearless or relative date needs: the fetch time, the page's year, its last update."""
    now: object = None
    page_year: int | None = None
    latest: object = None


# --- date signals: each one (parsed, raw text, signal) or None ------------------------------

def _first_meta_date(meta, keys, now):
    """The first of these meta tags that holds a date (a tag the page lacks holds none)."""
    for key in keys:
        if key not in meta:
            continue
        parsed = parse_date(meta[key], now=now)
        if parsed:
            return parsed, meta[key], meta_signal(meta, key)
    return None


def _meta_date(meta, now):
    """The government PubDate tag, OpenGraph's article:published_time and their kin."""
    return _first_meta_date(meta, _META_PUBLISHED, now)


def _jsonld_date(meta, now):
    for obj in meta.get("@jsonld") or ():
        if isinstance(obj, dict) and isinstance(obj.get("datePublished"), str):
            parsed = parse_date(obj["datePublished"], now=now)
            if parsed:
                return parsed, obj["datePublished"], "jsonld:datePublished"
    return None


def _byline_dates(bylines, when, declared=None):
    """The dates the byline lines print after a publication label (never an update label's).
    A "06/02/2022" whose day order the line leaves open is read the way the page's declared
    date (meta, JSON-LD: `declared`) agrees with, as templates made for day-first locales print it."""
    return [cand for cand, _label in _byline_date_entries(bylines, when, declared)]


def _byline_date_entries(bylines, when, declared=None):
    """[((parsed, raw, signal), label)] behind _byline_dates; `label` is the date's own label
    ("发布时间"), None where the line prints the date bare or after a label that is not one."""
    out = []
    for b, _line, signal in bylines:
        if b.date_text and b.date_label not in UPDATE_LABELS:
            parsed = _page_date(b.date_text, now=when.now, page_year=when.page_year, latest=when.latest)
            if parsed and declared is not None and day_order_ambiguous(b.date_text):
                parsed = _day_order_of(parsed, parse_date(b.date_text, now=when.now, day_first=True), declared)
            if parsed:
                out.append(((parsed, b.date_text, signal), b.date_label))
    return out


def _shown_date(entries, nearby, below):
    """The publication date the page prints by its headline, to the day at least: the first byline
    date after a publication label ("发布时间：", "日期："), else, when no byline prints a date, a
    bare date line under the headline ("2024年12月07日 08时01分"). `nearby`: _headline_area_date's
    find in the date window (read when no byline prints a date), which tries the lines under the
    headline (`below`) first: a find among them is the first date line under it."""
    for cand, label in entries:
        if label is not None and _RANK[cand[0].precision] >= _RANK["day"]:
            return cand
    if entries or nearby is None or nearby[1] not in below:
        return None
    return nearby if _RANK[nearby[0].precision] >= _RANK["day"] else None


def _restamped(declared, shown) -> bool:
    """The head's stamp (meta, JSON-LD) and the date the page prints are more than a day apart:
    the record was re-published or edited after the fact (a site migration, a correction) and its
    PubDate holds that later stamp, while the page still prints the publication date. Seen on
    provincial and city government sites (TRS WCM, Hanweb, the Sichuan and Beijing portals): a
    2009 or 2021 article whose PubDate says 2023, a news item stamped four days after its date line."""
    return declared is not None and shown is not None and abs(shown[0].value - declared[0].value) > timedelta(days=1)


def _day_order_of(month_first, day_first, declared):
    """The reading of an ambiguous "NN/NN/YYYY" within a day of the declared date, else month first."""
    def near(p):
        return p is not None and abs((p.value.date() - declared.value.date()).days) <= 1
    return day_first if near(day_first) and not near(month_first) else month_first


def _headline_area_date(window, when, below=frozenset()):
    """A bare date line next to the headline ("2022年02月13日"), to the month at least. Under the
    headline (`below`) a weekday does not make it the header's clock ("2022年2月13日 星期日" as a
    newspaper page prints its date): the clock stands in the header, above."""
    for line in _nearest_first(window, below):
        if not _is_date_line(line, weekday_ok=line in below) or _UPDATE_LABEL.search(line):
            continue
        parsed = _page_date(line, now=when.now, page_year=when.page_year)
        if parsed and _RANK[parsed.precision] >= _RANK["month"]:
            return parsed, line, "byline-block"
    return None


def _nearest_first(window, below):
    """The window's lines under the headline in order, then those above it from the nearest up:
    a page's header (its "today" clock, a site's date widget) stands further above the headline
    than the article's own date line."""
    under = [line for line in window if line in below]
    above = [line for line in window if line not in below]
    return under + above[::-1]


def _labelled_date_below(areas, when):
    """A publication label further from the headline ("发布时间：…" under the body, or above it).
    Only the lines holding one of the label words are read: _labelled_date gives None for the others."""
    texts, start = areas.texts, areas.region_start
    lines = texts[start:start + 600] + texts[:start]
    for t in _lines_holding(lines, _DATE_LABEL_WORDS):
        if len(t) > 160:
            continue
        raw = _labelled_date(t)
        if raw:
            parsed = _page_date(raw, now=when.now, page_year=when.page_year)
            if parsed and _RANK[parsed.precision] >= _RANK["day"]:
                return parsed, t, "labelled-date"
    return None


def _lines_holding(lines, words) -> list[str]:
    """The `lines` that hold one of the plain `words` (none of which holds a line break), in order.
    Each word is looked for in the lines joined by line breaks, from the line after its last find,
    not line by line: where no line holds a break of its own, a find lies within the line between
    the breaks around it."""
    joined = "\n".join(lines)
    if joined.count("\n") != len(lines) - 1:  # a line holds a break (or there are none)
        return [t for t in lines if any(w in t for w in words)]
    starts = set()
    for word in words:
        at = joined.find(word)
        while at >= 0:
            starts.add(joined.rfind("\n", 0, at) + 1)
            end = joined.find("\n", at)
            at = joined.find(word, end + 1) if end >= 0 else -1
    return [joined[start:end if end >= 0 else None]
            for start in sorted(starts) for end in (joined.find("\n", start),)]


def _listing_date(text, when):
    """The date the listing printed beside the link to this page."""
    parsed = parse_date(text, now=when.now) if isinstance(text, str) else None
    return (parsed, text, "listing") if parsed else None


def _updated_date(meta, now):
    return _first_meta_date(meta, _META_UPDATED, now)


def _any_window_date(window, when):
    """Any date in a short line near the headline that is not a header clock."""
    for line in window:
        if len(line) <= 80 and not is_clock_text(line):
            parsed = _page_date(line, now=when.now, page_year=when.page_year)
            if parsed:
                return parsed, line, "byline-block"
    return None


def _date_tiers(meta, areas, bylines, when, url, url_date, listing_date):
    """The date signals in tiers, strongest first: the first tier with a value decides.

    1. what the page itself declares or prints next to its headline: the meta tags, JSON-LD,
       the byline lines (a bare date line by the headline only when no byline has a date); the
       printed publication date first when the head's stamp is more than a day from it (_restamped);
    2. a publication label elsewhere on the page; 3. the listing's date beside the link;
    4. the URL's date; 5. the page's update stamp; 6. any date near the headline."""
    declared = [_meta_date(meta, when.now), _jsonld_date(meta, when.now)]
    anchor = next((d[0] for d in declared if d), None)
    entries = _byline_date_entries(bylines, when, anchor)
    printed = [cand for cand, _label in entries]
    first = [*declared, *printed]
    nearby = None
    if not printed:
        nearby = _headline_area_date(areas.date_window, when, areas.below)
        first.append(nearby)
    shown = _shown_date(entries, nearby, areas.below)
    if _restamped(next((d for d in declared if d), None), shown):
        first.insert(0, shown)
    yield first
    yield [_labelled_date_below(areas, when)]
    yield [_listing_date(listing_date, when)]
    yield [(url_date, url, "url") if url_date else None]
    yield [_updated_date(meta, when.now)]
    yield [_any_window_date(areas.date_window, when)]


_DECLARED = ("meta:", "jsonld:")


def _pick_date(cands):
    """The value of a tier (candidates in order of strength) and why:

    - a midnight stamp with seconds is a date-only field a CMS wrote as 00:00:00: a day;
    - a stamp in the head (meta, JSON-LD) that the byline shows at another time, within a day of
      it, gives way to the displayed time: the head's is often the record's creation time, made
      the evening before a morning's release (the same instant written with another offset is
      the same time, and the head's offset is kept);
    - a day-only value borrows the time a weaker signal printed for the same day."""
    best, raw, signal = cands[0]
    if best.precision == "second" and best.value.hour == best.value.minute == best.value.second == 0:
        best = type(best)(best.value, "day")
    if signal.startswith(_DECLARED) and _RANK[best.precision] > _RANK["day"]:
        for other, oraw, osignal in cands[1:]:
            if (osignal.startswith("byline") and _RANK[other.precision] > _RANK["day"]
                    and abs(other.value - best.value) <= timedelta(days=1)
                    and other.value.replace(second=0) != best.value.replace(second=0)):
                return _in_shown_zone(best, other), oraw, osignal
    if _RANK[best.precision] <= _RANK["day"]:
        for other, oraw, osignal in cands[1:]:
            if _RANK[other.precision] > _RANK[best.precision] and other.value.date() == best.value.date():
                return other, oraw, f"{signal}+{osignal}"
    return best, raw, signal


def _in_shown_zone(declared, shown):
    """The displayed time (bare, so read as China time) of a head stamp with an explicit offset
    other than China's: when both agree to the minute and differ by whole hours (or half hours),
    the page shows the same instant in its own zone (a foreign outlet's Chinese edition prints
    its home zone's time beside a UTC stamp), and that zone's offset is kept with the shown time."""
    offset = declared.value.utcoffset()
    if offset is None or offset == CHINA_TZ.utcoffset(None) or shown.value.utcoffset() != CHINA_TZ.utcoffset(None):
        return shown
    wall = shown.value.replace(tzinfo=None, second=0)
    utc = declared.value.astimezone(timezone.utc).replace(tzinfo=None, second=0, microsecond=0)
    delta = wall - utc
    if delta.total_seconds() % 1800 or abs(delta) > timedelta(hours=14) or delta == timedelta(hours=8):
        return shown
    return type(shown)(shown.value.replace(tzinfo=timezone(delta)), shown.precision)


def _published(meta, areas, bylines, *, url, fetched_at, listing_date):
    url_date = date_from_url(url)
    # a yearless byline date ("10-08 12:00") takes the URL's year, else the meta update stamp's
    # (and is never later than that update)
    updated = next((d for d in (parse_date(meta[k]) for k in _META_UPDATED if k in meta) if d), None)
    page_year = url_date.value.year if url_date else (updated.value.year if updated else None)
    when = _When(now=fetched_at, page_year=page_year, latest=updated if not url_date else None)
    for tier in _date_tiers(meta, areas, bylines, when, url, url_date, listing_date):
        cands = [c for c in tier if c]
        if cands:
            return _pick_date(cands)
    return None


# --- people signals ----------------------------------------------------------------------------

class _People:
    """People gathered from the signals in order; the signal named is the first that gave an
    author (or the first that gave anyone, when nobody is an author)."""

    def __init__(self):
        self.byline = Byline()
        self.signal = None
        self.raw: list[str] = []

    def take(self, b, signal, raw):
        if not b:
            return
        before = len(self.byline.people)
        for p in b.people:
            self.byline.add(p)
        if len(self.byline.people) > before:
            self.raw.append(raw)
            if self.signal is None or (not _has_authors(self.byline.people[:before])
                                       and any(p.role in AUTHOR_ROLES for p in b.people)):
                self.signal = signal

    @property
    def has_authors(self):
        return _has_authors(self.byline.people)


def _lead_people(leads):
    """The lead's credit: "本报讯（记者 王明）…", "新华社北京6月30日电（记者王明、李华）"."""
    for lead in leads:
        b = parse_lead(lead)
        if b:
            return b, lead[:80]
    return None, None


def _closing_people(areas, seen_labels):
    """Credits at the body's end ("……。（记者 王明）", "记者：王明") and right after it."""
    out = []
    for i, t in enumerate(areas.closing):
        if len(t) <= 80 or t.rstrip().endswith(("）", ")")):
            tb = parse_tail(t)
            if tb:
                # past the body, a label the byline block already used ("作者：") belongs to the
                # next item of a listing or a comment, not to this article
                tb.people = [p for p in tb.people if not p.label or p.label not in seen_labels
                             or i < areas.n_inside]
            if tb:
                out.append((tb, t[-80:]))
    return out


_ISSUER_LABEL = re.compile(r"发文(?:机关|单位|机构)")
_DISCLOSURE_SPAN = 40   # lines around the headline a document's disclosure table stands in


def _issuer_people(areas):
    """The issuing organ an official document's information-disclosure table names (索引号,
    发文机关, 成文日期 … in cells of their own, often more rows than the byline block holds,
    above or below the headline): the label's line joined with the next when its cell is empty."""
    if areas.h is None:
        return None
    texts = areas.texts
    start = max(0, areas.h - _DISCLOSURE_SPAN)
    span = texts[start:areas.h + _DISCLOSURE_SPAN]
    if not _ISSUER_LABEL.search("\n".join(span)):  # most pages: one search says no
        return None
    for i, t in enumerate(span, start):
        if len(t) <= 80 and _ISSUER_LABEL.search(t):
            line = _merge_label_lines([t, *texts[i + 1:i + 2]])[0]
            b = parse_byline(line)
            issuers = [p for p in b.people if p.role == "issuer"] if b else []
            if issuers:
                return Byline(people=issuers), line
    return None


# what every stamp of bylines' posted patterns holds ("由 X 于 2021", "由 X 张贴", "发表于", "posted";
# a year in full-width digits too, which parse_byline reads as digits): most bodies hold none, and
# one search of the whole body says so (every alternative opens with a plain character: the
# regex engine's fast scan)
_STAMP_HINT = re.compile(r"由\s*[^\s于]{1,24}?\s*(?:于\s*(?:[1１][9９]|[2２][0０])|张贴|发表|发布|发帖|发贴)|发表于|发布于|张贴于"
                         r"|posted|Posted")
# _STAMP_HINT's alternatives as three patterns that each open with one plain character or word
# (由; 于 then a look back for 发表于, 发布于, 张贴于; "osted" then one for posted, Posted): the regex
# engine skips to that character, where an alternation opening with several tests every character
# of the text against them. A text holds a match of _STAMP_HINT exactly when it holds one of theirs.
_STAMP_PARTS = (re.compile(r"由\s*[^\s于]{1,24}?\s*(?:于\s*(?:[1１][9９]|[2２][0０])|张贴|发表|发布|发帖|发贴)"),
                re.compile("于(?<=发表于|发布于|张贴于)"), re.compile("osted(?<=[Pp]osted)"))


def _holds_stamp(text: str) -> bool:
    """_STAMP_HINT.search(text) is not None, by its three parts (_STAMP_PARTS)."""
    return any(part.search(text) is not None for part in _STAMP_PARTS)


def _stamp_lines(lines) -> list[str]:
    """The `lines` that may hold a match of _STAMP_HINT, in order: each line a match of one of its
    parts (_STAMP_PARTS) in the lines joined by line breaks starts in, from where the last such line
    ends. A match within a line is one of the joined lines at the same characters (the parts look
    behind only for characters a line break is not), so no line between two found holds one (where
    no line holds a break of its own; otherwise every line is given)."""
    joined = "\n".join(lines)
    if joined.count("\n") != len(lines) - 1:
        return lines
    out = []
    found = [part.search(joined) for part in _STAMP_PARTS]
    while any(m is not None for m in found):
        first = min(m.start() for m in found if m is not None)
        start, end = joined.rfind("\n", 0, first) + 1, joined.find("\n", first)
        if end < 0:
            out.append(joined[start:])
            break
        out.append(joined[start:end])
        # each part's next match from the next line on (one that starts there already is kept)
        found = [part.search(joined, end + 1) if m is not None and m.start() <= end else m
                 for part, m in zip(_STAMP_PARTS, found)]
    return out


def _stamp_people(areas):
    """The poster's stamp forum and blog software prints by a post ("本贴由 王明 于 … 发表",
    "王明 发表于 …"), anywhere in the body: a thread's page may set its notices and the replies'
    list after the first post, inside the same block, so the stamp need not close it. The first
    stamp is the first post's."""
    for t in _stamp_lines(list(islice(areas.body, 400))):
        if len(t) <= 120 and _holds_stamp(t):
            b = parse_byline(t)
            stamped = [p for p in b.people if p.label == "posted"] if b else []
            if stamped:
                return Byline(people=stamped[:1]), t
    return None


_GOV_RECORD_TAGS = ("articletitle", "pubdate", "contentsource")


def _government_record(meta) -> bool:
    """The page carries the government-site guideline's article tags (two of ArticleTitle, PubDate,
    ContentSource). There the CMS fills the Author tag with the account that entered the record:
    an editor's login (printed, if at all, as 责任编辑, or only in the template's hidden fields),
    "系统管理员", "信息发布员6" (seen on TRS WCM and Hanweb portals of ministries, provinces and
    districts). The record's authors are the credits the page prints."""
    return sum(1 for k in _GOV_RECORD_TAGS if isinstance(meta.get(k), str) and meta[k].strip()) >= 2


def _meta_people(meta, root, people):
    """The author meta tag, when it names people (not the site: news sites put their own name
    there), none of them is credited as an editor on the page and the page is not a government
    record (_government_record)."""
    for key in _META_AUTHOR:
        value = meta.get(key)
        if not isinstance(value, str):
            continue
        value = value.strip()
        editors = {p.name for p in people if p.role not in AUTHOR_ROLES}
        names = [v for v in re.split(r"[、,，;；\s]+", value) if v]
        site = " ".join(str(meta.get(k) or "") for k in ("og:site_name", "sitename", "application-name"))
        site += " ".join(text_content(t) for t in root.iter("title"))
        if _government_record(meta):
            return None
        if names and all(looks_like_person(n) and n not in site for n in names) and not editors.intersection(names):
            return Byline(people=[Person(n, "author", key) for n in names]), meta_signal(meta, key), value
        return None
    return None


def _near_title_people(areas):
    """An essay's author printed as bare names on a line under the headline ("王明、李华")."""
    for t in areas.near_title[:3]:
        tokens = [x for x in re.split(r"[、，,\s]+", t.strip()) if x]
        if 1 <= len(tokens) <= 5 and not any(x in areas.title_text for x in tokens) and _name_list(tokens):
            return Byline(people=[Person(x, "author", "") for x in tokens]), t
    return None


def _community_people(root, lines, areas, url):
    """A forum thread's poster from the user panel beside its first post, else a blog post's
    owner when only a nameless stamp signs it (aggregator.extract.posts): (Byline, signal, raw)."""
    poster = panel_poster(lines, areas.h, areas.texts, stop=areas.body_end)
    if poster:
        return Byline(people=[Person(poster, "author", "楼主")]), "forum-panel", poster
    titles = [text_content(areas.first_title)] if areas.first_title is not None else []
    owner = blog_owner(root, url, areas.window + areas.closing, lines, titles, texts=areas.texts)
    if owner:
        return Byline(people=[Person(owner, "author", "博主")]), "blog-owner", owner
    return None


def _people(meta, root, areas, bylines, seen_labels, lines=(), url="", issuer=None) -> _People:
    """Everyone credited by the byline lines, the lead and the closing credit; the author meta
    tag, a forum's or a blog's writer named in the page's furniture and bare names under the
    headline, in that order, only when none of those names an author. `issuer`: _issuer_people's
    finding, read once for the people and the source."""
    found = _People()
    for b, line, signal in bylines:
        found.take(b, signal, line)
    lead, raw = _lead_people(areas.leads)
    found.take(lead, "lead", raw)
    for b, raw in _closing_people(areas, seen_labels):
        found.take(b, "closing", raw)
    if not found.has_authors and issuer:
        found.take(issuer[0], "disclosure-table", issuer[1])
    if not found.has_authors:
        stamp = _stamp_people(areas)
        if stamp:
            found.take(stamp[0], "posted-stamp", stamp[1])
    if not found.has_authors:
        meta_found = _meta_people(meta, root, found.byline.people)
        if meta_found:
            found.take(*meta_found)
    if not found.has_authors:
        community = _community_people(root, lines, areas, url)
        if community:
            found.take(*community)
    if not found.has_authors:
        near = _near_title_people(areas)
        if near:
            found.take(near[0], "near-title", near[1])
    return found


def _source(meta, areas, bylines, issuer=None):
    """(source, raw, signal): the ContentSource meta tag, a byline's 来源, a closing 来源 line,
    the issuing organ of a document's disclosure table."""
    for key in _META_SOURCE:
        value = meta.get(key)
        if isinstance(value, str) and value.strip():
            clean = re.sub(r"^\s*(?:来源|信息来源|稿源)\s*[:：]\s*", "", value).strip()
            if clean and not clean.lower().startswith(("http", "www")):
                return clean, value, meta_signal(meta, key)
    for b, line, signal in bylines:
        if b.source:
            return b.source, line[:200], signal
    for t in areas.closing:
        if len(t) <= 80 and ("来源" in t or "稿源" in t):
            b = parse_byline(t)
            if b and b.source:
                return b.source, t, "closing"
    if issuer:
        return issuer[0].people[0].name, issuer[1], "disclosure-table"
    return None


def _extract(out, tree, *, url, meta, body_node, body_text, byline_lines, title_node, fetched_at, model,
             listing_date=None):
    root = tree.getroot() if hasattr(tree, "getroot") else tree
    areas = _areas(model, root, meta, title_node, body_node, body_text)
    bylines, seen_labels = _bylines(byline_lines, areas.window)
    date = _published(meta, areas, bylines, url=url, fetched_at=fetched_at, listing_date=listing_date)
    if date:
        _set_date(out, *date)
    issuer = _issuer_people(areas)
    people = _people(meta, root, areas, bylines, seen_labels, model.lines, url or "", issuer)
    out["people"] = [p.as_dict() for p in people.byline.people]
    out["people_signal"] = people.signal
    out["byline_raw"] = " | ".join(r for r in people.raw if r)[:500] or None
    if not out["byline_raw"] and bylines:
        out["byline_raw"] = " | ".join(line for _, line, _ in bylines)[:500]
    source = _source(meta, areas, bylines, issuer)
    if source:
        out.update(source=source[0], source_raw=source[1], source_signal=source[2])


_SENTENCE = re.compile(r"[，。！？；,;!?]")
_CJK_CHAR = re.compile(r"[\u3400-\u9fff]")


_TODAY_WORDS = re.compile(r"今天|今日|现在|当前")


def _is_date_line(line: str, weekday_ok: bool = False) -> bool:
    """A short line that is mostly a date, not prose mentioning a date or a header clock (with
    `weekday_ok`, a weekday alone does not make a clock). A line in Latin script may hold
    commas ("Monday, March 4th, 2024 9:30 am", as blog themes print a post's date)."""
    if len(line) > 60 or _SENTENCE.search(line if _CJK_CHAR.search(line) else line.replace(",", "")):
        return False
    return not (_TODAY_WORDS.search(line) if weekday_ok else is_clock_text(line))


_DIGIT = re.compile(r"\d")


def _date_anchor(lines) -> int | None:
    """No headline found: the first date line directly above the body's prose."""
    for i, line in enumerate(lines[:3000]):
        if line.link or not _is_date_line(line.text) or not _DIGIT.search(line.text):
            continue
        parsed = parse_date(line.text)
        if not parsed or _RANK[parsed.precision] < _RANK["day"]:
            continue
        for nxt in lines[i + 1:i + 5]:
            if len(nxt.text) >= 30 and _SENTENCE.search(nxt.text):
                return i
    return None


_YEAR = re.compile(r"(?:19|20)\d{2}|[〇○零一二三四五六七八九]{4}年|(?<![\d/.-])(?<!\d:)\d{2}-\d{1,2}-\d{1,2}(?![\d-])")
_RELATIVE = re.compile(r"前|刚刚|刚才|今天|昨天|前天|今日|昨日|ago", re.I)


def _page_date(text, *, now, page_year, latest=None):
    """parse_date, but a yearless date ("3月18日") needs the page's own year; with `latest`
    (the page's update stamp) a yearless date past it belongs to the year before."""
    if not isinstance(text, str):
        return None
    if not _YEAR.search(text[:400]):
        if _RELATIVE.search(text[:400]):
            if now is None:  # "3小时前" on a page whose fetch time is unknown says nothing
                return None
        elif page_year is None:
            return None
        elif latest is not None:
            parsed = parse_date(text, now=now, page_year=page_year)
            if parsed and parsed.value > latest.value + timedelta(days=1):
                return parse_date(text, now=now, page_year=page_year - 1)
            return parsed
    return parse_date(text, now=now, page_year=page_year)


# "本贴由 王明 于2021年6月30日12:00:00发表", "由 admin 于 2021-06-30 发布": the stamp a forum's or
# a blog theme's footer prints under the post, a verb of publishing after the date
_POSTED_AT = re.compile(r"由\s*[^\s于]{1,24}\s*于\s*(?=(?:19|20)\d{2})")
_POSTED_VERB = re.compile(r"发表|发布|发帖|发贴")


def _labelled_date(line: str) -> str | None:
    """The date text after a publication label ("发布时间：…", "时间：…"), or of a "由 X 于 DATE 发表"
    stamp."""
    if not _DATE_LABEL_HINT.search(line):
        return None
    if "成文日期" in line:
        line = line.split("成文日期")[0]
    # a line without a label's word holds no match of _DATE_LABEL_RE: only lines with a label are searched
    m = _DATE_LABEL_RE.search(line) if any(w in line for w in _LABEL_WORDS) else None
    if m:
        return line[m.end():m.end() + 40]
    m = _POSTED_AT.search(line)
    if m and _POSTED_VERB.search(line, m.end()):
        return line[m.end():m.end() + 40]
    return None


def _is_prose(line: str) -> bool:
    """Longer than 40 characters with two sentence marks (_SENTENCE matches one character: a second
    match after the first is a second of findall's, and the search stops there)."""
    if len(line) <= 40:
        return False
    first = _SENTENCE.search(line)
    return first is not None and _SENTENCE.search(line, first.end()) is not None


def _has_authors(people) -> bool:
    return any(p.role in AUTHOR_ROLES for p in people)


def _name_list(tokens) -> bool:
    """The bare names an essay prints under its headline ("孙立、郑海"): every token a
    Chinese name of 2-3 characters and at least one with a common surname; a lone token
    must look like a name by itself."""
    if len(tokens) == 1:
        return looks_like_person(tokens[0], strict=True)
    if not all(looks_like_person(x, strict=True) or
               (re.fullmatch(r"[\u4e00-\u9fff]{2,3}", x) and looks_like_person(x)
                and not any(c in "的是在了和与及等之于为" for c in x)) for x in tokens):
        return False
    return any(looks_like_person(x, strict=True) for x in tokens)
