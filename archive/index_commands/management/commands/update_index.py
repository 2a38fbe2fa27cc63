"""`update_index` (and so `rebuild_index`): haystack's command, with a fast path for a build of everything.

haystack writes batch by batch, one Whoosh commit each, and every commit merges segments again (83 quotations/s at
5,000 articles). When the command is asked for everything (no app labels, no --age/--minutes/--start/--end, no
--remove, no --workers, committing) and the backend has `build_all`, every indexed model's public records are read
in chunks (`.iterator()` with the index's own select_related/prefetch_related per chunk) and written with one
writer and one commit. Afterwards SQLite gets fresh planner statistics (archive.dbstats).
"""

import os

from django.conf import settings
from django.db.models.query import QuerySet
from haystack import connections as haystack_connections
from haystack.management.commands.update_index import Command as HaystackUpdateIndex

from archive.dbstats import analyze_quietly
from archive.indexing import schedule_embargoes

CHUNK_SIZE = 1000
# From this many documents a full build uses Whoosh's multi-process writer: two writing processes while this one
# prepares documents. At 20,000 articles (126,827 documents) on 2 idle cores: 129 s and 250 CPU s instead of ~285 s
# (811 instead of ~366 quotations/s), the process tree at ~1.4 GB instead of ~1.0 GB, and an index of 2 segments. On
# small builds the processes cost more than they save, so tests and fresh archives stay single-process.
PARALLEL_BUILD_FROM = 20_000


def build_procs(documents: int) -> int:
    """Writing processes for a full build of `documents` (settings.ARCHIVE_BUILD_PROCS when set)."""
    if settings.ARCHIVE_BUILD_PROCS:
        return max(1, settings.ARCHIVE_BUILD_PROCS)
    return 2 if documents >= PARALLEL_BUILD_FROM and (os.cpu_count() or 1) >= 2 else 1


class Command(HaystackUpdateIndex):
    def handle(self, **options):
        backends = options.get("using") or list(haystack_connections.connections_info.keys())
        if not self.builds_everything(options, backends):
            return super().handle(**options)
        verbosity = int(options.get("verbosity", 1))
        for using in backends:
            backend = haystack_connections[using].get_backend()
            unified = haystack_connections[using].get_unified_index()
            sources, documents = [], 0
            for model in unified.get_indexed_models():
                index = unified.get_index(model)
                queryset = index.index_queryset(using=using)
                count = queryset.count()
                documents += count
                if verbosity >= 1:
                    self.stdout.write(f"Indexing {count} {model._meta.verbose_name_plural}")
                sources.append((index, chunked(queryset)))
            procs = build_procs(documents)
            written = backend.build_all(sources, procs=procs)
            if verbosity >= 1:
                self.stdout.write(f"Wrote {written} documents in one commit ({procs} writing processes)")
        schedule_embargoes()  # embargoed articles enter the index when their time comes (archive/indexing.py)
        analyze_quietly()

    @staticmethod
    def builds_everything(options, backends) -> bool:
        if options.get("app_label") or options.get("remove") or options.get("workers"):
            return False
        if not options.get("commit", True):
            return False
        if any(options.get(name) is not None for name in ("age", "minutes", "start_date", "end_date")):
            return False
        return all(hasattr(haystack_connections[using].get_backend(), "build_all") for using in backends)


def chunked(queryset: QuerySet):
    """The queryset's objects in primary key order, CHUNK_SIZE rows (and their prefetches) at a time."""
    return queryset.order_by("pk").iterator(chunk_size=CHUNK_SIZE)
