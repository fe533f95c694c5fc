"""Anti-bot challenge pages: recognise them, never store them, never try to solve them.

Government sites in China often sit behind a front end that answers a first visit with a page
that only runs a script: it sets a cookie and reloads, and the real page comes on the second
request. Two shapes are common (as write-ups of crawlers of gov.cn sites describe them):

- 加速乐 (Knownsec): HTTP 521, a few hundred bytes of `<script>document.cookie=...;
  location.href=location.pathname+location.search</script>`, a `__jsluid_*` cookie, later a
  `__jsl_clearance*` one;
- 瑞数 (RiverSecurity): HTTP 412 (older deployments 202 or 200), a `<meta id=... content=...
  r='m'>`, an inline `$_ts=window['$_ts']` script and an external script, cookies named like
  `FSSBBIl1UgzbN7NO`/`...T`.

A 200 page that is only such a script is a challenge too. Real article and listing pages have
visible text; a challenge has next to none.

    challenge_reason(status, body, headers=None) -> str | None
        "加速乐-style cookie challenge (http 521)" ... or None for an ordinary page.
"""
from __future__ import annotations

import re

# a challenge page is small: real pages of these sites are tens of kilobytes
MAX_CHALLENGE_BYTES = 64 * 1024
# visible characters (outside scripts and tags) a challenge page may have
MAX_VISIBLE_CHARS = 80
CHALLENGE_STATUSES = {412, 521}

_SCRIPT = re.compile(rb"<script\b[^>]*>(.*?)</script\s*>", re.I | re.S)
_STYLE = re.compile(rb"<style\b[^>]*>.*?</style\s*>", re.I | re.S)
_TAG = re.compile(rb"<[^>]*>")
_WS = re.compile(rb"\s+")
_ENTITY = re.compile(rb"&[#\w]+;")

_JSL = re.compile(rb"__jsl(?:uid|_clearance)|document\.cookie\s*=\s*\(?\s*['\"]_", re.I)
_RUISHU = re.compile(rb"\$_ts\s*=\s*window\[|\$_ts\.(?:nsd|cd)\b|<meta[^>]+\br=['\"]m['\"]", re.I)
_SETS_COOKIE = re.compile(rb"document\.cookie\s*=", re.I)
_RELOADS = re.compile(rb"location\.(?:href|replace|reload|assign)|window\.location\s*=|setTimeout", re.I)


def _visible_chars(body: bytes) -> int:
    text = _STYLE.sub(b" ", _SCRIPT.sub(b" ", body))
    text = _ENTITY.sub(b" ", _TAG.sub(b" ", text))
    return len(_WS.sub(b"", text).decode("utf-8", "ignore"))


def _cookie_names(headers) -> str:
    if not headers:
        return ""
    values = headers.getlist("Set-Cookie") if hasattr(headers, "getlist") else headers.get("Set-Cookie") or []
    if isinstance(values, (str, bytes)):
        values = [values]
    return " ".join(v.decode("latin-1") if isinstance(v, bytes) else str(v) for v in values)


def challenge_reason(status: int, body: bytes | str | None, headers=None) -> str | None:
    """Why this response is an anti-bot challenge, or None when it is an ordinary page."""
    if isinstance(body, str):
        body = body.encode("utf-8", "replace")
    body = body or b""
    cookies = _cookie_names(headers)
    if len(body) > MAX_CHALLENGE_BYTES:
        return None
    scripts = b" ".join(_SCRIPT.findall(body))
    has_script = b"<script" in body.lower()
    if not has_script and status not in CHALLENGE_STATUSES:
        return None
    if _visible_chars(body) > MAX_VISIBLE_CHARS:
        return None
    if _RUISHU.search(body):
        return f"瑞数-style script challenge (http {status})"
    if _JSL.search(scripts) or "__jsluid" in cookies:
        return f"加速乐-style cookie challenge (http {status})"
    # a page that only sets a cookie and reloads (a bare JS redirect sets no cookie: not a challenge)
    if _SETS_COOKIE.search(scripts) and _RELOADS.search(scripts):
        return f"script challenge that sets a cookie and reloads (http {status})"
    if status in CHALLENGE_STATUSES and has_script:
        return f"script challenge (http {status})"
    return None
