"""Two editors open the same record in the admin: the second save is refused, shown what changed, and loses
nothing of either editor's work."""

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from archive.models import Article, Person, Quotation
from tests.factories import make_article, make_person, make_quotation

pytestmark = pytest.mark.django_db


@pytest.fixture
def two_editors(staff_client, django_user_model):
    """Two logged-in administrators, each with a browser of their own."""
    other = django_user_model.objects.create_superuser("second", "second@example.org", "another-long-passphrase")
    second = Client()
    second.force_login(other)
    return staff_client, second


def management(prefix):
    return {f"{prefix}-TOTAL_FORMS": "0", f"{prefix}-INITIAL_FORMS": "0", f"{prefix}-MAX_NUM_FORMS": "1000"}


def fingerprint_of(form) -> str:
    return form["edited_from"].value() if "edited_from" in form.fields else ""


def open_article(client, article) -> dict:
    """The change form's fields as the page shows them, with the hidden fingerprint it carries."""
    response = client.get(reverse("admin:archive_article_change", args=[article.pk]))
    published = timezone.localtime(article.published_at)
    return {
        "title": article.title,
        "slug": article.slug,
        "status": article.status,
        "published_at_0": published.date().isoformat(),
        "published_at_1": published.strftime("%H:%M:%S"),
        "language": article.language,
        "place": article.place,
        "source_name": article.source_name,
        "body_html": article.body_html,
        "edited_from": fingerprint_of(response.context["adminform"].form),
        **management("quotations"),
        **management("document_mentions"),
    }


def save(client, url, data):
    return client.post(url, data)


def test_the_second_save_is_refused_and_keeps_both_changes(two_editors):
    """Editor 1 retitles, editor 2 (who opened the page before) sets the place: editor 2's save is refused with a
    message, the form shows editor 1's title and editor 2's place, and saving that keeps both changes."""
    first, second = two_editors
    article = make_article(place="")
    url = reverse("admin:archive_article_change", args=[article.pk])
    form_1, form_2 = open_article(first, article), open_article(second, article)

    assert save(first, url, {**form_1, "title": "ASEAN leaders meet in Bangkok"}).status_code == 302
    response = save(second, url, {**form_2, "place": "Bangkok"})

    assert response.status_code == 200
    stored = Article.objects.get(pk=article.pk)
    assert (stored.title, stored.place) == ("ASEAN leaders meet in Bangkok", "")
    page = response.content.decode()
    assert "Someone else saved this article after you opened it (editor at" in page
    shown = response.context["adminform"].form
    assert shown["title"].value() == "ASEAN leaders meet in Bangkok"  # theirs: editor 2 had not changed it
    assert shown["place"].value() == "Bangkok"  # editor 2's own input

    again = {key: shown.data.getlist(key) for key in shown.data}
    assert save(second, url, again).status_code == 302
    stored.refresh_from_db()
    assert (stored.title, stored.place) == ("ASEAN leaders meet in Bangkok", "Bangkok")


def test_a_field_both_changed_shows_the_other_value_beside_yours(two_editors):
    """When both editors changed the same field, editor 2's input stays in the box and editor 1's is shown."""
    first, second = two_editors
    article = make_article()
    url = reverse("admin:archive_article_change", args=[article.pk])
    form_1, form_2 = open_article(first, article), open_article(second, article)
    save(first, url, {**form_1, "title": "Leaders meet (first editor)"})
    response = save(second, url, {**form_2, "title": "Leaders meet (second editor)"})
    assert response.status_code == 200
    assert response.context["adminform"].form["title"].value() == "Leaders meet (second editor)"
    assert "Saved meanwhile by someone else as: Leaders meet (first editor)" in response.content.decode()
    assert Article.objects.get(pk=article.pk).title == "Leaders meet (first editor)"


def test_people_are_protected_the_same_way(two_editors):
    """The person admin refuses a stale save too (the same mixin serves people, organisations and documents)."""
    first, second = two_editors
    person = make_person(description="")
    url = reverse("admin:archive_person_change", args=[person.pk])

    def opened(client):
        form = client.get(url).context["adminform"].form
        roles = {"roles-TOTAL_FORMS": "0", "roles-INITIAL_FORMS": "0", "roles-MAX_NUM_FORMS": "1000"}
        return {"name": person.name, "slug": person.slug, "edited_from": fingerprint_of(form), **roles}

    form_1, form_2 = opened(first), opened(second)
    assert save(first, url, {**form_1, "description": "Secretary-General of ASEAN 2018-2022."}).status_code == 302
    response = save(second, url, {**form_2, "aliases": "Dato Lim"})
    assert response.status_code == 200
    assert Person.objects.get(pk=person.pk).description == "Secretary-General of ASEAN 2018-2022."
    assert response.context["adminform"].form["description"].value() == "Secretary-General of ASEAN 2018-2022."


def test_an_inline_row_changed_meanwhile_is_named(two_editors):
    """A quotation of the article changed after editor 2 opened the article: editor 2's save is refused and the
    message names the quotation, so its inline row is not written back over the change unseen."""
    _, second = two_editors
    article = make_article()
    quotation = make_quotation(article, make_person())
    url = reverse("admin:archive_article_change", args=[article.pk])
    form_2 = open_article(second, article)
    quotation.speech = Quotation.Speech.REPORTED
    quotation.save()
    response = save(second, url, {**form_2, "place": "Bangkok"})
    assert response.status_code == 200
    assert "Rows below changed meanwhile: quotation “Lim Jock Hoi: “We stand together,”” was changed" in (
        response.content.decode().replace("&quot;", '"')
    )
