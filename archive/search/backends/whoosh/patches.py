"""Four private methods of Whoosh 2.7.4 replaced to make a build cheaper, installed by `install()` only.

They are installed when the Whoosh backend is created (the configured engine, ArchiveWhooshSearchBackend.__init__),
never at import, and only on the Whoosh version they were written against: on any other `install()` raises
WhooshVersionError with one line saying so, and the backend does not start. Each replaced method keeps what
Whoosh's own does and writes the same index (tests/test_indexing_fastpath.py):

- SegmentWriter._flush_segment: posts the spelling words a full build counted (schema.SpelledText) once each, and
  reads the new segment's field lengths from memory rather than one seek per posting (_LengthsInMemory).
- PostingPool._write_run / _read_run: spills postings to disk pickled in chunks rather than one at a time.
- W3PerDocReader._cached_reader: remembers that a field has no lengths column instead of asking the disk again
  for every posting of it.
"""

import itertools
import pickle

import whoosh
from whoosh.codec.whoosh3 import LENGTHS_COLUMN, W3PerDocReader, _lenfield
from whoosh.util.numeric import byte_to_length
from whoosh.writing import PostingPool, SegmentWriter

from archive.search.backends.base import BackendCannotStart
from archive.search.backends.whoosh import schema

WRITTEN_FOR = (2, 7, 4)
RUN_CHUNK = 8192  # postings pickled together when the pool spills to disk


class WhooshVersionError(BackendCannotStart):
    """The installed Whoosh is not the version the archive's patches were written for."""


def check_version(version=None) -> None:
    """Raise WhooshVersionError unless `version` (default: the installed Whoosh's) is WRITTEN_FOR."""
    version = tuple(whoosh.__version__ if version is None else version)
    if version[:3] != WRITTEN_FOR:
        found, wanted = ".".join(map(str, version)), ".".join(map(str, WRITTEN_FOR))
        raise WhooshVersionError(
            f"the archive's Whoosh backend needs Whoosh {wanted} (it patches private methods of that version); "
            f"Whoosh {found} is installed: pip install -r requirements/run.txt"
        )


_installed = False


def install() -> None:
    """Replace the four methods (once per process), after checking the Whoosh version."""
    global _installed
    if _installed:
        return
    check_version()
    SegmentWriter._flush_segment = _flush_segment
    PostingPool._write_run = _write_run_chunked
    PostingPool._read_run = _read_run_chunked
    W3PerDocReader._cached_reader = _cached_lengths_reader
    _installed = True


def installed() -> bool:
    return _installed


class _LengthsInMemory:
    """A new segment's field lengths for writing its postings, each field's column read once into memory (Whoosh
    reads the length of every posting's document from the file: a seek and an unpack each)."""

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
    """SegmentWriter._flush_segment, posting first the spelling words a build counted in this process, and with
    the new segment's field lengths in memory."""
    self.perdocwriter.close()
    counted = schema.take_counted_spelling()
    if counted:
        for name, field_object in self.schema.items():
            if isinstance(field_object, schema.SpelledText):
                spell_field = field_object.spelling_fieldname(name)
                for word, count in counted.items():
                    self.pool.add((spell_field, word.encode("utf-8"), 0, float(count), b""))
    perdoc = self.per_document_reader() if self.codec.length_stats else None
    self.fieldwriter.add_postings(self.schema, perdoc and _LengthsInMemory(perdoc), self.pool.iter_postings())
    self.fieldwriter.close()
    if perdoc:
        perdoc.close()


def _write_run_chunked(self, f, items):
    """PostingPool's spill to disk, pickling RUN_CHUNK postings at a time instead of one."""
    items = iter(items)
    while chunk := list(itertools.islice(items, RUN_CHUNK)):
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


def _cached_lengths_reader(self, fieldname, column):
    """W3PerDocReader._cached_reader, remembering also that a field has no lengths column.

    Whoosh 2.7.4 looks on disk (os.stat) for the lengths column of every posting of a field that has none (keyword,
    numeric and ID fields). A segment's files never change once written, so the answer can be kept for the
    reader's life.
    """
    readers = self._readers
    if fieldname not in readers:
        readers[fieldname] = self.column_reader(fieldname, column) if self.has_column(fieldname) else None
    return readers[fieldname]
