"""A full build of the Whoosh index: every document through one writer, in one commit.

Writing batch by batch commits once per batch, and every commit merges segments again: a full build spent most of
its time re-merging postings. Here one writer with a large pool (BUILD_LIMITMB) takes everything, optionally with
`procs` writing sub-processes (Whoosh's multi-process writer: each writes its own segment, kept as it is). Into an
empty index documents are only added; into a non-empty one each object's old document is deleted first, as
`apply_changes` does. Spelling words are counted rather than posted meanwhile (schema.SpelledText).
"""

from haystack.constants import ID
from haystack.utils import get_identifier

from archive.search.backends.whoosh import schema

BUILD_PROCS = 1  # writing processes when the caller does not say (archive.search.indexing.build_procs chooses)
BUILD_LIMITMB = 384  # MB of postings pool per writing process before it spills to disk
WRITER_TIMEOUT = 60.0  # seconds to wait for Whoosh's own WRITELOCK (only held by a foreign writer)


def write_everything(backend, sources, procs: int, limitmb: int) -> int:
    """Write the document of every object of `sources` (a sequence of (SearchIndex, iterable of objects)) with one
    writer and one commit; the caller holds the write lock. Returns documents written."""
    index = backend.open_for_writing()
    fresh = index.doc_count_all() == 0
    options = {"timeout": WRITER_TIMEOUT, "limitmb": limitmb}
    if procs > 1:
        options.update(procs=procs, multisegment=True)
    schema.count_spelling(True)
    try:
        writer = index.writer(**options)
        written = 0
        try:
            searcher = None if fresh else writer.searcher()
            try:
                for obj, doc in backend.prepared_documents(sources):
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
        schema.count_spelling(False)
    return written
