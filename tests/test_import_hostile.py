"""Hostile or broken import files: each is refused with its reason, the good files of the same run still import,
and an export-format file either passes model validation record by record or leaves nothing behind."""

import json
import os
import signal

import pytest

from archive.importers import export_archive
from archive.models import Article, Document, DocumentRelation, Organisation, Person, Role
from tests.test_import import FILES, run

pytestmark = pytest.mark.django_db

GOOD = FILES / "un_briefing.json"


def article_json(**fields) -> dict:
    article = {"title": "Hostile file", "published_at": "2020-01-01", "body_text": "“We agree,” said Ann Lee."}
    return article | fields


@pytest.mark.parametrize(
    ("content", "reason"),
    [
        ("[" * 100_000 + "]" * 100_000, "nested more than 20 levels deep"),
        ('{"title": "x", "published_at": "2020-01-01", "body_text": "We agree.", "quotations": '
         '[{"speaker": "Ann Lee", "text": "We agree.", "start": 1e999}]}', "the number 1e999 is too large"),
        ('{"title": "Bad \\ud800 text", "published_at": "2020-01-01", "body_text": "x"}', "\\ud800, a lone surrogate"),
        ('{"title": "x", "published_at": "2020-01-01", "body_text": "x", "n": NaN}', "NaN is not a number"),
        ('{"title": "x", "published_at": "2020-01-01", "body_text": "x", "n": ' + "9" * 5000 + "}", "invalid JSON"),
    ],
    ids=["deeply nested", "1e999", "lone surrogate", "NaN", "5000-digit integer"],
)  # fmt: skip
def test_a_file_that_broke_the_run_is_reported_and_the_next_file_imports(tmp_path, content, reason):
    """A file that raised RecursionError, OverflowError or UnicodeEncodeError is now one failed file; the run
    goes on to the good file after it and exits with status 2."""
    bad = tmp_path / "a_bad.json"
    bad.write_text(content)
    out, err, code = run("import_articles", str(bad), str(GOOD))
    assert code == 2
    assert "a_bad.json: failed: " in err and reason in err, err
    assert "un_briefing.json: created" in out
    assert Article.objects.count() == 1


def test_a_fifo_named_on_the_command_line_is_refused_not_read(tmp_path):
    """A FIFO is refused before it is opened (opening it would wait for a writer for ever)."""
    fifo = tmp_path / "pipe.json"
    os.mkfifo(fifo)

    def blocked(signum, frame):
        raise TimeoutError("import_articles blocked opening the FIFO")

    previous = signal.signal(signal.SIGALRM, blocked)
    signal.alarm(60)  # a generous safety net: the refusal itself takes no time
    try:
        out, err, code = run("import_articles", str(fifo), str(GOOD))
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, previous)
    assert code == 2
    assert "pipe.json: failed: not a regular file (a FIFO)" in err
    assert "un_briefing.json: created" in out


def test_a_device_named_on_the_command_line_is_refused():
    """A device is refused as such, not read (/dev/null here: /dev/zero, read, would fill the memory)."""
    out, err, code = run("import_articles", "/dev/null", str(GOOD))
    assert code == 2 and "/dev/null: failed: not a regular file (a character device)" in err


# --- The export format ----------------------------------------------------------------------------------------


def export_with(**records) -> dict:
    archive = {"format": "policy-statement-archive", "version": 1, "organisations": [], "people": [], "documents": []}
    archive["articles"] = [article_json(slug="hostile-file", quotations=[])]
    return archive | records


ORGANISATION = {"slug": "good-body", "name": "Good Body", "kind": "igo", "website": "https://good.example.org/"}
DOCUMENT = {"slug": "good-treaty", "title": "Good Treaty", "kind": "treaty", "adopted_year": 2001}
PERSON = {"slug": "ann-lee", "name": "Ann Lee", "roles": [{"organisation": "good-body", "title": "Envoy",
                                                            "start": "2019-01-01"}]}  # fmt: skip

HOSTILE = {
    "javascript: website": (
        {"organisations": [ORGANISATION | {"website": "javascript:alert(1)"}]},
        "organisation 1 ('good-body'): field 'website': Enter a valid URL.",
    ),
    "slug with a space and a slash": (
        {"organisations": [ORGANISATION | {"slug": "bad slug/<x>"}]},
        "organisation 1 ('bad slug/<x>'): field 'slug': Enter a valid “slug”",
    ),
    "invalid organisation kind": (
        {"organisations": [ORGANISATION | {"kind": "cabal"}]},
        "organisation 1 ('good-body'): field 'kind': Value 'cabal' is not a valid choice.",
    ),
    "year 99999": (
        {"documents": [DOCUMENT | {"adopted_year": 99999}]},
        "document 1 ('good-treaty'): field 'adopted_year':",
    ),
    "invalid document kind": (
        {"documents": [DOCUMENT | {"kind": "spell"}]},
        "document 1 ('good-treaty'): field 'kind': Value 'spell' is not a valid choice.",
    ),
    "aliases as a string": (
        {"documents": [DOCUMENT | {"aliases": "Good Pact"}]},
        "document 1 ('good-treaty'), field 'aliases': must be a list, not text",
    ),
    "adopting organisations as a string": (
        {"organisations": [ORGANISATION], "documents": [DOCUMENT | {"adopting_organisations": "good-body"}]},
        "document 1 ('good-treaty'), field 'adopting_organisations': must be a list, not text",
    ),
    "article organisations as a string": (
        {"articles": [article_json(organisations="sco", quotations=[])]},
        "article 1, field 'organisations': must be a list, not text",
    ),
    "roles as a string": (
        {"organisations": [ORGANISATION], "people": [PERSON | {"roles": "Envoy"}]},
        "person 1 ('ann-lee'), field 'roles': must be a list, not text",
    ),
    "a role ending before it starts": (
        {"organisations": [ORGANISATION], "people": [PERSON | {"roles": [PERSON["roles"][0] | {"end": "2000-01-01"}]}]},
        "person 1 ('ann-lee'), role 1: A role cannot end before it starts.",
    ),
    "needs_review as a string": (
        {"people": [PERSON | {"roles": [], "needs_review": "false"}]},
        "person 1 ('ann-lee'), field 'needs_review': must be true or false, not text",
    ),
    "invalid relation kind": (
        {"documents": [DOCUMENT | {"relations": [{"to": "good-treaty", "kind": "hates"}]}]},
        "document 1 ('good-treaty'), relation 1: field 'kind': Value 'hates' is not a valid choice.",
    ),
    "article slug with a slash": (
        {"articles": [article_json(slug="bad slug/<x>", quotations=[])]},
        "article 'Hostile file': field 'slug': Enter a valid “slug”",
    ),
    "javascript: article source": (
        {"articles": [article_json(source_url="javascript:alert(1)", quotations=[])]},
        "article 'Hostile file': field 'source_url': Enter a valid URL.",
    ),
}


@pytest.mark.parametrize(("records", "reason"), HOSTILE.values(), ids=HOSTILE.keys())
def test_an_invalid_export_record_refuses_the_whole_file(tmp_path, records, reason):
    """An export file with one invalid record is refused with the record and field named, and nothing of it is
    stored: not the valid records before it, not the article."""
    # A valid organisation and document precede the bad record, so a half-written import would show.
    archive = export_with(**records)
    archive["organisations"] = [{"slug": "first-body", "name": "First Body"}, *archive["organisations"]]
    for item in archive["organisations"][1:]:
        item["position"] = None  # unknown keys are ignored, as before
    path = tmp_path / "archive.json"
    path.write_text(json.dumps(archive))
    out, err, code = run("import_articles", str(path))
    assert code == 2, out
    assert reason.replace("organisation 1", "organisation 2") in err
    assert not Organisation.objects.exists() and not Person.objects.exists() and not Role.objects.exists()
    assert not Document.objects.exists() and not Article.objects.exists() and not DocumentRelation.objects.exists()


def test_a_valid_export_file_still_imports(tmp_path):
    """The same records without the hostile field import, roles, relations and adopters included."""
    documents = [DOCUMENT | {"adopting_organisations": ["good-body"], "aliases": ["Good Pact"],
                             "relations": [{"to": "later-treaty", "kind": "builds_on"}]},
                 {"slug": "later-treaty", "title": "Later Treaty"}]  # fmt: skip
    archive = export_with(organisations=[ORGANISATION], people=[PERSON], documents=documents)
    path = tmp_path / "archive.json"
    path.write_text(json.dumps(archive))
    out, err, code = run("import_articles", str(path))
    assert code == 0, err
    exported = export_archive()
    assert exported["documents"][0]["aliases"] == ["Good Pact"]
    assert exported["documents"][0]["adopting_organisations"] == ["good-body"]
    assert exported["documents"][0]["relations"] == [{"to": "later-treaty", "kind": "builds_on"}]
    assert exported["people"][0]["roles"][0]["title"] == "Envoy"
