"""A crawl stopped by SIGTERM keeps what it stored and says `interrupted`; one killed with
SIGKILL leaves a `running` row that the next run marks `interrupted`; run again, it loses
nothing and duplicates nothing."""
import signal
import subprocess
import sys
import time

import pytest
import sqlite_utils

from tests.replica import Replica, Reply
from tests.test_site_health import COLUMN, article_page, column_page

# long enough that the last kill (after 20 stored) lands well before the end on a loaded machine
N = 60


def slow_site():
    hrefs = [f"/art/2024/5/{i % 9 + 1}/art_1543974_{6100 + i}.html" for i in range(N)]

    def slowly(i):
        def answer(req):
            time.sleep(0.15)
            return Reply(body=article_page(200 + i))
        return answer
    routes = {COLUMN: Reply(body=column_page(hrefs))}
    routes.update({h: slowly(i) for i, h in enumerate(hrefs)})
    return routes


def start(site, db):
    # commits 0.2 s apart (AGGREGATOR_COMMIT_SECONDS) so that the kills land between commits
    # of this short crawl, as they would in a long one with the default
    return subprocess.Popen([sys.executable, "-m", "aggregator.cli", "crawl", "zj_jyt", "--db", str(db),
                             "--base-url", site.url, "--allow-private", "-s", "DOWNLOAD_DELAY=0",
                             "-s", "AUTOTHROTTLE_ENABLED=0", "-s", "CONCURRENT_REQUESTS_PER_DOMAIN=1",
                             "-s", "AGGREGATOR_COMMIT_SECONDS=0.2"],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


def wait_for_articles(db, at_least, timeout=60):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            if sqlite_utils.Database(db)["articles"].count >= at_least:
                return
        except Exception:  # noqa: BLE001 - the file may not have its tables yet
            pass
        time.sleep(0.1)
    raise AssertionError("the crawl stored nothing in time")


@pytest.mark.parametrize("stop_after", [1, 8, 20])
def test_a_killed_crawl_is_marked_interrupted_and_a_rerun_loses_and_duplicates_nothing(tmp_path, stop_after):
    db = tmp_path / "n.db"
    with Replica(slow_site()) as site:
        crawl = start(site, db)
        wait_for_articles(db, stop_after)
        crawl.send_signal(signal.SIGKILL)
        crawl.wait(timeout=30)
        assert [r["status"] for r in sqlite_utils.Database(db)["crawls"].rows] == ["running"]
        again = start(site, db)
        out, err = again.communicate(timeout=120)
    assert again.returncode == 0, out + err[-2000:]
    database = sqlite_utils.Database(db)
    assert [r["status"] for r in database["crawls"].rows] == ["interrupted", "finished"]
    assert database["articles"].count == N
    assert len({r["canonical_url"] for r in database["articles"].rows}) == N


def test_sigterm_stops_gracefully_and_keeps_what_was_stored(tmp_path):
    db = tmp_path / "n.db"
    with Replica(slow_site()) as site:
        crawl = start(site, db)
        wait_for_articles(db, 3)
        crawl.send_signal(signal.SIGTERM)
        out, _ = crawl.communicate(timeout=60)
    database = sqlite_utils.Database(db)
    row, = database["crawls"].rows
    assert row["status"] == "interrupted" and row["finished_at"]
    assert 3 <= database["articles"].count < N
    assert f"crawl {row['id']}:" in out
