"""The one place where untrusted HTML becomes safe HTML, and where an article body becomes plain text.

Everything that stores or shows HTML from outside (the admin's pasted body, import files) goes through
`sanitize_html`. nh3 (the Rust ammonia sanitiser) is used rather than bleach, which is no longer maintained.

The plain text is what quotation offsets point into, so `html_to_text` must be deterministic: one paragraph per
block element, whitespace inside a paragraph folded to single spaces, paragraphs joined by a blank line.
"""

import html
import re
from html.parser import HTMLParser

import nh3

ALLOWED_TAGS = {
    "a", "abbr", "b", "blockquote", "br", "caption", "cite", "code", "dd", "del", "dl", "dt", "em",
    "figcaption", "figure", "h2", "h3", "h4", "h5", "h6", "hr", "i", "ins", "li", "ol", "p", "pre", "q",
    "s", "small", "strong", "sub", "sup", "table", "tbody", "td", "tfoot", "th", "thead", "tr", "u", "ul",
}  # fmt: skip
ALLOWED_ATTRIBUTES = {
    "a": {"href", "title"},
    "abbr": {"title"},
    "blockquote": {"cite"},
    "q": {"cite"},
    "td": {"colspan", "rowspan"},
    "th": {"colspan", "rowspan", "scope"},
}
# data:, javascript: and every other scheme are dropped with the attribute.
ALLOWED_URL_SCHEMES = {"http", "https", "mailto"}

BLOCK_TAGS = {
    "address", "article", "blockquote", "br", "caption", "dd", "div", "dl", "dt", "figcaption", "figure",
    "footer", "h1", "h2", "h3", "h4", "h5", "h6", "header", "hr", "li", "ol", "p", "pre", "section",
    "table", "td", "th", "tr", "ul",
}  # fmt: skip
_WHITESPACE = re.compile(r"\s+")
_LOOKS_LIKE_HTML = re.compile(r"<\s*/?\s*[a-zA-Z][^>]*>")


def sanitize_html(untrusted: str) -> str:
    """Return `untrusted` with everything but a small set of formatting tags and safe links removed."""
    return nh3.clean(
        untrusted or "",
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes=ALLOWED_URL_SCHEMES,
        link_rel="noopener noreferrer nofollow",
        strip_comments=True,
    ).strip()


def sanitize_text(untrusted: str) -> str:
    """Plain-text fields (titles, names, quotation text): no markup at all, no control characters."""
    without_tags = nh3.clean(untrusted or "", tags=set(), attributes={})
    text = html.unescape(without_tags)
    return "".join(ch for ch in text if ch in "\n\t" or ch.isprintable()).strip()


def looks_like_html(text: str) -> bool:
    return bool(_LOOKS_LIKE_HTML.search(text or ""))


def text_to_html(text: str) -> str:
    """Paragraphs separated by blank lines become <p> elements; single newlines become spaces."""
    paragraphs = split_paragraphs(text)
    return "\n".join(f"<p>{html.escape(paragraph, quote=False)}</p>" for paragraph in paragraphs)


def split_paragraphs(text: str) -> list[str]:
    normalised = (text or "").replace("\r\n", "\n").replace("\r", "\n")
    return [_WHITESPACE.sub(" ", block).strip() for block in re.split(r"\n\s*\n", normalised) if block.strip()]


def clean_body(raw: str) -> str:
    """A pasted article body, HTML or plain text, as sanitised HTML."""
    if looks_like_html(raw):
        return sanitize_html(raw)
    return text_to_html(raw)


class _TextCollector(HTMLParser):
    """Collects text, starting a new paragraph at each block element."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.paragraphs: list[str] = []
        self._current: list[str] = []

    def _break(self):
        text = _WHITESPACE.sub(" ", "".join(self._current)).strip()
        if text:
            self.paragraphs.append(text)
        self._current = []

    def handle_starttag(self, tag, attrs):
        if tag in BLOCK_TAGS:
            self._break()

    def handle_endtag(self, tag):
        if tag in BLOCK_TAGS:
            self._break()

    def handle_data(self, data):
        self._current.append(data)

    def close(self):
        super().close()
        self._break()


def html_to_text(safe_html: str) -> str:
    """The body's plain text: one paragraph per block element, paragraphs joined by a blank line."""
    collector = _TextCollector()
    collector.feed(safe_html or "")
    collector.close()
    return "\n\n".join(collector.paragraphs)
