"""How to cite a quotation: a plain reference and a BibTeX entry, both pointing at its permanent page."""

import datetime
import re
import unicodedata

SITE_NAME = "Policy statement archive"
_BIBTEX_SPECIAL = {
    "\\": r"\textbackslash{}",
    "{": r"\{",
    "}": r"\}",
    "&": r"\&",
    "%": r"\%",
    "$": r"\$",
    "#": r"\#",
    "_": r"\_",
    "~": r"\textasciitilde{}",
    "^": r"\textasciicircum{}",
}
_STOP_WORDS = {"the", "a", "an", "of", "in", "on", "it", "is", "and", "to", "we", "this", "that"}


def bibtex_escape(text: str) -> str:
    return "".join(_BIBTEX_SPECIAL.get(ch, ch) for ch in text)


def ascii_word(text: str) -> str:
    return re.sub(r"[^a-z0-9]", "", unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode().lower())


def short_quote(text: str, words: int = 12) -> str:
    parts = text.split()
    return " ".join(parts) if len(parts) <= words else " ".join(parts[:words]) + " …"


def _speaker_line(quotation, role) -> str:
    return f"{quotation.speaker.name}, {role.describe()}" if role else quotation.speaker.name


def plain_reference(quotation, role, url: str, accessed: datetime.date) -> str:
    """Rashid Alimov, Secretary-General of the SCO, 13 June 2017: “The threat …”. Quoted in “Title”, SCO
    Secretariat, 13 June 2017. Policy statement archive, <url> (accessed 1 May 2025)."""
    article = quotation.article
    source = article.publisher.name if article.publisher else article.source_name
    parts = [
        f"{_speaker_line(quotation, role)}, {quotation.date_display}: “{short_quote(quotation.text)}”.",
        f"Quoted in “{article.title}”" + (f", {source}" if source else "") + f", {article.published_display}.",
        f"{SITE_NAME}, {url} (accessed {accessed:%-d %B %Y}).",
    ]
    return " ".join(parts)


def citation_key(quotation) -> str:
    surname = ascii_word(quotation.speaker.name.split()[-1]) if quotation.speaker.name.split() else "anon"
    word = next((ascii_word(w) for w in quotation.text.split() if ascii_word(w) not in _STOP_WORDS), "")
    return f"{surname}{quotation.date.year}{word}{quotation.pk}"


def bibtex(quotation, role, url: str, accessed: datetime.date) -> str:
    """A @misc entry: the speaker as author, the quotation's opening words as title, the article in `note`."""
    article = quotation.article
    source = article.publisher.name if article.publisher else article.source_name
    note = f"Quoted in ``{article.title}''" + (f", {source}" if source else "")
    fields = [
        ("author", f"{{{bibtex_escape(quotation.speaker.name)}}}"),
        ("title", f"{{{bibtex_escape(short_quote(quotation.text))}}}"),
        ("year", str(quotation.date.year)),
        *([("month", quotation.date.strftime("%b").lower())] if quotation.date_precision != "year" else []),
        ("howpublished", f"{{{bibtex_escape(SITE_NAME)}}}"),
        ("note", f"{{{bibtex_escape(note)}{'. ' + bibtex_escape(role.describe()) if role else ''}}}"),
        ("url", f"{{{url}}}"),
        ("urldate", f"{{{accessed.isoformat()}}}"),
    ]
    body = ",\n".join(f"  {name} = {value}" for name, value in fields)
    return f"@misc{{{citation_key(quotation)},\n{body}\n}}"
