import itertools
import json
from importlib.resources import files
import random
import re
import time
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest
import sqlite_utils
from opencc import OpenCC

import yaml

from aggregator.syndication import (compare_texts, content_hash, content_hash_normalized, fingerprint,
                                    normalize_body, normalize_text)
from aggregator.syndication_bands import _containment
from aggregator.syndication_credits import credits_original, org_aliases
from aggregator.store import Store
from aggregator.syndication_index import StoryIndex

METADATA = yaml.safe_load(files("aggregator").joinpath("data/metadata.yml").read_text(encoding="utf-8"))
CANNED_QUERIES = {name: q for name, q in METADATA["databases"]["news"]["queries"].items()
                  if name in ("pickups", "uncredited_copies", "widest_stories_this_week", "new_pickups_feed")}

DATA = Path(__file__).parent / "data" / "syndication"
BODIES = json.loads((DATA / "bodies.json").read_text(encoding="utf-8"))
BY_ID = {b["id"]: b for b in BODIES}
CST = timezone(timedelta(hours=8))
SEED = BY_ID["seed000"]["body"]

# --- how copies are made (each kind the issue names) ------------------------------------------
_S2T = OpenCC("s2t")


def _sentences(text):
    return [s for s in re.split(r"(?<=[。！？])", text) if s.strip()]


def truncate(body, share=0.6):
    """The first `share` of the body, cut after a sentence."""
    cut, out = len(body) * share, ""
    for s in _sentences(body):
        if len(out) + len(s) > cut and out:
            break
        out += s
    return out


def tail(body, share=0.6):
    """The last `share` of the body, cut before a sentence."""
    cut, out = len(body) * share, ""
    for s in reversed(_sentences(body)):
        if len(out) + len(s) > cut and out:
            break
        out = s + out
    return out


def credit_line(body, source):
    return body + f"\n（来源：{source}）"


def editor_lead(body, other):
    """One sentence of another text as the editor's lead (at most 60 characters: the first
    "sentence" of a government notice page can be its whole 300-character metadata block,
    which would be a quoted passage of that page, not a lead)."""
    lead = next((x for x in _sentences(other) if len(x) <= 60), _sentences(other)[0][:60])
    return lead + "以下为报道原文。\n" + body


def editor_note(body, other):
    return "编者按：" + "".join(_sentences(other)[:2]) + "\n" + body


def traditional(body):
    return _S2T.convert(body)


def small_edits(body):
    out = body.replace("，", ",", 3)
    for a, b in [("近日", "日前"), ("进一步", "更加"), ("积极", "主动"), ("要求", "规定"),
                 ("今年", "2022年"), ("工作", "工作")]:
        out = out.replace(a, b, 1)
    sents = _sentences(out)
    if len(sents) > 6:
        del sents[len(sents) // 2]  # an editor drops one sentence
    return "".join(sents)


def merge_paragraphs(body):
    paras = body.split("\n")
    return "\n".join("".join(paras[i:i + 3]) for i in range(0, len(paras), 3))


def dateline(body):
    return "本报讯（记者 张明 通讯员 李华）" + body


# --- hard negatives: short notices on one long template -----------------------------------------
OPENING = ("各区县（市）教育局，局属各学校，各有关单位：为深入贯彻落实全省教育工作会议精神，进一步加强和"
           "改进学校管理工作，切实提高教育教学质量和办学水平，经研究决定，现将有关事项通知如下：")
FOOTER = ("请各单位高度重视，认真组织实施，确保各项工作落到实处，并于规定时间前将有关材料报送市教育局。"
          "工作中遇到的问题请及时与市教育局办公室联系。联系人：王老师，联系电话：0574-87654321，"
          "电子邮箱：office@example.gov.cn。特此通知。附件：1.工作安排表 2.报名回执")


def notices():
    """Short notices with the same opening and footer and their own facts (one or two real
    sentences in the middle, and sometimes a different date)."""
    out = []
    for n, body in enumerate(b for b in BODIES if b["id"] != "seed000"):
        sents = [s for s in _sentences(body["body"].replace("\n", "")) if 15 <= len(s) <= 90]
        if not sents:
            continue
        facts = "".join(sents[:2]) if n % 2 else sents[0]
        date = "2022年3月1日" if n % 3 else f"2022年3月{n + 2}日"
        out.append(f"{OPENING}\n一、{facts}\n{FOOTER}\n宁波市教育局\n{date}")
    return out


SITES = [
    ("beilun", "北仑区教育局（演示）"), ("nbedu", "宁波市教育局（演示）"), ("zjedu", "浙江省教育厅（演示）"),
    ("cnpaper", "宁波日报（演示）"), ("portal", "教育之江（演示）"), ("county", "象山县教育局（演示）"),
    ("school", "宁波东海实验学校（演示）"), ("city2", "绍兴市教育局（演示）"),
]


def corpus():
    """[(group, credited_expected, article)]; group None for a hard negative."""
    start = datetime(2022, 3, 1, 9, 0, tzinfo=CST)
    out = []
    for i, orig in enumerate(BODIES):
        other = BODIES[(i + 1) % len(BODIES)]["body"]
        osite = SITES[i % 3][0]
        source = orig["source"] or dict(SITES)[osite].replace("（演示）", "")
        pub = start + timedelta(days=i)
        g = orig["id"]
        body = orig["body"]
        copies = [
            ("credited", credit_line(body, source), source, True),
            ("headline", dateline(body), "本网", False),
            ("truncated", truncate(body), None, False),
            ("lead", editor_lead(body, other), source, True),
            ("note", editor_note(body, other), None, False),
            ("traditional", traditional(body), None, False),
            ("edits", small_edits(body), None, False),
            ("merged", merge_paragraphs(body), "本站", False),
            ("uncredited", body, None, False),
            ("trad-truncated", traditional(truncate(body)), None, False),
            ("lead-truncated", editor_lead(truncate(body, 0.7), other), None, False),
        ]
        out.append((g, None, dict(site=osite, title=orig["title"], body=body, source=source,
                                  published_at=pub.isoformat(), kind="original")))
        for n, (kind, text, src, credited) in enumerate(copies):
            site = SITES[3 + (i + n) % 5][0]
            out.append((g, credited, dict(
                site=site, title=(orig["title"] or "") + ("（转载）" if kind != "headline" else "：新标题"),
                body=text, source=src, published_at=(pub + timedelta(hours=n + 1)).isoformat(),
                kind=kind)))
    for n, text in enumerate(notices()):
        out.append((None, None, dict(site="nbedu", title=f"关于做好有关工作的通知（{n}）", body=text,
                                     source="宁波市教育局", published_at=(start + timedelta(hours=n)).isoformat(),
                                     kind="notice")))
    return out


# --- the store's own database -------------------------------------------------------------------
@pytest.fixture
def db(tmp_path):
    store = Store(tmp_path / "news.db")
    store.sync_sites([{"name": n, "display_name": d, "region": "浙江"} for n, d in SITES])
    yield store.db
    store.close()


_counter = itertools.count()


def add(db, **art):
    art = dict(art)
    art.pop("kind", None)
    n = next(_counter)
    art.setdefault("url", f"https://{art['site']}.example.gov.cn/art/{n}.html")
    art.setdefault("first_seen", datetime(2022, 6, 1, tzinfo=CST).isoformat())
    art.setdefault("last_seen", art["first_seen"])
    art["content_hash"] = content_hash(art["body"])
    return db["articles"].insert(art).last_pk


def snapshot(db):
    return (list(db.query("select * from articles order by id")),
            list(db.query("select * from stories order by id")))


# --- normalize_text / content_hash ----------------------------------------------------------
@pytest.mark.parametrize("a,b", [
    ("教育局召开会议，部署工作。", "教育局召开会议 部署工作"),                # punctuation, spaces
    ("２０２２年学生ＡＢＣ", "2022年学生abc"),                            # full-width
    ("國家教育發展規劃綱要", "国家教育发展规划纲要"),                        # Traditional
    ("第一段。\n第二段。", "第一段。第二段。"),                            # paragraphs merged
    ("正文内容。\n来源：北仑区教育局\n责任编辑：张三", "正文内容。"),          # credit lines
    ("编者按：这是编者的话。\n正文内容。", "正文内容。"),                     # editor's note
    ("正文内容。（来源：教育之江）", "正文内容。"),                          # inline credit
    ("本报讯（记者 樊亮 通讯员 张明）正文内容。", "正文内容。"),                # dateline and byline
    ("正文内容。\n【打印本页】【关闭窗口】\n上一篇：某某新闻", "正文内容。"),      # navigation
])
def test_normalize_text_folds_what_a_copy_changes(a, b):
    assert normalize_text(a) == normalize_text(b) != ""


def test_normalize_text_keeps_the_words():
    assert normalize_text("北仑区教育局举办“百强支部PK赛”。") == "北仑区教育局举办百强支部pk赛"


@pytest.mark.parametrize("bad", [None, "", "   \n\t", b"\xff\xfe\x00", 42, "\ud800", "。，！？"])
def test_normalize_text_bad_input(bad):
    assert normalize_text(bad) == ""
    assert content_hash(bad) is None


def test_normalize_text_10_mb_is_fast():
    t = time.perf_counter()
    out = normalize_text("教育新闻。" * 2_000_000)
    assert time.perf_counter() - t < 2
    assert out.startswith("教育新闻教育新闻")


@pytest.mark.parametrize("body,title", [
    ("教育局召开会议，部署工作。\n正文内容。", None),
    ("教育局召开会议\n教育局召开会议，部署工作。", "教育局召开会议"),     # the headline again: dropped
    ("教育局召开会议！\n正文内容。", "教育局召开会议"),                    # (punctuation aside)
    ("教育局召开会议部署工作\n正文内容。", "教育局召开会议"),              # a longer first line stays
    ("来源：北仑区教育局\n國家教育發展規劃綱要", "国家教育发展规划纲要"),  # the first content line
    ("正文内容。", ""),
    (None, "标题"), ("", None), (b"\xff\xfe\x00", 42), ("\ud800", "\ud800"), ("。，！？", "。"),
])
def test_normalize_body_is_the_hash_and_the_fingerprint_text(body, title):
    """What the store hashes and the story index shingles, from one pass (normalize_body)."""
    fp = fingerprint(body, title)
    assert normalize_body(body, title) == (normalize_text(body), fp.norm if fp else "")
    assert content_hash_normalized(normalize_body(body, title)[0]) == content_hash(body)


def test_content_hash_same_body_across_layouts():
    assert content_hash(SEED) == content_hash(merge_paragraphs(SEED)) == content_hash(
        credit_line(SEED, "北仑区教育局"))
    assert content_hash(SEED) != content_hash(truncate(SEED))
    assert re.fullmatch(r"[0-9a-f]{32}", content_hash(SEED))


# --- pairwise verification ----------------------------------------------------------------------
COPY_KINDS = {
    "credit line added": lambda b, o: credit_line(b, "北仑区教育局"),
    "headline changed / dateline": lambda b, o: dateline(b),
    "truncated to 60%": lambda b, o: truncate(b),
    "editor's lead added": editor_lead,
    "editor's note added": editor_note,
    "Traditional characters": lambda b, o: traditional(b),
    "small edits": lambda b, o: small_edits(b),
    "paragraphs merged": lambda b, o: merge_paragraphs(b),
    "lead added and tail cut": lambda b, o: editor_lead(truncate(b, 0.7), o),
}


@pytest.mark.parametrize("kind", COPY_KINDS)
def test_copy_is_same_story(kind):
    other = BY_ID["b26fbb82"]["body"]
    result = compare_texts(SEED, COPY_KINDS[kind](SEED, other))
    assert result.same_story, result


def test_different_stories_are_not_the_same():
    assert not compare_texts(SEED, BY_ID["b26fbb82"]["body"]).same_story


def test_template_notices_are_not_the_same_story():
    texts = notices()
    assert len(texts) >= 10
    for a, b in itertools.combinations(texts, 2):
        result = compare_texts(a, b)
        assert not result.same_story, (a, b, result)


def test_a_notice_with_other_date_is_not_the_same_notice():
    a = notices()[0]
    b = re.sub(r"\d{4}年\d+月\d+日$", "2022年4月8日", a)
    assert a != b
    assert not compare_texts(a, b).same_story


def test_short_texts_only_match_exactly():
    assert compare_texts("教育局召开会议。", "教育局召开会议。").same_story
    assert not compare_texts("教育局召开了一次会议。", "教育局召开会议。").same_story


# --- credits ----------------------------------------------------------------------------------
@pytest.mark.parametrize("name,alias", [
    ("北仑区教育局（演示）", "北仑区教育局"),
    ("北仑区教育局", "北仑教育"),
    ("北仑区教育局", "北仑教育局"),
    ("宁波市北仑区教育局网站", "北仑区教育局"),
    ("浙江省教育厅", "浙江教育"),
    ("宁波日报", "宁波日报"),
])
def test_org_aliases(name, alias):
    assert alias in org_aliases(name)


@pytest.mark.parametrize("name", ["投稿", "本站", "原创", "", None, "  "])
def test_generic_sources_have_no_alias(name):
    assert org_aliases(name) == set()


def test_org_aliases_never_shorten_to_a_bare_office():
    assert "教育局" not in org_aliases("北仑区教育局")
    assert org_aliases("人民网") == {"人民网"}


@pytest.mark.parametrize("source,body,credited", [
    ("北仑教育", "正文", True),
    ("北仑区教育局网站", "正文", True),
    ("本网", "正文。\n（来源：宁波市北仑区教育局）", True),
    (None, "据北仑區教育局消息，正文。", True),
    ("本网", "正文", False),
    ("镇海区教育局", "正文", False),
])
def test_credits_original(source, body, credited):
    assert credits_original(source, body, ["北仑区教育局", "北仑区教育局（演示）"]) is credited


# --- the persistent index ---------------------------------------------------------------------
def ingest(db, cases, seed=7):
    order = list(range(len(cases)))
    random.Random(seed).shuffle(order)
    index = StoryIndex(db)
    ids = {}
    with index.batch():
        for n in order:
            ids[n] = add(db, **cases[n][2])
            index.assign(ids[n])
    return index, ids


def pairwise(db, cases, ids):
    story = {r["id"]: r["story_id"] for r in db.query("select id, story_id from articles")}
    tp = fp = fn = 0
    for x, y in itertools.combinations(range(len(cases)), 2):
        gx, gy = cases[x][0], cases[y][0]
        truth = gx is not None and gx == gy
        pred = story[ids[x]] == story[ids[y]]
        tp += truth and pred
        fp += pred and not truth
        fn += truth and not pred
    return tp / max(tp + fp, 1), tp / max(tp + fn, 1)


@pytest.mark.parametrize("seed", [7, 11])
def test_real_body_test_set_precision_and_recall(db, seed):
    cases = corpus()
    _, ids = ingest(db, cases, seed)
    precision, recall = pairwise(db, cases, ids)
    assert precision >= 0.99 and recall >= 0.95, (precision, recall)


def test_no_hard_negative_merge(db):
    cases = corpus()
    _, ids = ingest(db, cases)
    stories = [r["story_id"] for r in db.query(
        f"select story_id from articles where id in ({','.join(str(ids[n]) for n, c in enumerate(cases) if c[0] is None)})")]
    assert len(stories) == len(set(stories)) >= 10


def test_every_article_has_a_story_and_stories_count_members(db):
    cases = corpus() + partial_copies()  # partial copies before their original: merges
    ingest(db, cases)
    assert db.execute("select count(*) from articles where story_id is null").fetchone()[0] == 0
    assert db.execute("select count(*) from stories where id not in "
                      "(select story_id from articles)").fetchone()[0] == 0
    assert db.execute("select count(*) from syn_docs d join articles a on a.id = d.article_id "
                      "where a.story_id != d.story_id").fetchone()[0] == 0
    for s in db.query("select * from stories"):
        members = list(db.query("select site from articles where story_id = ?", [s["id"]]))
        assert s["copies"] == len(members) - 1
        assert s["sites"] == len({m["site"] for m in members})


def test_original_is_the_earliest_published(db):
    cases = corpus()
    _, ids = ingest(db, cases, seed=3)
    for n, (group, _, art) in enumerate(cases):
        if art["kind"] == "original":
            row = db["articles"].get(ids[n])
            story = db["stories"].get(row["story_id"])
            assert story["original_id"] == ids[n]
            assert row["similarity"] == 1.0 and row["lag_hours"] == 0 and row["credits_original"] is None


def test_copies_record_lag_similarity_and_credit(db):
    cases = corpus()
    _, ids = ingest(db, cases)
    checked = 0
    names_itself = {g for g, _, art in cases if art["kind"] == "original" and credits_original(
        None, art["body"], [art["source"], dict(SITES)[art["site"]]])}
    for n, (group, credited, art) in enumerate(cases):
        if group in names_itself:
            continue  # the body itself names the original's organisation: every copy credits
        if art["kind"] in ("credited", "lead", "uncredited", "truncated", "headline"):
            row = db["articles"].get(ids[n])
            kind_no = ["credited", "headline", "truncated", "lead"].index(art["kind"]) + 1 \
                if art["kind"] != "uncredited" else 9
            assert row["lag_hours"] == pytest.approx(kind_no)
            assert row["credits_original"] == int(credited)
            if art["kind"] == "truncated":
                assert 0.35 < row["similarity"] < 0.8  # the share of the original it carries
            else:
                assert row["similarity"] >= 0.97
            checked += 1
    assert checked == 5 * (len(BODIES) - len(names_itself)) > 40


def test_a_copy_whose_body_names_the_original_credits_it(db):
    index = StoryIndex(db)
    a = add(db, site="beilun", title="a", body=SEED, source="北仑区教育局",
            published_at="2021-06-30T13:06:00+08:00")
    b = add(db, site="nbedu", title="b", body=SEED, source="本网",
            published_at="2021-07-01T13:06:00+08:00")
    index.assign_many([a, b])
    assert "北仑区教育局" in SEED and db["articles"].get(b)["credits_original"] == 1


def test_earlier_copy_found_later_becomes_the_original(db):
    index = StoryIndex(db)
    late = add(db, site="nbedu", title="转载", body=credit_line(SEED, "北仑区教育局"),
               source="北仑区教育局", published_at="2021-07-01T10:00:00+08:00")
    first = index.assign(late)
    assert first["is_original"]
    early = add(db, site="beilun", title="原文", body=SEED, source="北仑区教育局",
                published_at="2021-06-30T13:06:00+08:00")
    result = index.assign(early)
    assert result["is_original"] and result["story_id"] == first["story_id"]
    assert result["matched_article_id"] == late
    copy = db["articles"].get(late)
    assert copy["lag_hours"] == pytest.approx(20.9) and copy["credits_original"] == 1
    story = db["stories"].get(first["story_id"])
    assert story["original_id"] == early and story["copies"] == 1 and story["sites"] == 2
    assert story["published_at"] == "2021-06-30T13:06:00+08:00"


def test_ties_on_published_at_go_to_first_seen(db):
    index = StoryIndex(db)
    pub = "2021-06-30T13:06:00+08:00"
    b = add(db, site="nbedu", title="b", body=SEED, source=None, published_at=pub,
            first_seen="2021-07-02T00:00:00+08:00")
    a = add(db, site="beilun", title="a", body=SEED, source=None, published_at=pub,
            first_seen="2021-07-01T00:00:00+08:00")
    index.assign_many([b, a])
    assert db["stories"].get(db["articles"].get(a)["story_id"])["original_id"] == a


def test_lag_is_null_without_dates(db):
    index = StoryIndex(db)
    a = add(db, site="beilun", title="a", body=SEED, source=None, published_at="2021-06-30T13:06:00+08:00")
    b = add(db, site="nbedu", title="b", body=truncate(SEED), source=None, published_at=None)
    index.assign_many([a, b])
    assert db["articles"].get(b)["lag_hours"] is None
    assert db["articles"].get(b)["story_id"] == db["articles"].get(a)["story_id"]


def test_reassigning_changes_nothing(db):
    cases = corpus()[:60]
    index, ids = ingest(db, cases)
    before = snapshot(db)
    again = index.assign_many(list(ids.values()))
    assert snapshot(db) == before
    assert all(r["story_id"] for r in again)


def partial_copies():
    """[(group, None, article)]: a copy holding the first 60% and one holding the last 60% of
    every body (they do not match each other: only the full original joins them)."""
    start = datetime(2022, 3, 1, 9, 0, tzinfo=CST)
    out = []
    for i, orig in enumerate(BODIES):
        for n, (kind, text) in enumerate([("head", truncate(orig["body"])),
                                           ("tail", tail(orig["body"]))]):
            out.append((orig["id"], None, dict(
                site=SITES[3 + n][0], title=orig["title"], body=text, source=None,
                published_at=(start + timedelta(days=i, minutes=30 + n)).isoformat(), kind=kind)))
    return out


def _clusters(db, ids):
    groups = {}
    for n, i in ids.items():
        groups.setdefault(db["articles"].get(i)["story_id"], set()).add(n)
    return sorted(map(sorted, groups.values()))


def test_reimport_in_another_order_gives_the_same_clusters(tmp_path, db):
    cases = corpus() + partial_copies()
    _, ids = ingest(db, cases, seed=1)
    db2 = sqlite_utils.Database(tmp_path / "other.db")
    StoryIndex(db2).ensure_schema()
    db2["articles"].create({"id": int, "url": str, "site": str, "title": str, "body": str,
                            "source": str, "published_at": str, "first_seen": str,
                            "last_seen": str, "content_hash": str, "story_id": int,
                            "similarity": float, "lag_hours": float, "credits_original": int},
                           pk="id")
    _, ids2 = ingest(db2, cases, seed=2)
    assert _clusters(db, ids) == _clusters(db2, ids2)
    # and partial copies that came before their original were merged into its story
    for n, (group, _, art) in enumerate(cases):
        if art["kind"] in ("head", "tail"):
            original = next(m for m, c in enumerate(cases)
                            if c[0] == group and c[2]["kind"] == "original")
            for d, i in ((db, ids), (db2, ids2)):
                assert d["articles"].get(i[n])["story_id"] == d["articles"].get(i[original])["story_id"]


# --- merging stories through a bridging article -----------------------------------------------
# SEED, its head and tail copies (which do not verify against each other), by kind
PARTIAL_STORY = {
    "original": dict(site="zjedu", title="原文", body=SEED, source="浙江省教育厅",
                     published_at="2021-06-30T13:06:00+08:00"),
    "head": dict(site="nbedu", title="转载", body=truncate(SEED), source="浙江教育",
                 published_at="2021-07-01T10:00:00+08:00"),
    "tail": dict(site="portal", title="转载", body=tail(SEED), source="本网",
                 published_at="2021-07-02T10:00:00+08:00"),
}


def _partial_story(db, order):
    """SEED's head and tail copies and its original, assigned in `order`: {kind: article id}."""
    index = StoryIndex(db)
    ids = {k: add(db, **PARTIAL_STORY[k]) for k in order}
    index.assign_many([ids[k] for k in order])
    return index, ids


def test_partial_copies_do_not_match_each_other():
    assert not compare_texts(truncate(SEED), tail(SEED)).same_story
    assert compare_texts(SEED, truncate(SEED)).same_story
    assert compare_texts(SEED, tail(SEED)).same_story


def test_original_merges_the_stories_of_its_partial_copies(db):
    index = StoryIndex(db)
    _, ids = _partial_story(db, ["head", "tail"])
    head_story = db["articles"].get(ids["head"])["story_id"]
    tail_story = db["articles"].get(ids["tail"])["story_id"]
    assert head_story < tail_story
    original = add(db, site="zjedu", title="原文", body=SEED, source="浙江省教育厅",
                   published_at="2021-06-30T13:06:00+08:00")
    result = index.assign(original)
    assert result["story_id"] == head_story and result["is_original"]
    assert result["merged_story_ids"] == [tail_story]
    assert [r["id"] for r in db.query("select id from stories")] == [head_story]
    story = db["stories"].get(head_story)
    assert story["original_id"] == original and story["copies"] == 2 and story["sites"] == 3
    assert story["published_at"] == "2021-06-30T13:06:00+08:00"
    assert {r[0] for r in db.execute("select story_id from syn_docs")} == {head_story}


def test_merged_members_are_recomputed_against_the_new_original(db):
    _, ids = _partial_story(db, ["tail", "head"])
    assert db["articles"].get(ids["tail"])["credits_original"] is None  # its own original
    _, more = _partial_story(db, ["original"])
    ids.update(more)
    head, tail_copy = db["articles"].get(ids["head"]), db["articles"].get(ids["tail"])
    assert head["lag_hours"] == pytest.approx(20.9) and tail_copy["lag_hours"] == pytest.approx(44.9)
    assert 0.35 < head["similarity"] < 0.8 and 0.35 < tail_copy["similarity"] < 0.8
    assert head["credits_original"] == 1 and tail_copy["credits_original"] == 0
    assert db["articles"].get(ids["original"])["similarity"] == 1.0


@pytest.mark.parametrize("order", list(itertools.permutations(["head", "tail", "original"])))
def test_partial_copies_and_original_form_one_story_in_any_order(db, order):
    _, ids = _partial_story(db, order)
    stories = list(db.query("select * from stories"))
    assert len(stories) == 1
    assert stories[0]["original_id"] == ids["original"] and stories[0]["copies"] == 2
    assert {db["articles"].get(i)["story_id"] for i in ids.values()} == {stories[0]["id"]}


def test_reassigning_after_a_merge_changes_nothing(db):
    index, ids = _partial_story(db, ["head", "tail", "original"])
    before = snapshot(db)
    again = index.assign_many(list(ids.values()))
    assert snapshot(db) == before
    assert all(r["merged_story_ids"] == [] for r in again)


def _bare_template_and_two_notices():
    bare = f"{OPENING}\n{FOOTER}\n宁波市教育局\n2022年3月1日"
    matched = [n for n in notices() if compare_texts(bare, n).same_story][:2]
    assert len(matched) == 2 and not compare_texts(*matched).same_story
    assert compare_texts(*matched).conflict
    return {"bare": bare, "a": matched[0], "b": matched[1]}


def test_a_bare_template_does_not_merge_the_notices_it_matches(db):
    texts = _bare_template_and_two_notices()
    index = StoryIndex(db)
    a, b = (add(db, site="nbedu", title=f"通知{k}", body=texts[k], source=None, published_at=None)
            for k in ("a", "b"))
    index.assign_many([a, b])
    c = add(db, site="nbedu", title="通知", body=texts["bare"], source=None, published_at=None)
    result = index.assign(c)
    assert result["matched_article_id"] is None and result["merged_story_ids"] == []
    assert len({db["articles"].get(i)["story_id"] for i in (a, b, c)}) == 3
    reason = db.execute("select reason from syn_docs where article_id = ?", [c]).fetchone()[0]
    assert reason.startswith("original of its own story: matches articles") and "kept apart" in reason


@pytest.mark.parametrize("order", list(itertools.permutations(["bare", "a", "b"])))
def test_a_bare_template_gathers_no_notices_in_any_order(db, order):
    """Arriving first, the template is joined by the first notice; the second notice, which
    verifies against the template but conflicts with the first notice, shows the template for
    what it is: it leaves the notice's story. Every order ends with three stories."""
    texts = _bare_template_and_two_notices()
    index = StoryIndex(db)
    ids = {k: add(db, site="nbedu", title=f"通知{k}", body=texts[k], source=None,
                  published_at=None) for k in order}
    for k in order:
        index.assign(ids[k])
    stories = {k: db["articles"].get(i)["story_id"] for k, i in ids.items()}
    assert len(set(stories.values())) == 3, stories
    assert db.execute("select count(*) from stories").fetchone()[0] == 3
    for story_id in stories.values():
        assert db["stories"].get(story_id)["copies"] == 0
    # the template files no keys: a later notice on it finds no story to join
    third = [n for n in notices() if compare_texts(texts["bare"], n).same_story][2]
    d = add(db, site="nbedu", title="通知d", body=third, source=None, published_at=None)
    assert index.assign(d)["is_original"]


def _rewrite_replacing_a_name():
    """SEED, a copy whose editor replaced a name in one sentence and cut the tail (a conflict
    with the original: another name in a slot, as another notice would have), and a fuller
    copy that dropped that sentence and added a lead (the rewrite verifies against it)."""
    sentence = next(s for s in _sentences(SEED) if "胡海波" in s)
    texts = {"original": SEED, "renamed": truncate(SEED.replace("胡海波", "李建国"), 0.8),
             "fuller": editor_lead(SEED.replace(sentence, ""), BODIES[1]["body"])}
    assert compare_texts(texts["renamed"], SEED).conflict
    assert compare_texts(texts["renamed"], texts["fuller"]).same_story
    return texts


@pytest.mark.parametrize("order", list(itertools.permutations(["original", "renamed", "fuller"])))
def test_a_rewrite_conflicting_with_its_original_joins_through_a_fuller_copy(db, order):
    texts = _rewrite_replacing_a_name()
    index = StoryIndex(db)
    hours = {"original": 0, "fuller": 5, "renamed": 9}
    ids = {k: add(db, site="portal", title="转载", body=texts[k], source=None,
                  published_at=f"2021-07-01T{10 + hours[k]:02d}:00:00+08:00") for k in order}
    for k in order:
        index.assign(ids[k])
    stories = {db["articles"].get(i)["story_id"] for i in ids.values()}
    assert len(stories) == 1
    assert db["stories"].get(stories.pop())["original_id"] == ids["original"]


def test_changed_body_moves_the_article(db):
    index = StoryIndex(db)
    a = add(db, site="beilun", title="a", body=SEED, source=None, published_at="2021-06-30T13:06:00+08:00")
    other = BY_ID["b26fbb82"]["body"]
    b = add(db, site="nbedu", title="b", body=other, source=None, published_at="2021-07-01T13:06:00+08:00")
    index.assign_many([a, b])
    db["articles"].update(b, {"body": SEED})
    result = index.assign(b)
    assert result["story_id"] == db["articles"].get(a)["story_id"]
    assert result["lag_hours"] == pytest.approx(24)
    assert db.execute("select count(*) from stories").fetchone()[0] == 1


def test_original_body_change_hands_the_story_over(db):
    index = StoryIndex(db)
    a = add(db, site="beilun", title="a", body=SEED, source=None, published_at="2021-06-30T13:06:00+08:00")
    b = add(db, site="nbedu", title="b", body=SEED, source=None, published_at="2021-07-01T13:06:00+08:00")
    index.assign_many([a, b])
    db["articles"].update(a, {"body": BY_ID["b26fbb82"]["body"]})
    index.assign(a)
    sb = db["stories"].get(db["articles"].get(b)["story_id"])
    assert sb["original_id"] == b and sb["copies"] == 0
    assert db["articles"].get(a)["story_id"] != sb["id"]


def test_empty_body_gets_its_own_story(db):
    index = StoryIndex(db)
    a = add(db, site="beilun", title="a", body="", source=None, published_at=None)
    b = add(db, site="beilun", title="b", body="", source=None, published_at=None)
    ra, rb = index.assign_many([a, b])
    assert ra["story_id"] != rb["story_id"] and ra["is_original"]


def test_missing_article_raises_lookup_error(db):
    with pytest.raises(LookupError):
        StoryIndex(db).assign(12345)


def test_index_survives_reopening(tmp_path, db):
    index = StoryIndex(db)
    a = add(db, site="beilun", title="a", body=SEED, source=None, published_at="2021-06-30T13:06:00+08:00")
    index.assign(a)
    db.conn.close()
    db2 = sqlite_utils.Database(tmp_path / "news.db")
    b = add(db2, site="nbedu", title="b", body=traditional(SEED), source=None,
            published_at="2021-07-01T13:06:00+08:00")
    result = StoryIndex(db2).assign(b)
    assert result["matched_article_id"] == a and not result["is_original"]


def test_an_index_with_keys_sampled_another_way_files_them_again(tmp_path):
    """An index whose syn_keys were made another way (the 16 smallest shingle hashes) is opened
    as it is, its keys filed again from the bodies: a digest of an article stored then is
    found through them."""
    store = Store(tmp_path / "news.db")
    db = store.db
    a = add(db, site="zjedu", title="原文", body=SEED, source=None, published_at=None)
    store.stories.assign(a)
    db.execute("DELETE FROM syn_keys")
    db.execute("UPDATE syn_meta SET value = json_set(value, '$.keys', 32) WHERE key = 'params'")
    db.conn.commit()
    store.close()
    store = Store(tmp_path / "news.db")
    db = store.db
    assert db.execute("select count(*) from syn_keys").fetchone()[0] > 5
    assert "1/16" in db.execute("select value from syn_meta where key = 'params'").fetchone()[0]
    keys = db.execute("select shingle_keys from syn_docs where article_id = ?", [a]).fetchone()[0]
    assert keys and len(keys) % 8 == 0
    b = add(db, site="nbedu", title="摘编", body=truncate(SEED, 0.3), source=None, published_at=None)
    assert store.stories.assign(b)["matched_article_id"] == a
    store.close()


def test_index_refuses_other_parameters(db):
    with pytest.raises(ValueError):
        StoryIndex(db, bands=20).ensure_schema()


def test_over_full_buckets_are_capped(db):
    index = StoryIndex(db, bucket_cap=5)
    ids = [add(db, site="beilun", title=str(n), body=SEED + f"（第{n}号）", source=None,
               published_at=None) for n in range(12)]
    index.assign_many(ids)
    index._file_recent_bands(force=True)
    biggest = db.execute("select max(n) from (select count(*) n from syn_bands group by band_key)"
                         ).fetchone()[0]
    assert biggest == 5


def test_newest_bands_are_filed_in_bulk_and_found_before_and_after(db):
    index = StoryIndex(db, merge_docs=3)
    texts = [b["body"] for b in BODIES if len(b["body"]) > 300][:4]
    first = [add(db, site=f"s{n}", title=str(n), body=t, source=None, published_at=None)
             for n, t in enumerate(texts[:3])]
    for n, a in enumerate(first):
        index.assign_many([a])
        filed = db.execute("select count(*) from syn_bands").fetchone()[0]
        assert filed == (0 if n < 2 else 3 * index.bands)  # filed once 3 are waiting
    later = add(db, site="x", title="x", body=texts[3], source=None, published_at=None)
    index.assign_many([later])
    assert db.execute("select count(*) from syn_bands").fetchone()[0] == 3 * index.bands
    # copies of articles filed and of one still waiting are found, also by a new connection
    # (a later cron run) and after another connection wrote
    assert index.find(truncate(texts[0]))["article_id"] == first[0]
    assert index.find(truncate(texts[3]))["article_id"] == later
    other = sqlite_utils.Database(db.conn.execute("pragma database_list").fetchone()[2])
    other_index = StoryIndex(other)
    assert other_index.find(truncate(texts[3]))["article_id"] == later
    newest = add(other, site="y", title="y", body=texts[3][::-1], source=None, published_at=None)
    other_index.assign(newest)
    assert index.find(truncate(texts[3][::-1]))["article_id"] == newest
    other.conn.close()


def test_filed_buckets_read_into_memory_follow_an_older_article_changed(db):
    """The filed buckets a lookup read are kept in memory: an older article (filed in
    syn_bands and syn_keys) whose body changes leaves them, and its new text is found."""
    index = StoryIndex(db, merge_docs=2)
    texts = [b["body"] for b in BODIES if len(b["body"]) > 300][:3]
    ids = [add(db, site=f"s{n}", title=str(n), body=t, source=None, published_at=None)
           for n, t in enumerate(texts[:2])]
    index.assign_many(ids)
    assert db.execute("select count(*) from syn_bands").fetchone()[0] == 2 * index.bands
    assert index.find(truncate(texts[0]))["article_id"] == ids[0]  # its buckets read
    with index.batch():
        db.execute("update articles set body = ? where id = ?", [texts[2], ids[0]])
        index.assign(ids[0])
        assert index.find(truncate(texts[0])) is None
        assert index.find(truncate(texts[2]))["article_id"] == ids[0]
    assert index.find(truncate(texts[0])) is None
    assert index.find(truncate(texts[2]))["article_id"] == ids[0]
    assert index.find(truncate(texts[1]))["article_id"] == ids[1]


def test_index_written_with_normalized_text_is_migrated(tmp_path):
    path = tmp_path / "old.db"
    store = Store(path)
    a = add(store.db, site="beilun", title="a", body=SEED, source=None,
            published_at="2021-06-30T13:06:00+08:00")
    store.stories.assign(a)
    store.db.execute("alter table syn_docs add column norm text")
    store.db.execute("update syn_docs set norm = substr(?, 1, 900), norm_len = null", ["教" * 900])
    store.db.conn.commit()
    store.close()
    store = Store(path)  # opening it migrates
    cols = [r[1] for r in store.db.execute("pragma table_info(syn_docs)")]
    assert "norm" not in cols
    assert store.db.execute("select norm_len from syn_docs").fetchone()[0] == 900
    b = add(store.db, site="nbedu", title="b", body=credit_line(SEED, "北仑区教育局"), source=None,
            published_at="2021-07-01T13:06:00+08:00")
    assert store.stories.assign(b)["matched_article_id"] == a


# --- editors' views -------------------------------------------------------------------------
def test_canned_queries_run(db):
    cases = corpus()
    ingest(db, cases)
    for name, q in CANNED_QUERIES.items():
        params = {"site": "beilun"} if ":site" in q["sql"] else {}
        rows = list(db.query(q["sql"], params))
        assert q["title"]
        if name == "pickups":
            assert rows and all(r["copy_site"] != "beilun" or r["lag_hours"] for r in rows)
            assert {r["credit"] for r in rows} == {"credited", "uncredited"}
        if name == "uncredited_copies":
            assert rows and all(r["original_site"] for r in rows)


def test_pickup_feed_has_atom_columns(db):
    ingest(db, corpus()[:24])
    rows = list(db.query(CANNED_QUERIES["new_pickups_feed"]["sql"], {"site": ""}))
    assert rows
    assert set(rows[0]) == {"atom_id", "atom_title", "atom_updated", "atom_content", "atom_link"}
    assert all(r["atom_id"] and r["atom_updated"] and r["atom_link"] for r in rows)


def test_find_looks_up_without_writing(db):
    index = StoryIndex(db)
    a = add(db, site="beilun", title="a", body=SEED, source=None, published_at=None)
    index.assign(a)
    before = snapshot(db)
    assert index.find(truncate(SEED))["article_id"] == a
    assert index.find(SEED)["how"] == "exact"
    assert index.find(BY_ID["b26fbb82"]["body"]) is None
    assert index.find("") is None
    assert snapshot(db) == before


def test_replaced_digits_are_reported():
    a = notices()[0]
    b = re.sub(r"\d{4}年\d+月\d+日$", "2021年9月9日", a)
    assert compare_texts(a, b).digits_replaced


def test_assign_many_with_an_id_twice_changes_nothing_the_second_time(db):
    index = StoryIndex(db)
    a = add(db, site="beilun", title="a", body=SEED, source=None, published_at=None)
    b = add(db, site="nbedu", title="b", body=truncate(SEED), source=None, published_at=None)
    first, again, copy = index.assign_many([a, a, b])
    assert again == first and copy["story_id"] == first["story_id"]
    assert db.execute("select count(*) from syn_docs").fetchone()[0] == 2


def test_every_character_opencc_changes_is_found_before_converting():
    # bodies without one of these skip OpenCC: a character missed here would stay Traditional
    from aggregator.syndication import _CLASS, _T2S, _TRADITIONAL
    cps = [c for c in range(0x80, 0x30000) if not 0xD800 <= c < 0xE000]
    out = _T2S.convert("\n".join(map(chr, cps))).split("\n")
    changed = [c for c, o in zip(cps, out) if o != chr(c)]
    assert len(changed) > 4000
    assert all(_CLASS[c] & _TRADITIONAL for c in changed)


def test_batch_fingerprints_equal_one_at_a_time():
    from aggregator.syndication import fingerprint, fingerprints, signatures
    texts = [(b["body"], b.get("title")) for b in BODIES[:40]] + [
        (traditional(SEED), None), ("短", None), ("", None), (None, None), ("一二三四五", None)]
    one = [fingerprint(body, title) for body, title in texts]
    many = fingerprints(texts)
    for a, b, sig in zip(one, many, signatures(many, 48)):
        assert (a is None) == (b is None) == (sig is None)
        if a is not None:
            assert (a.norm, a.digest) == (b.norm, b.digest)
            assert (a.hashes == b.hashes).all() and (a.unique == b.unique).all()
            assert (a.signature(48) == sig).all()


@pytest.mark.parametrize("order", list(itertools.permutations(["head", "tail", "twin", "original"])))
def test_an_exact_twin_bridges_the_stories_its_text_verifies_against(db, order):
    """The original's text published again later (the twin) joins the head copy's story only
    (head and tail do not verify against each other); the original, arriving after its twin,
    is an exact twin too, and still merges the tail's story: one story in every order."""
    arts = dict(PARTIAL_STORY, twin=dict(site="county", title="转载", body=SEED, source=None,
                                         published_at="2021-07-03T10:00:00+08:00"))
    index = StoryIndex(db)
    ids = {k: add(db, **arts[k]) for k in order}
    for k in order:
        index.assign(ids[k])
    stories = list(db.query("select * from stories"))
    assert len(stories) == 1 and stories[0]["original_id"] == ids["original"]
    assert stories[0]["copies"] == 3


@pytest.mark.parametrize("jaccard, a, b, expected", [
    (0.3, 440, 165, 0.8557),   # a digest of a third of the original: most of it is shared
    (0.3, 440, 440, 0.4615),   # two texts of one length: (2J / (1 + J))
    (1.0, 300, 300, 1.0),
    (0.0, 300, 100, 0.0),
    (0.9, 2000, 100, 1.0),     # never above 1
    (0.25, None, 100, 0.25),   # a length unknown: the Jaccard estimate
    (0.25, 100, 0, 0.25),
])
def test_containment_from_a_jaccard_estimate_and_lengths(jaccard, a, b, expected):
    assert _containment(jaccard, a, b) == pytest.approx(expected, abs=1e-3)


def test_key_filter_holds_every_key_added_and_few_others():
    """KeyFilter: a key added (as numpy adds it) is possible (as Python checks it), negative
    and 32-bit keys alike; a key never added is mostly not."""
    import numpy as np
    from aggregator.syndication_bands import KeyFilter

    rng = np.random.default_rng(7)
    added = rng.integers(0, 2**32, size=20_000, dtype=np.int64).tolist() + [0, -5, 2**32 - 1]
    known = KeyFilter()
    known.add(added[:10_000])
    known.add(np.array(added[10_000:], dtype=np.int64))
    assert known.possible(added) == added
    others = rng.integers(0, 2**32, size=20_000, dtype=np.int64).tolist()
    assert len(known.possible(others)) < 200
    assert KeyFilter().possible(added) == []


def test_known_absent_filters_find_what_sqlite_finds(tmp_path, monkeypatch):
    """With the known-absent filters (a new index builds them at once, extended at each filing, and by an
    older article filed straight into the tables) the index finds and stores the same as with
    no filter, asking SQLite for every key."""
    from aggregator import syndication_bands

    texts = [b["body"] for b in BODIES if len(b["body"]) > 300][:6]

    def run(filtered):
        if not filtered:
            monkeypatch.setattr(syndication_bands.BandStore, "filters", lambda self: (None, None))
        store = Store(tmp_path / f"{filtered}.db")
        db = store.db
        index = StoryIndex(db, merge_docs=2)
        ids = [add(db, site=f"s{n}", title=str(n), body=t, source=None, published_at=None)
               for n, t in enumerate(texts[:4])]
        index.assign_many(ids)
        with index.batch():  # an older article, filed straight into syn_bands and syn_keys
            db.execute("update articles set body = ? where id = ?", [texts[4], ids[0]])
            index.assign(ids[0])
        copies = [add(db, site=f"c{n}", title=str(n), body=truncate(t), source=None,
                      published_at=None) for n, t in enumerate(texts[1:5])]
        index.assign_many(copies)
        found = [index.find(tail(t)) for t in texts]
        built = index._bands._band_filter is not None
        rows = [list(db.query(f"select * from {t} order by 1, 2"))
                for t in ("syn_docs", "syn_bands", "syn_keys", "stories")]
        store.close()
        return built, found, rows

    built, found, rows = run(True)
    never, found_without, rows_without = run(False)
    assert built and not never
    assert found == found_without and rows == rows_without
    assert all(f is not None for f in found[1:5])
