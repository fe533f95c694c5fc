import gc
import io
import json
import subprocess
import sys

import pytest
import sqlite_utils

from aggregator.importer import (FULL_COLLECTION_EVERY, MAX_BODY_CHARS, fewer_full_collections, import_file,
                                 read_lines)
from tests.conftest import BODY


def run_cli(*args, input=None):
    return subprocess.run([sys.executable, "-m", "aggregator.cli", *map(str, args)],
                          capture_output=True, text=True, input=input, timeout=300)


def write_items(path, items):
    path.write_text("\n".join(json.dumps(i, ensure_ascii=False) if not isinstance(i, str) else i
                              for i in items) + "\n", encoding="utf-8")
    return path


ITEM = {"url": "http://www.bl.gov.cn/art/2021/6/30/art_1229_3456.html", "site": "bl_jyj",
        "title": "表演我们自己的故事", "body": BODY, "published_at": "发布时间:2021-06-30 13:06:00",
        "source": "投稿", "people": ["作者:杨阳", {"name": "杨阳", "role": "editor"}]}
# another article of the same site (the same body under another URL would be a duplicate)
ITEM2 = dict(ITEM, url=ITEM["url"].replace("3456", "3457"), body=BODY + "\n另一篇。")


def test_import_stores_normalized_articles(tmp_path):
    db = tmp_path / "x.db"
    result = run_cli("import", write_items(tmp_path / "items.jsonl", [ITEM]), "--db", db)
    assert result.returncode == 0, result.stderr
    assert "1 articles new" in result.stdout
    row = next(sqlite_utils.Database(db)["articles"].rows)
    assert row["published_at"] == "2021-06-30T13:06:00+08:00"
    assert row["source"] == "投稿"
    people = sqlite_utils.Database(db).execute(
        "select name, role from article_people join people on people.id = person_id order by role").fetchall()
    assert people == [("杨阳", "author"), ("杨阳", "editor")]


def test_the_import_makes_full_collections_rare_and_puts_the_collector_back(tmp_path):
    before, frozen = gc.get_threshold(), gc.get_freeze_count()
    with fewer_full_collections():
        assert gc.get_threshold()[2] == max(before[2], FULL_COLLECTION_EVERY)
        assert gc.get_freeze_count() > frozen
    assert (gc.get_threshold(), gc.get_freeze_count()) == (before, frozen)
    counts = import_file(write_items(tmp_path / "items.jsonl", [ITEM]), tmp_path / "x.db")
    assert counts["new"] == 1 and (gc.get_threshold(), gc.get_freeze_count()) == (before, frozen)


def test_import_twice_adds_nothing(tmp_path):
    db, items = tmp_path / "x.db", write_items(tmp_path / "items.jsonl", [ITEM])
    run_cli("import", items, "--db", db)
    result = run_cli("import", items, "--db", db)
    assert "0 articles new" in result.stdout and "1 unchanged" in result.stdout
    assert sqlite_utils.Database(db)["articles"].count == 1


def test_bad_lines_become_rejects_and_good_lines_are_stored(tmp_path):
    db = tmp_path / "x.db"
    items = write_items(tmp_path / "items.jsonl", ["{not json", {"title": "no url"}, dict(ITEM, body=""), ITEM])
    result = run_cli("import", items, "--db", db)
    assert result.returncode == 0, result.stderr
    database = sqlite_utils.Database(db)
    assert database["articles"].count == 1
    reasons = sorted(r["reason"] for r in database["rejects"].rows)
    assert len(reasons) == 3
    assert any("invalid JSON" in r for r in reasons) and any("url and site" in r for r in reasons)
    assert "no body" in reasons


def test_import_extracts_items_given_as_html(tmp_path):
    page = ("<html><head><meta name='ArticleTitle' content='北仑教育新闻'>"
            "<meta name='PubDate' content='2021-06-30 13:06'></head><body><h1>北仑教育新闻</h1>"
            f"<div id='zoom'>{''.join(f'<p>{p}</p>' for p in BODY.splitlines())}</div></body></html>")
    db = tmp_path / "x.db"
    run_cli("import", write_items(tmp_path / "i.jsonl", [{"url": ITEM["url"], "site": "bl_jyj", "html": page}]),
            "--db", db)
    row = next(sqlite_utils.Database(db)["articles"].rows)
    assert row["title"] == "北仑教育新闻"
    assert row["published_at"] == "2021-06-30T13:06:00+08:00"
    assert row["published_signal"] == "meta:PubDate"
    assert "百强支部" in row["body"]


def test_extract_json_gives_the_documented_fields(tmp_path):
    page = tmp_path / "page.html"
    page.write_text("<html><head><meta name='ArticleTitle' content='标题'></head><body><h1>标题</h1>"
                    "<div class='info'>作者:杨阳 编辑:杨阳 来源:投稿 发布时间:2021-06-30 13:06:00</div>"
                    f"<div id='zoom'>{''.join(f'<p>{p}</p>' for p in BODY.splitlines())}</div></body></html>",
                    encoding="utf-8")
    result = run_cli("extract", page, "--url", "http://example.com/a.html", "--json")
    assert result.returncode == 0, result.stderr
    out = json.loads(result.stdout)
    assert {"file", "url", "title", "published_at", "people", "source", "content"} <= set(out)
    assert out["url"] == "http://example.com/a.html"
    assert out["published_at"] == "2021-06-30T13:06:00+08:00"
    assert {"name": "杨阳", "role": "author"}.items() <= out["people"][0].items()
    assert out["source"] == "投稿"


def test_a_line_that_is_not_utf8_is_a_reject_and_a_bom_is_no_problem(tmp_path):
    db, items = tmp_path / "x.db", tmp_path / "items.jsonl"
    good = json.dumps(ITEM, ensure_ascii=False).encode("utf-8")
    broken = json.dumps(dict(ITEM, url=ITEM["url"] + "?2"), ensure_ascii=False).encode("gbk")
    items.write_bytes(b"\xef\xbb\xbf" + good + b"\n" + broken + b"\n")
    result = run_cli("import", items, "--db", db)
    assert result.returncode == 0, result.stderr
    database = sqlite_utils.Database(db)
    assert database["articles"].count == 1
    [reject] = database["rejects"].rows
    assert "line 2" in reject["reason"] and "utf-8" in reject["detail"]


# bad lines ----------------------------------------------------------------------------
def rejects(db):
    return list(sqlite_utils.Database(db)["rejects"].rows)


def import_lines(tmp_path, lines, **kwargs):
    """import_file in this process (the CLI's own driver) over `lines`; (counts, db)."""
    db = tmp_path / "x.db"
    counts = import_file(write_items(tmp_path / "items.jsonl", lines), db, warn=lambda message: None, **kwargs)
    return counts, db


BAD_LINES = [
    ("{not json", "line 1: invalid JSON ("),
    ("[1, 2]", "line 1: invalid JSON (not a JSON object but a list)"),
    ('"just a string"', "line 1: invalid JSON (not a JSON object but a string)"),
    ("1" * 5000, "line 1: invalid JSON (Exceeds the limit"),
    ({"title": "no url"}, "line 1: url and site are required"),
    (dict(ITEM, url="javascript:alert(1)"), "line 1: not an http(s) URL"),
    (dict(ITEM, url="file:///etc/passwd"), "line 1: not an http(s) URL"),
    (dict(ITEM, url="data:text/html,<p>x</p>"), "line 1: not an http(s) URL"),
    (dict(ITEM, url="ftp://www.bl.gov.cn/a.html"), "line 1: not an http(s) URL"),
    (dict(ITEM, url="//www.bl.gov.cn/a.html"), "line 1: not an http(s) URL"),
    (dict(ITEM, url="http:///a.html"), "line 1: not an http(s) URL"),
    (dict(ITEM, url="http://[::1/a.html"), "line 1: not an http(s) URL"),
    (dict(ITEM, url="http://www.bl.gov.cn/a b.html"), "line 1: not an http(s) URL"),
    (dict(ITEM, url="http://www.bl.gov.cn/a.html\n"), "line 1: not an http(s) URL"),
    (dict(ITEM, url="http://www.bl.gov.cn/\x00a.html"), "line 1: not an http(s) URL"),
    (dict(ITEM, site="nowhere"), "line 1: unknown site nowhere (use --new-sites to add it)"),
    (dict(ITEM, published_at="不详"), "line 1: unreadable date '不详'"),
    (dict(ITEM, published_at="2021-13-45"), "line 1: unreadable date '2021-13-45'"),
    (dict(ITEM, title=["表演", "故事"]), "line 1: title must be a string, not a list"),
    (dict(ITEM, body={"text": BODY}), "line 1: body must be a string, not an object"),
    (dict(ITEM, url=[ITEM["url"]]), "line 1: url must be a string, not a list"),
    (dict(ITEM, site=7), "line 1: site must be a string, not a number"),
    (dict(ITEM, published_at=20210630), "line 1: published_at must be a string, not a number"),
    (dict(ITEM, people="记者 张三"), "line 1: people must be a list, not a string"),
    (dict(ITEM, people=[1]), "line 1: people: an entry is a number"),
    (dict(ITEM, people=[{"name": ["张三"]}]), "line 1: people: each {name, role, label} must be strings"),
    (dict(ITEM, selectors="div"), "line 1: selectors must be an object of strings, not a string"),
    (dict(ITEM, html=b"x".hex(), title=None, body=None, continuation_pages="p2"),
     "line 1: continuation_pages must be a list, not a string"),
    (dict(ITEM, body="长" * (MAX_BODY_CHARS + 1)), f"line 1: body of {MAX_BODY_CHARS + 1} characters"),
]


@pytest.mark.parametrize("line,reason", BAD_LINES, ids=[r for _, r in BAD_LINES])
def test_a_bad_line_is_a_reject_with_its_reason_and_the_next_line_is_stored(tmp_path, line, reason):
    counts, db = import_lines(tmp_path, [line, ITEM])
    [reject] = rejects(db)
    assert reject["reason"].startswith(reason), reject["reason"]
    assert counts["rejects"] == 1 and counts["new"] == 1
    assert sqlite_utils.Database(db)["articles"].count == 1


def test_a_line_over_the_byte_limit_is_a_reject_and_is_not_parsed(tmp_path):
    long_item = json.dumps(dict(ITEM, url=ITEM["url"] + "?long", body=BODY * 10), ensure_ascii=False)
    size = len(long_item.encode("utf-8"))
    counts, db = import_lines(tmp_path, [long_item, ITEM], max_item_bytes=size - 1)
    [reject] = rejects(db)
    assert reject["reason"] == f"line 1: {size} bytes, over AGGREGATOR_MAX_ITEM_BYTES ({size - 1})"
    assert reject["url"].endswith("items.jsonl#1")  # not parsed: its own url is not known
    assert counts["new"] == 1


def test_an_extracted_body_over_the_limit_is_a_reject(tmp_path):
    # numbered paragraphs: the cleaner removes repeated ones
    paragraphs = "".join(f"<p>第{n}段。{BODY}</p>" for n in range(MAX_BODY_CHARS // len(BODY) + 2))
    page = f"<html><body><h1>北仑教育新闻</h1><div id='zoom'>{paragraphs}</div></body></html>"
    counts, db = import_lines(tmp_path, [{"url": ITEM["url"] + "?html", "site": "bl_jyj", "html": page}, ITEM])
    [reject] = rejects(db)
    assert reject["reason"].startswith("line 1: body of ")
    assert counts["new"] == 1


def test_a_pipeline_drop_keeps_the_crawls_reason_and_names_the_line_in_the_detail(tmp_path):
    _, db = import_lines(tmp_path, [ITEM, dict(ITEM, url=ITEM["url"] + "?empty", body="")])
    [reject] = rejects(db)
    assert (reject["reason"], reject["detail"]) == ("no body", "line 2")


def test_a_registered_site_not_yet_in_the_database_gets_its_registry_row(tmp_path):
    _, db = import_lines(tmp_path, [ITEM])
    assert sqlite_utils.Database(db)["sites"].get("bl_jyj")["display_name"] == "北仑区教育局"


def test_a_site_already_in_the_database_is_known(tmp_path):
    db = tmp_path / "x.db"
    import_file(write_items(tmp_path / "a.jsonl", [dict(ITEM, site="county")]), db, new_sites=True)
    counts = import_file(write_items(tmp_path / "b.jsonl", [dict(ITEM2, site="county")]), db)
    assert (counts["new"], counts["rejects"]) == (1, 0)


def test_new_sites_adds_an_unknown_site(tmp_path):
    db = tmp_path / "x.db"
    result = run_cli("import", write_items(tmp_path / "items.jsonl", [dict(ITEM, site="county")]),
                     "--db", db, "--new-sites")
    assert result.returncode == 0, result.stderr
    assert "1 articles new" in result.stdout and "0 rejects" in result.stdout
    assert sqlite_utils.Database(db)["sites"].get("county")["display_name"] == "county"


def test_max_item_bytes_option_sets_the_limit(tmp_path):
    db = tmp_path / "x.db"
    result = run_cli("import", write_items(tmp_path / "items.jsonl", [ITEM]), "--db", db, "--max-item-bytes", 100)
    assert result.returncode == 0, result.stderr
    assert "0 articles new" in result.stdout and "1 rejects" in result.stdout
    assert "over AGGREGATOR_MAX_ITEM_BYTES (100)" in rejects(db)[0]["reason"]


def test_import_reads_stdin(tmp_path):
    db = tmp_path / "x.db"
    result = run_cli("import", "-", "--db", db, input=json.dumps(ITEM, ensure_ascii=False) + "\n")
    assert result.returncode == 0, result.stderr
    assert "1 articles new" in result.stdout


def test_a_deeply_nested_line_between_two_good_lines_is_a_reject(tmp_path):
    db = tmp_path / "x.db"
    items = write_items(tmp_path / "items.jsonl",
                        [ITEM, "[" * 100_000 + "]" * 100_000, ITEM2])
    result = run_cli("import", items, "--db", db)
    assert result.returncode == 0, result.stderr
    assert "2 articles new" in result.stdout and "1 rejects" in result.stdout
    assert sqlite_utils.Database(db)["articles"].count == 2
    assert [r["reason"] for r in rejects(db)] == ["line 2: invalid JSON (nested too deep)"]


# the peak RSS of one child process, in KiB (Linux ru_maxrss), measured by a fresh parent so
# that no earlier test's child counts
MEASURE_RSS = ("import resource, subprocess, sys; subprocess.run(sys.argv[1:], check=True, capture_output=True); "
               "print(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)")


def test_a_50_mb_line_is_skipped_without_holding_it_in_memory(tmp_path):
    db, items = tmp_path / "x.db", tmp_path / "items.jsonl"
    good = json.dumps(ITEM, ensure_ascii=False).encode("utf-8")
    with items.open("wb") as out:
        out.write(good + b"\n" + b'{"url": "http://www.bl.gov.cn/big.html", "site": "bl_jyj", "body": "')
        for _ in range(50):
            out.write(b"x" * (1024 * 1024))
        out.write(b'"}\n' + json.dumps(ITEM2).encode() + b"\n")
    measured = subprocess.run([sys.executable, "-c", MEASURE_RSS, sys.executable, "-m", "aggregator.cli",
                               "import", str(items), "--db", str(db)], capture_output=True, text=True, timeout=300)
    assert measured.returncode == 0, measured.stderr
    peak_mb = int(measured.stdout) / 1024
    print(f"peak RSS of the import: {peak_mb:.0f} MB")
    assert peak_mb < 300
    assert sqlite_utils.Database(db)["articles"].count == 2
    [reject] = rejects(db)
    assert reject["reason"].startswith(f"line 2: {50 * 1024 * 1024 + 70}")
    assert reject["reason"].endswith("bytes, over AGGREGATOR_MAX_ITEM_BYTES (5242880)")


@pytest.mark.parametrize("data,limit,expected", [
    (b"ab\ncd\n", 5, [(1, b"ab", 2), (2, b"cd", 2)]),
    (b"ab\r\ncd", 5, [(1, b"ab", 2), (2, b"cd", 2)]),
    (b"abcdef\ncd\n", 5, [(1, None, 6), (2, b"cd", 2)]),
    (b"abcde\ncd\n", 5, [(1, b"abcde", 5), (2, b"cd", 2)]),
    (b"abcdef", 5, [(1, None, 6)]),
])
def test_read_lines_gives_an_oversized_line_as_none_with_its_size(data, limit, expected):
    assert list(read_lines(io.BufferedReader(io.BytesIO(data)), limit)) == expected
