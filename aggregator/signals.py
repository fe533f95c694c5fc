"""Signals spiders send to the store pipeline (the single writer).

page_rejected(url, site, reason, detail): a page the spider meant to fetch did not become an
    article (HTTP 404/500, a network error, a listing that could not be read).
article_seen(url, site): an article already stored was listed again and not refetched;
    its last_seen moves on.
"""
page_rejected = object()
article_seen = object()
