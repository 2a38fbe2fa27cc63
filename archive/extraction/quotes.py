"""Finding quotation-mark spans and telling quotations from scare quotes and quoted names.

Quotation marks are matched with a stack per paragraph, so nested quotes ('...' or “...” inside
«...») stay inside the outer span and German „...“ is not confused with English “...”. Single
quotes are outer marks only in paragraphs without double marks (the British style); there a
closing mark is told from an apostrophe by what surrounds it.
"""

from __future__ import annotations

import re
from bisect import bisect_left
from dataclasses import dataclass

from . import languages
from .text import paragraph_spans, tokenize, word_set

# Which closing mark ends which opening mark: the pairs of every language held (see languages/), of
# which the ambiguous ones (“ closes „ but opens English quotations) are told apart in _close_or_open.
CLOSERS = {'"': '"', "“": "”", "„": "“", "«": "»", "»": "«", "”": "”", "「": "」", "『": "』", "‚": "‘", "‹": "›"}
# Marks that only ever close (single ‘ closes only a German ‚ here; elsewhere it is left to the single-quote pass).
ONLY_CLOSING = {"」": "「", "』": "『", "›": "‹", "‘": "‚"}
MARKS = frozenset(CLOSERS) | frozenset(ONLY_CLOSING)
OPENERS_AFTER = " \t\n([{—–-/:：，、（\u00a0\u202f"
# Direct speech set off by dashes (Russian, Spanish): "— Мы готовы, — заявил он. — Но ...".
DASH_OPENING = re.compile(r"[—–]\s*(?=\S)")
DASH_ATTRIBUTION = re.compile(r"(?<=[,!?…])\s+[—–]\s*(?=\S)")
DASH_RESUMING = re.compile(r"[.,]\s+([—–])\s*(?=\S)")


@dataclass(frozen=True)
class QuoteSpan:
    """Text between an opening and a closing quotation mark (possibly over several paragraphs)."""

    start: int  # first character after the opening mark
    end: int  # position of the closing mark
    mark_start: int  # position of the opening mark
    mark_end: int  # position after the closing mark
    closed: bool = True


def _looks_opening(text: str, index: int) -> bool:
    before = text[index - 1] if index > 0 else " "
    after = text[index + 1] if index + 1 < len(text) else " "
    return before in OPENERS_AFTER and not after.isspace()


def _looks_closing(text: str, index: int) -> bool:
    before = text[index - 1] if index > 0 else " "
    return not before.isspace()


def _close_or_open(text: str, index: int, mark: str, stack: list[tuple[str, int]]) -> str:
    """Decide whether ``mark`` at ``index`` closes the innermost open quote, opens one, or is noise."""
    top = stack[-1][0] if stack else None
    if mark in ONLY_CLOSING:
        return "close" if top == ONLY_CLOSING[mark] else "ignore"
    if mark == '"':
        return "close" if top == '"' else "open"
    if mark == "“":
        if top == "„" or (top == "“" and _looks_closing(text, index) and not _looks_opening(text, index)):
            return "close"
        return "open"
    if mark == "”":
        if top in ("“", "„", "”", '"'):  # mixed pairs as printed: "verificable”
            return "close"
        return "open" if _looks_opening(text, index) else "ignore"
    if mark == "«":
        return "close" if top == "»" else "open"
    if mark == "»":
        if top == "«":
            return "close"
        return "open" if _looks_opening(text, index) else "ignore"
    return "open"  # „ 「 『 ‚ ‹ only ever open


def find_quote_spans(text: str) -> list[QuoteSpan]:
    """Top-level quotation spans of ``text`` in order.

    A quotation whose paragraph ends without a closing mark continues when the next paragraph
    starts with an opening mark (the convention for quotations over several paragraphs); if it
    does not, the span stops at the end of its paragraph and is marked ``closed=False``.
    """
    spans: list[QuoteSpan] = []
    paragraphs = paragraph_spans(text)
    carried_open: int | None = None  # opening mark of a quotation running on from the last paragraph
    for number, (para_start, para_end) in enumerate(paragraphs):
        stack: list[tuple[str, int]] = []
        if carried_open is None and DASH_OPENING.match(text, para_start):
            dashed = _dash_speech_spans(text, para_start, para_end)
            if dashed:
                spans.extend(dashed)
                continue
        if not any(mark in CLOSERS for mark in text[para_start:para_end]):
            spans.extend(_single_quote_spans(text, para_start, para_end))
            continue
        for index in range(para_start, para_end):
            mark = text[index]
            if mark not in MARKS:
                continue
            action = _close_or_open(text, index, mark, stack)
            if action == "open":
                stack.append((mark, index))
            elif action == "close":
                _, opened_at = stack.pop()
                if not stack:
                    first_mark = carried_open if carried_open is not None else opened_at
                    carried_open = None
                    spans.append(_closed(text, first_mark, index))
        if carried_open is not None and not stack:
            # The running quotation was never closed here: end it with the previous paragraph.
            spans.append(_unclosed(text, carried_open, paragraphs[number - 1][1]))
            carried_open = None
        if stack:
            opened_at = carried_open if carried_open is not None else stack[0][1]
            next_paragraph = paragraphs[number + 1] if number + 1 < len(paragraphs) else None
            if next_paragraph and text[next_paragraph[0]] in CLOSERS:
                carried_open = opened_at
            else:
                spans.append(_unclosed(text, opened_at, para_end))
                carried_open = None
        if carried_open is None and any(mark in SINGLE_OPENERS for mark in text[para_start:para_end]):
            _british_nesting(text, para_start, para_end, spans)
    if carried_open is not None:
        spans.append(_unclosed(text, carried_open, len(text.rstrip())))
    return spans


def _closed(text: str, mark_start: int, mark_end: int) -> QuoteSpan:
    """The span between two marks, without the (no-break) spaces French and Spanish set inside them."""
    start, end = mark_start + 1, mark_end
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return QuoteSpan(start, end, mark_start, mark_end + 1)


def _dash_speech_spans(text: str, para_start: int, para_end: int) -> list[QuoteSpan]:
    """A paragraph of direct speech opened by a dash, its attribution set off by dashes: "— Мы готовы к
    диалогу, — заявил Лавров. — Но решения должны быть взаимными." gives the words before the attribution
    and those resuming after it. Without a speech verb right after the second dash (an interview's
    question, a list) the paragraph is not taken as speech."""
    from .attribution import SPEECH_VERB  # (attribution imports this module)

    opening = DASH_OPENING.match(text, para_start)
    attribution = DASH_ATTRIBUTION.search(text, opening.end(), para_end)
    if attribution is None or not SPEECH_VERB.search(text, attribution.end(), min(para_end, attribution.end() + 40)):
        return []
    first = QuoteSpan(opening.end(), attribution.start(), para_start, attribution.end())
    resuming = DASH_RESUMING.search(text, attribution.end(), para_end)
    if resuming is None:
        return [first]
    end = para_end
    while end > resuming.end() and text[end - 1].isspace():
        end -= 1
    return [first, QuoteSpan(resuming.end(), end, resuming.start(1), end)]


def _british_nesting(text: str, para_start: int, para_end: int, spans: list[QuoteSpan]) -> None:
    """‘A mother told me “we have nothing left”,’ he said: in British style single marks are the outer ones.
    A single-quoted span of the paragraph that holds its double-quoted spans whole replaces them."""
    first = len(spans)
    while first > 0 and spans[first - 1].mark_start >= para_start:
        first -= 1
    doubles = spans[first:]
    if not doubles:
        return
    starts = [span.mark_start for span in doubles]
    removed: set[int] = set()
    kept: list[QuoteSpan] = []
    for single in _single_quote_spans(text, para_start, para_end):
        low, high = bisect_left(starts, single.start), bisect_left(starts, single.end)
        crossing = (low > 0 and doubles[low - 1].mark_end > single.mark_start) or any(
            doubles[i].mark_end > single.end for i in range(low, high)
        )
        if high > low and not crossing:
            kept.append(single)
            removed.update(range(low, high))
    if kept:
        doubles = [span for i, span in enumerate(doubles) if i not in removed]
        spans[first:] = sorted([*doubles, *kept], key=lambda span: span.mark_start)


SINGLE_OPENERS = "‘'"
SINGLE_CLOSERS = "’'"


def _single_quote_spans(text: str, start: int, end: int) -> list[QuoteSpan]:
    """‘...’ or '...' quotations of a paragraph that has no double marks.

    An apostrophe has letters on both sides ("Kazakhstan’s"); a closing mark does not. Of the
    possible closing marks, one after punctuation (",’") is preferred, then one before punctuation
    ("’."), so that a plural possessive ("member states’ decision") does not end the quotation.
    """
    spans = []
    # Every possible closing mark of the paragraph, once; then each opening mark takes the first of its
    # preferred kind after it (bisect), so that a paragraph of ten thousand marks stays linear.
    closers = [
        j
        for j in range(start + 1, end)
        if text[j] in SINGLE_CLOSERS and not text[j - 1].isspace() and not _is_word_char(text, j + 1)
    ]
    after_punctuation = [j for j in closers if text[j - 1] in ",.!?…"]
    before_punctuation = [j for j in closers if j + 1 < end and text[j + 1] in ",.;:!?)—–"]
    index = start
    while index < end:
        if text[index] not in SINGLE_OPENERS or not _opens_single(text, index):
            index += 1
            continue
        close = next(
            (
                kind[position]
                for kind in (after_punctuation, before_punctuation, closers)
                if (position := bisect_left(kind, index + 2)) < len(kind)
            ),
            None,
        )
        if close is None:
            break
        spans.append(QuoteSpan(index + 1, close, index, close + 1))
        index = close + 1
    return spans


def _opens_single(text: str, index: int) -> bool:
    before = text[index - 1] if index > 0 else " "
    return before in OPENERS_AFTER and _is_word_char(text, index + 1)


def _is_word_char(text: str, index: int) -> bool:
    return index < len(text) and (text[index].isalnum())


def _unclosed(text: str, mark_start: int, end: int) -> QuoteSpan:
    while end > mark_start + 1 and text[end - 1].isspace():
        end -= 1
    return QuoteSpan(mark_start + 1, end, mark_start, end, closed=False)


HAN = re.compile(r"[\u3400-\u9fff]")
# Words that, placed right before a quoted term, mark it as a name or a term, not as speech.
NAMING_CUES = re.compile(
    r"(?:so-called|so called|dubbed|known as|named|titled|entitled|codenamed|code-named|the term|"
    r"the word|the words|the phrase|the slogan|the motto|the theme|themed|the concept of|the label|"
    r"under the name|the hashtag|the programme|the program|the initiative|the campaign|the operation|"
    r"the project|the formula|the format|so-named|nicknamed|branded|labelled|labeled|"
    r"так называемый|так называемая|так называемые|так называемого|так называемой|"
    r"sogenannte|sogenannten|so genannte|so genannten)\s*[,:]?\s*$",
    re.IGNORECASE,
)
MINOR_WORDS = word_set(
    """a an and the of on in for to at by with against towards toward de des du la le von der und für
    zur zum im и в на по о с для"""
) | (languages.words("connectors") | languages.words("articles") | languages.words("document_links"))


def looks_like_name(span_text: str) -> bool:
    """True for a quoted proper name or title: every significant word is capitalised."""
    words = [token.text for token in tokenize(span_text)]
    if not words or len(words) > 8 or re.search(r"[.!?…,;:]\s*$", span_text.strip()):
        return False
    significant = [word for word in words if word.lower() not in MINOR_WORDS]
    return (
        bool(significant)
        and all(word[0].isupper() or word[0].isdigit() for word in significant)
        and (len(significant) > 1 or not span_text.strip()[:1].islower())
    )


def is_named_by_context(preceding_text: str) -> bool:
    """True when the words before a quotation mark introduce a name or term ("the so-called ...")."""
    return bool(NAMING_CUES.search(preceding_text[-60:]))


def sentence_like(span_text: str) -> bool:
    """A span that reads as a statement: several words, or a clause closed by punctuation."""
    stripped = span_text.strip()
    tokens = tokenize(stripped)
    # A Chinese word is about two characters (each a token).
    words = len(tokens) - sum(1 for token in tokens if HAN.match(token.text)) / 2
    if words >= 6:
        return True
    return words >= 3 and bool(re.search(r"[.!?…,。！？，]$", stripped))
