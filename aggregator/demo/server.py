"""Serve the demo sites on 127.0.0.1, one free port per site, from pre-rendered pages.

    from aggregator.demo.server import DemoSites
    with DemoSites() as sites:
        sites.urls                       # {"demo_beilun": "http://127.0.0.1:PORT", ...}
        sites.start_urls("demo_beilun")  # full listing URLs a spider starts from
        sites.expected                   # facts for tests (full URLs), see DemoSites.expected

    python -m aggregator.demo.server     # serve until Ctrl-C, print each site's URL

stdlib only (http.server.ThreadingHTTPServer); no network beyond the loopback.
"""
from __future__ import annotations

import argparse
from collections import Counter
import sys
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qsl, urlsplit

from aggregator.demo.sites import DEFAULT_SEED, HOST_PLACEHOLDER, ROBOTS, Page, Site, build_sites, not_found_page

MAX_POST = 1 << 20
# the longest an answer waits for a closed gate (then it is sent anyway: a test never hangs)
GATE_TIMEOUT = 120


def _handler_for(site: Site, fetches: Counter, lock: threading.Lock, delay: float = 0.0,
                 gate: threading.Event | None = None):
    missing = not_found_page()
    robots = Page(200, ROBOTS, "text/plain; charset=utf-8")

    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"
        server_version = "DemoCMS/1.0"
        sys_version = ""

        def log_message(self, format, *args):    # quiet: no stderr line per request
            pass

        def _lookup(self, path):
            if path == "/robots.txt":
                return robots
            page = site.pages.get(path)
            if page is None and path.endswith("/"):
                page = site.pages.get(path + "index.html")
            return page or missing

        def _count(self, method, body=b""):
            # tests check that a crawl fetched every URL once (several crawler processes included)
            host = "%s:%d" % self.server.server_address[:2]
            key = f"http://{host}{self.path}" + (f" {body.decode('latin-1')}" if body else "")
            with lock:
                fetches[(method, key) if method != "GET" else key] += 1
            if gate is not None:
                gate.wait(GATE_TIMEOUT)
            if delay:
                time.sleep(delay)

        def _send(self, page: Page, head=False, extra_headers=()):
            body = page.body
            if page.needs_origin:
                host = self.headers.get("Host") or "%s:%d" % self.server.server_address[:2]
                body = body.replace(HOST_PLACEHOLDER, host.encode("ascii", "replace"))
            self.send_response(page.status)
            self.send_header("Content-Type", page.content_type)
            self.send_header("Content-Length", str(len(body)))
            for k, v in extra_headers:
                self.send_header(k, v)
            self.end_headers()
            if not head:
                self.wfile.write(body)

        def do_GET(self, head=False):
            self._count("HEAD" if head else "GET")
            path = urlsplit(self.path).path or "/"
            if path in site.post_paths:
                page = Page(405, b"<html><body><h1>405 Method Not Allowed</h1></body></html>")
                return self._send(page, head, (("Allow", "POST"),))
            self._send(self._lookup(path), head)

        def do_HEAD(self):
            self.do_GET(head=True)

        def do_POST(self):
            parts = urlsplit(self.path)
            length = min(int(self.headers.get("Content-Length") or 0), MAX_POST)
            raw = self.rfile.read(length) if length > 0 else b""
            self._count("POST", raw)
            if parts.path not in site.post_paths or site.post is None:
                return self._send(Page(405, b"<html><body><h1>405 Method Not Allowed</h1></body></html>"),
                                  extra_headers=(("Allow", "GET, HEAD"),))
            params = dict(parse_qsl(parts.query))
            params.update(parse_qsl(raw.decode("utf-8", "replace")))
            self._send(site.post(params))

    return Handler


class DemoSites:
    """Every demo site on its own free port of 127.0.0.1, served from daemon threads.

    expected (full URLs, computed from the generated content):
        articles        {site: number of distinct article pages answering 200 (continuations excluded)}
        not_found       [article URL listed on a column page that answers 404]
        server_error    [article URL listed on a column page that answers 500]
        doubled_body    URL of the page whose body is printed twice (+ a 推荐新闻 list)
        doubled_body_text_once  that body once, paragraphs joined by "\\n"
        republished     [(original_url, copy_url, credited)]
        multipage       URL of the TRS article continued on ..._1.html
        table           URL of the TRS article with a <table>
        gbk_site        "demo_county"
        undeclared_charset  [GBK article URLs with neither an HTTP nor a <meta> charset]
        listing         {listing URL: number of records it leads to (all pages of that listing)}
        pages           {article URL: {"site", "title", "published" ("YYYY-MM-DD HH:MM:SS", Beijing),
                          "body" (paragraphs joined by "\\n", whole body for multipage), "authors",
                          "source", "section"}}; county pages also carry "correspondents"
    """

    def __init__(self, seed: int = DEFAULT_SEED, host: str = "127.0.0.1", base_port: int | None = None,
                 delay: float = 0.0, gate: threading.Event | None = None):
        """base_port: serve the sites on base_port, base_port+1, ... (stable URLs across runs, so a
        second crawl of the demo finds the same articles); None: any free ports. delay: seconds
        each answer waits (a loopback mirror as slow as a real server, for bench/scale.py).
        gate: answers wait until it is set (a test lets several crawlers start before any fetch).

        fetches counts the requests each URL got: {url: n} for GET (a POST is counted under
        ("POST", "url body"), a HEAD under ("HEAD", url))."""
        self.host = host
        self.base_port = base_port
        self.sites = build_sites(seed)
        self._servers: dict = {}
        self._threads: list = []
        self.urls: dict = {}
        self.expected: dict = {}
        self.delay = delay
        self.gate = gate
        self.fetches: Counter = Counter()
        self._fetch_lock = threading.Lock()

    # -- lifecycle
    def start(self) -> "DemoSites":
        if self._servers:
            return self
        for offset, (name, site) in enumerate(self.sites.items()):
            port = self.base_port + offset if self.base_port else 0
            try:
                server = ThreadingHTTPServer((self.host, port), _handler_for(site, self.fetches, self._fetch_lock, self.delay, self.gate))
            except OSError as exc:
                self.stop()
                raise OSError(f"cannot serve demo site {name} on {self.host}:{port}: {exc}") from exc
            server.daemon_threads = True
            thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.1},
                                      name=f"demo-{name}", daemon=True)
            thread.start()
            self._servers[name] = server
            self._threads.append(thread)
            self.urls[name] = "http://%s:%d" % (self.host, server.server_address[1])
        self.expected = self._expected()
        return self

    def stop(self) -> None:
        for server in self._servers.values():
            server.shutdown()
            server.server_close()
        self._servers.clear()
        self._threads.clear()

    def __enter__(self) -> "DemoSites":
        return self.start()

    def __exit__(self, *exc) -> None:
        self.stop()

    # -- what the crawler and the tests need
    def url(self, name: str, path: str) -> str:
        return self.urls[name] + path

    def start_urls(self, name: str) -> list:
        return [self.url(name, p) for p in self.sites[name].start_paths]

    def _expected(self) -> dict:
        full = {}

        beilun, moe = self.sites["demo_beilun"].expected, self.sites["demo_moe"].expected
        full["articles"] = {n: s.expected["articles"] for n, s in self.sites.items()}
        full["not_found"] = [self.url("demo_beilun", p) for p in beilun["not_found"]]
        full["server_error"] = [self.url("demo_beilun", p) for p in beilun["server_error"]]
        full["doubled_body"] = self.url("demo_beilun", beilun["doubled_body"])
        full["doubled_body_text_once"] = beilun["doubled_body_text_once"]
        full["multipage"] = self.url("demo_moe", moe["multipage"])
        full["table"] = self.url("demo_moe", moe["table"])
        full["gbk_site"] = "demo_county"
        full["undeclared_charset"] = [self.url("demo_county", p)
                                      for p in self.sites["demo_county"].expected["undeclared_charset"]]
        full["republished"] = []
        for name, site in self.sites.items():
            for orig, copy, credited in site.expected.get("republished", []):
                full["republished"].append((self.url("demo_beilun", orig), self.url(name, copy), credited))
        full["listing"] = {self.url(n, p): c for n, s in self.sites.items() for p, c in s.expected["listing"].items()}
        full["pages"] = {self.url(n, p): f for n, s in self.sites.items() for p, f in s.expected["pages"].items()}
        return full


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(prog="python -m aggregator.demo.server",
                                     description="Serve the offline demo education-bureau sites until Ctrl-C.")
    parser.add_argument("--seed", type=int, default=DEFAULT_SEED, help="content seed (default: %(default)s)")
    parser.add_argument("--port", type=int, default=None, help="first port (default: any free ports)")
    args = parser.parse_args(argv)
    with DemoSites(seed=args.seed, base_port=args.port) as sites:
        for name in sites.urls:
            print(f"{name:12s} {sites.sites[name].display_name:16s} {' '.join(sites.start_urls(name))}", flush=True)
        try:
            while True:
                time.sleep(3600)
        except KeyboardInterrupt:
            print("stopped", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
