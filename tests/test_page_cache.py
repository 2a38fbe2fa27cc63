"""Rendered browse pages kept per data version (archive/page_cache.py): served again to anonymous readers, stale as
soon as a change commits, never for logged-in users, never for errors."""

import pytest
from django.db import transaction
from django.test import Client

from archive.models import Document, DocumentRelation, Person
from archive.settings import cache_from_url

SPEAKER = "/speakers/rashid-alimov/"
DOCUMENT = "/documents/sco-convention-on-countering-extremism/"
CACHED_PAGES = [
    SPEAKER,
    "/organisations/sco/",
    DOCUMENT,
    "/articles/sco-secretary-general-the-threat-of-extremism-must-be-removed-without-delay/",
    "/speakers/",
    "/organisations/",
    "/documents/",
    "/speakers/?letter=R",
    "/documents/?kind=strategy",
    "/",
]


@pytest.mark.parametrize("url", CACHED_PAGES)
def test_second_anonymous_request_is_served_from_the_cache(client, seed_archive, django_assert_num_queries, url):
    """The second reader of a page gets the same page for one query (the data version), with the same headers."""
    first = client.get(url)
    assert first.status_code == 200
    with django_assert_num_queries(1):
        second = client.get(url)
    assert second.status_code == 200
    assert second.content == first.content
    for header in ("Content-Type", "Content-Security-Policy", "X-Frame-Options", "X-Content-Type-Options"):
        assert second.headers[header] == first.headers[header]


def test_query_string_is_part_of_the_key(client, seed_archive):
    """Another page number is another page, not the cached first page."""
    client.get(SPEAKER)
    response = client.get(SPEAKER + "?page=2")
    assert response.status_code == 200
    assert response.wsgi_request.GET["page"] == "2"
    assert response.context is not None  # rendered, not taken from the cache


def test_host_is_part_of_the_key(client, seed_archive):
    """The article page writes its host into its canonical link: each host gets its own copy."""
    url = CACHED_PAGES[3]
    client.get(url, HTTP_HOST="localhost")
    response = client.get(url, HTTP_HOST="127.0.0.1")
    assert 'href="http://127.0.0.1/articles/' in response.content.decode()


@pytest.mark.django_db(transaction=True)
def test_committed_edit_is_visible_on_the_very_next_request(client, seed_archive, django_assert_num_queries):
    """A change committed through the ORM, as the admin commits it, makes every cached page stale at once."""
    assert "Rashid Alimov" in client.get(SPEAKER).content.decode()
    assert "Rashid Alimov" in client.get(DOCUMENT).content.decode()
    with django_assert_num_queries(1):
        client.get(SPEAKER)  # cached
    with transaction.atomic():
        person = Person.objects.get(slug="rashid-alimov")
        person.name = "Rashid K. Alimov"
        person.save()
    assert "Rashid K. Alimov" in client.get(SPEAKER).content.decode()
    assert "Rashid K. Alimov" in client.get(DOCUMENT).content.decode()  # a page that only mentions him


@pytest.mark.django_db(transaction=True)
def test_removing_a_relation_between_documents_is_visible_at_once(client, seed_archive):
    """Relations between documents are shown only on document pages; removing one still moves the data version."""
    strategy = Document.objects.get(slug="sco-development-strategy-towards-2025")
    link = f'href="{strategy.get_absolute_url()}"'
    assert link in client.get(DOCUMENT).content.decode()
    with transaction.atomic():
        DocumentRelation.objects.get(from_document__slug=DOCUMENT.split("/")[2], to_document=strategy).delete()
    assert link not in client.get(DOCUMENT).content.decode()


def test_logged_in_staff_never_get_or_store_cached_pages(staff_client, seed_archive, django_assert_max_num_queries):
    """Staff always get a freshly rendered page, and what is rendered for them is not kept for anyone."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    anonymous = Client()

    def queries(client):
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(SPEAKER).status_code == 200
        return len(ctx.captured_queries)

    staff_queries = queries(staff_client)
    assert queries(staff_client) == staff_queries > 3  # rendered again, not served from the cache
    rendered = queries(anonymous)
    assert rendered > 1  # staff's pages were not stored
    assert queries(anonymous) == 1
    assert queries(staff_client) == staff_queries  # and the anonymous copy is not served to staff


def test_not_found_is_not_cached(client, seed_archive):
    """A mistyped slug gets its helpful 404 every time, rendered afresh, never a cached page."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    for _ in range(2):
        with CaptureQueriesContext(connection) as ctx:
            response = client.get("/speakers/rashid-alimof/")
        assert response.status_code == 404
        assert "Rashid Alimov" in response.content.decode()  # the suggestion
        assert len(ctx.captured_queries) > 1


def test_post_is_refused_not_cached(client, seed_archive):
    """Only GET and HEAD reach the cache; a POST still gets 405."""
    client.get(SPEAKER)
    assert client.post(SPEAKER).status_code == 405


@pytest.mark.parametrize(
    ("url", "backend"),
    [
        ("", "django.core.cache.backends.locmem.LocMemCache"),
        ("redis://cache:6379/0", "django.core.cache.backends.redis.RedisCache"),
        ("memcached://a:11211,b:11211", "django.core.cache.backends.memcached.PyMemcacheCache"),
        ("dummy://", "django.core.cache.backends.dummy.DummyCache"),
    ],
)
def test_cache_url_chooses_a_builtin_backend(url, backend):
    """CACHE_URL picks one of Django's own cache backends; unset, each process keeps pages in memory."""
    assert cache_from_url(url, max_entries=7)["BACKEND"] == backend


def test_cache_url_refuses_what_it_does_not_know():
    """A misspelt CACHE_URL stops the start instead of silently caching nowhere."""
    with pytest.raises(ValueError):
        cache_from_url("reddis://cache", max_entries=7)
