"""Rendered browse pages, kept whole until the data changes.

On a large archive a speaker, organisation or document page spends most of its time building model objects and
rendering templates, not in SQL, and renders the same HTML again for every reader although nothing has changed.
`cache_page_until_change` keeps the rendered page in Django's cache (settings.CACHES, "default") and hands it to
the next anonymous reader for the price of one query.

The key is the interface language and the page's absolute URL (scheme, host, path and query string: the article
page writes its own host into its canonical link), and the cache *version* is the archive's data version
(archive/data_version.py), which moves with every committed change to any archive record. One edit thus makes every
cached page stale at once; there is no per-page invalidation to get wrong, and pages of older versions are never
read again (they age out, or the least recently used go first when the cache is full). The version is read before
the page is rendered, so a page stored under a version never shows older data than it.
MAX_AGE bounds how long a change made behind the ORM's back (raw SQL, bulk updates without signals) goes unseen.
(On PostgreSQL the version moves when the change is made, not when it commits: a page rendered in between is kept
under the new version with the old data, until the next change or MAX_AGE. SQLite has no such window.)

Only what is the same for every reader is kept and served:
- anonymous GET and HEAD requests; a logged-in user (staff may one day see more) always gets a freshly rendered
  page and never stores one;
- responses with status 200 that set no cookie, used no CSRF token and vary on nothing the key leaves out: a
  404 for a mistyped slug, or any other error, is rendered every time, as before;
- pages not marked by keep_out_of_cache: the home page while it shows figures of an earlier version
  (archive.figures.cached_or_refreshing), which would otherwise be kept as the page of the new one.
The views decorated are the browse pages only; the admin, search, API and feeds are not. The
Content-Security-Policy is one fixed header without nonces (archive/security.py); it, like the other security
headers and `Vary: Cookie`, is added by the middleware on the way out, to cached pages as to fresh ones.

Django's own cache_page is not used: it can only expire pages by time, so it would either serve stale pages or
keep them too briefly to help.
"""

import functools
import hashlib

from django.core.cache import caches
from django.http import HttpResponse
from django.utils import translation

from archive.data_version import current as data_version
from archive.figures import MAX_AGE

CACHE_ALIAS = "default"
KEY_PREFIX = "archive.page"


def page_key(request) -> str:
    # Hashed: memcached refuses keys longer than 250 characters, and a query string can be any length. The
    # interface language (archive/i18n.py: a cookie or Accept-Language, not in the URL) is part of the key.
    url = f"{translation.get_language()} {request.build_absolute_uri()}"
    return f"{KEY_PREFIX}:{hashlib.sha256(url.encode()).hexdigest()}"


def is_cacheable_request(request) -> bool:
    user = getattr(request, "user", None)
    return request.method in ("GET", "HEAD") and not (user is not None and user.is_authenticated)


def is_cacheable_response(request, response) -> bool:
    return (
        response.status_code == 200
        and not response.streaming
        and not response.cookies
        and not response.has_header("Vary")
        and not request.META.get("CSRF_COOKIE_NEEDS_UPDATE")
        and not getattr(response, "keep_out_of_page_cache", False)
    )


def keep_out_of_cache(response):
    """Mark a response as not to be stored (it shows data older than the version it would be stored under)."""
    response.keep_out_of_page_cache = True
    return response


def cache_page_until_change(view):
    """Serve anonymous readers this view's page from the cache while the archive's data is unchanged."""

    @functools.wraps(view)
    def cached_view(request, *args, **kwargs):
        if not is_cacheable_request(request):
            return view(request, *args, **kwargs)
        version = data_version()
        if version is None:  # a database whose version cannot be read cheaply: no caching
            return view(request, *args, **kwargs)
        cache = caches[CACHE_ALIAS]
        key = page_key(request)
        stored = cache.get(key, version=version)
        if stored is not None:
            content, status, headers = stored
            return HttpResponse(content, status=status, headers=headers)
        response = view(request, *args, **kwargs)
        if is_cacheable_response(request, response):
            stored = (response.content, response.status_code, dict(response.headers))
            cache.set(key, stored, timeout=MAX_AGE, version=version)
        return response

    return cached_view


def clear() -> None:
    """Forget every cached page (the benchmark's "after a change"; tests)."""
    caches[CACHE_ALIAS].clear()
