"""`import_articles`, `extract_quotes` and `export_archive`: files in, the archive out, nothing lost."""

import json
import shutil
from pathlib import Path

import pytest
from django.core.management import call_command

from archive.importers import export_archive
from archive.models import Article, Document, Person, Quotation
from tests.command_support import run
from tests.conftest import SEED_TEXT
from tests.factories import make_article, make_person, make_quotation

pytestmark = pytest.mark.django_db

FILES = Path(__file__).resolve().parent / "import_files"
SEED_TITLE = "SCO Secretary-General: The threat of extremism must be removed without delay"


def test_plain_text_import_proposes_the_seed_quotations_as_suggestions():
    """The seed's text format imports with its eight direct quotations waiting for review, none public."""
    out, _err, code = run("import_articles", str(SEED_TEXT))
    assert code == 0 and "created" in out
    article = Article.objects.get(title=SEED_TITLE)
    assert article.published_at.strftime("%d.%m.%Y %H:%M") == "13.06.2017 07:48"
    direct = article.quotations.filter(speech=Quotation.Speech.DIRECT)
    assert direct.count() == 8
    assert set(direct.values_list("review", flat=True)) == {Quotation.Review.SUGGESTED}
    assert set(direct.values_list("speaker__name", flat=True)) == {"Rashid Alimov"}
    assert not Quotation.objects.public().exists()


def test_confirm_flag_makes_imported_quotations_public():
    """With --confirm the extracted quotations, their speaker and documents are public at once."""
    run("import_articles", str(SEED_TEXT), "--confirm")
    assert Quotation.objects.public().filter(speech=Quotation.Speech.DIRECT).count() == 8
    assert Person.objects.get(name="Rashid Alimov").needs_review is False
    assert not Document.objects.filter(quotations__isnull=False, needs_review=True).exists()


def test_importing_the_same_files_twice_does_not_duplicate():
    """A second import of the same articles reports them as existing and stores nothing new."""
    paths = [str(SEED_TEXT), str(FILES / "un_briefing.json"), str(FILES / "asean_statement.html")]
    run("import_articles", *paths)
    counts = (Article.objects.count(), Quotation.objects.count(), Person.objects.count())
    out, _err, code = run("import_articles", *paths)
    assert code == 0
    assert out.count(": exists:") == 3
    assert (Article.objects.count(), Quotation.objects.count(), Person.objects.count()) == counts


def test_json_article_with_its_quotations_is_stored_as_written():
    """A JSON article's own quotations, speaker, publisher and document links are stored, confirmed."""
    run("import_articles", str(FILES / "un_briefing.json"))
    article = Article.objects.get(source_url="https://news.example.org/un/2018/11/briefing")
    assert article.publisher.name == "United Nations" and article.place == "New York"
    quotation = article.quotations.get()
    assert quotation.review == Quotation.Review.CONFIRMED
    assert quotation.speaker.name == "Vladimir Voronkov"
    assert article.body_text[quotation.start : quotation.end] == quotation.text
    assert [d.title for d in quotation.documents.all()] == ["Security Council resolution 2396 (2017)"]
    mention = article.document_mentions.get()
    assert article.body_text[mention.start : mention.end] == "resolution 2396 (2017)"


def test_saved_html_page_keeps_the_article_and_drops_the_site_chrome():
    """From a saved news page, the title, date, source and article text are kept; menus and footers are not."""
    run("import_articles", str(FILES / "asean_statement.html"))
    article = Article.objects.get()
    assert article.title == "ASEAN Secretary-General urges unity on counter-terrorism"
    assert article.published_at.date().isoformat() == "2019-06-21"
    assert article.source_url == "https://news.example.org/2019/06/asean-unity-counter-terrorism"
    assert "No single country can defeat terrorism alone" in article.body_text
    assert "Privacy policy" not in article.body_text and "Most read" not in article.body_text
    speakers = set(article.quotations.values_list("speaker__name", flat=True))
    assert speakers == {"Lim Jock Hoi"}


def test_a_broken_file_is_reported_and_the_others_still_import(tmp_path):
    """Broken files are named with the reason; good ones in the same run are stored; the exit code says so."""
    for name in ("broken.json", "no_date.txt", "un_briefing.json"):
        shutil.copy(FILES / name, tmp_path / name)
    (tmp_path / "empty.txt").write_text("")
    out, err, code = run("import_articles", str(tmp_path))
    assert code == 2
    assert "broken.json: failed: invalid JSON at line" in err
    assert "no_date.txt: failed:" in err and "empty.txt: failed:" in err
    assert "un_briefing.json: created" in out
    assert "[4/4]" in out + err
    assert Article.objects.count() == 1


def test_dry_run_stores_nothing():
    """--dry-run reads and checks every file, says what would happen, and leaves the archive untouched."""
    out, _err, code = run("import_articles", str(SEED_TEXT), str(FILES / "un_briefing.json"), "--dry-run")
    assert code == 0 and out.count(": would-create:") == 2 and "nothing was stored" in out
    assert not Article.objects.exists() and not Person.objects.exists() and not Document.objects.exists()


def test_extract_quotes_prints_what_extraction_finds_as_json():
    """extract_quotes --json prints the documented fields, with offsets into the body text."""
    out, _err, code = run("extract_quotes", str(SEED_TEXT), "--json")
    assert code == 0
    report = json.loads(out)
    assert {"file", "title", "published", "language", "quotations", "speakers", "organisations", "documents"} <= set(
        report
    )
    direct = [q for q in report["quotations"] if q["direct"]]
    assert len(direct) == 8 and {q["speaker"] for q in direct} == {"Rashid Alimov"}
    body = "\n\n".join(p.strip() for p in SEED_TEXT.read_text().split("\n")[3:] if p.strip())
    assert all(body[q["start"] : q["end"]] == q["text"] for q in report["quotations"])
    assert not Article.objects.exists()


# flush inside the per-test transaction fails on PostgreSQL ("pending trigger events"): this one commits for real.
@pytest.mark.django_db(transaction=True)
def test_export_then_import_into_an_empty_archive_loses_nothing(seed_archive, tmp_path):
    """The whole archive written by export_archive reads back into an empty database identical (a month-only date
    and a suggestion whose speaker is unknown included)."""
    draft = make_article(
        title="A draft", status=Article.Status.DRAFT, published_precision=Article.DatePrecision.MONTH, language="ru"
    )
    make_quotation(draft, make_person("Lim Jock Hoi", aliases="Mr Lim"), review=Quotation.Review.SUGGESTED)
    make_quotation(draft, None, text="“We stand together,” said", review=Quotation.Review.SUGGESTED)
    before = export_archive()
    path = tmp_path / "archive.json"
    run("export_archive", "--output", str(path))

    call_command("flush", interactive=False, verbosity=0)
    assert not Article.objects.exists()
    out, err, code = run("import_articles", str(path))
    assert code == 0, err
    after = export_archive()
    for key in ("organisations", "people", "documents", "articles"):
        assert after[key] == before[key], key
    assert Quotation.objects.count() == 15


@pytest.mark.django_db(transaction=True)
def test_a_back_fill_of_many_files_is_searchable_at_the_end_with_a_progress_bar(tmp_path):
    """Importing a folder of files leaves every article searchable and nothing queued, prints each file's outcome
    as before, and --progress draws a progress bar on stderr."""
    from archive.models import PendingIndexUpdate
    from archive.search import SearchParams, search
    from archive.search.indexing import apply_pending_updates

    apply_pending_updates()  # an archive with its (empty) index, as `serve` leaves it
    lines = SEED_TEXT.read_text().splitlines()
    for n in range(5):
        (tmp_path / f"item{n}.txt").write_text("\n".join([f"Backfilled item number{n} on extremism", *lines[1:]]))
    out, err, code = run("import_articles", str(tmp_path), "--confirm", "--progress")
    assert code == 0 and out.count(": created: Backfilled item") == 5
    assert "5/5 files" in err
    assert not PendingIndexUpdate.objects.exists()
    for n in range(5):
        hits = search(SearchParams(q=f"number{n}", type="articles")).hits
        assert [hit.object.title for hit in hits] == [f"Backfilled item number{n} on extremism"]
