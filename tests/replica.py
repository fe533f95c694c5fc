"""A loopback HTTP server for replicas of real sites (tests/replicas/<site>.py).

    with Replica(routes) as site:
        site.url            # "http://127.0.0.1:PORT"
        site.requests       # [(method, path with query), ...] in arrival order
        site.answers        # [(method, path with query, status, body bytes sent), ...]

routes: {"/path": Reply | callable(req) -> Reply, "POST /path": callable, "GET /path": callable}.
A path with no route answers 404; robots.txt allows everything unless a route gives one.
A 200 reply carrying an ETag or Last-Modified header answers a GET whose If-None-Match or
If-Modified-Since matches it with 304 and no body, as web servers do (RFC 9110 section 13.1.1-2:
If-None-Match is used when given, If-Modified-Since only without it).
stdlib only (http.server); nothing beyond 127.0.0.1.
"""
from __future__ import annotations

import threading
from dataclasses import dataclass
from email.utils import parsedate_to_datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qsl, urlsplit


@dataclass(frozen=True)
class Reply:
    status: int = 200
    body: bytes | str = b""
    content_type: str = "text/html; charset=utf-8"
    headers: tuple = ()
    # the whole answer as bytes on the wire (status line, headers, body), then the connection
    # closes: for truncated or malformed responses
    raw: bytes | None = None

    def payload(self) -> bytes:
        return self.body.encode("utf-8") if isinstance(self.body, str) else self.body


@dataclass(frozen=True)
class Request:
    method: str
    path: str
    query: dict
    form: dict
    headers: dict


_VALIDATORS = ("ETag", "Last-Modified")


def not_modified(req: Request, reply: Reply) -> bool:
    """Does the request's If-None-Match / If-Modified-Since match the reply's validators?"""
    given = {name: value for name, value in reply.headers if name in _VALIDATORS}
    headers = {name.lower(): value for name, value in req.headers.items()}
    if "if-none-match" in headers:
        tags = [tag.strip() for tag in headers["if-none-match"].split(",")]
        return "ETag" in given and (given["ETag"] in tags or "*" in tags)
    if "if-modified-since" in headers and "Last-Modified" in given:
        try:
            return parsedate_to_datetime(given["Last-Modified"]) <= parsedate_to_datetime(headers["if-modified-since"])
        except (TypeError, ValueError):
            return False
    return False


NOT_FOUND = Reply(404, "<html><body><h1>404 Not Found</h1></body></html>")
ROBOTS = Reply(200, "User-agent: *\nAllow: /\n", "text/plain; charset=utf-8")


class Replica:
    def __init__(self, routes: dict, host: str = "127.0.0.1"):
        self.routes = {"/robots.txt": ROBOTS, **routes}
        self.host = host
        self.requests: list = []
        self.answers: list = []
        self._server = None

    def reply_for(self, req: Request) -> Reply:
        route = (self.routes.get(f"{req.method} {req.path}")
                 or (self.routes.get(f"GET {req.path}") if req.method == "HEAD" else None)
                 or self.routes.get(req.path))
        if route is None:
            return NOT_FOUND
        reply = route(req) if callable(route) else route
        if reply.status == 200 and req.method in ("GET", "HEAD") and not_modified(req, reply):
            return Reply(304, b"", reply.content_type, tuple(h for h in reply.headers if h[0] in _VALIDATORS))
        return reply

    def _handler(self):
        replica = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, format, *args):
                pass

            def _answer(self, method):
                parts = urlsplit(self.path)
                length = int(self.headers.get("Content-Length") or 0)
                raw = self.rfile.read(length).decode("utf-8", "replace") if length > 0 else ""
                replica.requests.append((method, self.path))
                req = Request(method, parts.path or "/", dict(parse_qsl(parts.query)),
                              dict(parse_qsl(raw)), dict(self.headers.items()))
                reply = replica.reply_for(req)
                if reply.raw is not None:
                    self.wfile.write(reply.raw)
                    self.wfile.flush()
                    self.close_connection = True
                    return
                body = reply.payload()
                replica.answers.append((method, self.path, reply.status, 0 if method == "HEAD" else len(body)))
                self.send_response(reply.status)
                self.send_header("Content-Type", reply.content_type)
                self.send_header("Content-Length", str(len(body)))
                for name, value in reply.headers:
                    self.send_header(name, value)
                self.end_headers()
                if method != "HEAD":
                    self.wfile.write(body)

            def do_GET(self):
                self._answer("GET")

            def do_POST(self):
                self._answer("POST")

            def do_HEAD(self):
                self._answer("HEAD")

        return Handler

    def __enter__(self) -> "Replica":
        self._server = ThreadingHTTPServer((self.host, 0), self._handler())
        self._server.daemon_threads = True
        threading.Thread(target=self._server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True).start()
        self.url = "http://%s:%d" % (self.host, self._server.server_address[1])
        return self

    def __exit__(self, *exc):
        self._server.shutdown()
        self._server.server_close()
