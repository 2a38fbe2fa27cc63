"""The home page after a change: its whole-archive figures may lag for a few seconds while one recompute runs in
the background (archive.figures.cached_or_refreshing); the latest articles and quotations never do."""

import datetime

import pytest
from django.utils import timezone
from test_browse_queries import build_archive

from archive import figures
from archive.models import Article, Person, Quotation


@pytest.fixture
def held_back(monkeypatch):
    """Background recomputes are collected instead of run; the test runs them when it chooses."""
    pending = []
    monkeypatch.setattr(figures, "run_in_background", pending.append)
    return pending


def publish(title: str, speaker: Person, said_on=None) -> Article:
    article = Article.objects.create(
        title=title,
        slug=title.lower().replace(" ", "-"),
        body_html=f"<p>“{title} is news,” said {speaker.name}.</p>",
        status=Article.Status.PUBLISHED,
        published_at=timezone.make_aware(datetime.datetime(2025, 1, 1, 9)),  # not in the future: that is an embargo
    )
    Quotation.objects.create(article=article, speaker=speaker, text=f"{title} is news,", said_on=said_on)
    return article


def test_after_a_change_the_latest_are_fresh_while_the_counts_lag_one_recompute(client, db, held_back):
    """A new article and its quotation show at once; the counts show the previous version's until the one
    background recompute has run, and that page is not kept as the new version's."""
    build_archive(3)
    assert client.get("/").context["counts"]["articles"] == 4
    publish("Fresh news", Person.objects.get(slug="star"))

    response = client.get("/")
    assert response.context["counts"]["articles"] == 4  # the previous figures
    assert response.context["latest_articles"][0].title == "Fresh news"
    assert response.context["recent_quotations"][0].text == "Fresh news is news,"
    assert len(held_back) == 1
    assert client.get("/").context is not None  # rendered again: the lagging page was not cached
    assert len(held_back) == 1  # one recompute at a time

    held_back.pop()()
    response = client.get("/")
    assert response.context["counts"]["articles"] == 5
    assert response.context["counts"]["quotations"] == 10
    assert client.get("/").context is None  # now served from the page cache


def test_figures_lag_at_most_stale_for_seconds(client, db, held_back, monkeypatch):
    """Once the figures have been known out of date for STALE_FOR seconds, the request computes them itself."""
    build_archive(3)
    client.get("/")
    publish("Fresh news", Person.objects.get(slug="star"))
    assert client.get("/").context["counts"]["articles"] == 4
    monkeypatch.setattr(figures, "STALE_FOR", 0.0)
    assert client.get("/").context["counts"]["articles"] == 5


def test_home_after_a_change_takes_few_queries_with_many_records(client, db, held_back, django_assert_max_num_queries):
    """With previous figures at hand, the first view after a change reads only the data version and the latest
    articles and quotations, each through an index, however many records there are."""
    build_archive(30)
    client.get("/")
    star = Person.objects.get(slug="star")
    for i in range(20):
        publish(f"Fresh news {i}", star, said_on=datetime.date(2029, 12, 1 + i % 3))
    with django_assert_max_num_queries(8):
        response = client.get("/")
    assert response.status_code == 200
    assert response.context["latest_articles"][0].title.startswith("Fresh news")


def test_recent_quotations_are_the_newest_first(db):
    """recent(n) picks the same quotations in the same order as newest_first()[:n], whether they have dates of
    their own (ties on the day included) or take their article's."""
    build_archive(5)
    star = Person.objects.get(slug="star")
    for i, said_on in enumerate([None, datetime.date(2031, 5, 1), datetime.date(2031, 5, 1), None]):
        publish(f"Item {i}", star, said_on=said_on)
    Quotation.objects.filter(said_on__isnull=True, article__slug="meeting-2").update(said_on=datetime.date(2031, 5, 1))
    public = Quotation.objects.public()
    for n in (1, 2, 4, 6, 50):
        assert public.recent(n) == list(public.newest_first()[:n])
