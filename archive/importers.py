"""Reading article files into the archive, and writing the whole archive out again.

Three formats are read (chosen by the file's ending, or its first character for JSON):

* Plain text (.txt), the seed's format: a title line, a date line, a blank line, then paragraphs.
* Saved HTML pages of news sites (.html, .htm): the main text is taken out with trafilatura, a maintained library
  made for that, with the title, date and site name from the page's metadata.
* JSON (.json), the archive's own format, documented in docs/json-format.md. A file holds one article object, a
  list of them, or a whole archive as written by `manage.py export_archive`. Reading an export back into an empty
  database gives the same archive.

Dates are read in any common format and language (archive.extraction.dates), with a precision when the source
gives only a month or a year; a date without a year takes the year the import is given (ReadContext.year) and is
refused otherwise. An article's language, when its file does not give it, is detected from its text
(archive.extraction.language_id).

Articles whose files carry no quotations go through quotation extraction, and what it finds arrives as
suggestions for review (confirmed at once with confirm=True). Importing is idempotent: an article already in the
archive (same source URL, or same slug, or same title and day) is left as it is and reported as such.
"""

import datetime
import json
import math
import re
import stat
from dataclasses import dataclass, field
from pathlib import Path

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.dateparse import parse_date, parse_datetime

from archive.extraction import parse_plain_text_article
from archive.extraction.dates import DateLine, read_date_line
from archive.extraction.language_id import base_language, detect_language
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
from archive.sanitize import clean_body, html_to_text, sanitize_text, text_to_html
from archive.suggestions import confirm_quotations, propose_suggestions

EXPORT_FORMAT = "policy-statement-archive"
EXPORT_VERSION = 1
READABLE_SUFFIXES = {".txt", ".json", ".html", ".htm"}
MAX_FILE_BYTES = 20 * 1024 * 1024
HTML_LANG = re.compile(r"<html\b[^>]*?\blang\s*=\s*[\"']?([A-Za-z]{2,3}(?:[-_][A-Za-z0-9]{2,8})?)", re.IGNORECASE)


class ImportFileError(Exception):
    """A file that cannot be imported; the message says why, in words an editor understands."""


@dataclass(frozen=True)
class ReadContext:
    """What the import knows beyond the file: the year for dates without one, the language of files that do not
    say (a tag: 'en-US' also reads numeric dates month first), and whether a file without a date is refused or
    read with a warning (extract_quotes needs no date)."""

    year: int | None = None
    language: str = ""
    require_date: bool = True
    year_hint: str = "give it with --year YYYY"


@dataclass
class ArticleRecord:
    """What a file says about one article, before anything touches the database."""

    title: str
    published_at: datetime.datetime | None
    body_html: str
    language: str = "en"
    published_precision: str = Article.DatePrecision.DAY
    warnings: list[str] = field(default_factory=list)  # what could not be read, when the context allows it
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


def read_file(path: Path, context: ReadContext = ReadContext()) -> ImportBatch:
    """Parse one file into articles, or raise ImportFileError with the reason."""
    try:
        mode = path.stat().st_mode
        if not stat.S_ISREG(mode):  # checked before opening: reading a FIFO or a device would never end
            raise ImportFileError(f"not a regular file (a {file_kind(mode)}), so it was not read")
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
        return read_json(raw, context)
    if suffix in {".html", ".htm"} or raw.lstrip()[:15].lower().startswith(("<!doctype", "<html")):
        return ImportBatch([read_html(raw, context)])
    return ImportBatch([read_plain_text(raw, context)])


def file_kind(mode: int) -> str:
    kinds = [(stat.S_ISFIFO, "FIFO"), (stat.S_ISCHR, "character device"), (stat.S_ISBLK, "block device")]
    kinds += [(stat.S_ISSOCK, "socket"), (stat.S_ISDIR, "folder")]
    return next((name for test, name in kinds if test(mode)), "special file")


def article_language(given: str, context: ReadContext, text: str) -> str:
    """The language a file gives, else the import's, else the one detected in the text; as a bare code ('en')."""
    return base_language(given) or base_language(context.language) or detect_language(text)


def read_plain_text(raw: str, context: ReadContext = ReadContext()) -> ArticleRecord:
    tag = context.language or detect_language(raw)
    try:
        parsed = parse_plain_text_article(raw, language=tag, year=context.year)
    except ValueError as error:
        raise ImportFileError(str(error)) from error
    record = ArticleRecord(
        title=sanitize_text(parsed.title),
        published_at=None,
        body_html=text_to_html(parsed.body_text),
        language=base_language(tag),
    )
    number, line = parsed.second_line
    if parsed.date is None:
        problem = (
            f"line {number} “{line[:60]}” is not a date: put the publication date alone on line {number}, "
            "e.g. 22 May 2022, 2022-05-22 or 22 мая 2022"
        )
    elif not parsed.date.has_year:
        problem = f"line {number} “{line}” has no year: write the year on that line, or {context.year_hint}"
    else:
        problem = ""
    return with_date(record, parsed.date if not problem else None, problem, context)


def with_date(record: ArticleRecord, date: DateLine | None, problem: str, context: ReadContext) -> ArticleRecord:
    """The record with its date, or (a date it lacks) refused, or only warned about when no date is required."""
    if date is not None:
        record.published_at = aware(date.moment)
        record.published_precision = date.precision
    elif context.require_date:
        raise ImportFileError(problem)
    else:
        record.warnings.append(problem)
    return record


def read_html(raw: str, context: ReadContext = ReadContext()) -> ArticleRecord:
    import trafilatura

    body = trafilatura.extract(raw, output_format="html", include_comments=False, include_tables=True)
    if not body:
        raise ImportFileError("no article text found in the page")
    metadata = trafilatura.extract_metadata(raw)
    title = sanitize_text(metadata.title if metadata and metadata.title else "")
    if not title:
        raise ImportFileError("the page has no title")
    body_html = clean_body(body)
    record = ArticleRecord(
        title=title,
        published_at=None,
        body_html=body_html,
        language=article_language(page_language(raw, metadata), context, f"{title}\n{html_to_text(body_html)}"),
        source_name=sanitize_text(metadata.sitename or "")[:200],
        source_url=(metadata.url or "")[:500],
    )
    # htmldate (behind trafilatura) gives the page's date as YYYY-MM-DD, found in its metadata or text.
    published = parse_date(metadata.date) if metadata.date else None
    date = DateLine(metadata.date, datetime.datetime.combine(published, datetime.time())) if published else None
    return with_date(record, date, "no publication date found in the page", context)


MAX_JSON_DEPTH = 20  # an export nests 6 levels deep (archive, articles, article, quotations, quotation, role)


def finite_number(text: str) -> float:
    number = float(text)
    if not math.isfinite(number):
        raise ImportFileError(f"the number {text[:40]} is too large")
    return number


def refuse_constant(name: str):
    raise ImportFileError(f"{name} is not a number this format accepts")


def check_json_values(data) -> None:
    """Refuse nesting deeper than MAX_JSON_DEPTH and text no database can store (lone surrogates such as
    "\\ud800", which JSON escapes can spell but UTF-8 cannot). Iterative, so no depth can exhaust the stack."""
    stack = [(data, 1)]
    while stack:
        value, depth = stack.pop()
        if depth > MAX_JSON_DEPTH:
            raise ImportFileError(f"the JSON is nested more than {MAX_JSON_DEPTH} levels deep")
        if isinstance(value, dict):
            stack.extend((item, depth + 1) for pair in value.items() for item in pair)
        elif isinstance(value, list):
            stack.extend((item, depth + 1) for item in value)
        elif isinstance(value, str):
            try:
                value.encode("utf-8")
            except UnicodeEncodeError as error:
                code = ord(value[error.start])
                raise ImportFileError(
                    f"the text “{value[: error.start][-30:]}…” holds \\u{code:04x}, a lone surrogate, "
                    "which is not a character"
                ) from error


def page_language(raw: str, metadata) -> str:
    """The language a page declares: its metadata's, else the lang attribute of its <html> element."""
    declared = HTML_LANG.search(raw[:5000])
    return metadata.language or (declared.group(1) if declared else "")


def read_json(raw: str, context: ReadContext = ReadContext()) -> ImportBatch:
    try:
        data = json.loads(raw, parse_float=finite_number, parse_constant=refuse_constant)
    except json.JSONDecodeError as error:
        raise ImportFileError(f"invalid JSON at line {error.lineno}, column {error.colno}: {error.msg}") from error
    except RecursionError as error:
        raise ImportFileError(f"the JSON is nested more than {MAX_JSON_DEPTH} levels deep") from error
    except ValueError as error:  # e.g. an integer of more than 4,300 digits
        raise ImportFileError(f"invalid JSON: {error}") from error
    check_json_values(data)
    if isinstance(data, dict) and data.get("format") == EXPORT_FORMAT:
        if data.get("version") != EXPORT_VERSION:
            raise ImportFileError(f"unsupported export version {data.get('version')!r} (expected {EXPORT_VERSION})")
        try:
            articles = [article_from_json(a, i, context) for i, a in enumerate(as_list(data, "articles"))]
        except (TypeError, AttributeError) as error:
            raise ImportFileError(f"a field holds the wrong kind of value ({error})") from error
        return ImportBatch(articles, archive=data)
    items = data if isinstance(data, list) else [data]
    try:
        return ImportBatch([article_from_json(item, i, context) for i, item in enumerate(items)])
    except (TypeError, AttributeError) as error:  # a field of the wrong kind, e.g. "organisations": 5
        raise ImportFileError(f"a field holds the wrong kind of value ({error})") from error


def as_list(data: dict, key: str) -> list:
    value = data.get(key) or []
    if not isinstance(value, list):
        raise ImportFileError(f"'{key}' must be a list")
    return value


def article_from_json(item, position: int, context: ReadContext = ReadContext()) -> ArticleRecord:
    where = f"article {position + 1}"
    if not isinstance(item, dict):
        raise ImportFileError(f"{where}: expected an object")
    title = sanitize_text(str(item.get("title") or ""))
    if not title:
        raise ImportFileError(f"{where}: 'title' is missing")
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
    given_language = str(item.get("language") or "")
    language = article_language(given_language, context, f"{title}\n{html_to_text(body_html)}")
    date, problem = json_date(item, where, given_language or context.language, context)
    record = ArticleRecord(
        title=title,
        published_at=None,
        body_html=body_html,
        language=language[:10],
        source_name=sanitize_text(str(item.get("source_name") or ""))[:200],
        source_url=str(item.get("source_url") or "")[:500],
        publisher=str(item.get("publisher") or ""),
        place=sanitize_text(str(item.get("place") or ""))[:120],
        status=status,
        slug=str(item.get("slug") or ""),
        translation_key=sanitize_text(str(item.get("translation_key") or ""))[:200],
        organisations=RecordFields(item, where).texts("organisations"),
        quotations=quotations,
        document_mentions=RecordFields(item, where).items("document_mentions"),
    )
    return with_date(record, date, problem, context)


def json_date(item: dict, where: str, language: str, context: ReadContext) -> tuple[DateLine | None, str]:
    """A JSON article's date: ISO 8601 as exported, else any form a date line may take (its precision from
    'published_precision' or the form itself; the year of a date without one from 'year' or the import)."""
    value = item.get("published_at") or item.get("published")
    precision = str(item.get("published_precision") or "")
    if precision and precision not in Article.DatePrecision.values:
        raise ImportFileError(f"{where}: published_precision must be one of {', '.join(Article.DatePrecision.values)}")
    moment = parse_when(value)
    if moment is not None:
        return DateLine(str(value), moment, precision or Article.DatePrecision.DAY), ""
    year = item.get("year") if isinstance(item.get("year"), int) else context.year
    date = read_date_line(str(value), language=language, year=year) if value else None
    if date is not None and date.has_year:
        return (DateLine(date.text, date.moment, precision or date.precision), "")
    if date is not None:
        return None, f"{where}: 'published_at' “{value}” has no year: add it, give \"year\", or {context.year_hint}"
    return None, f"{where}: 'published_at' is missing or not a date (use ISO 8601, e.g. 2017-06-13T07:48)"


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
        published_precision=record.published_precision,
        publisher=reference(Organisation, record.publisher, create=True) if record.publisher else None,
        source_name=record.source_name,
        source_url=record.source_url,
        language=record.language,
        translation_key=record.translation_key,
        place=record.place,
        status=record.status or status or Article.Status.PUBLISHED,
        body_html=record.body_html,
    )
    validated_save(article, f"article '{record.title[:60]}'", exclude=["publisher"])
    article.organisations.set([reference(Organisation, ref, create=True) for ref in record.organisations])
    for position, data in enumerate(record.document_mentions, 1):
        mention = RecordFields(data, f"document mention {position} of '{record.title[:60]}'")
        stored = DocumentMention(
            article=article,
            document=reference(Document, mention.text("document", required=True), create=True),
            text=sanitize_text(mention.text("text"))[:300],
            start=mention.number("start"),
            end=mention.number("end"),
        )
        validated_save(stored, mention.where)
    if record.quotations is None:
        summary = propose_suggestions(article)
        if confirm:
            confirmed = confirm_quotations(article.quotations.filter(review=Quotation.Review.SUGGESTED))
            unknown = f", {summary.unattributed} left for review (speaker unknown)" if summary.unattributed else ""
            return Outcome("created", record.title, f"{confirmed} quotation(s) confirmed{unknown}")
        return Outcome("created", record.title, str(summary))
    for position, data in enumerate(record.quotations, 1):
        store_quotation(article, data, position)
    return Outcome("created", record.title, f"{len(record.quotations)} quotation(s) from the file")


def store_quotation(article: Article, data: dict, position: int) -> Quotation:
    if not isinstance(data, dict) or not data.get("text"):
        raise ImportFileError(f"quotation {position} of '{article.title}' needs 'text' and 'speaker'")
    review = data.get("review") or Quotation.Review.CONFIRMED
    if not data.get("speaker") and review == Quotation.Review.CONFIRMED:
        # Only a suggestion (or a rejected one) may wait for its speaker, as extraction leaves it.
        raise ImportFileError(f"quotation {position} of '{article.title}' needs 'text' and 'speaker'")
    speaker = reference(Person, data["speaker"], create=True) if data.get("speaker") else None
    role = None
    if data.get("role") and speaker:
        role = Role.objects.filter(
            person=speaker,
            organisation=reference(Organisation, data["role"]["organisation"], create=True),
            title=data["role"]["title"],
            start=data["role"]["start"],
        ).first()
    speech = data.get("speech") or (Quotation.Speech.REPORTED if data.get("direct") is False else "direct")
    quotation = Quotation(
        article=article,
        speaker=speaker,
        role=role,
        text=sanitize_text(str(data["text"])),
        speech=speech,
        start=data.get("start"),
        end=data.get("end"),
        said_on=data.get("said_on") or None,
        attribution=sanitize_text(str(data.get("attribution") or ""))[:200],
        review=review,
    )
    try:
        quotation.full_clean(exclude=["role"])
    except ValidationError as error:
        raise ImportFileError(f"quotation {position} of '{article.title}': {'; '.join(error.messages)}") from error
    quotation.save()
    for ref in RecordFields(data, f"quotation {position} of '{article.title}'").texts("documents"):
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


class RecordFields:
    """One record of a file, read with type checks: every problem names the record and the field."""

    def __init__(self, data, where: str):
        if not isinstance(data, dict):
            raise ImportFileError(f"{where}: expected an object, not {json_type(data)}")
        self.data, self.where = data, where

    def slug(self) -> str:
        """The record's slug (required); from here on the record is named by it too."""
        slug = self.text("slug", required=True)
        self.where = f"{self.where} ('{slug}')"
        return slug

    def fail(self, key: str, problem: str):
        raise ImportFileError(f"{self.where}, field '{key}': {problem}")

    def text(self, key: str, required: bool = False) -> str:
        value = self.data.get(key)
        if value is None or value == "":
            if required:
                self.fail(key, "is missing")
            return ""
        if not isinstance(value, str):
            self.fail(key, f"must be text, not {json_type(value)}")
        return value

    def number(self, key: str) -> int | None:
        value = self.data.get(key)
        if value is not None and (isinstance(value, bool) or not isinstance(value, int)):
            self.fail(key, f"must be a whole number, not {json_type(value)}")
        return value

    def flag(self, key: str) -> bool:
        value = self.data.get(key, False)
        if not isinstance(value, bool):
            self.fail(key, f"must be true or false, not {json_type(value)}")
        return value

    def items(self, key: str) -> list:
        """A list (absent: empty). A string is refused: iterating it would make one record per character."""
        value = self.data.get(key)
        if value is None:
            return []
        if not isinstance(value, list):
            self.fail(key, f"must be a list, not {json_type(value)}")
        return value

    def texts(self, key: str) -> list[str]:
        values = self.items(key)
        for value in values:
            if not isinstance(value, str) or not value:
                self.fail(key, f"must be a list of text, and holds {json_type(value)}")
        return values


def json_type(value) -> str:
    names = {bool: "true/false", int: "a number", float: "a number", str: "text", list: "a list", dict: "an object"}
    return "null" if value is None else names.get(type(value), type(value).__name__)


def validated_save(instance, where: str, exclude=()):
    """full_clean() then save(); a ValidationError becomes an ImportFileError naming the record and its fields."""
    try:
        instance.full_clean(exclude=list(exclude))
    except ValidationError as error:
        problems = "; ".join(
            f"field '{name}': {' '.join(messages)}" if name != "__all__" else " ".join(messages)
            for name, messages in error.message_dict.items()
        )
        raise ImportFileError(f"{where}: {problems}") from error
    instance.save()
    return instance


def import_archive_records(archive: dict) -> None:
    """People, organisations and documents of a whole-archive export, created unless their slug exists. Each new
    record passes the model's validation (full_clean) and every field its type check, or the file is refused
    (import_batch rolls back all of it)."""
    organisations = [
        RecordFields(data, f"organisation {n}") for n, data in enumerate(as_list(archive, "organisations"), 1)
    ]
    for fields in organisations:
        slug = fields.slug()
        if not Organisation.objects.filter(slug=slug).exists():
            organisation = Organisation(
                slug=slug,
                name=fields.text("name", required=True),
                short_name=fields.text("short_name"),
                kind=fields.text("kind") or Organisation.Kind.OTHER,
                website=fields.text("website"),
                description=fields.text("description"),
                needs_review=fields.flag("needs_review"),
            )
            validated_save(organisation, fields.where, exclude=["parent"])
    for fields in organisations:
        parent = fields.text("parent")
        if parent:
            # save(), not update(): the search index hears about changes through save signals.
            organisation = Organisation.objects.get(slug=fields.text("slug"))
            organisation.parent = reference(Organisation, parent)
            organisation.save()
    for number, data in enumerate(as_list(archive, "people"), 1):
        fields = RecordFields(data, f"person {number}")
        slug = fields.slug()
        if Person.objects.filter(slug=slug).exists():
            continue
        person = Person(
            slug=slug,
            name=fields.text("name", required=True),
            aliases="\n".join(fields.texts("aliases")),
            description=fields.text("description"),
            needs_review=fields.flag("needs_review"),
        )
        validated_save(person, fields.where)
        for position, role_data in enumerate(fields.items("roles"), 1):
            role = RecordFields(role_data, f"{fields.where}, role {position}")
            organisation = reference(Organisation, role.text("organisation", required=True))
            role_record = Role(
                person=person,
                organisation=organisation,
                title=role.text("title", required=True),
                start=role.text("start", required=True),
                end=role.text("end") or None,
            )
            validated_save(role_record, role.where)
    documents = [RecordFields(data, f"document {n}") for n, data in enumerate(as_list(archive, "documents"), 1)]
    for fields in documents:
        slug = fields.slug()
        if Document.objects.filter(slug=slug).exists():
            continue
        document = Document(
            slug=slug,
            title=fields.text("title", required=True),
            short_title=fields.text("short_title"),
            aliases="\n".join(fields.texts("aliases")),
            kind=fields.text("kind") or Document.Kind.OTHER,
            adopted_on=fields.text("adopted_on") or None,
            adopted_year=fields.number("adopted_year"),
            place=fields.text("place"),
            url=fields.text("url"),
            description=fields.text("description"),
            needs_review=fields.flag("needs_review"),
        )
        validated_save(document, fields.where)
        document.adopting_organisations.set(
            [reference(Organisation, ref) for ref in fields.texts("adopting_organisations")]
        )
    for fields in documents:
        for position, relation_data in enumerate(fields.items("relations"), 1):
            relation = RecordFields(relation_data, f"{fields.where}, relation {position}")
            from_document = reference(Document, fields.text("slug"))
            to_document = reference(Document, relation.text("to", required=True))
            kind = relation.text("kind") or DocumentRelation.Kind.RELATED
            found = DocumentRelation.objects.filter(from_document=from_document, to_document=to_document, kind=kind)
            if not found.exists():
                record = DocumentRelation(from_document=from_document, to_document=to_document, kind=kind)
                validated_save(record, relation.where)


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
        "published_precision": article.published_precision,
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
                "speaker": q.speaker.slug if q.speaker else None,
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
