"""`manage.py export_archive`: the whole archive as JSON that `import_articles` reads back."""

import json
import sys

from django.core.management.base import BaseCommand

from archive.importers import export_archive


class Command(BaseCommand):
    help = "Write every record and link of the archive as JSON (to a file, or to standard output)."

    def add_arguments(self, parser):
        parser.add_argument("--output", "-o", help="File to write (default: standard output).")

    def handle(self, *args, output=None, **options):
        text = json.dumps(export_archive(), ensure_ascii=False, indent=1)
        if output:
            with open(output, "w", encoding="utf-8") as handle:
                handle.write(text + "\n")
            self.stderr.write(f"Archive written to {output}")
        else:
            sys.stdout.write(text + "\n")
