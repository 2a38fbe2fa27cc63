"""The data version that cached pages and home figures are kept by moves with every change, and only with changes."""

from django.db import connection

from archive import data_version
from archive.models import PendingIndexUpdate, Person
from archive.search.indexing import apply_pending_updates


def test_a_change_moves_the_version_and_the_index_queue_does_not(seed_archive):
    """Saving a record moves the version on; applying or emptying the index queue (its table and id counter) does
    not move it, forward or back."""
    before = data_version.current()
    person = Person.objects.public().first()
    person.name = person.name + " Jr"
    person.save()
    after_change = data_version.current()
    assert after_change != before
    apply_pending_updates()
    PendingIndexUpdate.objects.all().delete()
    table = PendingIndexUpdate._meta.db_table
    with connection.cursor() as cursor:  # the queue's id counter back to its start
        if connection.vendor == "sqlite":
            cursor.execute("DELETE FROM sqlite_sequence WHERE name = %s", [table])
        else:
            cursor.execute("SELECT setval(pg_get_serial_sequence(%s, 'id'), 1, false)", [table])
    assert data_version.current() == after_change
