"""Security pieces Django 5.2 does not ship: the Content-Security-Policy header and the admin's lockout page.

The policy is one fixed header: the archive has no inline script, no third-party origin and no frames, so it
needs neither nonces nor per-view policies, and a twenty-line middleware is easier to read than a dependency.
The setting has the name and shape of Django 6.0's built-in one (`SECURE_CSP`, a dict of directive -> sources),
so moving to Django 6 means swapping this middleware for `django.middleware.csp.ContentSecurityPolicyMiddleware`.

The failed-login throttle itself is django-axes (see the AXES_* settings); `lockout_response` is the page it
shows when an account is paused.
"""

import math

from django.conf import settings
from django.contrib import admin
from django.template.response import TemplateResponse

CSP_HEADER = "Content-Security-Policy"


def policy_header(policy: dict[str, list[str] | tuple[str, ...] | bool]) -> str:
    """`{"default-src": ["'self'"], "upgrade-insecure-requests": True}` -> "default-src 'self'; upgrade-...".

    A directive whose value is True is written without sources; False, None or an empty list leaves it out."""
    parts = []
    for directive, sources in policy.items():
        if sources is True:
            parts.append(directive)
        elif sources:
            parts.append(f"{directive} {' '.join(sources)}")
    return "; ".join(parts)


class ContentSecurityPolicyMiddleware:
    """Adds settings.SECURE_CSP as a Content-Security-Policy header to every response that has none yet."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        policy = getattr(settings, "SECURE_CSP", None)
        if policy and CSP_HEADER not in response.headers:
            response.headers[CSP_HEADER] = policy_header(policy)
        return response


def lockout_response(request, original_response=None, credentials=None):
    """The admin page django-axes shows instead of logging in, once an account has too many failed attempts."""
    cooloff = settings.AXES_COOLOFF_TIME
    context = {
        **admin.site.each_context(request),
        "title": "Too many failed logins",
        "failure_limit": settings.AXES_FAILURE_LIMIT,
        "cooloff_minutes": math.ceil(cooloff.total_seconds() / 60) if cooloff else None,
    }
    return TemplateResponse(request, "admin/locked_out.html", context, status=settings.AXES_HTTP_RESPONSE_CODE).render()
