"""Attachments (附件): the documents an article links to are recorded in `attachments`, never fetched.

aggregator.attachments.find_attachments on realistic link shapes; the extract pipeline and the
store's writes (idempotent, replaced on update); `aggregator import` with given attachments; an
end-to-end crawl of a loopback Hanweb site whose article links two documents.
"""
import pytest
import sqlite_utils

from aggregator.attachments import clean_attachments, find_attachments
from aggregator.items import ArticleItem
from pipelines.extract import ExtractPipeline

HANWEB = "http://jyt.zj.gov.cn/art/2024/5/6/art_1543974_58900.html"
TRS = "http://www.moe.gov.cn/srcsite/A06/202405/t20240506_1.html"


def page(links, body="<p>各地教育部门按照全省统一部署，扎实推进义务教育阶段课后服务工作。</p>"):
    """An article page: the body container, then a 附件 block below it (where bureau sites put it)."""
    return (f"<html><head><title>通知</title></head><body><h1>关于做好2024年招生工作的通知</h1>"
            f"<div id='zoom'>{body}</div><div class='fj'><p>附件：</p>{links}</div></body></html>")


@pytest.mark.parametrize("links,page_url,expected", [
    # Hanweb JCMS download script: the type is in the query's filename=
    ('<a href="/module/download/downfile.jsp?classid=0&filename=2405061234567.pdf">关于公布2024年招生计划的通知</a>',
     HANWEB, [("http://jyt.zj.gov.cn/module/download/downfile.jsp?classid=0&filename=2405061234567.pdf",
               "关于公布2024年招生计划的通知", "pdf")]),
    # TRS WCM: ./P0… relative to the article's month folder
    ('<a href="./P020240506123456789012.pdf">2024年普通高校招生工作规定.pdf</a>', TRS,
     [("http://www.moe.gov.cn/srcsite/A06/202405/P020240506123456789012.pdf", "2024年普通高校招生工作规定.pdf", "pdf")]),
    # .docx with Chinese link text and a 附件N： label in front of the name
    ('<a href="/picture/0/2405061030123.docx">附件1：2024年招生计划报名表.docx</a>', HANWEB,
     [("http://jyt.zj.gov.cn/picture/0/2405061030123.docx", "2024年招生计划报名表.docx", "docx")]),
    # 附件 followed by a year is part of the name, not a label
    ('<a href="/picture/0/1.doc">附件2024年招生计划</a>', HANWEB,
     [("http://jyt.zj.gov.cn/picture/0/1.doc", "附件2024年招生计划", "doc")]),
    # the type only in the link's text (a download id in the URL), a printed size after it
    ('<a href="/attach/download?id=9031">1.2024年招生计划.xlsx（12KB）</a>', HANWEB,
     [("http://jyt.zj.gov.cn/attach/download?id=9031", "1.2024年招生计划.xlsx（12KB）", "xlsx")]),
    # a percent-encoded Chinese file name, and a link whose text only says 下载: the file name is its name
    ('<a href="/upload/%E6%8A%A5%E5%90%8D%E8%A1%A8.xls">下载</a>', HANWEB,
     [("http://jyt.zj.gov.cn/upload/%E6%8A%A5%E5%90%8D%E8%A1%A8.xls", "报名表.xls", "xls")]),
    # upper-case extensions, .wps, .ofd, .rar
    ('<a href="./P020240506123456789013.OFD">公文.OFD</a><a href="./a.wps">说明</a><a href="/b.rar">材料包</a>', TRS,
     [("http://www.moe.gov.cn/srcsite/A06/202405/P020240506123456789013.OFD", "公文.OFD", "ofd"),
      ("http://www.moe.gov.cn/srcsite/A06/202405/a.wps", "说明", "wps"),
      ("http://www.moe.gov.cn/b.rar", "材料包", "rar")]),
    # an image link is not an attachment
    ('<a href="./W020240506123456789012.jpg">现场图片.jpg</a>', TRS, []),
    # a link to another article is not one
    ('<a href="/art/2024/5/7/art_1543974_58901.html">关于做好2024年招生工作的补充通知</a>', HANWEB, []),
    # javascript: and mailto: links are skipped, even when their text names a document
    ('<a href="javascript:void(0)">招生计划.pdf</a><a href="mailto:zsb@zjedu.gov.cn">报名表.docx</a>', HANWEB, []),
    # the same document linked twice (a numbered list and a 下载 button): one entry, named by its text
    ('<a href="./P020240506123456789012.pdf">下载</a> <a href="./P020240506123456789012.pdf#page=2">招生规定.pdf</a>',
     TRS, [("http://www.moe.gov.cn/srcsite/A06/202405/P020240506123456789012.pdf", "招生规定.pdf", "pdf")]),
])
def test_find_attachments(links, page_url, expected):
    got = find_attachments(page(links), page_url)
    assert [(a["url"], a["name"], a["type"]) for a in got] == expected


def test_attachments_inside_the_body_and_bytes_in_gbk():
    html = page("", body='<p>请下载<a href="/doc/1.doc">申报表</a>填写。</p>').encode("gb18030")
    assert find_attachments(html, HANWEB) == [{"url": "http://jyt.zj.gov.cn/doc/1.doc", "name": "申报表", "type": "doc"}]


def test_a_base_href_moves_relative_links():
    html = page('<a href="P1.pdf">规定</a>').replace("<head>", "<head><base href='http://www.moe.gov.cn/files/'>")
    assert [a["url"] for a in find_attachments(html, TRS)] == ["http://www.moe.gov.cn/files/P1.pdf"]


def test_gkmlpt_attachment_list_in_the_page_script():
    script = ('<script>window._CONFIG = {DETAIL: {"id": 11234567, "content": "\\u003Cp\\u003E正文\\u003C/p\\u003E", '
              '"attachment": [{"name": "附件1.2024年义务教育招生方案.pdf", "url": "/attachment/0/543/543210/11234567.pdf"}, '
              '"http://szeb.sz.gov.cn/attachment/0/543/543211/11234567.xlsx"]}};</script>')
    got = find_attachments(page("").replace("</body>", script + "</body>"),
                           "http://szeb.sz.gov.cn/gkmlpt/content/11/11234/post_11234567.html")
    assert [(a["url"], a["name"], a["type"]) for a in got] == [
        ("http://szeb.sz.gov.cn/attachment/0/543/543210/11234567.pdf", "2024年义务教育招生方案.pdf", "pdf"),
        ("http://szeb.sz.gov.cn/attachment/0/543/543211/11234567.xlsx", "11234567.xlsx", "xlsx")]


@pytest.mark.parametrize("value,page_url", [
    (None, HANWEB), ("", HANWEB), (b"", HANWEB), (123, HANWEB), ([], HANWEB), ("<html>", HANWEB),
    (page('<a href="/a.pdf">a</a>'), 42), ("\x00\x01binary", HANWEB), (b"\xff\xfe\x00garbage", HANWEB),
])
def test_bad_input_gives_no_attachments(value, page_url):
    assert find_attachments(value, page_url) == []


def test_relative_links_without_a_page_url_are_dropped_absolute_ones_kept():
    html = page('<a href="/a.pdf">a</a><a href="http://jyt.zj.gov.cn/b.pdf">b</a>')
    assert [a["url"] for a in find_attachments(html, None)] == ["http://jyt.zj.gov.cn/b.pdf"]


@pytest.mark.parametrize("given,expected", [
    (["/upload/a.pdf"], [("http://jyt.zj.gov.cn/upload/a.pdf", "a.pdf", "pdf")]),
    ([{"url": "https://jyt.zj.gov.cn/dl?id=1", "name": "招生计划", "type": "XLSX"}],
     [("https://jyt.zj.gov.cn/dl?id=1", "招生计划", "xlsx")]),
    ([{"url": "https://jyt.zj.gov.cn/b.docx", "name": "报名表"}], [("https://jyt.zj.gov.cn/b.docx", "报名表", "docx")]),
    (["ftp://jyt.zj.gov.cn/a.pdf", "javascript:void(0)", {"name": "no url"}, 7, None, {"url": 5}], []),
    (["/a.pdf", {"url": "http://jyt.zj.gov.cn/a.pdf", "name": "again"}],
     [("http://jyt.zj.gov.cn/a.pdf", "a.pdf", "pdf")]),
    ("http://jyt.zj.gov.cn/a.pdf", []),  # not a list
])
def test_clean_given_attachments(given, expected):
    assert [(a["url"], a["name"], a["type"]) for a in clean_attachments(given, HANWEB)] == expected


# -- the extract pipeline ------------------------------------------------------------------

def test_extract_pipeline_puts_the_pages_attachments_in_the_item():
    html = page('<a href="/module/download/downfile.jsp?classid=0&filename=2405061234567.pdf">通知</a>'
                '<a href="/art/2024/5/7/art_1543974_58901.html">另一篇</a>',
                body="<p>各地教育部门按照全省统一部署，扎实推进义务教育阶段课后服务工作，今年新增服务学校三百所。</p>" * 3)
    item = ExtractPipeline().process_item(ArticleItem(url=HANWEB, site="zj_jyt", html=html.encode()))
    assert [a["type"] for a in item["attachments"]] == ["pdf"]
    assert "html" not in item


def test_extract_pipeline_validates_given_attachments_of_an_item_without_html():
    item = ArticleItem(url=HANWEB, site="zj_jyt", title="t", body="b",
                       attachments=["/a.pdf", "mailto:x@y.cn", {"url": "http://jyt.zj.gov.cn/b.xls", "name": "表"}])
    item = ExtractPipeline().process_item(item)
    assert [(a["url"], a["type"]) for a in item["attachments"]] == [
        ("http://jyt.zj.gov.cn/a.pdf", "pdf"), ("http://jyt.zj.gov.cn/b.xls", "xls")]
    assert "attachments" not in ExtractPipeline().process_item(ArticleItem(url=HANWEB, site="zj_jyt", body="b"))


# -- the store -----------------------------------------------------------------------------

TWO = [{"url": "http://www.bl.gov.cn/module/download/downfile.jsp?classid=0&filename=1.pdf", "name": "通知",
        "type": "pdf"},
       {"url": "http://www.bl.gov.cn/picture/0/2.docx", "name": "报名表.docx", "type": "docx"}]


def attachment_rows(db_path):
    return [(r["article_id"], r["url"], r["name"], r["type"]) for r in
            sqlite_utils.Database(db_path).query("select * from attachments order by id")]


def test_a_new_article_stores_its_attachments_and_storing_again_adds_none(store, article, db_path):
    article_id, status = store.upsert_article(dict(article, attachments=TWO))
    assert status == "new"
    expected = [(article_id, a["url"], a["name"], a["type"]) for a in TWO]
    assert attachment_rows(db_path) == expected
    assert store.upsert_article(dict(article, attachments=TWO)) == (article_id, "unchanged")
    assert attachment_rows(db_path) == expected


def test_an_updated_article_replaces_its_attachments_keeping_first_seen_of_those_still_listed(store, article,
                                                                                               db_path):
    article_id, _ = store.upsert_article(dict(article, attachments=TWO))
    first_seen = {r["url"]: r["first_seen"] for r in sqlite_utils.Database(db_path)["attachments"].rows}
    new = {"url": "http://www.bl.gov.cn/picture/0/3.xlsx", "name": "计划.xlsx", "type": "xlsx"}
    assert store.upsert_article(dict(article, title="表演我们自己的故事（更新）", attachments=[TWO[1], new]))[1] == "updated"
    assert [row[1:] for row in attachment_rows(db_path)] == [(a["url"], a["name"], a["type"]) for a in (TWO[1], new)]
    assert sqlite_utils.Database(db_path)["attachments"].get(2)["first_seen"] == first_seen[TWO[1]["url"]]
    # an item that says nothing about attachments leaves them; an empty list removes them
    store.upsert_article(dict(article, title="再次更新"))
    assert len(attachment_rows(db_path)) == 2
    store.upsert_article(dict(article, title="第三次更新", attachments=[]))
    assert attachment_rows(db_path) == []


def test_a_duplicate_under_another_url_leaves_the_stored_attachments(store, article, db_path):
    store.upsert_article(dict(article, attachments=TWO))
    other = dict(article, url="http://www.bl.gov.cn/art/2021/6/30/art_1229_9999.html", attachments=[])
    assert store.upsert_article(other)[1] == "duplicate"
    assert len(attachment_rows(db_path)) == 2


def test_attachments_roll_back_with_their_article_inside_bulk(store, article, db_path, monkeypatch):
    import aggregator.store

    clean = aggregator.store.clean_attachments
    # the second attachment row cannot be written (a name SQLite cannot bind), after the first was
    monkeypatch.setattr(aggregator.store, "clean_attachments",
                        lambda value, url: clean(value, url)[:1] + [dict(TWO[1], name=object())] if value else [])
    with store.bulk():
        store.upsert_article(dict(article, attachments=[]))
        with pytest.raises(sqlite_utils.db.sqlite3.Error):
            store.upsert_article(dict(article, url="http://www.bl.gov.cn/art/x.html", body="另一篇文章", attachments=TWO))
    database = sqlite_utils.Database(db_path)
    assert database["articles"].count == 1 and attachment_rows(db_path) == []  # the failed article left nothing


def test_attachments_table_has_a_foreign_key_and_a_unique_url_per_article(store):
    table = store.db["attachments"]
    assert [(fk.column, fk.other_table, fk.other_column) for fk in table.foreign_keys] == [
        ("article_id", "articles", "id")]
    assert any(ix.unique and ix.columns == ["article_id", "url"] for ix in table.indexes)


# -- aggregator import ---------------------------------------------------------------------

def test_items_with_fields_through_the_import_pipelines_store_given_attachments(tmp_path):
    from scrapy.utils.misc import load_object

    from aggregator.sites import project_settings
    from pipelines.store import StorePipeline
    from tests.conftest import BODY

    db = tmp_path / "x.db"
    order = sorted(project_settings().getdict("ITEM_PIPELINES").items(), key=lambda kv: kv[1])
    chain = [load_object(path) for path, _ in order]
    chain = [cls(db) if issubclass(cls, StorePipeline) else cls() for cls in chain]
    chain[-1].store.sync_sites([{"name": "bl", "display_name": "北仑区教育局"}])
    given = ["/picture/0/a.pdf", {"url": "http://www.bl.gov.cn/dl?id=3", "name": "报名表", "type": "xlsx"},
             "ftp://www.bl.gov.cn/b.pdf", "javascript:void(0)", 5]
    for _ in range(2):
        item = ArticleItem(url="http://www.bl.gov.cn/art/2021/6/30/art_1229_3456.html", site="bl", title="表演",
                           body=BODY, attachments=list(given))
        for pipeline in chain:
            item = pipeline.process_item(item)
    rows = sorted((r["url"], r["name"], r["type"]) for r in sqlite_utils.Database(db)["attachments"].rows)
    assert rows == [("http://www.bl.gov.cn/dl?id=3", "报名表", "xlsx"),
                    ("http://www.bl.gov.cn/picture/0/a.pdf", "a.pdf", "pdf")]
    chain[-1].store.close()


def test_import_stores_given_attachments_validated_and_idempotent(tmp_path):
    from tests.test_import import ITEM, run_cli, write_items

    db = tmp_path / "x.db"
    item = dict(ITEM, attachments=["/picture/0/a.pdf", {"url": "http://www.bl.gov.cn/dl?id=3", "name": "报名表",
                                                        "type": "xlsx"}, "ftp://www.bl.gov.cn/b.pdf", 5])
    items = write_items(tmp_path / "items.jsonl", [item])
    for _ in range(2):
        result = run_cli("import", items, "--db", db)
        assert result.returncode == 0, result.stderr
    rows = sorted((r["url"], r["name"], r["type"]) for r in sqlite_utils.Database(db)["attachments"].rows)
    assert rows == [("http://www.bl.gov.cn/dl?id=3", "报名表", "xlsx"),
                    ("http://www.bl.gov.cn/picture/0/a.pdf", "a.pdf", "pdf")]


# -- a crawl -------------------------------------------------------------------------------

def test_a_crawled_articles_attachments_are_recorded_and_never_fetched(tmp_path):
    from tests.replica import Reply
    from tests.test_real_sites import crawl
    from tests.test_site_health import article_page, healthy_routes

    routes = healthy_routes()
    path = next(p for p in routes if p.startswith("/art/"))
    pdf = "/module/download/downfile.jsp?classid=0&filename=2405061234567.pdf"
    docx = "/picture/0/2405061030123.docx"
    links = (f'<div class="fj"><p>附件：</p><p><a href="{pdf}">1.关于公布2024年招生计划的通知</a></p>'
             f'<p><a href="{docx}">2.2024年招生计划报名表.docx</a></p></div>')
    routes[path] = Reply(body=article_page(0).replace("</body>", links + "</body>"))
    db = tmp_path / "n.db"
    result, requests = crawl("zj_jyt", routes, db)
    assert result.returncode == 0, result.stdout + result.stderr[-2000:]
    database = sqlite_utils.Database(db)
    rows = list(database.query("select articles.url as article, attachments.url, name, type from attachments "
                               "join articles on articles.id = article_id order by attachments.id"))
    assert [(r["article"].endswith(path), r["url"].split("/", 3)[-1], r["name"], r["type"]) for r in rows] == [
        (True, pdf[1:], "1.关于公布2024年招生计划的通知", "pdf"), (True, docx[1:], "2.2024年招生计划报名表.docx", "docx")]
    assert all(r["url"].startswith("http") for r in rows)
    requested = {p for _, p in requests}
    assert path in requested and pdf not in requested and docx not in requested
    assert database["articles"].count == 12
