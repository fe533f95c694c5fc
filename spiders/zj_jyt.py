from spiders.hanweb import HanwebSpider


class ZhejiangJytSpider(HanwebSpider):
    """浙江省教育厅 教育动态 (Hanweb JCMS).

    Column 1543974 and its unitid 4729348 are as public crawlers of the site use them;
    not verified live from here (no internet): the spider reads webid/unitid from the page.
    """
    name = "zj_jyt"
    display_name = "浙江省教育厅"
    region = "浙江省"
    allowed_domains = ["jyt.zj.gov.cn"]
    start_urls = ["https://jyt.zj.gov.cn/col/col1543974/index.html"]
