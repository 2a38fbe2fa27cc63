"""The install path a new user follows: lock files that cover what the code needs, clear word on a missing driver."""

import os
import re
import subprocess
import sys
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def _name(requirement: str) -> str:
    return re.split(r"[\[<>=!~; ]", requirement, maxsplit=1)[0].lower().replace("_", "-")


def _locked(lock_file: str) -> set[str]:
    lines = (ROOT / "requirements" / lock_file).read_text().splitlines()
    return {_name(line) for line in lines if line and not line.startswith((" ", "#"))}


def test_lock_files_pin_every_declared_dependency():
    """A dependency added to pyproject.toml without regenerating the lock files fails here, not on a user's install."""
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    extras = project["optional-dependencies"]
    expected = {
        "run.txt": project["dependencies"],
        "postgres.txt": project["dependencies"] + extras["postgres"],
        "test.txt": project["dependencies"] + extras["postgres"] + extras["test"],
    }
    for lock_file, requirements in expected.items():
        missing = {_name(r) for r in requirements} - _locked(lock_file)
        assert not missing, f"requirements/{lock_file} lacks {sorted(missing)}: run requirements/compile.sh"
    assert "lxml-html-clean" in _locked("run.txt"), "HTML import needs lxml_html_clean, pinned directly"


def test_postgres_url_without_driver_says_what_to_install(tmp_path):
    """DATABASE_URL=postgres://... with psycopg missing stops with one sentence naming the install command."""
    hide_driver = "import sys; sys.modules['psycopg'] = None; import django; django.setup()"
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "archive.settings",
        "ARCHIVE_DATA_DIR": str(tmp_path),
        "DATABASE_URL": "postgres://u:p@127.0.0.1:1/archive",
    }
    done = subprocess.run([sys.executable, "-c", hide_driver], cwd=ROOT, env=env, capture_output=True, text=True)
    assert done.returncode != 0
    assert "Traceback" not in done.stderr
    assert done.stderr.strip().count("\n") == 0, done.stderr
    assert "requirements/postgres.txt" in done.stderr and "DATABASE_URL" in done.stderr
