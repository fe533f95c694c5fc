"""`aggregator check-site URL` on each platform family's replica: it names the family, and the
site class it prints crawls the replica."""
import importlib
import subprocess
import sys
from pathlib import Path

import pytest
import sqlite_utils

from aggregator.check_site import recognise, site_name
from aggregator.sites import site_classes
from tests.replica import Replica, Reply

ROOT = Path(__file__).parent.parent
CLASSES = {cls.name: cls for cls in site_classes()}
# one registered site per family, crawled from its replica (tests/replicas/)
ONE_PER_FAMILY = sorted({cls.cms: cls.name for cls in sorted(CLASSES.values(), key=lambda c: c.name)}.values())


def check(url, *args):
    return subprocess.run([sys.executable, "-m", "aggregator.cli", "check-site", url, *args],
                          capture_output=True, text=True, timeout=300, cwd=ROOT)


@pytest.mark.parametrize("name", ONE_PER_FAMILY)
def test_check_site_names_the_family_and_prints_a_class_that_crawls_it(name, tmp_path):
    cls = CLASSES[name]
    module = importlib.import_module(f"tests.replicas.{name}")
    with Replica(module.routes()) as site:
        result = check(cls.start_urls[0], "--name", f"try_{name}", "--base-url", site.url, "--allow-private")
        assert result.returncode == 0, result.stdout + result.stderr[-2000:]
        assert f"platform: {cls.cms} " in result.stdout
        assert "one article: " in result.stdout and "title: " in result.stdout
        source = result.stdout.split("site class (spiders/<name>.py):\n", 1)[1]
        spider_file = tmp_path / f"try_{name}.py"
        spider_file.write_text(source, encoding="utf-8")
        db = tmp_path / "try.db"
        crawl = subprocess.run(
            ["scrapy", "runspider", str(spider_file), "-a", f"base_url={site.url}", "-s", "AGGREGATOR_ALLOW_PRIVATE=1",
             "-s", f"AGGREGATOR_DB={db}", "-s", "DOWNLOAD_DELAY=0",
             "-s", "AUTOTHROTTLE_ENABLED=0", "-L", "WARNING"],
            capture_output=True, text=True, timeout=300, cwd=ROOT)
    assert crawl.returncode == 0, crawl.stderr[-2000:]
    database = sqlite_utils.Database(db)
    assert database["articles"].count == len(module.EXPECTED)
    assert [r["status"] for r in database["site_runs"].rows] == ["ok"]


def test_an_unknown_platform_is_said_to_be_unknown_with_what_was_seen():
    page = ("<html><head><title>某某区教育局</title><meta name='generator' content='SomeCMS 3'>"
            "<script src='/static/app.js'></script></head><body><ul>"
            + "".join(f"<li><a href='/news/{i}.jhtml'>新闻{i}</a></li>" for i in range(5)) + "</ul></body></html>")
    with Replica({"/news/index.jhtml": Reply(body=page)}) as site:
        result = check(site.url + "/news/index.jhtml", "--allow-private")
    assert result.returncode == 1
    assert "platform: unknown" in result.stdout
    assert "/news/N.jhtml" in result.stdout and "SomeCMS 3" in result.stdout and "/static/app.js" in result.stdout


def test_a_page_robots_forbids_is_not_fetched():
    robots = Reply(body="User-agent: *\nDisallow: /\n", content_type="text/plain")
    with Replica({"/robots.txt": robots, "/col/col1/index.html": Reply(body="<datastore>")}) as site:
        result = check(site.url + "/col/col1/index.html", "--allow-private")
        requests = site.requests
    assert result.returncode == 1 and "robots.txt" in result.stderr and "forbids" in result.stderr
    assert requests == [("GET", "/robots.txt")]


@pytest.mark.parametrize("html,family", [
    ("<script type='text/xml'><datastore><recordset></recordset></datastore></script>"
     "<script>var proxyUrl='/module/web/jpage/dataproxy.jsp'</script>", "hanweb"),
    ("<script>createPageHTML(5, 0, \"index\", \"html\");</script><a href='./202401/t20240102_1.html'>x</a>", "trs"),
    ("<rss version='2.0'><channel></channel></rss>", "feed"),
])
def test_recognise(html, family):
    assert recognise(html)[0][0].cms == family


@pytest.mark.parametrize("url,name", [
    ("https://jyt.zj.gov.cn/col/col1/index.html", "jyt_zj"),
    ("http://www.moe.gov.cn/jyb_xwfb/", "moe"),
    ("http://127.0.0.1:8000/x", "site_127_0"),
])
def test_site_name_from_host(url, name):
    assert site_name(url) == name


def test_a_private_address_is_refused_without_allow_private():
    with Replica({"/col/index.html": Reply(body="<html></html>")}) as site:
        result = check(site.url + "/col/index.html")
    assert result.returncode != 0
    assert "refused: 127.0.0.1 is a loopback address 127.0.0.1" in result.stdout + result.stderr
    assert "Traceback" not in result.stderr


def test_a_redirect_from_the_allowed_mirror_to_another_private_address_is_refused():
    """--allow-private lets the named mirror through, not wherever it redirects: the redirect's
    connection meets the crawl's address policy (localhost here is another host than 127.0.0.1)."""
    with Replica({"/col/index.html": Reply(body="<html></html>")}) as target:
        elsewhere = target.url.replace("127.0.0.1", "localhost") + "/col/index.html"
        with Replica({"/col/index.html": Reply(status=302, headers=(("Location", elsewhere),))}) as mirror:
            result = check(mirror.url + "/col/index.html", "--allow-private")
    assert result.returncode != 0
    assert "refused: localhost is a loopback address" in result.stdout + result.stderr
    assert "Traceback" not in result.stderr
