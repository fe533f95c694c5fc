import pytest

from aggregator.urls import canonical_url


@pytest.mark.parametrize("a,b", [
    # http and https
    ("http://jyj.example.gov.cn/art/2021/6/30/art_1_2.html",
     "https://jyj.example.gov.cn/art/2021/6/30/art_1_2.html"),
    # index.html and trailing slash
    ("https://example.gov.cn/col/col123/index.html", "https://example.gov.cn/col/col123/"),
    ("https://example.gov.cn/news/index.shtml", "https://example.gov.cn/news"),
    ("https://example.gov.cn/news/default.aspx", "https://example.gov.cn/news/"),
    # tracking parameters
    ("https://example.com/a.html?utm_source=wechat&utm_medium=share", "https://example.com/a.html"),
    ("https://example.com/a.html?id=5&spm=a2c4g.1&from=timeline&isappinstalled=0",
     "https://example.com/a.html?id=5"),
    # mobile hosts and www
    ("https://m.example.com/a.html", "https://www.example.com/a.html"),
    ("https://wap.example.com/a.html", "https://example.com/a.html"),
    # host case, default port, fragment, parameter order, session id
    ("https://EXAMPLE.com:443/a.html#comments", "https://example.com/a.html"),
    ("https://example.com/list?b=2&a=1", "https://example.com/list?a=1&b=2"),
    ("https://example.com/a.jsp;jsessionid=0A1B2C?id=7", "https://example.com/a.jsp?id=7"),
    # percent-encoding
    ("https://example.com/新闻/1.html", "https://example.com/%E6%96%B0%E9%97%BB/1.html"),
])
def test_same_article_same_canonical_url(a, b):
    assert canonical_url(a) == canonical_url(b) is not None


@pytest.mark.parametrize("a,b", [
    ("https://example.com/a.html?id=1", "https://example.com/a.html?id=2"),
    ("https://example.com/a.html", "https://example.com/A.html"),  # paths are case-sensitive
    ("https://example.com/a", "https://example.org/a"),
    ("https://news.example.com/a", "https://example.com/a"),  # a section host is another site
    ("https://example.com:8080/a", "https://example.com/a"),
])
def test_different_pages_stay_different(a, b):
    assert canonical_url(a) != canonical_url(b)


def test_canonical_form():
    assert canonical_url("http://m.Example.com:80/news/index.html?utm_source=x&b=2&a=1#top") \
        == "https://example.com/news?a=1&b=2"


def test_canonical_url_is_idempotent():
    once = canonical_url("http://www.example.com/a/b/index.html?z=1&y=2")
    assert canonical_url(once) == once


def test_two_label_host_keeps_its_name():
    assert canonical_url("https://m.cn/a") == "https://m.cn/a"


@pytest.mark.parametrize("bad", [
    None, "", "   ", 42, b"http://example.com", "ftp://example.com/a", "javascript:void(0)",
    "mailto:a@example.com", "http://", "example.com/a.html", "http://exa mple.com/",
    "http://example.com:99999/", "http://\x00.com/", "http://" + "a" * 5000 + ".com/",
])
def test_garbage_gives_none(bad):
    assert canonical_url(bad) is None


def test_protocol_relative_url():
    assert canonical_url("//example.com/a.html") == "https://example.com/a.html"


def test_internationalized_host():
    assert canonical_url("http://例子.中国/a") == "https://xn--fsqu00a.xn--fiqs8s/a"
