from spiders.hanweb import HanwebSpider


class NingboJyjSpider(HanwebSpider):
    """宁波市教育局 (Hanweb JCMS, Zhejiang government cluster).

    Not verified live from here: the column id of 教育动态 is taken from the site's
    published structure and may have moved; the spider reads webid/unitid from the page.
    """
    name = "nb_jyj"
    display_name = "宁波市教育局"
    region = "宁波市"
    allowed_domains = ["jyj.ningbo.gov.cn"]
    start_urls = ["http://jyj.ningbo.gov.cn/col/col1229055447/index.html"]
