"""Every answer a crawl gets is archived as WARC (warc/<crawl id>.warc.gz beside the database),
and `aggregator reprocess` of those files into an empty database gives the same articles as
the crawl; archives written by other tools are read where their records are article pages of
a registered site."""
import gzip
import io
import subprocess
import sys

import pytest
import sqlite_utils
from warcio.archiveiterator import ArchiveIterator
from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

from tests.replica import Replica
from tests.replicas import moe
from tests.test_e2e import free_port_block

FIELDS = ("url", "site", "section", "title", "body", "byline_raw", "source", "published_at",
          "published_precision", "published_signal", "title_signal", "body_signal", "content_hash")


def cli(*args):
    return subprocess.run([sys.executable, "-m", "aggregator.cli", *map(str, args)],
                          capture_output=True, text=True, timeout=600)


@pytest.fixture(scope="module")
def demo_crawl(tmp_path_factory):
    where = tmp_path_factory.mktemp("archive")
    result = cli("demo", "--no-serve", "--db", where / "demo.db", "--sites-port", free_port_block())
    assert result.returncode == 0, result.stdout + result.stderr
    return where


def articles(db):
    database = sqlite_utils.Database(db)
    rows = {r["url"]: tuple(r[f] for f in FIELDS) for r in database["articles"].rows}
    people = set(database.execute(
        "select a.url, p.name, ap.role from article_people ap join articles a on a.id = ap.article_id "
        "join people p on p.id = ap.person_id").fetchall())
    return rows, people


def test_the_crawl_archives_every_answer_with_its_request(demo_crawl):
    path, = (demo_crawl / "warc").glob("*.warc.gz")
    assert path.name == "1.warc.gz"
    kinds, pages = [], set()
    with open(path, "rb") as stream:
        for record in ArchiveIterator(stream):
            kinds.append(record.rec_type)
            if record.rec_type == "response":
                pages.add(record.rec_headers.get_header("Aggregator-Page"))
                assert record.rec_headers.get_header("Aggregator-Site").startswith("demo_")
                assert record.http_headers.get_header("Content-Type")
            if record.rec_type == "request":
                assert record.http_headers.get_header("User-Agent").startswith("edu-news-aggregator")
    assert kinds.count("response") == kinds.count("request")
    # robots.txt is not archived; the demo has every kind of page
    crawl = sqlite_utils.Database(demo_crawl / "demo.db")["crawls"].get(1)
    assert kinds.count("response") == crawl["pages_fetched"] - 4
    assert pages == {"listing", "article", "continuation"}


def test_reprocessing_a_crawls_archive_into_an_empty_database_gives_the_same_articles(demo_crawl, tmp_path):
    result = cli("reprocess", *sorted((demo_crawl / "warc").glob("*.warc.gz")), "--db", tmp_path / "again.db")
    assert result.returncode == 0, result.stderr
    crawled, crawled_people = articles(demo_crawl / "demo.db")
    rebuilt, rebuilt_people = articles(tmp_path / "again.db")
    assert len(crawled) >= 150
    assert rebuilt == crawled
    assert rebuilt_people == crawled_people
    assert f"{len(crawled)} articles new" in result.stdout


def test_reprocessing_into_the_crawls_own_database_changes_nothing(demo_crawl, tmp_path):
    copy = tmp_path / "copy.db"
    copy.write_bytes((demo_crawl / "demo.db").read_bytes())
    result = cli("reprocess", demo_crawl / "warc" / "1.warc.gz", "--db", copy)
    assert result.returncode == 0, result.stderr
    assert " 0 articles new, 0 updated" in result.stdout
    assert sqlite_utils.Database(copy)["article_revisions"].count == 0


def test_the_archive_is_rotated_by_size(tmp_path):
    with Replica(moe.routes()) as site:
        done = cli("crawl", "moe", "--db", tmp_path / "n.db", "--base-url", site.url, "--allow-private",
                   "-s", "DOWNLOAD_DELAY=0", "-s", "AUTOTHROTTLE_ENABLED=0", "-s", "AGGREGATOR_WARC_MAX_BYTES=20000")
    assert done.returncode == 0, done.stdout + done.stderr
    names = {p.name for p in (tmp_path / "warc").glob("*.warc.gz")}
    files = [tmp_path / "warc" / "1.warc.gz"] + [tmp_path / "warc" / f"1-{n}.warc.gz" for n in range(2, len(names) + 1)]
    assert len(names) >= 3 and names == {f.name for f in files}
    again = cli("reprocess", *files, "--db", tmp_path / "again.db")
    assert articles(tmp_path / "again.db")[0] == articles(tmp_path / "n.db")[0], again.stdout + again.stderr


def test_no_archive_when_the_directory_is_set_empty(tmp_path):
    with Replica(moe.routes()) as site:
        done = cli("crawl", "moe", "--db", tmp_path / "n.db", "--base-url", site.url, "--allow-private",
                   "-s", "DOWNLOAD_DELAY=0", "-s", "AUTOTHROTTLE_ENABLED=0", "-s", "AGGREGATOR_WARC_DIR=")
    assert done.returncode == 0
    assert not (tmp_path / "warc").exists()


def wget_style_warc(path, records):
    """A WARC as `wget --warc-file` writes one: a warcinfo record, then for each fetch a request
    and a response record (application/http; msgtype=...), gzip-compressed per record; no
    Aggregator-* fields. records: (url, status, content type, body bytes, content encoding)."""
    with open(path, "wb") as stream:
        writer = WARCWriter(stream, gzip=True)
        writer.write_record(writer.create_warcinfo_record(path.name, {"software": "Wget/1.21.3", "format": "WARC File Format 1.0"}))
        for url, status, content_type, body, encoding in records:
            headers = [("Content-Type", content_type)]
            if encoding == "gzip":
                body = gzip.compress(body)
                headers.append(("Content-Encoding", "gzip"))
            headers.append(("Content-Length", str(len(body))))
            http = StatusAndHeaders(f"{status} OK" if status == 200 else f"{status} Not Found", headers,
                                    protocol="HTTP/1.1")
            writer.write_record(writer.create_warc_record(url, "response", payload=io.BytesIO(body),
                                                          http_headers=http))


def test_an_archive_written_by_another_tool_is_read_where_its_pages_are_articles_of_a_site(tmp_path):
    (path, a, people, source), = moe.ARTICLES[:1]
    second = moe.ARTICLES[1]
    real = "http://www.moe.gov.cn"
    warc = tmp_path / "wget.warc.gz"
    wget_style_warc(warc, [
        (real + moe.COLUMN + "index.html", 200, "text/html; charset=utf-8", moe.column_page(0).encode(), None),
        (real + path, 200, "text/html; charset=utf-8", moe.article_page(path, a, people, source).encode(), None),
        # served gzip-compressed: the archive holds it as sent
        (real + second[0], 200, "text/html; charset=utf-8", moe.article_page(*second).encode(), "gzip"),
        (real + second[0].replace("t20", "t19"), 404, "text/html", b"<h1>404</h1>", None),
        ("http://www.example.com/news/1.html", 200, "text/html", b"<p>elsewhere</p>", None),
    ])
    result = cli("reprocess", warc, "--db", tmp_path / "w.db")
    assert result.returncode == 0, result.stderr
    assert "2 articles new" in result.stdout and "3 records skipped" in result.stdout
    rows = {r["url"]: r for r in sqlite_utils.Database(tmp_path / "w.db")["articles"].rows}
    assert rows[real + path]["title"] == a.title and rows[real + path]["site"] == "moe"
    assert rows[real + second[0]]["title"] == second[1].title


def test_a_file_that_is_not_a_warc_is_a_clear_error(tmp_path):
    bad = tmp_path / "notes.warc.gz"
    bad.write_bytes(b"this is not an archive\n" * 10)
    result = cli("reprocess", bad, "--db", tmp_path / "x.db")
    assert result.returncode == 1
    assert "not a readable WARC file" in result.stderr and "Traceback" not in result.stderr
