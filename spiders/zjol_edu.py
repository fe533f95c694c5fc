from spiders.trs import TrsSpider


class ZjolEduSpider(TrsSpider):
    """浙江在线 教育频道 (TRS WCM, .shtml pages).

    Checked against public sources only for the platform's shape (TRS .shtml columns with
    `var countPage = N//共多少页` and index_N.shtml pages, t-dated .shtml article links).
    Not verified live from here: the column path is from the site's published structure, the
    list and article markup are guessed.
    """
    name = "zjol_edu"
    display_name = "浙江在线教育频道"
    region = "浙江省"
    allowed_domains = ["edu.zjol.com.cn"]
    start_urls = ["https://edu.zjol.com.cn/jyjsb/index.shtml"]
