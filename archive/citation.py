"""How to cite a quotation: a plain reference, BibTeX, RIS and CSL-JSON, all pointing at its permanent page.

A quotation is cited as a speech (CSL's type for "a speech or other presentation"): the speaker is its author, the
words quoted its title, the article that reports it the container, the article's publisher the publisher.
"""

import datetime
import json
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


def _source(article) -> str:
    return article.publisher.name if article.publisher else article.source_name


def _closed(quoted: str) -> str:
    """A sentence ending in a quotation: no full stop after the closing mark when the quote already ends one."""
    return quoted if quoted.rstrip('”’»"').endswith((".", "!", "?", "…")) else quoted + "."


def plain_reference(quotation, role, url: str, accessed: datetime.date) -> str:
    """Rashid Alimov, Secretary-General of the SCO, 13 June 2017: “The threat …”. Quoted in “Title”, SCO
    Secretariat, 13 June 2017. Policy statement archive, <url> (accessed 1 May 2025)."""
    article = quotation.article
    source = _source(article)
    parts = [
        _closed(f"{_speaker_line(quotation, role)}, {quotation.date_display}: “{short_quote(quotation.text)}”"),
        f"Quoted in “{article.title}”" + (f", {source}" if source else "") + f", {article.published_display}.",
        f"{SITE_NAME}, {url} (accessed {accessed:%-d %B %Y}).",
    ]
    return " ".join(parts)


def citation_key(quotation) -> str:
    surname = ascii_word(quotation.speaker.name.split()[-1]) if quotation.speaker.name.split() else "anon"
    word = next((ascii_word(w) for w in quotation.text.split() if ascii_word(w) not in _STOP_WORDS), "")
    return f"{surname}{quotation.date.year}{word}{quotation.pk}"


def bibtex(quotation, role, url: str, accessed: datetime.date) -> str:
    """A @misc entry: the speaker as author, the whole quotation as title, the article in `note`."""
    article = quotation.article
    source = _source(article)
    note = f"Quoted in ``{article.title}''" + (f", {source}" if source else "")
    fields = [
        ("author", f"{{{bibtex_escape(quotation.speaker.name)}}}"),
        ("title", f"{{{bibtex_escape(' '.join(quotation.text.split()))}}}"),
        ("year", str(quotation.date.year)),
        *([("month", quotation.date.strftime("%b").lower())] if quotation.date_precision != "year" else []),
        ("howpublished", f"{{{bibtex_escape(SITE_NAME)}}}"),
        ("note", f"{{{bibtex_escape(note)}{'. ' + bibtex_escape(role.describe()) if role else ''}}}"),
        ("url", f"{{{url}}}"),
        ("urldate", f"{{{accessed.isoformat()}}}"),
    ]
    body = ",\n".join(f"  {name} = {value}" for name, value in fields)
    return f"@misc{{{citation_key(quotation)},\n{body}\n}}"


def ris(quotation, role, url: str, accessed: datetime.date) -> str:
    """A RIS record (the format EndNote, Zotero and Mendeley import): a generic item, the speaker as author."""
    article = quotation.article
    lines = [
        ("TY", "GEN"),
        ("AU", quotation.speaker.name),
        ("TI", " ".join(quotation.text.split())),
        ("T2", article.title),
        ("PB", _source(article)),
        ("DA", f"{quotation.date:%Y/%m/%d}"),
        ("PY", str(quotation.date.year)),
        ("LA", article.language),
        ("N1", role.describe() if role else ""),
        ("UR", url),
        ("Y2", accessed.isoformat()),
        ("DB", SITE_NAME),
        ("ID", citation_key(quotation)),
    ]
    body = "".join(f"{tag}  - {value}\r\n" for tag, value in lines if value.strip())
    return body + "ER  - \r\n"


def csl_item(quotation, role, url: str, accessed: datetime.date) -> dict:
    """One CSL-JSON item (citeproc's input format; Zotero imports it)."""
    article = quotation.article
    item = {
        "id": citation_key(quotation),
        "type": "speech",
        "title": " ".join(quotation.text.split()),
        "author": [{"literal": quotation.speaker.name}],
        "issued": {"date-parts": [[quotation.date.year, quotation.date.month, quotation.date.day]]},
        "container-title": article.title,
        "publisher": _source(article),
        "language": article.language,
        "URL": url,
        "accessed": {"date-parts": [[accessed.year, accessed.month, accessed.day]]},
        "source": SITE_NAME,
    }
    if role:
        item["note"] = role.describe()
    return {key: value for key, value in item.items() if value}


def csl_json(quotation, role, url: str, accessed: datetime.date) -> str:
    return json.dumps([csl_item(quotation, role, url, accessed)], ensure_ascii=False, indent=2)
