"""`aggregator check-site URL`: for the person adding a site.

Fetches the column page (robots.txt obeyed, the crawl's User-Agent), says which platform family
it recognises and from which markers (each family's base spider lists its `platform_markers`),
then crawls one listing page with that family's real spider into a throwaway database: the ids
the spider read, how many article links the listing gave, one article's fields, and the site
class to paste into spiders/.

    recognise(html) -> list[(base class, [marker labels])], best first
    check_site(url, name=None, base_url=None, allow_private=False) -> Report
        base_url: fetch from a mirror (same paths, this scheme and host), as `crawl --base-url`;
        the class printed still names the real site
"""
from __future__ import annotations

import http.client
import re
import socket
import tempfile
import urllib.error
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

from protego import Protego

from aggregator import netguard
from aggregator.extract.encoding import decode_html
from aggregator.sites import project_settings, site_classes

FETCH_TIMEOUT = 30
MAX_PAGE_BYTES = 10 * 1024 * 1024
# what one check may fetch: the column page's first listing and a few articles
CHECK_SETTINGS = {"AGGREGATOR_MAX_LISTING_PAGES": 1, "CLOSESPIDER_ITEMCOUNT": 1, "AGGREGATOR_SKIP_KNOWN": False}


class CheckError(Exception):
    """The column page could not be fetched (robots.txt, HTTP error, network)."""


@dataclass
class Report:
    url: str
    status: int = 0
    family: type | None = None
    markers: list = field(default_factory=list)
    others: list = field(default_factory=list)     # [(base, markers)] of other families that matched
    seen: dict = field(default_factory=dict)       # what the page showed, for an unknown platform
    ids: dict = field(default_factory=dict)
    health: dict = field(default_factory=dict)     # the site_runs row of the one-listing crawl
    article: dict | None = None
    site_class: str = ""


def family_bases() -> list[type]:
    """The base spider of every platform family: the classes that declare platform_markers."""
    from spiders.base import NewsSpider

    site_classes(include_demo=True)  # imports every spider module, bases included
    found, todo = [], list(NewsSpider.__subclasses__())
    while todo:
        cls = todo.pop(0)
        if "platform_markers" in vars(cls) and cls not in found:
            found.append(cls)
        todo.extend(cls.__subclasses__())
    return found


def recognise(html: str) -> list[tuple[type, list[str]]]:
    """Families whose markers the page shows, the one with most markers first."""
    scored = []
    for base in family_bases():
        labels = [label for label, pattern in base.platform_markers if re.search(pattern, html)]
        if labels:
            scored.append((base, labels))
    return sorted(scored, key=lambda found: -len(found[1]))


def _connect(address, timeout=None, source_address=None):
    """A TCP connection to host:port on an address the crawl's policy allows, resolved here and
    connected to as checked (no second lookup a rebinding DNS answer could change). Every
    connection of a check goes through it, redirects included."""
    host, port = address
    why = None
    for family, kind, proto, _, sockaddr in socket.getaddrinfo(host, port, type=socket.SOCK_STREAM):
        refused = netguard.refusal(sockaddr[0])
        if refused and not netguard.allowed(host, port):
            why = why or refused
            continue
        sock = socket.socket(family, kind, proto)
        try:
            if isinstance(timeout, (int, float)):  # else http.client's 'default' marker
                sock.settimeout(timeout)
            if source_address:
                sock.bind(source_address)
            sock.connect(sockaddr)
            return sock
        except OSError:
            sock.close()
            raise
    raise CheckError(f"refused: {host} is a {why} (a private mirror needs --allow-private)")


class _GuardedHTTP(http.client.HTTPConnection):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._create_connection = _connect


class _GuardedHTTPS(http.client.HTTPSConnection):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._create_connection = _connect


class _HTTPHandler(urllib.request.HTTPHandler):
    def http_open(self, req):
        return self.do_open(_GuardedHTTP, req)


class _HTTPSHandler(urllib.request.HTTPSHandler):
    def https_open(self, req):
        return self.do_open(_GuardedHTTPS, req, context=self._context)


# direct connections only (no proxy from the environment), each one through _connect
_OPENER = urllib.request.build_opener(urllib.request.ProxyHandler({}), _HTTPHandler, _HTTPSHandler)


def fetch(url: str, allow_private: bool = False) -> tuple[int, bytes, str | None]:
    """(status, body, charset) of url, after asking its robots.txt as the crawl would. With
    allow_private the URL's own host:port may be private, as `crawl --allow-private` allows
    the mirror; a redirect elsewhere meets the same policy as the crawl."""
    if allow_private:
        netguard.allow_private(*netguard.host_port(url))
    settings = project_settings()
    agent = settings.get("USER_AGENT")
    parts = urlsplit(url)
    robots_url = urlunsplit((parts.scheme, parts.netloc, "/robots.txt", "", ""))
    status, robots, _ = _get(robots_url, agent)
    if status == 200 and not Protego.parse(robots.decode("utf-8", "replace")).can_fetch(url, agent):
        raise CheckError(f"robots.txt of {parts.netloc} forbids {url}")
    return _get(url, agent)


def _get(url, agent):
    request = urllib.request.Request(url, headers={"User-Agent": agent})
    try:
        with _OPENER.open(request, timeout=FETCH_TIMEOUT) as response:
            return response.status, response.read(MAX_PAGE_BYTES), response.headers.get_content_charset()
    except urllib.error.HTTPError as error:
        return error.code, error.read(MAX_PAGE_BYTES), None
    except (urllib.error.URLError, OSError, ValueError) as error:
        raise CheckError(f"cannot fetch {url}: {getattr(error, 'reason', error)}") from None


def site_name(url: str) -> str:
    """A registry name from the host: jyt.zj.gov.cn -> jyt_zj, www.moe.gov.cn -> moe."""
    host = (urlsplit(url).hostname or "site").lower()
    parts = [p for p in host.split(".") if p not in ("www", "gov", "cn", "com", "org", "net", "edu")]
    name = "_".join(parts[:2]) or "site"
    name = re.sub(r"\W", "_", name)
    return name if name[0].isalpha() else f"site_{name}"


def _display_name(html: str) -> str:
    for pattern in (r"""<meta\s+name=["']SiteName["']\s+content=["']([^"']+)["']""", r"<title>\s*([^<]+?)\s*</title>"):
        found = re.search(pattern, html, re.I)
        if found:
            return re.split(r"\s*[-_|｜—]\s*", found.group(1).strip())[-1]
    return ""


def class_source(base: type, name: str, display_name: str, url: str) -> str:
    """The site file to paste into spiders/<name>.py."""
    host = urlsplit(url).hostname or ""
    class_name = "".join(part.capitalize() for part in name.split("_")) + "Spider"
    return (f"from {base.__module__} import {base.__name__}\n\n\n"
            f"class {class_name}({base.__name__}):\n"
            f'    """{display_name or name} ({base.cms}).\n\n'
            f"    Checked with `aggregator check-site {url}`; verified live on that day only.\n"
            f'    """\n'
            f'    name = "{name}"\n'
            f'    display_name = "{display_name}"\n'
            f'    region = ""  # 省 / 市 / 区\n'
            f'    allowed_domains = ["{host}"]\n'
            f'    start_urls = ["{url}"]\n')


def _seen(html: str) -> dict:
    """What an unrecognised page shows, so its platform can be worked out by hand."""
    links = re.findall(r"""href\s*=\s*["']([^"'#]+)["']""", html)
    scripts = re.findall(r"""<script[^>]+src\s*=\s*["']([^"']+)["']""", html, re.I)
    shapes = sorted({re.sub(r"\d+", "N", link) for link in links if not link.startswith(("javascript:", "mailto:"))})
    generator = re.search(r"""<meta\s+name=["']generator["']\s+content=["']([^"']+)["']""", html, re.I)
    return {"links": len(links), "link shapes": shapes[:12], "scripts": scripts[:8],
            "generator": generator.group(1) if generator else None,
            "characters": len(html)}


def on_mirror(url: str, base_url: str | None) -> str:
    if not base_url:
        return url
    base = urlsplit(base_url)
    return urlunsplit((base.scheme, base.netloc) + tuple(urlsplit(url))[2:])


def check_site(url: str, name: str | None = None, base_url: str | None = None,
               allow_private: bool = False) -> Report:
    status, body, charset = fetch(on_mirror(url, base_url), allow_private)
    report = Report(url=url, status=status)
    html, _ = decode_html(body, charset)
    html = html or ""
    found = recognise(html)
    if status != 200 or not found:
        report.seen = _seen(html)
        return report
    (report.family, report.markers), report.others = found[0], found[1:]
    name = name or site_name(url)
    report.site_class = class_source(report.family, name, _display_name(html), url)
    report.ids, report.health, report.article = _try_crawl(report.family, name, url, base_url)
    return report


def _try_crawl(base: type, name: str, url: str, base_url: str | None):
    """Crawl one listing page with the family's spider into a throwaway database."""
    import json

    import sqlite_utils

    from aggregator.crawl import run_crawl

    host = urlsplit(url).hostname
    cls = type(f"Check{base.__name__}", (base,), {"name": name, "display_name": name, "region": "",
                                                 "allowed_domains": [host], "start_urls": [url]})
    with tempfile.TemporaryDirectory() as tmp:
        db_path = Path(tmp) / "check.db"
        result = run_crawl([name], db_path, overrides=CHECK_SETTINGS, spider_classes={name: cls},
                           spider_kwargs={name: {"base_url": base_url}} if base_url else None)
        db = sqlite_utils.Database(db_path)
        crawl = db["crawls"].get(result.crawl_id)
        stats = json.loads(crawl["stats"] or "{}").get(name, {})
        health = next(db.query("select * from site_runs where crawl_id = ?", [result.crawl_id]), {})
        article = next(db.query("select * from articles order by id limit 1"), None)
        if article:
            article["people"] = [dict(row) for row in db.query(
                "select p.name, ap.role from article_people ap join people p on p.id = ap.person_id "
                "where ap.article_id = ?", [article["id"]])]
        db.close()
    return stats.get("aggregator/platform_ids") or {}, health, article
