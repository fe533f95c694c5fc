"""Scrapy settings for the aggregator. Every project setting is prefixed AGGREGATOR_
and documented in the README (a test checks that)."""

BOT_NAME = "edu-news-aggregator"
SPIDER_MODULES = ["spiders"]
NEWSPIDER_MODULE = "spiders"

# Polite by default: these are public-service sites run on small budgets.
USER_AGENT = "edu-news-aggregator/0.1 (+https://github.com/edu-news-aggregator; news research crawler)"
ROBOTSTXT_OBEY = True
CONCURRENT_REQUESTS = 8
CONCURRENT_REQUESTS_PER_DOMAIN = 2
DOWNLOAD_DELAY = 1.0
AUTOTHROTTLE_ENABLED = True
AUTOTHROTTLE_START_DELAY = 1.0
AUTOTHROTTLE_MAX_DELAY = 30.0
AUTOTHROTTLE_TARGET_CONCURRENCY = 1.0
RETRY_TIMES = 2
DOWNLOAD_TIMEOUT = 30
# every status reaches the spider, which turns non-200 answers into reject rows
HTTPERROR_ALLOW_ALL = True
REQUEST_FINGERPRINTER_IMPLEMENTATION = "2.7"
TELNETCONSOLE_ENABLED = False
# Scrapy's remote control runs code sent to a local HTTP port: never on
REMOTE_CONTROL_ENABLED = False
# only http(s): a redirect to file:, ftp: or s3: is not followed
DOWNLOAD_HANDLERS = {"file": None, "ftp": None, "s3": None, "data": None}
# article and listing pages are tens to hundreds of kilobytes; the limits hold while decompressing
DOWNLOAD_MAXSIZE = 10 * 1024 * 1024
DOWNLOAD_WARNSIZE = 2 * 1024 * 1024
# every connection goes through the address guard (aggregator/netguard.py)
TWISTED_DNS_RESOLVER = "aggregator.netguard.GuardedResolver"
DOWNLOADER_MIDDLEWARES = {
    # Scrapy's own offsite filter drops a request when it is scheduled, without its errback
    # (so no reject row) and lets dont_filter requests through: SiteBoundsMiddleware replaces it
    "scrapy.downloadermiddlewares.offsite.OffsiteMiddleware": None,
    # before robots.txt (100): an off-site or non-http request is not even asked about
    "aggregator.middlewares.SiteBoundsMiddleware": 50,
    # after RetryMiddleware (550) on the way in, so it sees a 429/503 first on the way out
    "aggregator.middlewares.RetryAfterMiddleware": 560,
}
DUPEFILTER_CLASS = "aggregator.middlewares.AccountingDupeFilter"
LOG_FORMATTER = "aggregator.middlewares.QuietLogFormatter"
LOG_LEVEL = "INFO"
FEED_EXPORT_ENCODING = "utf-8"

ITEM_PIPELINES = {
    "pipelines.extract.ExtractPipeline": 100,
    "pipelines.clean.CleanPipeline": 200,
    "pipelines.normalize.NormalizePipeline": 300,
    "pipelines.dedup.DedupPipeline": 400,
    "pipelines.store.StorePipeline": 500,
}

# -- project settings ----------------------------------------------------
# SQLite file the store pipeline writes (the CLI's --db sets it)
AGGREGATOR_DB = "data/news.db"
# stop following listing pages after this many per start URL (0: no limit)
AGGREGATOR_MAX_LISTING_PAGES = 50
# do not request article pages already stored (their last_seen is still updated); "0" to refetch
AGGREGATOR_SKIP_KNOWN = True
# let the --base-url mirror's host:port through although it is a private or loopback address
AGGREGATOR_ALLOW_PRIVATE = False
# the longest Retry-After wait (seconds) honoured for a 429/503; a longer one is a reject
AGGREGATOR_RETRY_AFTER_MAX = 120
# `aggregator import`: a line longer than this (bytes) is a reject, never parsed or held whole in memory
AGGREGATOR_MAX_ITEM_BYTES = 5 * 1024 * 1024
# a crawl commits the articles it stored at most this many seconds (or 500 articles) apart: one
# transaction per article costs 2-3x as much (the full-text index is flushed at each commit);
# 0: one transaction per article
AGGREGATOR_COMMIT_SECONDS = 2.0
