import socket
import subprocess
import sys

import pytest
import sqlite_utils

from aggregator import settings
from aggregator.sites import site_classes
from spiders.demo import DemoBeilunSpider

REAL = site_classes()


def test_at_least_six_real_sites_across_the_cms_families():
    assert len(REAL) >= 6
    assert {"hanweb", "trs"} <= {cls.cms for cls in REAL}
    assert not any(cls.demo for cls in REAL)


@pytest.mark.parametrize("cls", REAL, ids=lambda cls: cls.name)
def test_site_is_fully_described(cls):
    assert cls.display_name and cls.region and cls.start_urls and cls.allowed_domains
    assert cls.__doc__ and "verified" in cls.__doc__  # says what could not be checked live
    assert all(cls().allowed_host(u) for u in cls.start_urls)


def test_crawls_are_polite_by_default():
    assert settings.ROBOTSTXT_OBEY and settings.AUTOTHROTTLE_ENABLED
    assert settings.CONCURRENT_REQUESTS_PER_DOMAIN <= 2 and settings.DOWNLOAD_DELAY >= 1
    assert "edu-news-aggregator" in settings.USER_AGENT


def test_no_control_endpoints_and_size_limits_are_on():
    assert settings.REMOTE_CONTROL_ENABLED is False and settings.TELNETCONSOLE_ENABLED is False
    assert settings.DOWNLOAD_MAXSIZE <= 16 * 1024 * 1024 and settings.DOWNLOAD_WARNSIZE < settings.DOWNLOAD_MAXSIZE
    assert not any(settings.DOWNLOAD_HANDLERS.get(scheme, True) for scheme in ("file", "ftp", "s3", "data"))


def test_base_url_moves_start_urls_to_a_mirror():
    spider = DemoBeilunSpider(base_url="http://127.0.0.1:8999")
    assert spider.start_urls == ["http://127.0.0.1:8999/col/col1229001/index.html",
                                 "http://127.0.0.1:8999/col/col1229002/index.html"]


def test_links_to_other_sites_are_not_followed():
    spider = DemoBeilunSpider(base_url="http://127.0.0.1:8999")
    assert spider.allowed_host("http://127.0.0.1:8999/art/2021/6/30/art_1_2.html")
    assert not spider.allowed_host("https://edu.example.com/art/2021/6/30/art_1_2.html")


def closed_port():
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    port = s.getsockname()[1]
    s.close()
    return port


def test_a_crawl_that_reaches_nothing_exits_1_and_records_rejects(tmp_path):
    db = tmp_path / "x.db"
    result = subprocess.run([sys.executable, "-m", "aggregator.cli", "crawl", "demo_beilun", "--db", str(db),
                             "--base-url", f"http://127.0.0.1:{closed_port()}"],
                            capture_output=True, text=True, timeout=120)
    assert result.returncode == 1
    assert "failed: demo_beilun" in result.stdout
    database = sqlite_utils.Database(db)
    assert [r["status"] for r in database["crawls"].rows] == ["failed"]
    assert database["rejects"].count >= 1
    assert all(r["reason"].startswith("fetch error") for r in database["rejects"].rows)


def test_unknown_site_is_a_usage_error():
    result = subprocess.run([sys.executable, "-m", "aggregator.cli", "crawl", "nosuchsite"],
                            capture_output=True, text=True, timeout=60)
    assert result.returncode == 2 and "unknown site" in result.stderr


def test_scrapy_crawl_from_the_checkout_records_its_own_run(tmp_path):
    from pathlib import Path

    from aggregator.demo.server import DemoSites
    db = tmp_path / "s.db"
    with DemoSites() as sites:
        result = subprocess.run(
            ["scrapy", "crawl", "demo_moe", "-a", f"base_url={sites.urls['demo_moe']}", "-s", f"AGGREGATOR_DB={db}",
             "-s", "DOWNLOAD_DELAY=0", "-s", "AUTOTHROTTLE_ENABLED=0", "-L", "WARNING"],
            capture_output=True, text=True, timeout=300, cwd=Path(__file__).parent.parent)
        expected = sites.expected["articles"]["demo_moe"]
    assert result.returncode == 0, result.stderr
    database = sqlite_utils.Database(db)
    assert database["articles"].count == expected
    crawl = next(database["crawls"].rows)
    assert (crawl["status"], crawl["articles_new"], crawl["sites"]) == ("finished", expected, "demo_moe")
    assert next(database["sites"].rows)["display_name"] == "教育部（演示）"


def test_a_second_crawl_does_not_start_while_one_is_writing(tmp_path):
    from aggregator.store import single_writer
    db = tmp_path / "x.db"
    with single_writer(db):
        result = subprocess.run([sys.executable, "-m", "aggregator.cli", "crawl", "demo_beilun", "--db", str(db),
                                 "--base-url", f"http://127.0.0.1:{closed_port()}"],
                                capture_output=True, text=True, timeout=120)
    assert result.returncode == 75
    assert "not started" in result.stderr and f"pid {__import__('os').getpid()}" in result.stderr
    assert not db.exists() or sqlite_utils.Database(db)["crawls"].count == 0


@pytest.mark.parametrize("url,expected", [
    ("http://www.bl.gov.cn/art/2021/6/30/art_1_2.html", "http://127.0.0.1:8999/art/2021/6/30/art_1_2.html"),
    ("https://bl.gov.cn/art/2021/6/30/art_1_2.html#top", "http://127.0.0.1:8999/art/2021/6/30/art_1_2.html"),
    ("http://www.news.cn/2021-06/30/c_1.htm", "http://www.news.cn/2021-06/30/c_1.htm"),
])
def test_on_a_mirror_links_to_the_real_host_point_at_the_mirror(url, expected):
    from spiders.bl_jyj import BeilunSpider
    assert BeilunSpider(base_url="http://127.0.0.1:8999").on_mirror(url) == expected


def test_off_a_mirror_links_stay_as_they_are():
    from spiders.bl_jyj import BeilunSpider
    url = "http://www.bl.gov.cn/art/2021/6/30/art_1_2.html"
    assert BeilunSpider().on_mirror(url) == url


@pytest.mark.parametrize("page, url, expected", [
    ('<a href="./t20210630_541234_1.html">2</a>', "http://x.cn/a/t20210630_541234.html", True),
    ('<a href="t20210630_541234_3.html">3</a>', "http://x.cn/a/t20210630_541234_2.html", True),
    ('<a href="/art/2021/6/30/art_1229_541234_2.html">2</a>', "http://x.cn/art/2021/6/30/art_1229_541234.html", True),
    # 下一篇 (another article, another file name): no continuation, the page is not parsed
    ('<a href="./t20210630_541235.html">下一篇</a>', "http://x.cn/a/t20210630_541234.html", False),
    ("<p>no links</p>", "http://x.cn/a/t20210630_541234.shtml", False),
    # no file name to look for: the extractor's own rule decides
    ("<p>no links</p>", "http://x.cn/a/", True),
])
def test_may_continue_is_false_only_when_no_link_can_continue_the_article(page, url, expected):
    from spiders.base import may_continue
    from aggregator.extract import find_continuations

    assert may_continue(page, url) is expected
    if not expected:
        assert find_continuations(f"<html><body>{page}</body></html>", url) == []
