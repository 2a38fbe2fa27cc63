"""`update_index` (and so `rebuild_index`): haystack's command, with a build of everything going through the
archive's one full build (archive.search.indexing.build_full_index: one writer, one commit).

That path is taken when the command is asked for everything (no app labels, no --age/--minutes/--start/--end, no
--remove, no --workers, committing) of backends that implement the archive's interface (archive/search/backends/
base.py: not a server backend such as OpenSearch). Anything else is haystack's own, batch by batch.
"""

from haystack import connections as haystack_connections
from haystack.management.commands.update_index import Command as HaystackUpdateIndex

from archive.search.backends.base import SearchBackend
from archive.search.indexing import build_full_index


class Command(HaystackUpdateIndex):
    def handle(self, **options):
        backends = options.get("using") or list(haystack_connections.connections_info.keys())
        if not self.builds_everything(options, backends):
            return super().handle(**options)
        verbosity = int(options.get("verbosity", 1))
        report = self.stdout.write if verbosity >= 1 else None
        for using in backends:
            build_full_index(using, report=report)

    @staticmethod
    def builds_everything(options, backends) -> bool:
        if options.get("app_label") or options.get("remove") or options.get("workers"):
            return False
        if not options.get("commit", True):
            return False
        if any(options.get(name) is not None for name in ("age", "minutes", "start_date", "end_date")):
            return False
        return all(isinstance(haystack_connections[using].get_backend(), SearchBackend) for using in backends)
