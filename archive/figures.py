"""Figures over the whole archive (the home page's counts and top lists), kept per process until the data changes.

Counting every public quotation by speaker, organisation and document takes a scan of all of them; the home page
would pay it on every request. The figures are kept per data version (archive/data_version.py), which every
committed change to an archive record moves, and so does an embargoed article's publication time coming. A change
made behind the ORM's back (raw SQL, bulk updates without signals) is picked up after MAX_AGE seconds at the latest.

Recomputing in the request that finds the figures out of date would make the first reader after every edit wait
for the scans, so `cached_or_refreshing` keeps serving the figures of the last version while one recompute runs in
a background thread (stale-while-revalidate):

- single flight: at most one recompute per name per process at a time; readers meanwhile get the previous figures;
- bounded staleness: from the first request that finds the figures out of date, previous figures are served for
  at most STALE_FOR seconds; a request after that (a recompute failed or takes too long) computes them itself and
  waits. Each finished recompute resets the clock, so figures lag a run of edits by about one recompute, not more;
- no previous figures (a new process, or after clear()): the request computes them itself;
- callers are told whether what they got is current, so a page showing lagging figures is not stored as the
  page of the new version (archive.page_cache.keep_out_of_cache).

Only whole-archive aggregates that may lag an edit by a few seconds belong here (counts, top lists, years); what a
reader expects to see at once after an edit, such as the latest articles, is read fresh on each render.
"""

import threading
import time
from dataclasses import dataclass

from django.db import connection, connections

from archive.data_version import current as data_version

MAX_AGE = 300.0
STALE_FOR = 5.0
REFRESH_DELAY = 0.1
_lock = threading.Lock()


@dataclass
class _Figures:
    version: object
    computed_at: float  # time.monotonic() when the computation started
    value: object


_latest: dict[tuple, _Figures] = {}  # per (alias, database, name): the newest figures computed, of any version
_stale_since: dict[tuple, float] = {}
_refreshing: set[tuple] = set()


def start_thread(refresh) -> None:
    """Run refresh() in a daemon thread that closes its own database connection when done. It starts REFRESH_DELAY
    seconds later, so that the request which started it (rendering the page with the previous figures) is not
    slowed by it: in CPython the two would take turns on one core."""

    def run():
        try:
            refresh()
        finally:
            connections.close_all()  # this thread's connections only

    timer = threading.Timer(REFRESH_DELAY, run)
    timer.name = "archive-figures-refresh"
    timer.daemon = True
    timer.start()


# How a recompute is started; the tests swap in one that runs it at once, or one that holds it back.
run_in_background = start_thread


def cached_or_refreshing(name: str, compute) -> tuple[object, bool]:
    """(figures, current): compute()'s value for the archive as it is now, or, while one background recompute
    runs, the previous version's for at most STALE_FOR seconds (see the module docstring). `current` is False
    when the figures may lag the data."""
    version = data_version()
    if version is None:
        return compute(), True
    base = (connection.alias, connection.settings_dict.get("NAME"), name)
    now = time.monotonic()
    entry = _latest.get(base)
    if entry is not None and entry.version == version and now - entry.computed_at < MAX_AGE:
        return entry.value, True
    if entry is not None:
        with _lock:
            since = _stale_since.setdefault(base, now)
            serve_stale = now - since < STALE_FOR
            start = serve_stale and base not in _refreshing
            if start:
                _refreshing.add(base)
        if serve_stale:
            if start:
                run_in_background(lambda: _refresh(base, compute))
            entry = _latest[base]  # a recompute run at once (tests) is served at once
            return entry.value, entry.version == version
    value = compute()
    _store(base, _Figures(version, now, value))
    return value, True


def _refresh(base: tuple, compute) -> None:
    try:
        started = time.monotonic()
        version = data_version()  # read before computing: the figures are at least as new as this version
        _store(base, _Figures(version, started, compute()))
    finally:
        with _lock:
            _refreshing.discard(base)


def _store(base: tuple, figures: _Figures) -> None:
    with _lock:
        previous = _latest.get(base)
        if previous is None or previous.computed_at <= figures.computed_at:
            _latest[base] = figures
            _stale_since.pop(base, None)


def clear() -> None:
    with _lock:
        _latest.clear()
        _stale_since.clear()
        _refreshing.clear()
