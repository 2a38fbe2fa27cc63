"""A haystack backend on PostgreSQL full-text search: the search index as one table in a PostgreSQL database.

Chosen with SEARCH_URL=postgres://user:pass@host:5432/dbname (see archive/settings/search_url.py). It is what lets
several machines serve one archive without a search server: every web server reads the same table, and the one
writer that applies the index queue (archive/search/indexing.py) can run anywhere, because its lock is a PostgreSQL
advisory lock rather than a file lock.

Why our own: the PyPI backend postgres-fts-backend requires Python >= 3.12 in every release (the archive runs on
3.11), and the archive's search does not go through haystack's query parser anyway: archive.search builds a small
query tree (Match, Keyword, DateSpan, AllOf, AnyOf) and asks the backend for `run_query`, `spelling_corrections`,
`apply_changes` and `stored_documents`, the same interface as archive/search/backends/whoosh/backend.py. haystack's own
`rebuild_index`, `update_index` and `clear_index` work through `update`, `remove` and `clear`.

The table (created on first use, columns added when an index gains a field):

    id, django_ct, django_id    haystack's identifiers
    t_<field>   tsvector        each text field, analysed by the archive's own analyzer (archive_analyzer: the same
                                stop words and stemming as the Whoosh index), so queries, stemming, phrases and
                                highlighting behave exactly as with Whoosh; GIN-indexed
    k_<field>   text[]          each multi-valued field (facets, filters), values kept whole; GIN-indexed
    d_<field>   timestamp       date fields (sorting, date ranges)
    n_<field>   bigint          integer fields (sort position)
    words       tsvector        the unstemmed words of the document field, for spelling suggestions (ts_stat)
    stored      jsonb           stored-only fields (the signature check_index compares)

Ranking is ts_rank over the matched text fields; facets are counted with unnest() over the hits; "Did you mean"
compares the query's words with the indexed words (ts_stat), nearest edit distance, then most frequent.
"""

import contextlib
import datetime
import json
import logging
import re
import zlib

from django.db import DatabaseError, transaction
from django.db import connections as db_connections
from haystack.backends import BaseEngine, BaseSearchBackend, BaseSearchQuery
from haystack.constants import DJANGO_CT, DJANGO_ID, ID
from haystack.utils import get_identifier

from archive.search.analysis import analyze, word_tokens
from archive.search.backends.base import (
    QueryResult,
    SearchUnavailable,
    WritesThroughApplyChanges,
    held_exclusively,
    prepared_documents,
    record_language,
)
from archive.search.query import AllOf, AnyOf, DateSpan, Keyword, Match

log = logging.getLogger(__name__)

MAX_POSITION = 16383  # PostgreSQL's largest tsvector position
MAX_POSITIONS_PER_TERM = 255
_NAME = re.compile(r"[^a-z0-9_]")


def _column(prefix: str, name: str) -> str:
    return f"{prefix}_{_NAME.sub('_', name.lower())}"


def _lexeme(term: str) -> str:
    return "'" + term.replace("\\", "\\\\").replace("'", "''") + "'"


def tsvector_literal(terms: list[str], with_positions: bool = True) -> str:
    """A tsvector in PostgreSQL's input syntax for `terms` in order (positions 1, 2, ... as Whoosh numbers them)."""
    positions: dict[str, list[int]] = {}
    for position, term in enumerate(terms, 1):
        if term:
            positions.setdefault(term, []).append(min(position, MAX_POSITION))
    if not with_positions:
        return " ".join(_lexeme(term) for term in positions)
    parts = []
    for term, places in positions.items():
        places = sorted(set(places))[:MAX_POSITIONS_PER_TERM]
        parts.append(f"{_lexeme(term)}:{','.join(map(str, places))}")
    return " ".join(parts)


def match_tsquery(node: Match) -> str | None:
    """The tsquery (input syntax) for a Match node; None when nothing in it can match."""
    if node.prefix:
        return f"{_lexeme(node.terms[0])}:*"
    terms = node.terms
    if not terms:
        return None
    joiner = " <-> " if node.phrase else " & "
    return joiner.join(_lexeme(term) for term in terms)


class Schema:
    """Which column holds each haystack field."""

    def __init__(self, fields: dict):
        self.text, self.keyword, self.date, self.number, self.stored = {}, {}, {}, {}, []
        self.document_field = "text"
        for field_class in fields.values():
            name = field_class.index_fieldname
            if field_class.document:
                self.document_field = name
            if field_class.is_multivalued:
                self.keyword[name] = _column("k", name)
            elif field_class.field_type in ("date", "datetime"):
                self.date[name] = _column("d", name)
            elif field_class.field_type == "integer":
                self.number[name] = _column("n", name)
            elif not field_class.indexed:
                self.stored.append(name)
            else:
                self.text[name] = _column("t", name)

    def columns(self) -> list[tuple[str, str]]:
        """(column, SQL type) of every field column."""
        return [
            *((c, "tsvector") for c in self.text.values()),
            *((c, "text[]") for c in self.keyword.values()),
            *((c, "timestamp") for c in self.date.values()),
            *((c, "bigint") for c in self.number.values()),
        ]


class PostgresSearchBackend(WritesThroughApplyChanges, BaseSearchBackend):
    """The search index as a table in PostgreSQL; see the module docstring."""

    def __init__(self, connection_alias, **options):
        super().__init__(connection_alias, **options)
        self.database = options.get("DATABASE", "default")
        self.table = _NAME.sub("_", options.get("TABLE", "archive_search_document").lower())
        self.lock_key = zlib.crc32(f"archive-search:{self.table}".encode())
        self.setup_complete = False
        self.schema: Schema | None = None

    # --- Connection, table and lock -------------------------------------------------------------------------------

    @property
    def connection(self):
        return db_connections[self.database]

    def _schema(self) -> Schema:
        if self.schema is None:
            from haystack import connections

            self.schema = Schema(connections[self.connection_alias].get_unified_index().all_searchfields())
        return self.schema

    def setup(self):
        """Create the table and its indexes if missing, and add columns for fields it does not have yet."""
        schema = self._schema()
        table = self.table
        statements = [
            f"CREATE TABLE IF NOT EXISTS {table} (id text PRIMARY KEY, django_ct text NOT NULL, "
            "django_id text NOT NULL, words tsvector, stored jsonb NOT NULL DEFAULT '{}')",
            f"CREATE INDEX IF NOT EXISTS {table}_ct ON {table} (django_ct)",
        ]
        for column, sql_type in schema.columns():
            statements.append(f"ALTER TABLE {table} ADD COLUMN IF NOT EXISTS {column} {sql_type}")
            if sql_type in ("tsvector", "text[]"):
                statements.append(f"CREATE INDEX IF NOT EXISTS {table}_{column} ON {table} USING gin ({column})")
        with transaction.atomic(using=self.database), self.connection.cursor() as cursor:
            # Several processes may start at once; creating the same table concurrently fails without this.
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [self.lock_key + 1])
            for statement in statements:
                cursor.execute(statement)
        self.setup_complete = True

    def index_exists(self) -> bool:
        with self.connection.cursor() as cursor:
            cursor.execute("SELECT to_regclass(%s) IS NOT NULL", [self.table])
            return cursor.fetchone()[0]

    def location(self) -> str:
        return f"the PostgreSQL table {self.table}"

    @contextlib.contextmanager
    def write_lock(self, timeout: float | None = None):
        """The one-writer lock: a PostgreSQL session advisory lock, so it holds across processes and machines.

        Re-entrant within a thread; released by PostgreSQL itself if the process dies. `timeout` None waits as
        long as it takes; otherwise raises IndexLockTimeout.
        """
        connection = self.connection

        def acquire(blocking: bool) -> bool:
            with connection.cursor() as cursor:
                if blocking:
                    cursor.execute("SELECT pg_advisory_lock(%s)", [self.lock_key])
                    return True
                cursor.execute("SELECT pg_try_advisory_lock(%s)", [self.lock_key])
                return cursor.fetchone()[0]

        def release() -> None:
            with contextlib.suppress(DatabaseError), connection.cursor() as cursor:
                cursor.execute("SELECT pg_advisory_unlock(%s)", [self.lock_key])

        key = f"postgres:{self.database}:{self.lock_key}"
        with held_exclusively(key, acquire, release, timeout, f"search index lock {self.lock_key}"):
            yield

    # --- Writing ----------------------------------------------------------------------------------------------------

    def prepare_row(self, index, obj) -> dict:
        """The table row for `obj` (SkipDocument when the index skips it)."""
        doc = index.full_prepare(obj)
        schema = self._schema()
        language = record_language(doc)
        row = {"id": doc[ID], "django_ct": doc[DJANGO_CT], "django_id": str(doc[DJANGO_ID])}
        for name, column in schema.text.items():
            value = doc.get(name)
            row[column] = tsvector_literal(analyze(str(value), language)) if value not in (None, "") else None
        for name, column in schema.keyword.items():
            value = doc.get(name)
            values = value if isinstance(value, (list, tuple, set)) else ([] if value in (None, "") else [value])
            row[column] = sorted({str(v) for v in values if v not in (None, "")})
        for name, column in schema.date.items():
            value = doc.get(name)
            if isinstance(value, datetime.date) and not isinstance(value, datetime.datetime):
                value = datetime.datetime.combine(value, datetime.time.min)
            if isinstance(value, datetime.datetime) and value.tzinfo is not None:
                value = value.replace(tzinfo=None)
            row[column] = value
        for name, column in schema.number.items():
            value = doc.get(name)
            row[column] = int(value) if value not in (None, "") else None
        words = doc.get(schema.document_field) or ""
        row["words"] = tsvector_literal(word_tokens(str(words)), with_positions=False) or None
        row["stored"] = json.dumps({name: doc.get(name) for name in schema.stored}, default=str)
        return row

    def apply_changes(self, updates=(), removals=(), lock_timeout: float | None = None) -> tuple[int, int]:
        """Write documents and remove identifiers in one transaction, holding the write lock.

        `updates` is a sequence of (SearchIndex, iterable of model objects); `removals` haystack identifiers.
        Returns (documents written, identifiers removed).
        """
        rows, skipped = [], []
        for obj, row in prepared_documents(updates, self.prepare_row, self.silently_fail):
            if row is None:
                skipped.append(get_identifier(obj))
            else:
                rows.append(row)
        removals = [*removals, *skipped]
        with self.write_lock(timeout=lock_timeout):
            if not self.setup_complete:
                self.setup()
            with transaction.atomic(using=self.database), self.connection.cursor() as cursor:
                if removals:
                    cursor.execute(f"DELETE FROM {self.table} WHERE id = ANY(%s)", [list(removals)])
                if rows:
                    columns = list(rows[0])
                    casts = dict.fromkeys((*self._schema().text.values(), "words"), "::tsvector") | {
                        "stored": "::jsonb"
                    }
                    placeholders = ", ".join(f"%s{casts.get(c, '')}" for c in columns)
                    updates_sql = ", ".join(f"{c} = EXCLUDED.{c}" for c in columns if c != "id")
                    cursor.executemany(
                        f"INSERT INTO {self.table} ({', '.join(columns)}) VALUES ({placeholders}) "
                        f"ON CONFLICT (id) DO UPDATE SET {updates_sql}",
                        [[row[c] for c in columns] for row in rows],
                    )
        return len(rows), len(removals)

    def build_all(self, sources, procs: int | None = None, batch_size: int = 1000) -> int:
        """Write every object of `sources` in transactions of `batch_size` rows; `procs` is the Whoosh build's and
        means nothing here. Returns documents written."""
        written = 0
        with self.write_lock():
            for index, objects in sources:
                batch = []
                for obj in objects:
                    batch.append(obj)
                    if len(batch) >= batch_size:
                        written += self.apply_changes(updates=[(index, batch)])[0]
                        batch = []
                if batch:
                    written += self.apply_changes(updates=[(index, batch)])[0]
        return written

    def clear(self, models=None, commit=True):
        with self.write_lock():
            if not self.setup_complete:
                self.setup()
            with self.connection.cursor() as cursor:
                if models is None:
                    cursor.execute(f"DELETE FROM {self.table}")
                else:
                    labels = [model._meta.label_lower for model in models]
                    cursor.execute(f"DELETE FROM {self.table} WHERE django_ct = ANY(%s)", [labels])

    def stored_documents(self):
        """(identifier, stored fields) of every document, for drift checks."""
        if not self.index_exists():
            return
        with self.connection.cursor() as cursor:
            cursor.execute(f"SELECT id, stored FROM {self.table}")
            for identifier, stored in cursor.fetchall():
                yield identifier, stored if isinstance(stored, dict) else json.loads(stored or "{}")

    # --- Reading ----------------------------------------------------------------------------------------------------

    def _where(self, node, params: list) -> str | None:
        """SQL for a query tree node (appending its parameters), or None when nothing in it can match."""
        schema = self._schema()
        if isinstance(node, Match):
            query = match_tsquery(node)
            column = schema.text.get(node.field)
            if query is None:
                return None
            if column is None:
                return "FALSE"
            params.append(query)
            return f"coalesce({column} @@ %s::tsquery, FALSE)"
        if isinstance(node, Keyword):
            if node.field == DJANGO_CT:
                params.append(node.value)
                return "django_ct = %s"
            column = schema.keyword.get(node.field)
            if column is None:
                return "FALSE"
            params.append([node.value])
            return f"coalesce({column} @> %s::text[], FALSE)"
        if isinstance(node, DateSpan):
            column = schema.date.get(node.field)
            if column is None:
                return "FALSE"
            parts = []
            if node.start:
                parts.append(f"{column} >= %s")
                params.append(datetime.datetime.combine(node.start, datetime.time.min))
            if node.end:
                parts.append(f"{column} <= %s")
                params.append(datetime.datetime.combine(node.end, datetime.time.max))
            return "(" + " AND ".join(parts) + ")" if parts else f"{column} IS NOT NULL"
        if isinstance(node, AnyOf):
            children = [sql for sql in (self._where(child, params) for child in node.children) if sql is not None]
            if not children:
                return None
            return "(" + " OR ".join(children) + ")"
        if isinstance(node, AllOf):
            children = [sql for sql in (self._where(child, params) for child in node.children) if sql is not None]
            excluded = [sql for sql in (self._where(child, params) for child in node.exclude) if sql is not None]
            if not children and not excluded:
                return None
            parts = children or ["TRUE"]
            parts += [f"NOT coalesce({sql}, FALSE)" for sql in excluded]
            return "(" + " AND ".join(parts) + ")"
        raise TypeError(f"not a query node: {node!r}")

    def _rank(self, node, params: list) -> str:
        """ts_rank summed over the positive text matches of the tree (0 when there are none)."""
        schema = self._schema()
        ranks = []

        def walk(item):
            if isinstance(item, Match):
                query, column = match_tsquery(item), schema.text.get(item.field)
                if query and column:
                    params.append(query)
                    ranks.append(f"ts_rank(coalesce({column}, ''::tsvector), %s::tsquery)")
            elif isinstance(item, (AllOf, AnyOf)):
                for child in item.children:  # excluded clauses do not add to the rank
                    walk(child)

        walk(node)
        return " + ".join(ranks) if ranks else "0"

    def run_query(self, node, page=1, per_page=20, sort="relevance", facets=()) -> QueryResult:
        """Run a query tree and return one page of hits with facet counts over all hits (as the Whoosh backend).

        A `page` past the end returns the last page. Raises SearchUnavailable when the table cannot be read.
        """
        where_params: list = []
        where = self._where(node, where_params)
        if where is None:
            return QueryResult(hits=[], total=0, page=1)
        schema = self._schema()
        date, position = schema.date.get("date"), schema.number.get("position")
        if sort in ("newest", "oldest") and date:
            direction = "DESC" if sort == "newest" else "ASC"
            order = f"{date} {direction} NULLS LAST" + (f", {position} ASC NULLS LAST" if position else "") + ", id"
            rank_sql, rank_params = "0", []
        else:
            rank_params = []
            rank_sql = self._rank(node, rank_params)
            order = "rank DESC" + (f", {date} DESC NULLS LAST" if date else "") + ", id"
        try:
            with transaction.atomic(using=self.database), self.connection.cursor() as cursor:
                cursor.execute(f"SELECT count(*) FROM {self.table} WHERE {where}", where_params)
                total = cursor.fetchone()[0]
                pages = max(1, -(-total // per_page))
                page = min(max(1, page), pages)
                cursor.execute(
                    f"SELECT django_ct, django_id, {rank_sql} AS rank FROM {self.table} WHERE {where} "
                    f"ORDER BY {order} LIMIT %s OFFSET %s",
                    [*rank_params, *where_params, per_page, (page - 1) * per_page],
                )
                hits = [(ct, str(pk)) for ct, pk, _ in cursor.fetchall()]
                counts = {name: {} for name in facets}
                columns = [(name, schema.keyword[name]) for name in facets if name in schema.keyword]
                if total and columns:
                    union = " UNION ALL ".join(
                        f"SELECT %s AS facet, value, count(*) FROM hits, unnest(hits.{column}) AS value GROUP BY value"
                        for _, column in columns
                    )
                    cursor.execute(
                        f"WITH hits AS MATERIALIZED (SELECT {', '.join(c for _, c in columns)} FROM {self.table} "
                        f"WHERE {where}) {union}",
                        [*where_params, *(name for name, _ in columns)],
                    )
                    for name, value, count in cursor.fetchall():
                        counts[name][value] = count
        except DatabaseError as error:
            raise SearchUnavailable(f"the search table {self.table} cannot be read: {error!r}") from error
        return QueryResult(hits=hits, total=total, page=page, facets=counts)

    def count_prefix_words(self, field_name: str, prefix: str, limit: int) -> None:
        """Unknown here: the distinct words of a prefix come only from ts_stat, which reads every row. The search
        layer then bounds prefixes by their number per query alone."""
        return None

    def spelling_corrections(self, words: list[str], max_distance: int = 2) -> dict[str, str]:
        """For each word the index does not know, the known word fewest edits away (same first letter), the most
        frequent of those; words with nothing within `max_distance` edits are left out."""
        try:
            with transaction.atomic(using=self.database), self.connection.cursor() as cursor:
                cursor.execute("SELECT word, ndoc FROM ts_stat(%s)", [f"SELECT words FROM {self.table}"])
                known = dict(cursor.fetchall())
        except DatabaseError as error:
            raise SearchUnavailable(f"the search table {self.table} cannot be read: {error!r}") from error
        corrections = {}
        for word in words:
            if word in known or not word:
                continue
            best = None
            for candidate, frequency in known.items():
                if candidate[:1] != word[:1] or abs(len(candidate) - len(word)) > max_distance:
                    continue
                distance = edit_distance(word, candidate, max_distance)
                if distance <= max_distance:
                    key = (distance, -frequency, candidate)
                    if best is None or key < best[0]:
                        best = (key, candidate)
            if best:
                corrections[word] = best[1]
        return corrections

    # haystack's SearchQuerySet API (the archive's pages do not use it): only what the archive's code needs.
    def search(self, query_string, **kwargs):
        raise NotImplementedError("archive.search.search() is the archive's search API on the PostgreSQL backend")


def edit_distance(a: str, b: str, limit: int) -> int:
    """Levenshtein distance between `a` and `b`, or limit + 1 as soon as it must exceed `limit`."""
    previous = list(range(len(b) + 1))
    for i, char_a in enumerate(a, 1):
        current = [i]
        for j, char_b in enumerate(b, 1):
            current.append(min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (char_a != char_b)))
        if min(current) > limit:
            return limit + 1
        previous = current
    return previous[-1]


class PostgresSearchQuery(BaseSearchQuery):
    """haystack needs a query class; the archive builds its queries itself (archive.search)."""


class PostgresSearchEngine(BaseEngine):
    backend = PostgresSearchBackend
    query = PostgresSearchQuery
