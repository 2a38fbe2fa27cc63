"""The Whoosh engine: haystack's Whoosh backend with the archive's schema, one writer at a time, one searcher per
process, and searches evaluated on arrays.

haystack keeps doing what it does well (the SearchIndex classes, `rebuild_index`, `clear_index`); this subclass
implements the archive's backend interface (archive/search/backends/base.py):

- Schema (schema.py): text analysed as archive.search.analysis says; facet values kept whole in list columns.
- Writes (`apply_changes`, `build_all`, and haystack's `update`, `remove`, `clear`) hold `index_write_lock()`, an
  exclusive fcntl.flock on `<index>.lock` next to the index, so there is exactly one writer across threads and
  processes; removals raise instead of being swallowed, and a batch opens one searcher instead of one per document
  (Whoosh issue 531). A full build (build.py) uses one writer and one commit.
- Reads (`run_query`) use one open searcher per process, reopened only when the index on disk changed, and are
  evaluated by arrays.py (numpy arrays over Whoosh's postings: hits, BM25F scores, sorting and facet counts without
  a Python call per matching document). Access is serialised by a lock (Whoosh's searchers are not documented as
  thread-safe, and searching is CPU-bound under the GIL anyway). A missing or unreadable index raises
  `SearchUnavailable` rather than being silently re-created.
- Creating the backend installs the build's patches of Whoosh (patches.py), after checking Whoosh's version.
"""

import contextlib
import datetime
import fcntl
import itertools
import os
import threading
from dataclasses import dataclass
from pathlib import Path

from haystack.backends.whoosh_backend import WhooshEngine, WhooshSearchBackend
from haystack.constants import DJANGO_CT, DJANGO_ID, ID
from haystack.utils import get_identifier
from whoosh import index as whoosh_index
from whoosh import query
from whoosh.filedb.filestore import FileStorage

from archive.search.analysis import LanguageText
from archive.search.backends.base import (
    QueryResult,
    SearchUnavailable,
    WritesThroughApplyChanges,
    held_exclusively,
    prepared_documents,
    record_language,
)
from archive.search.backends.whoosh import arrays, build, patches, schema
from archive.search.query import AllOf, AnyOf, DateSpan, Keyword, Match

WRITER_TIMEOUT = build.WRITER_TIMEOUT


# --- The single writer -----------------------------------------------------------------------------------------


def lock_path_for(index_path: str | os.PathLike) -> Path:
    """The lock file next to the index folder (not inside: rebuild_index deletes the folder)."""
    return Path(str(index_path).rstrip("/") + ".lock")


@contextlib.contextmanager
def index_write_lock(index_path: str | os.PathLike, timeout: float | None = None):
    """Hold the exclusive write lock of the index at `index_path`.

    fcntl.flock on a separate open file, so it excludes other threads of this process as well as other processes
    on this machine (flock is local to one machine: see README, "Keeping the index in step"). Re-entrant within a
    thread. `timeout` None waits as long as it takes; otherwise raises IndexLockTimeout.
    """
    path = lock_path_for(index_path)
    fd = None

    def acquire(blocking: bool) -> bool:
        nonlocal fd
        if fd is None:
            path.parent.mkdir(parents=True, exist_ok=True)
            fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o644)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX if blocking else fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            return False
        return True

    try:
        with held_exclusively(
            str(index_path), acquire, lambda: fcntl.flock(fd, fcntl.LOCK_UN), timeout, f"index write lock {path}"
        ):
            yield
    finally:
        if fd is not None:
            os.close(fd)


# --- One searcher per process ----------------------------------------------------------------------------------


@dataclass
class _OpenIndex:
    path: str
    inode: int
    searcher: object


_reader_lock = threading.Lock()
_open: _OpenIndex | None = None


@contextlib.contextmanager
def shared_searcher(index_path: str):
    """The process's one open searcher of the index at `index_path`, held exclusively while in use.

    Reopened only when the index changed on disk (a new generation, or a new folder after rebuild_index).
    Raises SearchUnavailable when there is no readable index.
    """
    global _open
    with _reader_lock:
        try:
            inode = os.stat(index_path).st_ino
            if _open is not None and _open.path == index_path and _open.inode == inode:
                _open.searcher = _open.searcher.refresh()
            else:
                if _open is not None:
                    with contextlib.suppress(Exception):
                        _open.searcher.close()
                    _open = None
                # No mmap: a segment file truncated or replaced under an open mapping would kill the whole server
                # process with SIGBUS; read through plain files it raises, and the search page answers 503.
                storage = FileStorage(index_path, supports_mmap=False, readonly=True)
                _open = _OpenIndex(index_path, inode, storage.open_index().searcher())
        except Exception as error:  # a missing folder, no TOC, truncated or garbled files: all mean "unavailable"
            _open = None
            raise SearchUnavailable(f"the search index at {index_path} cannot be opened: {error!r}") from error
        yield _open.searcher


def _forget_unlocked() -> None:
    """Close the open searcher; the caller holds _reader_lock (the next search opens the index afresh)."""
    global _open
    if _open is not None:
        with contextlib.suppress(Exception):
            _open.searcher.close()
    _open = None


# --- Query trees -> Whoosh queries -----------------------------------------------------------------------------


def to_whoosh(node) -> query.Query | None:
    """The Whoosh query for a query tree; None when nothing in it can match (e.g. only stop words)."""
    if isinstance(node, Match):
        if node.prefix:
            return query.Prefix(node.field, node.terms[0])
        terms = node.terms
        if not terms:
            return None
        if len(terms) == 1:
            return query.Term(node.field, terms[0])
        if node.phrase:
            return query.Phrase(node.field, list(terms))
        return query.And([query.Term(node.field, term) for term in terms])
    if isinstance(node, Keyword):
        return query.Term(node.field, node.value)
    if isinstance(node, DateSpan):
        start = datetime.datetime.combine(node.start, datetime.time.min) if node.start else None
        end = datetime.datetime.combine(node.end, datetime.time.max) if node.end else None
        return query.DateRange(node.field, start, end)
    if isinstance(node, AnyOf):
        children = [q for q in map(to_whoosh, node.children) if q is not None]
        if not children:
            return None
        return children[0] if len(children) == 1 else query.Or(children)
    if isinstance(node, AllOf):
        children = [q for q in map(to_whoosh, node.children) if q is not None]
        excluded = [q for q in map(to_whoosh, node.exclude) if q is not None]
        if not children:
            if not excluded:
                return None
            children = [query.Every()]
        positive = children[0] if len(children) == 1 else query.And(children)
        if excluded:
            return query.AndNot(positive, excluded[0] if len(excluded) == 1 else query.Or(excluded))
        return positive
    raise TypeError(f"not a query node: {node!r}")


# --- The backend -------------------------------------------------------------------------------------------------


class ArchiveWhooshSearchBackend(WritesThroughApplyChanges, WhooshSearchBackend):
    """haystack's Whoosh backend with the archive's schema, a single serialised writer and a shared searcher."""

    BUILD_PROCS = build.BUILD_PROCS  # the class attributes tests and callers have always set
    BUILD_LIMITMB = build.BUILD_LIMITMB

    def __init__(self, connection_alias, **connection_options):
        patches.install()  # raises WhooshVersionError, and the backend does not start, on another Whoosh version
        super().__init__(connection_alias, **connection_options)

    def build_schema(self, fields):
        return schema.build_schema(fields)

    def setup(self):
        super().setup()
        if self.use_file_storage:
            # Plain file reads instead of mmap, for the writer as for readers (see shared_searcher).
            self.storage.supports_mmap = False

    def location(self) -> str:
        return self.path

    def index_exists(self) -> bool:
        return whoosh_index.exists_in(self.path)

    def write_lock(self, timeout: float | None = None):
        return index_write_lock(self.path, timeout=timeout)

    # Writing: everything goes through apply_changes or build_all, under the write lock.

    def clear(self, models=None, commit=True):
        with self.write_lock():
            if models is None:
                # Clearing everything deletes the folder and starts afresh, without opening the old index first
                # (haystack's clear() opens it, which fails on a corrupted index: rebuild_index is the way out).
                self.delete_index()
                return
            super().clear(models=models, commit=commit)

    def prepare_document(self, index, obj) -> dict:
        """The Whoosh document for `obj` (SkipDocument when the index skips it)."""
        prepared = index.full_prepare(obj)
        doc = {key: self._from_python(value) for key, value in prepared.items()}
        doc.pop("boost", None)
        language = record_language(prepared)
        for name, value in doc.items():
            if isinstance(value, str) and name in self.schema and isinstance(self.schema[name], schema.ArchiveText):
                doc[name] = LanguageText(value, language)
        return doc

    def prepared_documents(self, sources):
        """(object, its document or None when the index skips it) for every object of `sources`."""
        return prepared_documents(sources, self.prepare_document, self.silently_fail)

    def open_for_writing(self):
        """The index, created when missing, refreshed to its latest generation; the caller holds the write lock."""
        if not self.setup_complete or not self.index_exists():
            self.setup()  # creates the folder and an empty index when they are missing
        self.index = self.index.refresh()
        return self.index

    def apply_changes(self, updates=(), removals=(), lock_timeout: float | None = None) -> tuple[int, int]:
        """Write documents and remove identifiers in one Whoosh commit, holding the index write lock.

        `updates` is a sequence of (SearchIndex, iterable of model objects); `removals` haystack identifiers
        ("archive.quotation.12"). An object whose document cannot be prepared is logged and skipped (its old
        document stays) unless SILENTLY_FAIL is off. Returns (documents written, identifiers removed).
        """
        with self.write_lock(timeout=lock_timeout):
            writer = self.open_for_writing().writer(timeout=WRITER_TIMEOUT)
            written = removed = 0
            try:
                # One searcher for the whole batch: Whoosh's update_document opens one per document.
                searcher = writer.searcher()
                try:
                    for identifier in removals:
                        writer.delete_by_term(ID, identifier, searcher=searcher)
                        removed += 1
                    for obj, doc in self.prepared_documents(updates):
                        writer.delete_by_term(ID, get_identifier(obj), searcher=searcher)
                        if doc is not None:
                            writer.add_document(**doc)
                            written += 1
                finally:
                    searcher.close()
                writer.commit()
            except BaseException:
                writer.cancel()
                raise
        return written, removed

    def build_all(self, sources, procs: int | None = None, limitmb: int | None = None) -> int:
        """Write every object of `sources` with one writer and one commit (build.py); returns documents written."""
        procs = self.BUILD_PROCS if procs is None else procs
        limitmb = self.BUILD_LIMITMB if limitmb is None else limitmb
        with self.write_lock():
            return build.write_everything(self, sources, procs, limitmb)

    def stored_documents(self):
        """(identifier, stored fields) of every live document, for drift checks. Reads the index as it is now."""
        if not self.index_exists():
            return
        ix = whoosh_index.open_dir(self.path)
        with ix.reader() as reader:
            for fields in reader.all_stored_fields():
                yield fields[ID], fields

    # Reading.

    def run_query(
        self,
        node,
        page: int = 1,
        per_page: int = 20,
        sort: str = "relevance",
        facets: tuple[str, ...] = (),
    ) -> QueryResult:
        """Run a query tree (see to_whoosh) and return one page of hits with facet counts over all hits.

        `sort` is relevance, newest or oldest (by the `date` field, then `position`). A `page` past the end
        returns the last page (QueryResult.page says which). Raises SearchUnavailable if the index cannot be read.
        """
        whoosh_query = to_whoosh(node)
        if whoosh_query is None:
            return QueryResult(hits=[], total=0, page=1)
        with shared_searcher(self.path) as searcher:
            try:
                found = arrays.run(searcher, whoosh_query, max(1, page), per_page, sort, facets)
                hits = [(fields[DJANGO_CT], fields[DJANGO_ID]) for fields in map(searcher.stored_fields, found.docnums)]
            except Exception as error:  # a field an old index lacks; a segment corrupted under the open searcher
                _forget_unlocked()
                raise SearchUnavailable(f"the search index cannot answer this query: {error!r}") from error
            return QueryResult(hits=hits, total=found.total, page=found.page, facets=found.facets)

    def count_prefix_words(self, field_name: str, prefix: str, limit: int) -> int:
        """How many indexed words of `field_name` start with `prefix`, counted up to `limit` (a term-dictionary walk,
        no postings read)."""
        with shared_searcher(self.path) as searcher:
            return sum(1 for _ in itertools.islice(searcher.reader().expand_prefix(field_name, prefix), limit))

    def spelling_corrections(self, words: list[str], max_distance: int = 2) -> dict[str, str]:
        """For each word the index does not know, the known word (unstemmed) fewest edits away, the most frequent
        of those; words with no known word within `max_distance` edits are left out.

        Whoosh 2.7's own Corrector ranks every candidate within the maximum distance by frequency alone, so
        "extremsm" would become "extremist" (2 edits) rather than "extremism" (1 edit). A word's frequency in the
        spelling field is the number of documents with it (see SpelledText: one posting per document of weight 1, or
        after build_all one posting whose weight is the count).
        """
        corrections = {}
        with shared_searcher(self.path) as searcher:
            reader = searcher.reader()
            spell_field = searcher.schema["text"].spelling_fieldname("text")
            for word in words:
                if (spell_field, word) in reader:
                    continue
                for distance in range(1, max_distance + 1):
                    candidates = [c for c in reader.terms_within(spell_field, word, distance, prefix=1) if c != word]
                    if candidates:
                        corrections[word] = max(candidates, key=lambda c: (reader.frequency(spell_field, c), c))
                        break
        return corrections


class ArchiveWhooshEngine(WhooshEngine):
    backend = ArchiveWhooshSearchBackend
