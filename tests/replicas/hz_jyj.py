# Shape follows the same public jpaas sources as tests/replicas/nb_jyj.py (the unitbuild.js loader
# and queryData: policy_collector/collector.py, RSSHub mohurd route; the build/unit API and its
# JSON: a Yantai crawler/cms_api.py, a MIIT spider), with Hangzhou's column 1228921906 and article
# paths /col/col1228921906/art/YYYY/art_<32 hex>.html (a public ledger citing edu.hangzhou.gov.cn).
# A different webId, tplSetId and tagId than the Ningbo replica, so nothing the spider
# sends can be a constant. The texts are generated (aggregator.demo.content.Writer).
"""A loopback replica of 杭州市教育局's jpaas column 1228921906."""
from aggregator.demo.content import Place
from tests.replicas.nb_jyj import build

SOURCE = ("jpaas, as tests/replicas/nb_jyj.py (policy_collector/collector.py, RSSHub mohurd route, a Yantai "
          "crawler/cms_api.py, a MIIT spider); column 1228921906 and its article path from a public ledger "
          "citing edu.hangzhou.gov.cn. Guessed: webId/tplSetId/tagId values, the column's name, the article chrome.")

_ROUTES, EXPECTED = build(
    seed=4202, site_name="杭州市教育局", short_name="杭州市教育局", column=1228921906, column_name="通知公告",
    web_id="3180", tpl_set_id="k3PzR8vTqLw1Yx0NbA5cD", tag_id="当前栏目list",
    place=Place("杭州市", "杭州市教育局", ("西湖", "拱墅", "上城", "滨江", "萧山", "余杭", "临平", "富阳", "临安", "钱塘")),
    n_articles=23, years=(2024, 2025))


def routes() -> dict:
    return dict(_ROUTES)
