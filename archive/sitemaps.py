"""sitemap.xml: every public page a search engine should know, and nothing a reader may not see.

/sitemap.xml is a sitemap index (Django's sitemaps framework): it names one sitemap per section and page,
/sitemap-<section>.xml?p=N, each of at most PAGE_SIZE addresses, so no request renders the whole archive at once
(a single sitemap of every page, requested a few times at once, grew the server by hundreds of MB). The index reads
counts only, and each section's latest change is one aggregate rather than a walk over every record. Both are kept
whole until the data changes (archive.page_cache): a crawler fetching every page costs one render per data version.
"""

from django.contrib.sitemaps import Sitemap, views
from django.db.models import Max
from django.db.models.functions import ExtractYear
from django.urls import reverse

from archive.models import Article, Document, Organisation, Person, Quotation
from archive.page_cache import cache_page_until_change

PAGE_SIZE = 5000


class PagedSitemap(Sitemap):
    """A section of at most PAGE_SIZE addresses a page; lastmod, where there is one, read from `updated_at`."""

    limit = PAGE_SIZE

    def get_latest_lastmod(self):
        # Django's default takes the max over self.items() in Python, loading every record of the section.
        if not callable(getattr(self, "lastmod", None)):
            return None
        return self.items().order_by().aggregate(latest=Max("updated_at"))["latest"]


class PagesSitemap(Sitemap):
    changefreq = "daily"
    priority = 0.6

    def items(self):
        return [
            "archive:home",
            "archive:organisation_list",
            "archive:person_list",
            "archive:document_list",
            "archive:archive_index",
        ]

    def location(self, item):
        return reverse(item)


class ArticleSitemap(PagedSitemap):
    changefreq = "monthly"
    priority = 0.8

    def items(self):
        return Article.objects.published().order_by("pk").only("slug", "updated_at")

    def lastmod(self, article):
        return article.updated_at


class QuotationSitemap(PagedSitemap):
    changefreq = "yearly"
    priority = 0.5

    def items(self):
        return Quotation.objects.public().order_by("pk").only("pk", "updated_at")

    def lastmod(self, quotation):
        return quotation.updated_at


class PersonSitemap(PagedSitemap):
    changefreq = "weekly"

    def items(self):
        return Person.objects.public().order_by("pk").only("slug")


class OrganisationSitemap(PagedSitemap):
    changefreq = "weekly"

    def items(self):
        return Organisation.objects.public().order_by("pk").only("slug")


class DocumentSitemap(PagedSitemap):
    changefreq = "weekly"

    def items(self):
        return Document.objects.public().order_by("pk").only("slug")


class YearSitemap(Sitemap):
    changefreq = "monthly"
    priority = 0.3

    def items(self):
        years = Article.objects.published().annotate(year=ExtractYear("published_at")).order_by()
        return sorted(years.values_list("year", flat=True).distinct())

    def location(self, year):
        return reverse("archive:archive_year", args=[year])


SITEMAPS = {
    "pages": PagesSitemap,
    "articles": ArticleSitemap,
    "quotations": QuotationSitemap,
    "speakers": PersonSitemap,
    "organisations": OrganisationSitemap,
    "documents": DocumentSitemap,
    "years": YearSitemap,
}


def rendered(view):
    """The view with its TemplateResponse rendered, so the page cache can keep its content."""

    def render_view(request, *args, **kwargs):
        return view(request, *args, **kwargs).render()

    return render_view


sitemap_index = cache_page_until_change(rendered(views.index))
sitemap_section = cache_page_until_change(rendered(views.sitemap))
