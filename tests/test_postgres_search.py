"""Search on PostgreSQL full-text search (archive/search/backends/postgres.py, SEARCH_URL=postgres://...).

- The search features on the PostgreSQL backend, in-process: run when the test database is PostgreSQL (the second
  run of .ci/run, or DATABASE_URL=postgres://... pytest), skipped on SQLite.
- Two server processes on different ports sharing one PostgreSQL database and search backend (two "machines":
  separate data folders): an article saved through one's admin is found by the other's search page. Runs when
  ARCHIVE_TEST_POSTGRES_URL names a PostgreSQL server whose role may create databases (.ci/run exports it);
  skipped otherwise, and failed instead when ARCHIVE_REQUIRE_POSTGRES=1 (.ci/run sets it).
"""

import os
import re
import secrets
import uuid
from collections import Counter
from urllib.parse import urlsplit

import pytest
from django.core.management import call_command
from django.db import connection
from haystack import connections

from archive.models import Article
from archive.search import SearchParams, language_name, search
from archive.search.indexing import apply_pending_updates, find_drift
from archive.settings.search_url import haystack_connections_from_url
from tests.search_support import facet_counts, indexed_seed, quotation_ids, result_total, varied_archive  # noqa: F401

# ruff: noqa: F811 - pytest fixtures imported from tests.search_support are redefined as arguments


@pytest.fixture
def postgres_search(settings, search_index, db):
    """The default haystack connection on the PostgreSQL backend, in the test database (rolled back after)."""
    if connection.vendor != "postgresql":
        pytest.skip("the test database is not PostgreSQL (this runs in .ci/run's PostgreSQL run)")
    settings.HAYSTACK_CONNECTIONS = {
        "default": {"ENGINE": "archive.search.backends.postgres.PostgresSearchEngine", "DATABASE": "default"}
    }
    connections.connections_info = settings.HAYSTACK_CONNECTIONS
    connections.reload("default")
    yield connections["default"].get_backend()
    connections.reload("default")


def test_search_url_chooses_the_backend(tmp_path):
    """SEARCH_URL: postgres:// gives the PostgreSQL backend on the default database or a "search" alias of its own;
    opensearch(s):// and elasticsearch:// give the documented haystack engines."""
    databases = {"default": {"ENGINE": "django.db.backends.postgresql", "NAME": "archive", "HOST": "db", "PORT": 5432}}
    same = haystack_connections_from_url("postgres://u:p@db:5432/archive", tmp_path, databases)["default"]
    assert same["ENGINE"] == "archive.search.backends.postgres.PostgresSearchEngine" and same["DATABASE"] == "default"
    other = haystack_connections_from_url("postgres://u:p@search:5432/fts?table=docs", tmp_path, databases)["default"]
    assert other["DATABASE"] == "search" and other["TABLE"] == "docs" and databases["search"]["HOST"] == "search"
    opensearch = haystack_connections_from_url("opensearchs://os:9200/archive", tmp_path)["default"]
    assert opensearch == {
        "ENGINE": "django_haystack_opensearch.haystack.OpenSearchSearchEngine",
        "URL": "https://os:9200/",
        "INDEX_NAME": "archive",
    }
    elastic = haystack_connections_from_url("elasticsearch://es:9200/archive", tmp_path)["default"]
    assert elastic["ENGINE"].endswith("Elasticsearch7SearchEngine") and elastic["URL"] == "http://es:9200/"
    whoosh = haystack_connections_from_url("", tmp_path)["default"]
    assert whoosh["PATH"] == str(tmp_path / "whoosh_index")


def test_phrases_stemming_filters_and_highlighting_work_on_postgres(postgres_search, client, varied_archive):
    """On PostgreSQL: a phrase finds its quotation with the phrase highlighted, word forms meet, field filters,
    OR, exclusion and prefixes narrow as on Whoosh."""
    html = client.get("/search/", {"q": '"breeding ground for terrorism"'}).content.decode()
    assert result_total(html) == 1 and "<mark>breeding ground for terrorism</mark>" in html
    assert search(SearchParams(q="extremist")).total == search(SearchParams(q="extremism")).total > 0
    lim = {varied_archive["q_borders"].pk, varied_archive["q_charter"].pk}
    assert {h.object.pk for h in search(SearchParams(q="speaker:lim terrorism")).hits} == lim
    without_charter = search(SearchParams(q="terrorism -charter", speaker="lim-jock-hoi"))
    assert {h.object.pk for h in without_charter.hits} == {varied_archive["q_borders"].pk}
    assert search(SearchParams(q="traffick*")).total == 1
    assert search(SearchParams(q="drug OR charter")).total == 2
    assert search(SearchParams(q="document:asean-charter")).total == 1


def test_facets_sort_dates_and_did_you_mean_work_on_postgres(postgres_search, client, varied_archive):
    """On PostgreSQL: each facet count equals the hits having that value, newest-first sorting and date ranges
    hold, and a misspelling gets a did-you-mean that finds something."""
    everything = search(SearchParams(q="terrorism", per_page=100))
    expected = {"speaker": Counter(), "year": Counter(), "language": Counter(), "speech": Counter()}
    for hit in everything.hits:
        quotation = hit.object
        expected["speaker"][quotation.speaker.name] += 1
        expected["year"][str(quotation.date.year)] += 1
        expected["language"][language_name(quotation.article.language)] += 1
        expected["speech"][quotation.get_speech_display()] += 1
    assert len(expected["speaker"]) == 2 and len(expected["year"]) == 2
    html = client.get("/search/", {"q": "terrorism"}).content.decode()
    assert result_total(html) == everything.total
    for name, counts in expected.items():
        assert facet_counts(html, name) == dict(counts), name

    newest = client.get("/search/", {"q": "terrorism", "sort": "newest"}).content.decode()
    assert quotation_ids(newest)[:2] == [varied_archive["q_borders"].pk, varied_archive["q_charter"].pk]
    french = varied_archive["q_french"]
    assert {h.object.pk for h in search(SearchParams(q="lim OR alimov", date_from=french.date)).hits} == {french.pk}
    misspelt = client.get("/search/", {"q": "terorism"}).content.decode()
    assert "Did you mean" in misspelt and "terrorism" in misspelt


def test_changes_reach_postgres_search_and_check_index_agrees(
    postgres_search, varied_archive, django_capture_on_commit_callbacks
):
    """Publishing, unpublishing and deleting are reflected; rebuild_index works; check_index finds no drift."""
    article = varied_archive["article_2019"]
    with django_capture_on_commit_callbacks(execute=True):
        article.status = Article.Status.DRAFT
        article.save()
    assert search(SearchParams(q="borders")).total == 0
    with django_capture_on_commit_callbacks(execute=True):
        article.status = Article.Status.PUBLISHED
        article.save()
    assert search(SearchParams(q="borders")).total == 1
    with django_capture_on_commit_callbacks(execute=True):
        varied_archive["q_drugs"].delete()
    assert search(SearchParams(q="trafficking")).total == 0
    drift = find_drift()
    assert drift.total == 0 and drift.checked > 5
    call_command("rebuild_index", interactive=False, verbosity=0)
    apply_pending_updates()
    assert search(SearchParams(q="borders")).total == 1 and find_drift().total == 0


def test_a_missing_search_table_gives_503_and_browsing_works(postgres_search, client, indexed_seed):
    """With the search table gone, search answers 503 "temporarily unavailable" and browsing still works."""
    with connection.cursor() as cursor:
        cursor.execute(f"DROP TABLE {postgres_search.table}")
    response = client.get("/search/", {"q": "extremism"})
    assert response.status_code == 503 and "temporarily unavailable" in response.content.decode()
    assert client.get("/").status_code == 200 and client.get(indexed_seed.get_absolute_url()).status_code == 200


# --- Two servers, one PostgreSQL --------------------------------------------------------------------------------


@pytest.fixture
def postgres_server_url():
    url = os.environ.get("ARCHIVE_TEST_POSTGRES_URL", "")
    if not url:
        if os.environ.get("ARCHIVE_REQUIRE_POSTGRES") == "1":
            pytest.fail("ARCHIVE_REQUIRE_POSTGRES=1 but ARCHIVE_TEST_POSTGRES_URL is not set")
        pytest.skip("ARCHIVE_TEST_POSTGRES_URL is not set (a PostgreSQL URL whose role may create databases)")
    import psycopg

    name = f"archive_two_servers_{uuid.uuid4().hex[:8]}"
    admin = psycopg.connect(url, autocommit=True)
    admin.execute(f"CREATE DATABASE {name}")
    try:
        yield urlsplit(url)._replace(path=f"/{name}").geturl()
    finally:
        admin.execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")
        admin.close()


@pytest.mark.slow
def test_two_servers_share_one_postgres_database_and_search(postgres_server_url, tmp_path):
    """Two servers on different ports and data folders (waitress, and gunicorn with 2 workers) share one PostgreSQL
    database and search table: an article added through one's admin is found by the other's search page."""
    from bench.load_test import Client
    from tests.server_support import archive_env, get, manage, shell, start_server, stop, wait_until

    url = postgres_server_url
    env_a = archive_env(tmp_path / "machine-a", DATABASE_URL=url, SEARCH_URL=url)
    env_b = archive_env(tmp_path / "machine-b", DATABASE_URL=url, SEARCH_URL=url)
    manage(env_a, "serve", "--prepare-only")  # migrate, seed, build the search table: once, on one machine
    password = secrets.token_urlsafe(16)
    speaker = shell(
        env_a,
        "from django.contrib.auth import get_user_model; from archive.models import Person; "
        f"get_user_model().objects.create_superuser('editor', 'e@example.org', {password!r}); "
        "print(Person.objects.get(slug='rashid-alimov').pk)",
    )
    server_a, port_a = start_server(env_a)
    server_b, port_b = start_server(env_b, "--workers", "2")
    try:
        assert "Rashid Alimov" in get(port_b, "/search/?q=extremism")[1]
        editor = Client(port_a)
        status, _, page = editor.request("GET", "/admin/login/?next=/admin/")
        token = re.search(rb'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1).decode()
        login = {"csrfmiddlewaretoken": token, "username": "editor", "password": password, "next": "/admin/"}
        assert editor.request("POST", "/admin/login/?next=/admin/", login)[0] == 302
        text = "Quasar cooperation between the two machines is now confirmed,"
        form = {
            "csrfmiddlewaretoken": editor.cookies["csrftoken"],
            "title": "Two machines, one archive",
            "slug": "two-machines",
            "status": "published",
            "published_at_0": "2024-05-06",
            "published_at_1": "10:00:00",
            "language": "en",
            "body_html": f"<p>“{text}” Rashid Alimov said.</p>",
            "quotations-TOTAL_FORMS": "1",
            "quotations-INITIAL_FORMS": "0",
            "quotations-0-speaker": speaker,
            "quotations-0-text": text,
            "quotations-0-speech": "direct",
            "quotations-0-review": "confirmed",
            "document_mentions-TOTAL_FORMS": "0",
            "document_mentions-INITIAL_FORMS": "0",
        }
        status, headers, body = editor.request("POST", "/admin/archive/article/add/", form)
        assert status == 302, body.decode()[:3000]

        found = wait_until(lambda: "Quasar" in get(port_b, "/search/?q=quasar")[1], seconds=15)
        assert found, "machine B's search never found the article saved on machine A"
        assert "<mark>Quasar</mark>" in get(port_b, "/search/?q=quasar")[1]
        assert get(port_b, "/articles/two-machines/")[0] == 200
        assert "Two machines" in get(port_b, "/search/?q=quasar&type=articles")[1]
    finally:
        stop(server_a)
        stop(server_b)
    check = manage(env_b, "check_index", check=False)
    assert check.returncode == 0 and "No drift" in check.stdout, check.stdout + check.stderr
