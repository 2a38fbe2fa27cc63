"""Overrides of haystack's management commands; listed before "haystack" in INSTALLED_APPS so Django picks these.

Only `update_index` (which `rebuild_index` calls after clearing): a build of everything goes through the archive
backend's one-writer fast path (ArchiveWhooshSearchBackend.build_all); anything narrower is haystack's own.
"""
