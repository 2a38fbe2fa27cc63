"""The seed archive is a faithful model of the founding SCO article."""

import datetime

import pytest

from archive.models import Document, Quotation
from archive.sanitize import split_paragraphs
from tests.conftest import SEED_TEXT

pytestmark = pytest.mark.django_db

SHANGHAI = "Shanghai Convention on Combating Terrorism, Separatism and Extremism"
CONVENTION_2017 = "SCO Convention on Countering Extremism"


def seed_body_paragraphs() -> list[str]:
    title, date_line, _blank, *body = SEED_TEXT.read_text(encoding="utf-8").split("\n")
    return split_paragraphs("\n\n".join(body))


def test_article_title_date_and_body_match_the_seed_text(seed_archive):
    """Title, date and every paragraph of the seed file are in the stored article, in order."""
    lines = SEED_TEXT.read_text(encoding="utf-8").split("\n")
    assert seed_archive.title == lines[0].strip()
    assert seed_archive.published_at == datetime.datetime(2017, 6, 13, 7, 48, tzinfo=datetime.UTC)
    assert seed_archive.body_text.split("\n\n") == seed_body_paragraphs()
    assert seed_archive.publisher.name == "SCO Secretariat"
    assert seed_archive.publisher.parent.short_name == "SCO"


def test_every_quotation_is_found_at_its_offsets(seed_archive):
    """Each quotation's text stands in the article's plain text exactly at its start/end offsets."""
    quotations = list(seed_archive.quotations.all())
    assert quotations
    for quotation in quotations:
        assert seed_archive.body_text[quotation.start : quotation.end] == quotation.text


def test_eight_direct_quotations_all_by_rashid_alimov_as_sco_secretary_general(seed_archive):
    """The article's eight direct quotations are Alimov's, with his SCO role on that date."""
    direct = seed_archive.quotations.filter(speech=Quotation.Speech.DIRECT)
    assert direct.count() == 8
    assert {q.speaker.name for q in direct} == {"Rashid Alimov"}
    assert {q.role.describe() for q in direct} == {"Secretary-General of the SCO"}
    assert seed_archive.quotations.filter(speech=Quotation.Speech.REPORTED).count() >= 4
    alimov = direct.first().speaker
    assert alimov.role_on(datetime.date(2017, 6, 13)).organisation.short_name == "SCO"
    assert "Mr Alimov" in alimov.alias_list


def test_the_five_documents_and_which_quotations_refer_to_them(seed_archive):
    """All five referenced documents exist, and quotations link to the right ones."""
    titles = set(Document.objects.values_list("title", flat=True))
    assert {
        CONVENTION_2017,
        SHANGHAI,
        "SCO Development Strategy Towards 2025",
        "UN Global Counter-Terrorism Strategy",
    } <= titles
    assert Document.objects.filter(title__icontains="universal anti-terrorism convention").exists()
    assert Document.objects.get(title=SHANGHAI).adopted_year == 2001
    assert Document.objects.get(title=CONVENTION_2017).adopted_year == 2017

    elaborating = Quotation.objects.get(text__startswith="The convention adopted by the SCO summit")
    assert set(elaborating.documents.values_list("title", flat=True)) == {
        CONVENTION_2017,
        "SCO Development Strategy Towards 2025",
        "UN Global Counter-Terrorism Strategy",
    }
    for document in Document.objects.all():
        assert document.quotations.exists(), f"no quotation refers to {document}"
        assert document.mentions.filter(article=seed_archive).exists(), f"no mention of {document}"


def test_document_mentions_point_at_the_words_used(seed_archive):
    """Each document mention's offsets cover the words it records."""
    for mention in seed_archive.document_mentions.all():
        assert seed_archive.body_text[mention.start : mention.end] == mention.text


def test_the_2017_convention_elaborates_the_development_strategy(seed_archive):
    """Links between documents are kept: the 2017 convention elaborates the Strategy Towards 2025."""
    convention = Document.objects.get(title=CONVENTION_2017)
    relation = convention.relations_out.get(to_document__title="SCO Development Strategy Towards 2025")
    assert relation.get_kind_display() == "elaborates"
