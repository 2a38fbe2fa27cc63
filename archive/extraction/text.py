"""Plain-text helpers: the article file format, paragraphs, sentences and word tokens.

Every helper works on offsets into the original string, because quotations and document
mentions are reported as ``(start, end)`` spans of the body text.
"""

from __future__ import annotations

import re
from bisect import bisect_left
from dataclasses import dataclass

from .dates import read_date_line
from .types import ParsedArticle


def word_set(spaced_words: str) -> frozenset[str]:
    """A set of words written as one space-separated string (long word lists stay readable)."""
    return frozenset(spaced_words.split())


PARAGRAPH_BREAK = re.compile(r"\r?\n[ \t\r]*\n\s*")
# Han characters are one token each (Chinese is written without spaces; a character is the unit that counts).
HAN = "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
WORD = re.compile(rf"[{HAN}]|(?:(?![{HAN}])[^\W_])(?:(?:(?![{HAN}])[\w’'\-])*(?:(?![{HAN}])[^\W_]))?")

# Tokens after which a full stop does not end a sentence.
ABBREVIATIONS = word_set(
    """mr mrs ms dr prof st no nos gen col lt sgt capt gov sen rep amb h.e e.g i.e etc vs art para jan
    feb mar apr jun jul aug sep sept oct nov dec u.s u.n u.k e.u inc ltd co corp jr sr"""
)
SENTENCE_END = re.compile(r"[.!?…。！？؟]+")
# Full stops of scripts written without spaces after them: they end a sentence whatever follows.
UNSPACED_ENDS = "。！？"
OPENING_MARKS = "\"“„«»”‘'「『‚—–"


@dataclass(frozen=True)
class Token:
    """A word with its offsets in the source text."""

    text: str
    start: int
    end: int

    @property
    def lower(self) -> str:
        return self.text.lower()


def tokenize(text: str, start: int = 0, end: int | None = None) -> list[Token]:
    """Split ``text[start:end]`` into word tokens (hyphenated words and apostrophes stay whole)."""
    stop = len(text) if end is None else end
    return [Token(m.group(), m.start(), m.end()) for m in WORD.finditer(text, start, stop)]


def parse_plain_text_article(raw: str, *, language: str = "", year: int | None = None) -> ParsedArticle:
    """Read the archive's plain-text format: a title line, a date line, a blank line, paragraphs.

    The date line is optional (a second line that is not a date is taken as body text; ``date`` is then None and
    ``second_line`` says what stood there). It is read in any common format (archive.extraction.dates), with
    ``language`` deciding the order of numeric dates and ``year`` completing a date without one. Lines of one
    paragraph are joined with spaces, so hard-wrapped files read the same as one-line paragraphs.
    """
    text = raw.lstrip("\ufeff").replace("\r\n", "\n").replace("\r", "\n")
    if not text.strip():
        raise ValueError("The article is empty: expected a title line, a date line and paragraphs.")
    lines = text.strip("\n").split("\n")
    title = lines[0].strip()
    rest = lines[1:]
    date = None
    second_line = (0, "")
    first_content = next((i for i, line in enumerate(rest) if line.strip()), None)
    if first_content is not None:
        second_line = (first_content + 2, rest[first_content].strip())
        date = read_date_line(rest[first_content], language=language, year=year)
        if date is not None:
            rest = rest[first_content + 1 :]
    paragraphs = [" ".join(chunk.split()) for chunk in PARAGRAPH_BREAK.split("\n".join(rest)) if chunk.strip()]
    if not paragraphs:
        raise ValueError(f"The article {title!r} has no body: expected paragraphs after the title and date.")
    return ParsedArticle(
        title=title,
        published=date.moment if date else None,
        body_text="\n\n".join(paragraphs),
        paragraphs=paragraphs,
        date=date,
        second_line=second_line,
    )


def paragraph_spans(text: str) -> list[tuple[int, int]]:
    """Offsets of the non-blank paragraphs (separated by blank lines) of ``text``."""
    spans = []
    position = 0
    for separator in [*PARAGRAPH_BREAK.finditer(text), None]:
        end = separator.start() if separator else len(text)
        chunk = text[position:end]
        if chunk.strip():
            leading = len(chunk) - len(chunk.lstrip())
            spans.append((position + leading, position + len(chunk.rstrip())))
        if separator:
            position = separator.end()
    return spans


def _is_abbreviation(text: str, period_index: int) -> bool:
    match = re.search(r"([\w.]+)$", text[max(0, period_index - 40) : period_index])
    if not match:
        return False
    word = match.group(1).lower().rstrip(".")
    return word in ABBREVIATIONS or len(word) == 1


def split_sentences(text: str, protected: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """Split ``text`` into sentence spans without cutting inside ``protected`` spans (quotations).

    A quotation that ends with its own full stop (``..." Mr X said this.``) closes the sentence at
    its closing mark when the next word is capitalised.
    """
    inside = [False] * (len(text) + 1)
    for start, end in protected:
        for index in range(start, min(end, len(text))):
            inside[index] = True
    sentences: list[tuple[int, int]] = []
    for para_start, para_end in _paragraphs_respecting(text, protected):
        start = para_start
        for match in SENTENCE_END.finditer(text, para_start, para_end):
            if match.group() == "." and _is_abbreviation(text, match.start()):
                continue
            cut = match.end()
            while cut < para_end and text[cut] in "\"”»“’')]」』‘）":
                cut += 1
            if inside[match.start()] and (cut == match.end() or inside[cut - 1]):
                continue
            rest = text[cut:para_end]
            following = rest.lstrip()
            if match.group()[-1] not in UNSPACED_ENDS:
                if rest and not rest[:1].isspace():
                    continue
                if following and not _starts_sentence(following[0]):
                    continue
            sentences.append((start, cut))
            start = cut + (len(rest) - len(following))
        if start < para_end:
            sentences.append((start, para_end))
    return [span for span in sentences if text[span[0] : span[1]].strip()]


def _starts_sentence(character: str) -> bool:
    """A capital, a digit, an opening mark, or a letter of a script without case (Arabic, Chinese)."""
    return (
        character.isupper()
        or character.isdigit()
        or character in OPENING_MARKS
        or (character.isalpha() and not character.islower())
    )


def _paragraphs_respecting(text: str, protected: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """Paragraph spans, with paragraphs joined when a protected span runs across the break."""
    merged: list[tuple[int, int]] = []
    ordered = sorted(protected)
    starts = [p_start for p_start, _ in ordered]
    for start, end in paragraph_spans(text):
        # A protected span running across the break starts before this paragraph and ends after the last.
        index = bisect_left(starts, start) - 1
        crossing = index >= 0 and merged and ordered[index][1] > start and ordered[index][0] < merged[-1][1]
        if crossing:
            merged[-1] = (merged[-1][0], end)
        else:
            merged.append((start, end))
    return merged
