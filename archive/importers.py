"""Reading article files into the archive, and writing the whole archive out again.

Three formats are read (chosen by the file's ending, or its first character for JSON):

* Plain text (.txt), the seed's format: a title line, a date line, a blank line, then paragraphs.
* Saved HTML pages of news sites (.html, .htm): the main text is taken out with trafilatura, a maintained library
  made for that, with the title, date and site name from the page's metadata.
* JSON (.json), the archive's own format, documented in docs/json-format.md. A file holds one article object, a
  list of them, or a whole archive as written by `manage.py export_archive`. Reading an export back into an empty
  database gives the same archive.

Articles whose files carry no quotations go through quotation extraction, and what it finds arrives as
suggestions for review (confirmed at once with confirm=True). Importing is idempotent: an article already in the
archive (same source URL, or same slug, or same title and day) is left as it is and reported as such.
"""

import datetime
import json
from dataclasses import dataclass, field
from pathlib import Path

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.dateparse import parse_date, parse_datetime

from archive.extraction import parse_plain_text_article
from archive.models import (
    Article,
    Document,
    DocumentMention,
    DocumentRelation,
    Organisation,
    Person,
    Quotation,
    QuotationDocument,
    Role,
)
from archive.sanitize import clean_body, sanitize_text, text_to_html
from archive.suggestions import confirm_quotations, propose_suggestions

EXPORT_FORMAT = "policy-statement-archive"
EXPORT_VERSION = 1
READABLE_SUFFIXES = {".txt", ".json", ".html", ".htm"}
MAX_FILE_BYTES = 20 * 1024 * 1024


class ImportFileError(Exception):
    """A file that cannot be imported; the message says why, in words an editor understands."""


@dataclass
class ArticleRecord:
    """What a file says about one article, before anything touches the database."""

    title: str
    published_at: datetime.datetime
    body_html: str
    language: str = "en"
    source_name: str = ""
    source_url: str = ""
    publisher: str = ""
    place: str = ""
    status: str = ""
    slug: str = ""
    translation_key: str = ""
    organisations: list[str] = field(default_factory=list)
    quotations: list[dict] | None = None
    document_mentions: list[dict] = field(default_factory=list)


@dataclass
class ImportBatch:
    """One file's contents: articles, and for a whole-archive export also its people, bodies and documents."""

    articles: list[ArticleRecord]
    archive: dict | None = None


@dataclass
class Outcome:
    """What happened to one article (or one file that could not be read)."""

    status: str  # created, exists, would-create, failed
    title: str = ""
    detail: str = ""


# Reading files -----------------------------------------------------------------------------------------------


def readable_files(paths: list[str]) -> list[Path]:
    """The files named, with folders walked for the endings the importer reads."""
    found: list[Path] = []
    for name in paths:
        path = Path(name)
        if path.is_dir():
            found.extend(sorted(p for p in path.rglob("*") if p.is_file() and p.suffix.lower() in READABLE_SUFFIXES))
        else:
            found.append(path)
    return found


def read_file(path: Path) -> ImportBatch:
    """Parse one file into articles, or raise ImportFileError with the reason."""
    try:
        if path.stat().st_size > MAX_FILE_BYTES:
            raise ImportFileError(f"the file is larger than {MAX_FILE_BYTES // (1024 * 1024)} MB")
        raw = path.read_bytes().decode("utf-8-sig")
    except FileNotFoundError as error:
        raise ImportFileError("no such file") from error
    except UnicodeDecodeError as error:
        raise ImportFileError(f"not UTF-8 text (byte {error.start})") from error
    except OSError as error:
        raise ImportFileError(error.strerror or str(error)) from error
    suffix = path.suffix.lower()
    if suffix == ".json" or (suffix not in {".html", ".htm", ".txt"} and raw.lstrip().startswith(("{", "["))):
        return read_json(raw)
    if suffix in {".html", ".htm"} or raw.lstrip()[:15].lower().startswith(("<!doctype", "<html")):
        return ImportBatch([read_html(raw)])
    return ImportBatch([read_plain_text(raw)])


def read_plain_text(raw: str) -> ArticleRecord:
    try:
        parsed = parse_plain_text_article(raw)
    except ValueError as error:
        raise ImportFileError(str(error)) from error
    if parsed.published is None:
        raise ImportFileError("no publication date on the second line (e.g. 13.06.2017 07:48)")
    return ArticleRecord(
        title=sanitize_text(parsed.title),
        published_at=aware(parsed.published),
        body_html=text_to_html(parsed.body_text),
    )


def read_html(raw: str) -> ArticleRecord:
    import trafilatura

    body = trafilatura.extract(raw, output_format="html", include_comments=False, include_tables=True)
    if not body:
        raise ImportFileError("no article text found in the page")
    metadata = trafilatura.extract_metadata(raw)
    title = sanitize_text(metadata.title if metadata and metadata.title else "")
    if not title:
        raise ImportFileError("the page has no title")
    published = parse_date(metadata.date) if metadata and metadata.date else None
    if published is None:
        raise ImportFileError("no publication date found in the page")
    return ArticleRecord(
        title=title,
        published_at=aware(datetime.datetime.combine(published, datetime.time())),
        body_html=clean_body(body),
        language=(metadata.language or "en")[:10] if metadata else "en",
        source_name=sanitize_text(metadata.sitename or "")[:200] if metadata else "",
        source_url=(metadata.url or "")[:500] if metadata else "",
    )


def read_json(raw: str) -> ImportBatch:
    try:
        data = json.loads(raw)
    except json.JSONDecodeError as error:
        raise ImportFileError(f"invalid JSON at line {error.lineno}, column {error.colno}: {error.msg}") from error
    if isinstance(data, dict) and data.get("format") == EXPORT_FORMAT:
        if data.get("version") != EXPORT_VERSION:
            raise ImportFileError(f"unsupported export version {data.get('version')!r} (expected {EXPORT_VERSION})")
        try:
            articles = [article_from_json(a, i) for i, a in enumerate(as_list(data, "articles"))]
        except (TypeError, AttributeError) as error:
            raise ImportFileError(f"a field holds the wrong kind of value ({error})") from error
        return ImportBatch(articles, archive=data)
    items = data if isinstance(data, list) else [data]
    try:
        return ImportBatch([article_from_json(item, i) for i, item in enumerate(items)])
    except (TypeError, AttributeError) as error:  # a field of the wrong kind, e.g. "organisations": 5
        raise ImportFileError(f"a field holds the wrong kind of value ({error})") from error


def as_list(data: dict, key: str) -> list:
    value = data.get(key) or []
    if not isinstance(value, list):
        raise ImportFileError(f"'{key}' must be a list")
    return value


def article_from_json(item, position: int) -> ArticleRecord:
    where = f"article {position + 1}"
    if not isinstance(item, dict):
        raise ImportFileError(f"{where}: expected an object")
    title = sanitize_text(str(item.get("title") or ""))
    if not title:
        raise ImportFileError(f"{where}: 'title' is missing")
    published_at = parse_when(item.get("published_at") or item.get("published"))
    if published_at is None:
        raise ImportFileError(f"{where}: 'published_at' is missing or not a date (use ISO 8601, e.g. 2017-06-13T07:48)")
    if item.get("body_html"):
        body_html = clean_body(str(item["body_html"]))
    elif item.get("body_text") or item.get("text"):
        body_html = text_to_html(str(item.get("body_text") or item.get("text")))
    else:
        raise ImportFileError(f"{where}: no 'body_html' or 'body_text'")
    quotations = item.get("quotations")
    if quotations is not None and not isinstance(quotations, list):
        raise ImportFileError(f"{where}: 'quotations' must be a list")
    status = str(item.get("status") or "")
    if status and status not in Article.Status.values:
        raise ImportFileError(f"{where}: status must be one of {', '.join(Article.Status.values)}")
    return ArticleRecord(
        title=title,
        published_at=published_at,
        body_html=body_html,
        language=str(item.get("language") or "en")[:10],
        source_name=sanitize_text(str(item.get("source_name") or ""))[:200],
        source_url=str(item.get("source_url") or "")[:500],
        publisher=str(item.get("publisher") or ""),
        place=sanitize_text(str(item.get("place") or ""))[:120],
        status=status,
        slug=str(item.get("slug") or ""),
        translation_key=sanitize_text(str(item.get("translation_key") or ""))[:200],
        organisations=[str(o) for o in item.get("organisations") or []],
        quotations=quotations,
        document_mentions=list(item.get("document_mentions") or []),
    )


def parse_when(value) -> datetime.datetime | None:
    if not value:
        return None
    text = str(value)
    try:
        moment = parse_datetime(text)
        if moment is None:
            day = parse_date(text)
            moment = datetime.datetime.combine(day, datetime.time()) if day else None
    except ValueError:  # well-formed but impossible, e.g. 2017-02-30 or year 0
        return None
    return aware(moment) if moment else None


def aware(moment: datetime.datetime) -> datetime.datetime:
    return timezone.make_aware(moment, datetime.UTC) if timezone.is_naive(moment) else moment


# Writing into the database -------------------------------------------------------------------------------------


def find_existing(record: ArticleRecord) -> Article | None:
    if record.source_url:
        match = Article.objects.filter(source_url=record.source_url).first()
        if match:
            return match
    if record.slug:
        match = Article.objects.filter(slug=record.slug).first()
        if match:
            return match
    return Article.objects.filter(title=record.title, published_at__date=record.published_at.date()).first()


def import_batch(
    batch: ImportBatch, *, confirm: bool = False, status: str = "", dry_run: bool = False
) -> list[Outcome]:
    """Store a file's articles. All of a file goes in, or (on an error or a dry run) none of it."""
    try:
        with transaction.atomic():
            if batch.archive is not None:
                import_archive_records(batch.archive)
            outcomes = [import_article(record, confirm=confirm, status=status) for record in batch.articles]
            if dry_run:
                transaction.set_rollback(True)
                for outcome in outcomes:
                    if outcome.status == "created":
                        outcome.status = "would-create"
    except ImportFileError:
        raise
    except (IntegrityError, ValidationError, ValueError, KeyError, TypeError) as error:
        raise ImportFileError(f"inconsistent data: {error}") from error
    return outcomes


def import_article(record: ArticleRecord, *, confirm: bool, status: str) -> Outcome:
    existing = find_existing(record)
    if existing:
        return Outcome("exists", record.title, f"already in the archive as /articles/{existing.slug}/")
    article = Article(
        title=record.title[:300],
        slug=record.slug[:80] if record.slug and not Article.objects.filter(slug=record.slug).exists() else "",
        published_at=record.published_at,
        publisher=reference(Organisation, record.publisher, create=True) if record.publisher else None,
        source_name=record.source_name,
        source_url=record.source_url,
        language=record.language,
        translation_key=record.translation_key,
        place=record.place,
        status=record.status or status or Article.Status.PUBLISHED,
        body_html=record.body_html,
    )
    article.full_clean(exclude=["slug", "publisher"])
    article.save()
    article.organisations.set([reference(Organisation, ref, create=True) for ref in record.organisations])
    for mention in record.document_mentions:
        DocumentMention.objects.create(
            article=article,
            document=reference(Document, mention["document"], create=True),
            text=sanitize_text(str(mention.get("text", "")))[:300],
            start=mention.get("start"),
            end=mention.get("end"),
        )
    if record.quotations is None:
        summary = propose_suggestions(article)
        if confirm:
            confirm_quotations(article.quotations.filter(review=Quotation.Review.SUGGESTED))
            return Outcome("created", record.title, str(summary).replace("suggested", "confirmed", 1))
        return Outcome("created", record.title, str(summary))
    for position, data in enumerate(record.quotations, 1):
        store_quotation(article, data, position)
    return Outcome("created", record.title, f"{len(record.quotations)} quotation(s) from the file")


def store_quotation(article: Article, data: dict, position: int) -> Quotation:
    if not isinstance(data, dict) or not data.get("text") or not data.get("speaker"):
        raise ImportFileError(f"quotation {position} of '{article.title}' needs 'text' and 'speaker'")
    role = None
    if data.get("role"):
        role = Role.objects.filter(
            person=reference(Person, data["speaker"], create=True),
            organisation=reference(Organisation, data["role"]["organisation"], create=True),
            title=data["role"]["title"],
            start=data["role"]["start"],
        ).first()
    speech = data.get("speech") or (Quotation.Speech.REPORTED if data.get("direct") is False else "direct")
    quotation = Quotation(
        article=article,
        speaker=reference(Person, data["speaker"], create=True),
        role=role,
        text=sanitize_text(str(data["text"])),
        speech=speech,
        start=data.get("start"),
        end=data.get("end"),
        said_on=data.get("said_on") or None,
        attribution=sanitize_text(str(data.get("attribution") or ""))[:200],
        review=data.get("review") or Quotation.Review.CONFIRMED,
    )
    try:
        quotation.full_clean(exclude=["role"])
    except ValidationError as error:
        raise ImportFileError(f"quotation {position} of '{article.title}': {'; '.join(error.messages)}") from error
    quotation.save()
    for ref in data.get("documents") or []:
        QuotationDocument.objects.create(quotation=quotation, document=reference(Document, ref, create=True))
    return quotation


def reference(model, ref: str, *, create: bool = False):
    """The record a file names by slug, or by name/title/short name; created (by that name) when allowed."""
    ref = sanitize_text(str(ref))
    if not ref:
        raise ImportFileError(f"an empty {model._meta.verbose_name} reference")
    if model is Document:
        lookup = Q(slug=ref) | Q(title__iexact=ref) | Q(short_title__iexact=ref)
    elif model is Organisation:
        lookup = Q(slug=ref) | Q(name__iexact=ref) | Q(short_name__iexact=ref)
    else:
        lookup = Q(slug=ref) | Q(name__iexact=ref)
    match = model.objects.filter(lookup).first()
    if match is None:
        if not create:
            raise ImportFileError(f"unknown {model._meta.verbose_name} '{ref}'")
        name_field = "title" if model is Document else "name"
        match = model.objects.create(**{name_field: ref[:200]})
    return match


def import_archive_records(archive: dict) -> None:
    """People, organisations and documents of a whole-archive export, created unless their slug exists."""
    organisations = as_list(archive, "organisations")
    for data in organisations:
        Organisation.objects.get_or_create(
            slug=data["slug"],
            defaults={k: data.get(k, "") for k in ("name", "short_name", "kind", "website", "description")}
            | {"needs_review": bool(data.get("needs_review"))},
        )
    for data in organisations:
        if data.get("parent"):
            # save(), not update(): the search index hears about changes through save signals.
            organisation = Organisation.objects.get(slug=data["slug"])
            organisation.parent = reference(Organisation, data["parent"])
            organisation.save()
    for data in as_list(archive, "people"):
        person, created = Person.objects.get_or_create(
            slug=data["slug"],
            defaults={
                "name": data["name"],
                "aliases": "\n".join(data.get("aliases") or []),
                "description": data.get("description", ""),
                "needs_review": bool(data.get("needs_review")),
            },
        )
        if created:
            for role in data.get("roles") or []:
                Role.objects.create(
                    person=person,
                    organisation=reference(Organisation, role["organisation"]),
                    title=role["title"],
                    start=role["start"],
                    end=role.get("end") or None,
                )
    documents = as_list(archive, "documents")
    for data in documents:
        document, created = Document.objects.get_or_create(
            slug=data["slug"],
            defaults={
                "title": data["title"],
                "short_title": data.get("short_title", ""),
                "aliases": "\n".join(data.get("aliases") or []),
                "kind": data.get("kind") or Document.Kind.OTHER,
                "adopted_on": parse_date(data["adopted_on"]) if data.get("adopted_on") else None,
                "adopted_year": data.get("adopted_year"),
                "place": data.get("place", ""),
                "url": data.get("url", ""),
                "description": data.get("description", ""),
                "needs_review": bool(data.get("needs_review")),
            },
        )
        if created:
            document.adopting_organisations.set(
                [reference(Organisation, ref) for ref in data.get("adopting_organisations") or []]
            )
    for data in documents:
        for relation in data.get("relations") or []:
            DocumentRelation.objects.get_or_create(
                from_document=reference(Document, data["slug"]),
                to_document=reference(Document, relation["to"]),
                kind=relation.get("kind") or DocumentRelation.Kind.RELATED,
            )


# Writing out -------------------------------------------------------------------------------------------------


def export_archive() -> dict:
    """Every record and link, in the JSON format that read_json reads back."""
    return {
        "format": EXPORT_FORMAT,
        "version": EXPORT_VERSION,
        "exported_at": timezone.now().isoformat(),
        "organisations": [
            {
                "slug": o.slug,
                "name": o.name,
                "short_name": o.short_name,
                "kind": o.kind,
                "parent": o.parent.slug if o.parent else None,
                "website": o.website,
                "description": o.description,
                "needs_review": o.needs_review,
            }
            for o in Organisation.objects.select_related("parent").order_by("slug")
        ],
        "people": [
            {
                "slug": p.slug,
                "name": p.name,
                "aliases": p.alias_list,
                "description": p.description,
                "needs_review": p.needs_review,
                "roles": [
                    {
                        "organisation": r.organisation.slug,
                        "title": r.title,
                        "start": r.start.isoformat(),
                        "end": r.end.isoformat() if r.end else None,
                    }
                    for r in sorted(p.roles.all(), key=lambda r: (r.start, r.title))
                ],
            }
            for p in Person.objects.prefetch_related("roles__organisation").order_by("slug")
        ],
        "documents": [
            {
                "slug": d.slug,
                "title": d.title,
                "short_title": d.short_title,
                "aliases": d.alias_list,
                "kind": d.kind,
                "adopted_on": d.adopted_on.isoformat() if d.adopted_on else None,
                "adopted_year": d.adopted_year,
                "place": d.place,
                "adopting_organisations": sorted(o.slug for o in d.adopting_organisations.all()),
                "url": d.url,
                "description": d.description,
                "needs_review": d.needs_review,
                "relations": [
                    {"to": r.to_document.slug, "kind": r.kind}
                    for r in sorted(d.relations_out.all(), key=lambda r: (r.to_document.slug, r.kind))
                ],
            }
            for d in Document.objects.prefetch_related("adopting_organisations", "relations_out__to_document").order_by(
                "slug"
            )
        ],
        "articles": [export_article(a) for a in Article.objects.order_by("published_at", "slug")],
    }


def export_article(article: Article) -> dict:
    quotations = article.quotations.select_related("speaker", "role__organisation").prefetch_related("documents")
    return {
        "slug": article.slug,
        "title": article.title,
        "published_at": article.published_at.isoformat(),
        "publisher": article.publisher.slug if article.publisher else "",
        "source_name": article.source_name,
        "source_url": article.source_url,
        "language": article.language,
        "translation_key": article.translation_key,
        "place": article.place,
        "status": article.status,
        "body_html": article.body_html,
        "organisations": sorted(o.slug for o in article.organisations.all()),
        "quotations": [
            {
                "speaker": q.speaker.slug,
                "role": {
                    "organisation": q.role.organisation.slug,
                    "title": q.role.title,
                    "start": q.role.start.isoformat(),
                }
                if q.role
                else None,
                "text": q.text,
                "speech": q.speech,
                "start": q.start,
                "end": q.end,
                "said_on": q.said_on.isoformat() if q.said_on else None,
                "attribution": q.attribution,
                "review": q.review,
                "documents": sorted(d.slug for d in q.documents.all()),
            }
            for q in quotations.order_by("start", "pk")
        ],
        "document_mentions": [
            {"document": m.document.slug, "text": m.text, "start": m.start, "end": m.end}
            for m in article.document_mentions.select_related("document").order_by("start", "pk")
        ],
    }
