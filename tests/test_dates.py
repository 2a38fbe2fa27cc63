"""Dates of imported articles: date lines in any common format and language, the order of numeric dates, a year
that a line leaves out, and dates shown no more precisely than the source gives them."""

import datetime
import json
import re
from pathlib import Path

import pytest
from django.urls import reverse
from django.utils import timezone

from archive.citation import bibtex, plain_reference
from archive.extraction import parse_plain_text_article
from archive.extraction.dates import read_date_line
from archive.importers import ImportFileError, ReadContext, read_file
from archive.models import Article
from tests.command_support import run
from tests.factories import make_article, make_person, make_quotation

BODY = "“We will keep working together,” said Secretary-General Lim Jock Hoi."


@pytest.mark.parametrize(
    ("line", "language", "expected", "precision"),
    [
        ("2022-01-26 08:11:51", "", datetime.datetime(2022, 1, 26, 8, 11, 51), "day"),
        ("08:43, March 18, 2022", "", datetime.datetime(2022, 3, 18, 8, 43), "day"),
        ("08/10/2004", "", datetime.datetime(2004, 10, 8), "day"),
        ("2007-06", "", datetime.datetime(2007, 6, 1), "month"),
        ("23/01/2015 - 00:00", "", datetime.datetime(2015, 1, 23), "day"),
        ("22 мая 2022", "ru", datetime.datetime(2022, 5, 22), "day"),
        ("18 de septiembre de 2021", "es", datetime.datetime(2021, 9, 18), "day"),
        ("2021-04", "", datetime.datetime(2021, 4, 1), "month"),
        ("2022年5月22日", "zh", datetime.datetime(2022, 5, 22), "day"),
        ("22 مايو 2022", "ar", datetime.datetime(2022, 5, 22), "day"),
        ("٢٢ مايو ٢٠٢٢", "ar", datetime.datetime(2022, 5, 22), "day"),
        ("22. Mai 2022", "de", datetime.datetime(2022, 5, 22), "day"),
        ("30 juin 2017 à  21:56", "fr", datetime.datetime(2017, 6, 30, 21, 56), "day"),
        ("June 2007", "", datetime.datetime(2007, 6, 1), "month"),
        ("2007", "", datetime.datetime(2007, 1, 1), "year"),
        ("13.06.2017 07:48", "", datetime.datetime(2017, 6, 13, 7, 48), "day"),
    ],
)
def test_date_lines_in_any_common_format_and_language_are_read(line, language, expected, precision):
    """Each date line of the real published items is read, with the precision the line gives."""
    article = parse_plain_text_article(f"A title\n{line}\n\nFirst paragraph.", language=language)
    assert article.published == expected
    assert article.date.precision == precision
    assert article.body_text == "First paragraph."


def test_a_date_line_with_a_time_zone_keeps_it():
    """'4 мая 2020 11:20 (UTC +04:00)', as TASS-style sites print it, is read at its own offset."""
    date = read_date_line("4 мая 2020 11:20 (UTC +04:00)", language="ru")
    assert date.moment.utcoffset() == datetime.timedelta(hours=4)
    assert (date.moment.year, date.moment.month, date.moment.day, date.moment.hour) == (2020, 5, 4, 11)


@pytest.mark.parametrize(
    ("line", "language", "expected"),
    [
        ("08/02/2025", "en", datetime.date(2025, 8, 2)),  # slashes in English: the US form, month first
        ("08/02/2025", "en-US", datetime.date(2025, 8, 2)),
        ("08/02/2025", "en-GB", datetime.date(2025, 2, 8)),  # a region decides outright
        ("08/02/2025", "fr", datetime.date(2025, 2, 8)),  # every other language: day first
        ("08/02/2025", "ru", datetime.date(2025, 2, 8)),
        ("08.02.2025", "en", datetime.date(2025, 2, 8)),  # dots are a day-first form, in English too
        ("23/01/2015 - 00:00", "en", datetime.date(2015, 1, 23)),  # month first is impossible, so day first
        ("12/25/2021", "de", datetime.date(2021, 12, 25)),  # day first is impossible, so month first
        ("2004/10/08", "en", datetime.date(2004, 10, 8)),  # a four-digit first number is the year
    ],
)
def test_ambiguous_numeric_dates_follow_the_convention_of_their_language(line, language, expected):
    """Day first, except slashed dates in English (or en-US) month first; an impossible reading flips."""
    assert read_date_line(line, language=language).moment.date() == expected


@pytest.mark.parametrize("line", ["Not a date at all.", "Tuesday", "7", "2 hours ago", "The summit opened."])
def test_a_line_that_is_not_a_date_stays_body_text(line):
    """Words, a lone weekday or number and relative times are not date lines: the line stays in the body."""
    article = parse_plain_text_article(f"A title\n{line}\n\nMore text.")
    assert article.date is None and article.published is None
    assert article.paragraphs[0] == line


def test_a_date_without_a_year_takes_the_year_given():
    """'November 7' and '7 ноября' are completed with the year the import supplies."""
    assert read_date_line("November 7").moment is None
    assert read_date_line("November 7", year=2022).moment == datetime.datetime(2022, 11, 7)
    assert read_date_line("7 ноября", language="ru", year=2021).moment == datetime.datetime(2021, 11, 7)


# -- importing ----------------------------------------------------------------------------------------------------


def write(tmp_path, name: str, title: str, date_line: str, body: str = BODY):
    path = tmp_path / name
    path.write_text(f"{title}\n{date_line}\n\n{body}\n", encoding="utf-8")
    return str(path)


@pytest.mark.django_db
def test_a_date_line_without_a_year_is_refused_naming_the_line_and_the_fix(tmp_path):
    """Without --year, 'November 7' is refused in one line that names the line and says how to fix it."""
    path = write(tmp_path, "no_year.txt", "ASEAN on the summit", "November 7")
    out, err, code = run("import_articles", path)
    assert code == 2
    assert "line 2 “November 7” has no year: write the year on that line, or give it with --year YYYY" in err
    assert not Article.objects.exists()


@pytest.mark.django_db
def test_year_option_completes_a_date_line_without_one(tmp_path):
    """With --year 2022, 'November 7' imports as 7 November 2022."""
    path = write(tmp_path, "no_year.txt", "ASEAN on the summit", "November 7")
    _out, _err, code = run("import_articles", path, "--year", "2022")
    assert code == 0
    article = Article.objects.get()
    assert article.published_on == datetime.date(2022, 11, 7)
    assert article.published_precision == Article.DatePrecision.DAY


@pytest.mark.django_db
def test_an_unreadable_date_line_is_refused_naming_the_line_and_the_fix(tmp_path):
    """A second line that is no date is refused with the line's number, its words and an example of the fix."""
    path = write(tmp_path, "bad.txt", "ASEAN on the summit", "Jakarta, the day after the summit")
    _out, err, code = run("import_articles", path)
    assert code == 2
    assert "line 2 “Jakarta, the day after the summit” is not a date: put the publication date alone on line 2" in err


@pytest.mark.django_db
def test_a_month_only_date_line_is_stored_with_its_precision(tmp_path):
    """'2007-06' imports as June 2007 with precision month, not as the first of June."""
    path = write(tmp_path, "month.txt", "OSCE chair on the elections", "2007-06")
    run("import_articles", path)
    article = Article.objects.get()
    assert article.published_precision == Article.DatePrecision.MONTH
    assert article.published_display == "June 2007"


@pytest.mark.django_db
def test_json_article_dates_may_be_month_only_or_need_a_year(tmp_path):
    """A JSON article's date may be '2021-04' (month precision) or 'November 7' with a "year" beside it."""
    path = tmp_path / "articles.json"
    articles = [
        {"title": "Month only", "published_at": "2021-04", "body_text": BODY},
        {"title": "With a year field", "published_at": "November 7", "year": 2022, "body_text": BODY},
    ]
    path.write_text(json.dumps(articles), encoding="utf-8")
    _out, err, code = run("import_articles", str(path))
    assert code == 0, err
    assert Article.objects.get(title="Month only").published_display == "April 2021"
    assert Article.objects.get(title="With a year field").published_display == "7 November 2022"


@pytest.mark.django_db
def test_extract_quotes_warns_about_a_date_it_cannot_read_and_still_extracts(tmp_path):
    """extract_quotes needs no date: a date without a year is a warning in its JSON, and the quotations are there."""
    path = write(tmp_path, "no_year.txt", "ASEAN on the summit", "November 7")
    out, _err, code = run("extract_quotes", path, "--json")
    assert code == 0
    report = json.loads(out)
    assert report["published"] is None
    assert report["warnings"] == [
        "line 2 “November 7” has no year: write the year on that line, or give it with --year YYYY"
    ]
    assert [q["speaker"] for q in report["quotations"]] == ["Lim Jock Hoi"]


# -- showing a date as precisely as its source -------------------------------------------------------------------


def month_only_article():
    return make_article(
        title="OSCE chair on the elections",
        body=f"<p>{BODY}</p>",
        published_at=timezone.make_aware(datetime.datetime(2007, 6, 1)),
        published_precision=Article.DatePrecision.MONTH,
    )


@pytest.mark.django_db
def test_a_month_only_date_is_shown_as_the_month_on_every_page(client):
    """Article page, article lists and quotation cards say 'June 2007', never '1 June 2007'."""
    article = month_only_article()
    quotation = make_quotation(article, make_person(), text="We will keep working together,")
    pages = [
        article.get_absolute_url(),
        reverse("archive:home"),
        reverse("archive:archive_month", args=[2007, 6]),
        quotation.get_absolute_url(),
        quotation.speaker.get_absolute_url(),
    ]
    for url in pages:
        html = client.get(url).content.decode()
        assert "June 2007" in html, url
        assert not re.search(r"\b1 June 2007", html), url
    assert '<time datetime="2007-06">June 2007</time>' in client.get(quotation.get_absolute_url()).content.decode()


@pytest.mark.django_db
def test_a_year_only_date_is_shown_as_the_year_in_feeds_api_and_citations(client):
    """A year-only article: the feed says '2007', the API gives '2007' with its precision, BibTeX has no month."""
    article = make_article(
        title="Annual report",
        body=f"<p>{BODY}</p>",
        published_at=timezone.make_aware(datetime.datetime(2007, 1, 1)),
        published_precision=Article.DatePrecision.YEAR,
    )
    quotation = make_quotation(article, make_person(), text="We will keep working together,")

    feed = client.get(reverse("archive:feed_speaker", args=[quotation.speaker.slug])).content.decode()
    assert ", 2007. In: Annual report" in feed and "January 2007" not in feed

    data = client.get(reverse("archive:api_quotation", args=[quotation.pk])).json()
    assert (data["date"], data["date_precision"]) == ("2007", "year")
    article_data = client.get(reverse("archive:api_article", args=[article.slug])).json()
    assert (article_data["published"], article_data["published_precision"]) == ("2007", "year")

    accessed = datetime.date(2025, 5, 1)
    assert "Lim Jock Hoi, 2007: “We will keep working together,”" in plain_reference(quotation, None, "u", accessed)
    entry = bibtex(quotation, None, "u", accessed)
    assert "year = 2007" in entry and "month" not in entry


# -- the real published items of tests/extraction_eval_real ------------------------------------------------------

REAL_SET = Path(__file__).resolve().parent / "extraction_eval_real"
REAL_ITEMS = sorted(REAL_SET.glob("*/*.json"))
ONE_LINE_REFUSAL = re.compile(r"^line 2 “[^”\n]+” (is not a date: put the|has no year: write the year on that line)")


@pytest.mark.parametrize("item", REAL_ITEMS, ids=[path.stem for path in REAL_ITEMS])
def test_every_real_item_is_read_with_its_date_and_language_or_refused_in_one_line(item):
    """Each real item's text file gives the published day and language annotated for it; one whose date line
    lacks the year is refused in one line naming the line and the fix, and reads right given the year."""
    annotated = json.loads(item.read_text(encoding="utf-8"))
    text_file = item.parent / "files" / f"{item.stem}.txt"
    published = datetime.date.fromisoformat(annotated["published"])
    try:
        record = read_file(text_file).articles[0]
    except ImportFileError as error:
        assert ONE_LINE_REFUSAL.match(str(error)) and "\n" not in str(error), str(error)
        record = read_file(text_file, ReadContext(year=published.year)).articles[0]
    assert record.published_at.date() == published
    assert record.language == annotated["language"]


@pytest.mark.slow
@pytest.mark.django_db
def test_the_real_items_import_in_one_run_and_only_the_yearless_are_refused():
    """import_articles over the whole real set: every file would be created except those refused for a year."""
    out, err, code = run(
        "import_articles", "--dry-run", str(REAL_SET / "dev" / "files"), str(REAL_SET / "test" / "files")
    )
    created = out.count(": would-create: ")
    refused = [line for line in err.splitlines() if ": failed: " in line]
    assert created + len(refused) == len(REAL_ITEMS)
    assert all(": failed: line 2 “" in line and "has no year" in line for line in refused), refused
    assert code == (2 if refused else 0)
