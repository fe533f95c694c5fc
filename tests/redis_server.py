"""A real redis-server for the tests: the one `.ci/run` started (REDIS_TEST_URL), or one of our
own on a free loopback port, with no persistence, stopped afterwards. Outside CI a machine
without redis-server skips the Redis tests with the reason; under CI=true it must be there."""
from __future__ import annotations

import contextlib
import os
import shutil
import socket
import subprocess
import time

import pytest


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextlib.contextmanager
def own_redis_server(workdir):
    binary = shutil.which("redis-server")
    if binary is None:
        if os.environ.get("CI") == "true":
            pytest.fail("redis-server is not installed (.ci/run installs the Debian package redis-server)")
        pytest.skip("redis-server is not installed (apt-get install redis-server)")
    port = free_port()
    process = subprocess.Popen([binary, "--port", str(port), "--bind", "127.0.0.1", "--save", "",
                                "--appendonly", "no", "--dir", str(workdir)],
                               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    import redis

    client = redis.Redis(port=port)
    try:
        for _ in range(100):
            try:
                client.ping()
                break
            except redis.ConnectionError:
                time.sleep(0.05)
        yield f"redis://127.0.0.1:{port}/0"
    finally:
        process.terminate()
        process.wait(timeout=10)


@contextlib.contextmanager
def redis_url(workdir, db=0):
    """A Redis URL whose database `db` starts empty."""
    import redis

    shared = os.environ.get("REDIS_TEST_URL")
    if shared:
        url = shared.rstrip("/").rsplit("/", 1)[0] if shared.count("/") > 2 else shared
        url = f"{url}/{db}"
        redis.Redis.from_url(url).flushdb()
        yield url
        return
    with own_redis_server(workdir) as url:
        yield url.rsplit("/", 1)[0] + f"/{db}"
