"""The archive's data version: a counter that moves with every change to an archive record.

Rendered pages (archive/page_cache.py) and the home page's figures (archive/figures.py) are kept per version, so one
change makes all of them stale at once. The version also carries the publication time of the newest article readers
can see, so an embargoed article's time coming makes them stale too. `bump()` is called for every row the index
queue records (archive.search.indexing, from the models' signals), in the change's own transaction; the counter
itself has nothing to do with the queue.

- SQLite: one row (archive.models.DataVersion), updated in the change's transaction, so the version moves exactly
  when the change commits. SQLite has one writer at a time anyway, so the row costs no concurrency.
- PostgreSQL: a sequence, moved with nextval() so concurrent edits never wait on each other. It moves when the change
  is made, not when it commits: a page rendered in between is kept under the new version with the old data, until
  the next change or MAX_AGE (archive/figures.py).
- Other databases: no version (None), and nothing is cached.

A change made behind the ORM's back (raw SQL, bulk updates without signals) does not move it; call
archive.search.indexing.record_changes for those records (README, "Keeping the index in step").
"""

from django.db import DEFAULT_DB_ALIAS, connections

SEQUENCE = "archive_data_version"  # PostgreSQL (created by migration 0010)
TABLE = "archive_dataversion"  # SQLite: the DataVersion row, id 1


def current(using: str = DEFAULT_DB_ALIAS) -> str | None:
    """The version now, or None where the database has no counter: the counter, with the publication time of the
    newest article readers can see (which moves without any change being made when an embargoed article's time
    comes). One query: the first a cached page costs."""
    from archive.models import Article

    connection = connections[using]
    if connection.vendor == "sqlite":
        counter = f"SELECT value FROM {TABLE} WHERE id = 1"
    elif connection.vendor == "postgresql":
        counter = f"SELECT CASE WHEN is_called THEN last_value ELSE 0 END FROM {SEQUENCE}"
    else:
        return None
    # One seek on the (status, published_at) index.
    newest = Article.objects.using(using).published().order_by("-published_at").values("published_at")[:1]
    newest_sql, newest_params = newest.query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT ({counter}), ({newest_sql})", newest_params)
        value, published_at = cursor.fetchone()
    return f"{value or 0}.{''.join(ch for ch in str(published_at or 0) if ch.isdigit())}"


def bump(using: str = DEFAULT_DB_ALIAS) -> None:
    """Move the version on, in the current transaction (SQLite) or at once (PostgreSQL)."""
    connection = connections[using]
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute(f"UPDATE {TABLE} SET value = value + 1 WHERE id = 1")
            if cursor.rowcount == 0:  # a database emptied by flush (tests): the row comes back
                cursor.execute(f"INSERT OR IGNORE INTO {TABLE} (id, value) VALUES (1, 1)")
        elif connection.vendor == "postgresql":
            cursor.execute(f"SELECT nextval('{SEQUENCE}')")
