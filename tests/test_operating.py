"""Operating scheduled crawls: a log file per run beside the database, progress on a terminal
only, and `aggregator crawls` listing the recent runs."""
import os
import pty
import subprocess
import sys
import threading

import pytest

from tests.replica import Replica
from tests.replicas import moe
from tests.test_real_sites import FAST


def crawl_command(site, db):
    return [sys.executable, "-m", "aggregator.cli", "crawl", "moe", "--db", str(db), "--base-url", site.url,
            "--allow-private", *FAST]


@pytest.fixture(scope="module")
def crawled(tmp_path_factory):
    db = tmp_path_factory.mktemp("ops") / "news.db"
    with Replica(moe.routes()) as site:
        first = subprocess.run(crawl_command(site, db), capture_output=True, text=True, timeout=300)
        second = subprocess.run(crawl_command(site, db), capture_output=True, text=True, timeout=300)
    assert first.returncode == second.returncode == 0, first.stderr + second.stderr
    return db, first, second


def test_each_run_has_its_log_file_at_info_ending_with_the_summary(crawled):
    db, first, second = crawled
    for crawl_id, result in ((1, first), (2, second)):
        log = (db.parent / "logs" / f"{crawl_id}.log").read_text(encoding="utf-8")
        assert "INFO: Spider opened" in log and "INFO: Spider closed (finished)" in log
        assert log.rstrip().splitlines()[-1] == result.stdout.strip()
    # under cron (no terminal, no --verbose) nothing of that reaches stderr, and no progress
    assert "INFO" not in first.stderr and " pages, " not in first.stderr


def test_crawls_lists_the_recent_runs_newest_first(crawled):
    db, _, _ = crawled
    result = subprocess.run([sys.executable, "-m", "aggregator.cli", "crawls", "--db", str(db)],
                            capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert lines[0].split()[:5] == ["id", "started", "finished", "status", "pages"]
    rows = [line.split() for line in lines[1:] if line.strip() and not set(line.strip()) <= {"-", " "}]
    assert [(r[0], r[3]) for r in rows] == [("2", "finished"), ("1", "finished")]
    assert rows[1][5] == str(len(moe.ARTICLES))        # articles new in the first run


def test_progress_is_shown_on_a_terminal(tmp_path):
    master, slave = pty.openpty()
    seen = []

    def read_terminal():  # concurrently: a full terminal buffer would block the crawl
        while True:
            try:
                chunk = os.read(master, 65536)
            except OSError:  # the terminal closed with the process
                return
            if not chunk:
                return
            seen.append(chunk)
    reader = threading.Thread(target=read_terminal, daemon=True)
    reader.start()
    with Replica(moe.routes()) as site:
        process = subprocess.Popen(crawl_command(site, tmp_path / "n.db") + ["-s", "CONCURRENT_REQUESTS_PER_DOMAIN=1"],
                                   stdout=subprocess.PIPE, stderr=slave, text=True)
        os.close(slave)
        out, _ = process.communicate(timeout=300)
    reader.join(timeout=10)
    os.close(master)
    assert process.returncode == 0
    text = b"".join(seen).decode("utf-8", "replace")
    assert f"moe {len(moe.ARTICLES) + PAGES_AND_ROBOTS} pages, {len(moe.ARTICLES)} new" in text, text[-500:]
    assert out.count("\n") == 1 and out.startswith("crawl 1: ")   # stdout: the summary line only


PAGES_AND_ROBOTS = moe.PAGES + 1
