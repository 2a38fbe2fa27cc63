"""The extraction pipeline: organisations, people, quotation spans, sentences, documents, then
statements (direct and reported) with their speakers and the documents they mention.
"""

from __future__ import annotations

from bisect import bisect_left
from collections.abc import Iterable

from .attribution import SpeakerResolver
from .documents import find_documents
from .languages import detect_language
from .organisations import find_organisations, organisation_names
from .people import Person, find_people
from .quotes import find_quote_spans
from .statements import Statement, StatementFinder
from .text import split_sentences
from .types import (
    ExtractedDocument,
    ExtractedQuotation,
    ExtractedSpeaker,
    ExtractionResult,
    KnownDocument,
    KnownPerson,
)


def extract(
    text: str,
    known_people: Iterable[KnownPerson] = (),
    known_documents: Iterable[KnownDocument] = (),
    publisher: str = "",
    title: str = "",
    language: str = "",
) -> ExtractionResult:
    """Propose the quotations, speakers, organisations and documents of an article's body ``text``.

    ``publisher`` is the organisation that published the article; it becomes the organisation of a
    titled speaker for whom the text names none. ``title`` is the headline: a document it names is
    taken as the one the article is about when "the convention" could refer to several. ``language`` is the
    article's (ISO 639-1 code), recorded in the result; when empty it is guessed from the script and common
    words. The words of every language held are recognised in any article (see ``languages``).
    """
    organisations = find_organisations(text)
    people = find_people(text, list(known_people), organisations)
    spans = find_quote_spans(text)
    quoted_ranges = [(span.start, span.end) for span in spans]
    sentences = split_sentences(text, quoted_ranges)
    resolver = SpeakerResolver(text, people, quoted_ranges, sentences)
    documents = find_documents(text, list(known_documents), sentences, title)
    statements = StatementFinder(text, spans, sentences, resolver).run()

    mentions = DocumentMentions(documents)
    quotations = []
    speakers: dict[str, Person] = {}
    for statement in sorted(statements, key=lambda statement: statement.start):
        person = statement.attribution.person if statement.attribution else None
        if person:
            speakers.setdefault(person.name, person)
        quotations.append(
            ExtractedQuotation(
                text=text[statement.start : statement.end],
                start=statement.start,
                end=statement.end,
                direct=statement.direct,
                speaker=person.name if person else None,
                attribution=statement.attribution.words if statement.attribution else "",
                documents=mentions.within(statement.start, statement.end),
                speaker_unknown="" if person else _why_unknown(statement),
            )
        )
    return ExtractionResult(
        quotations=quotations,
        speakers=[
            ExtractedSpeaker(person.name, person.title, person.organisation or (publisher if person.title else ""))
            for person in speakers.values()
        ],
        organisations=organisation_names(organisations),
        documents=documents,
        language=language or detect_language(title + "\n" + text),
    )


def _why_unknown(statement: Statement) -> str:
    """Why a quotation has no speaker, for the editor who will choose one."""
    if statement.attribution:
        return f"“{statement.attribution.words}” names nobody the text identifies"
    return "no speaker is named next to the quotation"


class DocumentMentions:
    """Every mention of every document, sorted by offset, for finding those inside a quotation quickly."""

    def __init__(self, documents: list[ExtractedDocument]) -> None:
        self.mentions = sorted(
            (start, end, document.name) for document in documents for start, end, _ in document.mentions
        )
        self.starts = [start for start, _, _ in self.mentions]

    def within(self, start: int, end: int) -> list[str]:
        """Names of the documents mentioned (by name or by a referring phrase) inside ``start:end``,
        in order of their first mention there."""
        names: dict[str, None] = {}
        for mention_start, mention_end, name in self.mentions[bisect_left(self.starts, start) :]:
            if mention_start >= end:
                break
            if mention_end <= end:
                names.setdefault(name)
        return list(names)
