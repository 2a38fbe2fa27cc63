from django.contrib import admin
from django.urls import include, path

from archive.views import browse

app_name = "archive"

archive_patterns = [
    path("", browse.home, name="home"),
    path("articles/<slug:slug>/", browse.article_detail, name="article_detail"),
    path("quotations/<int:pk>/", browse.quotation_detail, name="quotation_detail"),
    path("speakers/<slug:slug>/", browse.person_detail, name="person_detail"),
    path("organisations/<slug:slug>/", browse.organisation_detail, name="organisation_detail"),
    path("documents/<slug:slug>/", browse.document_detail, name="document_detail"),
]

urlpatterns = [
    path("admin/", admin.site.urls),
    path("", include((archive_patterns, "archive"))),
]
