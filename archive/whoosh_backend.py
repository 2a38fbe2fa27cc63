"""The archive's thin layer over haystack's Whoosh backend: schema, one writer at a time, one searcher per process.

haystack keeps doing what it does well (the SearchIndex classes, `rebuild_index`, `update_index`,
SearchQuerySet); this subclass changes what the stack notes measured as wasteful or unsafe:

- Schema: text fields use `archive_analyzer()` (English stemming that also folds -ist into -ism, so "extremist"
  meets "extremism"); MultiValueFields become `FacetKeyword` fields that keep values whole and store them in a
  list column, so facet counts read a column instead of stored documents; text fields get no sortable copy.
- Writes (`update`, `remove`, `clear`, `apply_changes`) hold `index_write_lock()`, an exclusive fcntl.flock on
  `<index>.lock` next to the index, so there is exactly one writer across threads and processes; removals raise
  instead of being swallowed, and a batch opens one searcher instead of one per document (Whoosh issue 531).
- Reads (`run_query`) use one open searcher per process, reopened only when the index on disk changed, and are
  evaluated by archive.whoosh_arrays (numpy arrays over Whoosh's postings: hits, BM25F scores, sorting and facet
  counts without a Python call per matching document). Access is serialised by a lock (Whoosh's searchers are
  not documented as thread-safe, and searching is CPU-bound under the GIL anyway). A missing or unreadable index
  raises `SearchUnavailable` rather than being silently re-created.

The query objects it runs are built by archive.search (a small tree of `Match`, `Keyword`, `DateSpan`, `AllOf`,
`AnyOf`), translated here, so the search code does not depend on Whoosh's query parser or its syntax errors.
"""

import collections
import contextlib
import datetime
import fcntl
import functools
import itertools
import logging
import os
import pickle
import re
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

from haystack.backends.whoosh_backend import WhooshEngine, WhooshSearchBackend
from haystack.constants import DJANGO_CT, DJANGO_ID, ID
from haystack.exceptions import SearchBackendError, SkipDocument
from haystack.utils import get_identifier
from whoosh import columns, query
from whoosh import index as whoosh_index
from whoosh.analysis import STOP_WORDS, LowercaseFilter, RegexTokenizer, StemFilter, StopFilter
from whoosh.codec.whoosh3 import LENGTHS_COLUMN, W3PerDocReader, _lenfield
from whoosh.fields import DATETIME, KEYWORD, NUMERIC, STORED, TEXT, Schema
from whoosh.fields import ID as WHOOSH_ID
from whoosh.filedb.filestore import FileStorage
from whoosh.formats import Positions
from whoosh.lang.porter import stem as porter_stem
from whoosh.util.numeric import byte_to_length
from whoosh.writing import PostingPool, SegmentWriter

from archive import whoosh_arrays

log = logging.getLogger(__name__)

WRITER_TIMEOUT = 60.0  # seconds to wait for Whoosh's own WRITELOCK (only held by a foreign writer)


# --- Text analysis -------------------------------------------------------------------------------------------


@functools.lru_cache(maxsize=2**17)
def archive_stem(word: str) -> str:
    """Porter stemming, plus -ist/-ists folded into -ism first, so extremist/extremism and terrorist/terrorism meet.

    Only words with at least five letters before the suffix are folded, which leaves insist, resist, assist,
    consist and persist alone.
    """
    for suffix in ("ists", "ist"):
        if word.endswith(suffix) and len(word) - len(suffix) >= 5:
            word = word[: -len(suffix)] + "ism"
            break
    return porter_stem(word)


def archive_analyzer():
    """The analyzer of every text field: words, lower case, English stop words removed, stemmed by archive_stem.

    archive_stem keeps its own (C) LRU cache, so the StemFilter keeps none: Whoosh's default 50,000-word LFU cache is
    pure Python and counts every use (~7% of a full build's time).
    """
    return RegexTokenizer() | LowercaseFilter() | StopFilter() | StemFilter(stemfn=archive_stem, cachesize=None)


_ANALYZER = archive_analyzer()
_ANALYZER_LOCK = threading.Lock()  # Whoosh analyzers reuse one Token object: not safe to share across threads


def analyze(text: str) -> list[str]:
    """The index terms `text` produces in a text field, in order (stop words dropped, words stemmed)."""
    with _ANALYZER_LOCK:
        return [token.text for token in _ANALYZER(text or "", mode="query")]


def analyze_with_positions(text: str) -> list[tuple[str, int, int]]:
    """(term, start, end) for each indexable word of `text`, offsets into `text`: what highlighting needs."""
    with _ANALYZER_LOCK:
        return [(t.text, t.startchar, t.endchar) for t in _ANALYZER(text or "", chars=True, mode="query")]


def word_tokens(text: str) -> list[str]:
    """Lower-cased words of `text` without stemming or stop words (prefix searches and spelling)."""
    with _ANALYZER_LOCK:
        return [t.text for t in (RegexTokenizer() | LowercaseFilter())(text or "")]


_WORD = re.compile(r"\w+(\.?\w+)*")  # RegexTokenizer's default pattern
_STOP_WORDS = frozenset(STOP_WORDS)
_bulk_spelling: collections.Counter | None = None  # set by build_all: spelling words counted, not posted


def spelling_words(text: str) -> set[str]:
    """The words a text field with spelling puts in its spelling field: archive_analyzer without the stemming (what
    Whoosh's `spellable_words` gives), without building a Token per word."""
    return {w for w in (m.group().lower() for m in _WORD.finditer(text)) if len(w) >= 2 and w not in _STOP_WORDS}


class ArchiveText(TEXT):
    """A text field analysed by archive_analyzer, indexed without Whoosh's Token pipeline.

    `index` gives exactly what TEXT.index gives with archive_analyzer (terms, frequencies, weights, positions
    numbered as StopFilter renumbers them: the first kept word keeps its place, the next ones follow on; tested),
    in one loop instead of a generator per filter and a Token per word: analysis was a third of a full build.
    Searching, highlighting and query parsing still go through the analyzer.
    """

    def index(self, value, **kwargs):
        if not isinstance(value, str) or set(kwargs) - {"mode"} or type(self.format) is not Positions:
            yield from super().index(value, **kwargs)
            return
        positions = {}
        first = None
        kept = 0
        for place, match in enumerate(_WORD.finditer(value)):
            word = match.group().lower()
            if len(word) < 2 or word in _STOP_WORDS:
                continue
            if first is None:
                first = place
            positions.setdefault(archive_stem(word), []).append(first + kept)
            kept += 1
        boost = self.format.field_boost
        encode = self.format.encode
        for term, places in positions.items():
            yield term.encode("utf-8"), len(places), float(len(places)) * boost, encode(places)


class SpelledText(ArchiveText):
    """A text field with a spelling field (spell_<name>), written more cheaply.

    Whoosh posts every distinct word of every document to the spelling field with weight 1 (all on document 0):
    43% of a full build's postings. During build_all the words are counted instead, and each word is posted once,
    with its count as the weight, when the segment is finished; spelling_corrections ranks by that weight (the
    same figure either way).
    """

    def spellable_words(self, value):
        if isinstance(value, (list, tuple)):
            return super().spellable_words(value)
        words = spelling_words(value)
        if _bulk_spelling is not None:
            _bulk_spelling.update(words)
            return ()
        return iter(sorted(words))


class _LengthsInMemory:
    """A new segment's field lengths for writing its postings, each field's column read once into memory (Whoosh
    reads the length of every posting's document from the file: a seek and an unpack each, ~10% of a build)."""

    def __init__(self, perdoc):
        self.perdoc = perdoc
        self.columns = {}

    def doc_field_length(self, docnum, fieldname, default=0):
        column = self.columns.get(fieldname)
        if column is None:
            reader = self.perdoc._cached_reader(_lenfield(fieldname), LENGTHS_COLUMN)
            column = self.columns[fieldname] = reader.load() if reader is not None else ()
        if not column:
            return default
        lbyte = column[docnum]
        return byte_to_length(lbyte) if lbyte else None  # as W3PerDocReader.doc_field_length


def _flush_segment(self):
    """SegmentWriter._flush_segment, posting first the spelling words build_all counted in this process, and with
    the new segment's field lengths in memory."""
    self.perdocwriter.close()
    if _bulk_spelling:
        for name, field_object in self.schema.items():
            if isinstance(field_object, SpelledText):
                spell_field = field_object.spelling_fieldname(name)
                for word, count in _bulk_spelling.items():
                    self.pool.add((spell_field, word.encode("utf-8"), 0, float(count), b""))
        _bulk_spelling.clear()
    perdoc = self.per_document_reader() if self.codec.length_stats else None
    self.fieldwriter.add_postings(self.schema, perdoc and _LengthsInMemory(perdoc), self.pool.iter_postings())
    self.fieldwriter.close()
    if perdoc:
        perdoc.close()


SegmentWriter._flush_segment = _flush_segment


def _write_run_chunked(self, f, items):
    """PostingPool's spill to disk, pickling 8,192 postings at a time instead of one (Whoosh: one pickle.dump each,
    a quarter of a large build's time)."""
    items = iter(items)
    while chunk := list(itertools.islice(items, 8192)):
        pickle.dump(chunk, f, pickle.HIGHEST_PROTOCOL)
    f.close()


def _read_run_chunked(self, path):
    """Read back (and delete) a run written by _write_run_chunked."""
    f = self._open_run(path)
    try:
        while True:
            try:
                chunk = pickle.load(f)
            except EOFError:
                return
            yield from chunk
    finally:
        f.close()
        self._remove_run(path)


PostingPool._write_run = _write_run_chunked
PostingPool._read_run = _read_run_chunked


class FacetListColumn(columns.VarBytesListColumn):
    """Whoosh's list column, with the empty default its reader needs for a segment where no document has a value."""

    _default = []  # never mutated: the value for "no values"


class FacetKeyword(KEYWORD):
    """A comma-separated keyword field whose values stay whole (no stemming, no lower-casing) and are also kept in a
    list column, so facet counting reads the column for the hits only (Whoosh's OverlappingCategorizer)."""

    def __init__(self, stored=False):
        super().__init__(stored=stored, commas=True, lowercase=False, scorable=False)
        self.column_type = FacetListColumn()

    def to_column_value(self, value):
        values = value if isinstance(value, (list, tuple)) else [t.text for t in self.analyzer(value or "")]
        return [v.encode("utf-8") for v in sorted(set(values))]

    def from_column_value(self, value):
        return [v.decode("utf-8") for v in value]


def _cached_lengths_reader(self, fieldname, column):
    """W3PerDocReader._cached_reader, remembering also that a field has no lengths column.

    Whoosh 2.7.4 looks on disk (os.stat) for the lengths column of every posting of a field that has none (keyword,
    numeric and ID fields): 60% of a build's postings, ~20% of the time spent writing a segment. A segment's files
    never change once written, so the answer can be kept for the reader's life.
    """
    readers = self._readers
    if fieldname not in readers:
        readers[fieldname] = self.column_reader(fieldname, column) if self.has_column(fieldname) else None
    return readers[fieldname]


W3PerDocReader._cached_reader = _cached_lengths_reader


# --- The single writer -----------------------------------------------------------------------------------------


class IndexLockTimeout(Exception):
    """Another thread or process held the index write lock for longer than we were willing to wait."""


class SearchUnavailable(Exception):
    """The search index is missing or cannot be read; the search page answers 503."""


_lock_depth = threading.local()


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
    key = str(index_path)
    held = getattr(_lock_depth, "held", None)
    if held is None:
        held = _lock_depth.held = {}
    if held.get(key):
        held[key] += 1
        try:
            yield
        finally:
            held[key] -= 1
        return
    path = lock_path_for(index_path)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o644)
    try:
        if timeout is None:
            fcntl.flock(fd, fcntl.LOCK_EX)
        else:
            deadline = time.monotonic() + timeout
            while True:
                try:
                    fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                    break
                except BlockingIOError:
                    if time.monotonic() >= deadline:
                        raise IndexLockTimeout(f"index write lock {path} busy for {timeout} s") from None
                    time.sleep(0.01)
        held[key] = 1
        try:
            yield
        finally:
            held[key] = 0
            fcntl.flock(fd, fcntl.LOCK_UN)
    finally:
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


def forget_shared_searcher() -> None:
    """Close the process's open searcher (tests switching index folders; a worker about to fork)."""
    with _reader_lock:
        _forget_unlocked()


def _forget_unlocked() -> None:
    """Close the open searcher; the caller holds _reader_lock (the next search opens the index afresh)."""
    global _open
    if _open is not None:
        with contextlib.suppress(Exception):
            _open.searcher.close()
    _open = None


# --- Query trees -> Whoosh queries -----------------------------------------------------------------------------


@dataclass(frozen=True)
class Match:
    """Words in a text field: all of them (`phrase` False), next to each other (`phrase` True), or a word prefix."""

    field: str
    text: str
    phrase: bool = False
    prefix: bool = False


@dataclass(frozen=True)
class Keyword:
    """A whole value of a keyword field (facet fields, django_ct)."""

    field: str
    value: str


@dataclass(frozen=True)
class DateSpan:
    """Dates from `start` to `end`, both included; either may be open."""

    field: str
    start: datetime.date | None = None
    end: datetime.date | None = None


@dataclass(frozen=True)
class AllOf:
    """Every child matches and no excluded child does."""

    children: tuple = ()
    exclude: tuple = ()


@dataclass(frozen=True)
class AnyOf:
    """At least one child matches."""

    children: tuple = ()


def to_whoosh(node) -> query.Query | None:
    """The Whoosh query for a query tree; None when nothing in it can match (e.g. only stop words)."""
    if isinstance(node, Match):
        if node.prefix:
            words = word_tokens(node.text)
            if len(words) == 1 and len(words[0]) >= 3:
                return query.Prefix(node.field, words[0])
        terms = analyze(node.text)
        if not terms:
            return None
        if len(terms) == 1:
            return query.Term(node.field, terms[0])
        if node.phrase:
            return query.Phrase(node.field, terms)
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


@dataclass
class QueryResult:
    """One page of hits: (django_ct, django_id) pairs in order, the total, and facet counts over all hits."""

    hits: list[tuple[str, str]]
    total: int
    page: int
    facets: dict[str, dict[str, int]] = field(default_factory=dict)


# --- The backend -------------------------------------------------------------------------------------------------


class ArchiveWhooshSearchBackend(WhooshSearchBackend):
    """haystack's Whoosh backend with the archive's schema, a single serialised writer and a shared searcher."""

    SORTABLE_FIELDS = {"date", "position"}
    SORT_ONLY_FIELDS = {"position"}
    # build_all: Whoosh sub-processes when the caller does not say (1: a single writer). Since the cheaper
    # spelling/analysis/spills, 2 cost no more CPU than 1 (5k articles: 73-75 vs 77-86 CPU s) and took 115-161 s
    # instead of 177-296 s on 2 loaded cores, at more memory and with 2 segments; `update_index` chooses per build
    # (archive/index_commands: 2 from 20,000 documents).
    BUILD_PROCS = 1
    BUILD_LIMITMB = 384  # build_all: MB of postings pool per writing process before it spills to disk

    def build_schema(self, fields):
        schema_fields = {
            ID: WHOOSH_ID(stored=True, unique=True),
            DJANGO_CT: WHOOSH_ID(stored=True),
            DJANGO_ID: WHOOSH_ID(stored=True),
        }
        content_field_name = ""
        for field_class in fields.values():
            name = field_class.index_fieldname
            if field_class.is_multivalued:
                schema_fields[name] = FacetKeyword(stored=field_class.stored)
            elif field_class.field_type in ("date", "datetime"):
                schema_fields[name] = DATETIME(stored=field_class.stored, sortable=True)
            elif field_class.field_type == "integer":
                schema_fields[name] = NUMERIC(
                    numtype=int,
                    bits=64,
                    stored=field_class.stored,
                    sortable=name in self.SORTABLE_FIELDS,
                    # Only sorted by (a column), never searched by range: one term per value instead of 16 tiers.
                    shift_step=0 if name in self.SORT_ONLY_FIELDS else 4,
                )
            elif not field_class.indexed:
                schema_fields[name] = STORED()
            else:
                text_type = (SpelledText if field_class.document else ArchiveText) if not field_class.analyzer else TEXT
                schema_fields[name] = text_type(
                    stored=field_class.stored,
                    analyzer=field_class.analyzer or archive_analyzer(),
                    field_boost=field_class.boost,
                    spelling=bool(field_class.document),
                )
            if field_class.document:
                content_field_name = name
        if len(schema_fields) <= 3:
            raise SearchBackendError("No fields were found in any search_indexes.")
        return content_field_name, Schema(**schema_fields)

    def setup(self):
        super().setup()
        if self.use_file_storage:
            # Plain file reads instead of mmap, for the writer as for readers (see shared_searcher).
            self.storage.supports_mmap = False

    # Writing: everything goes through apply_changes, under the write lock.

    def update(self, index, iterable, commit=True):
        self.apply_changes(updates=[(index, iterable)])

    def remove(self, obj_or_string, commit=True):
        self.apply_changes(removals=[get_identifier(obj_or_string)])

    def clear(self, models=None, commit=True):
        with index_write_lock(self.path):
            if models is None:
                # Clearing everything deletes the folder and starts afresh, without opening the old index first
                # (haystack's clear() opens it, which fails on a corrupted index: rebuild_index is the way out).
                self.delete_index()
                return
            super().clear(models=models, commit=commit)

    def prepare_document(self, index, obj) -> dict | None:
        """The Whoosh document for `obj`, or None when the index skips it."""
        try:
            doc = index.full_prepare(obj)
        except SkipDocument:
            return None
        doc = {key: self._from_python(value) for key, value in doc.items()}
        doc.pop("boost", None)
        return doc

    def prepared_documents(self, sources):
        """(object, its document or None when the index skips it) for every object of `sources`, a sequence of
        (SearchIndex, iterable of objects). An object whose document cannot be prepared is logged and left out
        unless SILENTLY_FAIL is off."""
        for index, objects in sources:
            for obj in objects:
                try:
                    doc = self.prepare_document(index, obj)
                except Exception:
                    if not self.silently_fail:
                        raise
                    log.exception("Could not prepare %s for the search index", get_identifier(obj))
                    continue
                yield obj, doc

    def apply_changes(self, updates=(), removals=(), lock_timeout: float | None = None) -> tuple[int, int]:
        """Write documents and remove identifiers in one Whoosh commit, holding the index write lock.

        `updates` is a sequence of (SearchIndex, iterable of model objects); `removals` haystack identifiers
        ("archive.quotation.12"). An object whose document cannot be prepared is logged and skipped (its old
        document stays) unless SILENTLY_FAIL is off. Returns (documents written, identifiers removed).
        """
        with index_write_lock(self.path, timeout=lock_timeout):
            if not self.setup_complete or not whoosh_index.exists_in(self.path):
                self.setup()  # creates the folder and an empty index when they are missing
            self.index = self.index.refresh()
            writer = self.index.writer(timeout=WRITER_TIMEOUT)
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
        """Write the document of every object of `sources` (a sequence of (SearchIndex, iterable of objects)) with
        one Whoosh writer and one commit, holding the index write lock: the fast path of a full build.

        `update()` commits once per batch, and every commit merges segments again: a full build spent most of its
        time re-merging postings (83 quotations/s at 5,000 articles). Here one writer with a large pool
        (BUILD_LIMITMB) takes everything, with `procs` sub-processes (BUILD_PROCS; Whoosh's multi-process writer,
        each sub-process writes its own segment, kept as it is). Into an empty index documents are only added;
        into a non-empty one each object's old document is deleted first, as `apply_changes` does. An object
        whose document cannot be prepared is logged and skipped unless SILENTLY_FAIL is off. Returns documents
        written.
        """
        procs = self.BUILD_PROCS if procs is None else procs
        limitmb = self.BUILD_LIMITMB if limitmb is None else limitmb
        with index_write_lock(self.path):
            if not self.setup_complete or not whoosh_index.exists_in(self.path):
                self.setup()
            self.index = self.index.refresh()
            fresh = self.index.doc_count_all() == 0
            options = {"timeout": WRITER_TIMEOUT, "limitmb": limitmb}
            if procs > 1:
                options.update(procs=procs, multisegment=True)
            global _bulk_spelling
            _bulk_spelling = collections.Counter()  # see SpelledText
            writer = self.index.writer(**options)
            written = 0
            try:
                searcher = None if fresh else writer.searcher()
                try:
                    for obj, doc in self.prepared_documents(sources):
                        if searcher is not None:
                            writer.delete_by_term(ID, get_identifier(obj), searcher=searcher)
                        if doc is not None:
                            writer.add_document(**doc)
                            written += 1
                finally:
                    if searcher is not None:
                        searcher.close()
                writer.commit()
            except BaseException:
                writer.cancel()
                raise
            finally:
                _bulk_spelling = None
        return written

    def stored_documents(self):
        """(identifier, stored fields) of every live document, for drift checks. Reads the index as it is now."""
        if not whoosh_index.exists_in(self.path):
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
                found = whoosh_arrays.run(searcher, whoosh_query, max(1, page), per_page, sort, facets)
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
