"""The A–Z lists of speakers and organisations (one letter a page) and the list of documents (one kind a page):
the bar with its counts, the default entry, pages within an entry, and what a bad parameter gets."""

import datetime
import re

import pytest

from archive.letters import initial
from archive.models import Document
from tests.factories import make_article, make_document, make_organisation, make_person, make_quotation, make_role


def page(client, url, status=200):
    response = client.get(url)
    assert response.status_code == status, (url, response.status_code)
    return response.content.decode()


def bar_of(html):
    return re.search(r'<nav class="letters" aria-label="[^"]+">.*?</nav>', html, re.S).group(0)


def names_listed(html, prefix):
    return re.findall(rf'<a href="/{prefix}/[^"]+/">([^<]+)</a>', html)


@pytest.fixture
def body(db):
    return make_organisation(name="Union of Nations", short_name="UN", slug="union")


def make_speaker(name, organisation, **fields):
    person = make_person(name=name, **fields)
    make_role(person, organisation, title="Envoy", start=datetime.date(2015, 1, 1))
    return person


@pytest.mark.parametrize(
    "name,letter",
    [("Alimov", "A"), ("émile Zola", "E"), ("Ōno Yasumaro", "O"), ("de Gaulle", "D"), ("3rd Secretary", "#")],
)
def test_a_name_is_filed_under_its_first_letter_without_accents(name, letter):
    """Accented initials go with their letter, lower case with upper case, digits and signs under '#'."""
    assert initial(name) == letter


def test_speaker_list_shows_the_first_letter_with_speakers_and_a_bar_of_all_letters(client, body):
    """The bare /speakers/ shows the first letter that holds anyone; the bar links every letter with its count, marks
    the current one and leaves empty letters unlinked."""
    make_speaker("Zhang Ming", body)
    make_speaker("Bakhtiyor Sadykov", body)
    make_speaker("Bolat Nurgaliyev", body)
    html = page(client, "/speakers/")
    assert names_listed(html, "speakers") == ["Bakhtiyor Sadykov", "Bolat Nurgaliyev"]
    assert "Zhang Ming" not in html
    bar = bar_of(html)
    assert 'aria-label="Speakers by letter"' in bar
    assert '<a href="?letter=B" aria-current="page">B <span class="count">2</span></a>' in bar
    assert '<a href="?letter=Z">Z <span class="count">1</span></a>' in bar
    assert '<span class="empty">A</span>' in bar and bar.count("aria-current") == 1
    assert "Envoy of the UN" in html and "0 quotations" in html


def test_speaker_list_letter_shows_only_that_letter_with_counts(client, body):
    """?letter=z (either case) lists the speakers under Z with their quotation counts, nobody else."""
    zhang = make_speaker("Zhang Ming", body)
    make_speaker("Bolat Nurgaliyev", body)
    article = make_article(body="<p>“One,” said Zhang. “Two,” said Zhang.</p>")
    make_quotation(article, zhang, text="One,")
    make_quotation(article, zhang, text="Two,")
    for letter in ["Z", "z"]:
        html = page(client, f"/speakers/?letter={letter}")
        assert names_listed(html, "speakers") == ["Zhang Ming"]
        assert "2 quotations" in html and "Bolat" not in html
        assert '<a href="?letter=Z" aria-current="page">' in html


def test_long_letter_is_paged_and_bad_pages_fall_back(client, body):
    """A letter with more speakers than a page holds is split into pages linked from one to the next; page=abc gives
    the first page and a page past the end the last one."""
    for i in range(55):
        make_speaker(f"Baker {i:03d}", body)
    first = page(client, "/speakers/?letter=B")
    assert len(names_listed(first, "speakers")) == 50
    assert "55 speakers, 1–50 on this page" in first
    assert 'rel="next" href="?letter=B&amp;page=2"' in first
    second = page(client, "/speakers/?letter=B&page=2")
    assert names_listed(second, "speakers") == [f"Baker {i:03d}" for i in range(50, 55)]
    assert 'rel="prev" href="?letter=B&amp;page=1"' in second
    assert names_listed(page(client, "/speakers/?letter=B&page=abc"), "speakers")[0] == "Baker 000"
    assert names_listed(page(client, "/speakers/?letter=B&page=99999"), "speakers")[-1] == "Baker 054"
    assert names_listed(page(client, "/speakers/?page=-1"), "speakers")[-1] == "Baker 054"


@pytest.mark.parametrize("url", ["/speakers/?letter=zz", "/speakers/?letter=", "/speakers/?letter=%3Cb%3E"])
def test_unknown_letter_is_a_404_that_offers_the_bar(client, body, url):
    """A letter that is not in the bar gets a 404 saying so, with the bar to choose from."""
    make_speaker("Bolat Nurgaliyev", body)
    html = page(client, url, status=404)
    assert "in this list. Choose one above." in html
    assert '<a href="?letter=B">B <span class="count">1</span></a>' in html
    assert "<b>" not in html


def test_empty_letter_says_so(client, body):
    """A letter without anyone under it is a page that says so (its tab is not a link, but the address works)."""
    make_speaker("Bolat Nurgaliyev", body)
    html = page(client, "/speakers/?letter=Q")
    assert "No speaker’s name starts with Q." in html


def test_empty_archive_lists_say_so(client, db):
    """With nothing public yet, each list says so, with no bar."""
    assert "Nobody has been quoted yet." in page(client, "/speakers/")
    assert "No organisations yet." in page(client, "/organisations/")
    assert "No documents yet." in page(client, "/documents/")


def test_organisation_list_by_letter_with_counts(client, body):
    """/organisations/?letter=U lists the bodies under U with their quotations, articles and documents."""
    make_organisation(name="Arctic Council", short_name="AC", slug="arctic")
    speaker = make_speaker("Bolat Nurgaliyev", body)
    article = make_article(body="<p>“Yes,” he said.</p>", publisher=body)
    make_quotation(article, speaker, text="Yes,", role=speaker.roles.get())
    make_document(title="Union Charter", slug="union-charter").adopting_organisations.add(body)
    html = page(client, "/organisations/")
    assert names_listed(html, "organisations") == ["Arctic Council"]
    html = page(client, "/organisations/?letter=U")
    assert names_listed(html, "organisations") == ["Union of Nations"]
    assert "1 quotation · 1 article · 1 document" in " ".join(html.split())
    assert '<a href="?letter=A">A <span class="count">1</span></a>' in html
    page(client, "/organisations/?letter=nope", status=404)


def test_document_list_kinds_pages_and_bad_kind(client, db):
    """Each kind of document has its own pages of 50, newest adoption first; an unknown kind is a 404."""
    for year in range(1950, 2005):
        make_document(title=f"Treaty of {year}", slug=f"treaty-{year}", kind=Document.Kind.TREATY, adopted_year=year)
    make_document(title="Charter", slug="charter", kind=Document.Kind.CHARTER)
    html = page(client, "/documents/")
    titles = names_listed(html, "documents")
    assert titles == [f"Treaty of {year}" for year in range(2004, 1954, -1)]
    assert '<a href="?kind=treaty" aria-current="page">Treaties <span class="count">55</span></a>' in html
    second = page(client, "/documents/?kind=treaty&page=2")
    assert names_listed(second, "documents") == [f"Treaty of {year}" for year in range(1954, 1949, -1)]
    assert names_listed(page(client, "/documents/?kind=charter"), "documents") == ["Charter"]
    assert "No declarations yet." in page(client, "/documents/?kind=declaration")
    assert "There is no kind of document “poems”" in page(client, "/documents/?kind=poems", status=404)


@pytest.mark.parametrize(
    "url,most", [("/speakers/?letter=P", 4), ("/organisations/?letter=B", 3), ("/documents/?kind=agreement", 5)]
)
def test_list_pages_take_a_bounded_number_of_queries(client, body, django_assert_max_num_queries, url, most):
    """However many records a list holds, a page of it takes the same few queries (the data version, the bar, the
    page's rows and what they show)."""
    for i in range(120):
        organisation = make_organisation(name=f"Body {i:03d}", short_name="", slug=f"body-{i}")
        person = make_speaker(f"Person {i:03d}", organisation)
        article = make_article(title=f"News {i}", slug=f"news-{i}", publisher=organisation)
        quotation = make_quotation(article, person, role=person.roles.get())
        document = make_document(title=f"Accord {i:03d}", slug=f"accord-{i}", kind=Document.Kind.AGREEMENT)
        document.adopting_organisations.add(organisation)
        quotation.documents.add(document)
    with django_assert_max_num_queries(most):
        html = page(client, url)
    assert "1 quotation" in html
