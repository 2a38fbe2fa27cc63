"""The browsing pages a reader walks without typing, on the seed archive and on small made-up records."""

import datetime
import re
from html import escape, unescape

import pytest
from django.urls import reverse
from django.utils import timezone

from archive import charts
from archive.highlight import Span, marked_body, surrounding_paragraph
from archive.models import Article, Document, DocumentRelation, Quotation
from archive.sitemaps import SITEMAPS
from tests.factories import make_article, make_document, make_organisation, make_person, make_quotation, make_role

ARTICLE_URL = "/articles/sco-secretary-general-the-threat-of-extremism-must-be-removed-without-delay/"


def page(client, url, status=200):
    response = client.get(url)
    assert response.status_code == status, (url, response.status_code)
    return response.content.decode()


def test_home_shows_latest_articles_quotations_counts_and_ways_in(client, seed_archive):
    """The home page gives a newcomer the latest article, recent quotations, the figures and every way in."""
    html = page(client, "/")
    assert seed_archive.title in html
    assert "Rashid Alimov" in html and "quotations" in html
    assert re.search(r"<strong>13</strong>\s*quotations", html)
    for url in ["/organisations/", "/speakers/", "/documents/", "/archive/2017/", "/search/"]:
        assert f'href="{url}"' in html or f'action="{url}"' in html, url
    assert '<form class="search-box" role="search" method="get" action="/search/">' in html
    assert '<label for="home-q">' in html


def test_home_without_articles_points_staff_to_the_admin(client, db):
    """An empty archive says so instead of showing empty lists."""
    html = page(client, "/")
    assert "No articles have been published yet" in html


def test_organisation_list_is_alphabetical_with_counts(client, seed_archive):
    """/organisations/ lists every body A–Z with what the archive holds of it."""
    html = page(client, "/organisations/")
    names = re.findall(r'<a href="/organisations/[^"]+/">([^<]+)</a>', html)
    assert names == sorted(names) and "Shanghai Cooperation Organisation" in names
    assert "13 quotations" in html and "3 documents" in html
    assert 'id="letter-S"' in html


def test_organisation_page_shows_members_people_quotations_documents_and_articles(client, seed_archive):
    """An organisation's page links down to its member bodies, its people, their words and its documents."""
    html = page(client, "/organisations/sco/")
    assert "A permanent intergovernmental international organisation" in html
    assert 'href="/organisations/sco-secretariat/"' in html  # member body
    assert 'href="/speakers/rashid-alimov/"' in html and "Secretary-General" in html
    assert "Latest statements of its people" in html and "(13)" in html
    assert 'href="/documents/shanghai-convention/"' in html
    assert '<input type="hidden" name="organisation" value="sco">' in html
    assert 'role="img"' in html and "/feeds/organisations/sco/" in html
    secretariat = page(client, "/organisations/sco-secretariat/")
    assert 'href="/organisations/sco/"' in secretariat  # its parent
    assert f'href="{ARTICLE_URL}"' in secretariat  # the article it published


def test_speaker_list_and_page(client, seed_archive):
    """/speakers/ lists who is quoted; a speaker's page shows roles, quotations newest first and their documents."""
    listing = page(client, "/speakers/")
    assert 'href="/speakers/rashid-alimov/"' in listing and "13 quotations" in listing
    assert "Secretary-General of the SCO" in listing
    html = page(client, "/speakers/rashid-alimov/")
    period = '<time datetime="2016-01-01">1 January 2016</time> – <time datetime="2018-12-31">31 December 2018</time>'
    assert "Roles" in html and period in html
    assert "Secretary-General of the SCO, " + period in html  # the header gives the period as the roles box does
    assert html.count('class="quotation') == 13
    assert "Documents referred to most" in html
    top = re.search(r"Documents referred to most</h2>\s*<ol[^>]*>(.*?)</ol>", html, re.S).group(1)
    assert top.index("SCO Convention on Countering Extremism") < top.index("Shanghai Convention")
    assert '<input type="hidden" name="speaker" value="rashid-alimov">' in html
    assert 'action="/search/"' in html


def test_speaker_quotations_are_paginated_newest_first(client, db):
    """A prolific speaker's quotations come 20 to a page, newest first, with links between pages."""
    person = make_person()
    for day in range(25):
        article = make_article(
            title=f"Meeting {day}",
            body=f"<p>“Statement number {day} stands,” he said.</p>",
            published_at=timezone.make_aware(datetime.datetime(2019, 1, 1 + day, 9)),
        )
        make_quotation(article, person, text=f"Statement number {day} stands,")
    first = page(client, person.get_absolute_url())
    assert first.count('class="quotation') == 20
    assert first.index("Statement number 24 ") < first.index("Statement number 23 ")
    assert 'rel="next" href="?page=2#quotations"' in first
    second = page(client, person.get_absolute_url() + "?page=2")
    assert second.count('class="quotation') == 5 and "Statement number 0 " in second
    assert page(client, person.get_absolute_url() + "?page=99").count('class="quotation') == 5


def test_document_list_shows_one_kind_at_a_time_newest_first(client, seed_archive):
    """/documents/ shows one kind of document a page (the first kind held by default), newest adoption first, with
    a bar of every kind and its count."""
    html = page(client, "/documents/")
    conventions = re.search(r'id="kind-convention".*?</section>', html, re.S).group(0)
    assert conventions.index("SCO Convention on Countering Extremism") < conventions.index("Shanghai Convention")
    assert 'href="?kind=convention" aria-current="page">Conventions <span class="count">3</span>' in html
    assert 'href="?kind=strategy">Strategies <span class="count">2</span>' in html and "Strategys" not in html
    assert "9 quotations" in html and "SCO Development Strategy" not in html
    strategies = page(client, "/documents/?kind=strategy")
    assert 'id="kind-strategy"' in strategies and "SCO Development Strategy" in strategies
    assert "Shanghai Convention" not in strategies


def test_document_page_shows_details_relations_both_ways_quotations_and_articles(client, seed_archive):
    """A document's page lists related documents in both directions and every statement that refers to it."""
    html = page(client, "/documents/sco-convention-on-countering-extremism/")
    assert "9 June 2017" in html and "Astana" in html
    assert "This document elaborates" in html and 'href="/documents/sco-development-strategy-towards-2025/"' in html
    assert "This document is consonant with" in html
    assert html.count('class="quotation') == 9
    assert f'href="{ARTICLE_URL}"' in html
    assert '<input type="hidden" name="document" value="sco-convention-on-countering-extremism">' in html
    strategy = page(client, "/documents/sco-development-strategy-towards-2025/")
    assert "SCO Convention on Countering Extremism</a> elaborates this document" in strategy


def test_article_page_marks_each_quotation_in_place_and_links_it(client, seed_archive):
    """The article's body shows every quotation highlighted where it stands, each linking to its own page."""
    html = page(client, ARTICLE_URL)
    assert html.count("<mark") == 13
    first = Quotation.objects.get(pk=1)
    assert '<mark id="q-1"><a href="/quotations/1/"' in html
    marked = re.search(r'<mark id="q-1"><a [^>]*>(.*?)</a></mark>', html).group(1)
    assert marked == escape(first.text, quote=False)
    assert "<h3>Features of the new document</h3>" in html  # the heading keeps its element
    assert 'class="reported"' in html
    assert 'href="/speakers/rashid-alimov/"' in html and 'href="/documents/shanghai-convention/"' in html
    assert "Source: SCO Secretariat" in html


def test_quotation_page_has_quote_role_context_documents_citation_and_open_graph(client, seed_archive):
    """A quotation's permanent page has everything needed to check, cite and share it."""
    html = page(client, "/quotations/3/")
    assert "The convention adopted by the SCO summit" in html
    assert 'Secretary-General of the <a href="/organisations/sco/">SCO</a>' in html
    assert '<time datetime="2017-06-13">13 June 2017</time>' in html
    assert "In context" in html and '<mark id="quoted">The convention adopted' in html
    assert 'href="/documents/un-global-counter-terrorism-strategy/"' in html
    assert "Cite this quotation" in html and "@misc{alimov2017convention3," in html
    assert 'value="http://testserver/quotations/3/"' in html and "copy-link.js" in html
    assert '<meta property="og:url" content="http://testserver/quotations/3/">' in html
    assert '<meta property="og:description" content="“The convention adopted' in html
    assert f'href="{ARTICLE_URL}#q-3"' in html


def test_archive_by_year_and_month(client, seed_archive):
    """The archive can be walked by year and month, with two-digit months in the address."""
    assert 'href="/archive/2017/06/"' in page(client, "/archive/")
    year = page(client, "/archive/2017/")
    assert "June 2017" in year and seed_archive.title in year and "13 quotations" in year
    month = page(client, "/archive/2017/06/")
    assert seed_archive.title in month and "Quotations this month" in month
    assert reverse("archive:archive_month", args=[2017, 6]) == "/archive/2017/06/"


@pytest.mark.parametrize("url", ["/archive/2016/", "/archive/2017/07/", "/archive/2017/13/"])
def test_empty_years_and_months_are_not_found(client, seed_archive, url):
    """A year or month with nothing published is a 404, not an empty page."""
    page(client, url, status=404)


def test_timeline_chart_is_inline_svg_with_text_equivalent(client, seed_archive):
    """The statements-per-year chart is server-drawn SVG that also reads as text and as a table."""
    html = page(client, "/speakers/rashid-alimov/")
    svg = re.search(r'<figure class="timeline".*?(<svg[^>]*>.*?</svg>)', html, re.S).group(1)
    assert 'role="img"' in svg and "<title" in svg and "<desc" in svg and "13 statements in 2017" in svg
    assert "<table>" in html and '<th scope="row">2017</th><td>13</td>' in html


def test_timeline_fills_gaps_and_labels_a_readable_number_of_years():
    """Years without statements are drawn as empty bars; long ranges label only some years."""
    chart = charts.timeline({1990: 2, 1993: 5, 2024: 1})
    assert [bar.year for bar in chart.bars] == list(range(1990, 2025))
    assert chart.bars[1].count == 0 and chart.bars[1].height == 0
    assert sum(bar.show_label for bar in chart.bars) <= charts.MAX_LABELS and chart.bars[-1].show_label
    assert chart.summary == "8 statements from 1990 to 2024; most in 1993 (5)."
    assert charts.timeline({}).summary == "No statements yet."


def test_marked_body_escapes_text_and_skips_overlaps():
    """Rebuilding the body never lets text become markup, and overlapping spans do not nest."""
    body_html = "<p>He said &lt;script&gt;alert(1)&lt;/script&gt; loudly.</p><h2>Part</h2><p>Second words here.</p>"
    body_text = "He said <script>alert(1)</script> loudly.\n\nPart\n\nSecond words here."
    spans = [Span(8, 33, "/quotations/1/", "q-1"), Span(10, 20, "/quotations/2/", "q-2"), Span(49, 55, "", "q-3")]
    html = str(marked_body(body_html, body_text, spans))
    assert "<script>" not in html and "&lt;script&gt;" in html
    assert html.count("<mark") == 2 and 'id="q-2"' not in html
    assert "<h2>Part</h2>" in html and '<mark id="q-3">Second</mark>' in html
    assert str(marked_body(body_html, body_text, [])) == body_html


def test_surrounding_paragraph_marks_only_the_quote():
    """The context shown on a quotation's page is its own paragraph, not the whole article."""
    text = "First paragraph.\n\nHe said “we agree” today.\n\nLast paragraph."
    start = text.index("we agree")
    html = str(surrounding_paragraph(text, start, start + len("we agree")))
    assert html == 'He said “<mark id="quoted">we agree</mark>” today.'
    assert str(surrounding_paragraph(text, None, None)) == ""


def test_stale_offsets_are_relocated_by_the_words(client, db):
    """A quotation whose offsets no longer match the text is still highlighted where its words stand."""
    person = make_person()
    article = make_article()
    quotation = make_quotation(article, person)
    Quotation.objects.filter(pk=quotation.pk).update(start=0, end=3)
    html = page(client, article.get_absolute_url())
    assert f'<mark id="q-{quotation.pk}"><a href="/quotations/{quotation.pk}/"' in html
    assert "We stand together,</a></mark>" in html


# Drafts and unconfirmed quotations


@pytest.fixture
def draft_records(db):
    """A draft article by a speaker known only from it, with a quotation referring to a new document."""
    speaker = make_person(name="Hidden Envoy")
    document = make_document(title="Confidential Accord", kind=Document.Kind.AGREEMENT, adopted_year=2021)
    draft = make_article(
        title="Unpublished briefing",
        body="<p>“Nothing is agreed yet,” said Hidden Envoy.</p>",
        status=Article.Status.DRAFT,
        published_at=timezone.make_aware(datetime.datetime(2021, 3, 1, 9)),
    )
    quotation = make_quotation(draft, speaker, text="Nothing is agreed yet,")
    quotation.documents.add(document)
    return {"speaker": speaker, "document": document, "draft": draft, "quotation": quotation}


def test_drafts_are_never_reachable_by_the_public(client, seed_archive, draft_records):
    """A draft article, its quotations and its draft-only speaker appear on no public page, feed, API or sitemap."""
    draft, quotation = draft_records["draft"], draft_records["quotation"]
    page(client, draft.get_absolute_url(), status=404)
    page(client, quotation.get_absolute_url(), status=404)
    page(client, draft_records["speaker"].get_absolute_url(), status=404)
    page(client, "/archive/2021/", status=404)
    page(client, "/archive/2021/03/", status=404)
    page(client, f"/api/quotations/{quotation.pk}/", status=404)
    page(client, f"/api/articles/{draft.slug}/", status=404)
    page(client, "/api/speakers/hidden-envoy/", status=404)
    page(client, "/feeds/speakers/hidden-envoy/", status=404)
    for url in [
        "/",
        "/speakers/",
        "/organisations/sco/",
        "/documents/",
        draft_records["document"].get_absolute_url(),
        "/archive/",
        "/feeds/articles/",
        f"/feeds/documents/{draft_records['document'].slug}/",
        "/api/quotations/",
        "/api/articles/",
        "/api/speakers/",
        f"/api/quotations/?document={draft_records['document'].slug}",
        "/sitemap.xml",
        *SITEMAP_SECTIONS,
    ]:
        html = page(client, url)
        assert "Nothing is agreed yet" not in html, url
        assert "Unpublished briefing" not in html and draft.slug not in html, url
        assert "Hidden Envoy" not in html and "hidden-envoy" not in html, url


def test_staff_do_not_see_drafts_on_public_pages_either(staff_client, draft_records):
    """Public pages show the public archive to everyone; staff preview drafts in the admin."""
    page(staff_client, draft_records["draft"].get_absolute_url(), status=404)


@pytest.mark.parametrize("review", [Quotation.Review.SUGGESTED, Quotation.Review.REJECTED])
def test_unconfirmed_quotations_are_never_public(client, seed_archive, review):
    """Suggested and rejected quotations are neither highlighted, listed, served nor counted."""
    quotation = Quotation.objects.get(pk=1)
    Quotation.objects.filter(pk=1).update(review=review)
    page(client, "/quotations/1/", status=404)
    page(client, "/api/quotations/1/", status=404)
    article = page(client, ARTICLE_URL)
    assert 'id="q-1"' not in article and article.count("<mark") == 12
    for url in ["/speakers/rashid-alimov/", "/api/quotations/", "/feeds/speakers/rashid-alimov/", *SITEMAP_SECTIONS]:
        assert quotation.text[:40] not in page(client, url) or url == ARTICLE_URL, url
    assert "12 quotations" in page(client, "/speakers/")


def test_records_awaiting_review_are_hidden(client, seed_archive):
    """People, organisations and documents proposed by extraction stay out of sight until confirmed."""
    Document.objects.filter(slug="shanghai-convention").update(needs_review=True)
    page(client, "/documents/shanghai-convention/", status=404)
    assert "shanghai-convention" not in page(client, "/documents/")
    assert "/documents/shanghai-convention/" not in page(client, "/quotations/2/")
    assert "/documents/shanghai-convention/" not in page(client, "/documents/sco-convention-on-countering-extremism/")
    assert DocumentRelation.objects.filter(to_document__slug="shanghai-convention").exists()


# 404s


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("/speakers/rashid-alimof/", "There is no such speaker here"),
        ("/organisations/nato/", "There is no such organisation here"),
        ("/documents/no-such-treaty/", "There is no such document here"),
        ("/articles/no-such-article/", "There is no such article here"),
        ("/quotations/999/", "There is no such quotation here"),
        ("/no/such/page/", "This page does not exist"),
    ],
)
def test_unknown_addresses_get_a_helpful_404(client, seed_archive, settings, url, expected):
    """With DEBUG off, an unknown slug answers 404 with the site's own page: what was missing and where to go."""
    settings.DEBUG = False
    html = page(client, url, status=404)
    assert expected in html and '<nav aria-label="Main">' in html
    assert 'role="search"' in html and 'href="/"' in html


def test_404_suggests_the_nearest_record_and_searches_the_words(client, seed_archive, settings):
    """A mistyped speaker slug offers the speaker meant and a search prefilled with the words typed."""
    settings.DEBUG = False
    html = page(client, "/speakers/rashid-alimof/", status=404)
    assert "Did you mean" in html and 'href="/speakers/rashid-alimov/"' in html
    assert 'value="rashid alimof"' in html


def test_robots_txt_points_to_the_sitemap(client, db):
    """robots.txt keeps crawlers out of the admin and endless search pages, and names the sitemap."""
    response = client.get("/robots.txt")
    assert response["Content-Type"].startswith("text/plain")
    text = response.content.decode()
    assert "Disallow: /admin/" in text and "Disallow: /search/" in text
    assert "Sitemap: http://testserver/sitemap.xml" in text


SITEMAP_SECTIONS = [f"/sitemap-{name}.xml" for name in SITEMAPS]


def sitemap_pages(client, index_url="/sitemap.xml") -> dict[str, str]:
    """{address: XML} of every sitemap the index names."""
    index = page(client, index_url)
    addresses = [unescape(a).removeprefix("http://testserver") for a in re.findall(r"<loc>([^<]+)</loc>", index)]
    return {address: page(client, address) for address in addresses}


def test_sitemap_lists_public_pages(client, seed_archive):
    """The sitemaps name the article, each quotation, the speaker, organisations, documents and years."""
    xml = "".join(sitemap_pages(client).values())
    for path in [ARTICLE_URL, "/quotations/13/", "/speakers/rashid-alimov/", "/organisations/un/", "/archive/2017/"]:
        assert f"<loc>http://testserver{path}</loc>" in xml, path
    assert "/documents/universal-anti-terrorism-convention/" in xml


def test_sitemap_is_an_index_of_paged_sections(client, seed_archive, monkeypatch):
    """/sitemap.xml is a sitemap index; a section longer than a page is split into ?p= pages of the page size."""
    from archive.sitemaps import PagedSitemap

    monkeypatch.setattr(PagedSitemap, "limit", 5)
    index = page(client, "/sitemap.xml")
    assert index.count("<sitemapindex") == 1 and "<urlset" not in index
    pages = sitemap_pages(client)
    quotation_pages = [address for address in pages if address.startswith("/sitemap-quotations.xml")]
    assert quotation_pages == ["/sitemap-quotations.xml", "/sitemap-quotations.xml?p=2", "/sitemap-quotations.xml?p=3"]
    assert [pages[address].count("<url>") for address in quotation_pages] == [5, 5, 3]
    page(client, "/sitemap-quotations.xml?p=4", status=404)


def test_sitemaps_are_kept_until_the_data_changes(client, seed_archive, django_assert_num_queries):
    """A sitemap fetched again costs one query (the data version) until a change, which shows at once."""
    for address in ["/sitemap.xml", "/sitemap-articles.xml"]:
        first = page(client, address)
        with django_assert_num_queries(1):
            assert page(client, address) == first
    make_article("Fresh news", slug="fresh-news")
    assert "/articles/fresh-news/" in page(client, "/sitemap-articles.xml")


def test_pages_use_landmarks_labels_and_local_static_files(client, seed_archive):
    """Every page has a skip link, header/nav/main/footer, labelled forms and no third-party asset."""
    for url in ["/", "/speakers/rashid-alimov/", "/documents/shanghai-convention/", ARTICLE_URL, "/quotations/1/"]:
        html = page(client, url)
        assert 'class="skip-link" href="#main"' in html and '<main id="main"' in html
        assert "<header" in html and '<nav aria-label="Main">' in html and "<footer" in html
        assert html.count("<h1") == 1
        assert not re.search(r'(src|href)="(https?:)?//(?!testserver)[^"]*\.(css|js)"', html)
        for field_id in re.findall(r'<input type="(?:search|text)" id="([^"]+)"', html):
            assert f'<label for="{field_id}">' in html, (url, field_id)


def test_make_role_shows_on_organisation_page(client, db):
    """A person's role appears on the organisation's page with its dates, even before they are quoted."""
    organisation = make_organisation()
    person = make_person()
    make_role(person, organisation, start=datetime.date(2018, 1, 1), end=datetime.date(2022, 12, 31))
    html = page(client, organisation.get_absolute_url())
    assert 'href="/speakers/lim-jock-hoi/"' in html and "2018 – 2022" in html
    assert "None of its people has been quoted yet." in html
    assert page(client, person.get_absolute_url()).count("No published quotations yet.") == 1
