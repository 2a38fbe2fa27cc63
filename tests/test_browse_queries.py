"""Listing pages, feeds and the API ask the database a fixed number of times whatever their length (no N+1).

Each page is fetched over an archive built with 3 and with 30 of everything; both must take exactly the pinned
number of queries.
"""

import datetime
import re

import pytest
from django.utils import timezone

from archive import page_cache
from archive.models import Article, Document, DocumentMention, DocumentRelation, Organisation, Person, Quotation, Role

ARTICLE_BODY = "<p>{sentences}</p>"


def build_archive(n: int) -> None:
    """A union of n member bodies, n people with roles, n documents, n articles each quoting two people, and
    one long article quoting all n people."""
    union = Organisation.objects.create(name="Union", short_name="U", slug="union", kind="igo")
    star = Person.objects.create(name="Star Speaker", slug="star")
    Role.objects.create(person=star, organisation=union, title="President", start=datetime.date(2000, 1, 1))
    main_document = Document.objects.create(title="Main Treaty", slug="main-treaty", kind="treaty", adopted_year=2000)
    main_document.adopting_organisations.add(union)
    long_sentences, people, documents = [], [], []
    for i in range(n):
        body = Organisation.objects.create(name=f"Member {i:02d}", slug=f"member-{i}", kind="government", parent=union)
        person = Person.objects.create(name=f"Person {i:02d}", slug=f"person-{i}")
        Role.objects.create(person=person, organisation=body, title="Minister", start=datetime.date(2010, 1, 1))
        document = Document.objects.create(title=f"Accord {i:02d}", slug=f"accord-{i}", kind="agreement")
        document.adopting_organisations.add(body)
        DocumentRelation.objects.create(from_document=document, to_document=main_document, kind="implements")
        people.append(person)
        documents.append(document)
        long_sentences.append(f"“Point {i} is made,” said {person.name}.")
        article = Article.objects.create(
            title=f"Meeting {i:02d}",
            slug=f"meeting-{i}",
            body_html=f"<p>“We agree on {i},” said {person.name}. “Accord {i} holds,” said Star Speaker.</p>",
            status=Article.Status.PUBLISHED,
            publisher=body,
            published_at=timezone.make_aware(datetime.datetime(2019, 6, 1 + i % 28, 9, i % 60)),
        )
        article.organisations.add(union, body)
        for speaker, text in [(person, f"We agree on {i},"), (star, f"Accord {i} holds,")]:
            quotation = Quotation.objects.create(article=article, speaker=speaker, text=text)
            quotation.documents.add(document, main_document)
        DocumentMention.objects.create(article=article, document=document, text=f"Accord {i}")
    long_article = Article.objects.create(
        title="Long article",
        slug="long-article",
        body_html="".join(f"<p>{sentence}</p>" for sentence in long_sentences),
        status=Article.Status.PUBLISHED,
        publisher=union,
        published_at=timezone.make_aware(datetime.datetime(2019, 7, 1, 9)),
    )
    for i, person in enumerate(people):
        quotation = Quotation.objects.create(article=long_article, speaker=person, text=f"Point {i} is made,")
        quotation.documents.add(documents[i])


# Pinned query counts. If one changes, make sure it is still independent of the number of records. The browse pages
# cached whole (archive.page_cache) count one more, reading the data version; these are their first, uncached views.
PAGES = {
    "/": 16,  # 9 figures (kept across changes, archive.figures), 5 for the latest articles and quotations, and the
    # data version (read by the page cache and the figures); 17 where quotations have dates of their own
    "/organisations/": 3,  # the names for the letter bar, then the rows of the letter's page
    "/organisations/union/": 9,
    "/speakers/": 4,  # the names for the letter bar, the rows of the letter's page, their roles
    "/speakers/star/": 7,
    "/documents/": 5,  # documents per kind, the ids of the kind's page, its rows and their adopting bodies
    "/documents/main-treaty/": 11,  # quotations and articles each: ids of the page, then its rows
    "/articles/long-article/": 5,
    "/archive/": 1,
    "/archive/2019/": 3,
    "/archive/2019/06/": 5,
    "/feeds/articles/": 1,
    "/feeds/speakers/star/": 4,
    "/feeds/organisations/union/": 6,
    "/feeds/documents/main-treaty/": 4,
    "/api/quotations/": 3,
    "/api/articles/": 2,
    "/api/speakers/": 3,
    "/api/organisations/": 4,
    "/api/documents/": 5,
    "/api/articles/long-article/": 2,
    "/sitemap.xml": 9,  # the data version (page cache); per section a count, and the latest change where kept
    "/sitemap-quotations.xml": 3,
}


@pytest.mark.parametrize("n", [3, 30])
@pytest.mark.parametrize("url", list(PAGES))
def test_listing_query_count_does_not_grow_with_records(client, db, django_assert_num_queries, url, n):
    """Each listing page, feed and API list takes the same pinned number of queries for 3 or 30 records."""
    build_archive(n)
    with django_assert_num_queries(PAGES[url]):
        response = client.get(url)
    assert response.status_code == 200


def test_home_figures_are_reused_until_the_data_changes(client, db, django_assert_num_queries):
    """The home page's counts are computed once per committed change: rendered again, the page reads only the
    data version and the latest articles and quotations; a new article shows at once."""
    build_archive(3)
    assert client.get("/").context["counts"]["articles"] == 4
    page_cache.clear()  # the whole page is cached too (archive.page_cache): render it again from the figures
    with django_assert_num_queries(7):  # the data version (page cache, figures), and 5 for the latest
        response = client.get("/")
    assert response.context["counts"]["articles"] == 4
    with django_assert_num_queries(1):
        assert client.get("/").content == response.content
    Article.objects.create(
        title="Fresh news", slug="fresh-news", body_html="<p>Fresh.</p>", status=Article.Status.PUBLISHED
    )
    response = client.get("/")
    assert response.context["counts"]["articles"] == 5
    assert "Fresh news" in response.content.decode()


def test_document_page_pages_its_quotations_and_articles_in_bounded_queries(client, db, django_assert_max_num_queries):
    """A document referred to by 45 articles and 45 quotations lists 20 quotations and 30 articles a page, newest
    first, in the same 11 queries as a small one (10, and the data version of the page cache); ?articles=2 shows the
    rest of the articles."""
    speaker = Person.objects.create(name="Busy Speaker", slug="busy")
    document = Document.objects.create(title="Big Treaty", slug="big-treaty", kind="treaty")
    for i in range(45):
        article = Article.objects.create(
            title=f"Report {i:02d}",
            slug=f"report-{i}",
            body_html=f"<p>“Clause {i} binds us,” she said of the Big Treaty.</p>",
            status=Article.Status.PUBLISHED,
            published_at=timezone.make_aware(datetime.datetime(2001 + i % 20, 1 + i % 12, 1 + i % 28, 9)),
        )
        quotation = Quotation.objects.create(article=article, speaker=speaker, text=f"Clause {i} binds us,")
        quotation.documents.add(document)
        DocumentMention.objects.create(article=article, document=document, text="Big Treaty")
    with django_assert_max_num_queries(11):
        html = client.get("/documents/big-treaty/").content.decode()
    assert html.count('class="quotation') == 20
    assert "Articles referring to it <span" in html and "(45)" in html
    title_links = r'<a class="title" href="/articles/report-\d+/"[^>]*>(Report \d+)</a>'
    titles = re.findall(title_links, html)
    newest = Article.objects.published().latest_first().values_list("title", flat=True)
    assert titles == list(newest[:30])
    assert 'rel="next" href="?articles=2#articles"' in html and 'href="?page=2#quotations"' in html
    with django_assert_max_num_queries(11):
        second = client.get("/documents/big-treaty/?articles=2").content.decode()
    assert re.findall(title_links, second) == list(newest[30:])


def test_page_figures_match_the_quotations_listed(client, db):
    """The counts beside a speaker's, a body's and a document's quotations (now summed from the yearly figures) are
    the number of public quotations: suggestions and quotations in drafts left out."""
    build_archive(3)
    Quotation.objects.filter(text="Accord 0 holds,").update(review=Quotation.Review.SUGGESTED)
    Article.objects.filter(slug="meeting-1").update(status=Article.Status.DRAFT)
    public = Quotation.objects.public()
    response = client.get("/speakers/star/")
    assert response.context["page"].paginator.count == public.filter(speaker__slug="star").count() == 1
    assert sum(bar.count for bar in response.context["timeline"].bars) == 1
    assert client.get("/organisations/union/").context["quotation_count"] == public.count() == 6
    response = client.get("/documents/main-treaty/")
    assert response.context["page"].paginator.count == public.filter(documents__slug="main-treaty").count() == 3
