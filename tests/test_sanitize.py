"""Hostile HTML pasted into an article is stored without its dangerous parts and shown safely."""

import pytest

from archive.sanitize import clean_body, html_to_text, sanitize_html, sanitize_text
from tests.factories import make_article

HOSTILE_BODY = (
    '<p onclick="steal()">Dear reader<script>alert("x")</script></p>'
    '<p><a href="javascript:alert(1)">click</a> <a href="https://example.org/">source</a></p>'
    '<iframe src="https://evil.example/"></iframe>'
    '<p><img src=x onerror="alert(2)">Text after</p>'
    "<style>body{display:none}</style>"
)


def test_script_event_handlers_javascript_links_and_iframes_are_removed():
    """The sanitiser strips script, on* attributes, javascript: URLs, iframes, images and style."""
    clean = sanitize_html(HOSTILE_BODY)
    lowered = clean.lower()
    for forbidden in ("<script", "onclick", "onerror", "javascript:", "<iframe", "<style", "<img", "alert"):
        assert forbidden not in lowered
    assert "Dear reader" in clean and "Text after" in clean
    assert 'href="https://example.org/"' in clean
    assert 'rel="noopener noreferrer nofollow"' in clean


def test_plain_text_paste_becomes_paragraphs():
    """Plain text with blank lines between paragraphs becomes one <p> per paragraph, escaped."""
    assert clean_body("First line\ncontinues.\n\nSecond: 3 < 5 & fine") == (
        "<p>First line continues.</p>\n<p>Second: 3 &lt; 5 &amp; fine</p>"
    )


def test_plain_text_has_one_paragraph_per_block_joined_by_blank_lines():
    """Offsets depend on this: blocks become paragraphs, inline markup disappears, entities decode."""
    assert html_to_text("<h3>Head</h3><p>A <em>b</em>\n c &amp; d</p><ul><li>x</li></ul>") == "Head\n\nA b c & d\n\nx"


def test_text_fields_lose_all_markup():
    """Names and titles never carry markup or control characters."""
    assert sanitize_text("<b>Rashid</b> Alimov<script>x</script>\x00") == "Rashid Alimov"


@pytest.mark.django_db
def test_hostile_body_is_stored_clean_and_shown_safely(client):
    """A stored article never contains the hostile markup, and its page does not show it."""
    article = make_article(body=HOSTILE_BODY)
    article.refresh_from_db()
    assert "<script" not in article.body_html and "onerror" not in article.body_html
    page = client.get(article.get_absolute_url()).content.decode()
    assert "alert(" not in page
    assert "Dear reader" in page
