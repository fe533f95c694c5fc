from spiders.jpaas import JpaasSpider


class HangzhouJyjSpider(JpaasSpider):
    """杭州市教育局 (jpaas, the Zhejiang government cluster's newer platform).

    Verified against public sources only: edu.hangzhou.gov.cn serves jpaas article URLs
    (/col/col1228921906/art/2026/art_<32 hex>.html, cited in a public recruitment ledger) and
    jpaas-web-server downloads, so column 1228921906 is a jpaas column; the spider reads the
    unit's webId/pageId/tagId/tplSetId from the column page. Not verified: which column that is
    (the cited article is a 招聘公告, so it may be 通知公告 rather than news), and the article page
    chrome (meta tags, #zoom body).
    """
    name = "hz_jyj"
    display_name = "杭州市教育局"
    region = "杭州市"
    allowed_domains = ["edu.hangzhou.gov.cn"]
    start_urls = ["https://edu.hangzhou.gov.cn/col/col1228921906/index.html"]
