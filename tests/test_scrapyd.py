"""Deployment with Scrapyd, against a real scrapyd: the project's egg built by `scrapyd-deploy
--build-egg` (from scrapy.cfg's [deploy]), uploaded with addversion.json, and a crawl scheduled
as a Scrapyd job with `setting=AGGREGATOR_REDIS_URL=…`: the job is one crawler of a shared run
and `aggregator ingest` stores what it fetched."""
from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import time
import urllib.parse
import urllib.request
import uuid
from pathlib import Path

import pytest

from aggregator.demo.server import DemoSites
from tests.redis_server import free_port, redis_url
from tests.test_distributed import aggregator, finish, stop, wait_for_finished_run

ROOT = Path(__file__).resolve().parent.parent

pytestmark = pytest.mark.skipif(not (shutil.which("scrapyd") and shutil.which("scrapyd-deploy")),
                                reason="scrapyd and scrapyd-client are not installed (pip install '.[test]')")


def post(url, fields=(), files=()):
    """A multipart/form-data POST (Scrapyd's API), answered JSON."""
    boundary = uuid.uuid4().hex
    body = b""
    for name, value in fields:
        body += f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n{value}\r\n'.encode()
    for name, filename, data in files:
        body += (f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"; filename="{filename}"\r\n'
                 f"Content-Type: application/octet-stream\r\n\r\n").encode() + data + b"\r\n"
    body += f"--{boundary}--\r\n".encode()
    request = urllib.request.Request(url, data=body, headers={"Content-Type": f"multipart/form-data; boundary={boundary}"})
    with urllib.request.urlopen(request, timeout=60) as answer:
        return json.loads(answer.read())


def get(url):
    with urllib.request.urlopen(url, timeout=60) as answer:
        return json.loads(answer.read())


@pytest.fixture
def egg(tmp_path):
    # scrapyd-deploy writes setup.py and build files into the project: build from a copy
    project = tmp_path / "project"
    files = subprocess.run(["git", "ls-files"], cwd=ROOT, capture_output=True, text=True, check=True).stdout.split()
    for name in files:
        if (ROOT / name).is_file():
            (project / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(ROOT / name, project / name)
    out = tmp_path / "aggregator.egg"
    result = subprocess.run(["scrapyd-deploy", "--build-egg", str(out)], cwd=project, capture_output=True, text=True,
                            timeout=300)
    assert result.returncode == 0, result.stdout + result.stderr
    return out.read_bytes()


@pytest.fixture
def scrapyd(tmp_path):
    home = tmp_path / "scrapyd"
    home.mkdir()
    port = free_port()
    (home / "scrapyd.conf").write_text(
        f"[scrapyd]\nbind_address = 127.0.0.1\nhttp_port = {port}\neggs_dir = {home}/eggs\nlogs_dir = {home}/logs\n"
        f"items_dir =\ndbs_dir = {home}/dbs\nmax_proc = 2\npoll_interval = 0.5\n")
    # the jobs import this checkout first, as every other subprocess of the tests (an installed
    # copy of the package would otherwise come before the egg on sys.path)
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    process = subprocess.Popen([shutil.which("scrapyd")], cwd=home, env=env,
                               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    url = f"http://127.0.0.1:{port}"
    try:
        for _ in range(100):
            try:
                get(url + "/daemonstatus.json")
                break
            except OSError:
                time.sleep(0.2)
        yield url, home
    finally:
        process.terminate()
        process.wait(timeout=30)


def test_a_scrapyd_job_is_a_crawler_of_a_shared_run(tmp_path, egg, scrapyd):
    url, home = scrapyd
    db = tmp_path / "news.db"
    added = post(url + "/addversion.json", [("project", "aggregator"), ("version", "1")],
                 [("egg", "aggregator.egg", egg)])
    assert added["status"] == "ok", added
    assert "demo_moe" in get(url + "/listspiders.json?project=aggregator")["spiders"]
    with redis_url(tmp_path) as redis, DemoSites() as sites:
        writer = aggregator("ingest", "--redis", redis, "--db", str(db))
        job = post(url + "/schedule.json", [
            ("project", "aggregator"), ("spider", "demo_moe"), ("base_url", sites.urls["demo_moe"]),
            ("setting", f"AGGREGATOR_REDIS_URL={redis}"), ("setting", "AGGREGATOR_IDLE_EXIT=1"),
            ("setting", "DOWNLOAD_DELAY=0"), ("setting", "AUTOTHROTTLE_ENABLED=0")])
        assert job["status"] == "ok", job
        rows = wait_for_finished_run(db, timeout=240)
        code, out, err = stop(writer)
        expected = sites.expected["articles"]["demo_moe"]
    log = next((home / "logs").rglob("*.log")).read_text(errors="replace")
    assert code == 0, out + err
    assert len(rows) == 1 and "demo_moe" in rows[0][2], (rows, log[-3000:])
    import sqlite3

    conn = sqlite3.connect(db)
    stored = conn.execute("select count(*) from articles where site = 'demo_moe'").fetchone()[0]
    status = conn.execute("select status from site_runs where site = 'demo_moe'").fetchone()[0]
    conn.close()
    assert stored == expected, log[-3000:]
    assert status == "ok"
