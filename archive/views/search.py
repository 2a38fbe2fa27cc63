"""The search page, /search/: form in, results with facets out. The logic lives in archive.search and archive.forms."""

import logging
from dataclasses import dataclass

from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext, gettext_noop, ngettext

from archive import charts
from archive.forms import SearchForm
from archive.search import SORTS, TYPES, SearchUnavailable, describe_filters, search

log = logging.getLogger(__name__)

# Filters that mean nothing for a result type are dropped when switching to it.
NOT_FOR_TYPE = {"articles": ("speech",), "documents": ("speaker", "language", "speech")}
PAGE_WINDOW = 3

# Labels the search layer (archive.search) defines in English, translated here where they are shown; marked so that
# makemessages keeps them in the catalogues.
SEARCH_LABELS = (
    gettext_noop("Quotations"),
    gettext_noop("Articles"),
    gettext_noop("Documents"),
    gettext_noop("Relevance"),
    gettext_noop("Newest first"),
    gettext_noop("Oldest first"),
    gettext_noop("Organisation"),
    gettext_noop("Speaker"),
    gettext_noop("Document"),
    gettext_noop("Year"),
    gettext_noop("Language"),
    gettext_noop("Speech"),
    gettext_noop("From"),
    gettext_noop("To"),
)


def results_heading(kind: str, page) -> str:
    """ "1 quotation", "1–20 of 345 articles", "No documents found", in the interface's language."""
    figures = {"first": page.first_index, "last": page.last_index, "total": page.total}
    if kind == "articles":
        if not page.total:
            return gettext("No articles found")
        if page.total == 1:
            return gettext("1 article")
        return (
            ngettext("%(first)s–%(last)s of %(total)s article", "%(first)s–%(last)s of %(total)s articles", page.total)
            % figures
        )
    if kind == "documents":
        if not page.total:
            return gettext("No documents found")
        if page.total == 1:
            return gettext("1 document")
        return (
            ngettext(
                "%(first)s–%(last)s of %(total)s document", "%(first)s–%(last)s of %(total)s documents", page.total
            )
            % figures
        )
    if not page.total:
        return gettext("No quotations found")
    if page.total == 1:
        return gettext("1 quotation")
    return (
        ngettext("%(first)s–%(last)s of %(total)s quotation", "%(first)s–%(last)s of %(total)s quotations", page.total)
        % figures
    )


@dataclass
class Link:
    label: str
    url: str
    current: bool = False


def search_view(request):
    form = SearchForm(request.GET)
    params = form.params()
    sorts = {name: gettext(label) for name, label in SORTS.items()}
    context = {"form": form, "params": params, "notices": form.notices, "sorts": sorts}
    context["type_links"] = type_links(params)
    if params.is_blank:
        return render(request, "search/search.html", context)
    try:
        page = search(params)
    except SearchUnavailable:
        log.exception("Search index unavailable")
        return render(request, "search/unavailable.html", context, status=503)
    base = reverse("archive:search")
    context.update(
        page=page,
        notices=form.notices + [n for n in page.notices if n not in form.notices],
        facets=[(facet, facet_links(base, params, facet)) for facet in page.facets],
        results_heading=results_heading(params.search_type.name, page),
        active_filters=[
            (gettext(title), label, link(base, params, **{name: ""})) for name, title, label in describe_filters(params)
        ],
        sort_links=[Link(label, link(base, params, sort=name), page.sort == name) for name, label in sorts.items()],
        page_links=page_links(base, params, page),
        suggestion_url=link(base, params, q=page.suggestion) if page.suggestion else "",
        hit_groups=hits_by_article(page.hits) if params.type == "quotations" else [],
        year_chart=year_chart(base, params, page),
        exports=export_links(params),
    )
    return render(request, "search/search.html", context)


def link(base: str, params, **changes) -> str:
    """The search URL with `changes` applied and back on page 1 (unless a page is given). "" removes a filter."""
    changes.setdefault("page", 1)
    if changes.get("year") == "":
        changes["year"] = None
    if "from" in changes:
        changes["date_from"] = changes.pop("from") or None
    if "to" in changes:
        changes["date_to"] = changes.pop("to") or None
    query = params.urlencode(**changes)
    return f"{base}?{query}" if query else base


def facet_links(base, params, facet) -> list:
    """(value, URL) for each value: the URL narrows to the value, or removes the filter when it is in force."""
    return [(value, link(base, params, **{facet.name: "" if value.active else value.value})) for value in facet.values]


def type_links(params) -> list[Link]:
    base = reverse("archive:search")
    links = []
    for name, kind in TYPES.items():
        dropped = dict.fromkeys(NOT_FOR_TYPE.get(name, ()), "")
        links.append(
            Link(gettext(kind.label), link(base, params, type=name, **dropped), params.search_type.name == name)
        )
    return links


def page_links(base, params, page) -> dict:
    if page.num_pages <= 1:
        return {}
    numbers = sorted(
        {1, page.num_pages, *range(max(1, page.page - PAGE_WINDOW), min(page.num_pages, page.page + PAGE_WINDOW) + 1)}
    )
    items, previous = [], 0
    for number in numbers:
        if number - previous > 1:
            items.append(None)  # a gap
        items.append(Link(str(number), link(base, params, page=number), number == page.page))
        previous = number
    return {
        "previous": link(base, params, page=page.page - 1) if page.has_previous else "",
        "next": link(base, params, page=page.page + 1) if page.has_next else "",
        "pages": items,
    }


def hits_by_article(hits) -> list[tuple]:
    """(article, hits) for each run of hits from one article: its title is shown once above them, and the hits keep
    the order the search gave them (the same as the API's and the CSV's)."""
    groups: list[tuple] = []
    for hit in hits:
        article = hit.object.article
        if groups and groups[-1][0].pk == article.pk:
            groups[-1][1].append(hit)
        else:
            groups.append((article, [hit]))
    return groups


def year_chart(base, params, page):
    """The year facet drawn as bars, each leading to the search narrowed to its year (or None without years)."""
    years = next((facet for facet in page.facets if facet.name == "year"), None)
    if years is None or params.year or len(years.values) < 2:
        return None
    counts = {int(value.value): value.count for value in years.values if value.value.isdigit()}
    links = {year: link(base, params, year=str(year)) for year in counts}
    title = gettext("%(things)s per year") % {"things": gettext(params.search_type.label)}
    return charts.timeline(counts, title=title, links=links, noun=params.search_type.noun)


def export_links(params) -> list[Link]:
    """The current search as an Atom feed, CSV and JSON, with the same query and filters."""
    query = params.urlencode(page=None)
    return [
        Link(gettext("Atom feed"), f"{reverse('archive:feed_search')}?{query}"),
        Link("CSV", f"{reverse('archive:search_csv')}?{query}"),
        Link("JSON", f"{reverse('archive:api_search')}?{query}"),
    ]
