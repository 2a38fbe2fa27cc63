"""Keeping the index true: the queue of index changes, the single writer, admin saves, and drift repair."""

# ruff: noqa: F811 - pytest fixtures imported from tests.search_support are redefined as arguments

import io
import shutil
import subprocess
import sys
import textwrap

import pytest
from django.core.management import CommandError, call_command
from django.db import transaction
from django.urls import reverse
from haystack import connections

from archive.models import Article, Document, Organisation, PendingIndexUpdate, Person, Quotation
from archive.search import SearchParams, search
from archive.search.backends.base import IndexLockTimeout
from archive.search.backends.whoosh.backend import ArchiveWhooshSearchBackend, index_write_lock, lock_path_for
from archive.search.indexing import apply_pending_updates, find_drift
from tests.factories import make_article, make_document, make_person, make_quotation
from tests.search_support import indexed_seed  # noqa: F401 (fixture)

pytestmark = pytest.mark.django_db


def hit_ids(**params) -> set[int]:
    return {hit.object.pk for hit in search(SearchParams(per_page=100, **params)).hits}


def seed_quotation_ids(article) -> set[int]:
    return set(article.quotations.values_list("pk", flat=True))


def test_a_change_queues_its_documents_in_the_same_transaction(indexed_seed):
    """Saving a person queues the person and their quotations; rolling the change back leaves no queue rows."""
    alimov = Person.objects.get(slug="rashid-alimov")
    with transaction.atomic():
        alimov.aliases += "\nSecretary-General Alimov"
        alimov.save()
        queued = set(PendingIndexUpdate.objects.values_list("model", "object_id"))
        assert ("archive.person", str(alimov.pk)) in queued
        assert {("archive.quotation", str(pk)) for pk in seed_quotation_ids(indexed_seed)} <= queued
        assert ("archive.article", str(indexed_seed.pk)) in queued
        transaction.set_rollback(True)
    assert not PendingIndexUpdate.objects.exists()


def test_renaming_a_person_reindexes_their_quotations(indexed_seed, django_capture_on_commit_callbacks):
    """A new name for the speaker is searchable in all their quotations at once; the old one is gone."""
    with django_capture_on_commit_callbacks(execute=True):
        alimov = Person.objects.get(slug="rashid-alimov")
        alimov.name, alimov.aliases = "Rashid Kutbiddin", ""
        alimov.save()
    assert hit_ids(q="speaker:kutbiddin") == seed_quotation_ids(indexed_seed)
    assert hit_ids(q="speaker:alimov") == set()
    assert not PendingIndexUpdate.objects.exists()


def test_a_document_renamed_or_unlinked_changes_what_its_filter_finds(indexed_seed, django_capture_on_commit_callbacks):
    """Renaming a document reaches the quotations citing it; removing a quotation's link drops it from the filter."""
    shanghai = Document.objects.get(slug="shanghai-convention")
    citing = set(shanghai.quotations.values_list("pk", flat=True))
    with django_capture_on_commit_callbacks(execute=True):
        shanghai.short_title = "Shanghai Pact"
        shanghai.save()
    assert hit_ids(q='document:"Shanghai Pact"') == citing
    quotation = shanghai.quotations.first()
    with django_capture_on_commit_callbacks(execute=True):
        quotation.documents.remove(shanghai)
    assert hit_ids(q='document:"Shanghai Pact"') == citing - {quotation.pk}
    with django_capture_on_commit_callbacks(execute=True):
        shanghai.quotations.add(quotation)  # from the other side of the link
    assert hit_ids(q='document:"Shanghai Pact"') == citing
    assert hit_ids(document="shanghai-convention") == citing


def test_a_new_person_and_organisation_are_offered_by_name(client, indexed_seed, django_capture_on_commit_callbacks):
    """People and organisations saved in code appear in the "matching" box; deleted ones disappear from it."""
    with django_capture_on_commit_callbacks(execute=True):
        body = "<p>“We act together,” said Lim Jock Hoi.</p>"
        asean = Organisation.objects.create(name="Association of Southeast Asian Nations", short_name="ASEAN")
        article = make_article("ASEAN acts", body, publisher=asean)
        make_quotation(article, make_person("Lim Jock Hoi"), "We act together,")
    html = client.get("/search/", {"q": "Lim ASEAN"}).content.decode()
    assert 'href="/speakers/lim-jock-hoi/"' in html and 'href="/organisations/association-of-southeast' in html
    with django_capture_on_commit_callbacks(execute=True):
        article.delete()
        Person.objects.get(slug="lim-jock-hoi").delete()
    assert 'href="/speakers/lim-jock-hoi/"' not in client.get("/search/", {"q": "Lim"}).content.decode()


def admin_article_form(speaker, **overrides):
    def management(prefix, total=0):
        return {
            f"{prefix}-TOTAL_FORMS": str(total),
            f"{prefix}-INITIAL_FORMS": "0",
            f"{prefix}-MIN_NUM_FORMS": "0",
            f"{prefix}-MAX_NUM_FORMS": "1000",
        }

    data = {
        "title": "OSCE chair on dialogue",
        "slug": "osce-dialogue",
        "status": Article.Status.PUBLISHED,
        "published_at_0": "2021-03-04",
        "published_at_1": "10:00:00",
        "language": "en",
        "body_html": "<p>“Dialogue is the only way forward,” the chair said.</p>",
        **management("quotations", total=1),
        "quotations-0-speaker": str(speaker.pk),
        "quotations-0-text": "Dialogue is the only way forward,",
        "quotations-0-speech": Quotation.Speech.DIRECT,
        "quotations-0-review": Quotation.Review.CONFIRMED,
        **management("document_mentions"),
    }
    data.update(overrides)
    return data


def test_admin_saves_and_deletes_are_reflected(staff_client, indexed_seed, django_capture_on_commit_callbacks):
    """An article added, unpublished and a quotation deleted through the admin show in search straight away."""
    speaker = make_person("Ann Linde")
    apply_pending_updates()
    with django_capture_on_commit_callbacks(execute=True):
        response = staff_client.post(reverse("admin:archive_article_add"), admin_article_form(speaker))
    assert response.status_code == 302
    article = Article.objects.get(slug="osce-dialogue")
    quotation = article.quotations.get()
    assert hit_ids(q="dialogue") == {quotation.pk}

    with django_capture_on_commit_callbacks(execute=True):
        response = staff_client.post(reverse("admin:archive_quotation_delete", args=[quotation.pk]), {"post": "yes"})
    assert response.status_code == 302
    assert hit_ids(q="dialogue") == set()

    sco = Organisation.objects.get(slug="sco")
    change = {
        "name": sco.name,
        "short_name": "SCOrg",
        "slug": sco.slug,
        "kind": sco.kind,
        "parent": "",
        "website": "",
        "description": "",
    }
    with django_capture_on_commit_callbacks(execute=True):
        response = staff_client.post(reverse("admin:archive_organisation_change", args=[sco.pk]), change)
    assert response.status_code == 302, response.content.decode()[:2000]
    assert hit_ids(q="organisation:SCOrg") == seed_quotation_ids(indexed_seed)
    assert not PendingIndexUpdate.objects.exists()


def test_failed_apply_keeps_the_queue_and_a_later_apply_catches_up(
    indexed_seed, django_capture_on_commit_callbacks, monkeypatch
):
    """If writing the index fails, the queued rows stay, so the next apply (or the worker) makes it right."""
    original = ArchiveWhooshSearchBackend.apply_changes

    def broken(self, *args, **kwargs):
        raise OSError("disk full")

    monkeypatch.setattr(ArchiveWhooshSearchBackend, "apply_changes", broken)
    quotation = Quotation.objects.get(text__contains="breeding ground")
    pk = quotation.pk
    with django_capture_on_commit_callbacks(execute=True):
        quotation.delete()
    assert PendingIndexUpdate.objects.filter(model="archive.quotation", object_id=str(pk)).exists()
    assert find_drift().pending > 0  # queued, so not counted as drift

    monkeypatch.setattr(ArchiveWhooshSearchBackend, "apply_changes", original)
    call_command("index_worker", "--once", stdout=io.StringIO())
    assert not PendingIndexUpdate.objects.exists()
    assert find_drift().total == 0


def test_check_index_finds_and_repairs_missing_stale_and_extra_documents(indexed_seed, capsys):
    """check_index reports each kind of drift and exits non-zero; --repair fixes it and a second check is clean."""
    call_command("check_index")  # the seed as indexed: no drift
    backend = connections["default"].get_backend()
    unified = connections["default"].get_unified_index()
    quotations = list(indexed_seed.quotations.order_by("pk"))
    # Drift made behind the queue's back: update() sends no signals, and we write the index directly.
    Quotation.objects.filter(pk=quotations[0].pk).update(text="Altered behind the index's back")
    backend.apply_changes(removals=[f"archive.quotation.{quotations[1].pk}"])
    ghost = make_document("Ghost treaty")
    backend.apply_changes(updates=[(unified.get_index(Document), [ghost])])
    PendingIndexUpdate.objects.all().delete()
    Document.objects.filter(pk=ghost.pk).delete()
    PendingIndexUpdate.objects.all().delete()

    with pytest.raises(CommandError, match="3 document"):
        call_command("check_index")
    out = capsys.readouterr().out
    assert f"missing: 1  archive.quotation.{quotations[1].pk}" in out
    assert f"stale: 1  archive.quotation.{quotations[0].pk}" in out
    assert f"extra: 1  archive.document.{ghost.pk}" in out

    call_command("check_index", "--repair")
    call_command("check_index")
    assert "No drift" in capsys.readouterr().out
    assert hit_ids(q='"behind the index"') == {quotations[0].pk}


def test_rebuild_index_and_update_index_work_as_haystack_documents(indexed_seed):
    """rebuild_index and update_index (with --remove) leave an index that check_index finds exact."""
    call_command("rebuild_index", interactive=False, verbosity=0)
    assert find_drift().total == 0
    rejected = Quotation.objects.get(text__contains="breeding ground")
    Quotation.objects.filter(pk=rejected.pk).update(review=Quotation.Review.REJECTED)  # no signals: drift
    assert find_drift().extra == [f"archive.quotation.{rejected.pk}"]
    call_command("update_index", remove=True, verbosity=0)
    assert find_drift().total == 0
    assert hit_ids(q='"breeding ground"') == set()


def test_the_write_lock_excludes_another_process(search_index):
    """While another process holds the index lock, a writer here waits and then gives up with IndexLockTimeout."""
    holder = textwrap.dedent(
        f"""
        import fcntl, sys, time
        f = open({str(lock_path_for(search_index))!r}, "a")
        fcntl.flock(f, fcntl.LOCK_EX)
        print("locked", flush=True)
        time.sleep(30)
        """
    )
    process = subprocess.Popen([sys.executable, "-c", holder], stdout=subprocess.PIPE, text=True)
    try:
        assert process.stdout.readline().strip() == "locked"
        with pytest.raises(IndexLockTimeout), index_write_lock(search_index, timeout=0.3):
            pass
    finally:
        process.kill()
        process.wait()
    with index_write_lock(search_index, timeout=5):
        pass


def test_changes_wait_in_the_queue_while_the_index_is_busy(indexed_seed, django_capture_on_commit_callbacks, settings):
    """A save while another writer holds the lock stays queued (the request is not failed) until the next apply."""
    settings.ARCHIVE_INDEX_LOCK_TIMEOUT = 0.2
    backend = connections["default"].get_backend()
    quotation = Quotation.objects.get(text__contains="breeding ground")
    holder = subprocess.Popen(
        [
            sys.executable,
            "-c",
            "import fcntl, sys, time; f = open(sys.argv[1], 'a'); fcntl.flock(f, fcntl.LOCK_EX);"
            " print('locked', flush=True); time.sleep(30)",
            str(lock_path_for(backend.path)),
        ],
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert holder.stdout.readline().strip() == "locked"
        with django_capture_on_commit_callbacks(execute=True):
            quotation.delete()
        assert PendingIndexUpdate.objects.exists()
    finally:
        holder.kill()
        holder.wait()
    assert apply_pending_updates() > 0
    assert hit_ids(q='"breeding ground"') == set()


def hold_index_lock(path):
    """Another process holding the index write lock (killed by the caller)."""
    holder = subprocess.Popen(
        [
            sys.executable,
            "-c",
            "import fcntl, sys, time; f = open(sys.argv[1], 'a'); fcntl.flock(f, fcntl.LOCK_EX);"
            " print('locked', flush=True); time.sleep(30)",
            str(lock_path_for(path)),
        ],
        stdout=subprocess.PIPE,
        text=True,
    )
    assert holder.stdout.readline().strip() == "locked"
    return holder


def test_a_save_waits_for_a_busy_index_once(indexed_seed, django_capture_on_commit_callbacks, settings, caplog):
    """A save whose transaction queued changes from several records waits for a busy index lock once, not once
    per record, then leaves its changes queued for the worker."""
    settings.ARCHIVE_INDEX_LOCK_TIMEOUT = 0.2
    holder = hold_index_lock(connections["default"].get_backend().path)
    try:
        with django_capture_on_commit_callbacks(execute=True) as hooks, transaction.atomic():
            article = make_article("Lock wait", "<p>“Waiting is over,” the chair said.</p>")
            make_quotation(article, make_person("Ann Linde"), "Waiting is over,")
        assert len(hooks) > 1  # several records queued changes in the one transaction
        busy = [r for r in caplog.records if "Search index busy" in r.getMessage()]
        assert len(busy) == 1, [r.getMessage() for r in caplog.records]
    finally:
        holder.kill()
        holder.wait()
    assert apply_pending_updates() > 0
    assert hit_ids(q="waiting") == set(article.quotations.values_list("pk", flat=True))


def test_a_save_applies_its_own_changes_not_the_whole_backlog(
    indexed_seed, django_capture_on_commit_callbacks, settings
):
    """With a backlog of other writers' changes queued, an editor's save makes its own change searchable at once
    and leaves most of the backlog to the index worker instead of applying all of it on the editor's time."""
    from archive.search.indexing import REQUEST_BATCH, record_changes

    settings.ARCHIVE_INDEX_ON_COMMIT = False  # another machine that only queues, or a worker that fell behind
    record_changes([("archive.article", n) for n in range(1, 3 * REQUEST_BATCH)])
    backlog = PendingIndexUpdate.objects.count()
    settings.ARCHIVE_INDEX_ON_COMMIT = True
    with django_capture_on_commit_callbacks(execute=True):
        article = make_article("Own change", "<p>“My own change,” the chair said.</p>")
        make_quotation(article, make_person("Ann Linde"), "My own change,")
    assert hit_ids(q="own change") == set(article.quotations.values_list("pk", flat=True))
    assert PendingIndexUpdate.objects.count() >= backlog - REQUEST_BATCH
    assert apply_pending_updates() > 0
    assert not PendingIndexUpdate.objects.exists()


def test_a_missing_index_is_rebuilt_whole_not_from_the_queue_alone(
    indexed_seed, django_capture_on_commit_callbacks, search_index
):
    """With the index folder gone, a save stays queued (no partial index appears); the worker then builds it all."""
    shutil.rmtree(search_index)
    quotation = Quotation.objects.get(text__contains="breeding ground")
    with django_capture_on_commit_callbacks(execute=True):
        quotation.text = quotation.text.replace("breeding ground", "fertile soil")
        quotation.save()
    assert not search_index.exists() and PendingIndexUpdate.objects.exists()
    call_command("index_worker", "--once", stdout=io.StringIO())
    assert find_drift().total == 0 and not PendingIndexUpdate.objects.exists()
    assert hit_ids(q='"fertile soil"') == {quotation.pk}
    assert len(hit_ids(q="alimov")) == indexed_seed.quotations.count()
