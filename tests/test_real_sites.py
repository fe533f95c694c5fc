"""Every registered real site, crawled through its own class from a loopback replica of its
column and article markup (tests/replicas/<site>.py, each naming the public source its shape
follows), with `aggregator crawl SITE --base-url`, as an operator would run it against a mirror.

Each replica lists the articles the crawl must store (EXPECTED); every one must be stored with
its title, publication minute, source and people, and the site's health must be ok.
"""
import importlib
import subprocess
import sys
from urllib.parse import urlsplit

import pytest
import sqlite_utils

from aggregator.sites import site_classes
from tests.replica import Replica

REAL = sorted(cls.name for cls in site_classes())
FAST = ["-s", "DOWNLOAD_DELAY=0", "-s", "AUTOTHROTTLE_ENABLED=0", "-s", "RETRY_ENABLED=0"]


def replica_module(name):
    return importlib.import_module(f"tests.replicas.{name}")


def crawl(name, routes, db, *extra):
    with Replica(routes) as site:
        result = subprocess.run(
            [sys.executable, "-m", "aggregator.cli", "crawl", name, "--db", str(db), "--base-url", site.url,
             "--allow-private", *FAST, *extra], capture_output=True, text=True, timeout=300)
        return result, site.requests


@pytest.fixture(scope="module")
def crawled(tmp_path_factory):
    """Each real site crawled once from its replica: {name: (result, db, replica module)}."""
    done = {}

    def get(name):
        if name not in done:
            module = replica_module(name)
            db = tmp_path_factory.mktemp(name) / "news.db"
            result, _ = crawl(name, module.routes(), db)
            done[name] = (result, sqlite_utils.Database(db), module)
        return done[name]
    return get


def test_at_least_eight_real_sites_over_four_families():
    classes = site_classes()
    assert len(classes) >= 8
    assert len({cls.cms for cls in classes}) >= 4


@pytest.mark.parametrize("name", REAL)
def test_every_real_site_has_a_replica_that_names_its_source(name):
    module = replica_module(name)
    assert module.SOURCE.strip() and module.EXPECTED
    assert callable(module.routes)


@pytest.mark.parametrize("name", REAL)
def test_crawl_of_the_replica_is_ok(crawled, name):
    result, db, _ = crawled(name)
    assert result.returncode == 0, result.stdout + result.stderr[-3000:]
    runs = list(db["site_runs"].rows)
    assert [(r["site"], r["status"]) for r in runs] == [(name, "ok")], runs


@pytest.mark.parametrize("name", REAL)
def test_every_article_of_the_replica_is_stored_with_its_fields(crawled, name):
    _, db, module = crawled(name)
    stored = {urlsplit(r["url"]).path + (f"?{urlsplit(r['url']).query}" if urlsplit(r["url"]).query else ""): r
              for r in db["articles"].rows}
    people = {}
    for row in db.query("select a.url, p.name, ap.role from article_people ap join people p on p.id = ap.person_id "
                        "join articles a on a.id = ap.article_id"):
        people.setdefault(urlsplit(row["url"]).path, set()).add((row["name"], row["role"]))
    missing = [e["path"] for e in module.EXPECTED if e["path"] not in stored]
    assert not missing, f"{len(missing)} of {len(module.EXPECTED)} articles not stored: {missing[:5]}"
    for expected in module.EXPECTED:
        row = stored[expected["path"]]
        assert row["title"] == expected["title"], expected["path"]
        assert (row["published_at"] or "")[:16].replace("T", " ") == expected["published"], expected["path"]
        assert row["source"] == expected["source"], expected["path"]
        assert people.get(urlsplit(expected["path"]).path, set()) == set(expected["people"]), expected["path"]
    assert len(stored) == len(module.EXPECTED)
