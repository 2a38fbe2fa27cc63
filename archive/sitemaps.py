"""sitemap.xml: every public page a search engine should know, and nothing a reader may not see."""

from django.contrib.sitemaps import Sitemap
from django.db.models.functions import ExtractYear
from django.urls import reverse

from archive.models import Article, Document, Organisation, Person, Quotation


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


class ArticleSitemap(Sitemap):
    changefreq = "monthly"
    priority = 0.8
    limit = 5000

    def items(self):
        return Article.objects.published().order_by("pk")

    def lastmod(self, article):
        return article.updated_at


class QuotationSitemap(Sitemap):
    changefreq = "yearly"
    priority = 0.5
    limit = 5000

    def items(self):
        return Quotation.objects.public().order_by("pk").only("pk", "updated_at")

    def lastmod(self, quotation):
        return quotation.updated_at


class PersonSitemap(Sitemap):
    changefreq = "weekly"

    def items(self):
        return Person.objects.public().order_by("pk").only("slug")


class OrganisationSitemap(Sitemap):
    changefreq = "weekly"

    def items(self):
        return Organisation.objects.public().order_by("pk").only("slug")


class DocumentSitemap(Sitemap):
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
