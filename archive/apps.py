from django.apps import AppConfig
from django.db.models.signals import post_migrate


class ArchiveConfig(AppConfig):
    name = "archive"
    verbose_name = "Policy statement archive"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from archive.roles import ensure_roles_after_migrate

        post_migrate.connect(ensure_roles_after_migrate, sender=self, dispatch_uid="archive.roles")

        from django.core import checks

        from archive.search.backends import check_backend_starts
        from archive.search.indexing import connect_signals

        checks.register(check_backend_starts, "search")

        connect_signals()  # every change to an indexed record queues its search documents (archive/search/indexing.py)

        from archive import derived, suggestions

        derived.connect_signals()  # quotations' roles follow the speakers' roles (archive/derived.py)
        suggestions.connect_signals()  # deleting a draft discards what its extraction proposed
