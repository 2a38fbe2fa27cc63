"""Whatever arrives in the search URL, the page answers with results or a message: never a 500, never raw HTML."""

# ruff: noqa: F811 - pytest fixtures imported from tests.search_support are redefined as arguments

import pytest

from tests.search_support import indexed_seed, result_total  # noqa: F401 (fixture)

pytestmark = pytest.mark.django_db

BAD_INPUTS = {
    "unbalanced quote": {"q": '"breeding ground for'},
    "trailing lone quote": {"q": 'extremism "'},
    "only quotes": {"q": '""""'},
    "lone AND": {"q": "AND"},
    "lone OR": {"q": "OR"},
    "OR at the end": {"q": "extremism OR"},
    "OR OR": {"q": "extremism OR OR terrorism"},
    "lone NOT": {"q": "NOT"},
    "lone minus": {"q": "-"},
    "minus minus": {"q": "-- extremism"},
    "lone star": {"q": "*"},
    "short prefix": {"q": "e*"},
    "Whoosh syntax": {"q": "( ) [ ] { } ^ ~ : \\ + ! && || text:x* [a TO b] extremism^5"},
    "empty field filter": {"q": "speaker:"},
    "empty quoted field": {"q": 'document:""'},
    "bad year filter": {"q": "year:soon"},
    "huge year range": {"q": "year:1000-2999"},
    "10,000 characters": {"q": "x" * 10_000},
    "10,000 characters of words": {"q": "extremism " * 1_000},
    "many clauses": {"q": " ".join(f"word{n}" for n in range(200))},
    "NUL byte": {"q": "extrem\x00ism"},
    "only NUL": {"q": "\x00"},
    "control characters": {"q": "\x01\x1b[31mextremism\x7f"},
    "emoji": {"q": "🙂 extremism 🚀"},
    "only emoji": {"q": "🙂🚀"},
    "right-to-left Arabic": {"q": "التطرف والإرهاب"},
    "right-to-left Hebrew": {"q": "קיצוניות"},
    "RTL override": {"q": "\u202eextremism\u202c"},
    "script tag": {"q": '<script>alert("x")</script>'},
    "page=0": {"q": "extremism", "page": "0"},
    "page=-5": {"q": "extremism", "page": "-5"},
    "page=abc": {"q": "extremism", "page": "abc"},
    "page=999999": {"q": "extremism", "page": "999999"},
    "page=huge": {"q": "extremism", "page": "9" * 40},
    "page=1.5": {"q": "extremism", "page": "1.5"},
    "unknown speaker": {"q": "extremism", "speaker": "nobody-at-all"},
    "unknown organisation": {"organisation": "no-such-body"},
    "unknown document": {"document": "no-such-treaty"},
    "speaker not a slug": {"speaker": "<b>bold</b>"},
    "year not a number": {"year": "abc"},
    "year out of range": {"year": "123456"},
    "unknown language": {"language": "xx"},
    "language injection": {"language": "en'; DROP TABLE archive_article; --"},
    "unknown speech": {"speech": "shouted"},
    "unknown type": {"q": "extremism", "type": "people"},
    "unknown sort": {"q": "extremism", "sort": "random"},
    "inverted date range": {"q": "extremism", "from": "2018-01-01", "to": "2017-01-01"},
    "not a date": {"from": "yesterday"},
    "impossible date": {"to": "2017-02-30"},
    "repeated parameters": {"q": ["extremism", "terrorism"], "page": ["2", "x"]},
}


@pytest.mark.parametrize("params", BAD_INPUTS.values(), ids=BAD_INPUTS.keys())
def test_bad_input_gets_a_page_not_an_error(client, indexed_seed, params):
    """Every kind of bad input gets a 200 page (results or an explanation), never a 500 or a traceback."""
    response = client.get("/search/", params)
    assert response.status_code == 200
    html = response.content.decode()
    assert "Traceback" not in html
    assert "<script>alert" not in html


@pytest.mark.parametrize(
    ("params", "message"),
    [
        ({"q": '"breeding ground for'}, "quotation mark had no partner"),
        ({"q": "x" * 10_000}, "shortened to its first 500 characters"),
        ({"q": "extrem\x00ism"}, "Control characters were removed"),
        ({"q": "🙂🚀"}, "Nothing in your search can be looked up"),
        ({"q": "extremism OR"}, "needs words on both sides"),
        ({"q": "-"}, "leaves out the word right after it"),
        ({"q": "extremism", "page": "abc"}, "is not a page number"),
        ({"q": "extremism", "page": "0"}, "There is no page 0"),
        ({"q": "extremism", "page": "999999"}, "There is no page 999999"),
        ({"q": "extremism", "speaker": "nobody-at-all"}, "There is no speaker “nobody-at-all”"),
        ({"q": "extremism", "from": "2018-01-01", "to": "2017-01-01"}, "the wrong way round"),
        ({"q": "extremism", "type": "people"}, "There is no result type"),
    ],
)
def test_bad_input_is_explained(client, indexed_seed, params, message):
    """The page says in plain words what it ignored or changed."""
    assert message in client.get("/search/", params).content.decode()


def test_an_inverted_date_range_is_searched_the_right_way_round(client, indexed_seed):
    """from after to is swapped, so the 2017 seed quotations are still found."""
    inverted = client.get("/search/", {"q": "extremism", "from": "2018-01-01", "to": "2017-01-01"}).content.decode()
    undated = client.get("/search/", {"q": "extremism"}).content.decode()
    assert result_total(inverted) == result_total(undated) > 0


@pytest.mark.parametrize(
    "typed",
    [
        '<script>alert("x")</script>',
        '"><img src=x onerror=alert(1)>',
        "</textarea><svg onload=alert(1)>",
    ],
)
def test_whatever_the_user_typed_is_escaped(client, indexed_seed, typed):
    """Query text and filter values come back HTML-escaped in the form, notices and links, never as markup."""
    html = client.get("/search/", {"q": f"extremism {typed}", "speaker": typed, "year": typed}).content.decode()
    for raw in ("<script>", "<img src=x", "<svg onload", 'onerror=alert(1)>"'):
        assert raw not in html
    assert "&lt;" in html


def test_highlighting_escapes_the_quotation_text(client, indexed_seed, django_capture_on_commit_callbacks):
    """A quotation containing markup characters is shown escaped, with only our <mark> tags added."""
    from tests.factories import make_article, make_person, make_quotation

    with django_capture_on_commit_callbacks(execute=True):
        article = make_article("Markup", "<p>“Use &lt;b&gt;bold&lt;/b&gt; for emphasis,” she said.</p>")
        make_quotation(article, make_person("Ada Lovelace"), "Use <b>bold</b> for emphasis,")
    html = client.get("/search/", {"q": "emphasis"}).content.decode()
    assert "Use &lt;b&gt;bold&lt;/b&gt; for <mark>emphasis</mark>," in html


def test_more_than_four_prefix_words_are_searched_as_words(client, indexed_seed):
    """The fifth and later words ending in * lose the *, and the page names them."""
    html = client.get("/search/", {"q": "extrem* terror* threa* remov* delay* convent*"}).content.decode()
    assert "Only 4 words of a search can end in “*”, so delay*, convent* were searched as the words themselves." in html


def test_a_prefix_completing_too_many_words_is_searched_as_the_word(
    client, indexed_seed, django_capture_on_commit_callbacks
):
    """A prefix that completes more than 300 indexed words is refused with its name; a narrower one still works."""
    from itertools import product
    from string import ascii_lowercase

    from tests.factories import make_article

    many = " ".join("zyx" + a + b for a, b in list(product(ascii_lowercase, repeat=2))[:400])
    with django_capture_on_commit_callbacks(execute=True):
        make_article("Made-up words", f"<p>{many}</p>")
    wide = client.get("/search/", {"q": "zyx*", "type": "articles"}).content.decode()
    assert "“zyx*” completes more than 300 different words, so it was searched as the word “zyx”" in wide
    narrow = client.get("/search/", {"q": "zyxa*", "type": "articles"}).content.decode()
    assert "completes more than" not in narrow and result_total(narrow) == 1
