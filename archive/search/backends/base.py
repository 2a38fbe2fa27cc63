"""What the archive asks of a search backend, declared once; and the pieces every backend shares.

The site never looks at which engine it has: it calls the methods of `SearchBackend` on
`connections["default"].get_backend()` (archive.search.backends.configured), and both engines (whoosh/, postgres.py)
implement all of them. haystack's own commands (`rebuild_index`, `clear_index`) still go through haystack's
`update`, `remove` and `clear`, which each backend routes to the same writer.
"""

import contextlib
import logging
import threading
import time
from collections.abc import Callable, Iterable, Iterator
from contextlib import AbstractContextManager
from dataclasses import dataclass, field
from typing import Any, Protocol, runtime_checkable

from haystack.exceptions import SkipDocument
from haystack.utils import get_identifier

from archive.search.analysis import DEFAULT_LANGUAGE

log = logging.getLogger(__name__)

Sources = Iterable[tuple[Any, Iterable[Any]]]  # (haystack SearchIndex, the model objects to write with it)


class SearchUnavailable(Exception):
    """The search index is missing or cannot be read; the search page answers 503."""


class BackendCannotStart(RuntimeError):
    """The configured backend refuses to start; the message is one line saying why and what to do."""


class IndexLockTimeout(Exception):
    """Another thread or process held the index write lock for longer than we were willing to wait."""


@dataclass
class QueryResult:
    """One page of hits: (django_ct, django_id) pairs in order, the total, and facet counts over all hits."""

    hits: list[tuple[str, str]]
    total: int
    page: int
    facets: dict[str, dict[str, int]] = field(default_factory=dict)


@runtime_checkable
class SearchBackend(Protocol):
    """Everything the archive's code calls on the configured backend."""

    def run_query(
        self, node, page: int = 1, per_page: int = 20, sort: str = "relevance", facets: tuple[str, ...] = ()
    ) -> QueryResult:
        """One page of the hits of a query tree (archive.search.query), sorted by relevance, newest or oldest, with
        counts of each of `facets` over all hits. A page past the end gives the last page. Raises SearchUnavailable
        when the index cannot be read."""

    def count_prefix_words(self, field_name: str, prefix: str, limit: int) -> int | None:
        """How many indexed words of `field_name` start with `prefix`, counted up to `limit`; None when the backend
        cannot tell cheaply (prefixes are then bounded by their number per query alone)."""

    def spelling_corrections(self, words: list[str], max_distance: int = 2) -> dict[str, str]:
        """For each of `words` the index does not know, the nearest known word (ties: the most frequent)."""

    def apply_changes(self, updates: Sources = (), removals: Iterable[str] = (), lock_timeout: float | None = None):
        """Write the documents of `updates` and remove the identifiers `removals` in one commit, under the write
        lock; returns (documents written, identifiers removed)."""

    def build_all(self, sources: Sources, procs: int | None = None) -> int:
        """Write every object of `sources` (a full build), under the write lock; returns documents written."""

    def stored_documents(self) -> Iterator[tuple[str, dict]]:
        """(identifier, stored fields) of every document in the index, for drift checks."""

    def write_lock(self, timeout: float | None = None) -> AbstractContextManager:
        """The one-writer lock: re-entrant within a thread; IndexLockTimeout after `timeout` seconds (None: wait)."""

    def index_exists(self) -> bool:
        """Whether there is an index to search and to apply changes to."""

    def location(self) -> str:
        """Where the index is, for messages (a folder, a table)."""


class WritesThroughApplyChanges:
    """haystack's `update` and `remove` (rebuild_index, update_index --remove, haystack's signal processors) routed
    to the backend's one writer, apply_changes."""

    def update(self, index, iterable, commit=True):
        self.apply_changes(updates=[(index, iterable)])

    def remove(self, obj_or_string, commit=True):
        self.apply_changes(removals=[get_identifier(obj_or_string)])


def record_language(prepared: dict) -> str:
    """The language a prepared document's text is written in: its first `language` facet value (English when it has
    none, as people's and organisations' names)."""
    values = prepared.get("language") or ()
    values = [values] if isinstance(values, str) else list(values)
    return values[0] if values else DEFAULT_LANGUAGE


def prepared_documents(sources: Sources, prepare: Callable, silently_fail: bool):
    """(object, prepare(index, object), or None when the index skips the object) for every object of `sources`.

    An object whose document cannot be prepared is logged and left out (its old document stays), unless
    `silently_fail` is off, when the error propagates.
    """
    for index, objects in sources:
        for obj in objects:
            try:
                doc = prepare(index, obj)
            except SkipDocument:
                doc = None
            except Exception:
                if not silently_fail:
                    raise
                log.exception("Could not prepare %s for the search index", get_identifier(obj))
                continue
            yield obj, doc


_held = threading.local()
LOCK_POLL = 0.01  # seconds between attempts while waiting for a lock with a timeout


@contextlib.contextmanager
def held_exclusively(key: str, acquire: Callable[[bool], bool], release: Callable[[], None], timeout, name: str):
    """Hold a lock shared with other threads and processes, re-entrant within a thread.

    `acquire(blocking)` takes the lock (waiting when `blocking`) and returns whether it got it; `release()` gives it
    back. With `timeout` None it waits as long as it takes; otherwise raises IndexLockTimeout naming `name`.
    """
    depth = _held.__dict__.setdefault("depth", {})
    if depth.get(key):
        depth[key] += 1
        try:
            yield
        finally:
            depth[key] -= 1
        return
    if timeout is None:
        acquire(True)
    else:
        deadline = time.monotonic() + timeout
        while not acquire(False):
            if time.monotonic() >= deadline:
                raise IndexLockTimeout(f"{name} busy for {timeout} s")
            time.sleep(LOCK_POLL)
    depth[key] = 1
    try:
        yield
    finally:
        depth[key] = 0
        release()
