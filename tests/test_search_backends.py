"""The backend interface: both engines implement it, Whoosh's patches are installed only where Whoosh is the
configured engine and only on the Whoosh version they were written for."""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
import whoosh
from django.core.management import call_command
from django.core.management.base import SystemCheckError
from haystack import connections

from archive.search.backends.base import SearchBackend
from archive.search.backends.postgres import PostgresSearchBackend
from archive.search.backends.whoosh import patches

REPO_ROOT = Path(__file__).resolve().parent.parent


def run_probe(tmp_path, search_url: str, code: str) -> dict:
    """Run `code` in a fresh Django process configured with `search_url`; it prints one JSON line."""
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "archive.settings",
        "ARCHIVE_DATA_DIR": str(tmp_path / "data"),
        "SEARCH_URL": search_url,
    }
    env.pop("DATABASE_URL", None)
    script = "import json, sys\nimport django\ndjango.setup()\nimport archive.urls  # every view, the API, the feeds\n"
    done = subprocess.run(
        [sys.executable, "-c", script + code], env=env, cwd=REPO_ROOT, capture_output=True, text=True, timeout=120
    )
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout.strip().splitlines()[-1])


@pytest.mark.slow
def test_a_process_configured_for_postgresql_never_imports_whoosh(tmp_path):
    """With SEARCH_URL=postgres://..., the whole site and its backend load without Whoosh in sys.modules."""
    code = (
        "from haystack import connections\n"
        "from archive.search import parse_query\n"
        "backend = connections['default'].get_backend()\n"
        "parse_query('extremist* \"breeding ground\" speaker:alimov')\n"
        "print(json.dumps({'backend': type(backend).__name__, 'whoosh': sorted(m for m in sys.modules "
        "if m == 'whoosh' or m.startswith('whoosh.'))}))\n"
    )
    found = run_probe(tmp_path, "postgres://archive:secret@127.0.0.1:5432/archive_search", code)
    assert found == {"backend": "PostgresSearchBackend", "whoosh": []}


@pytest.mark.slow
def test_whoosh_is_patched_only_once_its_backend_is_created(tmp_path):
    """Importing the site leaves Whoosh as it ships; creating the configured Whoosh backend installs the patches."""
    code = (
        "from whoosh.writing import SegmentWriter\n"
        "before = SegmentWriter._flush_segment.__module__\n"
        "from haystack import connections\n"
        "connections['default'].get_backend()\n"
        "print(json.dumps([before, SegmentWriter._flush_segment.__module__]))\n"
    )
    found = run_probe(tmp_path, f"whoosh://{tmp_path / 'index'}", code)
    assert found == ["whoosh.writing", "archive.search.backends.whoosh.patches"]


def test_another_whoosh_version_stops_the_backend_with_one_line(monkeypatch):
    """On a Whoosh other than 2.7.4 the backend refuses to start, and `manage.py check` says why in one line."""
    monkeypatch.setattr(whoosh, "__version__", (2, 7, 5))
    monkeypatch.setattr(patches, "_installed", False)
    connections.reload("default")
    with pytest.raises(patches.WhooshVersionError) as refused:
        connections["default"].get_backend()
    reason = str(refused.value)
    assert "\n" not in reason and "2.7.4" in reason and "2.7.5" in reason
    with pytest.raises(SystemCheckError, match=r"archive\.E001.*Whoosh 2\.7\.4"):
        call_command("check")


def test_both_backends_implement_the_declared_interface():
    """The Whoosh and PostgreSQL backends have every method the site calls (backends/base.py)."""
    whoosh_backend = connections["default"].get_backend()
    postgres_backend = PostgresSearchBackend("default", DATABASE="default", TABLE="archive_search_document")
    assert isinstance(whoosh_backend, SearchBackend)
    assert isinstance(postgres_backend, SearchBackend)
