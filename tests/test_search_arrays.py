"""Searches evaluated on arrays (archive/search/backends/whoosh/arrays.py) answer as Whoosh's own searcher would.

The same queries run both ways over a synthetic archive: the hits of the page in the same order, the same total, the
same page number and the same facet counts, whatever the query syntax, filters, sort or page. Then again after edits
and deletions, when the index has several segments and deleted documents (what a live archive's index looks like).
"""

import pytest
from django.core.management import call_command
from django.db import transaction
from whoosh.sorting import Count, FieldFacet, MultiFacet

from archive import search
from archive.models import Article, Quotation
from archive.search.backends.whoosh import arrays as whoosh_arrays
from archive.search.backends.whoosh.backend import shared_searcher, to_whoosh
from archive.search.indexing import apply_pending_updates
from archive.search.query import AllOf
from bench.queries import query_mix
from bench.synthetic import SyntheticArchive

pytestmark = pytest.mark.django_db(transaction=True)


def whoosh_answer(searcher, whoosh_query, page, per_page, sort, facets):
    """What Whoosh's own collector says: (page's document numbers, total, page number, facet counts)."""
    kwargs = {}
    if sort in ("newest", "oldest"):
        kwargs["sortedby"] = MultiFacet([FieldFacet("date", reverse=sort == "newest"), FieldFacet("position")])
    if facets:
        kwargs["groupedby"] = {name: FieldFacet(name, allow_overlap=True, maptype=Count) for name in facets}
    results = searcher.search_page(whoosh_query, page, pagelen=per_page, **kwargs)
    counts = {
        name: {key.decode(): n for key, n in results.results.groups(name).items() if key is not None} for name in facets
    }
    return [hit.docnum for hit in results], results.total, results.pagenum, counts


def array_answer(searcher, whoosh_query, page, per_page, sort, facets):
    found = whoosh_arrays.run(searcher, whoosh_query, page, per_page, sort, facets)
    return found.docnums, found.total, found.page, found.facets


def searches(stats):
    """Search parameters covering the query syntax, the filters, the three sorts, the types and the pages."""
    mix = query_mix(stats, 28)
    common = [q.words[0] for q in mix if q.kind == "common"][:2]
    speakers = [q.speaker for q in mix if q.speaker][:1]
    documents = [q.document for q in mix if q.document][:1]
    texts = [q.text for q in mix] + [
        f"{common[0]} OR {common[1]}",
        f"{common[0]} -{common[1]}",
        f'{common[0]} -"{common[1]}"',
        f"{common[0][:4]}*",
        f"-{common[0]}",
        f"{common[0]} year:2005-2015",
        "year:2010",
        f"{common[1]} language:en",
        "",
    ]
    params = [search.SearchParams(q=text) for text in texts]
    params += [search.SearchParams(q=text, sort=sort) for text in texts[:10] for sort in ("newest", "oldest")]
    params += [search.SearchParams(q=common[0], page=page, per_page=7) for page in (1, 2, 3, 10_000)]
    params += [search.SearchParams(q=common[0], speaker=slug) for slug in speakers]
    params += [search.SearchParams(q=common[1], document=slug, sort="newest") for slug in documents]
    params += [search.SearchParams(q=text, type=kind) for text in texts[:6] for kind in ("articles", "documents")]
    params += [search.SearchParams(date_from=stats_date(2008), date_to=stats_date(2012))]
    return params


def stats_date(year):
    import datetime

    return datetime.date(year, 1, 1)


def compare_all(params_list):
    backend = search.backend()
    compared = 0
    with shared_searcher(backend.path) as searcher:
        for params in params_list:
            parsed = search.parse_query(params.q)
            if parsed.nothing_searchable:
                continue
            node = AllOf(((parsed.node,) if parsed.node else ()) + tuple(search.filter_nodes(params)))
            whoosh_query = to_whoosh(node)
            if whoosh_query is None:
                continue
            args = (whoosh_query, params.page, params.per_page, search.effective_sort(params, parsed))
            facets = params.search_type.facets
            expected = whoosh_answer(searcher, *args, facets)
            assert array_answer(searcher, *args, facets) == expected, params
            compared += 1
    return compared


@pytest.fixture
def synthetic_index():
    stats = SyntheticArchive(40, seed=3).load()
    call_command("rebuild_index", interactive=False, verbosity=0)
    return stats


def test_same_answers_as_whoosh_on_a_freshly_built_index(synthetic_index):
    assert compare_all(searches(synthetic_index)) > 60


def test_same_answers_after_edits_and_deletions_across_segments(synthetic_index):
    with transaction.atomic():
        for quotation in Quotation.objects.order_by("pk")[:25]:
            quotation.text = quotation.text + " additional cooperation"
            quotation.save()
    apply_pending_updates()
    with transaction.atomic():
        for article in Article.objects.order_by("-pk")[:3]:
            article.delete()
    apply_pending_updates()

    with shared_searcher(search.backend().path) as searcher:
        readers = [sub.reader() for sub, _ in whoosh_arrays.segments(searcher)]
        assert len(readers) > 1 and any(reader.has_deletions() for reader in readers)
    assert compare_all(searches(synthetic_index) + [search.SearchParams(q="additional cooperation")]) > 60


def test_facet_counts_shown_to_readers_match_the_hits(synthetic_index):
    """The counts beside a facet value are what the reader gets on narrowing to it."""
    word = [q.words[0] for q in query_mix(synthetic_index, 14) if q.kind == "common"][0]
    page = search.search(search.SearchParams(q=word))
    speaker = next(f for f in page.facets if f.name == "speaker").values[0]
    narrowed = search.search(search.SearchParams(q=word, speaker=speaker.value))
    assert narrowed.total == speaker.count > 0


def test_warming_up_prepares_the_facets_before_the_first_reader(synthetic_index):
    whoosh_arrays.forget_segments()
    search.warm_up()
    with shared_searcher(search.backend().path) as searcher:
        for sub, _ in whoosh_arrays.segments(searcher):
            prepared = whoosh_arrays.segment_arrays(sub.reader())
            assert set(search.TYPES["quotations"].facets) <= set(prepared.facets)
            assert {"date", "position"} <= set(prepared.columns)


def test_warming_up_without_an_index_does_nothing_and_raises_nothing(search_index):
    assert not search_index.exists()
    search.warm_up()
    thread = search.start_warm_up_thread()
    thread.join(timeout=30)
    assert not thread.is_alive()
