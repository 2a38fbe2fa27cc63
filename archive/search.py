"""Full-text search over the archive: the query syntax, running a search, highlighting and spelling suggestions.

The search page, and anything else that searches (an Atom feed per query, the JSON API, a CSV export), use the
same functions:

    params = SearchParams(q='"breeding ground for terrorism"', speaker="rashid-alimov")
    page = search(params)            # -> SearchPage: hits, total, facets, suggestion, matching people...
    for hit in page.hits:
        hit.object                   # a Quotation (or Article, Document), loaded with its related records
        hit.highlighted              # its text, HTML-escaped, with the matched words in <mark>

    archive.forms.SearchForm(request.GET).params()   # -> SearchParams from URL parameters, never an error
    params.urlencode(page=2)                         # -> "q=...&speaker=...&page=2": stable, shareable

Query syntax (parse_query): words (all must match), "an exact phrase", OR between alternatives, -word or
-"phrase" to leave out, prefix* (three letters or more), and field filters speaker:alimov, organisation:SCO,
document:"Shanghai Convention", year:2017 (or year:2015-2017), language:en. Anything that does not parse is
searched for as plain words, with a notice saying what was ignored; nothing here raises on user input.
"""

import contextlib
import datetime
import logging
import re
import threading
from dataclasses import dataclass, field, replace
from urllib.parse import urlencode

from django.db import connection
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from haystack import connections
from haystack.constants import DJANGO_CT

from archive.languages import native_name
from archive.models import Article, Document, Organisation, Person, Quotation
from archive.whoosh_backend import (
    AllOf,
    AnyOf,
    DateSpan,
    Keyword,
    Match,
    SearchUnavailable,
    analyze,
    analyze_with_positions,
    word_tokens,
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
    "suggest_spelling",
    "matching_names",
    "TYPES",
    "SORTS",
]

MAX_CLAUSES = 32
# Prefixes are the expensive query shape: each one is an OR over every indexed word it completes, so many of them,
# or one completing thousands of words, read most of the index. Beyond these bounds the "*" is ignored and the word
# is searched as it is, with a notice naming it (README, Reliability, has the figures).
MAX_PREFIXES = 4  # prefix words per query
MAX_PREFIX_WORDS = 300  # indexed words one prefix may complete
PER_PAGE = 20
MAX_PAGE = 100_000


# --- What can be searched ---------------------------------------------------------------------------------------


@dataclass(frozen=True)
class SearchType:
    name: str
    label: str
    content_type: str  # haystack's django_ct
    facets: tuple[str, ...]

    @property
    def noun(self) -> str:
        """The singular: quotation, article, document (for "1 quotation")."""
        return self.name.removesuffix("s")


TYPES = {
    "quotations": SearchType(
        "quotations",
        "Quotations",
        "archive.quotation",
        ("organisation", "speaker", "document", "year", "language", "speech"),
    ),
    "articles": SearchType(
        "articles", "Articles", "archive.article", ("organisation", "speaker", "document", "year", "language")
    ),
    "documents": SearchType("documents", "Documents", "archive.document", ("organisation", "year")),
}
DEFAULT_TYPE = "quotations"
SORTS = {"relevance": "Relevance", "newest": "Newest first", "oldest": "Oldest first"}
FACET_TITLES = {
    "organisation": "Organisation",
    "speaker": "Speaker",
    "document": "Document",
    "year": "Year",
    "language": "Language",
    "speech": "Speech",
}
# URL parameter -> index field; the names are fixed across the team (browse pages link to them).
FILTER_PARAMS = ("speaker", "organisation", "document", "year", "language", "speech")


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


# --- The query syntax -----------------------------------------------------------------------------------------------

FIELD_ALIASES = {
    "speaker": "speaker",
    "person": "speaker",
    "organisation": "organisation",
    "organization": "organisation",
    "org": "organisation",
    "document": "document",
    "doc": "document",
    "year": "year",
    "language": "language",
    "lang": "language",
}
FIELD_PREFIX = re.compile(r"(?i)(" + "|".join(sorted(FIELD_ALIASES, key=len, reverse=True)) + r"):(?=\S)")
QUOTE_MARKS = str.maketrans({"“": '"', "”": '"', "„": '"', "«": '"', "»": '"', "″": '"'})
MINUS_SIGNS = "-−–"
YEAR = re.compile(r"\d{4}")
YEAR_RANGE = re.compile(r"(\d{4})\s*(?:-|–|\.\.)\s*(\d{4})")
LANGUAGE = re.compile(r"[A-Za-z]{2,3}(?:-[A-Za-z0-9]{2,8})?")


@dataclass
class Clause:
    text: str
    phrase: bool = False
    field: str | None = None
    negated: bool = False


@dataclass
class ParsedQuery:
    """A user's query, understood: the query tree to run, what to highlight, and what was ignored and why."""

    text: str
    node: AllOf | None = None
    notices: list[str] = field(default_factory=list)
    words: list[str] = field(default_factory=list)  # positive free-text words as typed (spelling, name box)
    terms: frozenset = frozenset()  # stemmed terms to highlight
    phrases: tuple = ()  # stemmed term sequences to highlight as one
    prefixes: tuple = ()  # lower-case word prefixes to highlight
    has_text: bool = False  # any positive free-text clause (relevance makes sense)
    nothing_searchable: bool = False  # the user typed something, but none of it can be looked up


def _scan(text: str, notices: list[str]) -> list:
    """Split a query into clauses and the operators OR / AND / NOT. Never raises."""
    text = text.translate(QUOTE_MARKS)
    if text.count('"') % 2:
        last = text.rfind('"')
        text = text[:last] + " " + text[last + 1 :]
        notices.append("A quotation mark had no partner, so it was ignored: those words were searched for separately.")
    items, i, n = [], 0, len(text)
    lone_minus = False
    while i < n:
        if text[i].isspace():
            i += 1
            continue
        negated = False
        if text[i] in MINUS_SIGNS:
            if i + 1 < n and not text[i + 1].isspace() and text[i + 1] not in MINUS_SIGNS:
                negated = True
                i += 1
            else:
                lone_minus = True
                i += 1
                continue
        field_name = None
        match = FIELD_PREFIX.match(text, i)
        if match:
            field_name = FIELD_ALIASES[match.group(1).lower()]
            i = match.end()
        if text[i] == '"':
            end = text.find('"', i + 1)
            value, i = text[i + 1 : end], end + 1
            if value.strip():
                items.append(Clause(value.strip(), phrase=True, field=field_name, negated=negated))
            continue
        end = i
        while end < n and not text[end].isspace() and text[end] != '"':
            end += 1
        word, i = text[i:end], end
        if field_name is None and not negated and word in ("OR", "||", "AND", "&&", "NOT"):
            items.append({"||": "OR", "&&": "AND"}.get(word, word))
        else:
            items.append(Clause(word, field=field_name, negated=negated))
    if lone_minus:
        notices.append('A "-" leaves out the word right after it (as in -terrorism); a "-" on its own was ignored.')
    return items


def _group(items: list, notices: list[str]) -> tuple[list[list[Clause]], list[Clause]]:
    """Apply OR / AND / NOT: groups of alternatives (each group must match) and clauses to leave out."""
    groups, excluded = [], []
    pending_or = pending_not = bad_or = False
    for item in items:
        if item == "AND":
            continue
        if item == "NOT":
            pending_not = True
            continue
        if item == "OR":
            if not groups or pending_or:
                bad_or = True
            pending_or = bool(groups)
            continue
        clause = item
        if pending_not:
            clause.negated, pending_not = not clause.negated, False
        if clause.negated:
            excluded.append(clause)
            bad_or = bad_or or pending_or
        elif pending_or:
            groups[-1].append(clause)
        else:
            groups.append([clause])
        pending_or = False
    if pending_or or bad_or:
        notices.append('"OR" needs words on both sides (as in extremism OR terrorism); a stray "OR" was ignored.')
    if pending_not:
        notices.append('"NOT" needs a word after it; it was ignored.')
    return groups, excluded


def _clause_node(clause: Clause, notices: list[str]):
    """The query tree for one clause, or None when it cannot match anything."""
    text = clause.text
    if clause.field == "year":
        if YEAR.fullmatch(text):
            return Keyword("year", text)
        span = YEAR_RANGE.fullmatch(text)
        if span and 0 <= int(span.group(2)) - int(span.group(1)) <= 500:
            return AnyOf(tuple(Keyword("year", str(y)) for y in range(int(span.group(1)), int(span.group(2)) + 1)))
        notices.append(f"year: takes a year such as year:2017 or year:2015-2017, so year:{text} was ignored.")
        return None
    if clause.field == "language":
        if LANGUAGE.fullmatch(text):
            return Keyword("language", text.lower())
        notices.append(f"language: takes a language code such as language:en, so language:{text} was ignored.")
        return None
    if clause.field in ("speaker", "organisation", "document"):
        words = Match(f"{clause.field}_names", text, phrase=True)
        slug = text.strip().lower()
        return AnyOf((words, Keyword(clause.field, slug))) if re.fullmatch(r"[\w-]+", slug) else words
    if not clause.phrase and text.endswith("*"):
        stem = text.rstrip("*")
        tokens = word_tokens(stem)
        if len(tokens) == 1 and len(tokens[0]) >= 3 and len(tokens[0]) == len(stem):
            return Match("text", stem, prefix=True)
        notices.append(f'"*" completes a word of three letters or more (as in extrem*); in "{text}" it was ignored.')
        text = stem
    if not analyze(text):
        return None
    return Match("text", text, phrase=clause.phrase)


def _limit_prefixes(clauses: list[Clause], notices: list[str]) -> None:
    """Keep the "*" of the first MAX_PREFIXES prefix words only; the others are searched as plain words."""
    starred = [c for c in clauses if c.field is None and not c.phrase and c.text.endswith("*")]
    for clause in starred[MAX_PREFIXES:]:
        clause.text = clause.text.rstrip("*")
    if len(starred) > MAX_PREFIXES:
        dropped = ", ".join(f"{c.text}*" for c in starred[MAX_PREFIXES:])
        notices.append(
            f"Only {MAX_PREFIXES} words of a search can end in “*”, so {dropped} were searched as the words themselves."
        )


def parse_query(text: str) -> ParsedQuery:
    """Understand a user's query. Never raises; whatever cannot be used is reported in `notices`."""
    parsed = ParsedQuery(text=text or "")
    notices = parsed.notices
    groups, excluded = _group(_scan(parsed.text, notices), notices)
    if sum(len(g) for g in groups) + len(excluded) > MAX_CLAUSES:
        notices.append(f"Only the first {MAX_CLAUSES} words or phrases were used.")
        kept, budget = [], MAX_CLAUSES
        for group in groups:
            if budget <= 0:
                break
            kept.append(group[:budget])
            budget -= len(kept[-1])
        groups, excluded = kept, excluded[: max(0, budget)]

    _limit_prefixes([*(c for g in groups for c in g), *excluded], notices)
    children, terms, phrases, prefixes = [], set(), [], []
    typed_positive = False
    for group in groups:
        nodes = []
        for clause in group:
            typed_positive = True
            node = _clause_node(clause, notices)
            if node is None:
                continue
            nodes.append(node)
            if clause.field is None:
                parsed.has_text = True
                parsed.words.extend(word_tokens(clause.text.rstrip("*")))
                if isinstance(node, Match) and node.prefix:
                    prefixes.append(word_tokens(node.text)[0])
                elif clause.phrase:
                    phrases.append(tuple(analyze(clause.text)))
                else:
                    terms.update(analyze(clause.text))
        if nodes:
            children.append(nodes[0] if len(nodes) == 1 else AnyOf(tuple(nodes)))
    exclude = tuple(node for node in (_clause_node(c, notices) for c in excluded) if node is not None)

    if children or exclude:
        parsed.node = AllOf(tuple(children), exclude)
    if typed_positive and not children:
        parsed.nothing_searchable = True
        notices.append(
            "Nothing in your search can be looked up: it has only very common words (such as “the” or “of”), "
            "or no letters or digits."
        )
    parsed.words = list(dict.fromkeys(parsed.words))
    parsed.terms = frozenset(terms)
    parsed.phrases = tuple(p for p in phrases if p)
    parsed.prefixes = tuple(prefixes)
    return parsed


# --- Highlighting ---------------------------------------------------------------------------------------------------


def match_spans(text: str, parsed: ParsedQuery) -> list[tuple[int, int]]:
    """Character spans of `text` that the query matched (words, whole phrases, prefixes), merged and in order."""
    if not text or not (parsed.terms or parsed.phrases or parsed.prefixes):
        return []
    tokens = analyze_with_positions(text)
    spans = []
    for term, start, end in tokens:
        if term in parsed.terms or any(text[start:end].lower().startswith(p) for p in parsed.prefixes):
            spans.append((start, end))
    sequence = [term for term, _, _ in tokens]
    for phrase in parsed.phrases:
        size = len(phrase)
        for i in range(len(sequence) - size + 1):
            if tuple(sequence[i : i + size]) == phrase:
                spans.append((tokens[i][1], tokens[i + size - 1][2]))
    merged = []
    for start, end in sorted(spans):
        if merged and start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(end, merged[-1][1]))
        else:
            merged.append((start, end))
    return merged


def _marked(text: str, spans, start: int = 0, end: int | None = None) -> str:
    end = len(text) if end is None else end
    out, position = [], start
    for span_start, span_end in spans:
        if span_end <= start or span_start >= end:
            continue
        span_start, span_end = max(span_start, start), min(span_end, end)
        out.append(escape(text[position:span_start]))
        out.append(f"<mark>{escape(text[span_start:span_end])}</mark>")
        position = span_end
    out.append(escape(text[position:end]))
    return "".join(out)


def highlight(text: str, parsed: ParsedQuery) -> SafeString:
    """`text` HTML-escaped, with what the query matched wrapped in <mark>. Safe to put in a page as it is."""
    return mark_safe(_marked(text or "", match_spans(text or "", parsed)))


def snippet(text: str, parsed: ParsedQuery, length: int = 300) -> SafeString:
    """About `length` characters of `text` around its first match (or its start), escaped and highlighted."""
    text = text or ""
    spans = match_spans(text, parsed)
    if len(text) <= length:
        return mark_safe(_marked(text, spans))
    start = 0
    if spans:
        start = max(0, spans[0][0] - length // 3)
        if start:
            space = text.find(" ", start)
            start = space + 1 if 0 <= space < spans[0][0] else start
    end = min(len(text), start + length)
    if end < len(text):
        space = text.rfind(" ", start, end)
        end = space if space > start else end
    body = _marked(text, spans, start, end)
    return mark_safe(("… " if start else "") + body + (" …" if end < len(text) else ""))


# --- Running a search ------------------------------------------------------------------------------------------------


@dataclass
class FacetValue:
    value: str
    label: str
    count: int
    active: bool = False


@dataclass
class Facet:
    name: str  # the URL parameter
    title: str
    values: list[FacetValue]


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


def backend():
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
        completions = backend().count_prefix_words(node.field, word_tokens(node.text)[0], MAX_PREFIX_WORDS + 1)
        if completions is not None and completions > MAX_PREFIX_WORDS:
            wide[node] = Match(node.field, node.text)
    if not wide:
        return parsed
    words = [word_tokens(node.text)[0] for node in wide]
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
        terms=parsed.terms | {term for word in words for term in analyze(word)},
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
            loaded.append(Hit(obj, highlight(obj.text, parsed)))
        elif kind.name == "articles":
            loaded.append(Hit(obj, highlight(obj.title, parsed), snippet(obj.body_text, parsed)))
        else:
            loaded.append(Hit(obj, highlight(obj.title, parsed), snippet(obj.description, parsed)))
    return loaded


def facet_labels(name: str, values) -> dict[str, str]:
    """Display names for facet values (slugs, codes) as readers know them."""
    values = list(values)
    if name == "speaker":
        return dict(Person.objects.filter(slug__in=values).values_list("slug", "name"))
    if name == "organisation":
        return {o.slug: o.display_name for o in Organisation.objects.filter(slug__in=values)}
    if name == "document":
        return {d.slug: d.short_title or d.title for d in Document.objects.filter(slug__in=values)}
    if name == "language":
        return {value: language_name(value) for value in values}
    if name == "speech":
        return {value: str(Quotation.Speech(value).label) for value in values if value in Quotation.Speech.values}
    return {value: value for value in values}


def language_name(code: str) -> str:
    return native_name(code)


def build_facets(kind: SearchType, counts: dict[str, dict[str, int]], params: SearchParams, limit: int = 12):
    """The facets beside the results: for each, the `limit` most frequent values (years: the latest) and the active
    one, labelled. Only the values shown are looked up: a common word's hits have ~2,000 speakers at 20,000
    articles, and labelling them all took longer than the search."""
    facets = []
    for name in kind.facets:
        values = counts.get(name) or {}
        active = str(getattr(params, name) or "")
        if name == "year":
            chosen = sorted(values, reverse=True)[:limit]
        else:
            chosen = sorted(values, key=lambda value: (-values[value], value))[:limit]
        if active in values and active not in chosen:
            chosen.append(active)
        labels = facet_labels(name, chosen)
        items = [
            FacetValue(value, labels[value], values[value], active=value == active)
            for value in chosen
            if value in labels
        ]
        if name != "year":
            items.sort(key=lambda item: (-item.count, item.label.lower()))
        if items:
            facets.append(Facet(name, FACET_TITLES[name], items))
    return facets


def describe_filters(params: SearchParams) -> list[tuple[str, str, str]]:
    """(URL parameter, title, label) for each filter in force, for "active filters" and feeds' titles."""
    described = []
    for name, value in params.filters:
        label = facet_labels(name, [value]).get(value, value)
        described.append((name, FACET_TITLES[name], label))
    if params.date_from:
        described.append(("from", "From", params.date_from.isoformat()))
    if params.date_to:
        described.append(("to", "To", params.date_to.isoformat()))
    return described


def suggest_spelling(params: SearchParams, parsed: ParsedQuery | None = None) -> str | None:
    """A corrected query that finds something, when the query itself finds nothing; None otherwise.

    Asks the index's spelling terms directly (haystack returns no suggestion for zero hits) and only offers a
    correction whose search has hits.
    """
    parsed = parsed if parsed is not None else parse_query(params.q)
    words = [w for w in parsed.words if len(w) >= 3 and analyze(w)]
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
    words = [w for w in parsed.words if analyze(w)]
    if not words:
        return [], []
    node = AllOf(
        (
            AnyOf(tuple(Match("names", word) for word in words)),
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
    lengths: ~0.6 s to read at 20,000 articles) is ready before the first reader asks. Without an index yet, it does
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
