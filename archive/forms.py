"""The search form: URL parameters in, validated SearchParams out, with a friendly notice for anything unusable.

    form = SearchForm(request.GET)
    params = form.params()     # archive.search.SearchParams; never raises, whatever the URL holds
    form.notices               # what was ignored or adjusted, in words a reader understands

Parameter names are fixed across the team (browse pages, feeds and the API link to them): q, type
(quotations|articles|documents), speaker, organisation, document (slugs), year, language, speech
(direct|reported), from and to (YYYY-MM-DD), sort (relevance|newest|oldest), page.
A bad value never fails the search: it is left out, and `notices` says so.
"""

import unicodedata

from django import forms
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from archive.models import Article, Document, Organisation, Person, Quotation
from archive.search import DEFAULT_TYPE, SORTS, TYPES, SearchParams

MAX_QUERY_LENGTH = 500


def clean_query_text(value: str) -> tuple[str, list[str]]:
    """The query with NUL and other control characters removed, spaces collapsed, at most MAX_QUERY_LENGTH long."""
    notices = []
    value = value or ""
    cleaned = "".join(
        " " if ch.isspace() else ch
        for ch in value
        if ch.isspace() or unicodedata.category(ch) not in ("Cc", "Cs", "Co", "Cn")
    )
    if len(cleaned) != len(value):
        notices.append(_("Control characters were removed from your search."))
    cleaned = " ".join(cleaned.split())
    if len(cleaned) > MAX_QUERY_LENGTH:
        cut = cleaned.rfind(" ", 0, MAX_QUERY_LENGTH)
        cleaned = cleaned[: cut if cut > MAX_QUERY_LENGTH // 2 else MAX_QUERY_LENGTH]
        notices.append(_("Your search was shortened to its first %(count)s characters.") % {"count": MAX_QUERY_LENGTH})
    return cleaned, notices


class QueryField(forms.CharField):
    """Free text that tolerates anything: control characters are dropped here, not refused."""

    def to_python(self, value):
        return clean_query_text(str(value or ""))[0]


class SearchForm(forms.Form):
    q = QueryField(required=False, label="Search", strip=True)
    type = forms.ChoiceField(required=False, choices=[(name, t.label) for name, t in TYPES.items()])
    speaker = forms.SlugField(required=False, max_length=80)
    organisation = forms.SlugField(required=False, max_length=80)
    document = forms.SlugField(required=False, max_length=80)
    year = forms.IntegerField(required=False, min_value=1000, max_value=2999)
    language = forms.RegexField(required=False, regex=r"^[A-Za-z]{2,3}(-[A-Za-z0-9]{2,8})?$", max_length=12)
    speech = forms.ChoiceField(required=False, choices=Quotation.Speech.choices)
    date_from = forms.DateField(required=False, input_formats=["%Y-%m-%d"], label="From")
    date_to = forms.DateField(required=False, input_formats=["%Y-%m-%d"], label="To")
    sort = forms.ChoiceField(required=False, choices=list(SORTS.items()))
    page = forms.IntegerField(required=False)

    # URL parameter -> form field, where Python needs another name.
    PARAM_NAMES = {"from": "date_from", "to": "date_to"}
    FRIENDLY = {
        "type": gettext_lazy("There is no result type “%(value)s”; showing quotations."),
        "speaker": gettext_lazy("There is no speaker “%(value)s” in the archive, so that filter was left out."),
        "organisation": gettext_lazy(
            "There is no organisation “%(value)s” in the archive, so that filter was left out."
        ),
        "document": gettext_lazy("There is no document “%(value)s” in the archive, so that filter was left out."),
        "year": gettext_lazy("“%(value)s” is not a year, so the year filter was left out."),
        "language": gettext_lazy("There are no articles in the language “%(value)s”, so that filter was left out."),
        "speech": gettext_lazy("Speech is “direct” or “reported”, not “%(value)s”; that filter was left out."),
        "date_from": gettext_lazy("“%(value)s” is not a date written as YYYY-MM-DD, so the start date was left out."),
        "date_to": gettext_lazy("“%(value)s” is not a date written as YYYY-MM-DD, so the end date was left out."),
        "sort": gettext_lazy("Results can be sorted by relevance, newest or oldest, not “%(value)s”."),
        "page": gettext_lazy("“%(value)s” is not a page number; showing the first page."),
    }

    def __init__(self, data=None, **kwargs):
        data = data if data is not None else {}
        renamed = {}
        for key in data:
            value = data.getlist(key)[-1] if hasattr(data, "getlist") else data[key]
            renamed[self.PARAM_NAMES.get(key, key)] = value
        super().__init__(renamed, **kwargs)
        self.notices: list[str] = []

    # Filters must name something a reader can see.
    def _existing(self, name, queryset, lookup="slug"):
        value = self.cleaned_data.get(name)
        if value and not queryset.filter(**{lookup: value}).exists():
            self.add_error(name, "unknown")
            return ""
        return value

    def clean_speaker(self):
        return self._existing("speaker", Person.objects.public())

    def clean_organisation(self):
        return self._existing("organisation", Organisation.objects.public())

    def clean_document(self):
        return self._existing("document", Document.objects.public())

    def clean_language(self):
        value = (self.cleaned_data.get("language") or "").lower()
        if value and not Article.objects.published().filter(language__iexact=value).exists():
            raise forms.ValidationError("unknown")
        return value

    def params(self) -> SearchParams:
        """The search to run. Invalid values are replaced by defaults and explained in `self.notices`."""
        self.is_valid()
        data = self.cleaned_data
        notices = []
        raw_q = self.data.get("q") or ""
        notices += clean_query_text(str(raw_q))[1]
        for name in self.errors:
            value = str(self.data.get(name, ""))
            shown = value if len(value) <= 60 else value[:57] + "…"
            template = self.FRIENDLY.get(name) or _("The value of %(name)s was not understood and was left out.")
            notices.append(str(template) % {"value": shown, "name": name})

        date_from, date_to = data.get("date_from"), data.get("date_to")
        if date_from and date_to and date_from > date_to:
            date_from, date_to = date_to, date_from
            notices.append(
                _("The dates were the wrong way round, so the search runs from %(start)s to %(end)s.")
                % {"start": date_from.isoformat(), "end": date_to.isoformat()}
            )
        page = data.get("page")
        if page is not None and page < 1:
            notices.append(_("There is no page %(page)s; showing the first page.") % {"page": page})
            page = 1
        self.notices = notices
        return SearchParams(
            q=data.get("q") or "",
            type=data.get("type") or DEFAULT_TYPE,
            speaker=data.get("speaker") or "",
            organisation=data.get("organisation") or "",
            document=data.get("document") or "",
            year=data.get("year"),
            language=data.get("language") or "",
            speech=data.get("speech") or "",
            date_from=date_from,
            date_to=date_to,
            sort=data.get("sort") or "",
            page=page or 1,
        )
