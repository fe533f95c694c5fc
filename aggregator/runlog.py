"""Operating a crawl: a log file per run, and progress on a terminal only.

run_log(db_path, crawl_id): while a crawl runs, Scrapy's log at INFO also goes to
    `logs/<crawl id>.log` beside the database (whatever reaches the terminal or cron's mail:
    warnings only, or INFO with --verbose). The summary line closes the file.
Progress (a Scrapy extension): on a terminal (stderr a TTY) one line, rewritten every few
    seconds, with pages fetched and articles new per site; under cron (no TTY) nothing.
"""
from __future__ import annotations

import contextlib
import logging
import sys
from pathlib import Path

from scrapy import signals as scrapy_signals
from scrapy.exceptions import NotConfigured

LOG_FORMAT = "%(asctime)s [%(name)s] %(levelname)s: %(message)s"


def log_path(db_path, crawl_id) -> Path:
    return Path(db_path).resolve().parent / "logs" / f"{crawl_id}.log"


@contextlib.contextmanager
def run_log(db_path, crawl_id):
    """Scrapy's INFO log of this run into logs/<crawl id>.log; yields the handler's path."""
    path = log_path(db_path, crawl_id)
    path.parent.mkdir(parents=True, exist_ok=True)
    handler = logging.FileHandler(path, encoding="utf-8")
    handler.setLevel(logging.INFO)
    handler.setFormatter(logging.Formatter(LOG_FORMAT))
    root = logging.getLogger()
    root.addHandler(handler)
    try:
        yield path
    finally:
        root.removeHandler(handler)
        handler.close()


def append_line(path, line):
    with open(path, "a", encoding="utf-8") as log:
        log.write(line + "\n")


class Progress:
    """One progress line on a terminal for all the spiders of a process."""
    INTERVAL = 2.0
    _sites: dict = {}
    _loop = None

    def __init__(self, stream):
        self.stream = stream

    @classmethod
    def from_crawler(cls, crawler):
        stream = sys.stderr
        if not crawler.settings.getbool("AGGREGATOR_PROGRESS") or not stream.isatty():
            raise NotConfigured("progress is shown on a terminal only")
        progress = cls(stream)
        progress.crawler = crawler
        crawler.signals.connect(progress.spider_opened, signal=scrapy_signals.spider_opened)
        crawler.signals.connect(progress.spider_closed, signal=scrapy_signals.spider_closed)
        return progress

    def spider_opened(self, spider):
        Progress._sites[spider.name] = self.crawler.stats
        if Progress._loop is None:
            from twisted.internet import task
            Progress._loop = task.LoopingCall(self.show)
            Progress._loop.start(self.INTERVAL, now=False)

    def spider_closed(self, spider):
        self.show()
        Progress._sites.pop(spider.name, None)
        if not Progress._sites and Progress._loop is not None:
            if Progress._loop.running:
                Progress._loop.stop()
            Progress._loop = None
            self.stream.write("\n")
            self.stream.flush()

    def show(self):
        parts = []
        for name, stats in sorted(Progress._sites.items()):
            pages = stats.get_value("downloader/response_count", 0)
            new = stats.get_value("aggregator/articles_new", 0)
            parts.append(f"{name} {pages} pages, {new} new")
        if parts:
            self.stream.write("\r\x1b[K" + "; ".join(parts))
            self.stream.flush()
