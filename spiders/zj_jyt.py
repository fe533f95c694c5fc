from spiders.hanweb import HanwebSpider


class ZhejiangJytSpider(HanwebSpider):
    """浙江省教育厅 教育动态 (Hanweb JCMS, Zhejiang cluster).

    Checked against public sources: Zhejiang cluster sites (wsjkw.zj.gov.cn, mpa.zj.gov.cn and
    city sites) page their columns through POST /module/jpage/dataproxy.jsp with the column's
    ids from the page, and the spider reads the proxy path and ids from the page itself.
    Not verified live from here (no internet): column 1543974 and unitid 4729348 are as public
    crawlers of the site cite them; the page chrome and the datastore's size are guessed.
    """
    name = "zj_jyt"
    display_name = "浙江省教育厅"
    region = "浙江省"
    allowed_domains = ["jyt.zj.gov.cn"]
    start_urls = ["https://jyt.zj.gov.cn/col/col1543974/index.html"]
