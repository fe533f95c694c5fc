from spiders.hanweb import HanwebSpider


class BeilunSpider(HanwebSpider):
    """北仑区人民政府 教育 news (Hanweb JCMS) — the district the project's seed article is from.

    Checked against public sources: Zhejiang cluster district sites page columns as
    /col/colNNN/index.html?uid=UNITID&pageNum=N (public crawlers of sxyc.gov.cn, mpa.zj.gov.cn),
    which the spider follows when a column has no datastore. Not verified live from here: the
    column id is from the site's published structure; the list block and the pager markup are
    guessed (the spider also reads a datastore and its dataproxy if the column has one).
    """
    name = "bl_jyj"
    display_name = "北仑区教育局"
    region = "北仑区"
    allowed_domains = ["www.bl.gov.cn", "bl.gov.cn"]
    start_urls = ["http://www.bl.gov.cn/col/col1229046766/index.html"]
    listing_xpath = "//div[@class='lmlist']//a[@href]"
