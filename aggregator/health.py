"""Site health: what one crawl of one site did, and whether the site worked.

A crawl counts, per site, in Scrapy's stats (spiders/base.py and pipelines/store.py write them
under `aggregator/`): listing requests and how many failed, article links the listings gave,
articles new / updated / unchanged, rejects by reason, HTTP statuses of the site's own pages
(robots.txt is not among them: a 200 for robots.txt proves nothing), challenges met, and how
many new articles came with a title, a minute-precise date, people and a source.

    site_run(site, stats) -> dict          the `site_runs` row (without crawl id and status)
    assess(run, history) -> (status, reason)
        status: "ok" | "degraded" | "failed" | "blocked"; reason: words for the operator
        history: the site's earlier site_runs rows, newest first (only ok/degraded ones count)

The rules, strongest first:
- blocked: a listing answered with an anti-bot challenge, or most article pages did;
- failed: no listing answered, every listing request failed, the listings gave no article
  link (and none was known or unchanged), or every page fetched for a new article became a reject;
- degraded: some listing requests failed (articles behind them are lost), many new pages
  were rejects, the link count collapsed against the site's recent runs (unless a listing ended
  at known pages: AGGREGATOR_KNOWN_PAGES), or a field's coverage
  among the new articles collapsed against them (a layout change the extractor no longer reads).
"""
from __future__ import annotations

import json
import re
from statistics import median

STATUSES = ("ok", "degraded", "failed", "blocked")
COVERAGE_FIELDS = ("title", "minute", "people", "source")
# how many recent runs a site is compared with
HISTORY_RUNS = 5
# the link count has collapsed below this share of the recent median
LINK_COLLAPSE = 0.5
# a field's coverage has collapsed when it falls this far below its recent median
COVERAGE_DROP = 0.5
# coverage is judged on at least this many new articles
MIN_NEW_FOR_COVERAGE = 5
# rejects degrade a site when they are this share of the new pages and this share of all its
# article links (a dead link or two that every run tries again are not news)
REJECT_SHARE = 0.5
REJECT_SHARE_OF_LINKS = 0.1


_LONG_NUMBER = re.compile(r"\d{4,}")


def reason_key(reason: str) -> str:
    """A reject reason as a counter name: long numbers folded so that 'page too large: 3000001
    characters' and '...: 4000000 characters' count together."""
    return _LONG_NUMBER.sub("N", (reason or "dropped").strip())[:120]


def _count(stats, key) -> int:
    return int(stats.get(f"aggregator/{key}", 0) or 0)


def _prefixed(stats, prefix) -> dict:
    return {key[len(prefix):]: int(value) for key, value in sorted(stats.items())
            if key.startswith(prefix) and isinstance(value, (int, float))}


def site_run(site: str, stats: dict) -> dict:
    """The counts of one site's crawl, from that site's Scrapy stats."""
    new = _count(stats, "articles_new")
    row = {
        "site": site,
        "listing_requests": _count(stats, "listing_requests"),
        "listing_failed": _count(stats, "listing_failed"),
        "listing_known": _count(stats, "listing_known"),
        "article_links": _count(stats, "article_links"),
        "articles_new": new,
        "articles_updated": _count(stats, "articles_updated"),
        "articles_unchanged": _count(stats, "articles_unchanged"),
        "duplicates": _count(stats, "articles_duplicate"),
        "rejects": _count(stats, "rejects"),
        "blocked_listings": _count(stats, "blocked_listings"),
        "blocked_pages": _count(stats, "blocked_pages"),
        "rejects_by_reason": json.dumps(_prefixed(stats, "aggregator/reject_reason/"), ensure_ascii=False),
        "http_statuses": json.dumps(_prefixed(stats, "aggregator/status/")),
        "finish_reason": stats.get("finish_reason"),
    }
    for field in COVERAGE_FIELDS:
        row[f"{field}_coverage"] = round(_count(stats, f"new_with_{field}") / new, 3) if new else None
    return row


def _reasons(run) -> str:
    """'http 404 ×3, fetch error: TimeoutError ×1' from the run's rejects by reason."""
    found = run.get("rejects_by_reason") or "{}"
    found = json.loads(found) if isinstance(found, str) else found
    return ", ".join(f"{reason} ×{count}" for reason, count in sorted(found.items(), key=lambda kv: -kv[1]))


def _pages_fetched_for_articles(run) -> int:
    """Pages fetched for articles the site did not have yet: stored, or rejected."""
    return run["articles_new"] + run["articles_updated"] + run["duplicates"] + _article_rejects(run)


def _article_rejects(run) -> int:
    return max(run["rejects"] - run["listing_failed"], 0)


def _blocked(run):
    if run["blocked_listings"]:
        return f"{run['blocked_listings']} of {run['listing_requests']} listing requests answered an anti-bot challenge"
    pages = run["blocked_pages"]
    if pages and pages * 2 >= _pages_fetched_for_articles(run):
        return f"{pages} article pages answered an anti-bot challenge"
    return None


def _failed(run):
    requests, failed = run["listing_requests"], run["listing_failed"]
    if not requests:
        return "no listing page was fetched" + (f" ({_reasons(run)})" if run["rejects"] else "")
    if failed >= requests:
        return f"every listing request failed ({_reasons(run)})"
    if not run["article_links"] and not run.get("listing_known"):
        return f"the listings gave no article links ({requests} listing pages read)"
    attempted = _pages_fetched_for_articles(run)
    stored = run["articles_new"] + run["articles_updated"] + run["duplicates"]
    if attempted and not stored and not run["articles_unchanged"]:
        return f"every new page was a reject ({_reasons(run)})"
    return None


def _recent(history):
    return [h for h in history if h.get("status") in ("ok", "degraded")][:HISTORY_RUNS]


def _degraded(run, history):
    reasons = []
    requests, failed = run["listing_requests"], run["listing_failed"]
    if failed:
        reasons.append(f"{failed} of {requests} listing requests failed")
    attempted, rejected = _pages_fetched_for_articles(run), _article_rejects(run)
    if attempted and rejected >= REJECT_SHARE * attempted and rejected >= REJECT_SHARE_OF_LINKS * run["article_links"]:
        reasons.append(f"{rejected} of {attempted} new pages were rejects ({_reasons(run)})")
    recent = _recent(history)
    # a listing that ended at known pages (or answered 304) lists fewer links by design
    if recent and not run.get("listing_known"):
        usual = median(h["article_links"] or 0 for h in recent)
        if usual >= 10 and run["article_links"] < LINK_COLLAPSE * usual:
            reasons.append(f"article links fell to {run['article_links']} (usually {usual:g})")
    if run["articles_new"] >= MIN_NEW_FOR_COVERAGE:
        for field in COVERAGE_FIELDS:
            share = run[f"{field}_coverage"]
            usual = [h[f"{field}_coverage"] for h in recent
                     if h.get(f"{field}_coverage") is not None and (h.get("articles_new") or 0) >= MIN_NEW_FOR_COVERAGE]
            if usual and share is not None and share < median(usual) - COVERAGE_DROP:
                reasons.append(f"{field} in {share:.0%} of new articles (usually {median(usual):.0%})")
    return "; ".join(reasons) or None


def assess(run: dict, history=()) -> tuple[str, str]:
    """(status, reason) of one site's crawl; history: its earlier runs, newest first."""
    for status, reason in (("blocked", _blocked(run)), ("failed", _failed(run)),
                           ("degraded", _degraded(run, list(history)))):
        if reason:
            return status, reason
    return "ok", (f"{run['article_links']} article links, {run['articles_new']} new, "
                  f"{run['articles_unchanged']} unchanged")


def record(store, crawl_id, site, stats) -> tuple[str, str]:
    """Assess one site's crawl against its history and write its site_runs row."""
    run = site_run(site, stats)
    status, reason = assess(run, store.site_history(site, HISTORY_RUNS * 2))
    finish = run["finish_reason"]
    if status == "ok" and finish not in (None, "finished"):
        status, reason = "degraded", f"the crawl stopped early ({finish})"
    store.record_site_run(dict(run, crawl_id=crawl_id, status=status, reason=reason))
    return status, reason


def exit_code(statuses) -> int:
    """0 when every site is ok, 1 when no site worked at all, 3 otherwise."""
    statuses = list(statuses)
    if statuses and all(s in ("failed", "blocked") for s in statuses):
        return 1
    return 0 if all(s == "ok" for s in statuses) else 3
