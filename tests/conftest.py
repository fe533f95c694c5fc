import pytest

from aggregator.store import Store


@pytest.fixture
def db_path(tmp_path):
    return tmp_path / "news.db"


@pytest.fixture
def store(db_path):
    store = Store(db_path)
    store.sync_sites([{"name": "bl", "display_name": "北仑区教育局", "region": "北仑区", "cms": "hanweb"},
                      {"name": "nb", "display_name": "宁波市教育局", "region": "宁波市", "cms": "hanweb"}])
    yield store
    store.close()


BODY = ("6月23日下午，区委组织部主办的“书记加油——百强支部PK赛”事业（教育、卫健）专场活动在新碶中学举行。"
        "来自教育系统的15家党支部和来自卫健系统的10家党支部同台比拼，互学互比，展示活动亮点与成绩。\n"
        "比赛现场，教育系统的15家党支部以演出的形式，将开展党史学习教育以来为群众办实事的工作过程与成果展现在评委与观众眼前。")


@pytest.fixture
def article():
    return {"url": "http://www.bl.gov.cn/art/2021/6/30/art_1229_3456.html", "site": "bl",
            "title": "表演我们自己的故事", "body": BODY, "source": "投稿",
            "published_at": "2021-06-30T13:06:00+08:00", "published_precision": "second",
            "people": [{"name": "杨阳", "role": "author", "label": "作者"},
                       {"name": "杨阳", "role": "editor", "label": "编辑"}]}


def platform_spider(cls, max_pages=50, **kwargs):
    """A site spider on a test crawler (no database), as a crawl would make it: the pages it
    rejects are collected in spider.rejected."""
    from scrapy.utils.test import get_crawler

    from aggregator import signals

    crawler = get_crawler(cls, {"AGGREGATOR_SKIP_KNOWN": False, "AGGREGATOR_MAX_LISTING_PAGES": max_pages})
    spider = cls.from_crawler(crawler, **{k: v for k, v in kwargs.items() if v is not None})
    spider.rejected = []
    crawler.signals.connect(lambda **kw: spider.rejected.append(kw), signal=signals.page_rejected, weak=False)
    return spider


def listing_response(url, body, status=200, meta=None):
    """An HTML answer to a listing request (meta listing=True unless given), as a spider sees it."""
    from scrapy.http import HtmlResponse, Request

    request = Request(url, meta=meta or {"listing": True})
    return HtmlResponse(url, body=body.encode("utf-8"), encoding="utf-8", status=status, request=request)
