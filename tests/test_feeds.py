"""Atom feeds: valid Atom 1.0 (RFC 4287) with the items the matching page shows."""

import xml.etree.ElementTree as ET

import pytest
from django.core.management import call_command

ATOM = "{http://www.w3.org/2005/Atom}"


def parse_atom(response) -> ET.Element:
    """Parse a feed and check what RFC 4287 requires of a feed and of each entry."""
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/atom+xml")
    feed = ET.fromstring(response.content)
    assert feed.tag == f"{ATOM}feed"
    for required in ("id", "title", "updated"):
        assert feed.find(f"{ATOM}{required}") is not None, required
    assert feed.find(f"{ATOM}link[@rel='self']") is not None
    feed_has_author = feed.find(f"{ATOM}author/{ATOM}name") is not None
    ids = []
    for entry in feed.findall(f"{ATOM}entry"):
        for required in ("id", "title", "updated"):
            assert (entry.findtext(f"{ATOM}{required}") or "").strip(), required
        assert entry.find(f"{ATOM}link[@rel='alternate']") is not None
        assert feed_has_author or entry.find(f"{ATOM}author/{ATOM}name") is not None
        ids.append(entry.findtext(f"{ATOM}id"))
    assert len(ids) == len(set(ids)), "entry ids must be unique"
    return feed


def entries(feed):
    return feed.findall(f"{ATOM}entry")


def test_latest_articles_feed(client, seed_archive):
    """/feeds/articles/ is valid Atom listing the published article with a link to its page."""
    feed = parse_atom(client.get("/feeds/articles/"))
    [entry] = entries(feed)
    assert entry.findtext(f"{ATOM}title") == seed_archive.title
    assert entry.find(f"{ATOM}link").get("href") == f"http://testserver{seed_archive.get_absolute_url()}"
    assert "Responding to a request from TASS" in entry.findtext(f"{ATOM}summary")


def test_speaker_feed_lists_their_quotations(client, seed_archive):
    """A speaker's feed has one entry per public quotation, each linking to its permanent page."""
    feed = parse_atom(client.get("/feeds/speakers/rashid-alimov/"))
    assert len(entries(feed)) == 13
    links = {entry.find(f"{ATOM}link").get("href") for entry in entries(feed)}
    assert "http://testserver/quotations/1/" in links
    titles = [entry.findtext(f"{ATOM}title") for entry in entries(feed)]
    assert any(title.startswith("Rashid Alimov: “The threat of extremism") for title in titles)
    assert feed.find(f"{ATOM}link[@rel='alternate']").get("href") == "http://testserver/speakers/rashid-alimov/"


def test_document_feed_lists_quotations_referring_to_it(client, seed_archive):
    """A document's feed has the quotations that refer to it, with the documents as categories."""
    feed = parse_atom(client.get("/feeds/documents/shanghai-convention/"))
    assert len(entries(feed)) == 2
    terms = {c.get("term") for entry in entries(feed) for c in entry.findall(f"{ATOM}category")}
    assert "Shanghai Convention on Combating Terrorism, Separatism and Extremism" in terms


def test_organisation_feed_mixes_its_peoples_statements_and_its_articles(client, seed_archive):
    """An organisation's feed has its people's statements; a publisher's feed has its articles."""
    assert len(entries(parse_atom(client.get("/feeds/organisations/sco/")))) == 13
    [article] = entries(parse_atom(client.get("/feeds/organisations/sco-secretariat/")))
    assert article.findtext(f"{ATOM}title") == seed_archive.title


@pytest.mark.parametrize("url", ["/feeds/speakers/nobody/", "/feeds/documents/nothing/", "/feeds/organisations/none/"])
def test_feeds_for_unknown_records_are_not_found(client, db, url):
    """A feed address for a record that does not exist answers 404."""
    assert client.get(url).status_code == 404


def test_pages_advertise_their_feeds(client, seed_archive):
    """Speaker, document and organisation pages name their own feed for feed readers."""
    for url, feed in [
        ("/speakers/rashid-alimov/", "/feeds/speakers/rashid-alimov/"),
        ("/documents/shanghai-convention/", "/feeds/documents/shanghai-convention/"),
        ("/organisations/sco/", "/feeds/organisations/sco/"),
        ("/", "/feeds/articles/"),
    ]:
        html = client.get(url).content.decode()
        assert '<link rel="alternate" type="application/atom+xml" title="' in html and f'href="{feed}"' in html


@pytest.fixture
def indexed_seed(seed_archive):
    call_command("rebuild_index", interactive=False, verbosity=0)
    return seed_archive


def test_search_feed_follows_a_query_and_its_filters(client, indexed_seed):
    """/feeds/search/ with the search page's parameters is valid Atom of that search's newest results."""
    feed = parse_atom(client.get("/feeds/search/?q=shanghai+convention&speaker=rashid-alimov"))
    assert feed.findtext(f"{ATOM}title").endswith("matching “shanghai convention” (Speaker: Rashid Alimov)")
    assert feed.find(f"{ATOM}link[@rel='alternate']").get("href") == (
        "http://testserver/search/?q=shanghai+convention&speaker=rashid-alimov"
    )
    assert (
        feed.find(f"{ATOM}link[@rel='self']")
        .get("href")
        .endswith("/feeds/search/?q=shanghai+convention&speaker=rashid-alimov")
    )
    api = client.get("/api/search/?q=shanghai+convention&speaker=rashid-alimov").json()
    feed_links = {entry.find(f"{ATOM}link").get("href") for entry in entries(feed)}
    assert feed_links == {record["html_url"] for record in api["results"]} and len(feed_links) == api["count"]


def test_search_feed_of_articles_and_not_of_documents(client, indexed_seed):
    """type=articles follows articles; a documents search has no feed."""
    [entry] = entries(parse_atom(client.get("/feeds/search/?q=extremism&type=articles")))
    assert entry.findtext(f"{ATOM}title") == indexed_seed.title
    assert client.get("/feeds/search/?q=convention&type=documents").status_code == 404
