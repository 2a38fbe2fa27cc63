"""An article body with its quotations marked in place, and the paragraph around one quotation.

Quotation offsets point into `Article.body_text`: the body's block elements as paragraphs joined by a blank line
(see archive.sanitize.html_to_text). Rather than patching the stored HTML, the marked body is rebuilt from those
paragraphs, every character escaped, with <mark><a> around each quotation. Headings and block quotes keep their
element; inline formatting of the original HTML is given up on articles that have quotations to mark.
"""

from dataclasses import dataclass
from html import escape
from html.parser import HTMLParser

from django.utils.safestring import SafeString, mark_safe

from archive.sanitize import BLOCK_TAGS, html_to_text

PARAGRAPH_BREAK = "\n\n"
KEPT_BLOCKS = {"h2", "h3", "h4", "h5", "h6", "blockquote", "pre"}


@dataclass(frozen=True)
class Span:
    """A stretch of the body text to mark: [start, end), linking to `url`, with `anchor` as its id."""

    start: int
    end: int
    url: str
    anchor: str
    label: str = ""
    css_class: str = ""


class _BlockTagger(HTMLParser):
    """Which block element each paragraph of html_to_text comes from (the same breaking rule)."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.tags: list[str] = []
        self._open: list[str] = []
        self._text: list[str] = []

    def _break(self):
        if "".join(self._text).strip():
            self.tags.append(self._open[-1] if self._open else "p")
        self._text = []

    def handle_starttag(self, tag, attrs):
        if tag in BLOCK_TAGS:
            self._break()
            if tag != "br" and tag != "hr":
                self._open.append(tag)

    def handle_endtag(self, tag):
        if tag in BLOCK_TAGS:
            self._break()
            if tag in self._open:
                del self._open[len(self._open) - 1 - self._open[::-1].index(tag) :]

    def handle_data(self, data):
        self._text.append(data)

    def close(self):
        super().close()
        self._break()


def paragraph_tags(body_html: str, body_text: str) -> list[str]:
    """The element to render each paragraph with; all <p> when the HTML no longer matches the text."""
    paragraphs = body_text.split(PARAGRAPH_BREAK) if body_text else []
    tagger = _BlockTagger()
    tagger.feed(body_html or "")
    tagger.close()
    if len(tagger.tags) != len(paragraphs) or html_to_text(body_html) != body_text:
        return ["p"] * len(paragraphs)
    return [tag if tag in KEPT_BLOCKS else "p" for tag in tagger.tags]


def usable_spans(text: str, spans: list[Span]) -> list[Span]:
    """Spans inside the text, in order, without overlaps (a span overlapping an earlier one is left unmarked)."""
    kept: list[Span] = []
    for span in sorted(spans, key=lambda s: (s.start, -s.end)):
        if 0 <= span.start < span.end <= len(text) and (not kept or span.start >= kept[-1].end):
            kept.append(span)
    return kept


def _mark_paragraph(paragraph: str, offset: int, spans: list[Span], seen: set[str]) -> str:
    """Escape one paragraph (starting at `offset` in the body text), marking the parts of `spans` inside it."""
    out, position = [], 0
    end_of_paragraph = offset + len(paragraph)
    for span in spans:
        if span.end <= offset or span.start >= end_of_paragraph:
            continue
        start, end = max(span.start - offset, 0), min(span.end - offset, len(paragraph))
        out.append(escape(paragraph[position:start], quote=False))
        anchor = "" if span.anchor in seen else f' id="{escape(span.anchor)}"'
        seen.add(span.anchor)
        title = f' title="{escape(span.label)}"' if span.label else ""
        anchor += f' class="{escape(span.css_class)}"' if span.css_class else ""
        words = escape(paragraph[start:end], quote=False)
        if span.url:
            out.append(f'<mark{anchor}><a href="{escape(span.url)}"{title}>{words}</a></mark>')
        else:
            out.append(f"<mark{anchor}>{words}</mark>")
        position = end
    out.append(escape(paragraph[position:], quote=False))
    return "".join(out)


def marked_body(body_html: str, body_text: str, spans: list[Span]) -> SafeString:
    """The article body as HTML with each span marked; the stored sanitised HTML itself when nothing is marked."""
    spans = usable_spans(body_text, spans)
    if not spans:
        return mark_safe(body_html)  # already sanitised on save (archive.sanitize.clean_body)
    blocks, offset, seen = [], 0, set()
    for paragraph, tag in zip(body_text.split(PARAGRAPH_BREAK), paragraph_tags(body_html, body_text), strict=True):
        inner = _mark_paragraph(paragraph, offset, spans, seen)
        blocks.append(f"<blockquote><p>{inner}</p></blockquote>" if tag == "blockquote" else f"<{tag}>{inner}</{tag}>")
        offset += len(paragraph) + len(PARAGRAPH_BREAK)
    return mark_safe("\n".join(blocks))


def surrounding_paragraph(body_text: str, start: int | None, end: int | None) -> SafeString:
    """The paragraph holding [start, end) with that stretch marked, or an empty string when it cannot be found."""
    if start is None or end is None or not (0 <= start < end <= len(body_text)):
        return mark_safe("")
    offset = 0
    for paragraph in body_text.split(PARAGRAPH_BREAK):
        if offset <= start < offset + len(paragraph) + len(PARAGRAPH_BREAK):
            return mark_safe(_mark_paragraph(paragraph, offset, [Span(start, end, "", "quoted")], set()))
        offset += len(paragraph) + len(PARAGRAPH_BREAK)
    return mark_safe("")
