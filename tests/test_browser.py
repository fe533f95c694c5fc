"""What a reader sees, in a real headless Chromium (Debian's `chromium`, driven by Playwright):
`aggregator demo` crawls the demo sites and serves Datasette as a user runs it, and each test
opens one page (the home page, a search, an article's reading page, the articles list, the
charts, a feed) and checks what is on the screen, with no console error. Every page's
screenshot is written to data/screenshots/ (or $AGGREGATOR_SCREENSHOTS) to look at after the run."""
import os
import re
import shutil
import socket
import sqlite3
import subprocess
import sys
import time
from pathlib import Path
from xml.etree import ElementTree

import pytest

from tests.test_e2e import free_port_block

playwright = pytest.importorskip("playwright.sync_api")

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
SHOTS = Path(os.environ.get("AGGREGATOR_SCREENSHOTS") or Path(__file__).resolve().parent.parent / "data" / "screenshots")
ATOM = "{http://www.w3.org/2005/Atom}"

# skipped on a developer's machine without chromium; in CI (.ci/run installs it) a missing
# browser is a failure, not a skip
pytestmark = pytest.mark.skipif(CHROMIUM is None and not os.environ.get("CI"),
                                reason="no chromium: .ci/run installs Debian's chromium package")


@pytest.fixture(scope="module")
def demo(tmp_path_factory):
    """`aggregator demo` (crawl, then serve) on free ports: the home URL it prints and its database."""
    db = tmp_path_factory.mktemp("browser") / "demo.db"
    sites_port, port = free_port_block(), free_port()
    process = subprocess.Popen(
        [sys.executable, "-m", "aggregator.cli", "demo", "--db", str(db), "--sites-port", str(sites_port),
         "--port", str(port)], stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    try:
        printed = []
        deadline = time.monotonic() + 300
        while time.monotonic() < deadline:
            line = process.stdout.readline()
            if not line:
                break
            printed.append(line)
            if line.startswith("Datasette: "):
                break
        home = re.search(r"Datasette: (\S+)", "".join(printed))
        assert home, "".join(printed)
        _wait_for(home.group(1))
        yield {"home": home.group(1), "db": db, "printed": "".join(printed)}
    finally:
        process.terminate()
        process.wait(timeout=30)


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _wait_for(url, seconds=30):
    from urllib.request import urlopen

    deadline = time.monotonic() + seconds
    while True:
        try:
            with urlopen(url, timeout=5):
                return
        except OSError:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.2)


@pytest.fixture(scope="module")
def browser():
    with playwright.sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox", "--disable-gpu"])
        yield browser
        browser.close()


class Page:
    """A 1400x1000 tab that records console errors and uncaught exceptions."""

    def __init__(self, browser):
        self.page = browser.new_page(viewport={"width": 1400, "height": 1000})
        self.errors = []
        self.page.on("console", lambda m: self.errors.append(m.text) if m.type == "error" else None)
        self.page.on("pageerror", lambda e: self.errors.append(str(e)))

    def open(self, url):
        response = self.page.goto(url)
        assert response.status == 200, url
        return response

    def shot(self, name):
        SHOTS.mkdir(parents=True, exist_ok=True)
        self.page.screenshot(path=str(SHOTS / f"{name}.png"), full_page=True)  # the whole page, not the first screen


@pytest.fixture
def tab(browser):
    tab = Page(browser)
    yield tab
    tab.page.close()
    assert tab.errors == []


def test_the_demo_prints_the_home_page(demo):
    assert re.search(r"Datasette: http://127\.0\.0\.1:\d+/ ", demo["printed"])


def test_home_page_leads_to_everything(demo, tab):
    tab.open(demo["home"])
    page = tab.page
    for text in ("Latest articles", "Search", "Pickups of a site's stories", "Uncredited copies", "Site health",
                 "Articles per week, syndication lag, credited copies, site health"):
        assert page.get_by_role("link", name=text, exact=True).first.is_visible(), text
    assert page.get_by_role("searchbox").is_visible()
    tab.shot("home")


def test_a_search_from_the_home_page_shows_ranked_highlighted_results(demo, tab):
    tab.open(demo["home"])
    page = tab.page
    page.get_by_role("searchbox").fill("北侖")  # Traditional: the demo's text is Simplified
    page.get_by_role("button", name="Search").first.click()
    page.wait_for_selector("ol.search-results li")
    results = page.locator("ol.search-results li")
    assert results.count() > 5
    marks = page.locator("ol.search-results mark")
    assert marks.first.is_visible() and marks.first.inner_text() == "北仑"
    assert page.locator(".search-count").inner_text().startswith(f"{results.count()} articles")
    tab.shot("search")


def story_original(db):
    with sqlite3.connect(db) as conn:
        return conn.execute("select original_id from stories where copies > 0 order by copies desc, id limit 1").fetchone()[0]


def test_the_reading_page_shows_the_body_as_paragraphs_at_a_readable_width(demo, tab):
    article_id = story_original(demo["db"])
    tab.open(f"{demo['home']}demo/articles/{article_id}")
    page = tab.page
    headline = page.locator("h1.headline")
    assert headline.is_visible() and headline.bounding_box()["height"] < 120  # one or two lines, not a column
    paragraphs = page.locator("article.reading .body p")
    assert paragraphs.count() >= 3
    for i in range(paragraphs.count()):
        box = paragraphs.nth(i).bounding_box()
        assert paragraphs.nth(i).is_visible() and 400 < box["width"] <= 800  # ~35-45 characters a line
    assert page.locator(".meta .published").is_visible() and page.locator(".meta .site").is_visible()
    copies = page.locator("table.story-copies tbody tr")
    assert copies.count() >= 2 and "(original)" in copies.first.inner_text()
    assert "later" in copies.nth(1).inner_text()
    assert not page.locator("details.machine table").is_visible()  # one click away
    tab.shot("article")


def test_the_articles_list_fits_the_screen(demo, tab):
    tab.open(f"{demo['home']}demo/articles")
    page = tab.page
    title = page.locator("table.article-list td.col-title a").first
    title.scroll_into_view_if_needed()
    box = title.bounding_box()
    assert title.is_visible() and box["x"] + box["width"] <= 1400
    row = page.locator("table.article-list tbody tr").first.bounding_box()
    assert row["height"] < 80  # one line a row: no body in the list
    assert not page.locator("dl.column-descriptions").is_visible()
    title.click()
    page.wait_for_selector("article.reading .body p")
    tab.page.goto(f"{demo['home']}demo/articles")
    tab.shot("articles")


def test_the_charts_page_draws_every_chart(demo, tab):
    tab.open(f"{demo['home']}-/dashboards/demo-charts")
    page = tab.page
    charts = page.locator(".vega-embed")
    # the dashboard embeds its charts one after another as their queries answer: wait for all
    playwright.expect(charts).to_have_count(4, timeout=20000)
    for i in range(4):
        marks = charts.nth(i).locator("svg g.mark-rect path, svg g.mark-symbol path")
        marks.first.wait_for(timeout=20000)  # raises when the chart draws no mark
    tab.shot("charts")


@pytest.mark.parametrize("site", ["demo_beilun", "demo_feed"])
def test_a_feed_opens_as_an_atom_document(demo, tab, site):
    response = tab.open(f"{demo['home']}demo/new_pickups_feed.atom?site={site}")
    assert "xml" in response.headers["content-type"]
    feed = ElementTree.fromstring(response.text())
    assert feed.tag == f"{ATOM}feed"
    entries = feed.findall(f"{ATOM}entry")
    if site == "demo_beilun":  # its stories were republished by the other demo sites
        assert entries and all(e.find(f"{ATOM}title").text for e in entries)
    else:
        assert entries == []
    tab.shot(f"feed-{site}")
