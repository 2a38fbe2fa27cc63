"""Integrity rules of the data model: what the database refuses, and what it fills in by itself."""

import datetime

import pytest
from django.db import IntegrityError, transaction
from django.db.models import ProtectedError
from django.db.models.functions import Coalesce, ExtractYear, TruncDate
from django.utils import timezone

from archive.models import Article, DocumentMention, Person, Quotation, Role, StoredDate
from tests.factories import (
    make_article,
    make_document,
    make_organisation,
    make_person,
    make_quotation,
    make_role,
)

pytestmark = pytest.mark.django_db


def test_a_role_cannot_end_before_it_starts_even_bypassing_forms():
    """The database itself rejects a role whose end precedes its start."""
    person, organisation = make_person(), make_organisation()
    with pytest.raises(IntegrityError), transaction.atomic():
        Role.objects.create(
            person=person,
            organisation=organisation,
            title="Secretary-General",
            start=datetime.date(2020, 1, 1),
            end=datetime.date(2019, 12, 31),
        )
    assert not Role.objects.exists()


def test_deleting_a_quoted_person_is_refused():
    """A speaker with quotations cannot be deleted; the quotations survive."""
    person = make_person()
    make_quotation(make_article(), person)
    with pytest.raises(ProtectedError):
        person.delete()
    assert Quotation.objects.count() == 1


def test_deleting_an_organisation_that_publishes_or_employs_is_refused():
    """An organisation with articles or roles cannot be deleted."""
    publisher = make_organisation()
    make_article(publisher=publisher)
    with pytest.raises(ProtectedError):
        publisher.delete()

    employer = make_organisation(name="United Nations", short_name="UN")
    make_role(make_person(), employer)
    with pytest.raises(ProtectedError):
        employer.delete()


def test_deleting_a_referenced_document_is_refused():
    """A document that a quotation or a mention refers to cannot be deleted."""
    article = make_article(body="<p>“The ASEAN Charter binds us,” said Lim Jock Hoi.</p>")
    charter = make_document()
    quotation = make_quotation(article, make_person(), text="The ASEAN Charter binds us,")
    quotation.documents.add(charter)
    with pytest.raises(ProtectedError):
        charter.delete()

    quotation.documents.clear()
    DocumentMention.objects.create(article=article, document=charter, text="ASEAN Charter")
    with pytest.raises(ProtectedError):
        charter.delete()


def test_deleting_an_article_takes_its_own_quotations_but_not_the_speaker():
    """An article's quotations and mentions belong to it; the people and documents stay."""
    person = make_person()
    article = make_article()
    make_quotation(article, person)
    article.delete()
    assert not Quotation.objects.exists()
    assert Person.objects.filter(pk=person.pk).exists()


def test_slugs_are_unique_and_generated_from_names():
    """Two people with the same name get different slugs; a duplicate slug is refused."""
    first, second = make_person("Lim Jock Hoi"), make_person("Lim Jock Hoi")
    assert first.slug == "lim-jock-hoi"
    assert second.slug != first.slug
    with pytest.raises(IntegrityError), transaction.atomic():
        Person.objects.filter(pk=second.pk).update(slug=first.slug)


def test_quotation_takes_the_role_held_on_its_date():
    """A quotation without a role gets the speaker's role on the article's date, not a later one."""
    person, asean = make_person(), make_organisation()
    old = make_role(
        person, asean, title="Secretary-General", start=datetime.date(2018, 1, 1), end=datetime.date(2022, 12, 31)
    )
    make_role(person, asean, title="Special Envoy", start=datetime.date(2023, 1, 1))
    quotation = make_quotation(make_article(), person)
    assert quotation.role == old
    assert str(quotation.role.describe()) == "Secretary-General of the ASEAN"


def test_quotation_offsets_are_found_in_the_article_text():
    """A quotation saved without offsets is located in the article's plain text."""
    article = make_article()
    quotation = make_quotation(article, make_person())
    assert article.body_text[quotation.start : quotation.end] == "We stand together,"


def test_quotation_offsets_must_be_ordered():
    """The database rejects a quotation whose end offset is not after its start."""
    with pytest.raises(IntegrityError), transaction.atomic():
        make_quotation(make_article(), make_person(), start=10, end=5)


def test_only_published_articles_are_public():
    """published() leaves drafts out."""
    make_article(title="Public", status=Article.Status.PUBLISHED)
    make_article(title="Secret", status=Article.Status.DRAFT)
    assert list(Article.objects.published().values_list("title", flat=True)) == ["Public"]


def test_quotation_years_and_order_follow_the_readers_time_zone():
    """Timelines and newest-first order read the said-on date, else the article's date in the current time zone:
    the same on SQLite's shortcut through the stored text (UTC) as through Django's own conversion (elsewhere)."""
    person = make_person()
    new_year_eve = make_article(
        title="Late news", published_at=timezone.make_aware(datetime.datetime(2019, 12, 31, 23, 30), datetime.UTC)
    )
    morning = make_article(
        title="Morning news", published_at=timezone.make_aware(datetime.datetime(2019, 12, 31, 8, 0), datetime.UTC)
    )
    late = make_quotation(new_year_eve, person)
    early = make_quotation(morning, person)
    dated = make_quotation(morning, person, said_on=datetime.date(2018, 5, 1))
    quotations = Quotation.objects.public()
    assert quotations.per_year() == {2019: 2, 2018: 1}
    assert list(quotations.newest_first()) == [late, early, dated]
    with timezone.override("Asia/Tokyo"):  # 1 January 2020, 08:30 there
        assert quotations.per_year() == {2020: 1, 2019: 1, 2018: 1}
        assert list(quotations.newest_first()) == [late, early, dated]
        django_years = quotations.annotate(y=ExtractYear("article__published_at")).values_list("y", flat=True)
        assert sorted(django_years) == [2019, 2019, 2020]
    for zone in ["UTC", "Asia/Tokyo", "America/Los_Angeles"]:
        with timezone.override(zone):
            ours = quotations.with_year().order_by("pk").values_list("year", flat=True)
            theirs = quotations.annotate(
                y=Coalesce(ExtractYear("said_on"), ExtractYear("article__published_at"))
            ).order_by("pk")
            assert list(ours) == list(theirs.values_list("y", flat=True)), zone
            dates = quotations.annotate(d=StoredDate("article__published_at")).order_by("pk")
            django_dates = quotations.annotate(d=TruncDate("article__published_at")).order_by("pk")
            assert list(dates.values_list("d", flat=True)) == list(django_dates.values_list("d", flat=True)), zone
