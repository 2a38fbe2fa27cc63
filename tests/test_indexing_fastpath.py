"""The full-build fast path: rebuild_index/update_index through one Whoosh writer, and text built in Python."""

# ruff: noqa: F811 - pytest fixtures imported from tests.search_support are redefined as arguments

import pytest
from django.core.management import call_command
from haystack import connections
from haystack.fields import CharField

from archive.models import Quotation
from archive.search.backends.whoosh.backend import ArchiveWhooshSearchBackend
from archive.search.indexing import find_drift
from tests.factories import make_article, make_document, make_organisation, make_person, make_quotation, make_role
from tests.search_support import indexed_seed  # noqa: F401 (fixture)

pytestmark = pytest.mark.django_db


def template_text(obj):
    field = CharField(document=True, use_template=True)
    field.set_instance_name("text")
    return field.prepare_template(obj)


def test_text_built_in_python_is_what_the_templates_render(indexed_seed):
    parent = make_organisation(name="United Nations", short_name="UN")
    child = make_organisation(name="UN Office on Drugs and Crime", short_name="", parent=parent, description="Vienna")
    person = make_person(name="Ghada Waly", aliases="G. Waly\nWaly")
    role = make_role(person, child, title="Executive Director")
    document = make_document(title="Convention against Corruption", short_title="UNCAC", aliases="Merida Convention")
    document.adopting_organisations.add(parent, child)
    article = make_article(title="No publisher, a place", place="Vienna", source_name="")
    with_role = make_quotation(article, person, text="Corruption is a crime", role=role)
    with_role.documents.add(document)
    make_quotation(article, person, text="Without a role")
    unified = connections["default"].get_unified_index()
    checked = 0
    for model in unified.get_indexed_models():
        index = unified.get_index(model)
        for obj in index.index_queryset():
            assert index.prepare_text(obj) == template_text(obj), obj
            checked += 1
    assert checked > 10


def test_rebuild_index_writes_everything_in_one_commit(indexed_seed, monkeypatch):
    calls = []
    original = ArchiveWhooshSearchBackend.build_all

    def spy(self, sources, **kwargs):
        calls.append(kwargs)
        return original(self, sources, **kwargs)

    monkeypatch.setattr(ArchiveWhooshSearchBackend, "build_all", spy)
    commits = []
    original_apply = ArchiveWhooshSearchBackend.apply_changes
    monkeypatch.setattr(
        ArchiveWhooshSearchBackend,
        "apply_changes",
        lambda self, *a, **k: commits.append(1) or original_apply(self, *a, **k),
    )
    call_command("rebuild_index", interactive=False, verbosity=0)
    assert len(calls) == 1 and not commits
    assert find_drift().total == 0


@pytest.mark.parametrize("procs", [1, 2])
def test_build_all_into_a_non_empty_index_replaces_documents(indexed_seed, procs):
    backend = connections["default"].get_backend()
    unified = connections["default"].get_unified_index()
    before = sum(1 for _ in backend.stored_documents())
    Quotation.objects.filter(pk=Quotation.objects.public().first().pk).update(text="Changed behind the index")
    assert find_drift().stale
    sources = [(unified.get_index(m), unified.get_index(m).index_queryset()) for m in unified.get_indexed_models()]
    assert backend.build_all(sources, procs=procs) == before
    assert sum(1 for _ in backend.stored_documents()) == before
    assert find_drift().total == 0


def test_update_index_of_one_app_or_with_remove_is_haystacks_own(indexed_seed, monkeypatch):
    monkeypatch.setattr(
        ArchiveWhooshSearchBackend, "build_all", lambda *a, **k: pytest.fail("not a build of everything")
    )
    call_command("update_index", "archive", verbosity=0)
    call_command("update_index", remove=True, verbosity=0)
    assert find_drift().total == 0


def spelling_counts(backend) -> dict[str, float]:
    """Each word of the spelling field and its frequency (the figure spelling_corrections ranks by)."""
    from whoosh import index as whoosh_index

    ix = whoosh_index.open_dir(backend.path)
    with ix.reader() as reader:
        spell_field = ix.schema["text"].spelling_fieldname("text")
        return {word: reader.frequency(spell_field, word) for word in reader.field_terms(spell_field)}


@pytest.mark.parametrize("procs", [1, 2])
def test_build_all_counts_spelling_words_as_document_by_document_writing_does(indexed_seed, procs):
    """build_all posts each spelling word once with its count; the figures are those of one posting per document."""
    backend = connections["default"].get_backend()
    unified = connections["default"].get_unified_index()

    def sources():
        return [(unified.get_index(m), unified.get_index(m).index_queryset()) for m in unified.get_indexed_models()]

    backend.clear()
    backend.apply_changes(updates=sources())  # Whoosh's own way: one spelling posting per document and word
    by_document = spelling_counts(backend)
    assert by_document["breeding"] >= 1 and by_document["terrorism"] > 1
    backend.clear()
    backend.build_all(sources(), procs=procs)
    assert spelling_counts(backend) == by_document


def test_spelling_words_are_whooshs_spellable_words():
    from whoosh.fields import TEXT

    from archive.search.backends.whoosh.schema import SpelledText, archive_analyzer

    text = "The U.N. Office's 2nd report: terrorists, TERRORISM and a résumé; x y e.g. İstanbul\nof 3.5 per-cent"
    whoosh_field = TEXT(analyzer=archive_analyzer(), spelling=True)
    ours = SpelledText(analyzer=archive_analyzer(), spelling=True)
    assert list(ours.spellable_words(text)) == list(whoosh_field.spellable_words(text))


@pytest.mark.parametrize(
    "text",
    [
        "",
        "the of and",
        "The terrorists said: terrorism, TERRORISM and the terrorist threat",
        "a b c dog. e.g. U.N. İstanbul résumé 3.5 x\n\nthe  SCO's 2nd\tsummit",
    ],
)
def test_archive_text_indexes_exactly_as_whoosh_text(text):
    """Terms, frequencies, weights and positions (renumbered around stop words) as Whoosh's own TEXT gives them."""
    from whoosh.fields import TEXT

    from archive.search.backends.whoosh.schema import ArchiveText, archive_analyzer

    ours = ArchiveText(analyzer=archive_analyzer(), field_boost=1.5)
    whoosh_field = TEXT(analyzer=archive_analyzer(), field_boost=1.5)
    assert list(ours.index(text)) == list(whoosh_field.index(text))


def test_a_big_rebuild_uses_two_writing_processes_unless_set_otherwise(indexed_seed, monkeypatch, settings):
    from archive.search import indexing

    chosen = []
    original = ArchiveWhooshSearchBackend.build_all

    def spy(self, sources, **kwargs):
        chosen.append(kwargs.get("procs"))
        return original(self, sources, **kwargs)

    monkeypatch.setattr(ArchiveWhooshSearchBackend, "build_all", spy)
    monkeypatch.setattr(indexing.os, "cpu_count", lambda: 2)
    monkeypatch.setattr(indexing, "PARALLEL_BUILD_FROM", 5)  # the seed archive counts as big
    call_command("rebuild_index", interactive=False, verbosity=0)
    assert chosen == [2]
    assert find_drift().total == 0  # everything written, once, by the two writers

    settings.ARCHIVE_BUILD_PROCS = 1
    call_command("rebuild_index", interactive=False, verbosity=0)
    assert chosen == [2, 1]
    assert find_drift().total == 0

    monkeypatch.setattr(indexing, "PARALLEL_BUILD_FROM", 20_000)
    settings.ARCHIVE_BUILD_PROCS = None
    call_command("rebuild_index", interactive=False, verbosity=0)
    assert chosen == [2, 1, 1]  # a small archive: one writer
