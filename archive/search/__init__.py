"""Full-text search over the archive: `search(params)` is the one entry point the views, the API and the feeds call.

    params = SearchParams(q='"breeding ground for terrorism"', speaker="rashid-alimov")
    page = search(params)            # -> SearchPage: hits, total, facets, suggestion, matching people...
    for hit in page.hits:
        hit.object                   # a Quotation (or Article, Document), loaded with its related records
        hit.highlighted              # its text, HTML-escaped, with the matched words in <mark>

    archive.forms.SearchForm(request.GET).params()   # -> SearchParams from URL parameters, never an error
    params.urlencode(page=2)                         # -> "q=...&speaker=...&page=2": stable, shareable

The package (docs/architecture.md has the map): query.py parses what the user typed into a query tree,
analysis.py turns text into index terms, highlight.py marks matches, facets.py names and labels the facets,
documents.py says what each record puts in the index, indexing.py keeps the index in step with the database, and
backends/ holds the engines behind the declared interface of backends/base.py. Nothing here raises on user input.
"""

import contextlib
import datetime
import logging
import re
import threading
from dataclasses import dataclass, field, replace
from urllib.parse import urlencode

from django.db import connection
from django.utils.safestring import SafeString, mark_safe
from haystack import connections
from haystack.constants import DJANGO_CT

from archive.models import Article, Document, Organisation, Person, Quotation
from archive.search.backends.base import SearchBackend, SearchUnavailable
from archive.search.facets import (
    DEFAULT_TYPE,
    FACET_TITLES,
    FILTER_PARAMS,
    SORTS,
    TYPES,
    Facet,
    FacetValue,
    SearchType,
    build_facets,
    describe_filters,
    facet_labels,
    language_name,
)
from archive.search.highlight import highlight, match_spans, snippet
from archive.search.query import (
    MAX_PREFIX_WORDS,
    AllOf,
    AnyOf,
    DateSpan,
    Keyword,
    Match,
    ParsedQuery,
    match_text,
    parse_query,
)

__all__ = [
    "SearchParams",
    "SearchPage",
    "Hit",
    "Facet",
    "FacetValue",
    "ParsedQuery",
    "SearchUnavailable",
    "parse_query",
    "search",
    "highlight",
    "snippet",
    "match_spans",
    "suggest_spelling",
    "matching_names",
    "describe_filters",
    "facet_labels",
    "language_name",
    "TYPES",
    "SORTS",
    "DEFAULT_TYPE",
    "FACET_TITLES",
    "FILTER_PARAMS",
    "SearchType",
]

PER_PAGE = 20
MAX_PAGE = 100_000


@dataclass(frozen=True)
class SearchParams:
    """Everything a search is asked for, already validated (archive.forms.SearchForm builds these from a URL).

    `sort` "" means relevance when there are words to rank by, newest first otherwise.
    """

    q: str = ""
    type: str = DEFAULT_TYPE
    speaker: str = ""
    organisation: str = ""
    document: str = ""
    year: int | None = None
    language: str = ""
    speech: str = ""
    date_from: datetime.date | None = None
    date_to: datetime.date | None = None
    sort: str = ""
    page: int = 1
    per_page: int = PER_PAGE

    def replace(self, **changes) -> "SearchParams":
        return replace(self, **changes)

    @property
    def search_type(self) -> SearchType:
        return TYPES.get(self.type, TYPES[DEFAULT_TYPE])

    @property
    def filters(self) -> list[tuple[str, str]]:
        """(URL parameter, value) of each facet filter in force."""
        return [(name, str(getattr(self, name))) for name in FILTER_PARAMS if getattr(self, name) not in ("", None)]

    @property
    def is_blank(self) -> bool:
        """Nothing asked: no words, no filter, no dates."""
        return not self.q.strip() and not self.filters and not self.date_from and not self.date_to

    def as_query(self, **changes) -> dict[str, str]:
        """The URL parameters, in a fixed order, defaults left out: the canonical, shareable form."""
        params = self.replace(**changes) if changes else self
        query = {}
        if params.q:
            query["q"] = params.q
        if params.type != DEFAULT_TYPE:
            query["type"] = params.type
        for name, value in params.filters:
            query[name] = value
        if params.date_from:
            query["from"] = params.date_from.isoformat()
        if params.date_to:
            query["to"] = params.date_to.isoformat()
        if params.sort:
            query["sort"] = params.sort
        if params.page and params.page > 1:
            query["page"] = str(params.page)
        return query

    def urlencode(self, **changes) -> str:
        return urlencode(self.as_query(**changes))


# --- Running a search ------------------------------------------------------------------------------------------------


@dataclass
class Hit:
    """One result: the record, and its text (quote, title, description) escaped with matches in <mark>."""

    object: object
    highlighted: SafeString
    snippet: SafeString = mark_safe("")


@dataclass
class SearchPage:
    """One page of results with everything the search page shows around them."""

    params: SearchParams
    parsed: ParsedQuery
    hits: list[Hit] = field(default_factory=list)
    total: int = 0
    page: int = 1
    num_pages: int = 0
    facets: list[Facet] = field(default_factory=list)
    sort: str = "relevance"
    suggestion: str | None = None
    people: list = field(default_factory=list)
    organisations: list = field(default_factory=list)
    notices: list[str] = field(default_factory=list)

    @property
    def has_previous(self) -> bool:
        return self.page > 1

    @property
    def has_next(self) -> bool:
        return self.page < self.num_pages

    @property
    def first_index(self) -> int:
        return (self.page - 1) * self.params.per_page + 1 if self.total else 0

    @property
    def last_index(self) -> int:
        return min(self.total, self.page * self.params.per_page)


def backend() -> SearchBackend:
    """The configured search backend (SEARCH_URL), through the interface every engine implements."""
    return connections["default"].get_backend()


def effective_sort(params: SearchParams, parsed: ParsedQuery) -> str:
    if params.sort in ("newest", "oldest"):
        return params.sort
    return "relevance" if parsed.has_text else "newest"


def filter_nodes(params: SearchParams) -> list:
    """The query tree parts for the type and the URL filters."""
    nodes = [Keyword(DJANGO_CT, params.search_type.content_type)]
    for name, value in params.filters:
        nodes.append(Keyword(name, value))
    if params.date_from or params.date_to:
        nodes.append(DateSpan("date", params.date_from, params.date_to))
    return nodes


def search(
    params: SearchParams,
    parsed: ParsedQuery | None = None,
    with_facets: bool = True,
    with_extras: bool = True,
) -> SearchPage:
    """Run a search: one page of hits (records loaded, texts highlighted), facet counts over all hits, and with
    `with_extras` a spelling suggestion when nothing is found and the people/organisations whose names match.

    Raises SearchUnavailable when the index is missing or unreadable; never raises on what the user typed.
    """
    parsed = without_wide_prefixes(parsed if parsed is not None else parse_query(params.q))
    kind = params.search_type
    result_page = SearchPage(params=params, parsed=parsed, sort=effective_sort(params, parsed))
    result_page.notices = list(parsed.notices)
    if parsed.nothing_searchable:
        return result_page
    children = ((parsed.node,) if parsed.node else ()) + tuple(filter_nodes(params))
    result = backend().run_query(
        AllOf(children),
        page=min(max(1, params.page), MAX_PAGE),
        per_page=params.per_page,
        sort=result_page.sort,
        facets=kind.facets if with_facets else (),
    )
    result_page.total = result.total
    result_page.num_pages = -(-result.total // params.per_page)
    result_page.page = max(1, result.page)
    if result.total and params.page > result_page.num_pages:
        result_page.notices.append(
            f"There is no page {params.page}: the results end on page {result_page.num_pages}, shown here."
        )
    result_page.hits = load_hits(kind, result.hits, parsed)
    if with_facets:
        result_page.facets = build_facets(kind, result.facets, params)
    if with_extras:
        if result.total == 0 and parsed.words:
            result_page.suggestion = suggest_spelling(params, parsed)
        if parsed.words and result_page.page == 1:
            result_page.people, result_page.organisations = matching_names(parsed)
    return result_page


def _prefix_nodes(node) -> list[Match]:
    if isinstance(node, Match):
        return [node] if node.prefix else []
    if isinstance(node, (AllOf, AnyOf)):
        return [m for child in (*node.children, *getattr(node, "exclude", ())) for m in _prefix_nodes(child)]
    return []


def _replace_nodes(node, replacements: dict):
    if isinstance(node, AllOf):
        return AllOf(*(tuple(_replace_nodes(c, replacements) for c in part) for part in (node.children, node.exclude)))
    if isinstance(node, AnyOf):
        return AnyOf(tuple(_replace_nodes(c, replacements) for c in node.children))
    return replacements.get(node, node)


def without_wide_prefixes(parsed: ParsedQuery) -> ParsedQuery:
    """The query with every prefix that completes more than MAX_PREFIX_WORDS indexed words searched as the plain
    word instead, and a notice naming it. Backends that cannot count cheaply (None) leave prefixes as they are."""
    wide = {}
    for node in _prefix_nodes(parsed.node):
        completions = backend().count_prefix_words(node.field, node.terms[0], MAX_PREFIX_WORDS + 1)
        if completions is not None and completions > MAX_PREFIX_WORDS:
            wide[node] = match_text(node.field, node.text)
    if not wide:
        return parsed
    words = [node.terms[0] for node in wide]
    notices = [
        *parsed.notices,
        *(
            f"“{word}*” completes more than {MAX_PREFIX_WORDS} different words, so it was searched as the word "
            f"“{word}”; add letters to narrow it."
            for word in words
        ),
    ]
    return replace(
        parsed,
        node=_replace_nodes(parsed.node, wide),
        notices=notices,
        prefixes=tuple(p for p in parsed.prefixes if p not in words),
        terms=parsed.terms | {term for plain in wide.values() for term in plain.terms},
    )


def load_hits(kind: SearchType, hits: list[tuple[str, str]], parsed: ParsedQuery) -> list[Hit]:
    """The records behind index hits, in hit order; a hit whose record is gone or no longer public is skipped."""
    ids = [int(object_id) for content_type, object_id in hits if object_id.isdigit()]
    if kind.name == "quotations":
        # The articles' bodies are not shown with a hit; loading 20 of them was a quarter of the page's time.
        objects = (
            Quotation.objects.public().with_related().defer("article__body_html", "article__body_text").in_bulk(ids)
        )
    elif kind.name == "articles":
        objects = Article.objects.published().select_related("publisher").in_bulk(ids)
    else:
        objects = Document.objects.public().prefetch_related("adopting_organisations").in_bulk(ids)
    loaded = []
    for pk in ids:
        obj = objects.get(pk)
        if obj is None:
            continue
        if kind.name == "quotations":
            loaded.append(Hit(obj, highlight(obj.text, parsed, obj.article.language)))
        elif kind.name == "articles":
            language = obj.language
            loaded.append(
                Hit(obj, highlight(obj.title, parsed, language), snippet(obj.body_text, parsed, language=language))
            )
        else:
            loaded.append(Hit(obj, highlight(obj.title, parsed), snippet(obj.description, parsed)))
    return loaded


def suggest_spelling(params: SearchParams, parsed: ParsedQuery | None = None) -> str | None:
    """A corrected query that finds something, when the query itself finds nothing; None otherwise.

    Asks the index's spelling terms directly (haystack returns no suggestion for zero hits) and only offers a
    correction whose search has hits.
    """
    parsed = parsed if parsed is not None else parse_query(params.q)
    words = [w for w in parsed.word_terms if len(w) >= 3]
    if not words:
        return None
    corrections = backend().spelling_corrections(words)
    if not corrections:
        return None

    def fix(match):
        word = match.group(0)
        fixed = corrections.get(word.lower())
        if fixed is None:
            return word
        return fixed.upper() if word.isupper() else fixed.capitalize() if word[0].isupper() else fixed

    suggested = re.sub(r"\w+", fix, params.q)
    if suggested == params.q:
        return None
    check = search(params.replace(q=suggested, page=1, per_page=1), with_facets=False, with_extras=False)
    return suggested if check.total else None


def matching_names(parsed: ParsedQuery, limit: int = 5) -> tuple[list, list]:
    """People and organisations whose names or aliases contain the query's words: (people, organisations)."""
    if not parsed.word_terms:
        return [], []
    node = AllOf(
        (
            AnyOf(tuple(Match("names", word, (term,)) for word, term in parsed.word_terms.items())),
            AnyOf((Keyword(DJANGO_CT, "archive.person"), Keyword(DJANGO_CT, "archive.organisation"))),
        )
    )
    result = backend().run_query(node, per_page=limit * 2)
    people_ids = [int(pk) for ct, pk in result.hits if ct == "archive.person"][:limit]
    organisation_ids = [int(pk) for ct, pk in result.hits if ct == "archive.organisation"][:limit]
    people = Person.objects.public().in_bulk(people_ids)
    organisations = Organisation.objects.public().in_bulk(organisation_ids)
    return (
        [people[pk] for pk in people_ids if pk in people],
        [organisations[pk] for pk in organisation_ids if pk in organisations],
    )


# --- Warming up ---------------------------------------------------------------------------------------------------


def warm_up() -> None:
    """Run one search of each type, so that what searches keep per index segment (facet values, sort columns, field
    lengths: a noticeable wait on a large index) is ready before the first reader asks. Without an index yet, it does
    nothing: the first search after the index appears does the work instead."""
    try:
        for name in TYPES:
            with contextlib.suppress(SearchUnavailable):
                search(SearchParams(type=name), with_extras=False)
    except Exception:  # never let a warm-up take a server down; the searches themselves report their errors
        logging.getLogger(__name__).exception("search warm-up failed")


def start_warm_up_thread() -> threading.Thread:
    """warm_up() in a daemon thread: a serving process starts answering at once and warms up meanwhile."""

    def warm_up_then_close():
        try:
            warm_up()
        finally:
            connection.close()  # the thread's own database connection

    thread = threading.Thread(target=warm_up_then_close, name="search-warm-up", daemon=True)
    thread.start()
    return thread
