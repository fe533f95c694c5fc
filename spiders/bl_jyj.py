from spiders.hanweb import HanwebSpider


class BeilunSpider(HanwebSpider):
    """北仑区人民政府 教育 news (Hanweb JCMS) — the district the project's seed article is from.

    Not verified live from here: the column id is from the site's published structure.
    """
    name = "bl_jyj"
    display_name = "北仑区教育局"
    region = "北仑区"
    allowed_domains = ["www.bl.gov.cn", "bl.gov.cn"]
    start_urls = ["http://www.bl.gov.cn/col/col1229046766/index.html"]
