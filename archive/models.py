"""The archive's records and the links between them.

An Article (published by an Organisation) contains Quotations; each Quotation has a speaker (a Person), the
Role the speaker held when it was said, and the Documents it refers to. DocumentMentions record where an
article names a document. Records that others still refer to are protected from deletion (on_delete=PROTECT),
so nothing is ever cascaded away by accident; only an article's own quotations and mentions go with it.
"""

import datetime

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Count, Exists, F, OuterRef, Q, Subquery
from django.db.models.functions import Coalesce, ExtractYear, TruncDate
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from archive import clock
from archive.date_display import format_date, iso_date
from archive.sanitize import clean_body, html_to_text
from archive.slugs import readable_slug, unique_among

# Every year the archive stores (dates of articles, quotations, roles and documents) lies in this range. 1000: the
# archive's addresses, its year facet and the search syntax (year:2017) all write years with four digits, and no
# policy statement refers to a document older than that. 2200: far past any real date, yet far enough inside Python's
# datetime range (years 1-9999) that moving a date across time zones or to the end of its year never overflows, which
# the index and the year lookups do.
MIN_YEAR, MAX_YEAR = 1000, 2200


def validate_year(value) -> None:
    """A year (or the year of a date or datetime) inside MIN_YEAR..MAX_YEAR."""
    year = getattr(value, "year", value)
    if year is not None and not MIN_YEAR <= year <= MAX_YEAR:
        raise ValidationError(
            "The year must lie between %(low)s and %(high)s; %(year)s is outside that range.",
            code="year_out_of_range",
            params={"low": MIN_YEAR, "high": MAX_YEAR, "year": year},
        )


def year_from_text(value) -> int | None:
    """The year a URL parameter names, or None when it names none inside MIN_YEAR..MAX_YEAR ("0", "99999" and
    "²", which str.isdigit() accepts, name none)."""
    value = str(value or "").strip()
    if not (value.isascii() and value.isdigit()) or len(value) > 4:
        return None
    year = int(value)
    return year if MIN_YEAR <= year <= MAX_YEAR else None


def unique_slug(instance: models.Model, value: str, max_length: int = 80) -> str:
    """A readable slug for `value` (transliterated from any script; the model's name when nothing of it can be
    written in Latin letters) used neither by another row of the same model nor as one's former address
    (suffixes -2, -3, ...)."""
    model = type(instance)
    base = readable_slug(value, max_length) or model._meta.model_name
    rows = model._default_manager.exclude(pk=instance.pk)
    former = SlugRedirect.objects.filter(kind=model._meta.model_name)

    def taken(candidate: str) -> bool:
        return rows.filter(slug=candidate).exists() or former.filter(old_slug=candidate).exists()

    return unique_among(base, taken, max_length)


def count_of(queryset: models.QuerySet, field: str, distinct: str = ""):
    """A subquery counting the rows of `queryset` (or their distinct `distinct` values) whose `field` is the outer
    row: counts without the fan-out of joins, so several can sit side by side on one query."""
    counter = Count(distinct, distinct=True) if distinct else Count("pk")
    counted = queryset.filter(**{field: OuterRef("pk")}).order_by().values(field).annotate(n=counter).values("n")
    return Coalesce(Subquery(counted[:1]), 0)


def stored_in_read_zone(expression, connection) -> bool:
    """Whether a datetime is read in the time zone SQLite stores it in (dates and naive datetimes always are)."""
    if not isinstance(expression.lhs.output_field, models.DateTimeField):
        return True
    return expression.get_tzname() in (None, connection.timezone_name)


class StoredYear(ExtractYear):
    """ExtractYear that SQLite reads off the stored ISO text ('2024-05-01 ...') instead of calling Django's Python
    function once a row (a cost that grows with a timeline of thousands of quotations). Same result; other databases,
    and datetimes shown in another time zone than the stored one, get plain ExtractYear."""

    def as_sqlite(self, compiler, connection, **extra_context):
        if not stored_in_read_zone(self, connection):
            return super().as_sql(compiler, connection, **extra_context)
        sql, params = compiler.compile(self.lhs)
        return f"CAST(SUBSTR({sql}, 1, 4) AS INTEGER)", params


class StoredDate(TruncDate):
    """TruncDate (a datetime's `__date`) read off SQLite's stored text, like StoredYear."""

    def as_sqlite(self, compiler, connection, **extra_context):
        if not stored_in_read_zone(self, connection):
            return super().as_sql(compiler, connection, **extra_context)
        sql, params = compiler.compile(self.lhs)
        return f"SUBSTR({sql}, 1, 10)", params


def in_order(queryset: models.QuerySet, ids: list) -> list:
    """The rows of `queryset` with these primary keys, in the order of `ids`: the second step of a list sorted on
    narrow rows (the ids) before the few it shows are read whole."""
    rows = queryset.in_bulk(ids)
    return [rows[pk] for pk in ids if pk in rows]


def needs_review_field():
    return models.BooleanField(
        default=False,
        db_index=True,
        help_text="Proposed by quotation extraction and not yet confirmed; readers do not see it until it is.",
    )


def split_aliases(aliases: str) -> list[str]:
    return [line.strip() for line in (aliases or "").splitlines() if line.strip()]


class SlugMixin(models.Model):
    """Fills the slug from the record's name when left blank, once: a later change of the name keeps it. When an
    editor changes the slug itself, the old one is kept as a SlugRedirect, so links to it still arrive."""

    slug_source_field = "name"

    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        if not self.slug:
            self.slug = unique_slug(self, getattr(self, self.slug_source_field))
        previous = None
        if not self._state.adding and self.pk:
            previous = type(self)._default_manager.filter(pk=self.pk).values_list("slug", flat=True).first()
        super().save(*args, **kwargs)
        if previous and previous != self.slug:
            SlugRedirect.remember(self, previous)


class SlugRedirect(models.Model):
    """An address a record had before (`/speakers/item-3/`), answered with a permanent redirect to its address now.

    Written when an editor changes a slug, and by migration 0012 for the `item-N` slugs that titles in other
    scripts used to get."""

    class Kind(models.TextChoices):
        ARTICLE = "article", _("Article")
        PERSON = "person", _("Speaker")
        ORGANISATION = "organisation", _("Organisation")
        DOCUMENT = "document", _("Document")

    kind = models.CharField(max_length=20, choices=Kind.choices)
    old_slug = models.SlugField(max_length=80)
    object_id = models.PositiveBigIntegerField(help_text="The record the old address now leads to.")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["kind", "old_slug"], name="unique_slug_redirect")]

    def __str__(self):
        return f"{self.kind} {self.old_slug} → {self.object_id}"

    @classmethod
    def remember(cls, record: models.Model, old_slug: str) -> None:
        """Keep `old_slug` leading to `record`; its current slug no longer redirects anywhere."""
        kind = record._meta.model_name
        cls.objects.filter(kind=kind, old_slug=record.slug).delete()
        cls.objects.update_or_create(kind=kind, old_slug=old_slug, defaults={"object_id": record.pk})

    @classmethod
    def current_slug(cls, model: type[models.Model], old_slug: str) -> str | None:
        """The slug now of the record of `model` that had `old_slug`, or None."""
        redirect = cls.objects.filter(kind=model._meta.model_name, old_slug=old_slug).first()
        if redirect is None:
            return None
        return model._default_manager.filter(pk=redirect.object_id).values_list("slug", flat=True).first()


class OrganisationQuerySet(models.QuerySet):
    def public(self):
        """Organisations readers see: all but those extraction proposed and no admin has confirmed yet."""
        return self.filter(needs_review=False)

    def with_counts(self):
        """Annotates what a reader sees counted: published articles, adopted documents, people, public quotations."""
        return self.annotate(
            article_count=count_of(Article.objects.published(), "publisher"),
            document_count=count_of(Document.adopting_organisations.through.objects.all(), "organisation"),
            person_count=count_of(Role.objects.all(), "organisation", distinct="person"),
            quotation_count=count_of(Quotation.objects.public(), "role__organisation"),
        )


class Organisation(SlugMixin):
    """A body that publishes articles, employs speakers or adopts documents (SCO, UN, TASS, a ministry...)."""

    class Kind(models.TextChoices):
        INTERGOVERNMENTAL = "igo", _("Intergovernmental organisation")
        GOVERNMENT = "government", _("Government or ministry")
        NEWS_AGENCY = "news_agency", _("News agency")
        NGO = "ngo", _("NGO")
        OTHER = "other", _("Other")

    name = models.CharField(max_length=200, help_text="Full name, e.g. Shanghai Cooperation Organisation.")
    short_name = models.CharField(max_length=50, blank=True, help_text="Abbreviation, e.g. SCO.")
    slug = models.SlugField(max_length=80, unique=True, blank=True)
    kind = models.CharField(max_length=20, choices=Kind.choices, default=Kind.OTHER)
    parent = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="children",
        help_text="The larger body this one belongs to, e.g. the SCO for the SCO Secretariat.",
    )
    website = models.URLField(blank=True)
    description = models.TextField(blank=True)
    needs_review = needs_review_field()

    objects = OrganisationQuerySet.as_manager()

    class Meta:
        ordering = ["name"]

    def __str__(self):
        return f"{self.name} ({self.short_name})" if self.short_name else self.name

    def get_absolute_url(self):
        return reverse("archive:organisation_detail", args=[self.slug])

    @property
    def display_name(self) -> str:
        """The name readers know it by: the short name where there is one."""
        return self.short_name or self.name


class PersonQuerySet(models.QuerySet):
    def public(self):
        """People a reader may look up: those with a role on record or a public quotation (not draft-only names)."""
        return self.filter(needs_review=False).filter(
            Exists(Role.objects.filter(person=OuterRef("pk")))
            | Exists(Quotation.objects.public().filter(speaker=OuterRef("pk")))
        )

    def with_counts(self):
        return self.annotate(quotation_count=count_of(Quotation.objects.public(), "speaker"))


class Person(SlugMixin):
    """Someone quoted in the archive. Titles live in Role rows, because they change over time."""

    name = models.CharField(max_length=200, help_text="Full name as usually written, e.g. Rashid Alimov.")
    slug = models.SlugField(max_length=80, unique=True, blank=True)
    aliases = models.TextField(blank=True, help_text="Other ways texts refer to this person, one per line.")
    description = models.TextField(blank=True)
    needs_review = needs_review_field()

    objects = PersonQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        verbose_name_plural = "people"

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("archive:person_detail", args=[self.slug])

    @property
    def alias_list(self) -> list[str]:
        return split_aliases(self.aliases)

    def role_on(self, date: datetime.date):
        """The role this person held on `date`, or None."""
        return self.roles.held_on(date).order_by("-start").first()


class RoleQuerySet(models.QuerySet):
    def held_on(self, date: datetime.date):
        return self.filter(start__lte=date).filter(Q(end__isnull=True) | Q(end__gte=date))


class Role(models.Model):
    """A person's title in an organisation from `start` until `end` (open-ended while still held)."""

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="roles")
    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="roles")
    title = models.CharField(max_length=200, help_text="e.g. Secretary-General")
    start = models.DateField(validators=[validate_year])
    end = models.DateField(
        null=True, blank=True, validators=[validate_year], help_text="Leave blank while the role is held."
    )

    objects = RoleQuerySet.as_manager()

    class Meta:
        ordering = ["person__name", "-start"]
        constraints = [
            models.CheckConstraint(
                condition=Q(end__isnull=True) | Q(end__gte=F("start")),
                name="role_ends_after_it_starts",
                violation_error_message="A role cannot end before it starts.",
            )
        ]

    def __str__(self):
        return f"{self.person}, {self.describe()}"

    def describe(self) -> str:
        """'Secretary-General of the SCO' (in the interface's language: 'Secretary-General, SCO' in Russian)."""
        return _("%(title)s of the %(organisation)s") % {
            "title": self.title,
            "organisation": self.organisation.display_name,
        }


class DocumentQuerySet(models.QuerySet):
    def public(self):
        """Documents readers see: all but those extraction proposed and no admin has confirmed yet."""
        return self.filter(needs_review=False)

    def with_quotation_count(self):
        """Annotates the public quotations that refer to each document."""
        return self.annotate(
            quotation_count=count_of(
                QuotationDocument.objects.filter(
                    published_condition("quotation__article__"), quotation__review=Quotation.Review.CONFIRMED
                ),
                "document",
            )
        )

    def with_counts(self):
        """Annotates the public quotations and published articles (by mention) that refer to each document."""
        return self.with_quotation_count().annotate(
            article_count=count_of(
                DocumentMention.objects.filter(published_condition("article__")), "document", distinct="article"
            ),
        )


class Document(SlugMixin):
    """A treaty, convention, charter, strategy, resolution or declaration that statements refer to."""

    class Kind(models.TextChoices):
        TREATY = "treaty", _("Treaty")
        CONVENTION = "convention", _("Convention")
        CHARTER = "charter", _("Charter")
        STRATEGY = "strategy", _("Strategy")
        RESOLUTION = "resolution", _("Resolution")
        DECLARATION = "declaration", _("Declaration")
        AGREEMENT = "agreement", _("Agreement")
        OTHER = "other", _("Other")

    slug_source_field = "title"

    title = models.CharField(max_length=300)
    short_title = models.CharField(max_length=120, blank=True, help_text="e.g. Shanghai Convention")
    slug = models.SlugField(max_length=80, unique=True, blank=True)
    aliases = models.TextField(blank=True, help_text="Other names texts use for it, one per line.")
    kind = models.CharField(max_length=20, choices=Kind.choices, default=Kind.OTHER)
    adopted_on = models.DateField(
        null=True, blank=True, validators=[validate_year], help_text="Exact adoption date, when known."
    )
    adopted_year = models.PositiveSmallIntegerField(
        null=True,
        blank=True,
        validators=[validate_year],
        help_text="Year of adoption; filled from the date when that is known.",
    )
    place = models.CharField(max_length=120, blank=True, help_text="Where it was adopted or signed.")
    adopting_organisations = models.ManyToManyField(Organisation, blank=True, related_name="adopted_documents")
    url = models.URLField(blank=True, verbose_name="URL")
    description = models.TextField(blank=True)
    needs_review = needs_review_field()
    related = models.ManyToManyField(
        "self", through="DocumentRelation", symmetrical=False, blank=True, related_name="related_from"
    )

    objects = DocumentQuerySet.as_manager()

    class Meta:
        ordering = ["title"]

    def __str__(self):
        return self.title

    def save(self, *args, **kwargs):
        if self.adopted_on:
            self.adopted_year = self.adopted_on.year
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return reverse("archive:document_detail", args=[self.slug])

    @property
    def alias_list(self) -> list[str]:
        return split_aliases(self.aliases)


class DocumentRelation(models.Model):
    """A typed link between two documents, e.g. a convention that elaborates a strategy."""

    class Kind(models.TextChoices):
        ELABORATES = "elaborates", _("elaborates")
        CONSONANT_WITH = "consonant_with", _("is consonant with")
        BUILDS_ON = "builds_on", _("builds on")
        AMENDS = "amends", _("amends")
        IMPLEMENTS = "implements", _("implements")
        SUPERSEDES = "supersedes", _("supersedes")
        RELATED = "related", _("is related to")

    from_document = models.ForeignKey(Document, on_delete=models.CASCADE, related_name="relations_out")
    to_document = models.ForeignKey(Document, on_delete=models.CASCADE, related_name="relations_in")
    kind = models.CharField(max_length=20, choices=Kind.choices, default=Kind.RELATED)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["from_document", "to_document", "kind"], name="unique_document_relation"),
            models.CheckConstraint(condition=~Q(from_document=F("to_document")), name="document_not_related_to_itself"),
        ]

    def __str__(self):
        return f"{self.from_document} {self.get_kind_display()} {self.to_document}"


def published_condition(prefix: str = "") -> Q:
    """The one rule for what readers may see of an article: published, and its publication time has come (an
    article dated in the future is embargoed until then). `prefix` reaches an article through a relation, e.g.
    "article__" from a quotation."""
    return Q(**{f"{prefix}status": Article.Status.PUBLISHED, f"{prefix}published_at__lte": clock.now()})


class ArticleQuerySet(models.QuerySet):
    def published(self):
        """What the public may see: published articles whose publication time has come."""
        return self.filter(published_condition())

    def embargoed(self):
        """Published articles whose publication time has not come yet: nobody but the admin sees them until then."""
        return self.filter(status=Article.Status.PUBLISHED, published_at__gt=clock.now())

    def latest_first(self):
        return self.order_by("-published_at", "-pk")

    def referring_to(self, document):
        """Articles that mention the document or hold a public quotation referring to it."""
        mentioning = DocumentMention.objects.filter(document=document).values("article_id")
        quoting = Quotation.objects.public().filter(document_links__document=document).values("article_id")
        return self.filter(Q(pk__in=mentioning) | Q(pk__in=quoting))

    def without_bodies(self):
        """For lists of titles: leaves out the texts, by far the widest columns."""
        return self.defer("body_html", "body_text")


class Article(SlugMixin):
    """A news item as published, with its sanitised body and the plain text that quotation offsets use. Articles
    sharing a `translation_key` are the same item published in several languages."""

    slug_source_field = "title"

    class Status(models.TextChoices):
        DRAFT = "draft", "Draft"
        PUBLISHED = "published", "Published"

    class DatePrecision(models.TextChoices):
        DAY = "day", "Day"
        MONTH = "month", "Month only"
        YEAR = "year", "Year only"

    title = models.CharField(max_length=300)
    slug = models.SlugField(max_length=80, unique=True, blank=True)
    published_at = models.DateTimeField(
        default=timezone.now, validators=[validate_year], help_text="Publication date and time."
    )
    published_precision = models.CharField(
        max_length=5,
        choices=DatePrecision.choices,
        default=DatePrecision.DAY,
        verbose_name="date gives",
        help_text="How much of the date the source gives: a month-only date (stored as its first day) is shown "
        "as “June 2007”, a year-only one as “2007”.",
    )
    publisher = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, null=True, blank=True, related_name="published_articles"
    )
    source_name = models.CharField(max_length=200, blank=True, help_text="e.g. SCO Secretariat news")
    source_url = models.URLField(max_length=500, blank=True, verbose_name="source URL")
    language = models.CharField(
        max_length=10,
        default="en",
        help_text="ISO 639-1 code, e.g. en, ru, zh, de; detected from the text on import when the file does not "
        "say. Extraction reads the text in this language: correct it, then re-extract.",
    )
    translation_key = models.CharField(
        max_length=200,
        blank=True,
        db_index=True,
        verbose_name="translation group",
        help_text="The same value on the versions of one item in other languages, e.g. the publisher's item number "
        "or the address of the original; their pages then link to each other.",
    )
    place = models.CharField(max_length=120, blank=True)
    body_html = models.TextField(
        blank=True,
        verbose_name="body",
        help_text="Sanitised HTML. Pasted HTML or plain text is cleaned on save.",
    )
    body_text = models.TextField(blank=True, editable=False, help_text="Plain text; quotation offsets point here.")
    organisations = models.ManyToManyField(
        Organisation, blank=True, related_name="mentioned_in_articles", help_text="Organisations mentioned."
    )
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.DRAFT)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = ArticleQuerySet.as_manager()

    class Meta:
        ordering = ["-published_at", "-pk"]
        # No index on `status` alone: status_date serves it, and SQLite preferred the lone one to the joins' keys.
        # (id, status, published_at) answers "is this quotation's article published, and when" from the index:
        # in the row, status stands after the texts, which SQLite reads through to reach it.
        indexes = [
            models.Index(fields=["status", "-published_at"], name="article_status_date"),
            models.Index(fields=["publisher", "status"], name="article_publisher_status"),
            models.Index(fields=["id", "status", "published_at"], name="article_id_status_date"),
        ]

    def __str__(self):
        return self.title

    def save(self, *args, **kwargs):
        self.body_html = clean_body(self.body_html)
        self.body_text = html_to_text(self.body_html)
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return reverse("archive:article_detail", args=[self.slug])

    @property
    def is_published(self) -> bool:
        """Readers can see it now (the same rule as ArticleQuerySet.published())."""
        return self.status == self.Status.PUBLISHED and self.published_at <= clock.now()

    @property
    def is_embargoed(self) -> bool:
        return self.status == self.Status.PUBLISHED and self.published_at > clock.now()

    @property
    def published_on(self) -> datetime.date:
        return timezone.localdate(self.published_at)

    @property
    def published_display(self) -> str:
        """'13 June 2017', or 'June 2007' / '2007' when the source gives no more."""
        return format_date(self.published_on, self.published_precision)

    @property
    def published_iso(self) -> str:
        return iso_date(self.published_on, self.published_precision)

    def translations(self) -> list["Article"]:
        """The published versions of this item in other languages (same translation_key), by language."""
        if not self.translation_key:
            return []
        versions = Article.objects.published().filter(translation_key=self.translation_key).exclude(pk=self.pk)
        return list(versions.without_bodies().order_by("language", "pk"))

    def current_body_text(self) -> str:
        """The plain text the body will have once saved (forms validate against it before the save)."""
        return html_to_text(clean_body(self.body_html))


class QuotationQuerySet(models.QuerySet):
    def public(self):
        """Confirmed quotations of published articles: the only ones a reader sees."""
        return self.filter(published_condition("article__"), review=Quotation.Review.CONFIRMED)

    def for_cards(self):
        """What a quotation card (templates/archive/_quotation.html) shows: article, publisher, speaker and role."""
        return self.select_related("article", "article__publisher", "speaker", "role", "role__organisation")

    def with_related(self):
        """for_cards() and the public documents each refers to (feeds, the API, the search index)."""
        return self.for_cards().prefetch_related(models.Prefetch("documents", queryset=Document.objects.public()))

    def with_year(self):
        """Annotates `year`: the year it was said (the article's year when no date of its own is known)."""
        return self.annotate(year=Coalesce(StoredYear("said_on"), StoredYear("article__published_at")))

    def newest_first(self):
        when = Coalesce("said_on", StoredDate("article__published_at"))
        return self.order_by(when.desc(), "-article__published_at", "start", "pk")

    def newest(self, n: int, rows: models.QuerySet | None = None) -> list:
        """The n newest, read from `rows` (default: with_related()): sorted on the ids alone, then only those n rows
        read whole."""
        ids = list(self.newest_first().values_list("pk", flat=True)[:n])
        return in_order(self.with_related() if rows is None else rows, ids)

    def recent(self, n: int) -> list:
        """The n newest (newest_first()) read whole, without sorting all of them: the newest with a date of their
        own come off an index on said_on (with every one on the n-th newest day, for ties), the newest dated by
        their article off the articles newest first; the few found are then sorted as newest_first() does.
        (SQLite would sort every quotation for newest_first()[:n].)"""
        dated = self.filter(said_on__isnull=False).order_by("-said_on")
        days = list(dated.values_list("said_on", flat=True)[:n])
        ids = list(dated.filter(said_on__gte=days[-1]).values_list("pk", flat=True)) if days else []
        undated = self.filter(said_on__isnull=True).order_by("-article__published_at", "start", "pk")
        ids += undated.values_list("pk", flat=True)[:n]
        return list(self.with_related().filter(pk__in=ids).newest_first()[:n])

    def with_stale_role(self):
        """Quotations whose stored role does not follow from their speaker's roles on their date: none although the
        speaker held one then, or one the speaker did not hold then (Quotation.role_fits; archive.derived keeps
        them in step, check_index reports what is left)."""
        date = Coalesce("said_on", TruncDate("article__published_at"))
        held_then = Q(start__lte=OuterRef("quotation_date")) & (
            Q(end__isnull=True) | Q(end__gte=OuterRef("quotation_date"))
        )
        any_held = Exists(Role.objects.filter(held_then, person=OuterRef("speaker_id")))
        stored_fits = Exists(Role.objects.filter(held_then, pk=OuterRef("role_id"), person=OuterRef("speaker_id")))
        return (
            self.annotate(quotation_date=date)
            .annotate(_any_held=any_held, _stored_fits=stored_fits)
            .filter(Q(role__isnull=True, _any_held=True) | Q(role__isnull=False, _stored_fits=False))
        )

    def per_year(self) -> dict[int, int]:
        """{year: number of quotations}, for timelines."""
        rows = self.with_year().order_by().values("year").annotate(n=Count("pk")).values_list("year", "n")
        return {year: n for year, n in rows if year is not None}


SPEAKER_UNKNOWN = "speaker unknown"
SPEAKER_BEFORE_CONFIRMING = "Choose the speaker before confirming: a quotation without a speaker cannot be public."


class Quotation(models.Model):
    """Words a person said, as an article reports them, with where they stand in the article's text."""

    class Speech(models.TextChoices):
        DIRECT = "direct", _("Direct quotation")
        REPORTED = "reported", _("Reported (indirect) speech")

    class Review(models.TextChoices):
        SUGGESTED = "suggested", "Suggested (awaiting review)"
        CONFIRMED = "confirmed", "Confirmed"
        REJECTED = "rejected", "Rejected"

    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="quotations")
    speaker = models.ForeignKey(
        Person,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="quotations",
        help_text="Who said it. Empty (“speaker unknown”) when extraction could not tell: choose the speaker "
        "before confirming; a quotation without one is never public.",
    )
    role = models.ForeignKey(
        Role,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="quotations",
        help_text="The speaker's role when this was said: follows from the speaker's roles on the quotation's date "
        "(filled when left blank, kept in step when roles change).",
    )
    proposed_role_title = models.CharField(
        max_length=200,
        blank=True,
        help_text="A title extraction read for a speaker who has no role on record for this date, e.g. "
        "Secretary-General. It becomes a role only when the quotation is confirmed.",
    )
    proposed_role_organisation = models.ForeignKey(
        Organisation,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="proposed_roles",
        help_text="The organisation of the proposed role.",
    )
    text = models.TextField(help_text="The exact words, as they stand in the article.")
    speech = models.CharField(max_length=10, choices=Speech.choices, default=Speech.DIRECT)
    start = models.PositiveIntegerField(
        null=True, blank=True, help_text="Offset of the first character in the article's plain text."
    )
    end = models.PositiveIntegerField(null=True, blank=True, help_text="Offset just past the last character.")
    said_on = models.DateField(
        null=True,
        blank=True,
        validators=[validate_year],
        help_text="When it was said; the article's date when left blank.",
    )
    documents = models.ManyToManyField(Document, through="QuotationDocument", blank=True, related_name="quotations")
    attribution = models.CharField(
        max_length=200, blank=True, help_text="The words that attribute it, e.g. 'Mr Alimov said'."
    )
    review = models.CharField(
        max_length=10, choices=Review.choices, default=Review.CONFIRMED,
        help_text="Extracted quotations start as suggestions; only confirmed ones are public.",
    )  # fmt: skip
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = QuotationQuerySet.as_manager()

    class Meta:
        ordering = ["article", "start", "pk"]
        # (record, review) pairs for the per-article, per-speaker and per-role counts of public quotations; no
        # index on `review` alone, which SQLite's planner (no statistics) picked for every 'confirmed' lookup and
        # so scanned all quotations per row; a partial one finds the few suggestions awaiting review. The speaker's
        # index also holds what counting, dating and ordering a speaker's (or a body's) quotations needs.
        indexes = [
            models.Index(fields=["article", "review"], name="quotation_article_review"),
            models.Index(fields=["speaker", "review", "article", "said_on", "start"], name="quotation_speaker_public"),
            # An organisation's public quotations (its people's roles) and a document's, counted from the indexes
            # alone: reading each quotation's row for its article made a letter of organisations slow.
            models.Index(fields=["role", "review", "article"], name="quotation_role_public"),
            models.Index(fields=["id", "review", "article"], name="quotation_id_public"),
            models.Index(fields=["review"], condition=Q(review="suggested"), name="quotation_suggested"),
            # The newest quotations with a date of their own (recent()). Partial, so that the planner does not take
            # it for `said_on IS NULL`, which it answers better from the articles newest first.
            models.Index(
                fields=["said_on", "review", "article"],
                condition=Q(said_on__isnull=False),
                name="quotation_said_on_public",
            ),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(start__isnull=True, end__isnull=True) | Q(end__gt=F("start")),
                name="quotation_span_is_ordered",
                violation_error_message="A quotation's end offset must come after its start.",
            ),
            models.CheckConstraint(
                condition=Q(speaker__isnull=False) | ~Q(review="confirmed"),
                name="confirmed_quotation_has_speaker",
                violation_error_message=SPEAKER_BEFORE_CONFIRMING,
            ),
        ]

    def __str__(self):
        words = self.text if len(self.text) <= 80 else self.text[:77] + "…"
        return f"{self.speaker_label}: “{words}”"

    def save(self, *args, **kwargs):
        self.locate_in_article()
        if self.speaker_id and not self.role_fits():
            self.role = self.speaker.role_on(self.date)
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return reverse("archive:quotation_detail", args=[self.pk])

    @property
    def speaker_label(self) -> str:
        """The speaker's name, or "speaker unknown" for a suggestion extraction could not attribute."""
        return self.speaker.name if self.speaker_id else SPEAKER_UNKNOWN

    @property
    def date(self) -> datetime.date:
        return self.said_on or timezone.localdate(self.article.published_at)

    @property
    def date_precision(self) -> str:
        """A date of its own is a day; otherwise the article's date is as precise as its source."""
        return Article.DatePrecision.DAY if self.said_on else self.article.published_precision

    @property
    def date_display(self) -> str:
        return format_date(self.date, self.date_precision)

    @property
    def date_iso(self) -> str:
        return iso_date(self.date, self.date_precision)

    @property
    def is_direct(self) -> bool:
        return self.speech == self.Speech.DIRECT

    def clean(self):
        super().clean()
        article = getattr(self, "article", None)
        body = article.current_body_text() if article is not None else ""
        if self.start is not None and self.end is not None:
            if body[self.start : self.end] != self.text:
                raise ValidationError(
                    {"start": "The offsets do not point at this text in the article. Clear them to locate it."}
                )
        elif self.text and article is not None and self.text not in body:
            # Pasted text often carries line breaks the article's text does not have.
            folded = " ".join(self.text.split())
            if folded not in body:
                raise ValidationError(
                    {"text": "These words do not appear in the article's body. Quote them exactly as printed."}
                )
            self.text = folded
        if self.role_id and self.speaker_id and self.role.person_id != self.speaker_id:
            raise ValidationError({"role": "This role belongs to someone else."})
        if self.review == self.Review.CONFIRMED and not self.speaker_id:
            raise ValidationError({"speaker": SPEAKER_BEFORE_CONFIRMING})

    def role_fits(self) -> bool:
        """Whether the stored role is one the speaker held on the quotation's date (the same rule as
        QuotationQuerySet.with_stale_role(), which finds those where it is not)."""
        if self.role_id is None:
            return False
        role, date = self.role, self.date
        return role.person_id == self.speaker_id and role.start <= date and (role.end is None or role.end >= date)

    def locate_in_article(self) -> None:
        """Fill missing offsets by finding the text in the article's plain text (first occurrence)."""
        if self.start is None and self.article_id and self.text:
            position = self.article.body_text.find(self.text)
            if position >= 0:
                self.start, self.end = position, position + len(self.text)


class QuotationDocument(models.Model):
    """A quotation refers to a document. Protects the document from deletion while the link exists."""

    quotation = models.ForeignKey(Quotation, on_delete=models.CASCADE, related_name="document_links")
    document = models.ForeignKey(Document, on_delete=models.PROTECT, related_name="quotation_links")

    class Meta:
        constraints = [models.UniqueConstraint(fields=["quotation", "document"], name="unique_quotation_document")]
        indexes = [models.Index(fields=["document", "quotation"], name="quotationdocument_document")]

    def __str__(self):
        return f"{self.quotation_id} → {self.document}"


class DocumentMention(models.Model):
    """The words an article uses for a document, and where they stand in its plain text."""

    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="document_mentions")
    document = models.ForeignKey(Document, on_delete=models.PROTECT, related_name="mentions")
    text = models.CharField(max_length=300, help_text="The words used, e.g. 'the Shanghai Convention'.")
    start = models.PositiveIntegerField(null=True, blank=True)
    end = models.PositiveIntegerField(null=True, blank=True)

    class Meta:
        ordering = ["article", "start", "pk"]
        indexes = [models.Index(fields=["document", "article"], name="documentmention_document")]
        constraints = [
            models.CheckConstraint(
                condition=Q(start__isnull=True, end__isnull=True) | Q(end__gt=F("start")),
                name="mention_span_is_ordered",
            )
        ]

    def __str__(self):
        return f"{self.text} → {self.document}"

    def save(self, *args, **kwargs):
        if self.start is None and self.article_id and self.text:
            position = self.article.body_text.find(self.text)
            if position >= 0:
                self.start, self.end = position, position + len(self.text)
        super().save(*args, **kwargs)


class PendingIndexUpdate(models.Model):
    """A record whose search document may have changed, written in the same transaction as the change.

    The index writer (archive.search.indexing.apply_pending_updates) reads these rows, re-reads each record's current
    state, writes or removes its document, commits the index and only then deletes the rows it handled. A row
    says "look at this record again", so applying one twice, late or out of order still leaves the index right.
    """

    class Action(models.TextChoices):
        UPDATE = "update", "Saved"
        DELETE = "delete", "Deleted"

    model = models.CharField(max_length=100, help_text="Model label, e.g. archive.quotation.")
    object_id = models.CharField(max_length=64)
    action = models.CharField(max_length=10, choices=Action.choices, default=Action.UPDATE)
    due_at = models.DateTimeField(
        null=True,
        blank=True,
        help_text="Not before this time: an embargoed article's publication time (archive.indexing.release_due_rows).",
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["pk"]
        indexes = [models.Index(fields=["due_at"], condition=Q(due_at__isnull=False), name="pendingindexupdate_due")]
        verbose_name = "pending search index update"

    def __str__(self):
        return f"{self.get_action_display()}: {self.model} {self.object_id}"


class DataVersion(models.Model):
    """The archive's data version on SQLite: one row whose counter every change to an archive record moves, in the
    change's own transaction (archive/data_version.py). On PostgreSQL a sequence holds the counter instead, so
    that concurrent edits never wait for each other on this row. Rendered pages and the home page's figures are
    kept per version."""

    value = models.BigIntegerField(default=0)

    class Meta:
        verbose_name = "data version"

    def __str__(self):
        return f"data version {self.value}"
