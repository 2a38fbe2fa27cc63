"""Template helpers for the browsing pages."""

import re

from django import template
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import ngettext

from archive import i18n, languages

register = template.Library()


@register.simple_tag
def search_url() -> str:
    """The search page's address."""
    return reverse("archive:search")


@register.simple_tag(takes_context=True)
def absolute(context, path: str) -> str:
    """`path` as an absolute URL on the host the page was asked for."""
    request = context.get("request")
    return request.build_absolute_uri(path) if request is not None else path


# "1 quotation", "3 quotations" in the interface's language (Russian has three plural forms, Chinese one).
COUNTED = {
    "article": lambda n: ngettext("%(count)s article", "%(count)s articles", n),
    "quotation": lambda n: ngettext("%(count)s quotation", "%(count)s quotations", n),
    "speaker": lambda n: ngettext("%(count)s speaker", "%(count)s speakers", n),
    "organisation": lambda n: ngettext("%(count)s organisation", "%(count)s organisations", n),
    "document": lambda n: ngettext("%(count)s document", "%(count)s documents", n),
    "statement": lambda n: ngettext("%(count)s statement", "%(count)s statements", n),
}


@register.filter
def pluralise(count: int, words: str) -> str:
    """{{ n|pluralise:"quotation" }} -> "1 quotation", "3 quotations" (translated for the nouns in COUNTED);
    other words as "word,words"."""
    if words in COUNTED:
        return COUNTED[words](count) % {"count": count}
    singular, _, plural = words.partition(",")
    return f"{count} {singular if count == 1 else (plural or singular + 's')}"


@register.filter
def native_language(code: str) -> str:
    """{{ article.language|native_language }} -> "Русский", "中文", "العربية"."""
    return languages.native_name(code)


@register.filter
def html_lang(code: str) -> str:
    """{{ LANGUAGE_CODE|html_lang }} -> "zh-Hans": a language code as HTML's lang and hreflang write it."""
    return languages.html_lang(code)


@register.filter
def quoted(text, code: str):
    """{{ quotation.text|quoted:article.language }} -> «…» in Russian, “…” in English and Chinese, „…“ in German."""
    opening, closing = languages.quotation_marks(code)
    return format_html("{}{}{}", opening, text, closing)


SAFE_LANG = re.compile(r"^[A-Za-z]{2,3}(-[A-Za-z0-9]{1,8})*$")


@register.simple_tag
def lang_attrs(code: str):
    """` lang="ru"`, or ` lang="ar" dir="rtl"` for a language written right to left: put inside the opening tag of
    an element holding text in a record's language, so screen readers, fonts and line breaking follow it."""
    value = languages.html_lang(code)
    if not SAFE_LANG.match(value):
        return ""
    if languages.is_right_to_left(value):
        return format_html(' lang="{}" dir="rtl"', value)
    return format_html(' lang="{}"', value)


@register.simple_tag(takes_context=True)
def url_in_language(context, code: str = "") -> str:
    """This page's address in another interface language (for hreflang alternates); "" for the plain address."""
    request = context.get("request")
    return i18n.url_in_language(request, code) if request is not None else ""


@register.simple_tag(takes_context=True)
def path_without_language(context) -> str:
    """This page's path and query without `?lang=`: where the language switcher returns to."""
    request = context.get("request")
    return i18n.path_without_language(request) if request is not None else "/"
