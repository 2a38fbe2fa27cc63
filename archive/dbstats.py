"""Query planner statistics for SQLite.

SQLite's planner knows nothing about how many rows a table or an index holds until ANALYZE has written
`sqlite_stat1`; without it, the organisation page counted its quotations by scanning from every published article
(tens of times slower than with statistics). So the archive runs ANALYZE where the data changes in bulk (after
`migrate` in `manage.py serve`, after a full index build, after an import), and the index worker runs the cheap
`PRAGMA optimize` now and then (it re-analyses only what SQLite thinks has changed). PostgreSQL's autovacuum keeps
its own statistics: on any other database these functions do nothing.
"""

import logging
import threading
import time

from django.db import DEFAULT_DB_ALIAS, connections

log = logging.getLogger(__name__)

OPTIMIZE_INTERVAL = 600.0  # seconds between two PRAGMA optimize runs of the index worker
OPTIMIZE_ANALYSIS_LIMIT = 1000  # rows PRAGMA optimize samples per index: keeps it cheap on a large archive

_lock = threading.Lock()
_last_optimize: dict[str, float] = {}


def _has_statistics(cursor) -> bool:
    cursor.execute("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'sqlite_stat1'")
    if cursor.fetchone() is None:
        return False
    cursor.execute("SELECT 1 FROM sqlite_stat1 LIMIT 1")
    return cursor.fetchone() is not None


def analyze(using: str = DEFAULT_DB_ALIAS) -> bool:
    """Run a full ANALYZE on SQLite (a fraction of a second). Returns False, doing nothing, on other databases."""
    connection = connections[using]
    if connection.vendor != "sqlite":
        return False
    with connection.cursor() as cursor:
        cursor.execute("PRAGMA analysis_limit = 0")
        cursor.execute("ANALYZE")
    return True


def optimize(using: str = DEFAULT_DB_ALIAS, force: bool = False) -> bool:
    """The periodic, cheap upkeep: `PRAGMA optimize` (with a sampling limit) at most every OPTIMIZE_INTERVAL
    seconds; a database that was never analysed gets a full ANALYZE instead (PRAGMA optimize in SQLite < 3.46
    only looks at tables this connection has queried). Returns True when it ran something."""
    connection = connections[using]
    if connection.vendor != "sqlite":
        return False
    key = f"{using}:{connection.settings_dict.get('NAME')}"
    now = time.monotonic()
    with _lock:
        if not force and now - _last_optimize.get(key, -OPTIMIZE_INTERVAL) < OPTIMIZE_INTERVAL:
            return False
        _last_optimize[key] = now
    with connection.cursor() as cursor:
        if not _has_statistics(cursor):
            cursor.execute("PRAGMA analysis_limit = 0")
            cursor.execute("ANALYZE")
        else:
            cursor.execute(f"PRAGMA analysis_limit = {OPTIMIZE_ANALYSIS_LIMIT}")
            cursor.execute("PRAGMA optimize")
    return True


def analyze_quietly(using: str = DEFAULT_DB_ALIAS) -> None:
    """analyze(), logging instead of raising: statistics are an optimisation, never a reason to fail a command."""
    try:
        analyze(using)
    except Exception:
        log.exception("ANALYZE failed; queries still work, only slower")
