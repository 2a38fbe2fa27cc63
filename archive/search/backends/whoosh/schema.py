"""The Whoosh index's fields: text analysed as archive.search.analysis says, facet values kept whole in columns.

- Text fields: `ArchiveText` (and `SpelledText` for the document field, which also feeds spelling corrections),
  analysed by `archive_analyzer()`, Whoosh's analyzer chain with the archive's stemmer; no sortable copy.
- Multi-valued fields: `FacetKeyword`, values kept whole (no stemming, no lower-casing) and stored in a list column,
  so facet counts read a column instead of stored documents.
- `date` and `position` are sortable columns; `position` is only sorted by, never searched by range.
"""

import collections

from haystack.constants import DJANGO_CT, DJANGO_ID, ID
from haystack.exceptions import SearchBackendError
from whoosh import columns
from whoosh.analysis import LowercaseFilter, RegexTokenizer, StemFilter, StopFilter
from whoosh.fields import DATETIME, KEYWORD, NUMERIC, STORED, TEXT, Schema
from whoosh.fields import ID as WHOOSH_ID
from whoosh.formats import Positions

from archive.search.analysis import analyze_with_positions, archive_stem, language_of, spelling_words

SORTABLE_FIELDS = {"date", "position"}
SORT_ONLY_FIELDS = {"position"}


def archive_analyzer():
    """Whoosh's analyzer for every text field: the chain archive.search.analysis reproduces without Whoosh.

    archive_stem keeps its own (C) LRU cache, so the StemFilter keeps none: Whoosh's default LFU cache is pure Python
    and counts every use.
    """
    return RegexTokenizer() | LowercaseFilter() | StopFilter() | StemFilter(stemfn=archive_stem, cachesize=None)


class ArchiveText(TEXT):
    """A text field analysed by archive.search.analysis in its value's language (a LanguageText says which; English
    otherwise), indexed without Whoosh's Token pipeline.

    For English text `index` gives exactly what TEXT.index gives with archive_analyzer (terms, frequencies, weights,
    positions numbered as StopFilter renumbers them: the first kept word keeps its place, the next ones follow on;
    tested), in one loop instead of a generator per filter and a Token per word.
    """

    def index(self, value, **kwargs):
        if not isinstance(value, str) or set(kwargs) - {"mode"} or type(self.format) is not Positions:
            yield from super().index(value, **kwargs)
            return
        positions = {}
        for term, position, _, _ in analyze_with_positions(value, language_of(value)):
            positions.setdefault(term, []).append(position)
        boost = self.format.field_boost
        encode = self.format.encode
        for term, places in positions.items():
            yield term.encode("utf-8"), len(places), float(len(places)) * boost, encode(places)


_counted_spelling: collections.Counter | None = None  # during a full build: spelling words counted, not posted


def count_spelling(on: bool) -> None:
    """Start (or stop) counting spelling words instead of posting them, for a full build (see SpelledText)."""
    global _counted_spelling
    _counted_spelling = collections.Counter() if on else None


def take_counted_spelling() -> dict[str, int]:
    """The spelling words counted since the last call, with their counts; the count starts again from zero."""
    if not _counted_spelling:
        return {}
    counted = dict(_counted_spelling)
    _counted_spelling.clear()
    return counted


class SpelledText(ArchiveText):
    """A text field with a spelling field (spell_<name>), written more cheaply.

    Whoosh posts every distinct word of every document to the spelling field with weight 1 (all on document 0).
    During a full build the words are counted instead, and each word is posted once, with its count as the weight,
    when the segment is finished (patches._flush_segment); spelling_corrections ranks by that weight (the same
    figure either way).
    """

    def spellable_words(self, value):
        if isinstance(value, (list, tuple)):
            return super().spellable_words(value)
        words = spelling_words(value)
        if _counted_spelling is not None:
            _counted_spelling.update(words)
            return ()
        return iter(sorted(words))


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


def build_schema(fields) -> tuple[str, Schema]:
    """(the document field's name, the Whoosh schema) for haystack's fields of every index."""
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
                sortable=name in SORTABLE_FIELDS,
                # Only sorted by (a column), never searched by range: one term per value instead of 16 tiers.
                shift_step=0 if name in SORT_ONLY_FIELDS else 4,
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
