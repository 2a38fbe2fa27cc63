from django.contrib import admin
from django.templatetags.static import static
from django.urls import include, path, register_converter
from django.views.decorators.csrf import csrf_exempt
from django.views.generic.base import RedirectView
from django.views.i18n import set_language

from archive import api, feeds
from archive.models import Document, Organisation, Person
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

feed_patterns = [
    path("search/", feeds.SearchFeed(), name="feed_search"),
    path("articles/", feeds.LatestArticlesFeed(), name="feed_articles"),
    path("speakers/<slug:slug>/", browse.follow_old_slugs(Person)(feeds.SpeakerFeed()), name="feed_speaker"),
    path(
        "organisations/<slug:slug>/",
        browse.follow_old_slugs(Organisation)(feeds.OrganisationFeed()),
        name="feed_organisation",
    ),
    path("documents/<slug:slug>/", browse.follow_old_slugs(Document)(feeds.DocumentFeed()), name="feed_document"),
]

api_patterns = [
    path("search/", api.search_api, name="api_search"),
    path("search.csv", api.search_csv, name="search_csv"),
    path("", api.api_root, name="api_root"),
    path("quotations/", api.quotation_list, name="api_quotation_list"),
    path("quotations/<int:pk>/", api.quotation_detail, name="api_quotation"),
    path("articles/", api.article_list, name="api_article_list"),
    path("articles/<slug:slug>/", api.article_detail, name="api_article"),
    path("speakers/", api.speaker_list, name="api_speaker_list"),
    path("speakers/<slug:slug>/", api.speaker_detail, name="api_speaker"),
    path("organisations/", api.organisation_list, name="api_organisation_list"),
    path("organisations/<slug:slug>/", api.organisation_detail, name="api_organisation"),
    path("documents/", api.document_list, name="api_document_list"),
    path("documents/<slug:slug>/", api.document_detail, name="api_document"),
]

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
    path("feeds/", include(feed_patterns)),
    path("api/", include(api_patterns)),
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
