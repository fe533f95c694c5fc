"""What an article's reading page shows, as plain values: the publication time to the precision
it was read with, the body as paragraphs, a copy's lag in words. Pure functions (the Datasette
plugin renders them); each answers None for input it cannot read."""
from __future__ import annotations

import re

# how many characters of "YYYY-MM-DDTHH:MM:SS" each precision keeps
_PRECISION_CHARS = {"year": 4, "month": 7, "day": 10, "hour": 13, "minute": 16, "second": 19}
_ISO = re.compile(r"^(\d{4})(?:-(\d{2})(?:-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2}))?)?)?)?(?:\.\d+)?"
                  r"(Z|[+-]\d{2}:?\d{2})?$")


def display_time(iso, precision=None) -> str | None:
    """'2021-06-30T13:06:00+08:00', 'minute' -> '2021-06-30 13:06 (UTC+08:00)': never more
    precise than the page said; an unknown precision shows what the value holds."""
    if not isinstance(iso, str):
        return None
    match = _ISO.match(iso.strip())
    if not match:
        return None
    offset = match.group(7)
    date_time = iso.strip()[:len(iso.strip()) - len(offset or "")]
    keep = _PRECISION_CHARS.get(precision or "", len(date_time))
    shown = date_time[:keep].replace("T", " ")
    if offset and keep > 10:
        shown += f" (UTC{'+00:00' if offset == 'Z' else offset})"
    return shown


def paragraphs(body) -> list[str]:
    """The stored body (paragraphs separated by newlines) -> its non-empty paragraphs."""
    if not isinstance(body, str):
        return []
    return [line.strip() for line in body.split("\n") if line.strip()]


def lag_text(hours) -> str | None:
    """A copy's lag behind its original: 0.5 -> '30 min later', 26 -> '1 d 2 h later'."""
    if not isinstance(hours, (int, float)) or isinstance(hours, bool):
        return None
    if hours < 0:
        return None
    minutes = round(hours * 60)
    if minutes < 60:
        return f"{minutes} min later"
    days, rest = divmod(minutes, 24 * 60)
    whole_hours = round(rest / 60)
    if days == 0:
        return f"{whole_hours} h later"
    return f"{days} d {whole_hours} h later" if whole_hours else f"{days} d later"


def credit_text(credits_original) -> str | None:
    """credits_original (1, 0, None) -> 'credits the original', 'no credit', None."""
    if credits_original is None:
        return None
    return "credits the original" if credits_original else "does not credit the original"
