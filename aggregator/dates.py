"""Dates as Chinese education sites print them -> ISO 8601 (+08:00) with a precision.

The interface the rest of the code uses:

    parse_date(text, *, now=None, page_year=None) -> ParsedDate | None
        text: "发布时间:2021-06-30 13:06:00", "2021年6月30日", "6月23日下午", "昨天 10:30",
              "18-03-08 23:16" (a two-digit year: 2018) ...
        now: aware datetime used for relative dates (default: current time, Asia/Shanghai)
        page_year: year to give a yearless date ("6月23日")
    date_from_url(url) -> ParsedDate | None     (t20210630_, /art/2021/6/30/, /2021-06/30/ ...)
    day_order_ambiguous(text) -> bool           "06/02/2022": month first and day first both read

    ParsedDate.iso        "2021-06-30T13:06:00+08:00"
    ParsedDate.precision  "year" | "month" | "day" | "minute" | "second"
    ParsedDate.value      aware datetime

Also here: normalize_date_text(text) (full-width forms and Chinese numerals -> ASCII
digits) and is_clock_text(text) (a header's "today is ... 星期三", not a publication date).

Why not dateparser alone: measured, it returns None for "发布时间:2021-06-30 13:06:00",
"6月23日", "二〇二一年六月三十日" and any string with trailing text, and it cannot tell
the precision a Chinese page printed. The numeric and Chinese shapes are matched here
with bounded regexes; dateparser stays the fallback for Latin-script dates
("June 14, 2005 3:25 PM") and English relative times.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone

from aggregator.nfkc import nfkc

CHINA_TZ = timezone(timedelta(hours=8))
MIN_YEAR = 1990
PRECISIONS = ("year", "month", "day", "minute", "second")
_MAX_SCAN = 400  # a date string is short: never scan more than this (bad input can be 10 MB)


@dataclass(frozen=True)
class ParsedDate:
    value: datetime
    precision: str

    @property
    def iso(self) -> str:
        return self.value.isoformat()


# --- normalisation -------------------------------------------------------------------

_CN_DIGITS = {"〇": 0, "○": 0, "Ｏ": 0, "零": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4,
              "五": 5, "六": 6, "七": 7, "八": 8, "九": 9}
_CN_NUM = "〇○Ｏ零一二两三四五六七八九十"
_CN_DATE = re.compile(rf"([{_CN_NUM}]{{4}})\s*年\s*([{_CN_NUM}]{{1,3}})\s*月(?:\s*([{_CN_NUM}]{{1,3}})\s*[日号])?")


def _cn_small(s: str) -> int | None:
    """一..三十一 -> int."""
    if "十" in s:
        tens, _, ones = s.partition("十")
        t = _CN_DIGITS.get(tens, None) if tens else 1
        o = _CN_DIGITS.get(ones, None) if ones else 0
        if t is None or o is None:
            return None
        return t * 10 + o
    if len(s) == 1 and s in _CN_DIGITS:
        return _CN_DIGITS[s]
    return None


def _cn_date_sub(m: re.Match) -> str:
    year = "".join(str(_CN_DIGITS.get(c, "")) for c in m.group(1))
    month = _cn_small(m.group(2))
    day = _cn_small(m.group(3)) if m.group(3) else None
    if len(year) != 4 or month is None:
        return m.group(0)
    return f"{year}年{month}月" + (f"{day}日" if day is not None else "")


def normalize_date_text(text) -> str:
    """Full-width digits/colons -> ASCII, 二〇二一年六月三十日 -> 2021年6月30日, spaces folded."""
    if not isinstance(text, str):
        return ""
    text = nfkc(text[:_MAX_SCAN])
    text = _CN_DATE.sub(_cn_date_sub, text)
    return " ".join(text.split())


# --- patterns (all bounded: no nested quantifiers) -----------------------------------

_AMPM_CN = r"上午|下午|晚上|晚间|凌晨|中午|早上|早晨|傍晚|夜间|夜里"
_TIME = (rf"(?:(?:[T\s]*|\s*[-–—]\s*)(?P<ap1>{_AMPM_CN}|AM|PM|am|pm)?\s*(?P<H>\d{{1,2}})\s*(?::|时|点)\s*(?P<M>\d{{1,2}})"
         r"(?:\s*(?::|分)\s*(?P<S>\d{1,2})(?:\.\d{1,6})?)?\s*秒?(?:\s*(?P<ap2>[AaPp]\.?[Mm]\.?))?"
         r"(?:\s*(?P<tz>Z|[+-]\d{2}:?\d{2}|(?:GMT|UTC)\s*[+-]\s*\d{1,2}(?::?\d{2})?|GMT|UTC)(?![A-Za-z]))?)?")
_YMD = re.compile(r"(?<!\d)(?P<y>(?:19|20)\d{2})\s*(?:[-/.]|年)\s*(?P<m>\d{1,2})\s*(?:[-/.]|月)\s*"
                  r"(?P<d>\d{1,2})(?!\d)\s*(?:日|号)?(?:\s*(?:星期|周|礼拜)[一二三四五六日天七])?" + _TIME)
_MDY = re.compile(r"(?<![\d/])(?P<m>\d{1,2})/(?P<d>\d{1,2})/(?P<y>(?:19|20)\d{2})(?!\d)" + _TIME)
# a two-digit year, as portals print it in a byline ("发布时间：18-03-08 23:16"): year-month-day
_SHORT_YMD = re.compile(r"(?<![\d/.-])(?<!\d:)(?P<y>\d{2})-(?P<m>\d{1,2})-(?P<d>\d{1,2})(?![\d-])" + _TIME)
_YM = re.compile(r"(?<!\d)(?P<y>(?:19|20)\d{2})\s*年\s*(?P<m>\d{1,2})\s*月(?!\s*\d)")
_YM_ONLY = re.compile(r"^\s*(?P<y>(?:19|20)\d{2})\s*[-/.]\s*(?P<m>\d{1,2})\s*$")
_Y_ONLY = re.compile(r"^\s*(?P<y>(?:19|20)\d{2})\s*年?\s*$")
_MD = re.compile(r"(?<![\d年./-])(?P<m>\d{1,2})\s*月\s*(?P<d>\d{1,2})\s*(?:日|号)(?:\s*(?:星期|周)[一二三四五六日天])?"
                 + _TIME)
_MD_DASH = re.compile(r"(?<![\d./-])(?P<m>\d{1,2})-(?P<d>\d{1,2})\s+(?P<H>\d{1,2}):(?P<M>\d{2})(?![\d:])")
_REL_AGO = re.compile(r"(?P<n>\d{1,4}|半|一|两|几)\s*(?P<unit>秒|分钟|分|小时|钟头|天|日|周|星期)\s*(?:以)?前")
_REL_DAY = re.compile(r"(?P<w>今天|今日|昨天|昨日|前天)\s*" + _TIME)
_JUST_NOW = re.compile(r"刚刚|刚才|just now", re.I)
_CLOCK = re.compile(r"星期[一二三四五六日天]|周[一二三四五六日]|礼拜[一二三四五六日天]|"
                    r"(?:Mon|Tues|Wednes|Thurs|Fri|Satur|Sun)day", re.I)
_TODAY = re.compile(r"今天是|今日是|现在是|当前时间|当前日期|今天：|今日：")
# a word or a letter every match of _CLOCK holds: 星期, 周, 礼拜, or the "y" its English weekdays end
# in (y and Y are the only characters that match y ignoring case); a text without one is not
# searched (the case-blind search tries every weekday at every position: most texts hold none)
_CLOCK_MARKS = ("星期", "周", "礼拜", "y", "Y")
_TIME_OF_DAY = re.compile(r"(?<!\d)\d{1,2}[:：]\d{2}(?!\d)")
_LATIN_MONTH = re.compile(r"\b(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\b|\bago\b", re.I)


def is_clock_text(text) -> bool:
    """True for a page header's current-date widget ('2022年2月13日 星期日', '今天是…'), not a
    publication date. A weekday beside a clock time ('2022年2月13日 09:57 星期日') is a
    publication stamp, as portals print it under the headline; the header's widget has no
    time in the saved page (a script writes it) unless it says it is today's."""
    if not isinstance(text, str):
        return False
    head = text[:_MAX_SCAN]
    if _TODAY.search(head):
        return True
    return _holds_clock_mark(head) and bool(_CLOCK.search(head)) and not _TIME_OF_DAY.search(head)


def _holds_clock_mark(text: str) -> bool:
    """Whether `text` holds one of _CLOCK_MARKS: a text without one holds no match of _CLOCK."""
    return any(mark in text for mark in _CLOCK_MARKS)


# --- helpers ---------------------------------------------------------------------------

def _max_year() -> int:
    return datetime.now(CHINA_TZ).year + 1


def _tz(raw: str | None):
    if not raw:
        return CHINA_TZ
    raw = raw.replace(" ", "").upper()
    if raw in ("Z", "GMT", "UTC"):
        return timezone.utc
    m = re.fullmatch(r"(?:GMT|UTC)?([+-])(\d{1,2}):?(\d{2})?", raw)
    if not m:
        return CHINA_TZ
    sign = -1 if m.group(1) == "-" else 1
    hours, minutes = int(m.group(2)), int(m.group(3) or 0)
    if hours > 14 or minutes > 59:
        return CHINA_TZ
    return timezone(sign * timedelta(hours=hours, minutes=minutes))


def _hour(h: int, ap: str | None) -> int:
    if not ap:
        return h
    ap = ap.replace(".", "").lower()
    if ap in ("pm", "下午", "晚上", "晚间", "傍晚", "夜间", "夜里") and h < 12:
        return h + 12
    if ap == "中午" and h < 11:
        return h + 12
    if ap in ("am", "凌晨", "上午", "早上", "早晨") and h == 12:
        return 0
    return h


def _build(y, mo, d, m: re.Match | None = None, *, precision_floor="day"):
    """datetime from parts and an optional _TIME match; None when out of range or invalid."""
    try:
        y, mo, d = int(y), int(mo), int(d)
        if not (MIN_YEAR <= y <= _max_year()):
            return None
        gd = m.groupdict() if m is not None else {}
        if gd.get("H") is not None and gd.get("M") is not None:
            h = _hour(int(gd["H"]), gd.get("ap1") or gd.get("ap2"))
            mi = int(gd["M"])
            s = int(gd["S"]) if gd.get("S") is not None else 0
            value = datetime(y, mo, d, h, mi, s, tzinfo=_tz(gd.get("tz")))
            precision = "second" if gd.get("S") is not None else "minute"
        else:
            value = datetime(y, mo, d, tzinfo=CHINA_TZ)
            precision = precision_floor
    except (ValueError, OverflowError):
        return None
    return ParsedDate(value, precision)


def _now(now):
    if isinstance(now, datetime):
        return now if now.tzinfo else now.replace(tzinfo=CHINA_TZ)
    return datetime.now(CHINA_TZ)


def _relative(text: str, now: datetime):
    if _JUST_NOW.search(text):
        return ParsedDate(now.replace(second=0, microsecond=0), "minute")
    m = _REL_AGO.search(text)
    if m:
        n = {"半": 0.5, "一": 1, "两": 2, "几": 3}.get(m.group("n"))
        n = float(m.group("n")) if n is None else n
        unit = m.group("unit")
        if unit == "秒":
            return ParsedDate(now.replace(microsecond=0), "second")
        if unit in ("分钟", "分"):
            return ParsedDate((now - timedelta(minutes=n)).replace(second=0, microsecond=0), "minute")
        if unit in ("小时", "钟头"):
            return ParsedDate((now - timedelta(hours=n)).replace(second=0, microsecond=0), "minute")
        days = n * 7 if unit in ("周", "星期") else n
        day = (now - timedelta(days=days)).replace(hour=0, minute=0, second=0, microsecond=0)
        return ParsedDate(day, "day")
    m = _REL_DAY.search(text)
    if m and (m.group("H") is not None or len(text) <= 6):
        back = {"今天": 0, "今日": 0, "昨天": 1, "昨日": 1, "前天": 2}[m.group("w")]
        day = now - timedelta(days=back)
        local = day.astimezone(CHINA_TZ) if day.tzinfo else day
        return _build(local.year, local.month, local.day, m)
    return None


def _dateparser(text: str, now: datetime):
    """Latin-script dates only ('June 14, 2005 3:25 PM', '2 hours ago')."""
    if len(text) > 80 or not _LATIN_MONTH.search(text):
        return None
    text = re.sub(r"^\s*(?:posted|published|updated|date)\s*(?:on|at)?\s*:?\s*", "", text, flags=re.I)
    try:
        from dateparser.date import DateDataParser

        # left to its default, dateparser returns an aware value exactly when the text names an
        # offset or zone ("+0000", "GMT+2", "UTC"): that offset is kept, a bare time is China time
        settings = {"RELATIVE_BASE": now.replace(tzinfo=None), "PREFER_DAY_OF_MONTH": "first"}
        data = DateDataParser(languages=["en"], settings=settings).get_date_data(text)
    except Exception:  # dateparser raises on odd inputs; bad input must never raise here
        return None
    value = data.date_obj if data else None
    if value is None or not (MIN_YEAR <= value.year <= _max_year()):
        return None
    parts = tuple(getattr(data, "parts", ()) or ())
    if "time" in parts:
        precision = "second" if value.second and not re.search(r"\bago\b", text, re.I) else "minute"
    elif "day" in parts:
        precision = "day"
    else:
        precision = {"year": "year", "month": "month"}.get(data.period, "day")
        value = value.replace(day=1)
    if precision != "second":
        value = value.replace(second=0)
    offset = value.utcoffset() if "time" in parts else None
    zone = timezone(offset) if offset is not None else CHINA_TZ
    return ParsedDate(value.replace(microsecond=0, tzinfo=zone), precision)


# --- public -----------------------------------------------------------------------------

def day_order_ambiguous(text) -> bool:
    """True when `text`'s date is "NN/NN/YYYY" with both numbers 12 or less and unequal
    ("06/02/2022"): month first (parse_date's default) and day first read as different days."""
    if not isinstance(text, str):
        return False
    text = normalize_date_text(text)
    m = _MDY.search(text)
    return bool(m) and not _YMD.search(text) and int(m.group("m")) <= 12 \
        and int(m.group("d")) <= 12 and m.group("m").lstrip("0") != m.group("d").lstrip("0")


def parse_date(text, *, now=None, page_year=None, day_first=False):
    """The first date in `text` as ParsedDate, or None.

    Labels and trailing text are ignored because the date is searched for, not
    matched whole. Years before 1990 or after next year give None. "NN/NN/YYYY" is
    month first unless the first number cannot be a month, or `day_first` is given
    (see day_order_ambiguous).
    """
    if isinstance(text, datetime):
        value = text if text.tzinfo else text.replace(tzinfo=CHINA_TZ)
        return ParsedDate(value, "second") if MIN_YEAR <= value.year <= _max_year() else None
    if not isinstance(text, str) or not text.strip():
        return None
    text = normalize_date_text(text)
    if not text:
        return None
    for pattern in (_YMD, _MDY):
        m = pattern.search(text)
        if m:
            y, mo, d = m.group("y"), m.group("m"), m.group("d")
            if pattern is _MDY and (int(mo) > 12 or (day_first and int(d) <= 12)):  # 30/6/2021: day first
                mo, d = d, mo
            parsed = _build(y, mo, d, m)
            if parsed:
                return parsed
    m = _SHORT_YMD.search(text)
    if m:
        parsed = _build(2000 + int(m.group("y")), m.group("m"), m.group("d"), m)
        if parsed:
            return parsed
    now = _now(now)
    rel = _relative(text, now)
    if rel:
        return rel
    for pattern in (_MD, _MD_DASH):
        m = pattern.search(text)
        if m:
            year = page_year if isinstance(page_year, int) else None
            guessed = year is None
            year = year or now.astimezone(CHINA_TZ).year
            parsed = _build(year, m.group("m"), m.group("d"), m)
            if parsed and guessed and parsed.value > now + timedelta(days=1):
                parsed = _build(year - 1, m.group("m"), m.group("d"), m)
            if parsed:
                return parsed
    m = _YM.search(text) or _YM_ONLY.search(text)
    if m:
        try:
            y, mo = int(m.group("y")), int(m.group("m"))
            if MIN_YEAR <= y <= _max_year():
                return ParsedDate(datetime(y, mo, 1, tzinfo=CHINA_TZ), "month")
        except ValueError:
            pass
        return None
    m = _Y_ONLY.search(text)
    if m:
        y = int(m.group("y"))
        return ParsedDate(datetime(y, 1, 1, tzinfo=CHINA_TZ), "year") if MIN_YEAR <= y <= _max_year() else None
    return _dateparser(text, now)


_URL_PATTERNS = (
    # TRS: /202106/t20210630_541234.html ; also c_20210630 and plain /20210630/
    re.compile(r"(?<![0-9a-z])[tc]?_?(?P<y>(?:19|20)\d{2})(?P<m>[01]\d)(?P<d>[0-3]\d)(?=[_/.-])", re.I),
    # /art/2021/6/30/ , /2005/07/18/ , /2021-06/30/ , /2021/0630/
    re.compile(r"/(?P<y>(?:19|20)\d{2})[/-](?P<m>\d{1,2})[/-](?P<d>\d{1,2})/"),
    re.compile(r"/(?P<y>(?:19|20)\d{2})[/-]?(?P<m>[01]\d)/(?P<d>[0-3]\d)/"),
    re.compile(r"/(?P<y>(?:19|20)\d{2})/(?P<m>[01]\d)(?P<d>[0-3]\d)/"),
    re.compile(r"[/_-](?P<y>(?:19|20)\d{2})-(?P<m>\d{1,2})-(?P<d>\d{1,2})(?=[/_.])"),
)
_ARCHIVE_PREFIX = re.compile(r"^https?://web\.archive\.org/web/\d+[a-z_]*/", re.I)


def date_from_url(url):
    """The day a CMS wrote into an article URL, precision 'day'; None when there is none."""
    if not isinstance(url, str) or not url:
        return None
    url = _ARCHIVE_PREFIX.sub("/", url[:2000])  # a web-archive snapshot stamp is not the article's date
    path = re.sub(r"^[a-z]+://[^/]+", "", url, flags=re.I)
    for pattern in _URL_PATTERNS:
        for m in pattern.finditer(path):
            parsed = _build(m.group("y"), m.group("m"), m.group("d"))
            if parsed:
                return parsed
    return None
