"""The search page and archive.search, over a real Whoosh index in the test's own folder."""

# ruff: noqa: F811 - pytest fixtures imported from tests.search_support are redefined as arguments

import shutil
from collections import Counter
from html import unescape
from urllib.parse import parse_qs, urlsplit

import pytest
from django.urls import reverse

from archive.models import Article, Organisation, Quotation
from archive.search import SearchParams, language_name, parse_query, search
from archive.search.analysis import analyze
from tests.factories import make_article, make_person, make_quotation
from tests.search_support import (  # noqa: F401 (fixtures)
    facet_counts,
    facet_urls,
    indexed_seed,
    quotation_ids,
    result_total,
    varied_archive,
)

pytestmark = pytest.mark.django_db

SEARCH = "/search/"


def page(client, **params):
    response = client.get(SEARCH, params)
    assert response.status_code == 200
    return response.content.decode()


def hit_ids(**params) -> set[int]:
    return {hit.object.pk for hit in search(SearchParams(per_page=100, **params)).hits}


def test_the_search_route_is_where_the_team_links_to():
    """The search page lives at /search/ under the name archive:search."""
    assert reverse("archive:search") == SEARCH


def test_a_phrase_finds_its_quotation_with_the_phrase_highlighted(client, indexed_seed):
    """ "breeding ground for terrorism" finds the one quotation saying it, the phrase marked, under its article's title,
    with one link to the quotation's page naming the speaker, role and date."""
    quotation = Quotation.objects.get(text__contains="breeding ground for terrorism")
    html = page(client, q='"breeding ground for terrorism"')
    assert quotation_ids(html) == [quotation.pk]
    assert "<mark>breeding ground for terrorism</mark>" in html
    assert f'href="{quotation.article.get_absolute_url()}"' in html
    assert f'<a class="hit-link" href="/quotations/{quotation.pk}/"><span class="who">Rashid Alimov</span>' in html
    assert "Rashid Alimov</span>, Secretary-General of the SCO" in html
    assert "13 June 2017" in html


def test_words_must_all_match_and_a_phrase_must_be_exact(indexed_seed):
    """Plain words match anywhere in the quotation's record; a phrase only where the words stand together."""
    both = hit_ids(q="breeding terrorism")
    assert Quotation.objects.get(text__contains="breeding ground").pk in both
    assert hit_ids(q='"terrorism breeding"') == set()


@pytest.mark.parametrize(
    ("word", "other", "meet"),
    [
        ("extremist", "extremism", True),
        ("extremists", "extremism", True),
        ("terrorist", "terrorism", True),
        ("convention", "conventions", True),
        ("extreme", "extremism", False),  # an -ism keeps its suffix: "extremism" is not "extreme"
        ("extremely", "extremism", False),  # nor "extremely" (Porter alone stems all three to "extrem")
        ("insist", "insism", False),  # -ist is folded only after five letters or more
        ("organisation", "organization", False),  # British and American spellings stay apart
    ],
)
def test_which_word_forms_meet(word, other, meet):
    """English stemming makes extremist/extremism and convention/conventions the same term, and keeps extremely and
    extremism apart; the table says which."""
    assert (analyze(word) == analyze(other)) is meet


def test_other_word_forms_find_the_same_quotations(indexed_seed):
    """ "extremists" finds quotations that only say "extremism", and "conventions" those saying "convention"."""
    only_extremism = Quotation.objects.get(text__startswith="extremism in no uncertain terms")
    assert "extremist" not in only_extremism.text
    assert only_extremism.pk in hit_ids(q="extremists")
    singular = Quotation.objects.get(text__startswith="the 2017 convention determines")
    assert singular.pk in hit_ids(q="conventions")


def test_each_facet_count_is_right_and_each_link_narrows(client, varied_archive):
    """Facet counts beside the results equal the hits having each value, and each facet link narrows to them."""
    everything = search(SearchParams(q="terrorism", per_page=100))
    expected = {name: Counter() for name in ("speaker", "organisation", "document", "year", "language", "speech")}
    for hit in everything.hits:
        quotation = hit.object
        expected["speaker"][quotation.speaker.name] += 1
        if quotation.role:
            expected["organisation"][quotation.role.organisation.display_name] += 1
        for document in quotation.documents.all():
            expected["document"][document.short_title or document.title] += 1
        expected["year"][str(quotation.date.year)] += 1
        expected["language"][language_name(quotation.article.language)] += 1
        expected["speech"][quotation.get_speech_display()] += 1
    assert len(expected["speaker"]) == 2 and len(expected["year"]) == 2  # the data really varies

    html = page(client, q="terrorism")
    assert result_total(html) == everything.total
    for name, counts in expected.items():
        assert facet_counts(html, name) == dict(counts), name
        for label, url in facet_urls(html, name).items():
            narrowed = page(client, **{k: v[0] for k, v in parse_qs(urlsplit(url).query).items()})
            assert result_total(narrowed) == counts[label], (name, label)
            assert "Remove this filter" in narrowed


def test_facet_values_stay_whole(varied_archive):
    """Facet values come back as the slugs and codes stored, not stemmed or split (haystack's _exact would be)."""
    result = search(SearchParams(q="terrorism"))
    values = {facet.name: {v.value for v in facet.values} for facet in result.facets}
    assert values["speaker"] == {"rashid-alimov", "lim-jock-hoi"}
    assert "shanghai-convention" in values["document"]
    assert values["organisation"] == {"sco", varied_archive["asean"].slug}


def test_a_facet_link_removes_its_filter_when_active(client, varied_archive):
    """With a filter in force, its facet entry and the active-filter chip link back to the unfiltered search."""
    html = page(client, q="terrorism", speaker="lim-jock-hoi")
    assert result_total(html) == 2
    assert "Speaker: Lim Jock Hoi" in html
    assert unescape(facet_urls(html, "speaker")["Lim Jock Hoi"]) == "/search/?q=terrorism"
    assert 'href="/search/?q=terrorism" title="Remove this filter"' in html


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("speaker:alimov", lambda r: set(r["seed"].quotations.values_list("pk", flat=True))),
        ("speaker:lim", lambda r: {r["q_borders"].pk, r["q_charter"].pk, r["q_french"].pk}),
        ("speaker:lim-jock-hoi", lambda r: {r["q_borders"].pk, r["q_charter"].pk, r["q_french"].pk}),
        ("organisation:SCO", lambda r: set(r["seed"].quotations.values_list("pk", flat=True))),
        ("organisation:ASEAN", lambda r: {r["q_borders"].pk, r["q_charter"].pk, r["q_french"].pk}),
        (
            'document:"Shanghai Convention"',
            lambda r: set(Quotation.objects.filter(documents__slug="shanghai-convention").values_list("pk", flat=True)),
        ),
        ('document:"ASEAN Charter"', lambda r: {r["q_charter"].pk}),
        ("year:2019", lambda r: {r["q_borders"].pk, r["q_charter"].pk, r["q_drugs"].pk}),
        ("year:2019-2020", lambda r: {r["q_borders"].pk, r["q_charter"].pk, r["q_drugs"].pk, r["q_french"].pk}),
        ("language:fr", lambda r: {r["q_french"].pk}),
        ("terrorism speaker:lim year:2019", lambda r: {r["q_borders"].pk, r["q_charter"].pk}),
        ("-speaker:alimov -speaker:lim", lambda r: {r["q_drugs"].pk}),
    ],
)
def test_field_filters(varied_archive, query, expected):
    """speaker:, organisation:, document:"…", year: and language: in the query keep only matching quotations."""
    assert hit_ids(q=query) == expected(varied_archive)


def test_or_exclusion_and_prefix(varied_archive):
    """OR takes either word, -word leaves out, and extrem* finds every word beginning so."""
    assert hit_ids(q="lim OR fedotov") == hit_ids(q="lim") | hit_ids(q="fedotov")
    convention, extremism = hit_ids(q="convention"), hit_ids(q="extremism")
    assert hit_ids(q="convention -extremism") == convention - extremism
    assert hit_ids(q="extrem*") >= extremism | hit_ids(q="extremist")


def test_sort_by_date(client, varied_archive):
    """Newest first and oldest first order results by the quotation's date, and say which order is in force."""
    newest = [hit.object.date for hit in search(SearchParams(q="lim OR alimov", sort="newest", per_page=100)).hits]
    oldest = [hit.object.date for hit in search(SearchParams(q="lim OR alimov", sort="oldest", per_page=100)).hits]
    assert newest == sorted(newest, reverse=True) and newest[0].year == 2020
    assert oldest == sorted(oldest) and oldest[0].year == 2017
    html = page(client, q="lim OR alimov", sort="oldest")
    assert '<strong aria-current="true">Oldest first</strong>' in html


def test_date_range(varied_archive):
    """from and to keep quotations said within the dates, both days included."""
    french = varied_archive["q_french"]
    assert hit_ids(q="lim OR alimov", date_from=french.date) == {french.pk}
    seed_date = varied_archive["seed"].published_at.date()
    assert hit_ids(q="lim OR alimov", date_to=seed_date) == hit_ids(q="alimov")
    assert hit_ids(q="lim OR alimov", date_from=seed_date, date_to=seed_date) == hit_ids(q="alimov")


def test_a_misspelling_gets_did_you_mean(client, indexed_seed):
    """ "extremsm" finds nothing and suggests "extremism", whose link finds quotations."""
    html = page(client, q="extremsm")
    assert result_total(html) == 0
    assert 'Did you mean <a href="/search/?q=extremism">extremism</a>?' in html
    assert result_total(page(client, q="extremism")) > 0


def test_no_suggestion_when_nothing_close_finds_anything(client, indexed_seed):
    """A word nothing resembles gets a plain "no results", not a made-up suggestion."""
    html = page(client, q="xylophonist")
    assert result_total(html) == 0 and "Did you mean" not in html


def test_people_and_organisations_matching_the_words_are_offered(client, indexed_seed):
    """Typing "Alimov" offers his page, typing "SCO" the organisation's."""
    assert 'Speakers matching: <a href="/speakers/rashid-alimov/">Rashid Alimov</a>' in page(client, q="Alimov")
    html = page(client, q="SCO")
    assert "Organisations matching:" in html and 'href="/organisations/sco/"' in html


def test_search_within_a_speaker_only_searches_their_quotations(client, varied_archive):
    """The speaker pages' "search within" form (?q=…&speaker=slug) searches that speaker's quotations only."""
    html = page(client, q="terrorism", speaker="lim-jock-hoi")
    assert set(quotation_ids(html)) == {varied_archive["q_borders"].pk, varied_archive["q_charter"].pk}
    assert 'name="speaker" value="lim-jock-hoi"' in html  # the form keeps searching within


def test_articles_and_documents_can_be_searched_instead(client, varied_archive):
    """type=articles lists articles with their matched words marked; type=documents lists documents."""
    html = page(client, q="extremism", type="articles")
    assert f'href="{varied_archive["seed"].get_absolute_url()}"' in html
    assert f'href="{varied_archive["article_2019"].get_absolute_url()}"' in html
    assert "<mark>extremism</mark>" in html
    html = page(client, q="charter", type="documents")
    assert 'href="/documents/asean-charter/"' in html and "<mark>Charter</mark>" in html


def test_switching_type_keeps_the_words_and_drops_filters_that_do_not_apply(client, varied_archive):
    """The Quotations/Articles/Documents switch keeps the query and drops a speaker filter documents lack."""
    html = page(client, q="terrorism", speaker="lim-jock-hoi")
    assert 'href="/search/?q=terrorism&amp;type=articles&amp;speaker=lim-jock-hoi"' in html
    assert 'href="/search/?q=terrorism&amp;type=documents"' in html


def test_pagination_has_stable_shareable_urls(client, indexed_seed, django_capture_on_commit_callbacks):
    """25 hits make two pages with canonical URLs; every hit is on exactly one page; a page past the end says so."""
    body = "".join(f"<p>“Zeppelin remark number {n}.”</p>" for n in range(25))
    with django_capture_on_commit_callbacks(execute=True):
        speaker = make_person("Hugo Eckener")
        article = make_article("Airships", body)
        for n in range(25):
            make_quotation(article, speaker, f"Zeppelin remark number {n}.")
    first = page(client, q="zeppelin", sort="oldest")
    assert 'href="/search/?q=zeppelin&amp;sort=oldest&amp;page=2" rel="next"' in first or (
        'rel="next" href="/search/?q=zeppelin&amp;sort=oldest&amp;page=2"' in first
    )
    second = page(client, q="zeppelin", sort="oldest", page="2")
    ids_1, ids_2 = quotation_ids(first), quotation_ids(second)
    assert len(ids_1) == 20 and len(ids_2) == 5 and not set(ids_1) & set(ids_2)
    assert set(ids_1) | set(ids_2) == set(article.quotations.values_list("pk", flat=True))
    assert quotation_ids(page(client, q="zeppelin", sort="oldest", page="2")) == ids_2  # same URL, same page
    beyond = page(client, q="zeppelin", sort="oldest", page="999999")
    assert "There is no page 999999" in beyond and quotation_ids(beyond) == ids_2


def test_a_drafts_quotations_are_found_only_once_it_is_published(
    client, indexed_seed, django_capture_on_commit_callbacks
):
    """A draft article's quotations are not in search; publishing adds them, unpublishing takes them away."""
    with django_capture_on_commit_callbacks(execute=True):
        article = make_article(
            "NATO on deterrence", "<p>“Deterrence keeps the peace,” he said.</p>", status=Article.Status.DRAFT
        )
        quotation = make_quotation(article, make_person("Jens Stoltenberg"), "Deterrence keeps the peace,")
    assert quotation_ids(page(client, q="deterrence")) == []
    with django_capture_on_commit_callbacks(execute=True):
        article.status = Article.Status.PUBLISHED
        article.save()
    assert quotation_ids(page(client, q="deterrence")) == [quotation.pk]
    with django_capture_on_commit_callbacks(execute=True):
        article.status = Article.Status.DRAFT
        article.save()
    assert quotation_ids(page(client, q="deterrence")) == []


def test_a_suggested_quotation_is_found_only_once_confirmed(client, indexed_seed, django_capture_on_commit_callbacks):
    """Extraction's suggestions stay out of search until an editor confirms them; a rejected one stays out."""
    quotation = Quotation.objects.get(text__contains="breeding ground")
    with django_capture_on_commit_callbacks(execute=True):
        quotation.review = Quotation.Review.SUGGESTED
        quotation.save()
    assert hit_ids(q='"breeding ground"') == set()
    with django_capture_on_commit_callbacks(execute=True):
        quotation.review = Quotation.Review.CONFIRMED
        quotation.save()
    assert hit_ids(q='"breeding ground"') == {quotation.pk}


def test_a_deleted_quotation_disappears(client, indexed_seed, django_capture_on_commit_callbacks):
    """Deleting a quotation removes it from search at once; deleting the article removes all of its quotations."""
    quotation = Quotation.objects.get(text__contains="breeding ground")
    with django_capture_on_commit_callbacks(execute=True):
        quotation.delete()
    assert quotation_ids(page(client, q='"breeding ground"')) == []
    with django_capture_on_commit_callbacks(execute=True):
        indexed_seed.delete()  # the article takes its quotations with it
    assert result_total(page(client, q="extremism")) == 0


def test_the_index_missing_gives_a_503_page_not_a_traceback(client, indexed_seed, search_index):
    """With the index folder gone, the search page answers 503 "temporarily unavailable"."""
    shutil.rmtree(search_index)
    response = client.get(SEARCH, {"q": "extremism"})
    assert response.status_code == 503
    assert "Search is temporarily unavailable" in response.content.decode()
    assert not search_index.exists()  # searching never creates an empty index in its place


def test_a_corrupted_index_gives_a_503_page(client, indexed_seed, search_index):
    """With the index's table of contents garbled, the search page answers 503 rather than failing."""
    for toc in search_index.glob("*.toc"):
        toc.write_bytes(b"\x00garbage" * 10)
    response = client.get(SEARCH, {"q": 'extremism "<b>x</b>'})
    assert response.status_code == 503
    html = response.content.decode()
    assert "temporarily unavailable" in html and "<b>x</b>" not in html


def test_an_empty_search_shows_the_form_and_help(client, indexed_seed):
    """/search/ with nothing asked shows the form and the syntax help, and runs no search."""
    html = page(client)
    assert 'name="q"' in html and "How to search" in html and "results-heading" not in html


def test_filters_alone_list_newest_first(client, varied_archive):
    """A filter without words (a browse page's link) lists that speaker's quotations, newest first."""
    html = page(client, speaker="lim-jock-hoi")
    assert quotation_ids(html)[0] == varied_archive["q_french"].pk
    assert result_total(html) == 3


def test_parse_query_explains_what_it_ignored():
    """The query parser never fails; it says what it left out."""
    parsed = parse_query('extremism "unclosed OR - year:soon *')
    assert parsed.node is not None and parsed.has_text
    assert any("quotation mark" in n for n in parsed.notices)
    assert any("year:" in n for n in parsed.notices)
    assert parse_query("the of and").nothing_searchable


def test_organisation_rename_in_code_is_reflected(indexed_seed, django_capture_on_commit_callbacks):
    """Renaming an organisation re-indexes the quotations of the people in its roles."""
    with django_capture_on_commit_callbacks(execute=True):
        sco = Organisation.objects.get(slug="sco")
        sco.short_name = "ShOrg"
        sco.save()
    assert hit_ids(q="organisation:ShOrg") == set(indexed_seed.quotations.values_list("pk", flat=True))


def test_haystack_searchqueryset_still_works(indexed_seed):
    """Code that uses haystack's own SearchQuerySet gets the same quotations from the archive's index."""
    from haystack.query import SearchQuerySet

    results = SearchQuerySet().models(Quotation).filter(content="breeding")
    assert [int(result.pk) for result in results] == [Quotation.objects.get(text__contains="breeding ground").pk]
