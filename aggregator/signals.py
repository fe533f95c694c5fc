"""Signals spiders send to the store pipeline (the single writer).

page_rejected(url, site, reason, detail, listing): a page the spider meant to fetch did not become an
    article (HTTP 404/500, a network error, a listing that could not be read; listing: True
    for a listing page, which a later run fetches anyway, never as an article).
article_seen(url, site): an article already stored was listed again and not refetched;
    its last_seen moves on.
validators_seen(url, site, etag, last_modified): a page answered 200 or 304 with these
    validators (aggregator/conditional.py); the next request for it sends them back.
article_removed(url, site): a stored article answered 404 or 410 when it was rechecked.
"""
page_rejected = object()
article_seen = object()
validators_seen = object()
article_removed = object()
