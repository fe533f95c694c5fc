"""The bundled offline demo sites (aggregator/demo/), one per CMS family.

They run against the local demo server: `aggregator demo` passes each one
`base_url=http://127.0.0.1:PORT`. `aggregator sites` lists them with --demo.
"""
from spiders.feed import FeedSpider
from spiders.generic import GenericSpider
from spiders.hanweb import HanwebSpider
from spiders.trs import TrsSpider

LOCAL = "http://127.0.0.1"


class DemoBeilunSpider(HanwebSpider):
    name = "demo_beilun"
    display_name = "北仑区教育局（演示）"
    region = "北仑区"
    demo = True
    allowed_domains = ["127.0.0.1"]
    start_urls = [f"{LOCAL}/col/col1229001/index.html", f"{LOCAL}/col/col1229002/index.html"]


class DemoMoeSpider(TrsSpider):
    name = "demo_moe"
    display_name = "教育部（演示）"
    region = "全国"
    demo = True
    allowed_domains = ["127.0.0.1"]
    start_urls = [f"{LOCAL}/jyb_xwfb/gzdt_gzdt/index.html"]


class DemoCountySpider(GenericSpider):
    name = "demo_county"
    display_name = "象山县教育局（演示）"
    region = "象山县"
    demo = True
    allowed_domains = ["127.0.0.1"]
    start_urls = [f"{LOCAL}/news/list_1.html"]
    article_link_re = r"/news/\d{4}/\d{4}/\d+\.html$"


class DemoFeedSpider(FeedSpider):
    name = "demo_feed"
    display_name = "宁波教育（演示）"
    region = "宁波市"
    demo = True
    allowed_domains = ["127.0.0.1"]
    start_urls = [f"{LOCAL}/rss.xml"]
