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
    # below RedirectMiddleware (600): sees only final answers on the way out
    "aggregator.conditional.ConditionalGetMiddleware": 580,
    # next to the downloader: archives each answer as it came, before decompression and redirects
    "aggregator.archive.WarcArchiveMiddleware": 950,
}
DUPEFILTER_CLASS = "aggregator.middlewares.AccountingDupeFilter"
LOG_FORMATTER = "aggregator.middlewares.QuietLogFormatter"
LOG_LEVEL = "INFO"
FEED_EXPORT_ENCODING = "utf-8"

# `scrapy crawl SITE -s AGGREGATOR_REDIS_URL=…` (a Scrapyd job) joins a shared crawl as `aggregator crawl --redis` does
ADDONS = {"aggregator.distributed.RedisAddon": 0}

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
# do not request article pages whose reject is not due again yet (aggregator/rejects.py); "0" to retry them all
AGGREGATOR_SKIP_WAITING_REJECTS = True
# a listing ends after this many pages in a row that held only known articles (or answered 304); 0: page to the end
AGGREGATOR_KNOWN_PAGES = 1
# send a listing's (and a rechecked article's) last ETag / Last-Modified back; a 304 is unchanged and not parsed
AGGREGATOR_CONDITIONAL_GET = True
# stored articles younger than this (days) are rechecked, conditionally, on a schedule that thins out with age; 0: never
AGGREGATOR_RECHECK_DAYS = 7
# recheck every stored article younger than AGGREGATOR_RECHECK_DAYS in this run, whatever the schedule (`--recheck`)
AGGREGATOR_RECHECK_ALL = False
# the WARC archive's directory (unset: warc/ beside the database); empty: no archive
AGGREGATOR_WARC_DIR = None
# a crawl's WARC file is rotated (<crawl id>-2.warc.gz ...) once it reaches this size in bytes
AGGREGATOR_WARC_MAX_BYTES = 1024 * 1024 * 1024
# on a terminal, one progress line (pages fetched, articles new per site); never under cron (no TTY)
AGGREGATOR_PROGRESS = True
EXTENSIONS = {"aggregator.runlog.Progress": 500}
# `aggregator crawl --redis URL` sets these four; absent, a crawl is the local one
# the Redis that holds the shared frontier, the item queue and the politeness slots
AGGREGATOR_REDIS_URL = None
# the run (shared crawl) this process belongs to, and this process's worker id
AGGREGATOR_REDIS_RUN = None
AGGREGATOR_REDIS_WORKER = None
# a --redis crawler closes a site once its shared frontier has been empty this long (seconds)
AGGREGATOR_IDLE_EXIT = 10.0
# a --redis crawler runs the pipelines up to the store itself (extract, clean, normalize, dedup)
# and queues the article's fields; False: it queues the raw page and the writer runs them all
AGGREGATOR_EXTRACT_IN_CRAWLER = True
# a crawl commits the articles it stored at most this many seconds (or 500 articles) apart: one
# transaction per article costs 2-3x as much (the full-text index is flushed at each commit);
# 0: one transaction per article
AGGREGATOR_COMMIT_SECONDS = 2.0
