"""The bad-input suite: a loopback site whose listed articles answer every way the open web
can (off-site and private redirects, meta refresh, loops, endless redirects, a gzip bomb, an
oversized page, PDFs and images, a wrong charset, a timeout, a truncated answer, 5xx, 429 and
503 with Retry-After, a continuation page that leaves the site), crawled with the real
`aggregator crawl`. Every listed URL must end as an article or a reject with its reason; the
hosts the crawl must not reach log no request; the crawl's peak RSS stays under 300 MB.

The column follows the Hanweb JCMS shape of the zj_jyt replica (a <datastore> of records).
"""
import gzip
import json
import zlib

import brotli
import subprocess
import sys
import time

import pytest
import sqlite_utils

from tests.replica import Replica, Reply
from tests.test_site_health import COLUMN, article_page, column_page

ARTICLE = "/art/2024/5/{n}/art_1543974_{id}.html"
ZEROS = b"\0" * (300 * 1024 * 1024)
BOMB = gzip.compress(ZEROS, compresslevel=9)
DEFLATE_BOMB = zlib.compress(ZEROS, 9)
BROTLI_BOMB = brotli.compress(ZEROS, quality=5)
del ZEROS
PDF = b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj <</Type /Catalog>> endobj\n" + b"0" * 4000
PNG = b"\x89PNG\r\n\x1a\n" + b"\0" * 4000


def path(i):
    return ARTICLE.format(n=i % 9 + 1, id=7000 + i)


def gbk_page_declared_utf8(i):
    return article_page(i).replace("<head>", '<head><meta charset="utf-8">').encode("gbk")


def slow(seconds, reply):
    def answer(req):
        time.sleep(seconds)
        return reply
    return answer


def twice(first, then):
    """first on the first request, then afterwards."""
    seen = []

    def answer(req):
        seen.append(req)
        return first if len(seen) == 1 else then
    return answer


def redirect(to, status=302):
    return Reply(status, "", headers=(("Location", to),))


# (name, expected: "article" or the start of the reject reason)
CASES = [
    ("good", "article"),
    ("offsite redirect", "redirected off-site to 127.0.0.2"),
    ("redirect to a private port", "refused: loopback address 127.0.0.1"),
    ("meta refresh off-site", "redirected off-site to 127.0.0.2"),
    ("redirect loop", "redirect loop"),
    ("too many redirects", "too many redirects"),
    ("gzip bomb", "too large"),
    ("deflate bomb", "too large"),
    ("brotli bomb", "too large"),
    ("11 MB page", "too large"),
    ("9.5 MB page", "page too large"),
    ("pdf", "not an article: application/pdf"),
    ("png served as html", "not an article: PNG image (served as text/html)"),
    ("gbk declared utf-8", "article"),
    ("timeout", "fetch error"),
    ("truncated", "fetch error"),
    ("http 500", "http 500"),
    ("429 then ok", "article"),
    ("503 wait an hour", "http 503: server asked to wait 3600 s"),
    ("continuation off-site", "article"),
    ("binary as html", "not text"),
]


def routes(mirror, forbidden, other_port):
    r = {COLUMN: Reply(body=column_page([path(i) for i in range(len(CASES))]))}
    good = [Reply(body=article_page(100 + i)) for i in range(len(CASES))]
    names = [name for name, _ in CASES]

    def at(name):
        return path(names.index(name))
    r[at("good")] = good[0]
    r[at("offsite redirect")] = redirect(f"{forbidden}/stolen.html")
    r[at("redirect to a private port")] = redirect(f"{other_port}/internal.html")
    r[at("meta refresh off-site")] = Reply(body=f'<html><head><meta http-equiv="refresh" content="0;url={forbidden}/x.html">'
                                           "</head><body></body></html>")
    r[at("redirect loop")] = redirect("/loop/b.html")
    r["/loop/b.html"] = redirect(at("redirect loop"))
    r[at("too many redirects")] = redirect("/chain/1.html")
    for k in range(1, 40):
        r[f"/chain/{k}.html"] = redirect(f"/chain/{k + 1}.html")
    r[at("gzip bomb")] = Reply(body=BOMB, headers=(("Content-Encoding", "gzip"),))
    r[at("deflate bomb")] = Reply(body=DEFLATE_BOMB, headers=(("Content-Encoding", "deflate"),))
    r[at("brotli bomb")] = Reply(body=BROTLI_BOMB, headers=(("Content-Encoding", "br"),))
    r[at("11 MB page")] = Reply(body=b"<html><body>" + "<p>教育</p>".encode() * 1_100_000 + b"</body></html>")
    r[at("9.5 MB page")] = Reply(body=b"<html><body>" + "<p>教育</p>".encode() * 730_000 + b"</body></html>")
    r[at("pdf")] = Reply(body=PDF, content_type="application/pdf")
    r[at("png served as html")] = Reply(body=PNG, content_type="text/html")
    r[at("gbk declared utf-8")] = Reply(body=gbk_page_declared_utf8(10), content_type="text/html")
    r[at("timeout")] = slow(6, good[11])
    r[at("truncated")] = Reply(raw=b"HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nContent-Length: 50000\r\n\r\n<html><body>")
    r[at("http 500")] = Reply(500, "<html><body>error</body></html>")
    r[at("429 then ok")] = twice(Reply(429, "slow down", headers=(("Retry-After", "1"),)), good[14])
    r[at("503 wait an hour")] = Reply(503, "maintenance", headers=(("Retry-After", "3600"),))
    continued = at("continuation off-site")
    second = continued.replace(".html", "_2.html")
    r[continued] = Reply(body=article_page(116).replace("</div></body>", f'<p><a href="{second}">下一页</a></p></div></body>'))
    r[second] = redirect(f"{forbidden}/page2.html")
    r[at("binary as html")] = Reply(body=bytes(range(256)) * 400, content_type="text/html")
    return r


@pytest.fixture(scope="module")
def suite(tmp_path_factory):
    db = tmp_path_factory.mktemp("safety") / "news.db"
    with Replica({}, host="127.0.0.2") as forbidden, Replica({}) as other_port:
        with Replica({}) as site:
            site.routes.update(routes(site.url, forbidden.url, other_port.url))
            # a fresh interpreter runs the crawl so that its children's peak RSS is the crawl's own
            runner = ("import resource, subprocess, sys, json; r = subprocess.run(sys.argv[1:], capture_output=True, text=True); "
                      "print(json.dumps({'rc': r.returncode, 'out': r.stdout, 'err': r.stderr[-4000:], "
                      "'rss_kb': resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss}))")
            command = [sys.executable, "-m", "aggregator.cli", "crawl", "zj_jyt", "--db", str(db),
                       "--base-url", site.url, "--allow-private", "-s", "DOWNLOAD_DELAY=0",
                       "-s", "AUTOTHROTTLE_ENABLED=0", "-s", "RETRY_ENABLED=0", "-s", "DOWNLOAD_TIMEOUT=3"]
            out = subprocess.run([sys.executable, "-c", runner, *command], capture_output=True, text=True, timeout=300)
            result = json.loads(out.stdout)
            requests = {"site": list(site.requests), "forbidden": list(forbidden.requests),
                        "other_port": list(other_port.requests)}
    return result, sqlite_utils.Database(db), requests


def test_the_crawl_completes_and_names_the_site(suite):
    result, _, _ = suite
    assert result["rc"] in (0, 3), result["err"]
    assert "crawl 1: 1 sites" in result["out"] and "0 errors" in result["out"]


@pytest.mark.parametrize("index,case", list(enumerate(CASES)), ids=[name for name, _ in CASES])
def test_every_listed_url_is_an_article_or_a_reject_with_its_reason(suite, index, case):
    _, db, _ = suite
    name, expected = case
    listed = path(index)
    stored = [r for r in db["articles"].rows if r["url"].endswith(listed)]
    rejects = [r["reason"] for r in db["rejects"].rows if r["url"].endswith(listed)]
    if expected == "article":
        assert len(stored) == 1, rejects
    else:
        assert not stored
        assert any(reason.startswith(expected) for reason in rejects), rejects


def test_the_continuation_that_left_the_site_is_a_reject_and_not_in_the_article(suite):
    _, db, _ = suite
    rejects = [r for r in db["rejects"].rows if r["url"].endswith("_2.html")]
    assert [r["reason"] for r in rejects] == ["redirected off-site to 127.0.0.2"]


def test_hosts_the_crawl_must_not_reach_got_no_request(suite):
    _, _, requests = suite
    assert requests["forbidden"] == [] and requests["other_port"] == []


def test_no_chain_of_redirects_goes_on_forever(suite):
    _, _, requests = suite
    assert max(int(p.split("/")[-1].split(".")[0]) for _, p in requests["site"] if p.startswith("/chain/")) <= 21


def test_peak_memory_stays_under_300_mb(suite):
    result, _, _ = suite
    print(f"peak RSS of the bad-input crawl: {result['rss_kb'] // 1024} MB")
    assert result["rss_kb"] < 300 * 1024, result["rss_kb"]


def test_a_rejected_page_is_one_log_line_without_its_html(suite):
    result, _, _ = suite
    assert "<html" not in result["err"] and "教育</p>" not in result["err"]


def test_a_private_mirror_without_allow_private_is_refused_before_any_request(tmp_path):
    with Replica({COLUMN: Reply(body=column_page([path(0)]))}) as site:
        result = subprocess.run([sys.executable, "-m", "aggregator.cli", "crawl", "zj_jyt", "--db", str(tmp_path / "n.db"),
                                 "--base-url", site.url, "-s", "DOWNLOAD_DELAY=0"],
                                capture_output=True, text=True, timeout=120)
        requests = list(site.requests)
    assert result.returncode == 1
    assert "refused: loopback address 127.0.0.1 (--allow-private lets a mirror through)" in result.stdout
    assert requests == []


def test_a_name_that_resolves_to_a_private_address_is_refused(tmp_path):
    # "localhost" is a name: the guard sees the address the resolver gives the connection
    with Replica({COLUMN: Reply(body=column_page([path(0)]))}) as site:
        mirror = site.url.replace("127.0.0.1", "localhost")
        result = subprocess.run([sys.executable, "-m", "aggregator.cli", "crawl", "zj_jyt", "--db", str(tmp_path / "n.db"),
                                 "--base-url", mirror, "-s", "DOWNLOAD_DELAY=0"],
                                capture_output=True, text=True, timeout=120)
        requests = list(site.requests)
    assert result.returncode == 1 and "refused: loopback address 127.0.0.1" in result.stdout
    assert requests == []


# -- the pure parts --------------------------------------------------------------------
@pytest.mark.parametrize("ip,words", [
    ("127.0.0.1", "loopback"), ("::1", "loopback"), ("10.1.2.3", "private"), ("192.168.0.1", "private"),
    ("172.16.5.4", "private"), ("169.254.169.254", "link-local"), ("fe80::1", "link-local"),
    ("224.0.0.1", "multicast"), ("0.0.0.0", "unspecified"), ("::ffff:127.0.0.1", "loopback"),
    ("100.64.0.1", "non-global"), ("fd00::1", "private"), ("240.0.0.1", "reserved"),
])
def test_addresses_that_are_refused(ip, words):
    from aggregator.netguard import refusal
    assert words in (refusal(ip) or "")


@pytest.mark.parametrize("ip", ["202.96.209.133", "2400:3200::1", "8.8.8.8"])
def test_global_addresses_pass(ip):
    from aggregator.netguard import refusal
    assert refusal(ip) is None


@pytest.mark.parametrize("content_type,body,kind", [
    ("application/pdf", PDF, "application/pdf"),
    ("text/html", PDF, "PDF (served as text/html)"),
    ("", PNG, "PNG image"),
    ("application/vnd.openxmlformats-officedocument.wordprocessingml.document", b"PK\x03\x04",
     "application/vnd.openxmlformats-officedocument.wordprocessingml.document"),
    ("image/jpeg", b"\xff\xd8\xff\xe0", "image/jpeg"),
    ("text/html; charset=gbk", "<html>教育</html>".encode("gbk"), None),
    ("application/xhtml+xml", b"<html></html>", None),
    (None, b"<html></html>", None),
])
def test_what_is_not_a_page(content_type, body, kind):
    from aggregator.page_kind import not_a_page
    assert not_a_page(content_type, body) == kind


@pytest.mark.parametrize("value,seconds", [("120", 120.0), (b"0", 0.0), ("soon", None), ("", None),
                                           ("Wed, 21 Oct 2015 07:28:00 GMT", 0.0)])
def test_retry_after_seconds(value, seconds):
    from aggregator.middlewares import retry_after_seconds
    assert retry_after_seconds(value) == seconds
