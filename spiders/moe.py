from spiders.trs import TrsSpider


class MoeSpider(TrsSpider):
    """教育部 工作动态 (TRS WCM): index.html, index_1.html ... announced by createPageHTML;
    articles at ./moe_1485/YYYYMM/tYYYYMMDD_ID.html with the body in div.TRS_Editor.

    Not verified live from here (no internet); the layout is the one public crawlers of the site read.
    """
    name = "moe"
    display_name = "教育部"
    region = "全国"
    allowed_domains = ["www.moe.gov.cn"]
    start_urls = ["http://www.moe.gov.cn/jyb_xwfb/gzdt_gzdt/index.html"]
