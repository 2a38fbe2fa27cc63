"""A quotation's role follows from its speaker's roles on its date, whenever either changes, and the index follows."""

# ruff: noqa: F811 - pytest fixtures imported from tests.search_support are redefined as arguments

import datetime

import pytest
from django.core.management import CommandError, call_command

from archive.models import Organisation, Quotation
from archive.search import SearchParams, search
from archive.search.indexing import find_drift
from tests.factories import make_article, make_person, make_quotation, make_role
from tests.search_support import indexed_seed, published_at  # noqa: F401 (fixture)

pytestmark = pytest.mark.django_db


@pytest.fixture
def speaker_without_role(indexed_seed, django_capture_on_commit_callbacks):
    """Seven confirmed, published quotations of a speaker with no role on record, and the UN as a body."""
    with django_capture_on_commit_callbacks(execute=True):
        un = Organisation.objects.get(slug="un")  # the seed's
        speaker = make_person("Amina Diallo")
        sentences = [f"Point {n} matters for peace," for n in range(7)]
        body = "".join(f"<p>“{s}” said Amina Diallo.</p>" for s in sentences)
        article = make_article("Diallo on peace", body, published_at=published_at(2019, 3, 4))
        for sentence in sentences:
            make_quotation(article, speaker, sentence)
    return speaker, un


def un_hits() -> int:
    return search(SearchParams(organisation="un", type="quotations", per_page=100)).total


def test_a_role_added_later_reaches_the_existing_quotations(
    speaker_without_role, client, django_capture_on_commit_callbacks
):
    """Giving the speaker a UN role covering their quotations' date fills every quotation's role, the API shows
    it, and the organisation filter and facet find all seven."""
    speaker, un = speaker_without_role
    assert un_hits() == 0
    with django_capture_on_commit_callbacks(execute=True):
        role = make_role(speaker, un, title="Special Envoy", start=datetime.date(2018, 1, 1))
    assert set(Quotation.objects.filter(speaker=speaker).values_list("role", flat=True)) == {role.pk}
    api = client.get("/api/quotations/", {"speaker": speaker.slug}).json()["results"]
    assert [q["role"]["title"] for q in api] == ["Special Envoy"] * 7
    assert un_hits() == 7
    facet = client.get("/search/", {"q": "peace"}).content.decode()
    assert 'organisation=un"' in facet or "organisation=un&" in facet
    assert find_drift().total == 0


def test_a_role_ended_or_deleted_leaves_the_quotations_it_no_longer_covers(
    speaker_without_role, django_capture_on_commit_callbacks
):
    """Moving a role's end before the quotations' date, or deleting it, takes it off them (and off the index)."""
    speaker, un = speaker_without_role
    with django_capture_on_commit_callbacks(execute=True):
        role = make_role(speaker, un, title="Special Envoy", start=datetime.date(2018, 1, 1))
        role.end = datetime.date(2018, 12, 31)
        role.save()
    assert not Quotation.objects.filter(speaker=speaker, role__isnull=False).exists() and un_hits() == 0
    with django_capture_on_commit_callbacks(execute=True):
        role.end = None
        role.save()
    assert un_hits() == 7
    with django_capture_on_commit_callbacks(execute=True):
        role.delete()
    assert not Quotation.objects.filter(speaker=speaker, role__isnull=False).exists() and un_hits() == 0
    assert find_drift().total == 0


def test_check_index_finds_and_repairs_stale_roles(speaker_without_role, capsys):
    """Roles changed behind the ORM's back are reported by check_index and derived again by --repair."""
    speaker, un = speaker_without_role
    role = make_role(speaker, un, title="Special Envoy", start=datetime.date(2018, 1, 1))
    Quotation.objects.filter(speaker=speaker).update(role=None)  # no signals: the stored role is now stale
    with pytest.raises(CommandError, match="7 quotation role"):
        call_command("check_index")
    call_command("check_index", "--repair")
    assert set(Quotation.objects.filter(speaker=speaker).values_list("role", flat=True)) == {role.pk}
    call_command("check_index")
    assert "No drift" in capsys.readouterr().out
    assert un_hits() == 7
