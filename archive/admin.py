"""The Django admin: where staff add articles, review quotations and keep people, bodies and documents."""

import tempfile
from pathlib import Path

from django import forms
from django.contrib import admin, messages
from django.contrib.admin.widgets import AutocompleteSelectMultiple
from django.db.models import Count, Q
from django.urls import reverse
from django.utils.html import format_html

from archive.highlight import Span, marked_body
from archive.importers import ImportFileError, read_file
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
from archive.suggestions import confirm_quotations, confirm_related_records, propose_suggestions, reject_quotations

admin.site.site_header = "Policy statement archive"
admin.site.site_title = "Archive admin"
admin.site.index_title = "Articles, quotations, speakers and documents"


class YearListFilter(admin.SimpleListFilter):
    """Filter by calendar year of a date field; subclasses name the field."""

    title = "year"
    parameter_name = "year"
    date_field = ""

    def lookups(self, request, model_admin):
        dates = model_admin.get_queryset(request).dates(self.date_field, "year", order="DESC")
        return [(str(d.year), str(d.year)) for d in dates]

    def queryset(self, request, queryset):
        if self.value() and self.value().isdigit():
            return queryset.filter(**{f"{self.date_field}__year": int(self.value())})
        return queryset


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
        fields = ["speaker", "role", "text", "speech", "said_on", "start", "end", "review"]
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


class ArticleAdminForm(forms.ModelForm):
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

    class Meta:
        model = Article
        fields = [
            "title", "slug", "status", "published_at", "publisher", "language", "translation_key", "place",
            "source_name", "source_url", "body_html", "organisations",
        ]  # fmt: skip

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["extract_quotations"].initial = not self.instance.pk
        self.fields["title"].required = False

    def clean(self):
        cleaned = super().clean()
        upload = cleaned.get("source_file")
        if upload:
            record = self.read_upload(upload)
            cleaned["title"] = cleaned.get("title") or record.title
            if not cleaned.get("body_html"):
                cleaned["body_html"] = record.body_html
            if "published_at" in self.errors or not self.data.get("published_at_0"):
                self.errors.pop("published_at", None)
                cleaned["published_at"] = record.published_at
            for name in ("source_name", "source_url", "language"):
                if not cleaned.get(name) or (name == "language" and cleaned.get(name) == "en"):
                    cleaned[name] = getattr(record, name) or cleaned.get(name)
            for name in ("title", "body_html", "published_at", "source_name", "source_url", "language"):
                setattr(self.instance, name, cleaned.get(name))
        if not cleaned.get("title"):
            self.add_error("title", "Give the article a title, or upload a file that has one.")
        return cleaned

    def read_upload(self, upload):
        suffix = Path(upload.name).suffix.lower()[:6]
        with tempfile.NamedTemporaryFile(suffix=suffix) as handle:
            for chunk in upload.chunks():
                handle.write(chunk)
            handle.flush()
            try:
                batch = read_file(Path(handle.name))
            except ImportFileError as error:
                raise forms.ValidationError({"source_file": f"This file cannot be read: {error}."}) from error
        if len(batch.articles) != 1:
            raise forms.ValidationError({"source_file": "The file must hold exactly one article."})
        return batch.articles[0]


class QuotationInline(admin.StackedInline):
    model = Quotation
    form = QuotationInlineForm
    extra = 0
    autocomplete_fields = ["speaker", "role"]
    show_change_link = True


class DocumentMentionInline(admin.TabularInline):
    model = DocumentMention
    extra = 0
    autocomplete_fields = ["document"]
    fields = ["document", "text", "start", "end"]


@admin.register(Article)
class ArticleAdmin(admin.ModelAdmin):
    form = ArticleAdminForm
    list_display = ["title", "published_at", "publisher", "status", "language", "quotation_count", "suggestion_count"]
    list_filter = [
        "status",
        ArticleYearFilter,
        ("publisher", admin.RelatedOnlyFieldListFilter),
        ("quotations__speaker", admin.RelatedOnlyFieldListFilter),
        ("document_mentions__document", admin.RelatedOnlyFieldListFilter),
        "language",
    ]
    search_fields = ["title", "body_text", "source_name"]
    date_hierarchy = "published_at"
    autocomplete_fields = ["publisher", "organisations"]
    prepopulated_fields = {"slug": ["title"]}
    readonly_fields = ["created_at", "updated_at", "text_with_quotations"]
    inlines = [QuotationInline, DocumentMentionInline]
    fieldsets = [
        (None, {"fields": ["title", "slug", "status", "published_at", "publisher", "language", "place"]}),
        ("Other languages", {"fields": ["translation_key"]}),
        ("Source", {"fields": ["source_name", "source_url"]}),
        ("Body", {"fields": ["source_file", "body_html", "extract_quotations", "organisations"]}),
        ("Quotations in the text", {"fields": ["text_with_quotations"]}),
        ("History", {"fields": ["created_at", "updated_at"], "classes": ["collapse"]}),
    ]
    actions = ["publish", "unpublish", "re_extract", "confirm_suggestions"]

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
                f"{q.get_review_display()}: {q.speaker.name} ({q.get_speech_display().lower()})",
            )
            for q in quotations
            if q.start is not None
        ]
        awaiting = sum(q.review == Quotation.Review.SUGGESTED for q in quotations)
        return format_html(
            "<p>{} quotation(s) marked, {} awaiting review. Hover over a mark for its speaker and state.</p>"
            '<div class="article-text-preview">{}</div>',
            len(spans),
            awaiting,
            marked_body(article.body_html, article.body_text, spans),
        )

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        article = form.instance
        confirm_related_records(article.quotations.filter(review=Quotation.Review.CONFIRMED))
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
        count = confirm_quotations(suggested)
        self.message_user(request, f"{count} quotation(s) confirmed; they are public wherever the article is.")

    @admin.action(description="Publish the selected articles")
    def publish(self, request, queryset):
        self._set_status(request, queryset, Article.Status.PUBLISHED)

    @admin.action(description="Return the selected articles to draft")
    def unpublish(self, request, queryset):
        self._set_status(request, queryset, Article.Status.DRAFT)

    def _set_status(self, request, queryset, status):
        # Saved one by one so that every save hook (sanitising, index bookkeeping) runs.
        changed = 0
        for article in queryset:
            if article.status != status:
                article.status = status
                article.save()
                changed += 1
        self.message_user(request, f"{changed} article(s) now {Article.Status(status).label.lower()}.")


class QuotationDocumentInline(admin.TabularInline):
    model = QuotationDocument
    extra = 0
    autocomplete_fields = ["document"]
    verbose_name = "document referred to"
    verbose_name_plural = "documents referred to"


@admin.register(Quotation)
class QuotationAdmin(admin.ModelAdmin):
    list_display = ["short_text", "speaker", "role", "speech", "review", "article", "quotation_date"]
    list_filter = [
        "review",
        "speech",
        QuotationYearFilter,
        ("role__organisation", admin.RelatedOnlyFieldListFilter),
        ("speaker", admin.RelatedOnlyFieldListFilter),
        ("documents", admin.RelatedOnlyFieldListFilter),
    ]
    search_fields = ["text", "speaker__name", "speaker__aliases", "article__title"]
    autocomplete_fields = ["article", "speaker", "role"]
    list_select_related = ["speaker", "role", "role__organisation", "article"]
    inlines = [QuotationDocumentInline]
    actions = ["confirm", "reject"]
    fields = [
        "article",
        "speaker",
        "role",
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
        self.message_user(request, f"{confirm_quotations(queryset)} quotation(s) confirmed.")

    @admin.action(description="Reject the selected suggestions")
    def reject(self, request, queryset):
        self.message_user(request, f"{reject_quotations(queryset)} quotation(s) rejected.")

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        confirm_related_records([form.instance])

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
class PersonAdmin(admin.ModelAdmin):
    list_display = ["name", "current_roles", "quotation_count"]
    ordering = ["name"]
    search_fields = ["name", "aliases"]
    prepopulated_fields = {"slug": ["name"]}
    inlines = [RoleInline]
    list_filter = [("roles__organisation", admin.RelatedOnlyFieldListFilter)]

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
    list_filter = [("organisation", admin.RelatedOnlyFieldListFilter)]
    search_fields = ["person__name", "title", "organisation__name", "organisation__short_name"]
    autocomplete_fields = ["person", "organisation"]
    list_select_related = ["person", "organisation"]


@admin.register(Organisation)
class OrganisationAdmin(admin.ModelAdmin):
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
class DocumentAdmin(admin.ModelAdmin):
    list_display = ["title", "short_title", "kind", "adopted_year", "place"]
    list_filter = ["kind", "adopted_year", ("adopting_organisations", admin.RelatedOnlyFieldListFilter)]
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
