"""aggregator.normalize: the normalization policy as tables (fields in -> the fields that
change), and the pipeline as its thin adapter."""
from __future__ import annotations

import pytest

from datetime import datetime

from aggregator.dates import CHINA_TZ
from aggregator.normalize import (fold, normalize_item, normalize_people, normalize_published, normalize_source, parse_iso,
                                  read_date)

URL = "http://jyj.example.gov.cn/a.html"
FETCHED = "2021-07-01T10:00:00+08:00"
DAY = "2021-06-30T00:00:00+08:00"


@pytest.mark.parametrize("text, folded", [
    (" 宁波 \n 教育\t新闻 ", "宁波 教育 新闻"),
    ("", ""),
    (None, None),
    (3, 3),
])
def test_fold(text, folded):
    assert fold(text) == folded


@pytest.mark.parametrize("people, expected", [
    (["记者 张三"], [{"name": "张三", "role": "reporter", "label": "记者"}]),
    (["李四"], [{"name": "李四", "role": "author", "label": None}]),
    ([{"name": " 王五 ", "role": None}], [{"name": "王五", "role": "author", "label": None}]),
    ([{"name": "张三", "role": "editor", "label": "编辑"}], [{"name": "张三", "role": "editor", "label": "编辑"}]),
    # empty entries dropped; one person per (name, role), the last one kept
    (["  ", {"name": ""}, {"role": "author"}, 7], []),
    ([{"name": "张三", "role": "author"}, {"name": "张三", "role": "author", "label": "作者"}],
     [{"name": "张三", "role": "author", "label": "作者"}]),
    (None, []),
])
def test_people(people, expected):
    assert normalize_people({"url": URL, "people": people}) == {"people": expected}


@pytest.mark.parametrize("fields, changes", [
    # the raw byline fills people, and source and date text when they are missing
    ({"byline_raw": "来源：宁波日报 作者：张三 发布时间：2021-06-30"},
     {"people": [{"name": "张三", "role": "author", "label": "作者"}], "people_signal": "byline",
      "source": "宁波日报", "source_signal": "byline", "published_raw": "2021-06-30", "published_signal": "byline"}),
    # ... but does not overwrite them
    ({"byline_raw": "来源：宁波日报 作者：张三", "source": "中国教育报", "published_at": DAY, "people_signal": "meta"},
     {"people": [{"name": "张三", "role": "author", "label": "作者"}], "people_signal": "meta"}),
    # given people win over the byline
    ({"byline_raw": "作者：张三", "people": ["李四"]}, {"people": [{"name": "李四", "role": "author", "label": None}]}),
])
def test_people_from_the_byline(fields, changes):
    assert normalize_people({"url": URL, **fields}) == changes


@pytest.mark.parametrize("fields, changes", [
    ({"published_at": "2021-06-30T10:20:00"},
     {"published_at": "2021-06-30T10:20:00+08:00", "published_precision": "minute",
      "published_raw": "2021-06-30T10:20:00", "published_signal": "given"}),
    ({"published_at": "2021-06-30 10:20:05+08:00", "published_signal": "meta"},
     {"published_at": "2021-06-30T10:20:05+08:00", "published_precision": "second",
      "published_raw": "2021-06-30 10:20:05+08:00", "published_signal": "meta"}),
    ({"published_raw": "发布时间：2021年6月30日"},
     {"published_at": DAY, "published_precision": "day", "published_raw": "发布时间：2021年6月30日", "published_signal": "raw"}),
    # relative dates are read against the fetch time
    ({"published_raw": "昨天", "fetched_at": FETCHED},
     {"published_at": DAY, "published_precision": "day", "published_raw": "昨天", "published_signal": "raw"}),
    ({"listing_date": "2021-06-30", "fetched_at": FETCHED},
     {"published_at": DAY, "published_precision": "day", "published_raw": "2021-06-30", "published_signal": "listing"}),
    # a precision already known is kept
    ({"published_at": "2021-06-30", "published_precision": "month"},
     {"published_at": DAY, "published_precision": "month", "published_raw": "2021-06-30", "published_signal": "given"}),
    # nothing that parses: the URL's date, else none
    ({"url": "http://www.bl.gov.cn/art/2021/6/30/art_1229_1.html", "published_raw": "不是日期"},
     {"published_at": DAY, "published_precision": "day",
      "published_raw": "http://www.bl.gov.cn/art/2021/6/30/art_1229_1.html", "published_signal": "url"}),
    ({}, {"published_at": None}),
])
def test_published(fields, changes):
    assert normalize_published({"url": URL, **fields}) == changes


@pytest.mark.parametrize("fields, changes", [
    ({"source": "来源：中国教育报"}, {"source": "中国教育报", "source_raw": "来源：中国教育报"}),
    ({"source": "宁波日报"}, {"source": "宁波日报", "source_raw": "宁波日报"}),
    ({"source": "中国教育报", "source_raw": "orig"}, {"source": "中国教育报"}),  # the raw text is not replaced
    ({"source": ""}, {}),
    ({}, {}),
])
def test_source(fields, changes):
    assert normalize_source({"url": URL, **fields}) == changes


@pytest.mark.parametrize("text, iso, precision", [
    ("2021-06-30", DAY, "day"),
    ("2021-06-30T10:20", "2021-06-30T10:20:00+08:00", "minute"),
    ("2021-06-30 10:20:05", "2021-06-30T10:20:05+08:00", "second"),
    ("2021-06-30T10:20:00+00:00", "2021-06-30T10:20:00+00:00", "minute"),  # an explicit zone kept
])
def test_parse_iso(text, iso, precision):
    parsed = parse_iso(text)
    assert (parsed.iso, parsed.precision) == (iso, precision)


@pytest.mark.parametrize("text", ["2021年6月30日", "yesterday", "", None])
def test_parse_iso_refuses_what_is_not_iso(text):
    assert parse_iso(text) is None


@pytest.mark.parametrize("text, now, iso", [
    ("2021-06-30 10:20", None, "2021-06-30T10:20:00+08:00"),                 # ISO 8601, kept
    ("发布时间：2021年6月30日 10:20", None, "2021-06-30T10:20:00+08:00"),      # found by parse_date
    ("3小时前", datetime(2021, 7, 1, 10, 0, tzinfo=CHINA_TZ), "2021-07-01T07:00:00+08:00"),
    ("2小时前", datetime(2021, 7, 1, 10, 0, tzinfo=CHINA_TZ), "2021-07-01T08:00:00+08:00"),
    ("2小时前", datetime(2021, 7, 2, 10, 0, tzinfo=CHINA_TZ), "2021-07-02T08:00:00+08:00"),  # another `now`
    ("no date here", None, None),
    ("", None, None),
    (None, None, None),
])
def test_read_date(text, now, iso):
    """The same reading as parse_iso or parse_date, and the same again when asked twice (the
    import's check, then the normalize stage)."""
    for _ in range(2):
        parsed = read_date(text, now)
        assert (parsed.iso if parsed else None) == iso


def test_normalize_item_combines_and_does_not_mutate():
    fields = {"url": URL, "title": " 标题\n 二 ", "byline_raw": "来源：宁波日报 作者：张三 发布时间：2021-06-30"}
    before = dict(fields)
    out = normalize_item(fields)
    assert fields == before
    assert out["title"] == "标题 二"
    assert out["source"] == "宁波日报" and out["source_raw"] == "宁波日报" and out["source_signal"] == "byline"
    assert out["published_at"] == DAY and out["published_signal"] == "byline"
    assert out["people"] == [{"name": "张三", "role": "author", "label": "作者"}]


def test_an_empty_title_becomes_none():
    assert normalize_item({"url": URL, "title": " \n "})["title"] is None


def test_the_pipeline_is_the_policy():
    from aggregator.items import ArticleItem
    from pipelines.normalize import NormalizePipeline

    fields = {"url": URL, "site": "bl", "title": " 标题 ", "people": ["记者 张三"], "source": "来源：中国教育报",
              "listing_date": "2021-06-30", "fetched_at": FETCHED}
    item = NormalizePipeline().process_item(ArticleItem(fields))
    assert dict(item) == normalize_item(fields)
