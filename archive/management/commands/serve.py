"""`manage.py serve`: everything a new user needs, in one command.

Migrates, loads the seed archive into an empty database, builds the search index when it is missing, and
serves the archive with waitress (a production-grade WSGI server) and WhiteNoise for static files.
Running it again keeps everything stored: the seed is loaded only into an empty archive.

`--workers N` (N > 1) serves with gunicorn instead: N worker processes (each with `--threads` threads), plus one
`manage.py index_worker` process beside them as the safety net that applies index changes left queued. Every
worker applies its own changes right after they commit; the index lock (archive/search/indexing.py) makes them
take turns.
"""

import os
import subprocess
import sys
from pathlib import Path

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand

from archive.models import Article, Document, Organisation, Person

SEED_FIXTURE = Path(settings.BASE_DIR) / "fixtures" / "seed_archive.json"


def archive_is_empty() -> bool:
    return not any(model.objects.exists() for model in (Article, Organisation, Person, Document))


class Command(BaseCommand):
    help = "Migrate, load the seed archive if empty, build the search index if missing, and serve."

    def add_arguments(self, parser):
        parser.add_argument("--host", default="127.0.0.1", help="Address to listen on (default 127.0.0.1).")
        parser.add_argument("--port", type=int, default=8000, help="Port to listen on (default 8000).")
        parser.add_argument("--threads", type=int, default=8, help="Worker threads (default 8; per process).")
        parser.add_argument(
            "--workers",
            type=int,
            default=1,
            help="Worker processes (default 1: waitress). More than 1 serves with gunicorn, Linux/Unix only.",
        )
        parser.add_argument(
            "--prepare-only", action="store_true", help="Do the set-up steps, then exit without serving."
        )

    def handle(self, *args, host, port, threads, workers, prepare_only, **options):
        self.stdout.write("Migrating the database…")
        call_command("migrate", interactive=False, verbosity=0)
        if archive_is_empty():
            self.stdout.write("Empty archive: loading the seed archive…")
            call_command("loaddata", str(SEED_FIXTURE), verbosity=0)
        from archive.dbstats import analyze_quietly

        analyze_quietly()  # SQLite planner statistics (sqlite_stat1); nothing on PostgreSQL
        self.ensure_search_index()
        if prepare_only:
            self.stdout.write(self.style.SUCCESS("The archive is ready."))
            return
        if workers > 1:
            self.serve_with_gunicorn(host, port, threads, workers)
        else:
            self.serve(host, port, threads)

    def ensure_search_index(self):
        from archive.search.indexing import index_is_missing

        if index_is_missing():
            self.stdout.write("No search index yet: building it…")
            call_command("rebuild_index", interactive=False, verbosity=0)

    def serve(self, host, port, threads):
        from waitress import serve

        from archive.search import start_warm_up_thread
        from archive.search.indexing import start_worker_thread
        from archive.wsgi import application

        # Requests apply their own index changes after commit; this thread picks up anything left queued.
        start_worker_thread()
        start_warm_up_thread()
        shown_host = f"[{host}]" if ":" in host else host
        self.stdout.write(self.style.SUCCESS(f"The archive is at http://{shown_host}:{port}/  (Ctrl+C to stop)"))
        self.stdout.write("To use the admin at /admin/, first create an account: python manage.py createsuperuser")
        # Behind a TLS proxy, waitress passes on its X-Forwarded-Proto (Django's https check) and
        # X-Forwarded-For (the client's address, which the failed-login throttle counts by).
        proxy = {}
        if settings.ARCHIVE_HTTPS and settings.ARCHIVE_TRUSTED_PROXY:
            proxy = {
                "trusted_proxy": settings.ARCHIVE_TRUSTED_PROXY,
                "trusted_proxy_headers": {"x-forwarded-proto", "x-forwarded-for"},
            }
        serve(application, host=host, port=port, threads=threads, ident="archive", **proxy)

    def serve_with_gunicorn(self, host, port, threads, workers):
        from archive.gunicorn_app import ArchiveGunicorn

        shown_host = f"[{host}]" if ":" in host else host
        # One index worker process for the whole server: the safety net for changes a request left queued.
        index_worker = subprocess.Popen(
            [sys.executable, "-m", "django", "index_worker", "--interval", "2"],
            cwd=settings.BASE_DIR,
            env={**os.environ, "DJANGO_SETTINGS_MODULE": os.environ.get("DJANGO_SETTINGS_MODULE", "archive.settings")},
        )
        self.stdout.write(
            self.style.SUCCESS(
                f"The archive is at http://{shown_host}:{port}/  ({workers} gunicorn workers x {threads} threads; "
                "Ctrl+C to stop)"
            )
        )
        self.stdout.write("To use the admin at /admin/, first create an account: python manage.py createsuperuser")
        self.stdout.flush()
        try:
            ArchiveGunicorn(bind=f"{shown_host}:{port}", workers=workers, threads=threads).run()
        finally:
            index_worker.terminate()
            try:
                index_worker.wait(timeout=10)
            except subprocess.TimeoutExpired:
                index_worker.kill()
