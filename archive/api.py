"""A read-only JSON API: quotations, articles, speakers, organisations and documents.

Every list is paginated the same way: {"count", "next", "previous", "results"}, with ?page= (and ?page_size= up to
100). Every record carries "url" (its API address) and "html_url" (its page), and refers to other records by their
absolute API URLs, so a client can walk the archive from any record. Only what the public pages show is served:
published articles, confirmed quotations of published articles, and people the public pages list.
"""

import contextlib
import csv

from django.core.paginator import EmptyPage, PageNotAnInteger, Paginator
from django.db.models import Exists, OuterRef, Prefetch, prefetch_related_objects
from django.http import Http404, HttpResponse, JsonResponse, StreamingHttpResponse
from django.shortcuts import get_object_or_404
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.views.decorators.http import require_safe

from archive import exports
from archive.forms import SearchForm
from archive.models import (
    MAX_YEAR,
    MIN_YEAR,
    Article,
    Document,
    DocumentRelation,
    Organisation,
    Person,
    Quotation,
    Role,
    year_from_text,
)
from archive.search import SearchUnavailable, describe_filters, search

DEFAULT_PAGE_SIZE = 20
MAX_PAGE_SIZE = 100


def json_response(data, status: int = 200) -> JsonResponse:
    response = JsonResponse(data, status=status, json_dumps_params={"ensure_ascii": False, "indent": 1})
    response["Access-Control-Allow-Origin"] = "*"
    return response


def api_not_found(message: str) -> JsonResponse:
    return json_response({"detail": message}, status=404)


class Links:
    """Absolute URLs for records, in the API and on the site."""

    def __init__(self, request):
        self.request = request

    def absolute(self, path_: str) -> str:
        return self.request.build_absolute_uri(path_)

    def api(self, name: str, *args) -> str:
        return self.absolute(reverse(f"archive:{name}", args=args))

    def html(self, record) -> str:
        return self.absolute(record.get_absolute_url())


def paginated(request, queryset, serialise, links: Links) -> JsonResponse:
    try:
        size = min(max(int(request.GET.get("page_size", DEFAULT_PAGE_SIZE)), 1), MAX_PAGE_SIZE)
    except ValueError:
        size = DEFAULT_PAGE_SIZE
    paginator = Paginator(queryset, size)
    try:
        page = paginator.page(request.GET.get("page") or 1)
    except PageNotAnInteger:
        return json_response({"detail": "The page must be a whole number."}, status=400)
    except EmptyPage:
        return api_not_found(f"There is no page {request.GET.get('page')}; the last page is {paginator.num_pages}.")

    def page_link(number):
        query = request.GET.copy()
        query["page"] = number
        return links.absolute(f"{request.path}?{query.urlencode()}")

    return json_response(
        {
            "count": paginator.count,
            "next": page_link(page.next_page_number()) if page.has_next() else None,
            "previous": page_link(page.previous_page_number()) if page.has_previous() else None,
            "results": [serialise(record, links) for record in page.object_list],
        }
    )


# Serialisers: plain functions from a record to a dict.


def quotation_data(quotation: Quotation, links: Links) -> dict:
    role = quotation.role
    return {
        "url": links.api("api_quotation", quotation.pk),
        "html_url": links.html(quotation),
        "id": quotation.pk,
        "text": quotation.text,
        "speech": quotation.speech,
        "date": quotation.date_iso,
        "date_precision": quotation.date_precision,
        "speaker": {"name": quotation.speaker.name, "url": links.api("api_speaker", quotation.speaker.slug)},
        "role": {
            "title": role.title,
            "description": role.describe(),
            "organisation": links.api("api_organisation", role.organisation.slug),
        }
        if role
        else None,
        "article": {
            "title": quotation.article.title,
            "url": links.api("api_article", quotation.article.slug),
            "html_url": links.absolute(f"{quotation.article.get_absolute_url()}#q-{quotation.pk}"),
        },
        "start": quotation.start,
        "end": quotation.end,
        "documents": [
            {"title": document.title, "url": links.api("api_document", document.slug)}
            for document in quotation.documents.all()
        ],
    }


def article_data(article: Article, links: Links, full: bool = False) -> dict:
    data = {
        "url": links.api("api_article", article.slug),
        "html_url": links.html(article),
        "slug": article.slug,
        "title": article.title,
        "published_at": timezone.localtime(article.published_at).isoformat(),
        "published": article.published_iso,
        "published_precision": article.published_precision,
        "publisher": links.api("api_organisation", article.publisher.slug) if article.publisher else None,
        "source_name": article.source_name,
        "source_url": article.source_url,
        "language": article.language,
        "place": article.place,
        "quotations": links.absolute(reverse("archive:api_quotation_list") + f"?article={article.slug}"),
    }
    if full:
        data["translation_key"] = article.translation_key
        data["translations"] = [
            {"language": version.language, "title": version.title, "url": links.api("api_article", version.slug)}
            for version in article.translations()
        ]
        data["body_html"] = article.body_html
        data["body_text"] = article.body_text
        data["organisations"] = [links.api("api_organisation", o.slug) for o in article.organisations.all()]
    return data


def role_data(role: Role, links: Links) -> dict:
    return {
        "title": role.title,
        "description": role.describe(),
        "organisation": links.api("api_organisation", role.organisation.slug),
        "start": role.start.isoformat(),
        "end": role.end.isoformat() if role.end else None,
    }


def speaker_data(person: Person, links: Links) -> dict:
    return {
        "url": links.api("api_speaker", person.slug),
        "html_url": links.html(person),
        "slug": person.slug,
        "name": person.name,
        "aliases": person.alias_list,
        "description": person.description,
        "roles": [role_data(role, links) for role in person.roles.all()],
        "quotation_count": person.quotation_count,
        "quotations": links.absolute(reverse("archive:api_quotation_list") + f"?speaker={person.slug}"),
    }


def organisation_data(organisation: Organisation, links: Links) -> dict:
    return {
        "url": links.api("api_organisation", organisation.slug),
        "html_url": links.html(organisation),
        "slug": organisation.slug,
        "name": organisation.name,
        "short_name": organisation.short_name,
        "kind": organisation.kind,
        "parent": links.api("api_organisation", organisation.parent.slug) if organisation.parent else None,
        "members": [links.api("api_organisation", child.slug) for child in organisation.children.all()],
        "website": organisation.website,
        "description": organisation.description,
        "article_count": organisation.article_count,
        "quotation_count": organisation.quotation_count,
        "documents_adopted": [links.api("api_document", d.slug) for d in organisation.adopted_documents.all()],
        "quotations": links.absolute(reverse("archive:api_quotation_list") + f"?organisation={organisation.slug}"),
        "articles": links.absolute(reverse("archive:api_article_list") + f"?publisher={organisation.slug}"),
    }


def document_data(document: Document, links: Links) -> dict:
    related = [
        {"relation": r.kind, "label": r.get_kind_display(), "direction": "to", "document": r.to_document.slug}
        for r in document.relations_out.all()
    ] + [
        {"relation": r.kind, "label": r.get_kind_display(), "direction": "from", "document": r.from_document.slug}
        for r in document.relations_in.all()
    ]
    for relation in related:
        relation["document"] = links.api("api_document", relation["document"])
    return {
        "url": links.api("api_document", document.slug),
        "html_url": links.html(document),
        "slug": document.slug,
        "title": document.title,
        "short_title": document.short_title,
        "aliases": document.alias_list,
        "kind": document.kind,
        "adopted_on": document.adopted_on.isoformat() if document.adopted_on else None,
        "adopted_year": document.adopted_year,
        "place": document.place,
        "adopting_organisations": [
            links.api("api_organisation", o.slug) for o in document.adopting_organisations.all()
        ],
        "source_url": document.url,
        "description": document.description,
        "related": related,
        "quotation_count": getattr(document, "quotation_count", None),
        "quotations": links.absolute(reverse("archive:api_quotation_list") + f"?document={document.slug}"),
    }


# Querysets, with what each serialiser needs fetched up front.


def public_quotations():
    return Quotation.objects.public().with_related().newest_first()


def public_people():
    roles = Role.objects.select_related("organisation").order_by("-start")
    return Person.objects.public().with_counts().prefetch_related(Prefetch("roles", queryset=roles)).order_by("name")


def organisations():
    return (
        Organisation.objects.public()
        .with_counts()
        .select_related("parent")
        .prefetch_related(
            Prefetch("children", queryset=Organisation.objects.public()),
            Prefetch("adopted_documents", queryset=Document.objects.public()),
        )
        .order_by("name")
    )


def documents():
    return Document.objects.public().with_counts().prefetch_related(*document_relations()).order_by("title")


class BadParameter(ValueError):
    """A URL parameter the API cannot use; its message says why (answered with a 400)."""


def requested_year(params) -> int | None:
    """?year= as a year, None when absent; BadParameter when it names no year the archive can hold."""
    value = params.get("year", "")
    if value == "":
        return None
    year = year_from_text(value)
    if year is None:
        shown = value if len(value) <= 20 else value[:19] + "…"
        raise BadParameter(f"year must be a year from {MIN_YEAR} to {MAX_YEAR} in digits, not “{shown}”.")
    return year


def bad_request(error: BadParameter) -> JsonResponse:
    return json_response({"detail": str(error)}, status=400)


def filter_quotations(queryset, params):
    """The browse filters: ?speaker=, ?organisation=, ?document=, ?article= (slugs) and ?year= (BadParameter when
    the year is not one)."""
    if params.get("speaker"):
        queryset = queryset.filter(speaker__slug=params["speaker"])
    if params.get("organisation"):
        held_role = Role.objects.filter(person=OuterRef("speaker"), organisation__slug=params["organisation"])
        queryset = queryset.filter(Exists(held_role))
    if params.get("document"):
        queryset = queryset.filter(document_links__document__slug=params["document"])
    if params.get("article"):
        queryset = queryset.filter(article__slug=params["article"])
    year = requested_year(params)
    if year is not None:
        queryset = queryset.with_year().filter(year=year)
    return queryset


# Views


@require_safe
def api_root(request):
    links = Links(request)
    names = ["quotation", "article", "speaker", "organisation", "document"]
    data = {f"{name}s": links.api(f"api_{name}_list") for name in names}
    with contextlib.suppress(NoReverseMatch):  # the search endpoint arrives with the search feature
        data["search"] = links.api("api_search") + "?q="
    return json_response(data)


@require_safe
def quotation_list(request):
    try:
        quotations = filter_quotations(public_quotations(), request.GET)
    except BadParameter as error:
        return bad_request(error)
    return paginated(request, quotations, quotation_data, Links(request))


@require_safe
def quotation_detail(request, pk):
    quotation = public_quotations().filter(pk=pk).first()
    if quotation is None:
        return api_not_found(f"There is no public quotation {pk}.")
    return json_response(quotation_data(quotation, Links(request)))


@require_safe
def article_list(request):
    articles = Article.objects.published().latest_first().select_related("publisher")
    if request.GET.get("publisher"):
        articles = articles.filter(publisher__slug=request.GET["publisher"])
    try:
        year = requested_year(request.GET)
    except BadParameter as error:
        return bad_request(error)
    if year is not None:
        articles = articles.filter(published_at__year=year)
    return paginated(request, articles, article_data, Links(request))


@require_safe
def article_detail(request, slug):
    articles = (
        Article.objects.published()
        .select_related("publisher")
        .prefetch_related(Prefetch("organisations", queryset=Organisation.objects.public()))
    )
    article = articles.filter(slug=slug).first()
    if article is None:
        return api_not_found(f"There is no published article “{slug}”.")
    return json_response(article_data(article, Links(request), full=True))


def detail(queryset, serialise, what: str):
    @require_safe
    def view(request, slug):
        try:
            record = get_object_or_404(queryset(), slug=slug)
        except Http404:
            return api_not_found(f"There is no {what} “{slug}”.")
        return json_response(serialise(record, Links(request)))

    return view


def listing(queryset, serialise):
    @require_safe
    def view(request):
        return paginated(request, queryset(), serialise, Links(request))

    return view


# Search: the search page's own functions (archive.search, archive.forms), the same URL parameters.

SERIALISERS = {"quotations": quotation_data, "articles": article_data, "documents": document_data}


def document_relations():
    """What document_data needs fetched up front: public adopters and related documents, both ways."""
    return [
        Prefetch("adopting_organisations", queryset=Organisation.objects.public()),
        Prefetch(
            "relations_out",
            queryset=DocumentRelation.objects.filter(to_document__needs_review=False).select_related("to_document"),
        ),
        Prefetch(
            "relations_in",
            queryset=DocumentRelation.objects.filter(from_document__needs_review=False).select_related("from_document"),
        ),
    ]


@require_safe
def search_api(request):
    """/api/search/?q=...: one page of the search page's results as records, with the filters it applied."""
    form = SearchForm(request.GET)
    params = form.params()
    links = Links(request)
    try:
        page = search(params, with_facets=True, with_extras=False)
    except SearchUnavailable:
        return json_response({"detail": "Search is unavailable for a moment; try again later."}, status=503)
    records = [hit.object for hit in page.hits]
    if params.type == "documents":
        prefetch_related_objects(records, *document_relations())
    serialise = SERIALISERS[params.search_type.name]
    base = reverse("archive:api_search")

    def page_link(number):
        return links.absolute(f"{base}?{params.urlencode(page=number)}")

    query = params.urlencode(page=1)
    return json_response(
        {
            "count": page.total,
            "next": page_link(page.page + 1) if page.has_next else None,
            "previous": page_link(page.page - 1) if page.has_previous else None,
            "query": {"q": params.q, "type": params.type, "sort": page.sort, "page": page.page},
            "filters": [
                {"name": name, "title": title, "label": label} for name, title, label in describe_filters(params)
            ],
            "notices": form.notices + [notice for notice in page.notices if notice not in form.notices],
            "facets": {
                facet.name: [{"value": v.value, "label": v.label, "count": v.count} for v in facet.values]
                for facet in page.facets
            },
            "html_url": links.absolute(reverse("archive:search") + f"?{query}"),
            "csv_url": links.absolute(reverse("archive:search_csv") + f"?{query}"),
            "feed_url": links.absolute(reverse("archive:feed_search") + f"?{query}"),
            "results": [serialise(record, links) for record in records],
        }
    )


CSV_COLUMNS = {
    "quotations": ["id", "date", "speaker", "role", "text", "speech", "documents", "article", "article_url", "url"],
    "articles": ["slug", "published_at", "title", "publisher", "source_url", "url"],
    "documents": ["slug", "title", "kind", "adopted", "place", "url"],
}


def csv_row(record, kind: str, links: Links) -> list:
    if kind == "quotations":
        return [
            record.pk,
            record.date_iso,
            record.speaker.name,
            record.role.describe() if record.role else "",
            record.text,
            record.speech,
            "; ".join(document.title for document in record.documents.all()),
            record.article.title,
            links.html(record.article),
            links.html(record),
        ]
    if kind == "articles":
        publisher = record.publisher.name if record.publisher else record.source_name
        published = timezone.localtime(record.published_at).isoformat()
        if record.published_precision != Article.DatePrecision.DAY:
            published = record.published_iso  # "2007-06", not the first instant of June
        return [record.slug, published, record.title, publisher, record.source_url, links.html(record)]
    adopted = record.adopted_on.isoformat() if record.adopted_on else (record.adopted_year or "")
    return [record.slug, record.title, record.kind, adopted, record.place, links.html(record)]


def csv_safe(value) -> str:
    """Cells a spreadsheet would run as a formula (=, +, -, @ first) are kept as text."""
    text = str(value)
    return "'" + text if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text


class _Lines:
    """A file-like object for csv.writer that hands each written line back instead of keeping it."""

    def write(self, line: str) -> str:
        return line


def csv_chunks(first_page, params, cap: int, links: Links):
    """The CSV text of a search's results a search page at a time, at most `cap` rows, then a note if it was cut."""
    kind = params.search_type.name
    writer = csv.writer(_Lines())
    yield writer.writerow(CSV_COLUMNS[kind])
    page, written = first_page, 0
    try:
        while True:
            hits = page.hits[: cap - written]
            yield "".join(writer.writerow([csv_safe(v) for v in csv_row(hit.object, kind, links)]) for hit in hits)
            written += len(hits)
            if written >= cap or not page.has_next:
                break
            number = page.page + 1
            page = search(
                params.replace(page=number, per_page=exports.EXPORT_PAGE), with_facets=False, with_extras=False
            )
            if page.page != number:  # the results shrank meanwhile: past the last page the search repeats it
                break
    except SearchUnavailable:
        yield writer.writerow([f"# The export stopped after {written:,} rows: search became unavailable."])
        return
    if first_page.total > written and written >= cap:
        yield writer.writerow([cut_note(params, cap, first_page.total, links)])


def cut_note(params, cap: int, total: int, links: Links) -> str:
    query = params.urlencode(page=1, date_from=None, date_to=None)
    return (
        f"# Cut at {cap:,} of {total:,} rows, the most one export gives. To get the rest, export narrower searches "
        f"(from= and to= dates, year=, speaker=, organisation=, document=) one after another, e.g. "
        f"{links.absolute(reverse('archive:search_csv'))}?{query}{'&' if query else ''}from=YYYY-MM-DD&to=YYYY-MM-DD"
    )


@require_safe
def search_csv(request):
    """/api/search.csv?q=...: every result of a search (up to the row cap) as CSV, in the page's order, streamed
    (archive.exports: row caps, and how many exports may run at once)."""
    params = SearchForm(request.GET).params()
    give_back = exports.take_slot()
    if give_back is None:
        return exports.too_many_exports()
    try:
        first = search(params.replace(page=1, per_page=exports.EXPORT_PAGE), with_facets=False, with_extras=False)
    except SearchUnavailable:
        give_back()
        return HttpResponse(
            "Search is unavailable for a moment; try again later.", status=503, content_type="text/plain"
        )
    except BaseException:
        give_back()
        raise
    cap = exports.row_cap(request)
    chunks = csv_chunks(first, params, cap, Links(request))
    response = StreamingHttpResponse(exports.SlotHolder(chunks, give_back), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="archive-{params.search_type.name}-search.csv"'
    response["X-Result-Count"] = str(first.total)
    response["X-Export-Rows"] = str(min(first.total, cap))
    return response


# The list and detail views of the people, organisations and documents (routed in archive/urls.py).
speaker_list = listing(public_people, speaker_data)
speaker_detail = detail(public_people, speaker_data, "speaker")
organisation_list = listing(organisations, organisation_data)
organisation_detail = detail(organisations, organisation_data, "organisation")
document_list = listing(documents, document_data)
document_detail = detail(documents, document_data, "document")
