"""haystack indexes: what a search can find, and the fields it filters and counts by.

Quotations are the main thing searched; articles and documents can be searched instead; people and organisations
are indexed by name so a search for "Alimov" or "SCO" can offer their pages. Only what a reader may see is
indexed: confirmed quotations of published articles, published articles, and the public people, organisations
and documents (see the `public()` QuerySets).

All indexes share field names, so one query and one set of filters work across types:

    text                 everything searchable (each index's `text_of`: the same text as the templates in
                         templates/search/indexes/archive/<model>_text.txt, built in Python, cheaper to prepare)
    speaker_names ...    the words behind the field filters speaker:, organisation:, document:
    speaker, organisation, document, year, language, speech
                         facet values kept whole (slugs, a year, a language code, direct/reported)
    date, position       sort keys (newest/oldest, then place in the article)
    names                people's and organisations' names, for "Speakers/Organisations matching"
    signature            a hash of the document as prepared, so check_index can tell a stale document
"""

import datetime
import hashlib
import json

from django.db.models import Prefetch
from haystack import indexes

from archive.models import Article, Document, Organisation, Person, Quotation, Role


def unique(values):
    """Non-empty values, first occurrence first."""
    return list(dict.fromkeys(v for v in values if v))


def document_names(documents) -> str:
    return "\n".join(
        part for document in documents for part in (document.title, document.short_title, document.aliases) if part
    )


def organisation_names(organisations) -> str:
    return "\n".join(part for o in organisations for part in (o.name, o.short_name) if part)


def _s(value) -> str:
    """A value as `{{ value }}` renders it in a template with autoescape off (None renders as "None")."""
    return "None" if value is None else str(value)


class ArchiveSearchIndex(indexes.SearchIndex):
    """Fields every archive index has, and the signature that lets check_index find stale documents."""

    text = indexes.CharField(document=True)
    signature = indexes.CharField(indexed=False, stored=True, null=True)

    def prepare_text(self, obj):
        return self.text_of(obj) + "\n"  # the templates end with a newline after {% endautoescape %}

    def text_of(self, obj) -> str:
        """The searchable text; each index builds exactly what its <model>_text.txt template renders (a test
        compares the two), without the template engine's cost (half of preparing a quotation's document)."""
        raise NotImplementedError

    def full_prepare(self, obj, with_string_facet=True):
        data = super().full_prepare(obj, with_string_facet=with_string_facet)
        data.pop("signature", None)
        data["signature"] = document_signature(data)
        return data


def document_signature(data: dict) -> str:
    """A short hash of a prepared document (without its signature)."""
    payload = json.dumps({k: v for k, v in data.items() if k != "signature"}, sort_keys=True, default=str)
    return hashlib.blake2b(payload.encode("utf-8"), digest_size=12).hexdigest()


class FacetedIndex(ArchiveSearchIndex):
    """The fields quotations, articles and documents share: field-filter text, facets and sort keys."""

    speaker_names = indexes.CharField(stored=False, null=True)
    organisation_names = indexes.CharField(stored=False, null=True)
    document_names = indexes.CharField(stored=False, null=True)
    speaker = indexes.MultiValueField(stored=False)
    organisation = indexes.MultiValueField(stored=False)
    document = indexes.MultiValueField(stored=False)
    year = indexes.MultiValueField(stored=False)
    language = indexes.MultiValueField(stored=False)
    speech = indexes.MultiValueField(stored=False)
    date = indexes.DateField(stored=False, null=True)
    position = indexes.IntegerField(stored=False, default=0)

    def prepare_speaker_names(self, obj):
        return "\n".join(f"{p.name}\n{p.aliases}" for p in self.speakers(obj)) or None

    def prepare_speaker(self, obj):
        return unique(p.slug for p in self.speakers(obj))

    def prepare_organisation_names(self, obj):
        return organisation_names(self.organisations(obj)) or None

    def prepare_organisation(self, obj):
        return unique(o.slug for o in self.organisations(obj))

    def prepare_document_names(self, obj):
        return document_names(self.documents(obj)) or None

    def prepare_document(self, obj):
        return unique(d.slug for d in self.documents(obj))

    def prepare_year(self, obj):
        date = self.prepare_date(obj)
        return [str(date.year)] if date else []

    def prepare_language(self, obj):
        return []

    def prepare_speech(self, obj):
        return []

    def prepare_position(self, obj):
        return 0

    # What each model supplies:
    def speakers(self, obj):
        return []

    def organisations(self, obj):
        return []

    def documents(self, obj):
        return []


class QuotationIndex(FacetedIndex, indexes.Indexable):
    """Confirmed quotations of published articles: the quote, who said it in which role, where, about what."""

    def get_model(self):
        return Quotation

    def index_queryset(self, using=None):
        # Not the article's body (~10 KB a row, twice): nothing in a quotation's document reads it.
        return Quotation.objects.public().with_related().defer("article__body_html", "article__body_text")

    def speakers(self, obj):
        return [obj.speaker]

    def organisations(self, obj):
        return [obj.role.organisation] if obj.role_id else []

    def documents(self, obj):
        return list(obj.documents.all())  # with_related() prefetches the public ones

    def prepare_date(self, obj):
        return obj.date

    def prepare_language(self, obj):
        return [obj.article.language]

    def prepare_speech(self, obj):
        return [obj.speech]

    def prepare_position(self, obj):
        return obj.start or 0

    def text_of(self, obj):
        speaker = obj.speaker
        parts = [_s(obj.text), "\n", _s(speaker.name), "\n", _s(speaker.aliases), "\n"]
        if obj.role:
            organisation = obj.role.organisation
            parts += [_s(obj.role.title), "\n", _s(organisation.name), " ", _s(organisation.short_name)]
        parts += ["\n", _s(obj.article.title), "\n"]
        for document in obj.documents.all():
            parts += [_s(document.title), "\n", _s(document.short_title), "\n", _s(document.aliases), "\n"]
        return "".join(parts)


class ArticleIndex(FacetedIndex, indexes.Indexable):
    """Published articles: title, body and publisher; filtered by who is quoted in them and what they refer to."""

    def get_model(self):
        return Article

    def index_queryset(self, using=None):
        public_quotations = (
            Quotation.objects.public()
            .select_related("speaker")
            .prefetch_related(Prefetch("documents", queryset=Document.objects.public(), to_attr="public_documents"))
            .order_by("start", "pk")
        )
        return (
            Article.objects.published()
            .defer("body_html")  # the document is built from body_text
            .select_related("publisher")
            .prefetch_related(
                Prefetch("organisations", queryset=Organisation.objects.public()),
                Prefetch("quotations", queryset=public_quotations, to_attr="public_quotations"),
                Prefetch("document_mentions__document"),
            )
        )

    def speakers(self, obj):
        return list({q.speaker_id: q.speaker for q in self._quotations(obj)}.values())

    def organisations(self, obj):
        found = [obj.publisher] if obj.publisher_id and not obj.publisher.needs_review else []
        return list({o.pk: o for o in [*found, *obj.organisations.all()]}.values())

    def documents(self, obj):
        mentioned = [m.document for m in obj.document_mentions.all() if not m.document.needs_review]
        quoted = [d for q in self._quotations(obj) for d in self._quotation_documents(q)]
        return list({d.pk: d for d in [*mentioned, *quoted]}.values())

    def prepare_date(self, obj):
        return obj.published_at.date()

    def prepare_language(self, obj):
        return [obj.language]

    def text_of(self, obj):
        publisher = f"{_s(obj.publisher.name)} {_s(obj.publisher.short_name)}" if obj.publisher else ""
        return f"{_s(obj.title)}\n{_s(obj.body_text)}\n{publisher}\n{_s(obj.source_name)}\n{_s(obj.place)}"

    @staticmethod
    def _quotations(article):
        if hasattr(article, "public_quotations"):
            return article.public_quotations
        return list(article.quotations.public().select_related("speaker"))

    @staticmethod
    def _quotation_documents(quotation):
        if hasattr(quotation, "public_documents"):
            return quotation.public_documents
        return list(quotation.documents.public())


class DocumentIndex(FacetedIndex, indexes.Indexable):
    """Treaties, conventions, strategies...: titles and aliases, description, who adopted them and when."""

    def get_model(self):
        return Document

    def index_queryset(self, using=None):
        return Document.objects.public().prefetch_related(
            Prefetch("adopting_organisations", queryset=Organisation.objects.public())
        )

    def organisations(self, obj):
        return list(obj.adopting_organisations.all())

    def documents(self, obj):
        return [obj]

    def text_of(self, obj):
        parts = [
            f"{_s(obj.title)}\n{_s(obj.short_title)}\n{_s(obj.aliases)}\n{_s(obj.get_kind_display())}\n"
            f"{_s(obj.place)}\n{_s(obj.description)}\n"
        ]
        for organisation in obj.adopting_organisations.all():
            parts.append(f"{_s(organisation.name)} {_s(organisation.short_name)}\n")
        return "".join(parts)

    def prepare_date(self, obj):
        if obj.adopted_on:
            return obj.adopted_on
        return datetime.date(obj.adopted_year, 1, 1) if obj.adopted_year else None


class NamedIndex(ArchiveSearchIndex):
    """People and organisations, searchable by name for the "matching" box above the results."""

    names = indexes.CharField(stored=False)


class PersonIndex(NamedIndex, indexes.Indexable):
    def get_model(self):
        return Person

    def index_queryset(self, using=None):
        return Person.objects.public().prefetch_related(
            Prefetch("roles", queryset=Role.objects.select_related("organisation").order_by("-start"))
        )

    def prepare_names(self, obj):
        return "\n".join([obj.name, *obj.alias_list])

    def text_of(self, obj):
        parts = [f"{_s(obj.name)}\n{_s(obj.aliases)}\n{_s(obj.description)}\n"]
        for role in obj.roles.all():
            parts.append(f"{_s(role.title)} {_s(role.organisation.name)} {_s(role.organisation.short_name)}\n")
        return "".join(parts)


class OrganisationIndex(NamedIndex, indexes.Indexable):
    def get_model(self):
        return Organisation

    def index_queryset(self, using=None):
        return Organisation.objects.public().select_related("parent")

    def prepare_names(self, obj):
        return "\n".join(part for part in (obj.name, obj.short_name) if part)

    def text_of(self, obj):
        parent = f"{_s(obj.parent.name)} {_s(obj.parent.short_name)}" if obj.parent else ""
        return f"{_s(obj.name)}\n{_s(obj.short_name)}\n{_s(obj.get_kind_display())}\n{_s(obj.description)}\n{parent}"
