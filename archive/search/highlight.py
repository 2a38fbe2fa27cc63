"""Marking what a query matched in a text: the words, whole phrases and prefixes, found with the same analysis as
the index (archive.search.analysis), the text HTML-escaped around them."""

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from archive.search.analysis import DEFAULT_LANGUAGE, analyze_with_positions
from archive.search.query import ParsedQuery


def match_spans(text: str, parsed: ParsedQuery, language: str = DEFAULT_LANGUAGE) -> list[tuple[int, int]]:
    """Character spans of `text`, written in `language`, that the query matched (words, whole phrases, prefixes),
    merged and in order."""
    if not text or not (parsed.terms or parsed.phrases or parsed.prefixes):
        return []
    tokens = analyze_with_positions(text, language)
    spans = []
    for term, _, start, end in tokens:
        if term in parsed.terms or any(text[start:end].lower().startswith(p) for p in parsed.prefixes):
            spans.append((start, end))
    sequence = [token[0] for token in tokens]
    for phrase in parsed.phrases:
        size = len(phrase)
        for i in range(len(sequence) - size + 1):
            if tuple(sequence[i : i + size]) == phrase:
                spans.append((tokens[i][2], tokens[i + size - 1][3]))
    merged = []
    for start, end in sorted(spans):
        if merged and start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(end, merged[-1][1]))
        else:
            merged.append((start, end))
    return merged


def _marked(text: str, spans, start: int = 0, end: int | None = None) -> str:
    end = len(text) if end is None else end
    out, position = [], start
    for span_start, span_end in spans:
        if span_end <= start or span_start >= end:
            continue
        span_start, span_end = max(span_start, start), min(span_end, end)
        out.append(escape(text[position:span_start]))
        out.append(f"<mark>{escape(text[span_start:span_end])}</mark>")
        position = span_end
    out.append(escape(text[position:end]))
    return "".join(out)


def highlight(text: str, parsed: ParsedQuery, language: str = DEFAULT_LANGUAGE) -> SafeString:
    """`text` HTML-escaped, with what the query matched wrapped in <mark>. Safe to put in a page as it is."""
    return mark_safe(_marked(text or "", match_spans(text or "", parsed, language)))


def snippet(text: str, parsed: ParsedQuery, length: int = 300, language: str = DEFAULT_LANGUAGE) -> SafeString:
    """About `length` characters of `text` around its first match (or its start), escaped and highlighted."""
    text = text or ""
    spans = match_spans(text, parsed, language)
    if len(text) <= length:
        return mark_safe(_marked(text, spans))
    start = 0
    if spans:
        start = max(0, spans[0][0] - length // 3)
        if start:
            space = text.find(" ", start)
            start = space + 1 if 0 <= space < spans[0][0] else start
    end = min(len(text), start + length)
    if end < len(text):
        space = text.rfind(" ", start, end)
        end = space if space > start else end
    body = _marked(text, spans, start, end)
    return mark_safe(("… " if start else "") + body + (" …" if end < len(text) else ""))
