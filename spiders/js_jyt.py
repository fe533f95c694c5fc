from spiders.hanweb import HanwebSpider


class JiangsuJytSpider(HanwebSpider):
    """江苏省教育厅 通知公告 (Hanweb JCMS, Jiangsu cluster).

    Checked against public sources: a public crawler of this column (col58320) reads its
    datastore records; Jiangsu cluster sites page through /module/web/jpage/dataproxy.jsp
    (public notes on jshrss.jiangsu.gov.cn, a www.jiangsu.gov.cn fixture), the path and the
    ids the spider reads from the page (nextgroup, var param_NNN, the jpage call).
    Not verified live from here (no internet): the column's webid/unitid, the record and
    article markup beyond what those sources show.
    """
    name = "js_jyt"
    display_name = "江苏省教育厅"
    region = "江苏省"
    allowed_domains = ["jyt.jiangsu.gov.cn"]
    start_urls = ["https://jyt.jiangsu.gov.cn/col/col58320/index.html"]
