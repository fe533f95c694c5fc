"""One bad page never stops a crawl: each becomes a reject row with its reason, the rest are stored.

A small HTTP server on 127.0.0.1 serves a listing in the demo county site's shape whose links
lead to an empty page, a page with no body, 5 MB of nested tables, binary served as text/html,
mojibake, and one good article; the real demo_county spider crawls it through `aggregator crawl`.
"""
import subprocess
import sys
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
import sqlite_utils

from tests.conftest import BODY

GOOD = ("<html><head><title>北仑区举行百强支部PK赛 - 教育局</title></head><body><h1>北仑区举行百强支部PK赛</h1>"
        "<div class='info'>发布日期：2021-06-30 13:06 来源：北仑区教育局</div><div class='content'>"
        + "".join(f"<p>{p}</p>" for p in BODY.splitlines()) + "</div></body></html>").encode("utf-8")
NESTED = ("<html><body>" + "<table><tr><td>" * 170000 + "数据" * 1000
          + "</td></tr></table>" * 170000 + "</body></html>").encode("utf-8")  # 5.6 MB
PAGES = {
    "/news/2021/0630/1.html": ("empty", b""),
    "/news/2021/0630/2.html": ("no body", b"<html><head><title>x</title></head><body><div>\xe9\xa6\x96\xe9\xa1\xb5</div></body></html>"),
    "/news/2021/0630/3.html": ("nested tables", NESTED),
    "/news/2021/0630/4.html": ("binary", bytes(range(256)) * 4000),
    "/news/2021/0630/5.html": ("mojibake", "北仑区教育局召开会议，部署秋季开学工作。".encode("utf-8").decode("latin-1").encode("utf-8") * 50),
    "/news/2021/0630/6.html": ("good", GOOD),
}
LISTING = ("<html><body><ul>" + "".join(f"<li><a href='{p}'>{name}</a></li>" for p, (name, _) in PAGES.items())
           + "</ul></body></html>").encode("utf-8")


class Handler(BaseHTTPRequestHandler):
    def log_message(self, *args):
        pass

    def do_GET(self):
        body = LISTING if self.path == "/news/list_1.html" else PAGES.get(self.path, (None, None))[1]
        if self.path == "/robots.txt":
            body = b"User-agent: *\nAllow: /\n"
        if body is None:
            self.send_error(404)
            return
        self.send_response(200)
        self.send_header("Content-Type", "text/html")  # binary too: served as text/html
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)


@pytest.fixture(scope="module")
def crawled(tmp_path_factory):
    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    db = tmp_path_factory.mktemp("bad") / "bad.db"
    try:
        result = subprocess.run(
            [sys.executable, "-m", "aggregator.cli", "crawl", "demo_county", "--db", str(db),
             "--base-url", f"http://127.0.0.1:{server.server_address[1]}"],
            capture_output=True, text=True, timeout=300)
    finally:
        server.shutdown()
    return result, sqlite_utils.Database(db)


def test_crawl_goes_on_and_reports_the_site_degraded(crawled):
    result, db = crawled
    # five of six new pages were rejects: the crawl finishes, and says the site is not well
    assert result.returncode == 3, result.stdout + result.stderr
    assert "1 articles new" in result.stdout and "5 rejects" in result.stdout and "0 errors" in result.stdout
    assert "degraded: demo_county (5 of 6 new pages were rejects" in result.stdout
    assert [r["status"] for r in db["site_runs"].rows] == ["degraded"]


def test_the_good_page_is_stored(crawled):
    _, db = crawled
    assert [r["title"] for r in db["articles"].rows] == ["北仑区举行百强支部PK赛"]


@pytest.mark.parametrize("page,reason", [
    ("1.html", "empty page"),
    ("2.html", "no body"),
    ("3.html", "page too"),
    ("4.html", "not text"),
    ("5.html", "mojibake"),
])
def test_each_bad_page_is_a_reject_with_its_reason(crawled, page, reason):
    _, db = crawled
    rows = [r for r in db["rejects"].rows if r["url"].endswith("/news/2021/0630/" + page)]
    assert len(rows) == 1
    assert rows[0]["reason"].startswith(reason), rows[0]["reason"]
