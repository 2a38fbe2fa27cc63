"""Embargoes: an article dated in the future stays out of every public view until its time, then appears there
without anyone acting (the clock is moved through archive.clock, not waited for)."""

# ruff: noqa: F811 - pytest fixtures imported from tests.search_support are redefined as arguments

import datetime

import pytest
from django.core.management import call_command

from archive import clock
from archive.models import Organisation, PendingIndexUpdate, Person
from archive.search import SearchParams, search
from archive.search.indexing import find_drift
from tests.factories import make_article, make_quotation
from tests.search_support import indexed_seed  # noqa: F401 (fixture)

pytestmark = pytest.mark.django_db

BODY = "<p>“Quasar cooperation starts today,” said Rashid Alimov.</p>"


def visible_everywhere(client, article, quotation) -> dict[str, bool]:
    """Where a reader (or a search engine) would find the article or its quotation."""
    return {
        "page": client.get(article.get_absolute_url()).status_code == 200,
        "quotation page": client.get(quotation.get_absolute_url()).status_code == 200,
        "home": article.title in client.get("/").content.decode(),
        "publisher page": article.title in client.get("/organisations/sco/").content.decode(),
        "feed": article.title in client.get("/feeds/articles/").content.decode(),
        "sitemap": article.slug in client.get("/sitemap-articles.xml").content.decode(),
        "api list": article.slug in client.get("/api/articles/").content.decode(),
        "api record": client.get(f"/api/articles/{article.slug}/").status_code == 200,
        "search page": article.title in client.get("/search/?q=quasar").content.decode(),
        "search": bool(search(SearchParams(q="quasar", type="quotations")).hits),
    }


def test_an_embargoed_article_appears_everywhere_when_its_time_comes(
    indexed_seed, client, monkeypatch, django_capture_on_commit_callbacks
):
    """Published with a time two seconds ahead: hidden from pages, feeds, sitemap, API and search; once the clock
    passes it, the index worker's next round and the next request show it everywhere, with no edit in between."""
    start = clock.now()
    monkeypatch.setattr(clock, "now", lambda: start)  # held still while the "before" pages are read
    release = start + datetime.timedelta(seconds=2)
    with django_capture_on_commit_callbacks(execute=True):
        article = make_article(
            "Quasar treaty announced", BODY, published_at=release, publisher=Organisation.objects.get(slug="sco")
        )
        quotation = make_quotation(
            article, Person.objects.get(slug="rashid-alimov"), "Quasar cooperation starts today,"
        )
    before = visible_everywhere(client, article, quotation)  # pages of this moment go into the page cache
    assert not any(before.values()), before
    assert find_drift().total == 0

    later = release + datetime.timedelta(seconds=1)
    monkeypatch.setattr(clock, "now", lambda: later)
    call_command("index_worker", "--once")  # what the worker's loop does every second, unasked
    after = visible_everywhere(client, article, quotation)
    assert all(after.values()), after
    assert find_drift().total == 0


def test_check_index_is_quiet_about_embargoes_still_to_come(indexed_seed, django_capture_on_commit_callbacks):
    """An embargoed article waits in the queue without counting as pending or as drift."""
    with django_capture_on_commit_callbacks(execute=True):
        make_article("Next year's news", BODY, published_at=clock.now() + datetime.timedelta(days=365))
    drift = find_drift()
    assert drift.total == 0 and drift.pending == 0


def test_a_rebuilt_index_still_learns_of_an_embargo(indexed_seed, monkeypatch, django_capture_on_commit_callbacks):
    """After a restore without the queue and a rebuild, the embargoed article still enters search on time."""
    start = clock.now()
    monkeypatch.setattr(clock, "now", lambda: start)
    with django_capture_on_commit_callbacks(execute=True):
        article = make_article("Quasar treaty announced", BODY, published_at=start + datetime.timedelta(hours=1))
        make_quotation(article, Person.objects.get(slug="rashid-alimov"), "Quasar cooperation starts today,")
    PendingIndexUpdate.objects.all().delete()  # a backup leaves the queue out
    call_command("rebuild_index", "--noinput", verbosity=0)
    monkeypatch.setattr(clock, "now", lambda: start + datetime.timedelta(hours=2))
    call_command("index_worker", "--once")
    assert search(SearchParams(q="quasar", type="quotations")).total == 1
