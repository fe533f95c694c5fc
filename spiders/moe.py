from spiders.trs import TrsSpider


class MoeSpider(TrsSpider):
    """教育部 工作动态 (TRS WCM): index.html, index_1.html ... announced by createPageHTML;
    articles at ./moe_1485/YYYYMM/tYYYYMMDD_ID.html and ./s5987/… with the body in div.TRS_Editor.

    Checked against public sources: crawlers of moe.gov.cn read the list in div#wcmpagehtml
    (ul#list li, <a title>, <span> date), and article URLs under gzdt_gzdt/moe_1485/ and
    gzdt_gzdt/s5987/ are cited in public code. Not verified live from here (no internet):
    the pager script's exact arguments and the article page chrome.
    """
    name = "moe"
    display_name = "教育部"
    region = "全国"
    allowed_domains = ["www.moe.gov.cn"]
    start_urls = ["http://www.moe.gov.cn/jyb_xwfb/gzdt_gzdt/index.html"]
