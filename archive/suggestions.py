"""From what extraction finds to records an admin reviews.

Extraction (archive.extraction) is pure text work; this module gives it the people and documents the archive
already knows, and stores its findings as proposals: quotations with review=SUGGESTED, new people, organisations
and documents flagged needs_review, and a title for a speaker who has no role on record for the article's date
kept on the suggested quotation itself (proposed_role_title, proposed_role_organisation). Readers see none of it
until an admin confirms a quotation, which confirms its speaker, turns its proposed role into a Role, and confirms
the role's organisation and the documents it refers to.

Why a proposed role lives on the quotation and not as a flagged Role row: every reader-facing query of roles (a
speaker's page, the API, the search index, a quotation's derived role, who counts as a public person) would need a
"confirmed" filter, and one forgotten filter leaks; with no Role row until confirmation there is nothing to
filter. Deleting the draft deletes its quotations and so their proposals, and `discard_orphaned_proposals`
removes the flagged people, organisations and documents nothing refers to any more.
"""

import re
from dataclasses import dataclass

from django.db import transaction
from django.db.models import Q
from django.db.models.signals import post_delete
from django.utils import timezone
from django.utils.text import capfirst

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
        self.proposed_roles: dict[int, tuple[str, Organisation]] = {}  # person pk -> (title, organisation)

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
                self.proposed_roles[person.pk] = (speaker.title[:200], organisation)
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
                # Found mid-sentence ("a universal anti-terrorism convention"): a title starts with a capital.
                title=capfirst(name.strip())[:300],
                kind=kind,
                adopted_year=found.year if found else None,
                needs_review=True,
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
    discard_orphaned_proposals()
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
        proposed_title, proposed_organisation = (
            matcher.proposed_roles.get(speaker.pk, ("", None)) if speaker else ("", None)
        )
        quotation = Quotation.objects.create(
            article=article,
            speaker=speaker,
            text=found.text,
            start=found.start,
            end=found.end,
            speech=Quotation.Speech.DIRECT if found.direct else Quotation.Speech.REPORTED,
            attribution=found.attribution[:200],
            review=Quotation.Review.SUGGESTED,
            proposed_role_title=proposed_title,
            proposed_role_organisation=proposed_organisation,
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
    """Confirmed quotations make their speaker, proposed role, role organisation and documents visible to readers."""
    for quotation in quotations:
        if quotation.review != Quotation.Review.CONFIRMED:
            continue
        adopt_proposed_role(quotation)
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


def adopt_proposed_role(quotation: Quotation) -> None:
    """Turn a confirmed quotation's proposed role into a Role of its speaker from the quotation's date on, unless
    the speaker has a role on that date by now; the proposal is cleared either way."""
    if not quotation.proposed_role_title and quotation.proposed_role_organisation_id is None:
        return
    complete = quotation.proposed_role_title and quotation.proposed_role_organisation_id
    if complete and not quotation.role_fits() and not quotation.speaker.role_on(quotation.date):
        # Saving the role derives the role of the speaker's quotations, this one included (archive.derived).
        Role.objects.create(
            person=quotation.speaker,
            organisation=quotation.proposed_role_organisation,
            title=quotation.proposed_role_title,
            start=quotation.date,
        )
    quotation.proposed_role_title = ""
    quotation.proposed_role_organisation = None
    quotation.save()


def discard_orphaned_proposals() -> dict[str, int]:
    """Delete the people, organisations and documents that extraction proposed (still flagged needs_review) and
    that nothing refers to any more: what a deleted draft, or replaced suggestions, leave behind."""
    people = Person.objects.filter(needs_review=True, quotations__isnull=True, roles__isnull=True)
    documents = Document.objects.filter(
        needs_review=True, quotation_links__isnull=True, mentions__isnull=True, relations_out__isnull=True,
        relations_in__isnull=True,
    )  # fmt: skip
    organisations = Organisation.objects.filter(
        needs_review=True, roles__isnull=True, proposed_roles__isnull=True, published_articles__isnull=True,
        mentioned_in_articles__isnull=True, adopted_documents__isnull=True, children__isnull=True,
    )  # fmt: skip
    deleted = {}
    for name, queryset in (("people", people), ("documents", documents), ("organisations", organisations)):
        # By primary key: a delete() on a query with joins is refused by some databases.
        deleted[name] = queryset.model.objects.filter(pk__in=list(queryset.values_list("pk", flat=True))).delete()[0]
    return deleted


def _article_deleted(sender, instance, **kwargs):
    discard_orphaned_proposals()


def connect_signals() -> None:
    """Called once from ArchiveConfig.ready."""
    post_delete.connect(_article_deleted, sender=Article, dispatch_uid="archive.suggestions.article.post_delete")
