"""aggregator.dates: date strings as Chinese pages print them -> ISO 8601 + precision."""
from datetime import datetime, timedelta, timezone

import pytest

from aggregator.dates import date_from_url, day_order_ambiguous, is_clock_text, normalize_date_text, parse_date

CN = timezone(timedelta(hours=8))
NOW = datetime(2021, 7, 1, 12, 0, tzinfo=CN)

# (printed text, expected iso, expected precision) -- strings as real pages print them
DATES = [
    ("发布时间:2021-06-30 13:06:00", "2021-06-30T13:06:00+08:00", "second"),
    ("编辑:杨阳 来源:投稿 发布时间:2021-06-30 13:06:00", "2021-06-30T13:06:00+08:00", "second"),
    ("发布时间：2022-02-14 05:22:18 来源：", "2022-02-14T05:22:18+08:00", "second"),
    ("发布日期：2022-03-11 09:52", "2022-03-11T09:52:00+08:00", "minute"),
    ("2022-03-12 10:52", "2022-03-12T10:52:00+08:00", "minute"),
    ("2022.01.20 16:31", "2022-01-20T16:31:00+08:00", "minute"),
    ("2022年02月14日08:48 | 来源：", "2022-02-14T08:48:00+08:00", "minute"),
    ("2022年02月13日", "2022-02-13T00:00:00+08:00", "day"),
    ("发布日期： 2022年01月28日", "2022-01-28T00:00:00+08:00", "day"),
    ("2021年6月30日", "2021-06-30T00:00:00+08:00", "day"),
    ("2021/6/30", "2021-06-30T00:00:00+08:00", "day"),
    ("2021.06.30", "2021-06-30T00:00:00+08:00", "day"),
    ("2021-6-30", "2021-06-30T00:00:00+08:00", "day"),
    ("二〇二一年六月三十日", "2021-06-30T00:00:00+08:00", "day"),
    ("二○二一年十二月一日", "2021-12-01T00:00:00+08:00", "day"),
    ("二〇二〇年十月二十五日", "2020-10-25T00:00:00+08:00", "day"),
    ("２０２１年６月３０日　１３：０６", "2021-06-30T13:06:00+08:00", "minute"),
    ("2021年6月30日 13时06分", "2021-06-30T13:06:00+08:00", "minute"),
    ("2021年6月30日 下午3:20", "2021-06-30T15:20:00+08:00", "minute"),
    ("2004年8月16日09:19 [ 丁越 ] 来源：[ 某某金融报 ]", "2004-08-16T09:19:00+08:00", "minute"),
    ("AUTO.EXAMPLE.COM 2005年06月13日15:15", "2005-06-13T15:15:00+08:00", "minute"),
    ("AUTO.EXAMPLE.COM 2003年10月12日17:36 某某网—某某快报", "2003-10-12T17:36:00+08:00", "minute"),
    ("http://house.example.com.cn 2005年04月30日04:18", "2005-04-30T04:18:00+08:00", "minute"),
    ("http://biz.example.com 2005-05-25 09:24:06 来源: 某某教育日报", "2005-05-25T09:24:06+08:00", "second"),
    ("2004-11-10 10:55:08 来源:", "2004-11-10T10:55:08+08:00", "second"),
    ("2005-08-18 14:03:17", "2005-08-18T14:03:17+08:00", "second"),
    ("2005-02-06 09:13更新 来源：转载文章", "2005-02-06T09:13:00+08:00", "minute"),
    ("2005-05-28 10:13更新 来源：", "2005-05-28T10:13:00+08:00", "minute"),
    ("楼层： 第 1 楼 时间：2005-09-28 21:56:20", "2005-09-28T21:56:20+08:00", "second"),
    ("时间：2004年11月21日15:18 作者：郭振远", "2004-11-21T15:18:00+08:00", "minute"),
    ("发表于 2004年11月27日 13:40 - (阅读:1234;评论:56)", "2004-11-27T13:40:00+08:00", "minute"),
    ("发表于 2005-10-15 10:46:00", "2005-10-15T10:46:00+08:00", "second"),
    ("] 发表于2005年10月07日 10:57 AM", "2005-10-07T10:57:00+08:00", "minute"),
    ("〓 某某娱乐 某某留言板 发布时间 2005/06/17 21:11:42 by", "2005-06-17T21:11:42+08:00", "second"),
    ("由云姑娘张贴 @ 2005-07-14 04:25:55", "2005-07-14T04:25:55+08:00", "second"),
    ("小雨 于2005年9月12日15:12:21在〖", "2005-09-12T15:12:21+08:00", "second"),
    ("作者： size=\"20\" 来源： size=\"20\" 发布日期： 9/17/2004 5:54:13 AM", "2004-09-17T05:54:13+08:00", "second"),
    ("9/17/2004 5:54:13 PM", "2004-09-17T17:54:13+08:00", "second"),
    ("(2005-05-27 19:03PM)", "2005-05-27T19:03:00+08:00", "minute"),
    ("2003-6-29 10:07", "2003-06-29T10:07:00+08:00", "minute"),
    ("2004-11-28 0:25", "2004-11-28T00:25:00+08:00", "minute"),
    ("2005年08月16日 来源：新华网", "2005-08-16T00:00:00+08:00", "day"),
    ("2003-7-24 钱江晚报", "2003-07-24T00:00:00+08:00", "day"),
    ("2015-11-05", "2015-11-05T00:00:00+08:00", "day"),
    ("发布于：2015-10-05 10:34", "2015-10-05T10:34:00+08:00", "minute"),
    ("2005年1月2日", "2005-01-02T00:00:00+08:00", "day"),
    ("更新时间：2021-06-30 13:06", "2021-06-30T13:06:00+08:00", "minute"),
    ("日期：2021-06-30", "2021-06-30T00:00:00+08:00", "day"),
    ("时间：2021年06月30日 13:06", "2021-06-30T13:06:00+08:00", "minute"),
    ("[2021-06-30]", "2021-06-30T00:00:00+08:00", "day"),
    ("（2021-06-30）", "2021-06-30T00:00:00+08:00", "day"),
    ("2021-06-30T13:06:00+08:00", "2021-06-30T13:06:00+08:00", "second"),
    ("2021-06-30T05:06:00Z", "2021-06-30T05:06:00+00:00", "second"),
    ("2021-06-30 13:06 GMT+9", "2021-06-30T13:06:00+09:00", "minute"),
    ("2021-06-30 13:06:00 +0000", "2021-06-30T13:06:00+00:00", "second"),
    ("June 14, 2005 3:25 PM", "2005-06-14T15:25:00+08:00", "minute"),
    # an RFC 2822 stamp (RSS pubDate, a feed-fed page) and an English zone name keep their offset
    ("Mon, 04 Mar 2024 02:20:00 +0000", "2024-03-04T02:20:00+00:00", "minute"),
    ("March 4, 2024 03:20 GMT+1", "2024-03-04T03:20:00+01:00", "minute"),
    ("Monday, March 4th, 2024 9:30 am", "2024-03-04T09:30:00+08:00", "minute"),
    ("Published: Jan 2, 2005", "2005-01-02T00:00:00+08:00", "day"),
    ("——《北京之春》1998年3月号", "1998-03-01T00:00:00+08:00", "month"),
    ("2003年5月", "2003-05-01T00:00:00+08:00", "month"),
    ("1998-3", "1998-03-01T00:00:00+08:00", "month"),
    ("2018", "2018-01-01T00:00:00+08:00", "year"),
    ("2018年", "2018-01-01T00:00:00+08:00", "year"),
    ("2022年2月13日 星期日", "2022-02-13T00:00:00+08:00", "day"),
    ("发布时间：18-03-08 23:16", "2018-03-08T23:16:00+08:00", "minute"),
    ("19-09-23", "2019-09-23T00:00:00+08:00", "day"),
    # a dash between the day and the time (European-language templates: "07/03/2022 - 14:25")
    ("发表时间： 07/03/2022 - 14:25", "2022-07-03T14:25:00+08:00", "minute"),
    ("2021-06-30 - 13:06", "2021-06-30T13:06:00+08:00", "minute"),
]


@pytest.mark.parametrize("text,ambiguous,day_first_iso", [
    ("07/03/2022 - 14:25", True, "2022-03-07T14:25:00+08:00"),
    ("30/6/2021", False, "2021-06-30T00:00:00+08:00"),   # 30 is no month: day first anyway
    ("6/6/2021", False, "2021-06-06T00:00:00+08:00"),    # both readings are one day
    ("2021-06-30", False, "2021-06-30T00:00:00+08:00"),
    (None, False, None),
])
def test_day_order(text, ambiguous, day_first_iso):
    assert day_order_ambiguous(text) is ambiguous
    parsed = parse_date(text, day_first=True)
    assert (parsed.iso if parsed else None) == day_first_iso


@pytest.mark.parametrize("text,iso,precision", DATES)
def test_parse_date(text, iso, precision):
    parsed = parse_date(text, now=NOW)
    assert parsed is not None, text
    assert (parsed.iso, parsed.precision) == (iso, precision)


@pytest.mark.parametrize("text,iso,precision", [
    ("刚刚", "2021-07-01T12:00:00+08:00", "minute"),
    ("5分钟前", "2021-07-01T11:55:00+08:00", "minute"),
    ("3小时前", "2021-07-01T09:00:00+08:00", "minute"),
    ("2天前", "2021-06-29T00:00:00+08:00", "day"),
    ("昨天 10:30", "2021-06-30T10:30:00+08:00", "minute"),
    ("前天 08:05", "2021-06-29T08:05:00+08:00", "minute"),
    ("今天 09:00", "2021-07-01T09:00:00+08:00", "minute"),
    ("发布时间：昨天 10:30", "2021-06-30T10:30:00+08:00", "minute"),
])
def test_relative_dates_count_from_the_fetch_time(text, iso, precision):
    parsed = parse_date(text, now=NOW)
    assert (parsed.iso, parsed.precision) == (iso, precision)


@pytest.mark.parametrize("text,year,iso", [
    ("6月23日下午", 2021, "2021-06-23T00:00:00+08:00"),
    ("6月23日", 2019, "2019-06-23T00:00:00+08:00"),
    ("2月11日晚", 2022, "2022-02-11T00:00:00+08:00"),
    ("06-30 13:06", 2021, "2021-06-30T13:06:00+08:00"),
    ("6月30日 13:06", 2021, "2021-06-30T13:06:00+08:00"),
])
def test_yearless_date_takes_the_page_year(text, year, iso):
    assert parse_date(text, now=NOW, page_year=year).iso == iso


def test_yearless_date_without_page_year_is_not_in_the_future():
    assert parse_date("12月25日", now=NOW).iso == "2020-12-25T00:00:00+08:00"


@pytest.mark.parametrize("text", [
    None, "", "   ", 12345, b"2021-06-30", "\x00\xff\xfe garbage \x89PNG", "没有日期的一句话",
    "1989-06-30", "1850年1月1日", "2999-01-01", "2021-13-45", "2021-02-30", "版本 1.38.0",
    "今天的作业写完了？",
    "报料：4009-20-4009", "12:18-03-08", "18-13-08",
])
def test_bad_input_gives_none(text):
    assert parse_date(text, now=NOW) is None


def test_year_after_next_year_is_none():
    next_next = datetime.now(CN).year + 2
    assert parse_date(f"{next_next}-01-01") is None


def test_ten_megabytes_is_fast_and_safe():
    import time
    start = time.perf_counter()
    assert parse_date("1" * 10_000_000) is None
    assert parse_date("年" * 10_000_000) is None
    assert parse_date("2021-06-30 " + "x" * 10_000_000).iso == "2021-06-30T00:00:00+08:00"
    assert time.perf_counter() - start < 1


def test_value_is_aware():
    assert parse_date("2021-06-30 13:06").value.utcoffset() == timedelta(hours=8)


@pytest.mark.parametrize("url,iso", [
    ("https://www.nmg.gov.cn/zwyw/jrgz/202202/t20220211_2004628.html", "2022-02-11T00:00:00+08:00"),
    ("http://jyj.beilun.gov.cn/art/2021/6/30/art_1229_3742.html", "2021-06-30T00:00:00+08:00"),
    ("http://www.xinhuanet.com/local/2020-02/19/c_1125597921.htm", "2020-02-19T00:00:00+08:00"),
    ("http://business.sohu.com/20040716/n221031086.shtml", "2004-07-16T00:00:00+08:00"),
    ("http://auto.qianlong.com/36/2005/07/18/1680@2723871.htm", "2005-07-18T00:00:00+08:00"),
    ("http://bj.house.sina.com.cn/p/2005-03-31/031868306.html", "2005-03-31T00:00:00+08:00"),
    ("http://www.banyuetan.org/jmcs/detail/20200102/1000200033136171577956287380194268_1.html",
     "2020-01-02T00:00:00+08:00"),
    ("https://web.archive.org/web/20120611024252/http://www.he.xinhuanet.com/news/2012-06/04/content_25340717.htm",
     "2012-06-04T00:00:00+08:00"),
])
def test_date_from_url(url, iso):
    parsed = date_from_url(url)
    assert (parsed.iso, parsed.precision) == (iso, "day")


@pytest.mark.parametrize("url", [
    None, "", "http://www.bilibili.com/read/cv15249614", "http://biz.163.com/41210/1/17867KR700020QBK.html",
    "http://example.com/t19800101_1.html", "http://x.cn/2021/13/45/a.html",
])
def test_date_from_url_none(url):
    assert date_from_url(url) is None


@pytest.mark.parametrize("text,clock", [
    ("2022年2月13日 星期日", True),
    ("今天是2024年3月5日", True),
    ("今天是：2024年3月5日 星期二 10:21", True),
    ("发布时间：2022-02-13 07:48", False),
    ("2022年2月13日 09:57 星期日", False),   # a portal's publication stamp with the weekday
])
def test_clock_widget_is_recognised(text, clock):
    assert is_clock_text(text) is clock


def test_normalize_date_text():
    assert normalize_date_text("二〇二一年六月三十日　１３：０６") == "2021年6月30日 13:06"
    assert normalize_date_text(None) == ""
