"""A TRS WCM column whose articles change between crawls, served by tests/replica.py with the
validators a real web server sends (ETag, Last-Modified) and 304 to a conditional GET.

The markup is the 教育部 replica's (tests/replicas/moe.py: div#wcmpagehtml ul#list li, the
createPageHTML pager, TRS_Editor article pages with the government meta tags), crawled by the
registered `moe` spider through `--base-url`. ETag and Last-Modified follow what Apache and
nginx send for static files (a quoted opaque tag; the file's modification time as an HTTP
date), and the 304 answer follows RFC 9110 section 13.1 (If-None-Match wins over
If-Modified-Since).

    column = ChangingColumn(60)          # 60 articles, newest first, 10 a listing page
    with Replica(column.routes()) as site:
        ...crawl...
        column.add(3); column.change(2); column.remove(1)
        column.publish(site)             # the next crawl sees the new state
"""
from __future__ import annotations

import hashlib
import random
from dataclasses import replace
from datetime import datetime, timedelta, timezone
from email.utils import format_datetime
from html import escape

from aggregator.dates import CHINA_TZ
from aggregator.demo.content import Writer
from tests.replica import Reply
from tests.replicas.moe import COLUMN, CREATE_PAGE_JS, MINISTRY, SOURCES, article_page

PER_PAGE = 10


class ChangingColumn:
    def __init__(self, n, *, per_page=PER_PAGE, seed=20, now=None, hours_apart=3):
        self.writer = Writer(random.Random(seed))
        self.per_page = per_page
        # the pages print Beijing time (naive, as aggregator.demo.content.Article.published)
        self.now = now or datetime.now(CHINA_TZ).replace(tzinfo=None, microsecond=0)
        self.hours_apart = hours_apart
        self.serial = 0
        self.clock = 0                  # bumps with every change: the Last-Modified of what changed
        # newest first: [path, Article, people, source, modified]
        self.articles = []
        for i in range(n):
            self.articles.append(self._make(self.now - timedelta(hours=hours_apart * (n - i))))
        self.articles.reverse()
        self.removed = set()

    def _make(self, published):
        self.serial += 1
        a = replace(self.writer.article(MINISTRY, min_han=220, voice="ministry"), published=published)
        path = f"{COLUMN}moe_1485/{published:%Y%m}/t{published:%Y%m%d}_{700000 + self.serial}.html"
        people = {"author": self.writer.name(), "editor": self.writer.name()}
        return [path, a, people, SOURCES[self.serial % len(SOURCES)], self.clock]

    # changes between crawls ---------------------------------------------------------------
    def add(self, k):
        """k new articles, published after every stored one: they head the listing."""
        self.clock += 1
        newest = max(a[1].published for a in self.articles)
        for i in range(k):
            self.articles.insert(0, self._make(newest + timedelta(minutes=10 * (i + 1))))
        return [a[0] for a in self.articles[:k]]

    def change(self, paths):
        """Correct these articles: a paragraph added at the end, the title fixed."""
        self.clock += 1
        for entry in self.articles:
            if entry[0] in paths:
                a = entry[1]
                entry[1] = replace(a, title=a.title + "（更正）",
                                   paragraphs=tuple(a.paragraphs) + ("更正说明：本文第二段数字有误，现已更正。",))
                entry[4] = self.clock
        return list(paths)

    def remove(self, paths):
        """Withdraw these articles: they answer 404 and leave the listing."""
        self.removed |= set(paths)

    def pick(self, k, *, skip=0):
        """Paths of k listed articles spread over the column, after the first `skip`."""
        listed = [a[0] for a in self.listed()][skip:]
        step = max(len(listed) // max(k, 1), 1)
        return listed[::step][:k]

    # what the server answers --------------------------------------------------------------
    def listed(self):
        return [a for a in self.articles if a[0] not in self.removed]

    def pages(self):
        listed = self.listed()
        return max(-(-len(listed) // self.per_page), 1)

    def column_page(self, num):
        chunk = self.listed()[num * self.per_page:(num + 1) * self.per_page]
        rows = "\n".join(f'<li><a href="./{p[len(COLUMN):]}" target="_blank" title="{escape(a.title)}">'
                         f"{escape(a.title)}</a><span>{a.published:%Y-%m-%d}</span></li>" for p, a, *_ in chunk)
        return (f'<!DOCTYPE html><html lang="zh-CN"><head><meta charset="utf-8"><title>工作动态</title>'
                f'<meta name="ColumnName" content="工作动态"><script>{CREATE_PAGE_JS}</script></head><body>'
                f'<div id="wcmpagehtml"><div class="scy_lbsj-right-nr"><ul id="list">\n{rows}\n</ul></div>'
                f'<div class="scy_tylb_fy-nr"><ul><script>createPageHTML({self.pages()}, {num}, "index", "html");'
                f"</script></ul></div></div></body></html>")

    def publish(self, replica):
        """Serve the column's present state from a running Replica (its robots.txt kept)."""
        replica.routes = {"/robots.txt": replica.routes["/robots.txt"], **self.routes()}

    def routes(self) -> dict:
        table = {}
        for num in range(self.pages()):
            name = "index.html" if num == 0 else f"index_{num}.html"
            table[f"{COLUMN}{name}"] = validated(self.column_page(num), self.clock)
        for path, a, people, source, modified in self.articles:
            if path not in self.removed:
                table[path] = validated(article_page(path, a, people, source), modified)
        return table


EPOCH = datetime(2024, 1, 1)


def validated(body: str, modified: int) -> Reply:
    """A 200 answer with an ETag (a digest of the body) and a Last-Modified (one hour per
    change of the site: what changed together has one time)."""
    etag = '"%s"' % hashlib.sha1(body.encode("utf-8")).hexdigest()[:16]
    stamp = format_datetime((EPOCH + timedelta(hours=modified)).replace(tzinfo=timezone.utc), usegmt=True)
    return Reply(body=body, headers=(("ETag", etag), ("Last-Modified", stamp)))
