from spiders.jpaas import JpaasSpider


class NingboJyjSpider(JpaasSpider):
    """宁波市教育局 (jpaas, the Zhejiang government cluster's newer platform).

    Verified against public sources only: the site serves jpaas article URLs
    (/col/col1229166692/art/2026/art_<32 hex>.html and /api-gateway/jpaas-web-server/ downloads
    are cited from jyj.ningbo.gov.cn in a public recruitment ledger), so its columns are jpaas
    columns whose list comes from the build/unit API; the spider reads webId/pageId/tagId/tplSetId
    from the column page, nothing is hard-coded. Not verified live from here: that column
    1229055447 is still 教育动态, and the article page chrome (meta tags, #zoom body).
    """
    name = "nb_jyj"
    display_name = "宁波市教育局"
    region = "宁波市"
    allowed_domains = ["jyj.ningbo.gov.cn"]
    start_urls = ["http://jyj.ningbo.gov.cn/col/col1229055447/index.html"]
