"""`manage.py extract_quotes FILE... [--json]`: exactly what extraction finds in each file; nothing is stored.

With --json, one JSON object per article is printed on its own line (JSON Lines), so a single file gives a single
JSON document: {"file", "title", "published", "published_precision", "language", "warnings", "quotations":
[{"text", "start", "end", "direct", "speaker", "attribution", "documents"}], "speakers": [...], "organisations":
[...], "documents": [...]}, where the offsets point into the article's body text (paragraphs joined by a blank line).
Extraction needs no date: a date that cannot be read (or has no year) leaves "published" null and is said in
"warnings"; "speaker" is null for a quotation whose speaker extraction could not tell.
"""

import json
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from archive.extraction import extract
from archive.importers import ImportFileError, ReadContext, read_file
from archive.management.commands.import_articles import add_reading_arguments
from archive.sanitize import html_to_text
from archive.suggestions import known_documents, known_people


class Command(BaseCommand):
    help = "Print the quotations, speakers, organisations and documents extraction finds in each file."

    def add_arguments(self, parser):
        parser.add_argument("files", nargs="+")
        parser.add_argument("--json", action="store_true", dest="as_json", help="JSON Lines: one object per article.")
        parser.add_argument(
            "--use-archive", action="store_true", help="Match against the people and documents already stored."
        )
        add_reading_arguments(parser)

    def handle(self, *args, files, as_json=False, use_archive=False, year=None, language="", **options):
        context = ReadContext(year=year, language=language, require_date=False)
        people = known_people() if use_archive else []
        documents = known_documents() if use_archive else []
        failures = 0
        for name in files:
            try:
                batch = read_file(Path(name), context)
            except ImportFileError as error:
                failures += 1
                self.stderr.write(self.style.ERROR(f"{name}: {error}"))
                continue
            for record in batch.articles:
                result = extract(
                    html_to_text(record.body_html),
                    known_people=people,
                    known_documents=documents,
                    publisher=record.publisher,
                    title=record.title,
                    language=record.language,
                )
                report = {
                    "file": name,
                    "title": record.title,
                    "published": record.published_at.isoformat() if record.published_at else None,
                    "published_precision": record.published_precision if record.published_at else None,
                    "language": record.language,
                    "warnings": record.warnings,
                    **result.to_dict(),
                }
                self.stdout.write(json.dumps(report, ensure_ascii=False) if as_json else self.describe(report))
        if failures:
            raise CommandError(f"{failures} file(s) could not be read.", returncode=2)

    def describe(self, report: dict) -> str:
        when = report["published"][:10] if report["published"] else "date unknown"
        lines = [f"{report['file']}: {report['title']} ({when}, {report['language']})"]
        lines += [f"  warning: {warning}" for warning in report["warnings"]]
        for quotation in report["quotations"]:
            kind = "direct" if quotation["direct"] else "reported"
            who = quotation["speaker"] or "unattributed"
            lines.append(f"  [{quotation['start']}-{quotation['end']}] {kind}, {who}: {quotation['text'][:100]}")
        for document in report["documents"]:
            lines.append(f"  document: {document['name']} ({document['kind']}, {document['year'] or 'year unknown'})")
        return "\n".join(lines)
