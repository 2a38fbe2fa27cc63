"""Keeping the search index in step with the database, without ever losing an update.

How it works:

1. Signal handlers (connected in ArchiveConfig.ready) turn every save, delete and many-to-many change of an
   article, quotation, person, role, organisation, document, quotation-document link, document mention or
   relation between documents into PendingIndexUpdate rows naming each search document that may have changed
   (renaming a person names their quotations and the articles quoting them, too). The rows are written in the
   same database transaction as the change: if the change commits, so does the note; if it rolls back, neither
   exists.
2. A single writer applies them: `apply_pending_updates()` takes the index write lock (an exclusive flock next to
   the index, so one writer at a time across threads and processes), reads a batch of rows, re-reads each named
   record's current state from the database, writes or removes its document in one Whoosh commit, and only then
   deletes the rows it read. A crash in between leaves the rows to be applied again; applying a row twice, late or
   out of order is harmless, because the record's state is read at apply time.
3. Right after a transaction that wrote rows commits, the process that made the change applies the rows it wrote
   (transaction.on_commit), so an editor sees their change in search at once. Only its own rows, in one index
   commit: a request never drains a queue other writers keep filling (under load that kept an editor's save
   applying everyone's changes for a minute), and the lock is held for one bounded batch at a time by everyone,
   so the wait for it stays short. `manage.py index_worker` applies whatever is left (a lock wait that timed out,
   a process killed between commit and apply, changes made on a machine that does not hold the index), and
   `manage.py serve` runs that loop in a background thread.
4. `manage.py check_index` compares the database with the index (missing, stale and extra documents) and
   `--repair` fixes what it finds.
5. Embargoes: saving a published article dated in the future also writes a row *due* at its publication time
   (`due_at`). Until then the writer leaves it alone; the first writer run after it (the index worker's loop, or
   any commit's apply) turns it into ordinary rows for the article, its quotations and its speakers, so the
   article enters search when its time comes without anyone acting. (Pages, feeds, the sitemap and the API read
   `Article.objects.published()`, which compares with the clock at each request; the page cache's data version
   moves at that moment too: archive/data_version.py.)
"""

import contextlib
import logging
import os
import threading
import time
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.apps import apps
from django.conf import settings
from django.db import DEFAULT_DB_ALIAS, close_old_connections, transaction
from django.db.models import Q
from django.db.models.signals import m2m_changed, post_delete, post_save, pre_delete, pre_save
from haystack import connections
from haystack.exceptions import NotHandled
from haystack.utils import get_identifier

from archive import clock, data_version
from archive.dbstats import analyze_quietly, optimize
from archive.search.backends.base import IndexLockTimeout, SearchBackend

log = logging.getLogger(__name__)

QUOTATION = "archive.quotation"
ARTICLE = "archive.article"
PERSON = "archive.person"
ORGANISATION = "archive.organisation"
DOCUMENT = "archive.document"

Key = tuple[str, object]  # (model label, primary key)


def backend_for(using: str = "default") -> SearchBackend:
    """The configured search backend (SEARCH_URL), through the interface every engine implements."""
    return connections[using].get_backend()


def index_is_missing(using: str = "default") -> bool:
    """True when the search backend has no index to search yet (a new data folder, a deleted index)."""
    return not backend_for(using).index_exists()


# --- Recording changes ------------------------------------------------------------------------------------------


def record_changes(keys: Iterable[Key], action: str = "update", using: str = DEFAULT_DB_ALIAS) -> int:
    """Write a PendingIndexUpdate row for each (model label, pk), in the current transaction, and arrange for
    them to be applied once it commits. Returns the number of rows written."""
    written = _queue(keys, action, using)
    if written:
        schedule_apply(written, using)
    return len(written)


def _queue(keys: Iterable[Key], action: str = "update", using: str = DEFAULT_DB_ALIAS, due_at=None) -> list[int]:
    """Write the queue rows, in the current transaction, and move the data version (archive/data_version.py): every
    change that can alter what readers see goes through here. Returns the ids of the rows written."""
    from archive.models import PendingIndexUpdate

    unique_keys = dict.fromkeys((label, str(pk)) for label, pk in keys if pk is not None)
    rows = PendingIndexUpdate.objects.using(using).bulk_create(
        [PendingIndexUpdate(model=label, object_id=pk, action=action, due_at=due_at) for label, pk in unique_keys]
    )
    if unique_keys:
        data_version.bump(using)  # cached pages and figures go stale
    return [row.pk for row in rows]


def ready_rows():
    """Queue rows the writer may apply now: all but those due at a publication time still to come."""
    from archive.models import PendingIndexUpdate

    return PendingIndexUpdate.objects.filter(Q(due_at__isnull=True) | Q(due_at__lte=clock.now()))


def _schedule_embargo(sender, instance, raw=False, using=None, **kwargs):
    """A published article dated in the future: look at it again when its time comes."""
    if instance.is_embargoed:
        _queue([(ARTICLE, instance.pk)], using=using or DEFAULT_DB_ALIAS, due_at=instance.published_at)


def schedule_embargoes(using: str = DEFAULT_DB_ALIAS) -> int:
    """Give every embargoed article its row due at its publication time where it has none (a database restored
    from a backup, whose queue was left out, or rows deleted by hand). Returns the rows written."""
    from archive.models import Article, PendingIndexUpdate

    due = PendingIndexUpdate.objects.using(using).filter(model=ARTICLE, due_at__isnull=False)
    scheduled = set(due.values_list("object_id", "due_at"))
    missing = [
        article
        for article in Article.objects.using(using).embargoed().only("pk", "published_at")
        if (str(article.pk), article.published_at) not in scheduled
    ]
    for article in missing:
        _queue([(ARTICLE, article.pk)], using=using, due_at=article.published_at)
    return len(missing)


def release_due_rows(using: str = DEFAULT_DB_ALIAS) -> int:
    """Turn rows whose time has come into ordinary rows for everything an article's publication makes public (the
    article, its quotations and speakers, read now, so quotations confirmed meanwhile are included). Run by the
    writer, holding the lock, so it queues without scheduling another apply. Returns the rows released."""
    from archive.models import Article, PendingIndexUpdate

    with transaction.atomic(using=using):
        due = list(
            PendingIndexUpdate.objects.using(using)
            .filter(due_at__lte=clock.now())
            .select_for_update()
            .values_list("pk", "model", "object_id")
        )
        if not due:
            return 0
        keys = []
        for _, label, object_id in due:
            article = Article.objects.using(using).filter(pk=object_id).first() if label == ARTICLE else None
            keys += affected_by_article(article) if article is not None else [(label, object_id)]
        _queue(keys, using=using)
        PendingIndexUpdate.objects.using(using).filter(pk__in=[pk for pk, _, _ in due]).delete()
    return len(due)


# Queue rows this thread wrote and has not applied yet, per database alias (connections are per thread too).
_written_here = threading.local()
# While set (deferred_apply), rows written are left for a batch apply instead of being applied after each commit.
_deferred = threading.local()


def _written(using: str) -> list:
    mine = getattr(_written_here, "rows", None)
    if mine is None:
        mine = _written_here.rows = defaultdict(list)
    return mine[using]


def schedule_apply(row_ids: Iterable[int] = (), using: str = DEFAULT_DB_ALIAS) -> None:
    """Apply the queue rows `row_ids` once the current transaction commits (at once in autocommit).

    The ids are collected per thread and every hook of the transaction registers; the first to run applies all
    the rows the transaction wrote, the others find nothing left. Ids of rows rolled back with a savepoint stay
    in the collection: applying a row that no longer exists is a no-op (rows are read back by id).
    """
    if not getattr(settings, "ARCHIVE_INDEX_ON_COMMIT", True):
        return  # the index worker applies everything
    _written(using).extend(pk for pk in row_ids if pk is not None)
    if not getattr(_deferred, "depth", 0):
        transaction.on_commit(lambda: apply_after_commit(using), using=using, robust=True)


@contextlib.contextmanager
def deferred_apply(using: str = DEFAULT_DB_ALIAS):
    """Within this block, commits leave their queue rows for `apply_after_commit(using)` (call it once per batch
    of commits, e.g. every few hundred imported files) instead of applying them one commit at a time; on leaving,
    what is still unapplied is applied. Each commit stays all-or-nothing: only the index work is batched."""
    _deferred.depth = getattr(_deferred, "depth", 0) + 1
    try:
        yield
    finally:
        _deferred.depth -= 1
        if not _deferred.depth:
            apply_after_commit(using)


def discard_written_rows(using: str = DEFAULT_DB_ALIAS) -> list:
    """Forget (and return) the ids of rows this thread wrote and has not applied, e.g. after a rollback."""
    mine = _written(using)
    ids, mine[:] = list(mine), []
    return ids


def apply_after_commit(using: str = DEFAULT_DB_ALIAS) -> None:
    """The on_commit hook: apply the rows this thread's transaction wrote, waiting a little for the lock; never
    fail the request. Rows another writer applied meanwhile are skipped; a busy lock leaves them to the worker."""
    ids = discard_written_rows(using)
    if not ids:
        return
    timeout = getattr(settings, "ARCHIVE_INDEX_LOCK_TIMEOUT", 10.0)
    try:
        # Building a missing index can take minutes: not on a request's time; serve/index_worker do it.
        apply_queue_rows(ids, lock_timeout=timeout)
    except IndexLockTimeout:
        log.warning("Search index busy for %s s; pending changes are left for the index worker", timeout)
    except IndexMissing:
        log.info("No search index yet; changes stay queued until rebuild_index, serve or index_worker builds it")
    except Exception:
        log.exception("Applying search index changes failed; they stay queued for the index worker")


# Which search documents a change can affect. Each function returns (model label, pk) pairs.


def _values(model, **filters) -> list:
    return list(model._default_manager.filter(**filters).values_list("pk", flat=True))


def affected_by_quotation(quotation) -> list[Key]:
    keys = [(QUOTATION, quotation.pk), (ARTICLE, quotation.article_id), (PERSON, quotation.speaker_id)]
    old = getattr(quotation, "_index_old", None) or {}
    keys += [(ARTICLE, old.get("article_id")), (PERSON, old.get("speaker_id"))]
    return keys


def affected_by_article(article) -> list[Key]:
    from archive.models import Quotation

    rows = Quotation.objects.filter(article=article).values_list("pk", "speaker_id")
    return [(ARTICLE, article.pk), *((QUOTATION, pk) for pk, _ in rows), *((PERSON, sp) for _, sp in rows)]


def affected_by_person(person) -> list[Key]:
    from archive.models import Quotation

    rows = Quotation.objects.filter(speaker=person).values_list("pk", "article_id")
    return [(PERSON, person.pk), *((QUOTATION, pk) for pk, _ in rows), *((ARTICLE, a) for _, a in rows)]


def affected_by_role(role) -> list[Key]:
    from archive.models import Quotation

    old = getattr(role, "_index_old", None) or {}
    keys = [(PERSON, role.person_id), (PERSON, old.get("person_id"))]
    if role.pk:
        keys += [(QUOTATION, pk) for pk in _values(Quotation, role=role)]
    return keys


def affected_by_organisation(organisation) -> list[Key]:
    from archive.models import Article, Document, Organisation, Person, Quotation

    keys = [(ORGANISATION, organisation.pk)]
    keys += [(QUOTATION, pk) for pk in _values(Quotation, role__organisation=organisation)]
    keys += [(ARTICLE, pk) for pk in _values(Article, publisher=organisation)]
    keys += [(ARTICLE, pk) for pk in _values(Article, organisations=organisation)]
    keys += [(DOCUMENT, pk) for pk in _values(Document, adopting_organisations=organisation)]
    keys += [(PERSON, pk) for pk in _values(Person, roles__organisation=organisation)]
    keys += [(ORGANISATION, pk) for pk in _values(Organisation, parent=organisation)]
    return keys


def affected_by_document(document) -> list[Key]:
    from archive.models import Article, Quotation

    rows = Quotation.objects.filter(documents=document).values_list("pk", "article_id")
    keys = [(DOCUMENT, document.pk), *((QUOTATION, pk) for pk, _ in rows), *((ARTICLE, a) for _, a in rows)]
    keys += [(ARTICLE, pk) for pk in _values(Article, document_mentions__document=document)]
    return keys


def affected_by_quotation_link(link) -> list[Key]:
    from archive.models import Quotation

    article_id = Quotation.objects.filter(pk=link.quotation_id).values_list("article_id", flat=True).first()
    return [(QUOTATION, link.quotation_id), (ARTICLE, article_id)]


def affected_by_mention(mention) -> list[Key]:
    old = getattr(mention, "_index_old", None) or {}
    return [(ARTICLE, mention.article_id), (ARTICLE, old.get("article_id"))]


def affected_by_relation(relation) -> list[Key]:
    """No search document shows a relation between documents, but the document pages do: queueing both documents
    moves the data version (archive/data_version.py), so cached pages of them go stale (archive/page_cache.py)."""
    old = getattr(relation, "_index_old", None) or {}
    ids = (relation.from_document_id, relation.to_document_id, old.get("from_document_id"), old.get("to_document_id"))
    return [(DOCUMENT, pk) for pk in ids]


# label -> (what a save or delete affects, foreign keys remembered before a save, keys known without a query)
TRACKED = {
    "archive.quotation": (
        affected_by_quotation,
        ("article_id", "speaker_id"),
        lambda q: [(QUOTATION, q.pk), (ARTICLE, q.article_id), (PERSON, q.speaker_id)],
    ),
    "archive.article": (affected_by_article, (), lambda a: [(ARTICLE, a.pk)]),
    "archive.person": (affected_by_person, (), lambda p: [(PERSON, p.pk)]),
    "archive.role": (affected_by_role, ("person_id",), lambda r: [(PERSON, r.person_id)]),
    "archive.organisation": (affected_by_organisation, (), lambda o: [(ORGANISATION, o.pk)]),
    "archive.document": (affected_by_document, (), lambda d: [(DOCUMENT, d.pk)]),
    "archive.quotationdocument": (affected_by_quotation_link, (), lambda link: [(QUOTATION, link.quotation_id)]),
    "archive.documentmention": (affected_by_mention, ("article_id",), lambda m: [(ARTICLE, m.article_id)]),
    "archive.documentrelation": (
        affected_by_relation,
        ("from_document_id", "to_document_id"),
        lambda r: [(DOCUMENT, r.from_document_id), (DOCUMENT, r.to_document_id)],
    ),
}


def _remember_old_keys(sender, instance, raw=False, using=None, **kwargs):
    """Before a save, note the foreign keys that decide which documents the old state appeared in."""
    _, remembered, _ = TRACKED[sender._meta.label_lower]
    if raw or not remembered or instance.pk is None:
        return
    instance._index_old = sender._default_manager.using(using).filter(pk=instance.pk).values(*remembered).first()


def _on_save(sender, instance, raw=False, using=None, **kwargs):
    affected, _, without_query = TRACKED[sender._meta.label_lower]
    # Fixture loading (raw) saves every record of the fixture anyway; the records are applied after it commits.
    keys = without_query(instance) if raw else affected(instance)
    record_changes(keys, using=using or DEFAULT_DB_ALIAS)


def _on_delete(sender, instance, using=None, **kwargs):
    _, _, without_query = TRACKED[sender._meta.label_lower]
    record_changes(without_query(instance), action="delete", using=using or DEFAULT_DB_ALIAS)


def _before_organisation_delete(sender, instance, using=None, **kwargs):
    """Deleting an organisation drops its many-to-many rows without m2m_changed signals: name what used them."""
    record_changes(affected_by_organisation(instance), using=using or DEFAULT_DB_ALIAS)


def _before_article_delete(sender, instance, using=None, **kwargs):
    """The people quoted may stop being public once the article's quotations go."""
    from archive.models import Quotation

    speakers = Quotation.objects.filter(article=instance).values_list("speaker_id", flat=True)
    record_changes([(PERSON, pk) for pk in speakers], using=using or DEFAULT_DB_ALIAS)


def _before_role_delete(sender, instance, using=None, **kwargs):
    """Quotations that showed the role lose it (set to null without signals, then derived again: archive.derived)."""
    from archive.models import Quotation

    record_changes([(QUOTATION, pk) for pk in _values(Quotation, role=instance)], using=using or DEFAULT_DB_ALIAS)


def _on_m2m_changed(sender, instance, action, reverse, model, pk_set, using=None, **kwargs):
    """Quotation.documents, Article.organisations, Document.adopting_organisations and Document.related, changed
    from either side."""
    from archive.models import Article, Document, Quotation

    if action not in ("post_add", "post_remove", "pre_clear"):
        return
    using = using or DEFAULT_DB_ALIAS
    if sender is Quotation.documents.through:
        if not reverse:
            keys = [(QUOTATION, instance.pk), (ARTICLE, instance.article_id)]
        else:
            ids = pk_set if action != "pre_clear" else _values(Quotation, documents=instance)
            rows = Quotation.objects.filter(pk__in=ids).values_list("pk", "article_id")
            keys = [*((QUOTATION, pk) for pk, _ in rows), *((ARTICLE, a) for _, a in rows)]
    elif sender is Article.organisations.through:
        if not reverse:
            ids = [instance.pk]
        else:
            ids = pk_set if action != "pre_clear" else _values(Article, organisations=instance)
        keys = [(ARTICLE, pk) for pk in ids]
    elif sender is Document.adopting_organisations.through:
        if not reverse:
            ids = [instance.pk]
        else:
            ids = pk_set if action != "pre_clear" else _values(Document, adopting_organisations=instance)
        keys = [(DOCUMENT, pk) for pk in ids]
    elif sender is Document.related.through:
        # Only to move the data version (see affected_by_relation): the document itself is enough.
        keys = [(DOCUMENT, pk) for pk in (instance.pk, *(pk_set or ()))]
    else:
        return
    record_changes(keys, using=using)


def connect_signals() -> None:
    """Connect the handlers that record index changes (called once from ArchiveConfig.ready)."""
    from archive.models import Article, Document, Organisation, Quotation, Role

    for label in TRACKED:
        model = apps.get_model(label)
        uid = f"archive.indexing.{label}"
        pre_save.connect(_remember_old_keys, sender=model, dispatch_uid=uid + ".pre_save")
        post_save.connect(_on_save, sender=model, dispatch_uid=uid + ".post_save")
        post_delete.connect(_on_delete, sender=model, dispatch_uid=uid + ".post_delete")
    post_save.connect(_schedule_embargo, sender=Article, dispatch_uid="archive.indexing.article.embargo")
    pre_delete.connect(_before_organisation_delete, sender=Organisation, dispatch_uid="archive.indexing.org.pre_del")
    pre_delete.connect(_before_article_delete, sender=Article, dispatch_uid="archive.indexing.article.pre_del")
    pre_delete.connect(_before_role_delete, sender=Role, dispatch_uid="archive.indexing.role.pre_del")
    for through in (
        Quotation.documents.through,
        Article.organisations.through,
        Document.adopting_organisations.through,
        Document.related.through,
    ):
        m2m_changed.connect(_on_m2m_changed, sender=through, dispatch_uid=f"archive.indexing.m2m.{through._meta.label}")


# --- The single writer ------------------------------------------------------------------------------------------


def _index_for(unified, label):
    try:
        return unified.get_index(apps.get_model(label))
    except (LookupError, NotHandled):
        return None


class IndexMissing(Exception):
    """There is no index to apply changes to, and building one was not asked for."""


CHUNK_SIZE = 1000  # records read (with their prefetches) at a time during a full build
# From this many documents a full build uses two writing processes while this one prepares documents (Whoosh's
# multi-process writer; the figures are in the README's Performance section). On small builds the processes cost
# more than they save, so tests and fresh archives stay single-process.
PARALLEL_BUILD_FROM = 20_000


def build_procs(documents: int) -> int:
    """Writing processes for a full build of `documents` (settings.ARCHIVE_BUILD_PROCS when set)."""
    if settings.ARCHIVE_BUILD_PROCS:
        return max(1, settings.ARCHIVE_BUILD_PROCS)
    return 2 if documents >= PARALLEL_BUILD_FROM and (os.cpu_count() or 1) >= 2 else 1


def build_full_index(using: str = "default", report=None) -> int:
    """Write every public record's document (into an empty or existing index), holding the write lock: the one
    full build, for `rebuild_index`/`update_index` and for `apply_pending_updates` when the index is missing (so the
    queue is never applied to an empty index, which would then hold only the records changed lately).

    Each model's records are read in primary key order, CHUNK_SIZE at a time; `report(message)`, when given, hears
    what is being indexed. Returns documents written.
    """
    backend = backend_for(using)
    unified = connections[using].get_unified_index()
    sources, documents = [], 0
    with backend.write_lock():
        for model in unified.get_indexed_models():
            index = unified.get_index(model)
            queryset = index.index_queryset(using=using)
            count = queryset.count()
            documents += count
            if report:
                report(f"Indexing {count} {model._meta.verbose_name_plural}")
            sources.append((index, queryset.order_by("pk").iterator(chunk_size=CHUNK_SIZE)))
        procs = build_procs(documents)
        written = backend.build_all(sources, procs=procs)
    if report:
        report(f"Wrote {written} documents in one commit ({procs} writing processes)")
    schedule_embargoes()
    analyze_quietly()  # a full build usually follows a bulk load: planner statistics for it (SQLite only)
    return written


def _apply_rows(rows: list[tuple[int, str, str]], backend, unified, using: str) -> int:
    """Apply queue rows (pk, model label, object id) in one index commit, then delete them. The caller holds the
    write lock. Returns the number of rows handled."""
    from archive.models import PendingIndexUpdate

    wanted = defaultdict(set)
    for _, label, object_id in rows:
        wanted[label].add(object_id)
    updates, removals = [], []
    for label, object_ids in wanted.items():
        index = _index_for(unified, label)
        if index is None:
            continue
        object_ids = {pk for pk in object_ids if pk.isdigit()}
        present = list(index.index_queryset(using=using).filter(pk__in=object_ids))
        updates.append((index, present))
        removals += [f"{label}.{pk}" for pk in object_ids - {str(obj.pk) for obj in present}]
    backend.apply_changes(updates=updates, removals=removals)
    PendingIndexUpdate.objects.filter(pk__in=[pk for pk, _, _ in rows]).delete()
    return len(rows)


def _queue_rows(queryset, limit: int) -> list[tuple[int, str, str]]:
    return list(queryset.order_by("pk").values_list("pk", "model", "object_id")[:limit])


REQUEST_BATCH = 200  # rows at most in the index commit a request makes: its own, then others' that are waiting
LOCK_POLL = 0.25  # seconds between two looks at whether another writer has applied a waiting request's rows


def apply_queue_rows(
    row_ids: Iterable[int], lock_timeout: float | None = None, using: str = "default", batch_size: int = REQUEST_BATCH
) -> int:
    """Apply the queue rows `row_ids` that are still queued, as a group commit; return how many rows were handled.

    While the lock is busy, it looks every LOCK_POLL seconds whether the holder has applied these rows meanwhile
    (it takes whatever is queued, up to its batch) and returns as soon as it has, so writers waiting behind one
    commit all leave with it. Holding the lock, it applies its own rows plus others' that are waiting, up to
    `batch_size` rows in one commit: bounded work, never a drain of a queue other writers keep filling. Raises
    IndexLockTimeout when its rows are still queued after `lock_timeout` seconds, and IndexMissing when there is
    no index (the rows stay queued).
    """
    from archive.models import PendingIndexUpdate

    mine = sorted(set(row_ids))
    backend = backend_for(using)
    unified = connections[using].get_unified_index()
    deadline = None if lock_timeout is None else time.monotonic() + lock_timeout
    handled = 0
    while mine:
        mine = list(PendingIndexUpdate.objects.filter(pk__in=mine).order_by("pk").values_list("pk", flat=True))
        if not mine:  # another writer's commit took them
            break
        wait = LOCK_POLL if deadline is None else min(LOCK_POLL, max(0.0, deadline - time.monotonic()))
        try:
            with backend.write_lock(timeout=wait):
                if not backend.index_exists():
                    raise IndexMissing(f"no search index at {backend.location()}")
                release_due_rows(using)  # embargoes whose time has come become ordinary rows
                rows = _queue_rows(PendingIndexUpdate.objects.filter(pk__in=mine[:batch_size]), batch_size)
                room = batch_size - len(rows)
                if room > 0:
                    others = PendingIndexUpdate.objects.filter(due_at__isnull=True).exclude(pk__in=mine[:batch_size])
                    rows += _queue_rows(others, room)
                if rows:
                    handled += _apply_rows(rows, backend, unified, using)
                mine = mine[batch_size:]
        except IndexLockTimeout:
            if (
                deadline is not None
                and time.monotonic() >= deadline
                and PendingIndexUpdate.objects.filter(pk__in=mine).exists()
            ):
                raise
    return handled


def apply_pending_updates(
    batch_size: int = 500, lock_timeout: float | None = None, using: str = "default", build_if_missing: bool = True
) -> int:
    """Apply every pending index change; return how many queue rows were handled.

    Takes the index write lock for each batch of `batch_size` rows (waiting at most `lock_timeout` seconds for it,
    forever when None; IndexLockTimeout if it stays busy), so writers applying their own changes get their turn
    between two batches. Rows are deleted only after the index commit that reflects them. When there is no index
    yet, builds the whole index first (`build_if_missing`), or raises IndexMissing and keeps the queue.
    """
    from archive.models import PendingIndexUpdate

    backend = backend_for(using)
    unified = connections[using].get_unified_index()
    handled = 0
    while True:
        with backend.write_lock(timeout=lock_timeout):
            if not backend.index_exists():
                if not build_if_missing:
                    raise IndexMissing(f"no search index at {backend.location()}")
                log.warning("No search index at %s: building it from the database", backend.location())
                build_full_index(using)
            release_due_rows(using)
            rows = _queue_rows(PendingIndexUpdate.objects.filter(due_at__isnull=True), batch_size)
            if not rows:
                return handled
            handled += _apply_rows(rows, backend, unified, using)


def pending_count() -> int:
    """Queue rows waiting for the writer (not those scheduled for an embargo still to pass)."""
    return ready_rows().count()


def run_worker(interval: float = 1.0, stop: threading.Event | None = None, once: bool = False) -> None:
    """Apply pending updates every `interval` seconds until `stop` is set (or once). Logs and survives errors."""
    stop = stop or threading.Event()
    while True:
        close_old_connections()
        try:
            handled = apply_pending_updates()
            if handled:
                log.info("Applied %d pending search index changes", handled)
        except Exception:
            if once:
                raise
            log.exception("Applying search index changes failed; retrying in %s s", interval)
        if not once:
            try:
                optimize()  # SQLite's PRAGMA optimize, at most every dbstats.OPTIMIZE_INTERVAL seconds
            except Exception:
                log.exception("PRAGMA optimize failed")
        if once or stop.wait(interval):
            break


def start_worker_thread(interval: float = 2.0) -> threading.Event:
    """Run the index worker loop in a daemon thread (used by `manage.py serve`); set the returned event to stop."""
    stop = threading.Event()
    thread = threading.Thread(target=run_worker, kwargs={"interval": interval, "stop": stop}, daemon=True)
    thread.name = "search-index-worker"
    thread.start()
    return stop


# --- Drift between the database and the index ------------------------------------------------------------------


@dataclass
class Drift:
    """What the index gets wrong: documents missing, stale (content differs) or extra (no such public record)."""

    missing: list[str] = field(default_factory=list)
    stale: list[str] = field(default_factory=list)
    extra: list[str] = field(default_factory=list)
    # Records whose document cannot be prepared at all ("archive.document.7: year 10000 is out of range"): their
    # data needs fixing, which no repair of the index can do.
    unindexable: list[str] = field(default_factory=list)
    pending: int = 0  # queue rows not applied yet; their records are left out of the comparison
    checked: int = 0

    @property
    def total(self) -> int:
        return len(self.missing) + len(self.stale) + len(self.extra) + len(self.unindexable)


def _pending_identifiers() -> set[str]:
    return {f"{label}.{pk}" for label, pk in ready_rows().values_list("model", "object_id")}


def find_drift(check_content: bool = True, using: str = "default") -> Drift:
    """Compare every public record with the index. Holds the write lock so no writer changes the index meanwhile.

    With `check_content`, each record's document is prepared again and its signature compared with the stored one
    (as slow as re-indexing without the writes); without it only presence is compared.
    """
    backend = backend_for(using)
    unified = connections[using].get_unified_index()
    drift = Drift()
    with backend.write_lock():
        release_due_rows()  # an embargo that has passed counts as pending work for everything it makes public
        stored = {identifier: fields.get("signature") for identifier, fields in backend.stored_documents()}
        expected = {}
        for model in unified.get_indexed_models():
            index = unified.get_index(model)
            for obj in index.index_queryset(using=using).iterator(chunk_size=500):
                try:
                    signature = index.full_prepare(obj)["signature"] if check_content else None
                except Exception as error:  # a record the admin let through with impossible data: report it
                    drift.unindexable.append(f"{get_identifier(obj)} ({error})")
                    signature = None
                expected[get_identifier(obj)] = signature
        pending = _pending_identifiers()
    drift.pending = len(pending)
    drift.checked = len(expected)
    unindexable = {entry.split(" ", 1)[0] for entry in drift.unindexable}
    for identifier, signature in sorted(expected.items()):
        if identifier in pending or identifier in unindexable:
            continue
        if identifier not in stored:
            drift.missing.append(identifier)
        elif check_content and stored[identifier] != signature:
            drift.stale.append(identifier)
    drift.extra = sorted(i for i in stored if i not in expected and i not in pending)
    return drift


def repair_drift(drift: Drift, using: str = "default") -> tuple[int, int]:
    """Write the missing and stale documents and remove the extra ones. Returns (written, removed)."""
    backend = backend_for(using)
    unified = connections[using].get_unified_index()
    wanted = defaultdict(set)
    for identifier in [*drift.missing, *drift.stale]:
        label, _, pk = identifier.rpartition(".")
        wanted[label].add(pk)
    updates = []
    for label, pks in wanted.items():
        index = _index_for(unified, label)
        if index is not None:
            updates.append((index, list(index.index_queryset(using=using).filter(pk__in=pks))))
    return backend.apply_changes(updates=updates, removals=drift.extra)
