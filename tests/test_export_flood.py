"""A flood of exports against a real server (`manage.py serve`, waitress) cannot stop it answering a search.

Latency is printed, never asserted; the long measurement is in the README (Reliability).
"""

import http.client
import threading
import time

import pytest

from bench.load_test import prepare_archive
from tests.server_support import archive_env, get, start_server, stop

pytestmark = pytest.mark.slow

EXPORTS = 8


def export(port: int, results: list, started: threading.Event) -> None:
    """One export read to its end: (status, Retry-After, bytes, seconds)."""
    began = time.monotonic()
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=300)
    try:
        conn.request("GET", "/api/search.csv?from=2000-01-01", headers={"Host": f"127.0.0.1:{port}"})
        response = conn.getresponse()
        if response.status == 200:
            started.set()
        body = response.read()
        results.append((response.status, response.getheader("Retry-After"), len(body), time.monotonic() - began))
    finally:
        conn.close()


def test_a_search_completes_while_eight_exports_run(tmp_path):
    """8 parallel exports of every quotation: as many as the process allows are served, the others refused at once
    with 429 and Retry-After, and a search sent meanwhile answers 200 with its results."""
    env = archive_env(tmp_path / "data")
    prepare_archive(env, 150)
    server, port = start_server(env)
    try:
        results, started = [], threading.Event()
        threads = [threading.Thread(target=export, args=(port, results, started)) for _ in range(EXPORTS)]
        for thread in threads:
            thread.start()
        assert started.wait(120), "no export started"
        began = time.monotonic()
        status, html = get(port, "/search/?q=security", timeout=300)
        search_seconds = time.monotonic() - began
        running = EXPORTS - len(results)
        for thread in threads:
            thread.join(300)
    finally:
        log = stop(server)
    served = [r for r in results if r[0] == 200]
    refused = [r for r in results if r[0] == 429]
    print(
        f"\nsearch during {EXPORTS} parallel exports: {search_seconds:.2f} s ({running} exports still running when "
        f"it answered); exports served {len(served)} "
        f"({', '.join(f'{r[2] // 1024} KB in {r[3]:.1f} s' for r in served)}), refused with 429: {len(refused)}"
    )
    assert status == 200 and "security" in html.lower(), log[-2000:]
    assert len(results) == EXPORTS and len(served) + len(refused) == EXPORTS, results
    assert served and all(r[2] > 10_000 for r in served), results
    assert refused and all(r[1] == "30" for r in refused), results  # 2 run at once; the rest are told to come back
