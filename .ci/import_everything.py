"""Imports every module of the archive (and so every third-party package it uses) and runs Django's checks.

Used by .ci/newest-versions against the newest versions pyproject.toml's ranges allow: prints what breaks, one line
per module, and exits 1 if anything did (the caller reports it without failing CI).
"""

import importlib
import os
import pkgutil
import sys
import tempfile
import traceback

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "archive.settings")
os.environ.setdefault("ARCHIVE_DATA_DIR", tempfile.mkdtemp(prefix="archive-import-check-"))


def main() -> int:
    import django
    from django.core.management import call_command

    django.setup()
    import archive

    failures = []
    names = sorted(info.name for info in pkgutil.walk_packages(archive.__path__, "archive."))
    for name in names:
        try:
            importlib.import_module(name)
        except Exception as error:  # report every kind of breakage, go on with the rest
            failures.append(name)
            print(f"BROKEN import {name}: {type(error).__name__}: {error}")
            traceback.print_exc(limit=-3)
    try:
        call_command("check", verbosity=0)
    except Exception as error:
        failures.append("manage.py check")
        print(f"BROKEN manage.py check: {type(error).__name__}: {error}")
    print(f"{len(names)} modules imported, {len(failures)} broken")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
