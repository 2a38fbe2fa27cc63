"""Reading the archive without typing: home, articles, quotations, speakers, organisations, documents, the
archive by date, robots.txt and the 404 page.

The home page, the speaker, organisation, document and article pages and the A-Z lists are kept whole, per data
change, for anonymous readers (archive/page_cache.py). Views stay thin: they ask the QuerySets in archive/models.py
(published(), public(), with_counts(), ...) and render. Every listing fetches its rows with select_related/
prefetch_related or annotations, so the number of queries does not grow with the number of rows
(tests/test_browse_queries.py pins the counts). The A-Z lists show one letter (documents: one kind) a page, 50 rows
at a time, so a page's size does not grow with the archive either.
"""

import calendar
import datetime
import difflib
import functools
from itertools import groupby

from django.conf import settings
from django.core.paginator import Paginator
from django.db.models import Count, F, Prefetch, Q
from django.db.models.functions import ExtractMonth, ExtractYear, Lower
from django.http import Http404, HttpResponse, HttpResponsePermanentRedirect
from django.shortcuts import get_object_or_404, render
from django.template import loader
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext_lazy
from django.views.decorators.http import require_safe

from archive import charts, figures, letters
from archive.citation import bibtex, csl_json, plain_reference, ris
from archive.highlight import Span, marked_body, surrounding_paragraph
from archive.models import (
    MAX_YEAR,
    MIN_YEAR,
    Article,
    Document,
    DocumentMention,
    DocumentRelation,
    Organisation,
    Person,
    Quotation,
    QuotationDocument,
    Role,
    SlugRedirect,
    StoredYear,
    count_of,
    in_order,
)
from archive.page_cache import cache_page_until_change, keep_out_of_cache

QUOTATIONS_PER_PAGE = 20
ARTICLES_PER_PAGE = 30


def follow_old_slugs(model):
    """For a view of one `model` record by slug: a slug the record had before (SlugRedirect) answers with a
    permanent redirect to the same view under its slug now, query string kept, instead of a 404."""

    def decorate(view):
        @functools.wraps(view)
        def view_or_redirect(request, *args, slug, **kwargs):
            try:
                return view(request, *args, slug=slug, **kwargs)
            except Http404:
                current = SlugRedirect.current_slug(model, slug)
                if not current or current == slug:
                    raise
                match = request.resolver_match
                url = reverse(match.view_name, args=match.args, kwargs={**match.kwargs, "slug": current})
                query = request.META.get("QUERY_STRING", "")
                return HttpResponsePermanentRedirect(f"{url}?{query}" if query else url)

        return view_or_redirect

    return decorate


def paginate(request, queryset, per_page: int, parameter: str = "page", count: int | None = None):
    """The page asked for by ?page= (or another parameter), or the nearest one that exists. `count`, when the
    caller already knows it, saves counting the rows again."""
    paginator = Paginator(queryset, per_page)
    if count is not None:
        paginator.count = count  # a cached_property
    return paginator.get_page(request.GET.get(parameter))


def paginate_by_ids(request, ordered, rows, per_page: int, parameter: str = "page", count: int | None = None):
    """A page of the `ordered` QuerySet, sorted on the ids alone, whose rows are then read from `rows`: sorting
    whole rows (quotations with their articles' texts) costs far more for a body whose people said much."""
    page = paginate(request, ordered.values_list("pk", flat=True), per_page, parameter, count)
    page.object_list = in_order(rows, list(page.object_list))
    return page


def paginate_quotations(request, quotations, count: int | None = None):
    """A page of these quotations, newest first, as cards."""
    return paginate_by_ids(request, quotations.newest_first(), quotations.for_cards(), QUOTATIONS_PER_PAGE, count=count)


LIST_PER_PAGE = 50  # rows of an A-Z list's letter, or of a kind of document


def letter_page(request, names, rows, per_page: int = LIST_PER_PAGE):
    """The A–Z bar of ?letter= (by default the first letter holding records) and the ?page= of that letter's
    records: `names` gives (pk, name) for every record in list order, `rows` reads the page's records whole."""
    bar = letters.letter_bar(names, request.GET.get("letter"))
    page = Paginator(bar.ids, per_page).get_page(request.GET.get("page"))
    page.object_list = in_order(rows, list(page.object_list))
    return bar, page


def render_list(request, template: str, bar, page, **context):
    """An A–Z (or by-kind) list page; a bar entry that does not exist is a 404 that shows the bar to choose from."""
    context.update(bar=bar, page=page)
    return render(request, template, context, status=404 if bar.unknown else 200)


def home_figures() -> dict:
    """The home page's counts and top lists over the whole archive: computed again in the background after a
    change, and meanwhile served as they were for a few seconds (archive.figures.cached_or_refreshing)."""
    speakers = Person.objects.public().with_counts().filter(quotation_count__gt=0).order_by("-quotation_count", "name")
    organisations = Organisation.objects.public().with_counts().order_by("-quotation_count", "-article_count", "name")
    documents = Document.objects.public().with_counts().order_by("-quotation_count", "title")
    return {
        "speakers": list(speakers[:6]),
        "organisations": list(organisations[:6]),
        "documents": list(documents[:6]),
        "years": article_years(),
        "counts": {
            "articles": Article.objects.published().count(),
            "quotations": Quotation.objects.public().count(),
            "speakers": Person.objects.public().count(),
            "organisations": Organisation.objects.public().count(),
            "documents": Document.objects.public().count(),
        },
    }


def home_latest() -> dict:
    """What the home page shows fresh after every change: the latest articles and quotations, read by index."""
    confirmed = Quotation.objects.filter(review=Quotation.Review.CONFIRMED)
    latest_articles = (
        Article.objects.published()
        .latest_first()
        .select_related("publisher")
        .annotate(quotation_count=count_of(confirmed, "article"))[:8]
    )
    return {"latest_articles": list(latest_articles), "recent_quotations": Quotation.objects.public().recent(4)}


@require_safe
@cache_page_until_change
def home(request):
    counts, current = figures.cached_or_refreshing("home", home_figures)
    response = render(request, "archive/home.html", {**counts, **home_latest()})
    return response if current else keep_out_of_cache(response)


def article_years() -> list[tuple[int, int]]:
    """[(year, published articles), ...], newest year first."""
    rows = (
        Article.objects.published()
        .annotate(year=StoredYear("published_at"))
        .order_by()
        .values("year")
        .annotate(n=Count("pk"))
        .values_list("year", "n")
    )
    return sorted(rows, reverse=True)


# Articles and quotations


def quotation_spans(article: Article, quotations) -> list[Span]:
    """Where each quotation stands in the article's text; located by its words when the offsets are stale."""
    spans = []
    text = article.body_text
    for quotation in quotations:
        start, end = quotation.start, quotation.end
        if start is None or end is None or text[start:end] != quotation.text:
            position = text.find(quotation.text) if quotation.text else -1
            if position < 0:
                continue
            start, end = position, position + len(quotation.text)
        label = _("%(speaker)s, %(date)s: permanent page of this quotation") % {
            "speaker": quotation.speaker.name,
            "date": quotation.date_display,
        }
        kind = "" if quotation.is_direct else "reported"
        spans.append(Span(start, end, quotation.get_absolute_url(), f"q-{quotation.pk}", label, kind))
    return spans


@require_safe
@follow_old_slugs(Article)
@cache_page_until_change
def article_detail(request, slug):
    article = get_object_or_404(Article.objects.published().select_related("publisher"), slug=slug)
    quotations = list(article.quotations.public().for_cards().order_by("start", "pk"))
    # Two key lookups rather than an OR across two joins, which SQLite answered by scanning every link.
    mentioned = DocumentMention.objects.filter(article=article).values("document_id")
    quoted = QuotationDocument.objects.filter(quotation__in=[q.pk for q in quotations]).values("document_id")
    documents = Document.objects.public().filter(Q(pk__in=mentioned) | Q(pk__in=quoted)).order_by("title")
    speakers = {q.speaker_id: q.speaker for q in quotations}.values()
    return render(
        request,
        "archive/article_detail.html",
        {
            "article": article,
            "body": marked_body(article.body_html, article.body_text, quotation_spans(article, quotations)),
            "quotations": quotations,
            "documents": documents,
            "speakers": sorted(speakers, key=lambda person: person.name),
            "organisations": article.organisations.public(),
            "translations": article.translations(),
        },
    )


def citations(quotation, role, url: str) -> dict:
    """The plain reference and BibTeX entry, in English whatever the interface's language: a reference keeps one
    form wherever it is pasted."""
    with translation.override(settings.LANGUAGE_CODE):
        return {
            "reference": plain_reference(quotation, role, url, timezone.localdate()),
            "bibtex": bibtex(quotation, role, url, timezone.localdate()),
        }


def public_quotation_for_citing(request, pk):
    """A public quotation, the speaker's role on its date and its permanent address: what every citation needs."""
    quotation = get_object_or_404(Quotation.objects.public().with_related(), pk=pk)
    role = quotation.role or quotation.speaker.role_on(quotation.date)
    return quotation, role, request.build_absolute_uri(quotation.get_absolute_url())


# Citation downloads: (format function, media type, file extension).
CITATION_FORMATS = {
    "ris": (ris, "application/x-research-info-systems", "ris"),
    "csl": (csl_json, "application/vnd.citationstyles.csl+json", "json"),
    "bibtex": (bibtex, "application/x-bibtex", "bib"),
}


@require_safe
def quotation_citation(request, pk, fmt):
    """The quotation's citation as a file a reference manager imports (RIS, CSL-JSON or BibTeX)."""
    quotation, role, url = public_quotation_for_citing(request, pk)
    make, media_type, extension = CITATION_FORMATS[fmt]
    with translation.override(settings.LANGUAGE_CODE):  # in English, as on the page (see citations)
        text = make(quotation, role, url, timezone.localdate())
    response = HttpResponse(text, content_type=f"{media_type}; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="quotation-{quotation.pk}.{extension}"'
    return response


@require_safe
def quotation_detail(request, pk):
    quotation, role, url = public_quotation_for_citing(request, pk)
    others = (
        quotation.article.quotations.public().exclude(pk=quotation.pk).select_related("speaker").order_by("start")[:5]
    )
    return render(
        request,
        "archive/quotation_detail.html",
        {
            "quotation": quotation,
            "role": role,
            "paragraph": surrounding_paragraph(quotation.article.body_text, quotation.start, quotation.end),
            "permalink": url,
            **citations(quotation, role, url),
            "others": others,
        },
    )


# Speakers


@require_safe
@cache_page_until_change
def person_list(request):
    people = Person.objects.public().order_by("name", "pk")
    # to_attr: a plain list per person, where a prefetched manager builds a QuerySet for each row.
    latest_first = Role.objects.select_related("organisation").order_by("-start")
    rows = Person.objects.with_counts().prefetch_related(Prefetch("roles", latest_first, to_attr="roles_latest_first"))
    bar, page = letter_page(request, people.values_list("pk", "name"), rows)
    return render_list(request, "archive/person_list.html", bar, page)


@require_safe
@follow_old_slugs(Person)
@cache_page_until_change
def person_detail(request, slug):
    person = get_object_or_404(
        Person.objects.public().prefetch_related(
            Prefetch("roles", queryset=Role.objects.select_related("organisation").order_by("-start"))
        ),
        slug=slug,
    )
    quotations = person.quotations.public()
    per_year = quotations.per_year()  # every public quotation has a year: its total is the quotation count
    top_documents = (
        Document.objects.public()
        .filter(quotation_links__quotation__in=quotations)
        .annotate(n=Count("quotation_links"))
        .order_by("-n", "title")[:5]
    )
    return render(
        request,
        "archive/person_detail.html",
        {
            "person": person,
            "page": paginate_quotations(request, quotations, count=sum(per_year.values())),
            "top_documents": top_documents,
            "timeline": charts.timeline(per_year, _("Statements by %(name)s per year") % {"name": person.name}),
        },
    )


# Organisations


@require_safe
@cache_page_until_change
def organisation_list(request):
    organisations = Organisation.objects.public().order_by("name", "pk")
    rows = Organisation.objects.with_counts().select_related("parent")
    bar, page = letter_page(request, organisations.values_list("pk", "name"), rows)
    return render_list(request, "archive/organisation_list.html", bar, page)


def quotations_of_people_in(organisation_ids):
    """Public quotations of anyone who has held a role in one of these organisations."""
    # speaker IN (people with such a role): walks the speakers' quotations by index, where a correlated EXISTS
    # tested every public quotation in the archive.
    people = Role.objects.filter(organisation__in=organisation_ids).values("person_id")
    return Quotation.objects.public().filter(speaker__in=people)


@require_safe
@follow_old_slugs(Organisation)
@cache_page_until_change
def organisation_detail(request, slug):
    organisation = get_object_or_404(Organisation.objects.public().select_related("parent"), slug=slug)
    members = list(organisation.children.public().with_counts().order_by("name"))
    body_ids = [organisation.pk, *(member.pk for member in members)]
    roles = Role.objects.filter(organisation__in=body_ids).select_related("person", "organisation")
    quotations = quotations_of_people_in(body_ids)
    per_year = quotations.per_year()
    return render(
        request,
        "archive/organisation_detail.html",
        {
            "organisation": organisation,
            "members": members,
            "roles": roles.order_by("-start", "person__name"),
            "quotations": quotations.newest(8, rows=quotations.for_cards()),
            "quotation_count": sum(per_year.values()),
            "documents": organisation.adopted_documents.public().order_by("-adopted_year", "title"),
            "articles": organisation.published_articles.published().latest_first().without_bodies()[:20],
            "timeline": charts.timeline(
                per_year, _("Statements by people of the %(name)s per year") % {"name": organisation}
            ),
        },
    )


# Documents

KIND_PLURALS = {
    Document.Kind.TREATY: pgettext_lazy("kinds of document", "Treaties"),
    Document.Kind.CONVENTION: pgettext_lazy("kinds of document", "Conventions"),
    Document.Kind.CHARTER: pgettext_lazy("kinds of document", "Charters"),
    Document.Kind.STRATEGY: pgettext_lazy("kinds of document", "Strategies"),
    Document.Kind.RESOLUTION: pgettext_lazy("kinds of document", "Resolutions"),
    Document.Kind.DECLARATION: pgettext_lazy("kinds of document", "Declarations"),
    Document.Kind.AGREEMENT: pgettext_lazy("kinds of document", "Agreements"),
    Document.Kind.OTHER: pgettext_lazy("kinds of document", "Other documents"),
}


def kind_plural(kind: str) -> str:
    """'Conventions', 'Treaties', 'Strategies': the heading for a kind of document (a retired kind: its code)."""
    return str(KIND_PLURALS.get(kind, kind))


def public_adopters():
    return Prefetch("adopting_organisations", queryset=Organisation.objects.public())


@require_safe
@cache_page_until_change
def document_list(request):
    """One kind of document at a time (?kind=, by default the first kind holding any), newest adoption first."""
    documents = Document.objects.public()
    per_kind = dict(documents.order_by().values_list("kind").annotate(n=Count("pk")))
    tabs = [letters.Tab(kind, kind_plural(kind), per_kind.pop(kind, 0)) for kind in Document.Kind.values]
    tabs += [letters.Tab(kind, kind_plural(kind), n) for kind, n in sorted(per_kind.items())]  # retired kinds
    bar = letters.choose(tabs, request.GET.get("kind"), normalise=str.lower)
    kind = bar.current.key if bar.current else None
    ordered = documents.filter(kind=kind).order_by(F("adopted_year").desc(nulls_last=True), Lower("title"), "pk")
    page = paginate_by_ids(
        request,
        ordered,
        Document.objects.with_quotation_count().prefetch_related(
            Prefetch("adopting_organisations", Organisation.objects.public(), to_attr="public_adopters")
        ),
        LIST_PER_PAGE,
        count=bar.current.count if bar.current else 0,
    )
    return render_list(request, "archive/document_list.html", bar, page)


@require_safe
@follow_old_slugs(Document)
@cache_page_until_change
def document_detail(request, slug):
    document = get_object_or_404(Document.objects.public().prefetch_related(public_adopters()), slug=slug)
    quotations = Quotation.objects.public().filter(document_links__document=document)
    per_year = quotations.per_year()
    articles = Article.objects.published().referring_to(document)
    relations = [
        (relation.get_kind_display(), relation.to_document, "out")
        for relation in DocumentRelation.objects.filter(
            from_document=document, to_document__needs_review=False
        ).select_related("to_document")
    ] + [
        (relation.get_kind_display(), relation.from_document, "in")
        for relation in DocumentRelation.objects.filter(
            to_document=document, from_document__needs_review=False
        ).select_related("from_document")
    ]
    return render(
        request,
        "archive/document_detail.html",
        {
            "document": document,
            "kind_plural": kind_plural(document.kind),
            "relations": relations,
            "page": paginate_quotations(request, quotations, count=sum(per_year.values())),
            "articles": paginate_by_ids(
                request,
                articles.latest_first(),
                Article.objects.without_bodies().select_related("publisher"),
                ARTICLES_PER_PAGE,
                parameter="articles",
            ),
            "timeline": charts.timeline(
                per_year, _("Statements referring to the %(title)s per year") % {"title": document}
            ),
        },
    )


# The archive by date


def articles_in(year: int, month: int | None = None):
    """Published articles of a year (and month); a 404 for a year the archive cannot hold (/archive/0000/)."""
    if not MIN_YEAR <= year <= MAX_YEAR:
        raise Http404(f"The archive holds the years {MIN_YEAR} to {MAX_YEAR} only.")
    articles = Article.objects.published().filter(published_at__year=year)
    if month is not None:
        articles = articles.filter(published_at__month=month)
    return articles


@require_safe
def archive_index(request):
    rows = (
        Article.objects.published()
        .annotate(year=ExtractYear("published_at"), month=ExtractMonth("published_at"))
        .order_by()
        .values("year", "month")
        .annotate(n=Count("pk"))
        .values_list("year", "month", "n")
    )
    years = {}
    for year, month, n in sorted(rows, reverse=True):
        years.setdefault(year, []).append((datetime.date(year, month, 1), n))
    return render(
        request, "archive/archive_index.html", {"years": [(y, sum(n for _, n in ms), ms) for y, ms in years.items()]}
    )


@require_safe
def archive_year(request, year):
    articles = articles_in(year).latest_first().select_related("publisher")
    months = [
        (month, list(group))
        for month, group in groupby(articles, key=lambda a: timezone.localtime(a.published_at).month)
    ]
    if not months:
        raise Http404(f"Nothing was published in {year}.")
    neighbours = article_years()
    return render(
        request,
        "archive/archive_year.html",
        {
            "year": year,
            "months": [(datetime.date(year, month, 1), group) for month, group in months],
            "count": sum(len(group) for _, group in months),
            "quotation_count": Quotation.objects.public().filter(article__in=articles_in(year)).count(),
            "years": neighbours,
        },
    )


@require_safe
def archive_month(request, year, month):
    if not 1 <= month <= 12:
        raise Http404("There is no such month.")
    articles = articles_in(year, month).latest_first().select_related("publisher")
    page = paginate(request, articles, ARTICLES_PER_PAGE)
    if not page.paginator.count:
        raise Http404(f"Nothing was published in {calendar.month_name[month]} {year}.")
    quotations = Quotation.objects.public().filter(article__in=articles_in(year, month))
    return render(
        request,
        "archive/archive_month.html",
        {
            "month": datetime.date(year, month, 1),
            "page": page,
            "quotations": quotations.with_related().newest_first()[:10],
            "quotation_count": quotations.count(),
        },
    )


# Discovery and errors


@require_safe
def robots_txt(request):
    sitemap = request.build_absolute_uri(reverse("archive:sitemap"))
    return HttpResponse(
        loader.render_to_string("robots.txt", {"sitemap": sitemap}, request), content_type="text/plain; charset=utf-8"
    )


NOT_FOUND_KINDS = {
    "person_detail": (
        gettext_lazy("There is no such speaker here"),
        lambda: Person.objects.public(),
        "archive:person_list",
        gettext_lazy("All speakers"),
    ),
    "organisation_detail": (
        gettext_lazy("There is no such organisation here"),
        lambda: Organisation.objects.public(),
        "archive:organisation_list",
        gettext_lazy("All organisations"),
    ),
    "document_detail": (
        gettext_lazy("There is no such document here"),
        lambda: Document.objects.public(),
        "archive:document_list",
        gettext_lazy("All documents"),
    ),
    "article_detail": (
        gettext_lazy("There is no such article here"),
        lambda: Article.objects.published(),
        "archive:archive_index",
        gettext_lazy("The archive by date"),
    ),
    "quotation_detail": (
        gettext_lazy("There is no such quotation here"),
        None,
        "archive:home",
        gettext_lazy("The home page"),
    ),
}


def page_not_found(request, exception=None):
    """A 404 that says what was not found and offers the nearest records and a search for the words."""
    match = getattr(request, "resolver_match", None)
    kind = NOT_FOUND_KINDS.get(match.url_name) if match else None
    slug = (match.kwargs.get("slug") or "") if match else ""
    suggestions = []
    if kind and kind[1] and slug:
        slugs = list(kind[1]().order_by().values_list("slug", flat=True)[:5000])
        close = difflib.get_close_matches(slug, slugs, n=3, cutoff=0.6)
        records = {record.slug: record for record in kind[1]().filter(slug__in=close)}
        suggestions = [records[s] for s in close if s in records]
    context = {
        "request_path": request.path,
        "kind": kind[0] if kind else "",
        "list_url": reverse(kind[2]) if kind else "",
        "list_label": kind[3] if kind else "",
        "suggestions": suggestions,
        "words": slug.replace("-", " "),
    }
    return HttpResponse(loader.render_to_string("404.html", context, request), status=404)
