"""Canonical article URLs: one key per article, whatever link led to it.

    canonical_url(url) -> str | None

Two links are the same article when they differ only in
- the scheme (http / https: the canonical form always says ``https``),
- the host's case, a ``www.`` prefix, a mobile host (``m.``, ``wap.``, ``3g.``,
  ``mobile.``, ``h5.``, ``touch.``), a default port,
- a directory index file (``index.html``, ``default.aspx`` ...) or a trailing slash,
- tracking parameters (``utm_*``, ``spm``, ``from``, ``share*``, ``fbclid`` ...),
  a session id in the path (``;jsessionid=...``), the fragment,
- the order or percent-encoding of the remaining query parameters
  (w3lib's ``canonicalize_url``, the same function Scrapy's request fingerprints use).

The canonical URL is a *key* (``articles.url`` is UNIQUE on it); keep the fetched URLs in
an alias table if you need the exact link a site printed.
"""
from __future__ import annotations

import re
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

from w3lib.url import canonicalize_url

__all__ = ["canonical_url", "is_tracking_param"]

_MAX_URL_LENGTH = 4096
# First host labels that name a mobile or "www" edition of the same site.
_HOST_PREFIXES = frozenset({"www", "m", "wap", "3g", "mobile", "h5", "touch"})
# Exact query parameter names that only track who shared or clicked a link.
_TRACKING_PARAMS = frozenset({
    "spm", "spm_id_from", "from", "isappinstalled", "fbclid", "gclid", "dclid", "msclkid",
    "yclid", "scene", "srcid", "wfr", "clicktime", "enterid", "vd_source", "ref", "referer",
    "referrer", "_", "timestamp", "sharer_sharetime", "sharer_shareid", "sharer_sharetype",
    "subscene", "ascene", "devicetype", "version", "nettype", "lang", "pass_ticket",
    "winzoom", "abtest_cookie", "fontscale", "exportkey", "app_version", "mc_cid", "mc_eid",
})
_TRACKING_PREFIXES = ("utm_", "share", "wt.", "hmsr", "hmpl", "hmcu", "hmkw", "hmci", "__")
_INDEX_FILE = re.compile(r"/(?:index|default)\.(?:s?html?|php|jsp|aspx?)$", re.IGNORECASE)
_SESSION_IN_PATH = re.compile(r";(?:jsessionid|phpsessid|sid)=[^/?#]*", re.IGNORECASE)
_BAD_CHARS = re.compile(r"[\s\x00-\x1f\x7f]")


def is_tracking_param(name: str) -> bool:
    """True for query parameters that do not change which page is served."""
    name = name.lower()
    return name in _TRACKING_PARAMS or name.startswith(_TRACKING_PREFIXES)


def _canonical_host(host: str) -> str | None:
    host = host.strip(".").lower()
    if not host.isascii():
        host = host.encode("idna").decode("ascii")  # 例子.中国 -> xn--fsqu00a.xn--fiqs8s
    if not host or ".." in host or not re.fullmatch(r"[a-z0-9.\-\[\]:]+", host):
        return None
    labels = host.split(".")
    # strip www./m./wap. ... while a registrable-looking name (two labels) remains
    while len(labels) > 2 and labels[0] in _HOST_PREFIXES:
        labels = labels[1:]
    return ".".join(labels)


def canonical_url(url) -> str | None:
    """The canonical form of an http(s) URL, or None for anything else.

    >>> canonical_url("http://m.Example.com:80/news/index.html?utm_source=x&b=2&a=1#top")
    'https://example.com/news?a=1&b=2'
    """
    if not isinstance(url, str):
        return None
    url = url.strip()
    if not url or len(url) > _MAX_URL_LENGTH or _BAD_CHARS.search(url):
        return None
    if url.startswith("//"):
        url = "https:" + url
    try:
        parts = urlsplit(url)
        if parts.scheme.lower() not in ("http", "https") or not parts.hostname:
            return None
        host = _canonical_host(parts.hostname)
        if host is None:
            return None
        port = parts.port  # raises ValueError on a bad port
        netloc = host if port in (None, 80, 443) else f"{host}:{port}"
        path = _SESSION_IN_PATH.sub("", parts.path)
        path = _INDEX_FILE.sub("/", path)
        path = re.sub(r"/{2,}", "/", path)
        if len(path) > 1:
            path = path.rstrip("/")
        query = urlencode(
            [(k, v) for k, v in parse_qsl(parts.query, keep_blank_values=True)
             if not is_tracking_param(k)]
        )
        rebuilt = urlunsplit(("https", netloc, path or "/", query, ""))
        # percent-encoding, IDNA and parameter order as Scrapy fingerprints them
        return canonicalize_url(rebuilt, keep_fragments=False)
    except (ValueError, UnicodeError):
        return None
