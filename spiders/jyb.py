from spiders.trs import TrsSpider


class JybSpider(TrsSpider):
    """中国教育新闻网 要闻 (TRS WCM, 中国教育报).

    Not verified live from here: the column path is from the site's published structure.
    """
    name = "jyb"
    display_name = "中国教育新闻网"
    region = "全国"
    allowed_domains = ["www.jyb.cn", "jyb.cn"]
    start_urls = ["http://www.jyb.cn/rmtzcg/xwy/wzxw/index.html"]
