"""`manage.py import_articles PATH...`: plain-text, JSON and saved HTML articles into the archive.

Each file is stored in its own transaction (all of it or none of it), and its index changes are applied after it
commits. Batching that index work across files (archive.search.indexing.deferred_apply) is not switched on here yet: in
a 450-file run the bigger index commits left a segment whose spelling postings Whoosh could not merge afterwards.
"""

import time

from django.core.management.base import BaseCommand, CommandError

from archive.importers import ImportFileError, ReadContext, import_batch, read_file, readable_files
from archive.models import Article


def add_reading_arguments(parser) -> None:
    """--year and --language, shared by import_articles and extract_quotes."""
    parser.add_argument(
        "--year", type=int, help="Year of dates that give none (a date line such as 'November 7'); else refused."
    )
    parser.add_argument(
        "--language",
        default="",
        help="Language of files that do not say (e.g. ru, zh, en-GB); default: detected from each text. A region "
        "decides how 08/02/2025 is read: en-US month first, en-GB day first (default: month first only for "
        "slashed dates in English).",
    )


class Progress:
    """A one-line progress bar on a command's stderr: files done, rate, time left (redrawn in place)."""

    def __init__(self, stream, total: int):
        self.stream, self.total, self.started = stream, total, time.monotonic()

    def update(self, done: int) -> None:
        elapsed = max(time.monotonic() - self.started, 1e-6)
        rate = done / elapsed
        left = (self.total - done) / rate if rate else 0
        filled = int(30 * done / self.total)
        bar = f"\r[{'#' * filled}{'.' * (30 - filled)}] {done}/{self.total} files, {rate:.1f}/s, {left:.0f} s left "
        self.stream.write(bar, style_func=str, ending="")
        self.stream.flush()

    def close(self) -> None:
        self.stream.write("", style_func=str)


class Command(BaseCommand):
    help = (
        "Import articles from files or folders: the seed's plain-text format (.txt), the archive's JSON format "
        "(.json, see docs/json-format.md) and saved HTML pages (.html). Articles already in the archive are "
        "skipped. Quotations found by extraction arrive as suggestions unless --confirm is given."
    )

    def add_arguments(self, parser):
        parser.add_argument("paths", nargs="+", help="Files, or folders to walk for .txt/.json/.html files.")
        parser.add_argument("--confirm", action="store_true", help="Confirm extracted quotations at once.")
        parser.add_argument("--dry-run", action="store_true", help="Read and check everything; store nothing.")
        parser.add_argument(
            "--status",
            choices=Article.Status.values,
            default="",
            help="Status for imported articles that do not say (default: published).",
        )
        add_reading_arguments(parser)
        parser.add_argument(
            "--progress",
            action="store_true",
            help="Show a progress bar on stderr (shown anyway when stderr is a terminal).",
        )

    def handle(self, *args, paths, confirm, dry_run, status, progress, year=None, language="", **options):
        context = ReadContext(year=year, language=language)
        files = readable_files(paths)
        if not files:
            raise CommandError("No importable files (.txt, .json, .html) found in the paths given.")
        totals: dict[str, int] = {}
        width = len(str(len(files)))
        bar = Progress(self.stderr, len(files)) if progress or self.stderr.isatty() else None
        for number, path in enumerate(files, 1):
            self.import_file(
                path, f"[{number:>{width}}/{len(files)}] {path}", totals, confirm, dry_run, status, context
            )
            if bar:
                bar.update(number)
        if bar:
            bar.close()
        summary = ", ".join(f"{count} {status}" for status, count in sorted(totals.items()))
        self.stdout.write(f"Done: {summary}." + (" Dry run: nothing was stored." if dry_run else ""))
        if not dry_run and totals.get("created"):
            from archive.dbstats import analyze_quietly

            analyze_quietly()  # planner statistics for the grown archive (SQLite only)
        if totals.get("failed"):
            raise CommandError(f"{totals['failed']} file(s) could not be imported (see above).", returncode=2)

    def import_file(self, path, prefix, totals, confirm, dry_run, status, context) -> None:
        """Import one file (all of it or none of it) and print its outcomes."""
        try:
            outcomes = import_batch(read_file(path, context), confirm=confirm, status=status, dry_run=dry_run)
        except ImportFileError as error:
            totals["failed"] = totals.get("failed", 0) + 1
            self.stderr.write(self.style.ERROR(f"{prefix}: failed: {error}"))
            return
        except Exception as error:  # a file nobody foresaw must not stop the files after it; its batch rolled back
            totals["failed"] = totals.get("failed", 0) + 1
            reason = f"{type(error).__name__}: {str(error)[:200]}"
            self.stderr.write(self.style.ERROR(f"{prefix}: failed: unexpected error ({reason})"))
            return
        for outcome in outcomes:
            totals[outcome.status] = totals.get(outcome.status, 0) + 1
            line = f"{prefix}: {outcome.status}: {outcome.title}" + (f" ({outcome.detail})" if outcome.detail else "")
            self.stdout.write(self.style.SUCCESS(line) if outcome.status != "exists" else line)
