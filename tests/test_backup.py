"""The README's backup and restore: the documented dumpdata, then into an empty database migrate, loaddata and
rebuild_index, gives back every record unchanged and a working search."""

import json
import re
import shlex
from collections import Counter
from pathlib import Path

import pytest
from django.apps import apps
from django.contrib.auth.models import Group
from django.contrib.contenttypes.models import ContentType
from django.core import serializers
from django.core.management import call_command
from haystack.query import SearchQuerySet

from archive.models import Article, Person, Quotation
from archive.roles import EDITOR_GROUP
from tests.factories import make_article, make_document, make_organisation, make_person, make_quotation, make_role

README = Path(__file__).resolve().parent.parent / "README.md"


def readme_commands() -> list[list[str]]:
    """The `python manage.py ...` commands of the README's "Backup and restore" section, as argument lists."""
    section = README.read_text().split("## Backup and restore", 1)[1].split("\n## ", 1)[0]
    blocks = re.findall(r"```sh\n(.*?)```", section, re.S)
    lines = [line for block in blocks for line in block.replace("\\\n", " ").splitlines() if line.strip()]
    return [shlex.split(line)[2:] for line in lines if line.startswith("python manage.py ")]


def backed_up_models():
    """Every model the README's dump keeps (all but its --exclude list)."""
    dump = next(command for command in readme_commands() if command[0] == "dumpdata")
    excluded = {dump[i + 1] for i, arg in enumerate(dump) if arg == "--exclude"}
    return [
        model
        for model in apps.get_models()
        if model._meta.app_label not in excluded and model._meta.label_lower not in excluded
    ]


def snapshot() -> dict[str, list[str]]:
    """Every backed-up record, serialised with natural keys (so ids of content types and permissions, which a new
    database gives out afresh, do not count), one sorted list of JSON strings per model."""
    records = {}
    for model in backed_up_models():
        serialised = serializers.serialize(
            "python", model._default_manager.all(), use_natural_foreign_keys=True, use_natural_primary_keys=True
        )
        records[model._meta.label_lower] = sorted(json.dumps(row, sort_keys=True, default=str) for row in serialised)
    return records


def search_hits(word: str) -> list[tuple[str, str]]:
    """What a search for `word` finds, as (model, id) pairs, whichever models the index holds."""
    return sorted((hit.model_name, str(hit.pk)) for hit in SearchQuerySet().filter(content=word))


def add_records(django_user_model):
    """A few records beyond the seed: a second speaker with a role, a draft article, a quotation with a document,
    and an editor account."""
    asean = make_organisation()
    speaker = make_person("Lim Jock Hoi", aliases="Dato Lim Jock Hoi\nLim")
    make_role(speaker, asean)
    article = make_article(publisher=asean, status=Article.Status.DRAFT)
    quotation = make_quotation(article, speaker, review=Quotation.Review.CONFIRMED)
    quotation.documents.add(make_document("ASEAN Charter"))
    editor = django_user_model.objects.create_user("ed", "ed@example.org", "a-long-passphrase", is_staff=True)
    editor.groups.add(Group.objects.get(name=EDITOR_GROUP))


def test_the_readme_documents_dump_load_and_rebuild():
    """The README's section has the dump with natural keys and exclusions, then migrate, loaddata, rebuild_index."""
    commands = readme_commands()
    assert [command[0] for command in commands] == ["dumpdata", "migrate", "loaddata", "rebuild_index"]
    dump = commands[0]
    assert {"--natural-foreign", "--natural-primary"} <= set(dump)
    assert {"contenttypes", "auth.permission", "sessions", "admin.logentry"} <= set(dump)


@pytest.mark.django_db(transaction=True)
def test_backup_and_restore_into_an_empty_database_gives_back_every_record(seed_archive, django_user_model, tmp_path):
    """Dumped as the README says, emptied, and loaded as the README says, the archive has the same records with
    the same contents, accounts and groups included, and the rebuilt index finds what it found before."""
    add_records(django_user_model)
    before = snapshot()
    dump, migrate, load, rebuild = readme_commands()
    call_command(*rebuild, verbosity=0)
    found_before = search_hits("extremism")
    assert found_before
    assert Counter({label: len(rows) for label, rows in before.items()})["archive.quotation"] == 14

    backup = tmp_path / "archive-backup.xml"
    call_command(*[str(backup) if arg == "archive-backup.xml" else arg for arg in dump], verbosity=0)

    # A new, empty database: no rows at all, then what `migrate` creates by itself (content types,
    # permissions, the editor group), with new ids.
    call_command("flush", interactive=False, verbosity=0)
    assert not Article.objects.exists() and not Person.objects.exists() and not django_user_model.objects.exists()
    call_command(*migrate, verbosity=0)
    ContentType.objects.clear_cache()

    call_command(*[str(backup) if arg == "archive-backup.xml" else arg for arg in load], verbosity=0)
    after = snapshot()
    assert {label: len(rows) for label, rows in after.items()} == {label: len(rows) for label, rows in before.items()}
    assert after == before

    # The restored database goes on working: new rows get fresh ids, logins work, search is rebuilt from it.
    assert make_person("Zhang Ming").pk > max(Person.objects.exclude(name="Zhang Ming").values_list("pk", flat=True))
    assert django_user_model.objects.get(username="ed").check_password("a-long-passphrase")
    call_command(*rebuild, verbosity=0)
    assert search_hits("extremism") == found_before
