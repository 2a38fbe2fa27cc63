"""Template helpers for the browsing pages."""

from django import template
from django.urls import reverse

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


@register.filter
def pluralise(count: int, words: str) -> str:
    """{{ n|pluralise:"quotation,quotations" }} -> "1 quotation", "3 quotations"."""
    singular, _, plural = words.partition(",")
    return f"{count} {singular if count == 1 else (plural or singular + 's')}"
