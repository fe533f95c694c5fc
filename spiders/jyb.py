from spiders.trs import TrsSpider


class JybSpider(TrsSpider):
    """中国教育新闻网 要闻 (TRS WCM, 中国教育报).

    Checked against public sources only for the platform's shape (t-dated ./YYYYMM/t… links,
    div.TRS_Editor, the createPageHTML pager). Not verified live from here: the column path is
    from the site's published structure; the list block div.yxj_list and the pager's arguments
    are guessed.
    """
    name = "jyb"
    display_name = "中国教育新闻网"
    region = "全国"
    allowed_domains = ["www.jyb.cn", "jyb.cn"]
    start_urls = ["http://www.jyb.cn/rmtzcg/xwy/wzxw/index.html"]
    listing_blocks = ("//div[@class='yxj_list']",)
