"""The interface's language: chosen per request, remembered in a cookie, never part of the address.

Django's LocaleMiddleware picks the language from the `django_language` cookie (set by the switcher, Django's
set_language view) or else the browser's Accept-Language, so every address works unchanged in every language.
`?lang=ru` on any page shows it in that language without changing the remembered choice: the addresses that the
`hreflang` alternates in each page's <head> point to. Machine-readable answers (the API, feeds, sitemap, robots.txt)
keep the default language whatever the reader chose, so that one URL always gives the same document.
"""

from urllib.parse import urlencode

from django.conf import settings
from django.middleware.locale import LocaleMiddleware
from django.utils import translation

from archive.languages import interface_languages

LANGUAGE_PARAMETER = "lang"
UNTRANSLATED_PREFIXES = ("/api/", "/feeds/", "/sitemap.xml", "/robots.txt")


def asked_language(request) -> str | None:
    """The interface language `?lang=` names (any variant Django maps to one we offer), or None."""
    asked = request.GET.get(LANGUAGE_PARAMETER)
    if not asked:
        return None
    try:
        return translation.get_supported_language_variant(asked.strip().lower()[:20])
    except LookupError:
        return None


class InterfaceLanguageMiddleware(LocaleMiddleware):
    """LocaleMiddleware (cookie, then Accept-Language), with `?lang=` on top and fixed English for machines."""

    def process_request(self, request):
        if request.path_info.startswith(UNTRANSLATED_PREFIXES):
            translation.activate(settings.LANGUAGE_CODE)
            request.LANGUAGE_CODE = translation.get_language()
            return
        super().process_request(request)
        language = asked_language(request)
        if language:
            translation.activate(language)
            request.LANGUAGE_CODE = language


def url_in_language(request, code: str) -> str:
    """This page's absolute address shown in `code` (`?lang=code` added; "" for the address without it)."""
    query = [(k, v) for k, values in request.GET.lists() if k != LANGUAGE_PARAMETER for v in values]
    if code:
        query.append((LANGUAGE_PARAMETER, code))
    return request.build_absolute_uri(request.path + (f"?{urlencode(query)}" if query else ""))


def path_without_language(request) -> str:
    """Where the switcher returns to: this page, without a `?lang=` that would override the new choice."""
    query = [(k, v) for k, values in request.GET.lists() if k != LANGUAGE_PARAMETER for v in values]
    return request.path + (f"?{urlencode(query)}" if query else "")


def languages(request) -> dict:
    """Template context: the interface languages (code, name in its own script) for the switcher and hreflang."""
    return {"interface_languages": interface_languages()}
