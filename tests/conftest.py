"""Shared fixtures: a real database per test (pytest-django), a real Whoosh index in a temporary folder per
test, the seed archive, and users of each kind."""

from pathlib import Path

import pytest
from django.core.management import call_command
from haystack import connections

SEED_FIXTURE = Path(__file__).resolve().parent.parent / "fixtures" / "seed_archive.json"
SEED_TEXT = Path(__file__).resolve().parent.parent / "fixtures" / "seeds" / "000_30bc9b6824f9c85d.txt"


@pytest.fixture(autouse=True)
def search_index(tmp_path, settings):
    """Every test gets its own empty Whoosh index on disk, so no test sees another's documents."""
    index_dir = tmp_path / "whoosh_index"
    settings.HAYSTACK_CONNECTIONS = {"default": {**settings.HAYSTACK_CONNECTIONS["default"], "PATH": str(index_dir)}}
    connections.connections_info = settings.HAYSTACK_CONNECTIONS
    connections.reload("default")
    yield index_dir
    connections.reload("default")


@pytest.fixture
def seed_archive(db):
    """The founding SCO article, fully modelled, as `manage.py serve` loads it into an empty archive."""
    call_command("loaddata", str(SEED_FIXTURE), verbosity=0)
    from archive.models import Article

    return Article.objects.get()


@pytest.fixture
def staff_user(django_user_model):
    return django_user_model.objects.create_superuser("editor", "editor@example.org", "a-long-passphrase")


@pytest.fixture
def staff_client(client, staff_user):
    client.force_login(staff_user)
    return client


@pytest.fixture(autouse=True)
def archive_figures_cache(monkeypatch):
    """The home page's figures are cached per data version; a rolled-back test can reuse a version number. Their
    recompute after a change runs at once, in the test's own transaction, instead of in a background thread."""
    from archive import figures

    monkeypatch.setattr(figures, "run_in_background", lambda refresh: refresh())
    figures.clear()
    yield
    figures.clear()


@pytest.fixture(autouse=True)
def archive_page_cache():
    """Rendered pages are cached per data version too (archive.page_cache), for the same reason."""
    from archive import page_cache

    page_cache.clear()
    yield
    page_cache.clear()
