"""The admin: staff add articles with quotations there; nobody else gets in."""

import pytest
from django.urls import reverse

from archive.models import Article, Document, Person, Quotation
from tests.factories import make_article, make_document, make_organisation, make_person, make_quotation

pytestmark = pytest.mark.django_db

BODY = (
    "<p>Jakarta, 23 June 2019.</p>"
    "<p>“ASEAN remains central to the region,” said Secretary-General Lim Jock Hoi.</p>"
    '<p><script>alert("x")</script>The ASEAN Charter guides us.</p>'
)


def inline_management(prefix, total=0, initial=0):
    return {
        f"{prefix}-TOTAL_FORMS": str(total),
        f"{prefix}-INITIAL_FORMS": str(initial),
        f"{prefix}-MIN_NUM_FORMS": "0",
        f"{prefix}-MAX_NUM_FORMS": "1000",
    }


def article_form(speaker, document, **overrides):
    data = {
        "title": "ASEAN Secretary-General on centrality",
        "slug": "asean-centrality",
        "status": Article.Status.PUBLISHED,
        "published_at_0": "2019-06-23",
        "published_at_1": "10:00:00",
        "language": "en",
        "body_html": BODY,
        **inline_management("quotations", total=1),
        "quotations-0-speaker": str(speaker.pk),
        "quotations-0-text": "ASEAN remains central to the region,",
        "quotations-0-speech": Quotation.Speech.DIRECT,
        "quotations-0-review": Quotation.Review.CONFIRMED,
        "quotations-0-referenced_documents": [str(document.pk)],
        **inline_management("document_mentions"),
    }
    data.update(overrides)
    return data


def test_staff_adds_an_article_with_a_quotation_and_readers_see_it(staff_client, client):
    """An article added in the admin, with a quotation and a document, is on the site at once."""
    speaker, charter = make_person("Lim Jock Hoi"), make_document("ASEAN Charter")
    response = staff_client.post(reverse("admin:archive_article_add"), article_form(speaker, charter))
    assert response.status_code == 302, response.context["adminform"].form.errors if response.context else response

    article = Article.objects.get(slug="asean-centrality")
    quotation = article.quotations.get()
    assert article.body_text[quotation.start : quotation.end] == "ASEAN remains central to the region,"
    assert list(quotation.documents.all()) == [charter]
    assert "<script" not in article.body_html

    home = client.get(reverse("archive:home")).content.decode()
    assert "ASEAN Secretary-General on centrality" in home
    page = client.get(article.get_absolute_url()).content.decode()
    assert "ASEAN remains central to the region" in page and "Lim Jock Hoi" in page and "ASEAN Charter" in page
    assert client.get(quotation.get_absolute_url()).status_code == 200


def test_a_quotation_not_in_the_body_is_refused_with_a_message(staff_client):
    """The admin will not store a quotation whose words the article does not contain."""
    speaker, charter = make_person("Lim Jock Hoi"), make_document("ASEAN Charter")
    data = article_form(speaker, charter, **{"quotations-0-text": "Words nobody printed"})
    response = staff_client.post(reverse("admin:archive_article_add"), data)
    assert response.status_code == 200
    assert "do not appear in the article" in response.content.decode()
    assert not Article.objects.exists()


def test_anonymous_and_non_staff_users_cannot_reach_the_admin(client, django_user_model):
    """The admin asks anonymous visitors to log in and turns away logged-in non-staff users."""
    add_url = reverse("admin:archive_article_add")
    response = client.get(add_url)
    assert response.status_code == 302 and reverse("admin:login") in response["Location"]

    reader = django_user_model.objects.create_user("reader", password="a-long-passphrase")
    client.force_login(reader)
    response = client.get(add_url)
    assert response.status_code == 302 and reverse("admin:login") in response["Location"]
    response = client.post(add_url, {"title": "Sneaky"})
    assert response.status_code == 302
    assert not Article.objects.exists()


def test_deleting_a_quoted_person_in_the_admin_is_refused_with_the_reason(staff_client):
    """The admin's delete page names the quotations that protect the person, and the person stays."""
    person = make_person("Lim Jock Hoi")
    make_quotation(make_article(), person)
    url = reverse("admin:archive_person_delete", args=[person.pk])
    page = staff_client.get(url).content.decode()
    assert "protected" in page.lower()
    staff_client.post(url, {"post": "yes"})
    assert Person.objects.filter(pk=person.pk).exists()


def test_deleting_a_referenced_document_in_the_admin_is_refused(staff_client):
    """A document that quotations refer to survives a delete attempt in the admin."""
    document = make_document()
    quotation = make_quotation(
        make_article(body="<p>“The ASEAN Charter binds us,” he said.</p>"),
        make_person(),
        text="The ASEAN Charter binds us,",
    )
    quotation.documents.add(document)
    staff_client.post(reverse("admin:archive_document_delete", args=[document.pk]), {"post": "yes"})
    assert Document.objects.filter(pk=document.pk).exists()


@pytest.mark.parametrize(
    "model, query",
    [
        ("article", "?status__exact=published&year=2019"),
        ("article", "?q=ASEAN"),
        ("quotation", "?review__exact=confirmed&speech__exact=direct"),
        ("person", "?q=Lim"),
        ("organisation", "?kind__exact=igo"),
        ("document", "?kind__exact=charter"),
        ("role", ""),
    ],
)
def test_admin_lists_with_filters_and_search_render(staff_client, model, query):
    """Every list page, with its filters and search, renders for staff."""
    person, asean = make_person(), make_organisation()
    make_quotation(make_article(publisher=asean), person)
    make_document()
    response = staff_client.get(reverse(f"admin:archive_{model}_changelist") + query)
    assert response.status_code == 200


def test_speaker_autocomplete_finds_people_by_alias(staff_client):
    """The speaker autocomplete used in the article form finds a person by an alias."""
    make_person("Rashid Alimov", aliases="Mr Alimov")
    response = staff_client.get(
        reverse("admin:autocomplete"),
        {"term": "Mr Alimov", "app_label": "archive", "model_name": "quotation", "field_name": "speaker"},
    )
    assert [result["text"] for result in response.json()["results"]] == ["Rashid Alimov"]
