"""Figures over the whole archive (the home page's counts and top lists), kept per process until the data changes.

Counting every public quotation by speaker, organisation and document takes a scan of all of them; the home page
would pay it on every request. Every committed change to an archive record writes rows to the search index queue
(archive.indexing.record_changes, in the change's own transaction), so the queue's id sequence only moves when the
data does: it is the cache key, with the publication time of the newest article readers can see, which moves when
an embargoed article's time comes. Deleting the queue rows once the index holds them does not move it back. A change
made behind the ORM's back (raw SQL, bulk updates without signals) is picked up after MAX_AGE seconds at the latest.

`cached` computes the figures again in the request that finds them out of date. At 20,000 articles that is about
200 ms of scans, and every edit empties the cache, so `cached_or_refreshing` instead keeps serving the figures
of the last version while one recompute runs in a background thread (stale-while-revalidate):

- single flight: at most one recompute per name per process at a time; readers meanwhile get the previous figures;
- bounded staleness: from the first request that finds the figures out of date, previous figures are served for
  at most STALE_FOR seconds; a request after that (a recompute failed or takes too long) computes them itself and
  waits. Each finished recompute resets the clock, so figures lag a run of edits by about one recompute, not more;
- no previous figures (a new process, or after clear()): the request computes them itself, as `cached` does;
- callers are told whether what they got is current, so a page showing lagging figures is not stored as the
  page of the new version (archive.page_cache.keep_out_of_cache).

Only whole-archive aggregates that may lag an edit by a few seconds belong here (counts, top lists, years); what a
reader expects to see at once after an edit, such as the latest articles, is read fresh on each render.
"""

import threading
import time
from dataclasses import dataclass

from django.db import connection, connections

MAX_AGE = 300.0
STALE_FOR = 5.0
REFRESH_DELAY = 0.1
_lock = threading.Lock()
_cache: dict[tuple, tuple[float, object]] = {}


@dataclass
class _Figures:
    version: object
    computed_at: float  # time.monotonic() when the computation started
    value: object


_latest: dict[tuple, _Figures] = {}  # per (alias, database, name): the newest figures computed, of any version
_stale_since: dict[tuple, float] = {}
_refreshing: set[tuple] = set()


def data_version():
    """The last id handed out to the search index queue, with the publication time of the newest article readers
    can see (which moves, without any commit, when an embargoed article's time comes), or None where it cannot be
    read cheaply. One query: the first a cached page costs."""
    from archive.models import Article, PendingIndexUpdate

    table = PendingIndexUpdate._meta.db_table
    if connection.vendor == "sqlite":  # AutoField is AUTOINCREMENT on SQLite: sqlite_sequence keeps the high mark
        sequence = "SELECT seq FROM sqlite_sequence WHERE name = %s"
    elif connection.vendor == "postgresql":
        sequence = "SELECT pg_sequence_last_value(pg_get_serial_sequence(%s, 'id'))"
    else:
        return None
    # One seek on the (status, published_at) index.
    newest = Article.objects.published().order_by("-published_at").values("published_at")[:1]
    newest_sql, newest_params = newest.query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT ({sequence}), ({newest_sql})", [table, *newest_params])
        sequence_value, published_at = cursor.fetchone()
    return f"{sequence_value or 0}.{''.join(ch for ch in str(published_at or 0) if ch.isdigit())}"


def cached(name: str, compute):
    """compute() for the archive as it is now, reused while no change has been committed since."""
    version = data_version()
    if version is None:
        return compute()
    key = (connection.alias, connection.settings_dict.get("NAME"), name, version)
    now = time.monotonic()
    hit = _cache.get(key)
    if hit is not None and now - hit[0] < MAX_AGE:
        return hit[1]
    value = compute()
    with _lock:
        for old in [k for k in _cache if k[:3] == key[:3]]:
            del _cache[old]
        _cache[key] = (now, value)
    return value


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
        _cache.clear()
        _latest.clear()
        _stale_since.clear()
        _refreshing.clear()
