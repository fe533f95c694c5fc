"""Site health: every run says, per site, whether it worked (aggregator.health), and a site that
breaks is named in the summary line and the exit code, never stored as articles.

The end-to-end cases crawl the registered zj_jyt site (Hanweb JCMS) through `aggregator crawl
--base-url` from small loopback sites that break the way real ones do.
"""
import json

import pytest
import sqlite_utils

from aggregator.challenge import challenge_reason
from aggregator.health import assess, exit_code, reason_key, site_run
from tests.test_real_sites import crawl

# -- aggregator.health.assess ------------------------------------------------------------


def run(**counts):
    stats = {f"aggregator/{k}": v for k, v in counts.items()}
    return site_run("s", stats)


HEALTHY = dict(listing_requests=4, article_links=60, articles_new=60, new_with_title=60,
               new_with_minute=60, new_with_people=50, new_with_source=60)


@pytest.mark.parametrize("counts,status,words", [
    (HEALTHY, "ok", "60 article links"),
    (dict(listing_requests=1, listing_failed=1, rejects=1, **{"reject_reason/http 404": 1}),
     "failed", "every listing request failed (http 404 ×1)"),
    (dict(listing_requests=0), "failed", "no listing page was fetched"),
    (dict(listing_requests=3), "failed", "the listings gave no article links (3 listing pages read)"),
    (dict(listing_requests=1, article_links=10, rejects=10, **{"reject_reason/no body": 10}),
     "failed", "every new page was a reject (no body ×10)"),
    (dict(listing_requests=1, listing_failed=1, blocked_listings=1, rejects=1), "blocked", "anti-bot challenge"),
    (dict(listing_requests=1, article_links=10, articles_new=2, rejects=8, blocked_pages=8), "blocked",
     "8 article pages answered an anti-bot challenge"),
    (dict(HEALTHY, listing_requests=5, listing_failed=2, rejects=2), "degraded", "2 of 5 listing requests failed"),
    (dict(HEALTHY, articles_new=6, rejects=6, **{"reject_reason/http 500": 6}), "degraded",
     "6 of 12 new pages were rejects (http 500 ×6)"),
    # known articles listed again, nothing new: fine
    (dict(listing_requests=4, article_links=60, articles_unchanged=60), "ok", "60 unchanged"),
    # a dead link or two tried again each run among many known ones: fine
    (dict(listing_requests=4, article_links=60, articles_unchanged=58, rejects=2), "ok", "58 unchanged"),
])
def test_assess_a_run_on_its_own(counts, status, words):
    got_status, reason = assess(run(**counts))
    assert (got_status, words in reason) == (status, True), reason


def history_of(n=3, **counts):
    row = run(**dict(HEALTHY, **counts))
    return [dict(row, status="ok") for _ in range(n)]


@pytest.mark.parametrize("counts,words", [
    (dict(HEALTHY, article_links=12, articles_new=12, new_with_title=12, new_with_minute=12,
          new_with_people=10, new_with_source=12), "article links fell to 12 (usually 60)"),
    (dict(HEALTHY, new_with_minute=3), "minute in 5% of new articles (usually 100%)"),
    (dict(HEALTHY, new_with_source=0), "source in 0% of new articles (usually 100%)"),
])
def test_a_collapse_against_the_sites_own_history_degrades_it(counts, words):
    status, reason = assess(run(**counts), history_of())
    assert status == "degraded" and words in reason, reason


def test_the_same_numbers_with_no_history_are_ok():
    assert assess(run(**dict(HEALTHY, new_with_minute=3)))[0] == "ok"


def test_failed_runs_do_not_count_as_the_usual():
    failed = [dict(run(listing_requests=1, listing_failed=1), status="failed")] * 3
    assert assess(run(**dict(HEALTHY, article_links=12)), failed)[0] == "ok"


def test_site_run_keeps_rejects_by_reason_and_statuses():
    row = site_run("s", {"aggregator/reject_reason/http 404": 2, "aggregator/status/200": 5,
                         "aggregator/status/404": 2, "downloader/response_status_count/200": 6})
    assert json.loads(row["rejects_by_reason"]) == {"http 404": 2}
    assert json.loads(row["http_statuses"]) == {"200": 5, "404": 2}


@pytest.mark.parametrize("statuses,code", [
    (["ok", "ok"], 0), (["ok", "degraded"], 3), (["ok", "failed"], 3), (["blocked", "ok"], 3),
    (["failed"], 1), (["failed", "blocked"], 1), ([], 0),
])
def test_exit_code(statuses, code):
    assert exit_code(statuses) == code


def test_reason_key_folds_long_numbers():
    assert reason_key("page too large: 3000001 characters") == "page too large: N characters"
    assert reason_key("http 404") == "http 404"


# -- aggregator.challenge ----------------------------------------------------------------
# shapes as write-ups of 加速乐 and 瑞数 front ends describe them (see aggregator/challenge.py)
JSL = ("<html><body><script>document.cookie=('_')+('_')+('j')+('s')+('l')+('_')+('c')+('l')+('e')+"
       "('a')+('r')+('a')+('n')+('c')+('e')+('_')+('s')+('=')+(-~[]+'')+'7'+'0'+'1';"
       "location.href=location.pathname+location.search</script></body></html>")
RUISHU = ("<!DOCTYPE html><html><head><meta http-equiv=\"Content-Type\" content=\"text/html; charset=utf-8\">"
          "<meta id=\"Tk9z2fXq\" content=\"Xq0a9Ljf3kQ.hR\" r='m'><script type=\"text/javascript\" r='m'>"
          "$_ts=window['$_ts'];if(!$_ts)$_ts={};$_ts.nsd=81236;$_ts.cd=\"qGxcrAlk\";</script>"
          "<script type=\"text/javascript\" charset=\"utf-8\" src=\"/4QbVtADbnLVIc/c.FxJzG50F.3f7a2.js\" r='m'>"
          "</script></head><body></body></html>")
COOKIE_RELOAD = ("<html><head><script>var x='a1b2';document.cookie='verify='+x+';path=/';"
                 "setTimeout(function(){location.reload()},100);</script></head><body>请稍候……</body></html>")


@pytest.mark.parametrize("status,body,words", [
    (521, JSL, "加速乐-style cookie challenge (http 521)"),
    (200, JSL, "加速乐-style cookie challenge (http 200)"),
    (412, RUISHU, "瑞数-style script challenge (http 412)"),
    (200, RUISHU, "瑞数-style script challenge (http 200)"),
    (200, COOKIE_RELOAD, "sets a cookie and reloads"),
    (412, "<html><script src='/x.js'></script></html>", "script challenge (http 412)"),
])
def test_challenges_are_recognised(status, body, words):
    assert words in (challenge_reason(status, body) or "")


ARTICLE = ("<html><head><title>全省教育工作会议召开</title><script>var _hmt=_hmt||[];document.cookie='a=1';"
           "location.href;</script></head><body><h1>全省教育工作会议召开</h1><div id='zoom'>"
           + "<p>会议总结了过去一年全省教育工作，部署了新一年的重点任务，要求各地推进义务教育优质均衡发展。</p>" * 3
           + "</div></body></html>")


@pytest.mark.parametrize("status,body", [
    (200, ARTICLE),                                                           # a page with text
    (200, "<html><head><script>window.location.href='/col/col1/index.html'</script></head></html>"),  # JS redirect
    (404, "<html><body><h1>404 Not Found</h1></body></html>"),
    (200, ""),
])
def test_ordinary_pages_are_not_challenges(status, body):
    assert challenge_reason(status, body) is None


# -- a crawl of a broken site ------------------------------------------------------------
# The column page follows the Hanweb JCMS shape DESIGN.md describes from public crawlers of
# the Zhejiang cluster (a <datastore> of <record> CDATA items, /art/YYYY/M/D/art_COL_ID.html).
COLUMN = "/col/col1543974/index.html"


def column_page(hrefs):
    records = "".join(f'<record><![CDATA[<li><a href="{h}" title="教育动态{i}">教育动态{i}</a>'
                      f"<span>2024-05-0{i % 9 + 1}</span></li>]]></record>" for i, h in enumerate(hrefs))
    return (f'<html><head><meta name="ColumnName" content="教育动态"></head><body><div id="4729348">'
            f'<script type="text/xml"><datastore><totalrecord>{len(hrefs)}</totalrecord><totalpage>1</totalpage>'
            f"<recordset>{records}</recordset></datastore></script></div></body></html>")


def article_page(i):
    return (f'<html><head><meta name="ArticleTitle" content="全省教育系统推进课后服务第{i}场">'
            f'<meta name="PubDate" content="2024-05-0{i % 9 + 1} 10:3{i % 10}"><meta name="ContentSource" content="浙江省教育厅">'
            f"</head><body><h1>全省教育系统推进课后服务第{i}场</h1><div class='info'>发布日期：2024-05-0{i % 9 + 1} 10:3{i % 10} "
            f"来源：浙江省教育厅 作者：王明</div><div id='zoom'>"
            + "".join(f"<p>第{i}批{k}号：各地教育部门按照全省统一部署，扎实推进义务教育阶段课后服务工作，"
                      f"今年新增服务学校{i * 7 + k}所，丰富服务内容，提高服务质量。</p>" for k in range(4))
            + "</div></body></html>")


def healthy_routes(n=12):
    hrefs = [f"/art/2024/5/{i % 9 + 1}/art_1543974_{5800 + i}.html" for i in range(n)]
    from tests.replica import Reply
    routes = {COLUMN: Reply(body=column_page(hrefs))}
    routes.update({h: Reply(body=article_page(i)) for i, h in enumerate(hrefs)})
    return routes


def site_runs(db):
    return list(sqlite_utils.Database(db)["site_runs"].rows)


def articles(db):
    return sqlite_utils.Database(db)["articles"].count


def test_a_healthy_site_exits_0(tmp_path):
    result, _ = crawl("zj_jyt", healthy_routes(), tmp_path / "n.db")
    assert result.returncode == 0, result.stdout + result.stderr[-2000:]
    assert [r["status"] for r in site_runs(tmp_path / "n.db")] == ["ok"]
    assert articles(tmp_path / "n.db") == 12


def test_a_column_whose_links_moved_fails(tmp_path):
    from tests.replica import Reply
    moved = {COLUMN: Reply(body=column_page([f"/news/2024/{i}.html" for i in range(12)]))}
    result, _ = crawl("zj_jyt", moved, tmp_path / "n.db")
    assert result.returncode == 1
    assert "failed: zj_jyt (the listings gave no article links (1 listing pages read))" in result.stdout
    assert [(r["status"], r["article_links"]) for r in site_runs(tmp_path / "n.db")] == [("failed", 0)]


def test_a_site_that_404s_all_but_robots_fails(tmp_path):
    result, requests = crawl("zj_jyt", {}, tmp_path / "n.db")
    assert ("GET", "/robots.txt") in requests
    assert result.returncode == 1
    assert "failed: zj_jyt (every listing request failed (http 404 ×1))" in result.stdout
    row, = site_runs(tmp_path / "n.db")
    assert row["status"] == "failed" and json.loads(row["http_statuses"]) == {"404": 1}
    assert articles(tmp_path / "n.db") == 0


def test_a_challenge_site_is_blocked_and_nothing_is_stored(tmp_path):
    from tests.replica import Reply
    challenge = Reply(521, JSL, headers=(("Set-Cookie", "__jsluid_h=0f3c1d; max-age=31536000; path=/"),))
    routes = {path: challenge for path in healthy_routes()}
    routes["/robots.txt"] = challenge
    result, _ = crawl("zj_jyt", routes, tmp_path / "n.db")
    assert result.returncode == 1
    assert "blocked: zj_jyt (1 of 1 listing requests answered an anti-bot challenge)" in result.stdout
    assert [r["status"] for r in site_runs(tmp_path / "n.db")] == ["blocked"]
    rejects = list(sqlite_utils.Database(tmp_path / "n.db")["rejects"].rows)
    assert [r["reason"] for r in rejects] == ["blocked: 加速乐-style cookie challenge (http 521)"]
    assert articles(tmp_path / "n.db") == 0


def test_challenged_article_pages_are_rejects_not_articles(tmp_path):
    from tests.replica import Reply
    routes = healthy_routes()
    for path in list(routes)[1:]:
        routes[path] = Reply(200, RUISHU)
    result, _ = crawl("zj_jyt", routes, tmp_path / "n.db")
    assert result.returncode == 1 and "blocked: zj_jyt (12 article pages answered" in result.stdout
    assert articles(tmp_path / "n.db") == 0
    reasons = {r["reason"] for r in sqlite_utils.Database(tmp_path / "n.db")["rejects"].rows}
    assert reasons == {"blocked: 瑞数-style script challenge (http 200)"}


def test_a_collapse_after_good_runs_is_degraded_and_exits_3(tmp_path):
    db = tmp_path / "n.db"
    for _ in range(2):
        assert crawl("zj_jyt", healthy_routes(30), db)[0].returncode == 0
    routes = healthy_routes(30)
    from tests.replica import Reply
    fresh = [f"/art/2024/6/1/art_1543974_{9000 + i}.html" for i in range(3)]
    routes[COLUMN] = Reply(body=column_page(fresh))
    routes.update({h: Reply(body=article_page(40 + i)) for i, h in enumerate(fresh)})
    result, _ = crawl("zj_jyt", routes, db)
    assert result.returncode == 3
    assert "degraded: zj_jyt (article links fell to 3 (usually 30)" in result.stdout
    assert [r["status"] for r in site_runs(db)] == ["ok", "ok", "degraded"]


def test_sites_health_shows_the_last_status_and_last_good_run(tmp_path):
    import subprocess
    import sys

    db = tmp_path / "n.db"
    crawl("zj_jyt", healthy_routes(), db)
    crawl("zj_jyt", {}, db)
    result = subprocess.run([sys.executable, "-m", "aggregator.cli", "sites", "--health", "--db", str(db)],
                            capture_output=True, text=True, timeout=60)
    assert result.returncode == 0
    line, = [l for l in result.stdout.splitlines() if l.startswith("zj_jyt")]
    runs = site_runs(db)
    assert "failed" in line and "every listing request failed" in line
    assert runs[0]["finished_at"] in line  # the last ok run
    assert any(l.startswith("moe ") and "never crawled" in l for l in result.stdout.splitlines())
