from spiders.gkmlpt import GkmlptSpider


class ShenzhenJyjSpider(GkmlptSpider):
    """深圳市教育局 (gkmlpt, Guangdong's disclosure catalogue platform).

    Verified against public sources only: szeb.sz.gov.cn is one of the Shenzhen gkmlpt sites a
    public policy crawler lists and crawled (crawlers/gkmlpt.py SITES "szeb", served over HTTP);
    the spider reads the SID from the page's window._CONFIG. Not verified: the category that
    holds the bureau's news (the start URL names none, so the whole catalogue, category 0, is
    listed, newest first), and the content page chrome.
    """
    name = "sz_jyj"
    display_name = "深圳市教育局"
    region = "深圳市"
    allowed_domains = ["szeb.sz.gov.cn"]
    start_urls = ["http://szeb.sz.gov.cn/gkmlpt/index"]
