"""gunicorn, embedded: how `manage.py serve --workers N` runs the archive in several worker processes.

Equivalent command line, for a process manager that runs gunicorn itself (then run `manage.py index_worker` once
per machine that holds the Whoosh index, next to it):

    gunicorn archive.wsgi -k gthread --workers 4 --threads 8 --bind 127.0.0.1:8000 --timeout 60

Each worker is a separate process with its own database connections and its own open searcher; nothing is loaded
before the fork (no preload), so no connection or open index file is shared between processes. Index changes are
applied by whichever process made them, after commit, under the index lock (archive/search/indexing.py).
"""

import os

from django.conf import settings
from gunicorn.app.base import BaseApplication


def gunicorn_options(bind: str, workers: int, threads: int) -> dict:
    """The gunicorn settings the archive runs with."""
    options = {
        "bind": bind,
        "workers": workers,
        "threads": threads,
        "worker_class": "gthread" if threads > 1 else "sync",
        "timeout": 60,
        "graceful_timeout": 15,
        "keepalive": 5,
        "accesslog": None,
        "errorlog": "-",
        "loglevel": os.environ.get("GUNICORN_LOG_LEVEL", "warning"),
        "proc_name": "archive",
        # Only the TLS proxy's X-Forwarded-* headers are believed (Django reads X-Forwarded-Proto in HTTPS mode).
        "forwarded_allow_ips": settings.ARCHIVE_TRUSTED_PROXY if settings.ARCHIVE_HTTPS else "",
    }
    # Each worker reads what searches keep per index segment in the background as soon as it starts.
    options["post_worker_init"] = warm_up_worker
    if os.path.isdir("/dev/shm"):
        options["worker_tmp_dir"] = "/dev/shm"  # heartbeat files off the disk
    return options


def warm_up_worker(worker) -> None:
    from archive.search import start_warm_up_thread

    start_warm_up_thread()


class ArchiveGunicorn(BaseApplication):
    """gunicorn's arbiter serving archive.wsgi with gunicorn_options(); `.run()` blocks until stopped."""

    def __init__(self, bind: str, workers: int, threads: int):
        self.options = gunicorn_options(bind, workers, threads)
        super().__init__()

    def load_config(self):
        for key, value in self.options.items():
            self.cfg.set(key, value)

    def load(self):
        from archive.wsgi import application

        if settings.ARCHIVE_HTTPS and settings.ARCHIVE_TRUSTED_PROXY:
            return client_address_from_proxy(application, settings.ARCHIVE_TRUSTED_PROXY)
        return application


def client_address_from_proxy(application, proxy: str):
    """WSGI wrapper: for requests from the trusted TLS proxy, REMOTE_ADDR becomes the client address the proxy
    appended to X-Forwarded-For (as waitress does in `serve`), so the failed-login throttle counts by client."""

    def wrapped(environ, start_response):
        forwarded = environ.get("HTTP_X_FORWARDED_FOR", "")
        if forwarded and environ.get("REMOTE_ADDR") == proxy:
            environ["REMOTE_ADDR"] = forwarded.split(",")[-1].strip()
        return application(environ, start_response)

    return wrapped
