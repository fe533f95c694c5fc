# Shape follows the same public gkmlpt sources as tests/replicas/sz_jyj.py (window._CONFIG SID/TREE
# and /gkmlpt/api/all/{category}?page=N&sid=: a Shenzhen policy crawler crawlers/gkmlpt.py, which
# lists edu.gd.gov.cn as a verified gkmlpt site; the JSON fields: a Zhaoqing feasibility report, a
# Guangdong scrapy spider; DETAIL.content and div.article-content: crawlers/gkmlpt.py, a Dongguan
# fetcher test). Another SID and host than the Shenzhen replica, so neither can be a constant in the
# spider. The texts are generated (aggregator.demo.content.Writer).
"""A loopback replica of 广东省教育厅's gkmlpt catalogue."""
from aggregator.demo.content import Place
from tests.replicas.sz_jyj import build

SOURCE = ("gkmlpt, as tests/replicas/sz_jyj.py (crawlers/gkmlpt.py, a Zhaoqing feasibility report, a Guangdong "
          "scrapy spider, a Dongguan fetcher test). Guessed: the SID value, 20 records a page, the content page chrome.")

_ROUTES, EXPECTED = build(
    seed=5402, host="edu.gd.gov.cn", site_name="广东省教育厅", short_name="广东省教育厅", sid="2046",
    place=Place("广东省", "广东省教育厅", ("广州", "韶关", "珠海", "汕头", "佛山", "江门", "湛江", "茂名", "肇庆", "惠州", "梅州")),
    n_articles=31, years=(2024, 2025), categories=(("工作动态", 3051), ("基层动态", 3052)))


def routes() -> dict:
    return dict(_ROUTES)
