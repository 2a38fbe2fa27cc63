"""The archive's idea of "now", in one place, so that tests can move it.

Embargoes (articles dated in the future) compare against it: archive.models.published_condition and the index
queue's scheduled rows (archive.search.indexing). Tests replace `now` (monkeypatch) to let an embargo pass without
waiting.
"""

from django.utils import timezone


def now():
    return timezone.now()
