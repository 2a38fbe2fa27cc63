from django.apps import AppConfig


class IndexCommandsConfig(AppConfig):
    name = "archive.index_commands"
    label = "archive_index_commands"
    verbose_name = "Search index commands"
