import json
import subprocess
import sys

import sqlite_utils

from tests.conftest import BODY


def run_cli(*args, input=None):
    return subprocess.run([sys.executable, "-m", "aggregator.cli", *map(str, args)],
                          capture_output=True, text=True, input=input, timeout=300)


def write_items(path, items):
    path.write_text("\n".join(json.dumps(i, ensure_ascii=False) if not isinstance(i, str) else i
                              for i in items) + "\n", encoding="utf-8")
    return path


ITEM = {"url": "http://www.bl.gov.cn/art/2021/6/30/art_1229_3456.html", "site": "bl",
        "title": "表演我们自己的故事", "body": BODY, "published_at": "发布时间:2021-06-30 13:06:00",
        "source": "投稿", "people": ["作者:杨阳", {"name": "杨阳", "role": "editor"}]}


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
    run_cli("import", write_items(tmp_path / "i.jsonl", [{"url": ITEM["url"], "site": "bl", "html": page}]),
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
