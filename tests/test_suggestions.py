"""The admin's review flow: paste an article, see the suggested quotations, confirm or reject them."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from archive.models import Article, Document, Person, Quotation
from archive.suggestions import propose_suggestions
from tests.conftest import SEED_TEXT

pytestmark = pytest.mark.django_db

SEED_TITLE = "SCO Secretary-General: The threat of extremism must be removed without delay"


def seed_body() -> str:
    return "\n".join(SEED_TEXT.read_text(encoding="utf-8").split("\n")[3:])


def management(prefix):
    return {f"{prefix}-TOTAL_FORMS": "0", f"{prefix}-INITIAL_FORMS": "0", f"{prefix}-MAX_NUM_FORMS": "1000"}


def paste_article(client, **fields):
    data = {
        "title": SEED_TITLE,
        "status": Article.Status.PUBLISHED,
        "published_at_0": "2017-06-13",
        "published_at_1": "07:48:00",
        "language": "en",
        "body_html": seed_body(),
        "extract_quotations": "on",
        **management("quotations"),
        **management("document_mentions"),
    }
    data.update(fields)
    return client.post(reverse("admin:archive_article_add"), data, follow=True)


def test_pasted_article_gets_suggestions_that_readers_do_not_see(staff_client, client):
    """Pasting the seed text proposes its quotations; until confirmed, readers see neither them nor new records."""
    response = paste_article(staff_client)
    assert response.status_code == 200
    assert "8 " in response.content.decode() or "suggested" in response.content.decode()
    article = Article.objects.get()
    suggestions = article.quotations.filter(review=Quotation.Review.SUGGESTED)
    assert suggestions.filter(speech=Quotation.Speech.DIRECT).count() == 8
    assert Person.objects.get(name="Rashid Alimov").needs_review

    quotation = suggestions.first()
    assert client.get(quotation.get_absolute_url()).status_code == 404
    page = client.get(article.get_absolute_url()).content.decode()
    assert quotation.speaker.get_absolute_url() not in page and quotation.get_absolute_url() not in page
    assert client.get(quotation.speaker.get_absolute_url()).status_code == 404


def test_the_admin_shows_the_text_with_suggestions_marked(staff_client):
    """The article's change page shows the body with each suggestion marked and linked for review."""
    paste_article(staff_client)
    article = Article.objects.get()
    page = staff_client.get(reverse("admin:archive_article_change", args=[article.pk])).content.decode()
    assert page.count("<mark") >= 8
    assert "Suggested (awaiting review): Rashid Alimov" in page
    first = article.quotations.order_by("start").first()
    assert reverse("admin:archive_quotation_change", args=[first.pk]) in page


def test_confirming_all_suggestions_publishes_quotations_speaker_and_documents(staff_client, client):
    """The 'confirm all' action makes the quotations, their speaker and their documents public."""
    paste_article(staff_client)
    article = Article.objects.get()
    staff_client.post(
        reverse("admin:archive_article_changelist"),
        {"action": "confirm_suggestions", "_selected_action": [article.pk]},
    )
    assert article.quotations.public().filter(speech=Quotation.Speech.DIRECT).count() == 8
    assert not Person.objects.filter(needs_review=True).exists()
    assert not Document.objects.filter(quotations__article=article, needs_review=True).exists()
    quotation = article.quotations.get(text__startswith="The new convention may become the backbone")
    page = client.get(quotation.get_absolute_url()).content.decode()
    assert "The new convention may become the backbone" in page and "Rashid Alimov" in page


def test_one_suggestion_can_be_edited_and_confirmed_alone(staff_client):
    """An admin corrects a suggestion's text in its form and confirms it; the others stay suggestions."""
    paste_article(staff_client)
    quotation = Quotation.objects.filter(speech=Quotation.Speech.DIRECT).order_by("start").first()
    data = {
        "article": quotation.article_id,
        "speaker": quotation.speaker_id,
        "text": quotation.text.rstrip(","),
        "speech": quotation.speech,
        "attribution": quotation.attribution,
        "review": Quotation.Review.CONFIRMED,
        **management("document_links"),
    }
    response = staff_client.post(reverse("admin:archive_quotation_change", args=[quotation.pk]), data)
    assert response.status_code == 302
    quotation.refresh_from_db()
    assert quotation.review == Quotation.Review.CONFIRMED and not quotation.text.endswith(",")
    assert quotation.article.body_text[quotation.start : quotation.end] == quotation.text
    assert Quotation.objects.filter(review=Quotation.Review.SUGGESTED).count() >= 7


def test_rejected_suggestions_stay_rejected_when_extraction_runs_again(staff_client):
    """Rejecting a suggestion hides it, and re-extracting does not propose it again."""
    paste_article(staff_client)
    rejected = Quotation.objects.order_by("start").first()
    staff_client.post(
        reverse("admin:archive_quotation_changelist"), {"action": "reject", "_selected_action": [rejected.pk]}
    )
    staff_client.post(
        reverse("admin:archive_article_changelist"),
        {"action": "re_extract", "_selected_action": [rejected.article_id]},
    )
    same_span = Quotation.objects.filter(start=rejected.start, end=rejected.end)
    assert list(same_span.values_list("review", flat=True)) == [Quotation.Review.REJECTED]


def test_re_extraction_replaces_unreviewed_suggestions_without_duplicates(staff_client):
    """Running extraction twice leaves one suggestion per quotation."""
    paste_article(staff_client)
    article = Article.objects.get()
    first = article.quotations.count()
    propose_suggestions(article)
    assert article.quotations.count() == first


def test_uploading_a_file_fills_the_article(staff_client):
    """An uploaded text file supplies the title, date and body, and its quotations are proposed."""
    upload = SimpleUploadedFile("seed.txt", SEED_TEXT.read_bytes(), content_type="text/plain")
    response = paste_article(
        staff_client, title="", body_html="", published_at_0="", published_at_1="", source_file=upload
    )
    assert response.status_code == 200
    article = Article.objects.get()
    assert article.title == SEED_TITLE
    assert article.published_at.strftime("%Y-%m-%d %H:%M") == "2017-06-13 07:48"
    assert article.quotations.filter(speech=Quotation.Speech.DIRECT).count() == 8


def test_an_unreadable_upload_is_refused_with_the_reason(staff_client):
    """A broken upload gives a form error naming the problem, and nothing is stored."""
    upload = SimpleUploadedFile("broken.json", b'{"title": "x", ', content_type="application/json")
    response = paste_article(staff_client, title="", body_html="", source_file=upload)
    assert "This file cannot be read: invalid JSON" in response.content.decode()
    assert not Article.objects.exists()


def test_confirmed_suggestions_are_found_by_search(staff_client, client, django_capture_on_commit_callbacks):
    """Pasted, reviewed and confirmed in the admin, a quotation is then found on the search page."""
    from archive.search.indexing import apply_pending_updates

    apply_pending_updates()  # the index exists before the editor's work, as on a running archive
    with django_capture_on_commit_callbacks(execute=True):
        paste_article(staff_client)
    search_url = reverse("archive:search") + "?q=%22backbone+for+drafting%22"
    assert 'href="/quotations/' not in client.get(search_url).content.decode()

    article = Article.objects.get()
    with django_capture_on_commit_callbacks(execute=True):
        staff_client.post(
            reverse("admin:archive_article_changelist"),
            {"action": "confirm_suggestions", "_selected_action": [article.pk]},
        )
    quotation = article.quotations.get(text__startswith="The new convention may become the backbone")
    page = client.get(search_url).content.decode()
    assert quotation.get_absolute_url() in page


def test_confirming_on_a_draft_says_it_is_a_draft_and_offers_publishing(staff_client, client):
    """Confirming a draft's suggestions says readers see none of them yet and how to publish; "confirm and
    publish" makes the article and its quotations public in one step; the page shows the state on top."""
    paste_article(staff_client, status=Article.Status.DRAFT)
    article = Article.objects.get()
    changelist = reverse("admin:archive_article_changelist")
    response = staff_client.post(
        changelist, {"action": "confirm_suggestions", "_selected_action": [article.pk]}, follow=True
    )
    message = response.content.decode()
    assert "readers see none of them while their article is not public" in message
    assert "Draft: readers see nothing of this article" in message
    assert "Confirm all suggested quotations and publish" in message
    change_page = staff_client.get(reverse("admin:archive_article_change", args=[article.pk])).content.decode()
    assert "Visible to readers" in change_page and "Draft: readers see nothing" in change_page
    assert client.get(article.get_absolute_url()).status_code == 404

    staff_client.post(changelist, {"action": "confirm_and_publish", "_selected_action": [article.pk]})
    assert client.get(article.get_absolute_url()).status_code == 200
    quotation = article.quotations.filter(review=Quotation.Review.CONFIRMED).first()
    assert client.get(quotation.get_absolute_url()).status_code == 200


# -- quotations whose speaker extraction cannot tell ------------------------------------------------------------

UNATTRIBUTED_BODY = (
    "<p>The talks in Brussels ended late on Tuesday.</p>"
    "<p>“We will not accept any delay in the negotiations,” a senior European diplomat told reporters.</p>"
)


def paste_unattributed(client):
    return paste_article(client, title="Talks end in Brussels", body_html=UNATTRIBUTED_BODY)


def unknown_suggestion() -> Quotation:
    return Quotation.objects.get(text__startswith="We will not accept")


def test_a_quotation_without_a_recognisable_speaker_is_still_suggested(staff_client):
    """A quotation extraction cannot attribute arrives as a suggestion with the speaker unknown, and says so."""
    response = paste_unattributed(staff_client)
    assert "1 of them with the speaker unknown" in response.content.decode()
    quotation = unknown_suggestion()
    assert quotation.speaker is None and quotation.review == Quotation.Review.SUGGESTED
    assert str(quotation).startswith("speaker unknown: “We will not accept")


def test_the_admin_marks_a_speaker_unknown_suggestion_in_the_text_and_the_list(staff_client):
    """The marked-up text and the quotation list both say 'speaker unknown', and the list filters for them."""
    paste_unattributed(staff_client)
    quotation = unknown_suggestion()
    page = staff_client.get(reverse("admin:archive_article_change", args=[quotation.article_id])).content.decode()
    assert '<mark id="quotation-' in page and 'class="review-suggested speaker-unknown"' in page
    assert "Suggested (awaiting review): speaker unknown (direct quotation)" in page
    assert "1 quotation(s) with the speaker unknown." in page

    changelist = reverse("admin:archive_quotation_changelist")
    listing = staff_client.get(changelist, {"speaker_unknown": "yes"}).content.decode()
    assert '<strong class="speaker-unknown">speaker unknown</strong>' in listing
    assert "We will not accept any delay" in listing


def test_confirm_all_skips_a_quotation_without_a_speaker_and_says_so(staff_client, client):
    """'Confirm all' leaves the speaker-unknown suggestion unconfirmed, non-public, with a message saying why."""
    paste_unattributed(staff_client)
    article = Article.objects.get()
    response = staff_client.post(
        reverse("admin:archive_article_changelist"),
        {"action": "confirm_suggestions", "_selected_action": [article.pk]},
        follow=True,
    )
    assert "1 quotation(s) not confirmed: the speaker is unknown." in response.content.decode()
    quotation = unknown_suggestion()
    assert quotation.review == Quotation.Review.SUGGESTED
    assert client.get(quotation.get_absolute_url()).status_code == 404


def test_a_quotation_cannot_be_confirmed_until_its_speaker_is_chosen(staff_client, client):
    """Confirming without a speaker is refused in the form; with the speaker chosen it is confirmed and public."""
    paste_unattributed(staff_client)
    article = Article.objects.get()
    article.status = Article.Status.PUBLISHED
    article.save()
    quotation = unknown_suggestion()
    url = reverse("admin:archive_quotation_change", args=[quotation.pk])
    data = {
        "article": article.pk,
        "speaker": "",
        "text": quotation.text,
        "speech": quotation.speech,
        "review": Quotation.Review.CONFIRMED,
        **management("document_links"),
    }
    refused = staff_client.post(url, data)
    assert refused.status_code == 200
    assert "Choose the speaker before confirming" in refused.content.decode()
    assert unknown_suggestion().review == Quotation.Review.SUGGESTED

    diplomat = Person.objects.create(name="Anna Berg")
    assert staff_client.post(url, {**data, "speaker": diplomat.pk}).status_code == 302
    assert client.get(quotation.get_absolute_url()).status_code == 200
