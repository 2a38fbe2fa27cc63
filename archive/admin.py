"""The Django admin: where staff add articles, review quotations and keep people, bodies and documents."""

import tempfile
from pathlib import Path

from django import forms
from django.contrib import admin, messages
from django.contrib.admin.widgets import AutocompleteSelectMultiple
from django.db import transaction
from django.db.models import Count, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html, format_html_join
from django.utils.text import Truncator

from archive.edit_conflicts import EditConflictAdminMixin, EditConflictForm
from archive.extraction.language_id import HELD_LANGUAGES, base_language, detect_language
from archive.highlight import Span, marked_body
from archive.importers import ImportFileError, ReadContext, read_file
from archive.models import (
    SPEAKER_UNKNOWN,
    Article,
    Document,
    DocumentMention,
    DocumentRelation,
    Organisation,
    Person,
    Quotation,
    QuotationDocument,
    Role,
    year_from_text,
)
from archive.sanitize import clean_body, html_to_text
from archive.suggestions import (
    confirm_blocked,
    confirm_quotations,
    confirm_related_records,
    propose_suggestions,
    reject_quotations,
)

admin.site.site_header = "Policy statement archive"
admin.site.site_title = "Archive admin"
admin.site.index_title = "Articles, quotations, speakers and documents"


class YearListFilter(admin.SimpleListFilter):
    """Filter by calendar year of a date field; subclasses name the field."""

    title = "year"
    parameter_name = "year"
    date_field = ""

    def lookups(self, request, model_admin):
        # From the plain table: the changelist's queryset carries its annotations (see InUseListFilter).
        dates = model_admin.model._default_manager.dates(self.date_field, "year", order="DESC")
        return [(str(d.year), str(d.year)) for d in dates]

    def queryset(self, request, queryset):
        year = year_from_text(self.value())
        if year is not None:
            return queryset.filter(**{f"{self.date_field}__year": year})
        return queryset


class InUseListFilter(admin.RelatedOnlyFieldListFilter):
    """Django's "related only" filter, with the records in use found from the model's plain table rather than from
    the changelist's queryset: that one carries the list's annotations (counts grouped over every row), and using
    it as a subquery took seconds per filter on every changelist request, the admin actions included."""

    def field_choices(self, field, request, model_admin):
        in_use = model_admin.model._default_manager.values(f"{self.field_path}__pk")
        ordering = self.field_admin_ordering(field, request, model_admin)
        return field.get_choices(include_blank=False, limit_choices_to={"pk__in": in_use}, ordering=ordering)


class ArticleYearFilter(YearListFilter):
    date_field = "published_at"


class QuotationYearFilter(YearListFilter):
    date_field = "article__published_at"


class QuotationInlineForm(forms.ModelForm):
    """A quotation edited inside its article, with the documents it refers to chosen in the same row."""

    referenced_documents = forms.ModelMultipleChoiceField(
        queryset=Document.objects.all(),
        required=False,
        label="Documents",
        widget=AutocompleteSelectMultiple(Quotation._meta.get_field("documents"), admin.site),
    )

    class Meta:
        model = Quotation
        fields = [
            "speaker", "role", "proposed_role_title", "proposed_role_organisation", "text", "speech", "said_on",
            "start", "end", "review",
        ]  # fmt: skip
        widgets = {"text": forms.Textarea(attrs={"rows": 3, "cols": 60})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.fields["referenced_documents"].initial = list(self.instance.documents.all())

    def save(self, commit=True):
        quotation = super().save(commit=commit)
        documents = self.cleaned_data.get("referenced_documents", [])
        if commit:
            quotation.documents.set(documents)
        else:
            save_other_links = self.save_m2m

            def save_m2m():
                save_other_links()
                quotation.documents.set(documents)

            self.save_m2m = save_m2m
        return quotation


class ArticleAdminForm(EditConflictForm):
    """The article form, plus a file to fill it from and the switch that runs quotation extraction."""

    source_file = forms.FileField(
        required=False,
        label="Or upload a file",
        help_text="A plain-text article (title line, date line, blank line, paragraphs), a saved HTML page or a "
        "JSON article. It fills the title, date and body; fields you typed take precedence.",
    )
    extract_quotations = forms.BooleanField(
        required=False,
        label="Extract quotations",
        help_text="Find the quotations, speakers and documents in the body and propose them as suggestions.",
    )
    confirm_suggestions = forms.BooleanField(
        required=False,
        label="Confirm all suggested quotations when saving",
        help_text="With Status set to Published, this confirms and publishes in one save.",
    )

    class Meta:
        model = Article
        fields = [
            "title", "slug", "status", "published_at", "published_precision", "publisher", "language",
            "translation_key", "place",
            "source_name", "source_url", "body_html", "organisations",
        ]  # fmt: skip

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["extract_quotations"].initial = not self.instance.pk
        self.fields["title"].required = False
        self.fields["published_precision"].required = False  # a day, unless the editor or the file says less
        language = self.fields["language"]
        language.required = False
        language.help_text = (
            f"ISO 639-1 code ({', '.join(HELD_LANGUAGES)}). Left empty, it is detected from the text. Extraction "
            "reads the text in this language: if it is wrong, correct it and tick “Extract quotations” to re-extract."
        )
        if not self.instance.pk:
            self.initial["language"] = ""

    def clean(self):
        cleaned = super().clean()
        upload = cleaned.get("source_file")
        if upload:
            record = self.read_upload(upload, cleaned)
            cleaned["title"] = cleaned.get("title") or record.title
            if not cleaned.get("body_html"):
                cleaned["body_html"] = record.body_html
            if "published_at" in self.errors or not self.data.get("published_at_0"):
                self.errors.pop("published_at", None)
                cleaned["published_at"] = record.published_at
                cleaned["published_precision"] = record.published_precision
            for name in ("source_name", "source_url", "language"):
                cleaned[name] = cleaned.get(name) or getattr(record, name)
            for name in ("title", "body_html", "published_at", "published_precision", "source_name", "source_url"):
                setattr(self.instance, name, cleaned.get(name))
        if not cleaned.get("title"):
            self.add_error("title", "Give the article a title, or upload a file that has one.")
        cleaned["published_precision"] = cleaned.get("published_precision") or Article.DatePrecision.DAY
        cleaned["language"] = self.article_language(cleaned)
        self.instance.language = cleaned["language"]
        return cleaned

    def article_language(self, cleaned) -> str:
        """The language typed (as its bare code), else the one detected in the title and body."""
        typed = base_language(cleaned.get("language") or "")
        if typed:
            return typed
        body = html_to_text(clean_body(cleaned.get("body_html") or ""))
        return detect_language(f"{cleaned.get('title') or ''}\n{body}")

    def read_upload(self, upload, cleaned):
        typed = cleaned.get("published_at") if self.data.get("published_at_0") else None
        context = ReadContext(
            year=typed.year if typed else None,
            language=cleaned.get("language") or "",
            year_hint="type the publication date in the form",
        )
        suffix = Path(upload.name).suffix.lower()[:6]
        with tempfile.NamedTemporaryFile(suffix=suffix) as handle:
            for chunk in upload.chunks():
                handle.write(chunk)
            handle.flush()
            try:
                batch = read_file(Path(handle.name), context)
            except ImportFileError as error:
                raise forms.ValidationError({"source_file": f"This file cannot be read: {error}."}) from error
        if len(batch.articles) != 1:
            raise forms.ValidationError({"source_file": "The file must hold exactly one article."})
        return batch.articles[0]


class QuotationInline(admin.StackedInline):
    model = Quotation
    form = QuotationInlineForm
    extra = 0
    autocomplete_fields = ["speaker", "role", "proposed_role_organisation"]
    show_change_link = True


class DocumentMentionInline(admin.TabularInline):
    model = DocumentMention
    extra = 0
    autocomplete_fields = ["document"]
    fields = ["document", "text", "start", "end"]


@admin.register(Article)
class ArticleAdmin(EditConflictAdminMixin, admin.ModelAdmin):
    form = ArticleAdminForm
    list_display = ["title", "published_at", "publisher", "status", "language", "quotation_count", "suggestion_count"]
    list_filter = [
        "status",
        ArticleYearFilter,
        ("publisher", InUseListFilter),
        ("quotations__speaker", InUseListFilter),
        ("document_mentions__document", InUseListFilter),
        "language",
    ]
    search_fields = ["title", "body_text", "source_name"]
    date_hierarchy = "published_at"
    autocomplete_fields = ["publisher", "organisations"]
    prepopulated_fields = {"slug": ["title"]}
    readonly_fields = ["visibility", "created_at", "updated_at", "text_with_quotations"]
    inlines = [QuotationInline, DocumentMentionInline]
    fieldsets = [
        (
            None,
            {
                "fields": [
                    "visibility",
                    "title",
                    "slug",
                    "status",
                    "confirm_suggestions",
                    "published_at",
                    "published_precision",
                    "publisher",
                    "language",
                    "place",
                ]
            },
        ),  # fmt: skip
        ("Other languages", {"fields": ["translation_key"]}),
        ("Source", {"fields": ["source_name", "source_url"]}),
        ("Body", {"fields": ["source_file", "body_html", "extract_quotations", "organisations"]}),
        ("Quotations in the text", {"fields": ["text_with_quotations"]}),
        ("History", {"fields": ["created_at", "updated_at"], "classes": ["collapse"]}),
    ]
    actions = ["publish", "unpublish", "re_extract", "confirm_suggestions", "confirm_and_publish"]

    class Media:
        css = {"all": ["css/admin-review.css"]}

    def get_queryset(self, request):
        suggested = Q(quotations__review=Quotation.Review.SUGGESTED)
        return (
            super()
            .get_queryset(request)
            .select_related("publisher")
            .annotate(
                _quotation_count=Count("quotations", distinct=True),
                _suggestion_count=Count("quotations", filter=suggested, distinct=True),
            )
        )

    @admin.display(description="quotations", ordering="_quotation_count")
    def quotation_count(self, article):
        return article._quotation_count

    @admin.display(description="to review", ordering="_suggestion_count")
    def suggestion_count(self, article):
        return article._suggestion_count

    @admin.display(description="Text with its quotations marked")
    def text_with_quotations(self, article):
        """The body with every quotation marked; hovering shows its state and speaker, a click opens it."""
        if not article.pk:
            return "Save the article to see its quotations marked in the text."
        quotations = list(article.quotations.exclude(review=Quotation.Review.REJECTED).select_related("speaker"))
        spans = [
            Span(
                q.start,
                q.end,
                reverse("admin:archive_quotation_change", args=[q.pk]),
                f"quotation-{q.pk}",
                f"{q.get_review_display()}: {q.speaker_label} ({q.get_speech_display().lower()})",
                f"review-{q.review}" + (" speaker-unknown" if not q.speaker_id else ""),
            )
            for q in quotations
            if q.start is not None
        ]
        awaiting = sum(q.review == Quotation.Review.SUGGESTED for q in quotations)
        unknown = [q for q in quotations if not q.speaker_id]
        return format_html(
            "<p>{} quotation(s) marked, {} awaiting review. Hover over a mark for its speaker and state.</p>"
            '<div class="article-text-preview">{}</div>{}',
            len(spans),
            awaiting,
            marked_body(article.body_html, article.body_text, spans),
            self.unknown_speakers(unknown),
        )

    def unknown_speakers(self, quotations) -> str:
        """The quotations waiting for a speaker, each linking to its page, where the speaker is chosen."""
        if not quotations:
            return ""
        items = format_html_join(
            "",
            '<li><a href="{}">“{}”</a></li>',
            ((reverse("admin:archive_quotation_change", args=[q.pk]), Truncator(q.text).words(12)) for q in quotations),
        )
        return format_html(
            '<div class="speaker-unknown-list"><p><strong>{} quotation(s) with the speaker unknown.</strong> '
            "Choose the speaker (in the quotation's row below, or on its page), then confirm; until then it is "
            "not public.</p><ul>{}</ul></div>",
            len(quotations),
            items,
        )

    @admin.display(description="Visible to readers")
    def visibility(self, article):
        """The publication state in words, at the top of the page: what readers can see of this article now."""
        if not article.pk:
            return "Not saved yet. Readers see an article only once its Status is Published."
        return format_html("<strong>{}</strong>", publication_state(article))

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        article = form.instance
        if form.cleaned_data.get("confirm_suggestions"):
            confirm_quotations(article.quotations.filter(review=Quotation.Review.SUGGESTED))
        confirm_related_records(article.quotations.filter(review=Quotation.Review.CONFIRMED))
        if not article.is_published and article.quotations.filter(review=Quotation.Review.CONFIRMED).exists():
            self.message_user(request, f"{article}: {publication_state(article)}", messages.WARNING)
        if form.cleaned_data.get("extract_quotations"):
            summary = propose_suggestions(article)
            self.message_user(request, f"Extraction: {summary}. Review them below, then confirm.", messages.INFO)

    @admin.action(description="Re-extract quotations (replaces unreviewed suggestions)")
    def re_extract(self, request, queryset):
        for article in queryset:
            self.message_user(request, f"{article}: {propose_suggestions(article)}.")

    @admin.action(description="Confirm all suggested quotations of the selected articles")
    def confirm_suggestions(self, request, queryset):
        suggested = Quotation.objects.filter(article__in=queryset, review=Quotation.Review.SUGGESTED)
        blocked = confirm_blocked(suggested)
        count = confirm_quotations(suggested)
        report_unknown_speakers(self, request, blocked)
        hidden = [article for article in queryset if not article.is_published]
        if not hidden:
            self.message_user(request, f"{count} quotation(s) confirmed; they are public now, with their articles.")
            return
        self.message_user(
            request,
            format_html(
                "{} quotation(s) confirmed, but readers see none of them while their article is not public: {}. "
                "Publish with the action “Confirm all suggested quotations and publish”, or set Status to "
                "Published on the article's page.",
                count,
                format_html_join(
                    "; ",
                    '<a href="{}">{}</a>: {}',
                    (
                        (
                            reverse("admin:archive_article_change", args=[a.pk]),
                            a.title,
                            publication_state(a).rstrip("."),
                        )
                        for a in hidden
                    ),
                ),
            ),
            messages.WARNING,
        )

    @admin.action(description="Confirm all suggested quotations and publish the selected articles")
    def confirm_and_publish(self, request, queryset):
        suggested = Quotation.objects.filter(article__in=queryset, review=Quotation.Review.SUGGESTED)
        blocked = confirm_blocked(suggested)
        count = confirm_quotations(suggested)
        self.message_user(request, f"{count} quotation(s) confirmed.")
        report_unknown_speakers(self, request, blocked)
        self.publish(request, queryset)

    @admin.action(description="Publish the selected articles")
    def publish(self, request, queryset):
        self._set_status(request, queryset, Article.Status.PUBLISHED)

    @admin.action(description="Return the selected articles to draft")
    def unpublish(self, request, queryset):
        self._set_status(request, queryset, Article.Status.DRAFT)

    def _set_status(self, request, queryset, status):
        # Saved one by one so that every save hook (sanitising, index bookkeeping) runs, in one transaction so that
        # their index changes are applied together, once, after it commits.
        changed = 0
        with transaction.atomic():
            for article in queryset:
                if article.status != status:
                    article.status = status
                    article.save()
                    changed += 1
        self.message_user(request, f"{changed} article(s) now {Article.Status(status).label.lower()}.")
        for article in queryset.embargoed():
            self.message_user(request, f"{article}: {publication_state(article)}", messages.WARNING)


def publication_state(article: Article) -> str:
    """What readers can see of an article now, in a sentence for the admin."""
    if article.is_published:
        return f"Published: public at {article.get_absolute_url()} with its confirmed quotations."
    if article.is_embargoed:
        when = timezone.localtime(article.published_at).strftime("%Y-%m-%d %H:%M")
        return f"Scheduled: published, but dated in the future; readers see it from {when} on (embargo)."
    return "Draft: readers see nothing of this article, nor its confirmed quotations, until it is published."


def report_unknown_speakers(model_admin, request, blocked: int) -> None:
    if blocked:
        model_admin.message_user(
            request,
            f"{blocked} quotation(s) not confirmed: the speaker is unknown. Choose a speaker for each, then confirm.",
            messages.WARNING,
        )


class SpeakerUnknownFilter(admin.SimpleListFilter):
    """Quotations extraction could not attribute, waiting for the editor to choose the speaker."""

    title = "speaker"
    parameter_name = "speaker_unknown"

    def lookups(self, request, model_admin):
        return [("yes", "speaker unknown"), ("no", "speaker known")]

    def queryset(self, request, queryset):
        if self.value() in ("yes", "no"):
            return queryset.filter(speaker__isnull=self.value() == "yes")
        return queryset


class QuotationDocumentInline(admin.TabularInline):
    model = QuotationDocument
    extra = 0
    autocomplete_fields = ["document"]
    verbose_name = "document referred to"
    verbose_name_plural = "documents referred to"


@admin.register(Quotation)
class QuotationAdmin(EditConflictAdminMixin, admin.ModelAdmin):
    list_display = ["short_text", "speaker_or_unknown", "role", "speech", "review", "article", "quotation_date"]
    list_filter = [
        "review",
        SpeakerUnknownFilter,
        "speech",
        QuotationYearFilter,
        ("role__organisation", InUseListFilter),
        ("speaker", InUseListFilter),
        ("documents", InUseListFilter),
    ]
    search_fields = ["text", "speaker__name", "speaker__aliases", "article__title"]
    autocomplete_fields = ["article", "speaker", "role", "proposed_role_organisation"]
    list_select_related = ["speaker", "role", "role__organisation", "article"]
    inlines = [QuotationDocumentInline]
    actions = ["confirm", "reject"]
    fields = [
        "article",
        "speaker",
        "role",
        "proposed_role_title",
        "proposed_role_organisation",
        "text",
        "speech",
        "attribution",
        "said_on",
        "start",
        "end",
        "review",
    ]

    @admin.action(description="Confirm the selected quotations (make them public)")
    def confirm(self, request, queryset):
        blocked = confirm_blocked(queryset)
        self.message_user(request, f"{confirm_quotations(queryset)} quotation(s) confirmed.")
        report_unknown_speakers(self, request, blocked)

    @admin.action(description="Reject the selected suggestions")
    def reject(self, request, queryset):
        self.message_user(request, f"{reject_quotations(queryset)} quotation(s) rejected.")

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        confirm_related_records([form.instance])

    @admin.display(description="speaker", ordering="speaker__name")
    def speaker_or_unknown(self, quotation):
        if quotation.speaker_id:
            return quotation.speaker.name
        return format_html('<strong class="speaker-unknown">{}</strong>', SPEAKER_UNKNOWN)

    @admin.display(description="quotation")
    def short_text(self, quotation):
        return quotation.text if len(quotation.text) <= 90 else quotation.text[:87] + "…"

    @admin.display(description="date", ordering="article__published_at")
    def quotation_date(self, quotation):
        return quotation.date


class RoleInline(admin.TabularInline):
    model = Role
    extra = 0
    autocomplete_fields = ["organisation"]


@admin.register(Person)
class PersonAdmin(EditConflictAdminMixin, admin.ModelAdmin):
    list_display = ["name", "current_roles", "quotation_count"]
    ordering = ["name"]
    search_fields = ["name", "aliases"]
    prepopulated_fields = {"slug": ["name"]}
    inlines = [RoleInline]
    list_filter = [("roles__organisation", InUseListFilter)]

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .annotate(_quotation_count=Count("quotations", distinct=True))
            .prefetch_related("roles__organisation")
        )

    @admin.display(description="roles")
    def current_roles(self, person):
        return "; ".join(role.describe() for role in person.roles.all())

    @admin.display(description="quotations", ordering="_quotation_count")
    def quotation_count(self, person):
        return person._quotation_count


@admin.register(Role)
class RoleAdmin(admin.ModelAdmin):
    list_display = ["person", "title", "organisation", "start", "end"]
    list_filter = [("organisation", InUseListFilter)]
    search_fields = ["person__name", "title", "organisation__name", "organisation__short_name"]
    autocomplete_fields = ["person", "organisation"]
    list_select_related = ["person", "organisation"]


@admin.register(Organisation)
class OrganisationAdmin(EditConflictAdminMixin, admin.ModelAdmin):
    list_display = ["name", "short_name", "kind", "parent"]
    list_filter = ["kind"]
    search_fields = ["name", "short_name"]
    prepopulated_fields = {"slug": ["name"]}
    autocomplete_fields = ["parent"]
    list_select_related = ["parent"]


class DocumentRelationInline(admin.TabularInline):
    model = DocumentRelation
    fk_name = "from_document"
    extra = 0
    autocomplete_fields = ["to_document"]
    verbose_name = "relation to another document"


@admin.register(Document)
class DocumentAdmin(EditConflictAdminMixin, admin.ModelAdmin):
    list_display = ["title", "short_title", "kind", "adopted_year", "place"]
    list_filter = ["kind", "adopted_year", ("adopting_organisations", InUseListFilter)]
    search_fields = ["title", "short_title", "aliases"]
    prepopulated_fields = {"slug": ["title"]}
    autocomplete_fields = ["adopting_organisations"]
    inlines = [DocumentRelationInline]


@admin.register(DocumentMention)
class DocumentMentionAdmin(admin.ModelAdmin):
    list_display = ["text", "document", "article", "start", "end"]
    search_fields = ["text", "document__title", "article__title"]
    autocomplete_fields = ["article", "document"]
    list_select_related = ["document", "article"]
