"""The Django admin: where staff add articles, review quotations and keep people, bodies and documents."""

from django import forms
from django.contrib import admin
from django.contrib.admin.widgets import AutocompleteSelectMultiple
from django.db.models import Count

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
    list_display = ["title", "published_at", "publisher", "status", "language", "quotation_count"]
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
    readonly_fields = ["created_at", "updated_at"]
    inlines = [QuotationInline, DocumentMentionInline]
    fieldsets = [
        (None, {"fields": ["title", "slug", "status", "published_at", "publisher", "language", "place"]}),
        ("Source", {"fields": ["source_name", "source_url"]}),
        ("Body", {"fields": ["body_html", "organisations"]}),
        ("History", {"fields": ["created_at", "updated_at"], "classes": ["collapse"]}),
    ]
    actions = ["publish", "unpublish"]

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .select_related("publisher")
            .annotate(_quotation_count=Count("quotations", distinct=True))
        )

    @admin.display(description="quotations", ordering="_quotation_count")
    def quotation_count(self, article):
        return article._quotation_count

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
