"""Data types of the extraction package: the caller's hints (known people and documents)
and the results handed back (quotations, speakers, documents, parsed articles).

All of them are plain dataclasses so that the package stays free of Django; the admin and
the management command convert them to models or JSON themselves (see ``to_dict``).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from .dates import DateLine


@dataclass(frozen=True)
class KnownPerson:
    """A person already in the archive; matched by ``name`` and ``aliases``."""

    name: str
    aliases: tuple[str, ...] = ()
    title: str = ""
    organisation: str = ""


@dataclass(frozen=True)
class KnownDocument:
    """A document already in the archive; matched by title, short title and aliases."""

    title: str
    short_title: str = ""
    aliases: tuple[str, ...] = ()
    kind: str = ""
    year: int | None = None


@dataclass
class ExtractedQuotation:
    """A direct quotation or a reported statement; ``text == source[start:end]``.

    A quotation whose speaker could not be recognised is kept with ``speaker`` None and
    ``speaker_unknown`` saying why, for an editor to choose the speaker."""

    text: str
    start: int
    end: int
    direct: bool
    speaker: str | None
    attribution: str
    documents: list[str] = field(default_factory=list)
    speaker_unknown: str = ""


@dataclass
class ExtractedSpeaker:
    """A quoted person, with the title and organisation the text gives them."""

    name: str
    title: str = ""
    organisation: str = ""


@dataclass
class ExtractedDocument:
    """A document named or referred to; ``mentions`` are (start, end, words used)."""

    name: str
    kind: str
    year: int | None = None
    mentions: list[tuple[int, int, str]] = field(default_factory=list)


@dataclass
class ExtractionResult:
    """Everything ``extract`` proposes for review."""

    quotations: list[ExtractedQuotation] = field(default_factory=list)
    speakers: list[ExtractedSpeaker] = field(default_factory=list)
    organisations: list[str] = field(default_factory=list)
    documents: list[ExtractedDocument] = field(default_factory=list)
    language: str = ""  # the article's language: as given, or guessed from its script and words

    def to_dict(self) -> dict[str, Any]:
        """Return a JSON-serialisable summary (mentions of documents are left out)."""
        return {
            "language": self.language,
            "quotations": [
                {
                    "text": quotation.text,
                    "start": quotation.start,
                    "end": quotation.end,
                    "direct": quotation.direct,
                    "speaker": quotation.speaker,
                    "attribution": quotation.attribution,
                    "documents": list(quotation.documents),
                    "speaker_unknown": quotation.speaker_unknown,
                }
                for quotation in self.quotations
            ],
            "speakers": [
                {"name": speaker.name, "title": speaker.title, "organisation": speaker.organisation}
                for speaker in self.speakers
            ],
            "organisations": list(self.organisations),
            "documents": [
                {"name": document.name, "kind": document.kind, "year": document.year} for document in self.documents
            ],
        }


@dataclass
class ParsedArticle:
    """An article read from the plain-text format: title line, date line, blank line, paragraphs."""

    title: str
    published: datetime | None
    body_text: str
    paragraphs: list[str]
    date: DateLine | None = None  # the date line as read (None: no date line); published is its moment
    second_line: tuple[int, str] = (0, "")  # (line number, text) of the first line after the title
