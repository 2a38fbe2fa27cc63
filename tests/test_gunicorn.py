"""`manage.py serve --workers N`: gunicorn with several worker processes and one index worker beside them."""

import os
import signal
import time
from pathlib import Path

import pytest

from archive.gunicorn_app import client_address_from_proxy, gunicorn_options
from tests.server_support import archive_env, get, start_server, stop


def group_members(pgid: int) -> list[str]:
    """Command lines of the live processes in a process group."""
    members = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                if os.getpgid(int(entry.name)) == pgid and "(Z" not in (entry / "stat").read_text():
                    members.append((entry / "cmdline").read_text().replace("\x00", " "))
            except (ProcessLookupError, FileNotFoundError, PermissionError):
                continue
    return members


@pytest.mark.slow
def test_serve_with_workers_runs_gunicorn_processes_and_one_index_worker(tmp_path):
    """serve --workers 3 answers from several processes, runs exactly one index_worker, and stops them all on
    SIGTERM."""
    server, port = start_server(archive_env(tmp_path / "data"), "--workers", "3", "--threads", "2")
    try:
        assert get(port, "/")[0] == 200 and get(port, "/search/?q=extremism")[0] == 200
        members = group_members(server.pid)
        assert sum("index_worker" in m for m in members) == 1, members
        assert sum("serve" in m for m in members) == 1 + 3, members  # the gunicorn arbiter and its 3 workers
    finally:
        stop(server, signal.SIGTERM)
    deadline = time.monotonic() + 10
    while group_members(server.pid) and time.monotonic() < deadline:
        time.sleep(0.2)
    assert group_members(server.pid) == []


def test_behind_the_trusted_proxy_the_client_address_is_the_forwarded_one(settings):
    """Requests from the TLS proxy carry the client's address (for the login throttle); others cannot forge it."""
    seen = []
    app = client_address_from_proxy(lambda environ, start: seen.append(environ["REMOTE_ADDR"]) or [], "10.0.0.5")
    app({"REMOTE_ADDR": "10.0.0.5", "HTTP_X_FORWARDED_FOR": "198.51.100.7, 203.0.113.9"}, None)
    app({"REMOTE_ADDR": "192.0.2.1", "HTTP_X_FORWARDED_FOR": "203.0.113.9"}, None)
    assert seen == ["203.0.113.9", "192.0.2.1"]
    settings.ARCHIVE_HTTPS, settings.ARCHIVE_TRUSTED_PROXY = True, "10.0.0.5"
    options = gunicorn_options("127.0.0.1:8000", workers=4, threads=8)
    assert options["worker_class"] == "gthread" and options["forwarded_allow_ips"] == "10.0.0.5"
