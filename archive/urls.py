from django.contrib import admin
from django.templatetags.static import static
from django.urls import include, path, register_converter
from django.views.decorators.csrf import csrf_exempt
from django.views.generic.base import RedirectView
from django.views.i18n import set_language

from archive import api, feeds
from archive.sitemaps import SITEMAPS, sitemap_index, sitemap_section
from archive.views import browse
from archive.views.search import search_view


class FourDigitYear:
    regex = "[0-9]{4}"
    to_python = int

    def to_url(self, value):
        return f"{int(value):04d}"


class TwoDigitMonth:
    regex = "[0-9]{2}"
    to_python = int

    def to_url(self, value):
        return f"{int(value):02d}"


register_converter(FourDigitYear, "yyyy")
register_converter(TwoDigitMonth, "mm")

app_name = "archive"

archive_patterns = [
    path("", browse.home, name="home"),
    path("articles/<slug:slug>/", browse.article_detail, name="article_detail"),
    path("quotations/<int:pk>/", browse.quotation_detail, name="quotation_detail"),
    path("quotations/<int:pk>/cite.ris", browse.quotation_citation, {"fmt": "ris"}, name="quotation_ris"),
    path("quotations/<int:pk>/cite.json", browse.quotation_citation, {"fmt": "csl"}, name="quotation_csl"),
    path("quotations/<int:pk>/cite.bib", browse.quotation_citation, {"fmt": "bibtex"}, name="quotation_bibtex"),
    path("speakers/", browse.person_list, name="person_list"),
    path("speakers/<slug:slug>/", browse.person_detail, name="person_detail"),
    path("organisations/", browse.organisation_list, name="organisation_list"),
    path("organisations/<slug:slug>/", browse.organisation_detail, name="organisation_detail"),
    path("documents/", browse.document_list, name="document_list"),
    path("documents/<slug:slug>/", browse.document_detail, name="document_detail"),
    path("archive/", browse.archive_index, name="archive_index"),
    path("archive/<yyyy:year>/", browse.archive_year, name="archive_year"),
    path("archive/<yyyy:year>/<mm:month>/", browse.archive_month, name="archive_month"),
    path("feeds/", include(feeds.urlpatterns)),
    path("api/", include(api.urlpatterns)),
    path(
        "sitemap.xml",
        sitemap_index,
        {"sitemaps": SITEMAPS, "sitemap_url_name": "archive:sitemap_section"},
        name="sitemap",
    ),
    path("sitemap-<section>.xml", sitemap_section, {"sitemaps": SITEMAPS}, name="sitemap_section"),
    path("robots.txt", browse.robots_txt, name="robots_txt"),
    # Browsers and feed readers ask for /favicon.ico whatever the page says; the one icon is an SVG.
    path("favicon.ico", RedirectView.as_view(url=static("favicon.svg"), permanent=True), name="favicon"),
    path("search/", search_view, name="search"),
]

handler404 = "archive.views.browse.page_not_found"

urlpatterns = [
    path("admin/", admin.site.urls),
    # The language switcher's form is on pages kept in a shared cache (archive/page_cache.py), which cannot hold a
    # reader's own CSRF token; what a forged request could do here is change someone's interface language.
    path("i18n/setlang/", csrf_exempt(set_language), name="set_language"),
    path("", include((archive_patterns, "archive"))),
]
