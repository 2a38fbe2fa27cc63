"""Facets: what each kind of search counts its hits by, the values' labels, and the filters in force.

The facet names are the URL parameters of the search page (fixed across the team: browse pages link to them) and
the index fields that hold the values (archive/search/documents.py).
"""

from dataclasses import dataclass

from archive.languages import native_name
from archive.models import Document, Organisation, Person, Quotation

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


def build_facets(kind: SearchType, counts: dict[str, dict[str, int]], params, limit: int = 12):
    """The facets beside the results: for each, the `limit` most frequent values (years: the latest) and the active
    one, labelled. Only the values shown are looked up: a common word's hits have thousands of speakers on a large
    archive, and labelling them all took longer than the search."""
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


def describe_filters(params) -> list[tuple[str, str, str]]:
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
