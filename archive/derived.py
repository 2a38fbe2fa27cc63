"""Fields stored for speed that follow from other records, kept in step when their sources change.

A quotation's role is the role its speaker held on the quotation's date: Quotation.save derives it, and roles are
the source. When a Role is added, changed or deleted, or an article's date moves, the affected quotations have
their role derived again through save(), so the search index hears of each change in the same transaction
(archive/search/indexing.py) and the data version moves for the page cache. `QuotationQuerySet.with_stale_role()` finds
quotations whose stored role does not follow (changes made behind the ORM's back, data from before this rule);
`check_index` reports them and `check_index --repair` derives them again.
"""

from django.db.models.signals import post_delete, post_save, pre_save

from archive.models import Article, Quotation, Role


def refresh_quotation_roles(quotations) -> int:
    """Derive the role again for those of `quotations` whose stored role does not follow; returns how many."""
    changed = 0
    for quotation in quotations.with_stale_role().select_related("article", "speaker", "role"):
        quotation.save(update_fields=["role", "updated_at"])  # save() derives the role
        changed += 1
    return changed


def _remember_person(sender, instance, raw=False, using=None, **kwargs):
    if not raw and instance.pk is not None:
        instance._derived_old_person = (
            sender._default_manager.filter(pk=instance.pk).values_list("person_id", flat=True).first()
        )


def _role_changed(sender, instance, raw=False, **kwargs):
    """A role added, changed or deleted: its person's quotations (and a former person's) follow."""
    if raw:  # fixtures carry the quotations' roles as they were saved
        return
    people = {instance.person_id, getattr(instance, "_derived_old_person", None)} - {None}
    refresh_quotation_roles(Quotation.objects.filter(speaker__in=people))


def _article_saved(sender, instance, raw=False, created=False, **kwargs):
    """An article's date is the date of its quotations that have none of their own."""
    if not raw and not created:
        refresh_quotation_roles(Quotation.objects.filter(article=instance, said_on__isnull=True))


def connect_signals() -> None:
    """Called once from ArchiveConfig.ready."""
    pre_save.connect(_remember_person, sender=Role, dispatch_uid="archive.derived.role.pre_save")
    post_save.connect(_role_changed, sender=Role, dispatch_uid="archive.derived.role.post_save")
    post_delete.connect(_role_changed, sender=Role, dispatch_uid="archive.derived.role.post_delete")
    post_save.connect(_article_saved, sender=Article, dispatch_uid="archive.derived.article.post_save")
