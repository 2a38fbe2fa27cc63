"""Citations reference managers pick up: RIS, CSL-JSON and BibTeX downloads that real parsers read, Highwire
meta tags on quotation and article pages, and a plain reference without doubled punctuation."""

import datetime
import json
from html.parser import HTMLParser

import bibtexparser
import pytest
import rispy
from citeproc import Citation, CitationItem, CitationStylesBibliography, CitationStylesStyle, formatter
from citeproc.source.json import CiteProcJSON

from archive.citation import plain_reference
from archive.models import Quotation

pytestmark = pytest.mark.django_db


def download(client, url, media_type):
    response = client.get(url)
    assert response.status_code == 200, url
    assert response["Content-Type"].startswith(media_type)
    assert response["Content-Disposition"].startswith("attachment;")
    return response.content.decode()


def test_ris_download_parses_with_the_speaker_whole_quote_and_address(client, seed_archive):
    """A RIS parser reads one record: the speaker as author, the whole quotation as title, the permanent address."""
    quotation = Quotation.objects.get(pk=3)
    text = download(client, "/quotations/3/cite.ris", "application/x-research-info-systems")
    [record] = rispy.loads(text)
    assert record["authors"] == ["Rashid Alimov"]
    assert record["title"] == " ".join(quotation.text.split())
    assert record["urls"] == ["http://testserver/quotations/3/"]
    assert record["date"] == "2017/06/13"
    assert "Secretary-General" in record["notes"][0]


def test_csl_json_download_renders_in_a_citation_processor(client, seed_archive):
    """citeproc-py reads the CSL-JSON item and formats a bibliography entry naming the speaker and the year."""
    items = json.loads(download(client, "/quotations/3/cite.json", "application/vnd.citationstyles.csl+json"))
    assert items[0]["type"] == "speech" and items[0]["URL"] == "http://testserver/quotations/3/"
    source = CiteProcJSON(items)
    style = CitationStylesStyle("harvard-cite-them-right", validate=False)
    bibliography = CitationStylesBibliography(style, source, formatter.plain)
    bibliography.register(Citation([CitationItem(items[0]["id"])]))
    [entry] = [str(item) for item in bibliography.bibliography()]
    assert "Rashid Alimov" in entry and "2017" in entry and "The convention adopted" in entry


def test_bibtex_download_parses_with_the_whole_quote_as_title(client, seed_archive):
    """The BibTeX entry parses, and its title is the whole quotation rather than its first words and "…"."""
    text = download(client, "/quotations/3/cite.bib", "application/x-bibtex")
    library = bibtexparser.parse_string(text)
    assert not library.failed_blocks
    [entry] = library.entries
    assert entry["author"] == "Rashid Alimov"
    assert "…" not in entry["title"] and entry["title"].endswith("Counter-Terrorism Strategy,")


def test_unpublished_quotation_has_no_citation_download(client, seed_archive):
    """A quotation readers cannot see cannot be downloaded as a citation either."""
    Quotation.objects.filter(pk=3).update(review=Quotation.Review.SUGGESTED)
    assert client.get("/quotations/3/cite.ris").status_code == 404


class MetaTags(HTMLParser):
    def __init__(self):
        super().__init__()
        self.tags: dict[str, list[str]] = {}

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "meta" and attrs.get("name", "").startswith("citation_"):
            self.tags.setdefault(attrs["name"], []).append(attrs.get("content", ""))


def citation_tags(client, url):
    parser = MetaTags()
    parser.feed(client.get(url).content.decode())
    return parser.tags


def test_quotation_and_article_pages_carry_highwire_citation_tags(client, seed_archive):
    """Zotero and Google Scholar find a title, an author, a date and the address in the page's meta tags."""
    quotation_tags = citation_tags(client, "/quotations/3/")
    assert quotation_tags["citation_author"] == ["Rashid Alimov"]
    assert quotation_tags["citation_title"][0].startswith("The convention adopted")
    assert quotation_tags["citation_publication_date"] == ["2017/06/13"]
    assert quotation_tags["citation_public_url"] == ["http://testserver/quotations/3/"]
    article_tags = citation_tags(client, seed_archive.get_absolute_url())
    assert article_tags["citation_title"] == [seed_archive.title]
    assert article_tags["citation_publication_date"] == ["2017/06/13"]
    assert article_tags["citation_publisher"]


def test_plain_reference_has_no_full_stop_after_a_quote_that_ends_a_sentence(seed_archive):
    """“… a very good practice.” is not followed by another full stop; a quote ending mid-sentence gets one."""
    quotation = Quotation.objects.get(pk=3)
    quotation.text = "a very good practice."
    reference = plain_reference(quotation, None, "http://x/q/3/", datetime.date(2025, 1, 1))
    assert "“a very good practice.” Quoted in" in reference
    quotation.text = "a very good practice"
    reference = plain_reference(quotation, None, "http://x/q/3/", datetime.date(2025, 1, 1))
    assert "“a very good practice”. Quoted in" in reference
