"""Search engines behind the archive's search: one module or package per engine, each implementing the interface
the rest of the archive calls (base.py). SEARCH_URL chooses one (archive/settings/search_url.py); nothing outside
this folder imports an engine's module, so a process configured for PostgreSQL never loads Whoosh.
"""

from django.core import checks


def check_backend_starts(app_configs=None, **kwargs) -> list:
    """A system check (manage.py check, serve, migrate...): the configured backend can be created, or the one-line
    reason it refuses to start (e.g. a Whoosh version its patches were not written for)."""
    from haystack import connections

    from archive.search.backends.base import BackendCannotStart

    try:
        connections["default"].get_backend()
    except BackendCannotStart as error:
        return [checks.Error(str(error), id="archive.E001")]
    return []
