"""`manage.py check_index [--repair]`: does the search index hold exactly what the database says it should?"""

from django.core.management.base import BaseCommand, CommandError

from archive.search.indexing import apply_pending_updates, find_drift, repair_drift

SHOWN = 20


class Command(BaseCommand):
    help = (
        "Compare the public records in the database with the search index: documents missing, stale (content "
        "differs) or extra. Exits with status 1 when there is drift, unless --repair fixes it."
    )

    def add_arguments(self, parser):
        parser.add_argument("--repair", action="store_true", help="Apply queued changes, then fix any drift found.")
        parser.add_argument(
            "--quick", action="store_true", help="Compare which documents exist only, not their content (faster)."
        )

    def handle(self, *args, repair, quick, **options):
        if repair:
            handled = apply_pending_updates()
            if handled:
                self.stdout.write(f"Applied {handled} queued change(s) first.")
        drift = find_drift(check_content=not quick)
        self.report(drift)
        if drift.total == 0:
            scope = f"; records with {drift.pending} queued change(s) left out" if drift.pending else ""
            self.stdout.write(
                self.style.SUCCESS(f"No drift: the index matches the database ({drift.checked} records{scope}).")
            )
            return
        if not repair:
            raise CommandError(f"{drift.total} document(s) out of step; run `manage.py check_index --repair`.")
        written, removed = repair_drift(drift)
        self.stdout.write(self.style.SUCCESS(f"Repaired: {written} document(s) written, {removed} removed."))
        after = find_drift(check_content=not quick)
        if after.total:
            self.report(after)
            raise CommandError(f"{after.total} document(s) still out of step after repair.")

    def report(self, drift):
        for name in ("missing", "stale", "extra"):
            identifiers = getattr(drift, name)
            if identifiers:
                shown = ", ".join(identifiers[:SHOWN]) + (" …" if len(identifiers) > SHOWN else "")
                self.stdout.write(f"{name}: {len(identifiers)}  {shown}")
        if drift.pending:
            self.stdout.write(
                f"{drift.pending} change(s) are queued and not applied yet (left out of the comparison); "
                "`manage.py index_worker --once` applies them."
            )
