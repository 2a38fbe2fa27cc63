"""Articles' languages: detected on import when the file does not say, stored, corrected by the editor in the
admin, and given to extraction."""

import json
from io import StringIO

import pytest
from django.core.management import call_command
from django.urls import reverse

from archive.extraction.language_id import detect_language
from archive.models import Article
from archive.suggestions import extract_from_article

SAMPLES = {
    "en": "The Secretary-General said the organisation would continue to support the peace process in the region.",
    "ru": "Генеральный секретарь заявил, что организация продолжит поддерживать мирный процесс в регионе.",
    "zh": "秘书长表示，本组织将继续支持该地区的和平进程，并欢迎各方加强合作。",
    "fr": "Le secrétaire général a déclaré que l'organisation continuerait de soutenir le processus de paix.",
    "es": "El secretario general afirmó que la organización seguirá apoyando el proceso de paz en la región.",
    "de": "Der Generalsekretär sagte, die Organisation werde den Friedensprozess in der Region weiter unterstützen.",
    "ar": "قال الأمين العام إن المنظمة ستواصل دعم عملية السلام في المنطقة وتعزيز التعاون بين الدول.",
}


@pytest.mark.parametrize(("language", "text"), list(SAMPLES.items()))
def test_each_held_language_is_detected_from_one_sentence(language, text):
    """One sentence in each language the archive holds is enough to tell which it is."""
    assert detect_language(text) == language


def test_text_without_letters_gets_the_default_language():
    """Digits and punctuation give no language: the default stands."""
    assert detect_language("2022 — 15:30, 12/05") == "en"


def import_text(tmp_path, text: str, *options: str) -> Article:
    path = tmp_path / "article.txt"
    path.write_text(f"A title\n22 May 2022\n\n{text}\n", encoding="utf-8")
    call_command("import_articles", str(path), *options, stdout=StringIO(), stderr=StringIO())
    return Article.objects.get()


@pytest.mark.django_db
def test_an_imported_article_gets_the_language_detected_in_its_text(tmp_path):
    """A Russian plain-text file (which has no language field) is stored as ru."""
    assert import_text(tmp_path, SAMPLES["ru"]).language == "ru"


@pytest.mark.django_db
def test_the_language_option_overrides_detection(tmp_path):
    """--language en-US is stored as en (the region only decides the order of numeric dates)."""
    assert import_text(tmp_path, SAMPLES["ru"], "--language", "en-US").language == "en"


@pytest.mark.django_db
def test_a_json_article_that_names_its_language_keeps_it_and_one_that_does_not_is_detected(tmp_path):
    """The file's own "language" wins; without one, the text decides."""
    path = tmp_path / "articles.json"
    path.write_text(
        json.dumps(
            [
                {"title": "Declared", "published_at": "2022-05-22", "language": "de", "body_text": SAMPLES["en"]},
                {"title": "Undeclared", "published_at": "2022-05-22", "body_text": SAMPLES["es"]},
            ]
        ),
        encoding="utf-8",
    )
    call_command("import_articles", str(path), stdout=StringIO(), stderr=StringIO())
    assert Article.objects.get(title="Declared").language == "de"
    assert Article.objects.get(title="Undeclared").language == "es"


def management(prefix):
    return {f"{prefix}-TOTAL_FORMS": "0", f"{prefix}-INITIAL_FORMS": "0", f"{prefix}-MAX_NUM_FORMS": "1000"}


def article_form(**fields):
    return {
        "title": "Статья",
        "status": Article.Status.DRAFT,
        "published_at_0": "2022-05-22",
        "published_at_1": "10:00:00",
        "language": "",
        "body_html": SAMPLES["ru"],
        **management("quotations"),
        **management("document_mentions"),
        **fields,
    }


@pytest.mark.django_db
def test_an_article_pasted_in_the_admin_without_a_language_gets_the_detected_one(staff_client):
    """Leaving the language empty in the admin stores the language of the pasted text."""
    response = staff_client.post(reverse("admin:archive_article_add"), article_form())
    assert response.status_code == 302
    assert Article.objects.get().language == "ru"


@pytest.mark.django_db
def test_the_editor_corrects_the_language_and_re_extraction_reads_the_text_in_it(staff_client):
    """A wrong language typed by the editor is kept as typed; corrected, extraction is given the correction."""
    staff_client.post(reverse("admin:archive_article_add"), article_form(language="en"))
    article = Article.objects.get()
    assert article.language == "en"
    change = reverse("admin:archive_article_change", args=[article.pk])
    response = staff_client.post(change, article_form(language="ru", extract_quotations="on"))
    assert response.status_code == 302
    article.refresh_from_db()
    assert article.language == "ru"
    assert extract_from_article(article).language == "ru"


@pytest.mark.django_db
def test_a_saved_page_declaring_its_language_keeps_it(tmp_path):
    """A saved HTML page whose <html lang="fr-FR"> says French is stored as fr, whatever its words."""
    from tests.test_import import FILES

    page = (FILES / "asean_statement.html").read_text(encoding="utf-8").replace('lang="en"', 'lang="fr-FR"', 1)
    path = tmp_path / "page.html"
    path.write_text(page, encoding="utf-8")
    call_command("import_articles", str(path), stdout=StringIO(), stderr=StringIO())
    assert Article.objects.get().language == "fr"
