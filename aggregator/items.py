"""The article item that travels from spider (or `aggregator import`) to the store.

Raw values travel beside normalized ones (``published_raw`` next to
``published_at``) and every extracted field names the signal it came from
(``published_signal = "meta:PubDate"``), so a wrong value can be traced.
"""
import scrapy


class ArticleItem(scrapy.Item):
    # what was fetched
    url = scrapy.Field()            # the URL as fetched (or as imported)
    site = scrapy.Field()           # registry name of the site (spider name)
    html = scrapy.Field()           # the page (bytes as fetched, or str); not stored
    continuation_pages = scrapy.Field()  # later pages of a multi-page article, in order
    encoding = scrapy.Field()       # charset from the HTTP header; after extraction, the one used
    fetched_at = scrapy.Field()     # ISO 8601 with offset
    cms = scrapy.Field()            # CMS family of the site: hanweb, trs, generic, feed
    selectors = scrapy.Field()      # the site's own selectors {"title", "body", "byline", "date"}
    section = scrapy.Field()        # column / section name (ColumnName meta or listing)
    listing_date = scrapy.Field()   # the date printed next to the link on the listing page
    # extracted / normalized
    title = scrapy.Field()
    title_signal = scrapy.Field()
    body = scrapy.Field()           # paragraphs separated by "\n"
    body_signal = scrapy.Field()
    byline_raw = scrapy.Field()     # the byline text as printed
    people = scrapy.Field()         # [{"name", "role", "label"}]
    people_signal = scrapy.Field()
    source = scrapy.Field()         # 来源, normalized
    source_raw = scrapy.Field()
    source_signal = scrapy.Field()
    published_at = scrapy.Field()   # ISO 8601, +08:00 unless the page says otherwise
    published_raw = scrapy.Field()
    published_precision = scrapy.Field()  # year, month, day, minute, second
    published_signal = scrapy.Field()
    attachments = scrapy.Field()    # [{"url", "name", "type"}]: documents the page links to (附件), not downloaded
    # de-duplication
    canonical_url = scrapy.Field()
