"""`manage.py check_index [--repair]`: does the search index hold exactly what the database says it should, and do
the fields derived from other records (a quotation's role, archive/derived.py) follow their sources?"""

from django.core.management.base import BaseCommand, CommandError

from archive.derived import refresh_quotation_roles
from archive.models import Quotation
from archive.search.indexing import apply_pending_updates, find_drift, repair_drift, schedule_embargoes

SHOWN = 20


class Command(BaseCommand):
    help = (
        "Compare the public records in the database with the search index: documents missing, stale (content "
        "differs) or extra, and quotations whose role does not follow from their speaker's roles on their date. "
        "Exits with status 1 when there is drift, unless --repair fixes it."
    )

    def add_arguments(self, parser):
        parser.add_argument("--repair", action="store_true", help="Apply queued changes, then fix any drift found.")
        parser.add_argument(
            "--quick", action="store_true", help="Compare which documents exist only, not their content (faster)."
        )

    def handle(self, *args, repair, quick, **options):
        stale_roles = self.check_derived(repair)
        if repair:
            schedule_embargoes()
            handled = apply_pending_updates()
            if handled:
                self.stdout.write(f"Applied {handled} queued change(s) first.")
        drift = find_drift(check_content=not quick)
        self.report(drift)
        if stale_roles and not repair:
            raise CommandError(
                f"{stale_roles} quotation role(s) out of step with the speakers' roles"
                + (f" and {drift.total} document(s) out of step" if drift.total else "")
                + "; run `manage.py check_index --repair`."
            )
        if drift.total == 0:
            scope = f"; records with {drift.pending} queued change(s) left out" if drift.pending else ""
            self.stdout.write(
                self.style.SUCCESS(f"No drift: the index matches the database ({drift.checked} records{scope}).")
            )
            return
        if not repair:
            if drift.total == len(drift.unindexable):
                raise CommandError(f"{drift.total} record(s) cannot be indexed until their data is corrected.")
            raise CommandError(f"{drift.total} document(s) out of step; run `manage.py check_index --repair`.")
        written, removed = repair_drift(drift)
        self.stdout.write(self.style.SUCCESS(f"Repaired: {written} document(s) written, {removed} removed."))
        after = find_drift(check_content=not quick)
        if after.total:
            self.report(after)
            if after.total == len(after.unindexable):
                raise CommandError(f"{after.total} record(s) cannot be indexed until their data is corrected.")
            raise CommandError(f"{after.total} document(s) still out of step after repair.")

    def check_derived(self, repair: bool) -> int:
        """Report (and with repair, derive again) quotation roles that do not follow from the roles on record."""
        stale = list(Quotation.objects.with_stale_role().order_by("pk").values_list("pk", flat=True))
        if stale:
            shown = ", ".join(map(str, stale[:SHOWN])) + (" …" if len(stale) > SHOWN else "")
            self.stdout.write(f"quotation roles out of step with the speakers' roles: {len(stale)}  {shown}")
        if stale and repair:
            fixed = refresh_quotation_roles(Quotation.objects.filter(pk__in=stale))
            self.stdout.write(self.style.SUCCESS(f"Derived the role of {fixed} quotation(s) again."))
        return len(stale)

    def report(self, drift):
        for name in ("missing", "stale", "extra"):
            identifiers = getattr(drift, name)
            if identifiers:
                shown = ", ".join(identifiers[:SHOWN]) + (" …" if len(identifiers) > SHOWN else "")
                self.stdout.write(f"{name}: {len(identifiers)}  {shown}")
        for entry in drift.unindexable[:SHOWN]:
            self.stdout.write(f"cannot be indexed (correct the record in the admin): {entry}")
        if drift.pending:
            self.stdout.write(
                f"{drift.pending} change(s) are queued and not applied yet (left out of the comparison); "
                "`manage.py index_worker --once` applies them."
            )
