"""Running queries over the Whoosh index with numpy arrays: matching documents, BM25F scores, sorting, facet counts.

Whoosh's own collector visits every matching document with a handful of Python calls, which is what made the search
page slow at scale (a common word matches tens of thousands of quotations, and counting six facets over them went
through Python per hit; even without facets Whoosh's `len(results)` walked every posting of the `django_ct` filter
one Python call at a time, for a word with no hits too; README, Performance). Here a query is evaluated a segment at
a time on dense arrays, one entry per document: a term's postings are read a block (up to 128 postings) at a time
straight into arrays, And/Or/AndNot become boolean array operations, scores are summed arrays, and facet counts are
one `bincount` per facet.

Whoosh stays in charge of everything else: the index files and the writer, the analyzers, stored fields, phrase
matching (positions: any query node not handled here is run by Whoosh's own matcher and its hits copied into the
arrays), and the scoring formula, which is reproduced exactly: BM25F with Whoosh's defaults (B 0.75, K1 1.2), its
idf, its quantised field lengths, and weights (not BM25) for fields without lengths. tests/test_search_arrays.py
checks hits, order, totals and facet counts against Whoosh's own searcher.

What is kept between searches, per segment (a segment's files never change once written; only its deletions do):
field lengths, the `date` and `position` columns, and each facet field's (document, value) pairs read from the
field's postings. A process keeps only the segments of the index it has open.
"""

from __future__ import annotations

import io
import pickle
import struct
import threading
import zlib
from collections import OrderedDict
from dataclasses import dataclass
from itertools import accumulate

import numpy as np
from whoosh.codec.whoosh3 import LENGTHS_COLUMN, WHOOSH3_HEADER_MAGIC, _lenfield
from whoosh.query.compound import And, AndNot, Or
from whoosh.query.positional import Phrase
from whoosh.query.qcore import Every, NullQuery, _NullQuery
from whoosh.query.ranges import NumericRange
from whoosh.query.terms import MultiTerm, Term
from whoosh.query.wrappers import ConstantScoreQuery
from whoosh.reading import TermNotFound
from whoosh.util.numeric import byte_to_length

BM25_B = 0.75  # Whoosh's BM25F defaults, which the archive's searcher has always used
BM25_K1 = 1.2
_LENGTH_OF_BYTE = np.array([byte_to_length(b) for b in range(256)], dtype=np.float64)
_EMPTY_IDS = np.zeros(0, dtype=np.int64)
_EMPTY_WEIGHTS = np.zeros(0, dtype=np.float64)
_BLOCK_LENGTH = struct.Struct("!i")  # before each block; negative for the last


# --- What is kept per segment ---------------------------------------------------------------------------------


@dataclass
class FacetPairs:
    """One facet field of one segment: document `docs[i]` has value `names[values[i]]`."""

    docs: np.ndarray
    values: np.ndarray
    names: list[str]

    def counts(self, mask: np.ndarray) -> dict[str, int]:
        """How many documents of `mask` have each value (values no such document has are left out)."""
        counted = np.bincount(self.values[mask[self.docs]], minlength=len(self.names))
        return {self.names[i]: int(counted[i]) for i in np.flatnonzero(counted)}


class SegmentArrays:
    """The arrays of one segment that do not change while the segment exists, built the first time they are needed."""

    def __init__(self, segment_id: str, doc_count: int):
        self.segment_id = segment_id
        self.doc_count = doc_count
        self.lengths: dict[str, np.ndarray | None] = {}
        self.columns: dict[str, np.ndarray] = {}
        self.facets: dict[str, FacetPairs] = {}
        self.live_for: tuple[int, np.ndarray] | None = None  # (number of deletions, mask of live documents)

    def live(self, reader) -> np.ndarray:
        """True for documents not deleted. Deletions only grow within a segment, so their number identifies them."""
        count = reader.segment().deleted_count()
        if self.live_for is None or self.live_for[0] != count:
            mask = np.ones(self.doc_count, dtype=bool)
            if count:
                mask[np.fromiter(reader._perdoc.deleted_docs(), dtype=np.int64)] = False
            self.live_for = (count, mask)
        return self.live_for[1]

    def field_lengths(self, reader, fieldname: str) -> np.ndarray | None:
        """Each document's (quantised) length in a scorable field, as BM25F sees it; None when it keeps no lengths."""
        if fieldname not in self.lengths:
            column = reader._perdoc._cached_reader(_lenfield(fieldname), LENGTHS_COLUMN)
            if column is None:
                self.lengths[fieldname] = None
            else:
                self.lengths[fieldname] = _LENGTH_OF_BYTE[numeric_column(column, self.doc_count)]
        return self.lengths[fieldname]

    def column(self, reader, fieldname: str) -> np.ndarray:
        """A sortable numeric column (date, position) as unsigned integers in the same order as its values."""
        if fieldname not in self.columns:
            values = numeric_column(reader.column_reader(fieldname, translate=False), self.doc_count)
            if values.dtype.kind == "i":  # flip the sign bit: negative values sort first, as Whoosh sorts them
                values = values.astype(np.int64).view(np.uint64) ^ np.uint64(1 << 63)
            self.columns[fieldname] = values.astype(np.uint64)
        return self.columns[fieldname]

    def facet(self, reader, fieldname: str) -> FacetPairs:
        """A facet field's (document, value) pairs, from the postings of each of its values."""
        if fieldname not in self.facets:
            docs, values, names = [], [], []
            if fieldname in reader.schema:
                for (field_of_term, btext), terminfo in reader.iter_from(fieldname, b""):
                    if field_of_term != fieldname:
                        break
                    ids, _ = read_postings(reader, fieldname, btext, terminfo)
                    if len(ids):
                        docs.append(ids)
                        values.append(np.full(len(ids), len(names), dtype=np.int32))
                        names.append(btext.decode("utf-8"))
            self.facets[fieldname] = FacetPairs(
                np.concatenate(docs) if docs else _EMPTY_IDS,
                np.concatenate(values) if values else np.zeros(0, dtype=np.int32),
                names,
            )
        return self.facets[fieldname]


def numeric_column(column, doc_count: int) -> np.ndarray:
    """All values of one of Whoosh's numeric columns in one read (its reader reads a value per call).

    The column file holds big-endian values for the documents up to the last with a value; the rest have the
    column's default.
    """
    stored = column._count
    raw = column._dbfile.get(column._basepos, stored * column._fixedlen) if stored else b""
    values = np.frombuffer(raw, dtype=np.dtype(">" + column._typecode)).astype(np.dtype(column._typecode))
    if stored < doc_count:
        values = np.concatenate([values, np.full(doc_count - stored, column._default, dtype=values.dtype)])
    return values[:doc_count]


_cache: dict[str, SegmentArrays] = {}
_cache_lock = threading.Lock()

# Postings of recently used terms, (segment id, field, term) -> (document numbers, weights), least recently used
# first. Every search reads the `django_ct` filter's postings (one per document of the type), and readers ask for
# the same common words again and again. Bounded by postings (16 bytes each).
POSTINGS_CACHE_LIMIT = 3_000_000
_postings: OrderedDict[tuple, tuple[np.ndarray, np.ndarray]] = OrderedDict()
_postings_size = 0


def segment_arrays(reader) -> SegmentArrays:
    """The kept arrays of the segment `reader` reads."""
    segment = reader.segment()
    key = segment.segment_id()
    with _cache_lock:
        arrays = _cache.get(key)
        if arrays is None or arrays.doc_count != reader.doc_count_all():
            arrays = _cache[key] = SegmentArrays(key, reader.doc_count_all())
        return arrays


def forget_segments(keep: set[str] = frozenset()) -> None:
    """Drop what is kept of every segment not in `keep` (segments merged away or of a replaced index)."""
    global _postings_size
    with _cache_lock:
        for key in [k for k in _cache if k not in keep]:
            del _cache[key]
        for key in [k for k in _postings if k[0] not in keep]:
            _postings_size -= len(_postings.pop(key)[0])


def cached_postings(reader, fieldname: str, btext: bytes) -> tuple[np.ndarray, np.ndarray]:
    """read_postings, through the cache of recently used terms."""
    global _postings_size
    key = (reader.segment().segment_id(), fieldname, btext)
    with _cache_lock:
        found = _postings.get(key)
        if found is not None:
            _postings.move_to_end(key)
            return found
    found = read_postings(reader, fieldname, btext)
    size = len(found[0])
    if size <= POSTINGS_CACHE_LIMIT // 4:
        with _cache_lock:
            if key not in _postings:
                _postings[key] = found
                _postings_size += size
            while _postings_size > POSTINGS_CACHE_LIMIT:
                _postings_size -= len(_postings.popitem(last=False)[1][0])
    return found


def posting_blocks(reader, fieldname: str, btext: bytes, terminfo=None):
    """The blocks of a term's posting list in one segment: (number of postings, last document number, read) for
    each, where read() unpickles the block's (document number deltas, weights, values, ...) tuple. A posting list
    short enough to be kept inside the term's entry is one block whose document numbers are not deltas (read()
    gives them with `None` in place of deltas and the ids as the fourth item).

    `terminfo`, when the caller is walking the field's terms anyway, saves looking the term up again.
    """
    terms = reader._terms
    try:
        terminfo = terminfo if terminfo is not None else terms.term_info(fieldname, btext)
    except (TermNotFound, KeyError):
        return
    if terminfo.is_inlined():
        ids, weights, values = terminfo.inlined_postings()
        if ids:
            yield len(ids), ids[-1], lambda: (None, weights, values, ids)
        return
    offset, length = terminfo.extent()
    if isinstance(length, tuple):  # W3TermInfo.from_bytes leaves the length as struct.unpack's 1-tuple
        (length,) = length
    # One read of the whole posting list, parsed here: Whoosh's matcher reads each block's pickled header from the
    # file a few bytes per call, which made a process's first facet counts slow.
    raw = terms._postfile.get(offset, length)
    if raw[:4] != WHOOSH3_HEADER_MAGIC:
        raise ValueError(f"posting list of {fieldname}:{btext!r} does not start with Whoosh 3's block tag")
    stream = io.BytesIO(raw)
    position = 4
    while position < len(raw):
        (block_length,) = _BLOCK_LENGTH.unpack_from(raw, position)
        end = position + 4 + abs(block_length)
        stream.seek(position + 4)
        count, max_id, _, compression, _, _ = pickle.load(stream)  # the block's header
        data = raw[stream.tell() : end]
        yield (
            count,
            max_id,
            lambda data=data, compression=compression: pickle.loads(zlib.decompress(data) if compression else data),
        )
        if block_length < 0:  # the last block
            break
        position = end


def block_ids(block: tuple) -> np.ndarray:
    """The document numbers of a block read by posting_blocks."""
    if block[0] is None:
        return np.asarray(block[3], dtype=np.int64)
    return np.cumsum(np.asarray(block[0], dtype=np.int64))


def read_postings(reader, fieldname: str, btext: bytes, terminfo=None) -> tuple[np.ndarray, np.ndarray]:
    """Document numbers and weights of a term in one segment (deleted documents included)."""
    id_blocks, weight_blocks = [], []
    for count, _, read in posting_blocks(reader, fieldname, btext, terminfo):
        block = read()
        id_blocks.append(block_ids(block))
        weights = block[1]
        if weights is None:
            weight_blocks.append(np.ones(count))
        elif isinstance(weights, float):
            weight_blocks.append(np.full(count, weights))
        else:
            weight_blocks.append(np.asarray(weights, dtype=np.float64))
    if not id_blocks:
        return _EMPTY_IDS, _EMPTY_WEIGHTS
    return np.concatenate(id_blocks), np.concatenate(weight_blocks)


def read_positions(reader, fieldname: str, btext: bytes, wanted: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """(document number, position) of every occurrence of a term in the documents `wanted` (sorted), one segment.

    Only the blocks holding a wanted document are unpickled, and only those documents' positions decoded.
    """
    docs, counts, positions = [], [], []
    loads = pickle.loads
    first_id = 0
    for _, max_id, read in posting_blocks(reader, fieldname, btext):
        lo, hi = np.searchsorted(wanted, [first_id, max_id + 1])
        first_id = max_id + 1
        if lo == hi:
            continue
        block = read()
        ids = block_ids(block)
        values = block[2]
        chosen = np.flatnonzero(np.isin(ids, wanted[lo:hi], assume_unique=True))
        docs.append(ids[chosen])
        for i in chosen.tolist():
            value = values[i]
            # Whoosh's Positions format: a 4-byte count, then the pickled list of position deltas (its final
            # STOP opcode may have been left off, as Positions.decode_positions allows). Plain Python per
            # document here: a numpy call per document cost more than the decoding.
            deltas = loads(value[4:] if value.endswith(b".") else value[4:] + b".")
            counts.append(len(deltas))
            positions.extend(accumulate(deltas))
    if not docs:
        return _EMPTY_IDS, _EMPTY_IDS
    return np.repeat(np.concatenate(docs), counts), np.asarray(positions, dtype=np.int64)


# --- Evaluating a query on one segment ------------------------------------------------------------------------


class SegmentSearch:
    """Evaluates Whoosh query objects on one segment: (mask of matching live documents, score of each document)."""

    def __init__(self, top_searcher, sub_searcher):
        self.top = top_searcher
        self.sub = sub_searcher
        self.reader = sub_searcher.reader()
        self.arrays = segment_arrays(self.reader)
        self.n = self.arrays.doc_count
        self.live = self.arrays.live(self.reader)

    def empty(self):
        return np.zeros(self.n, dtype=bool), np.zeros(self.n)

    def constant(self, mask, value: float):
        return mask, np.where(mask, value, 0.0)

    def evaluate(self, q):
        if isinstance(q, Term):
            return self.term(q.fieldname, q.text, q.boost)
        if isinstance(q, And):
            mask, score = self.evaluate(q.subqueries[0]) if q.subqueries else self.empty()
            for child in q.subqueries[1:]:
                child_mask, child_score = self.evaluate(child)
                mask &= child_mask
                score += child_score
            return self._boosted(mask, score, q.boost)
        if isinstance(q, Or) and not q.minmatch and q.scale is None:
            mask, score = self.empty()
            for child in q.subqueries:
                child_mask, child_score = self.evaluate(child)
                mask |= child_mask
                score += child_score
            return self._boosted(mask, score, q.boost)
        if isinstance(q, AndNot):
            mask, score = self.evaluate(q.a)
            excluded, _ = self.evaluate(q.b)
            mask &= ~excluded
            return mask, np.where(mask, score, 0.0)
        if isinstance(q, ConstantScoreQuery):
            mask, _ = self.evaluate(q.child)
            return self.constant(mask, q.score)
        if isinstance(q, Every) and not q.fieldname:
            return self.constant(self.live.copy(), q.boost)
        if isinstance(q, NumericRange):
            return self.evaluate(q._compile_query(self.reader))
        if isinstance(q, MultiTerm):
            return self.multi_term(q)
        if q is NullQuery or isinstance(q, _NullQuery):
            return self.empty()
        if isinstance(q, Phrase) and q.slop == 1:
            return self.phrase(q)
        return self.by_whoosh(q)

    def _boosted(self, mask, score, boost: float):
        if boost != 1.0:
            score *= boost
        return mask, score

    def term(self, fieldname: str, text, boost: float = 1.0):
        mask, score = self.empty()
        if fieldname not in self.reader.schema:
            return mask, score
        field = self.reader.schema[fieldname]
        btext = text if isinstance(text, bytes) else field.to_bytes(text)
        ids, weights = cached_postings(self.reader, fieldname, btext)
        if not len(ids):
            return mask, score
        live = self.live[ids]
        ids, weights = ids[live], weights[live]
        mask[ids] = True
        lengths = self.arrays.field_lengths(self.reader, fieldname) if field.scorable else None
        if lengths is None:
            score[ids] = weights  # Whoosh's WeightScorer: fields without lengths score by weight
        else:
            idf = self.top.idf(fieldname, btext)
            average = self.top.avg_field_length(fieldname) or 1
            norm = BM25_K1 * ((1 - BM25_B) + BM25_B * lengths[ids] / average)
            score[ids] = idf * (weights * (BM25_K1 + 1)) / (weights + norm)
        return self._boosted(mask, score, boost)

    def multi_term(self, q):
        """Prefix, ranges of terms: the matching terms of this segment, or'ed and scored as Whoosh scores them: by the
        sum of their BM25F scores, "constant score" or not (Whoosh asks for no weighting model then, and its
        searcher falls back to the default one)."""
        fieldname = q.field()
        btexts = [b for b in q._btexts(self.reader) if b]
        if not btexts:
            return self.empty()
        if len(btexts) == 1:
            return self.term(fieldname, btexts[0])
        mask, score = self.empty()
        for btext in btexts:
            term_mask, term_score = self.term(fieldname, btext)
            mask |= term_mask
            score += term_score
        return self._boosted(mask, score, q.boost)

    def phrase(self, q):
        """Words next to each other, in order: the documents having them all, then their positions compared as
        arrays (Whoosh's phrase matcher walks every document having them all with several Python calls each).

        Scored as Whoosh scores a phrase: the sum of its words' scores.
        """
        fieldname = q.fieldname
        if fieldname not in self.reader.schema:
            return self.empty()
        field = self.reader.schema[fieldname]
        if not field.format or not field.format.supports("positions"):
            return self.by_whoosh(q)
        try:
            btexts = [field.to_bytes(word) for word in q.words]
        except ValueError:
            return self.empty()
        if not btexts or any((fieldname, btext) not in self.reader for btext in btexts):
            return self.empty()
        mask, score = self.term(fieldname, btexts[0])
        for btext in btexts[1:]:
            word_mask, word_score = self.term(fieldname, btext)
            mask &= word_mask
            score += word_score
        candidates = np.flatnonzero(mask)
        if len(candidates) and len(btexts) > 1:
            # Word i of the phrase at position p + i of document d: key d * stride + p must be there for every word.
            stride = np.int64(1 << 32)
            keys = None
            for i, btext in enumerate(btexts):
                docs, positions = read_positions(self.reader, fieldname, btext, candidates)
                word_keys = docs * stride + (positions - i)
                keys = word_keys if keys is None else np.intersect1d(keys, word_keys)
            mask = np.zeros(self.n, dtype=bool)
            mask[np.unique(keys // stride)] = True
        return self._boosted(mask, np.where(mask, score, 0.0), q.boost)

    def by_whoosh(self, q):
        """Any other query (phrases): Whoosh's own matcher on this segment, its hits and scores copied out."""
        mask, score = self.empty()
        matcher = q.matcher(self.sub, self.top.context())
        ids, scores = [], []
        while matcher.is_active():
            ids.append(matcher.id())
            scores.append(matcher.score())
            matcher.next()
        if ids:
            ids = np.array(ids, dtype=np.int64)
            mask[ids] = True
            score[ids] = scores
            mask &= self.live
        return mask, score


# --- A whole search -------------------------------------------------------------------------------------------


@dataclass
class ArrayResult:
    """The documents of one page (global document numbers, in order), the total, and facet counts over all hits."""

    docnums: list[int]
    total: int
    page: int
    facets: dict[str, dict[str, int]]


def segments(searcher):
    """(sub-searcher, first document number) of each segment of `searcher`."""
    return searcher.subsearchers if searcher.subsearchers else [(searcher, 0)]


def run(searcher, q, page: int, per_page: int, sort: str, facets: tuple[str, ...]) -> ArrayResult:
    """Evaluate `q` over every segment; return page `page` (clamped to the last) in `sort` order with facet counts.

    `sort` is "relevance" (score, highest first, ties by index order), "newest" or "oldest" (by the `date` column,
    then `position`, then index order).
    """
    parts = []
    counts: dict[str, dict[str, int]] = {name: {} for name in facets}
    for sub, offset in segments(searcher):
        seg = SegmentSearch(searcher, sub)
        mask, score = seg.evaluate(q)
        local = np.flatnonzero(mask)
        if not len(local):
            continue
        if sort in ("newest", "oldest"):
            dates = seg.arrays.column(seg.reader, "date")[local]
            if sort == "newest":
                dates = np.iinfo(np.uint64).max - dates
            keys = (dates, seg.arrays.column(seg.reader, "position")[local])
        else:
            keys = (-score[local],)
        parts.append((local + offset, keys))
        for name in facets:
            if name in seg.reader.schema:
                for value, count in seg.arrays.facet(seg.reader, name).counts(mask).items():
                    counts[name][value] = counts[name].get(value, 0) + count
    keep = {sub.reader().segment().segment_id() for sub, _ in segments(searcher)}
    if len(_cache) > len(keep):
        forget_segments(keep)

    total = sum(len(docnums) for docnums, _ in parts)
    page_count = -(-total // per_page)
    page = min(page_count, page)
    if not total:
        return ArrayResult([], 0, page, counts)
    docnums = np.concatenate([d for d, _ in parts])
    keys = [np.concatenate([k[i] for _, k in parts]) for i in range(len(parts[0][1]))]
    wanted = page * per_page
    if sort == "relevance" and total > wanted:
        # Only documents scoring at least the page's last score can be on it (ties included, ordered below).
        threshold = np.partition(keys[0], wanted - 1)[wanted - 1]
        candidates = keys[0] <= threshold
        docnums, keys = docnums[candidates], [k[candidates] for k in keys]
    order = np.lexsort((docnums, *reversed(keys)))
    start = (page - 1) * per_page
    return ArrayResult([int(d) for d in docnums[order[start:wanted]]], total, page, counts)
