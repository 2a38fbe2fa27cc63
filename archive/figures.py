"""Figures over the whole archive (the home page's counts and top lists), kept per process until the data changes.

Counting every public quotation by speaker, organisation and document takes a scan of all of them; the home page
would pay it on every request. Every committed change to an archive record writes rows to the search index queue
(archive.indexing.record_changes, in the change's own transaction), so the queue's id sequence only moves when the
data does: it is the cache key. Deleting the queue rows once the index holds them does not move it back. A change
made behind the ORM's back (raw SQL, bulk updates without signals) is picked up after MAX_AGE seconds at the latest.
"""

import threading
import time

from django.db import connection

MAX_AGE = 300.0
_lock = threading.Lock()
_cache: dict[tuple, tuple[float, object]] = {}


def data_version():
    """The last id handed out to the search index queue, or None where it cannot be read cheaply."""
    from archive.models import PendingIndexUpdate

    table = PendingIndexUpdate._meta.db_table
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":  # AutoField is AUTOINCREMENT on SQLite: sqlite_sequence keeps the high mark
            cursor.execute("SELECT seq FROM sqlite_sequence WHERE name = %s", [table])
        elif connection.vendor == "postgresql":
            cursor.execute("SELECT pg_sequence_last_value(pg_get_serial_sequence(%s, 'id'))", [table])
        else:
            return None
        row = cursor.fetchone()
    return row[0] if row else 0


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


def clear() -> None:
    with _lock:
        _cache.clear()
