"""`manage.py index_worker`: the single writer that applies queued search index changes (archive/search/indexing.py)."""

from django.core.management.base import BaseCommand

from archive.search.indexing import apply_pending_updates, pending_count, run_worker


class Command(BaseCommand):
    help = (
        "Apply queued search index changes: in a loop (run one per machine that holds the index), or --once. "
        "Safe to run next to the server: writers take turns on the index lock."
    )

    def add_arguments(self, parser):
        parser.add_argument("--once", action="store_true", help="Apply what is queued now, then exit.")
        parser.add_argument(
            "--interval", type=float, default=1.0, help="Seconds between looks at the queue (default 1)."
        )

    def handle(self, *args, once, interval, **options):
        if once:
            handled = apply_pending_updates()
            self.stdout.write(f"Applied {handled} queued change(s); {pending_count()} left.")
            return
        self.stdout.write(f"Applying queued search index changes every {interval:g} s (Ctrl+C to stop)…")
        try:
            run_worker(interval=interval)
        except KeyboardInterrupt:
            self.stdout.write("Stopped.")
