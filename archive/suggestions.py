"""From what extraction finds to records an admin reviews.

Extraction (archive.extraction) is pure text work; this module gives it the people and documents the archive
already knows, and stores its findings as suggestions: quotations with review=SUGGESTED, and new people,
organisations and documents flagged needs_review. Readers see none of them until an admin confirms a quotation,
which also confirms its speaker (with the role's organisation) and the documents it refers to.
"""

import re
from dataclasses import dataclass

from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from archive.extraction import KnownDocument, KnownPerson, extract
from archive.extraction.types import ExtractedDocument, ExtractedSpeaker, ExtractionResult
from archive.models import Article, Document, DocumentMention, Organisation, Person, Quotation, Role

EXTRACTED_KINDS = {choice.value for choice in Document.Kind}


@dataclass
class SuggestionSummary:
    """What one extraction run proposed for an article."""

    quotations: int = 0
    unattributed: int = 0
    new_people: int = 0
    new_documents: int = 0
    mentions: int = 0

    def __str__(self):
        parts = [f"{self.quotations} quotation(s) suggested"]
        if self.unattributed:
            parts.append(f"{self.unattributed} of them with the speaker unknown (choose the speaker to confirm)")
        if self.new_people:
            parts.append(f"{self.new_people} new speaker(s)")
        if self.new_documents:
            parts.append(f"{self.new_documents} new document(s)")
        parts.append(f"{self.mentions} document mention(s)")
        return ", ".join(parts)


def normalise_name(name: str) -> str:
    """Case, spacing, a leading 'the' and the Combating/Combatting spelling do not tell names apart."""
    name = re.sub(r"\s+", " ", name or "").strip().lower()
    name = re.sub(r"^the ", "", name)
    return name.replace("combatting", "combating")


def known_people() -> list[KnownPerson]:
    today = timezone.localdate()
    people = Person.objects.prefetch_related("roles__organisation")
    known = []
    for person in people:
        roles = sorted(person.roles.all(), key=lambda role: role.start, reverse=True)
        current = next((r for r in roles if r.start <= today and (r.end is None or r.end >= today)), None)
        role = current or (roles[0] if roles else None)
        known.append(
            KnownPerson(
                name=person.name,
                aliases=tuple(person.alias_list),
                title=role.title if role else "",
                organisation=role.organisation.display_name if role else "",
            )
        )
    return known


def known_documents() -> list[KnownDocument]:
    return [
        KnownDocument(
            title=document.title,
            short_title=document.short_title,
            aliases=tuple(document.alias_list),
            kind=document.kind,
            year=document.adopted_year,
        )
        for document in Document.objects.all()
    ]


def extract_from_article(article: Article) -> ExtractionResult:
    publisher = article.publisher.display_name if article.publisher else ""
    return extract(
        article.body_text,
        known_people=known_people(),
        known_documents=known_documents(),
        publisher=publisher,
        title=article.title,
        language=article.language,
    )


class RecordMatcher:
    """Finds the archive's record for a name that extraction gives, creating a flagged one when there is none."""

    def __init__(self, summary: SuggestionSummary, as_of):
        self.summary = summary
        self.as_of = as_of
        self._people: dict[str, Person] = {}
        self._documents: dict[str, Document] = {}

    def organisation(self, name: str) -> Organisation | None:
        if not name.strip():
            return None
        match = Organisation.objects.filter(Q(name__iexact=name) | Q(short_name__iexact=name)).first()
        if match is None:
            match = Organisation.objects.create(name=name.strip(), needs_review=True)
        return match

    def person(self, name: str, speaker: ExtractedSpeaker | None) -> Person:
        key = normalise_name(name)
        if key in self._people:
            return self._people[key]
        person = self._find_person(name)
        if person is None:
            person = Person.objects.create(name=name.strip(), needs_review=True)
            self.summary.new_people += 1
        if speaker and speaker.title and not person.role_on(self.as_of):
            organisation = self.organisation(speaker.organisation)
            if organisation is not None:
                Role.objects.create(person=person, organisation=organisation, title=speaker.title, start=self.as_of)
        self._people[key] = person
        return person

    def _find_person(self, name: str) -> Person | None:
        exact = Person.objects.filter(name__iexact=name.strip()).first()
        if exact:
            return exact
        wanted = normalise_name(name)
        for person in Person.objects.filter(aliases__icontains=name.strip()):
            if wanted in {normalise_name(alias) for alias in person.alias_list}:
                return person
        return None

    def document(self, name: str, found: ExtractedDocument | None) -> Document:
        key = normalise_name(name)
        if key in self._documents:
            return self._documents[key]
        document = self._find_document(name)
        if document is None:
            kind = found.kind if found and found.kind in EXTRACTED_KINDS else Document.Kind.OTHER
            document = Document.objects.create(
                title=name.strip()[:300], kind=kind, adopted_year=found.year if found else None, needs_review=True
            )
            self.summary.new_documents += 1
        self._documents[key] = document
        return document

    def _find_document(self, name: str) -> Document | None:
        wanted = normalise_name(name)
        for document in Document.objects.all():
            names = [document.title, document.short_title, *document.alias_list]
            if wanted in {normalise_name(n) for n in names if n}:
                return document
        return None


@transaction.atomic
def propose_suggestions(article: Article) -> SuggestionSummary:
    """Run extraction on the article and store what it finds as suggestions for review.

    Earlier unreviewed suggestions are replaced; confirmed and rejected quotations stay, and a span that an admin
    already confirmed or rejected is not proposed again.
    """
    summary = SuggestionSummary()
    article.quotations.filter(review=Quotation.Review.SUGGESTED).delete()
    reviewed_spans = set(article.quotations.values_list("start", "end"))
    result = extract_from_article(article)
    matcher = RecordMatcher(summary, as_of=timezone.localdate(article.published_at))

    for name in result.organisations:
        organisation = Organisation.objects.filter(Q(name__iexact=name) | Q(short_name__iexact=name)).first()
        if organisation:
            article.organisations.add(organisation)

    found_documents = {normalise_name(d.name): d for d in result.documents}
    existing_mentions = set(article.document_mentions.values_list("start", "end"))
    for found in result.documents:
        document = matcher.document(found.name, found)
        for start, end, words in found.mentions:
            if (start, end) not in existing_mentions:
                DocumentMention.objects.create(
                    article=article, document=document, text=words[:300], start=start, end=end
                )
                existing_mentions.add((start, end))
                summary.mentions += 1

    speakers = {normalise_name(s.name): s for s in result.speakers}
    for found in result.quotations:
        if (found.start, found.end) in reviewed_spans:
            continue
        # A quotation extraction cannot attribute is still suggested, with the speaker left for the editor.
        speaker = matcher.person(found.speaker, speakers.get(normalise_name(found.speaker))) if found.speaker else None
        summary.unattributed += speaker is None
        quotation = Quotation.objects.create(
            article=article,
            speaker=speaker,
            text=found.text,
            start=found.start,
            end=found.end,
            speech=Quotation.Speech.DIRECT if found.direct else Quotation.Speech.REPORTED,
            attribution=found.attribution[:200],
            review=Quotation.Review.SUGGESTED,
        )
        quotation.documents.set(
            [matcher.document(name, found_documents.get(normalise_name(name))) for name in found.documents]
        )
        summary.quotations += 1
    return summary


@transaction.atomic
def confirm_quotations(quotations) -> int:
    """Confirm suggested quotations, and with them their speakers, roles' organisations and documents.

    Quotations whose speaker is unknown are left as they are (confirm_blocked counts them): nobody can be quoted
    in public without a name.
    """
    quotations = quotations.exclude(speaker__isnull=True)
    quotations = list(quotations.select_related("speaker", "role__organisation").prefetch_related("documents"))
    for quotation in quotations:
        if quotation.review != Quotation.Review.CONFIRMED:
            quotation.review = Quotation.Review.CONFIRMED
            quotation.save()
    confirm_related_records(quotations)
    return len(quotations)


def confirm_blocked(quotations) -> int:
    """How many of these quotations confirm_quotations would leave unconfirmed for want of a speaker."""
    return quotations.filter(speaker__isnull=True).exclude(review=Quotation.Review.CONFIRMED).count()


def confirm_related_records(quotations) -> None:
    """Confirmed quotations make their speaker, role organisation and documents visible to readers."""
    for quotation in quotations:
        if quotation.review != Quotation.Review.CONFIRMED:
            continue
        records = [quotation.speaker, *quotation.documents.all()]
        if quotation.role_id:
            records.append(quotation.role.organisation)
        for record in records:
            if record.needs_review:
                record.needs_review = False
                record.save()


def reject_quotations(quotations) -> int:
    changed = 0
    for quotation in quotations:
        if quotation.review != Quotation.Review.REJECTED:
            quotation.review = Quotation.Review.REJECTED
            quotation.save()
            changed += 1
    return changed
