"""Property-based tests (hypothesis): whatever arrives in the search URL or in an import file, the archive answers
with a page or a documented error, never a 500, a traceback or a hang.

- The search page, with any mix of its parameters holding arbitrary text (NUL and other control characters, any
  non-surrogate Unicode, very long values, near-valid numbers and dates), answers 200 with the page.
- The import parsers (archive.importers.read_file over real files of each ending, read_plain_text, read_json,
  read_html) either return articles or raise ImportFileError; parse_plain_text_article returns or raises ValueError.

Each example has a deadline, and the example counts are bounded so the module runs in well under 30 seconds.
"""

import json

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from archive.extraction import parse_plain_text_article
from archive.importers import ImportBatch, ImportFileError, read_file, read_html, read_json, read_plain_text
from tests.search_support import indexed_seed  # noqa: F401 (fixture)

# Any Unicode but surrogates (which no URL or UTF-8 file can carry), with NUL and control characters made likely.
CHARACTERS = st.characters(blacklist_categories=("Cs",)) | st.sampled_from("\x00\x01\x1b\x7f\u202e\ufeff\n\t\r\"'<>&%")
TEXT = st.text(CHARACTERS, max_size=80)
LONG_TEXT = st.builds(
    lambda part, times: part * times, st.text(CHARACTERS, min_size=1, max_size=6), st.integers(50, 2500)
)
NEAR_VALID = st.sampled_from(
    ["1", "0", "-1", "2", "99999999999999999999", "1e3", "2017", "2017-06-13", "2017-02-30", "0000-00-00",
     "relevance", "newest", "oldest", "quotations", "articles", "documents", "direct", "reported", "en",
     "rashid-alimov", "sco", "shanghai-convention", "extremism", '"breeding ground', "speaker:alimov year:2017",
     "extrem*", "OR", "-"]
)  # fmt: skip
VALUE = st.one_of(TEXT, LONG_TEXT, NEAR_VALID)
PARAMETERS = ("q", "page", "sort", "type", "speaker", "organisation", "document", "year", "language", "speech", "from",
              "to")  # fmt: skip
SEARCH_QUERY = st.dictionaries(st.sampled_from(PARAMETERS), VALUE, min_size=1, max_size=len(PARAMETERS))

FAST = settings(
    max_examples=120, deadline=2000, suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow]
)


@pytest.mark.django_db
@FAST
@given(query=SEARCH_QUERY)
def test_any_search_parameters_give_a_page(client, indexed_seed, query):  # noqa: F811
    """Any combination of search parameters with any text answers 200 with the search page (never 500/503)."""
    response = client.get("/search/", query)
    assert response.status_code == 200
    page = response.content.decode()
    assert 'name="q"' in page and "Traceback" not in page


@settings(max_examples=200, deadline=1000)
@given(raw=st.one_of(TEXT, LONG_TEXT, st.builds("\n".join, st.lists(TEXT, max_size=8))))
def test_plain_text_parsing_returns_or_raises_value_error(raw):
    """parse_plain_text_article returns an article or raises ValueError, for any text."""
    try:
        parsed = parse_plain_text_article(raw)
    except ValueError:
        return
    assert parsed.title is not None and parsed.paragraphs


DATES = st.sampled_from(["13.06.2017 07:48", "2017-06-13", "13 June 2017", "June 13, 2017", "yesterday", ""])


@settings(max_examples=150, deadline=1000)
@given(title=TEXT, date=DATES | TEXT, paragraphs=st.lists(TEXT | LONG_TEXT, max_size=6))
def test_reading_plain_text_articles_returns_or_raises_import_file_error(title, date, paragraphs):
    """read_plain_text of a file in (or near) the plain-text format returns a record or raises ImportFileError."""
    raw = f"{title}\n{date}\n\n" + "\n\n".join(paragraphs)
    try:
        record = read_plain_text(raw)
    except ImportFileError:
        return
    assert record.published_at is not None and "<script" not in record.body_html.lower()


JSON_SCALARS = st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | TEXT | NEAR_VALID
JSON_VALUES = st.recursive(
    JSON_SCALARS, lambda inner: st.lists(inner, max_size=4) | st.dictionaries(TEXT, inner, max_size=4), max_leaves=12
)
ARTICLE_KEYS = ("published", "body_html", "body_text", "text", "language", "source_name",
                "source_url", "publisher", "place", "status", "slug", "organisations", "quotations",
                "document_mentions", "format", "version", "articles", "people", "documents")  # fmt: skip
# Mostly well-formed articles (so parsing gets past the title, date and body) with any other field of any type.
ARTICLE = st.fixed_dictionaries(
    {
        "title": st.just("A title") | TEXT | JSON_VALUES,
        "published_at": st.sampled_from(["2017-06-13T07:48:00", "2017-06-13"]) | JSON_SCALARS,
        "body_html": st.just("<p>“Words,” she said.</p>") | JSON_VALUES,
    },
    optional={key: JSON_VALUES for key in ARTICLE_KEYS if key != "body_html"},
)
JSON_DOCUMENTS = st.one_of(
    ARTICLE, st.lists(ARTICLE, max_size=3), JSON_VALUES,
    st.fixed_dictionaries({"format": st.just("policy-statement-archive"), "version": st.just(1)},
                          optional={"articles": JSON_VALUES | st.lists(ARTICLE, max_size=2), "people": JSON_VALUES,
                                    "organisations": JSON_VALUES, "documents": JSON_VALUES}),
)  # fmt: skip


@settings(max_examples=200, deadline=1000)
@given(document=JSON_DOCUMENTS, garble=st.booleans())
def test_reading_json_returns_or_raises_import_file_error(document, garble):
    """read_json of any JSON value (articles with fields of any type, exports, nonsense), or of broken JSON,
    returns a batch or raises ImportFileError."""
    raw = json.dumps(document)
    if garble:
        raw = raw[: len(raw) // 2]
    try:
        batch = read_json(raw)
    except ImportFileError:
        return
    assert isinstance(batch, ImportBatch)


HTML_PIECES = st.sampled_from(
    ["<html>", "<head>", "<title>", "</title>", "<body>", "<article>", "<p>", "</p>", "<h1>", "<script>", "</script>",
     "<!--", "-->", "<![CDATA[", '<meta property="article:published_time" content="2017-06-13">',
     '<meta name="date" content="13 June 2017">', "<table><tr><td>", "<div>", "</div>", "&amp;", "&#0;", "&#x110000;",
     "The ministers of the member states met and discussed regional security at length. "]
)  # fmt: skip


@settings(max_examples=60, deadline=3000)
@given(pieces=st.lists(HTML_PIECES | TEXT, max_size=30))
def test_reading_html_returns_or_raises_import_file_error(pieces):
    """read_html of any mix of page fragments and text returns a record or raises ImportFileError."""
    try:
        record = read_html("".join(pieces))
    except ImportFileError:
        return
    assert record.title and "<script" not in record.body_html.lower()


@settings(max_examples=80, deadline=3000)
@given(
    content=st.binary(max_size=300) | TEXT.map(lambda t: t.encode("utf-8")),
    suffix=st.sampled_from([".txt", ".json", ".html", ".htm", ".dat", ""]),
)
def test_reading_any_file_returns_or_raises_import_file_error(tmp_path_factory, content, suffix):
    """read_file of any bytes (not UTF-8, empty, BOM, binary) with any ending returns a batch or raises
    ImportFileError."""
    path = tmp_path_factory.mktemp("import") / f"article{suffix}"
    path.write_bytes(content)
    try:
        batch = read_file(path)
    except ImportFileError:
        return
    assert isinstance(batch, ImportBatch)
