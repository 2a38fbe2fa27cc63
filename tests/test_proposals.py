"""Extraction on a draft only proposes: nothing it finds reaches readers until an editor confirms it, and deleting
the draft leaves nothing behind."""

# ruff: noqa: F811 - pytest fixtures imported from tests.search_support are redefined as arguments

import datetime

import pytest
from django.urls import reverse

from archive.models import Article, Document, Organisation, Person, Quotation, Role
from archive.search import SearchParams, search
from tests.search_support import indexed_seed  # noqa: F401 (fixture)
from tests.test_suggestions import paste_article

pytestmark = pytest.mark.django_db

DRAFT_BODY = (
    "“Extremism is a breeding ground for terrorism,” SCO Secretary-General Rashid Alimov said.\n\n"
    "“We will cooperate under the Madrid Accord on Border Security,” said Jens Halvorsen, Director of the "
    "Northern Border Agency."
)
READER_URLS = [
    "/speakers/rashid-alimov/",
    "/api/speakers/rashid-alimov/",
    "/feeds/speakers/rashid-alimov/",
    "/organisations/sco/",
    "/api/search/?q=Secretary-General",
    "/speakers/",
    "/sitemap.xml",
]


def what_readers_see(client) -> dict[str, bytes]:
    pages = {url: client.get(url) for url in READER_URLS}
    assert all(response.status_code == 200 for response in pages.values())
    people = search(SearchParams(q="Alimov Halvorsen Secretary-General", type="quotations", per_page=100))
    return {url: response.content for url, response in pages.items()} | {"search": [h.object.pk for h in people.hits]}


def record_counts() -> dict[str, int]:
    return {model.__name__: model.objects.count() for model in (Person, Role, Organisation, Document)}


def paste_draft(staff_client, captured):
    with captured(execute=True):
        response = paste_article(
            staff_client,
            title="SCO and border officials on extremism",
            status=Article.Status.DRAFT,
            published_at_0="2022-05-05",
            body_html=DRAFT_BODY,
        )
    assert response.status_code == 200
    return Article.objects.get(title="SCO and border officials on extremism")


def test_extraction_on_a_draft_changes_nothing_readers_see(
    indexed_seed, staff_client, client, django_capture_on_commit_callbacks
):
    """A draft's extraction proposes a role for a public speaker, a new person, body and document: the speaker's
    page, the API, feeds, sitemap and search stay byte for byte as they were, and no Role is created."""
    before, roles_before = what_readers_see(client), Role.objects.count()
    draft = paste_draft(staff_client, django_capture_on_commit_callbacks)

    assert "2022" not in client.get("/speakers/rashid-alimov/").content.decode()
    assert what_readers_see(client) == before
    assert Role.objects.count() == roles_before
    assert Person.objects.get(name="Jens Halvorsen").needs_review
    alimov_suggestion = draft.quotations.get(speaker__slug="rashid-alimov")
    assert alimov_suggestion.review == Quotation.Review.SUGGESTED
    assert alimov_suggestion.proposed_role_title == "Secretary-General"


def test_confirming_the_suggestion_makes_the_proposed_role_real(
    indexed_seed, staff_client, client, django_capture_on_commit_callbacks
):
    """Confirming the draft's suggestions turns the proposed title into a Role of the speaker from that date."""
    draft = paste_draft(staff_client, django_capture_on_commit_callbacks)
    with django_capture_on_commit_callbacks(execute=True):
        staff_client.post(
            reverse("admin:archive_article_changelist"),
            {"action": "confirm_suggestions", "_selected_action": [draft.pk]},
        )
    role = Role.objects.get(person__slug="rashid-alimov", start=datetime.date(2022, 5, 5))
    assert role.title == "Secretary-General" and role.organisation.slug == "sco"
    assert draft.quotations.get(speaker__slug="rashid-alimov").role == role
    assert "5 May 2022</time> – present" in client.get("/speakers/rashid-alimov/").content.decode()


def test_deleting_the_draft_leaves_nothing_it_proposed(
    indexed_seed, staff_client, client, django_capture_on_commit_callbacks
):
    """Deleting an unconfirmed draft removes its suggestions and the people, bodies and documents it proposed."""
    before, counts_before = what_readers_see(client), record_counts()
    draft = paste_draft(staff_client, django_capture_on_commit_callbacks)
    assert record_counts() != counts_before
    with django_capture_on_commit_callbacks(execute=True):
        response = staff_client.post(reverse("admin:archive_article_delete", args=[draft.pk]), {"post": "yes"})
    assert response.status_code == 302
    assert record_counts() == counts_before
    assert not Person.objects.filter(name="Jens Halvorsen").exists()
    assert what_readers_see(client) == before


def test_an_article_lists_only_public_organisations(indexed_seed, client):
    """An organisation proposed by extraction and not confirmed is left out of the article's page and API."""
    proposed = Organisation.objects.create(name="Northern Border Agency", needs_review=True)
    indexed_seed.organisations.add(proposed)
    assert "Northern Border Agency" not in client.get(indexed_seed.get_absolute_url()).content.decode()
    api = client.get(f"/api/articles/{indexed_seed.slug}/").json()
    assert not any(proposed.slug in url for url in api["organisations"])
