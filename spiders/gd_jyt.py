from spiders.gkmlpt import GkmlptSpider


class GuangdongJytSpider(GkmlptSpider):
    """广东省教育厅 (gkmlpt, Guangdong's disclosure catalogue platform).

    Verified against public sources only: edu.gd.gov.cn is listed as a verified gkmlpt site
    (SID auto-discovered) by a public policy crawler's provincial batch probe (crawlers/gkmlpt.py
    SITES "gdedu"); the spider reads the SID from window._CONFIG. Not verified: the category of
    the department's news (the whole catalogue, category 0, is listed), and the content page chrome.
    """
    name = "gd_jyt"
    display_name = "广东省教育厅"
    region = "广东省"
    allowed_domains = ["edu.gd.gov.cn"]
    start_urls = ["https://edu.gd.gov.cn/gkmlpt/index"]
