"""The read-only JSON API: paginated lists, records linked by absolute URLs, the same facts the pages show."""

import csv
import datetime
import io
import re

import pytest
from django.core.management import call_command
from django.utils import timezone

from tests.factories import make_article, make_person, make_quotation


def get_json(client, url, status=200):
    response = client.get(url)
    assert response.status_code == status, (url, response.status_code)
    assert response["Content-Type"] == "application/json"
    return response.json()


def test_root_links_to_every_collection(client, db):
    """/api/ names each collection by its absolute URL."""
    data = get_json(client, "/api/")
    for name in ["quotations", "articles", "speakers", "organisations", "documents"]:
        assert data[name] == f"http://testserver/api/{name}/"


def test_quotation_list_and_record_link_to_each_other(client, seed_archive):
    """A quotation record links to its speaker, role's organisation, article and documents, and back to its page."""
    data = get_json(client, "/api/quotations/")
    assert data["count"] == 13 and data["next"] is None and data["previous"] is None
    record = next(q for q in data["results"] if q["id"] == 3)
    assert record["url"] == "http://testserver/api/quotations/3/"
    assert record["html_url"] == "http://testserver/quotations/3/"
    assert record["speaker"] == {"name": "Rashid Alimov", "url": "http://testserver/api/speakers/rashid-alimov/"}
    assert record["role"]["description"] == "Secretary-General of the SCO"
    assert record["role"]["organisation"] == "http://testserver/api/organisations/sco/"
    assert record["date"] == "2017-06-13" and record["speech"] == "direct"
    assert record["article"]["html_url"].endswith("#q-3")
    assert "http://testserver/api/documents/un-global-counter-terrorism-strategy/" in {
        d["url"] for d in record["documents"]
    }
    assert get_json(client, record["url"]) == record
    assert get_json(client, record["speaker"]["url"])["name"] == "Rashid Alimov"


def test_api_facts_match_the_pages(client, seed_archive):
    """The API's quotation texts and counts are those the pages show."""
    quotations = get_json(client, "/api/quotations/?document=shanghai-convention")["results"]
    page = client.get("/documents/shanghai-convention/").content.decode()
    assert len(quotations) == page.count('class="quotation') == 2
    for quotation in quotations:
        assert quotation["text"][1:50].replace("'", "&#x27;") in page  # [1:]: reported speech is capitalised
    speaker = get_json(client, "/api/speakers/rashid-alimov/")
    assert speaker["quotation_count"] == 13
    assert speaker["roles"][0]["start"] == "2016-01-01" and speaker["roles"][0]["end"] == "2018-12-31"
    assert get_json(client, speaker["quotations"])["count"] == 13


def test_pagination_links_carry_the_filters(client, db):
    """Lists are paginated with absolute next/previous links that keep the other parameters."""
    person = make_person()
    for day in range(5):
        article = make_article(
            title=f"Day {day}",
            body=f"<p>“Words {day} here,” he said.</p>",
            published_at=timezone.make_aware(datetime.datetime(2020, 2, 1 + day, 9)),
        )
        make_quotation(article, person, text=f"Words {day} here,")
    first = get_json(client, "/api/quotations/?speaker=lim-jock-hoi&page_size=2")
    assert first["count"] == 5 and len(first["results"]) == 2
    assert first["results"][0]["text"] == "Words 4 here,"  # newest first
    assert first["next"] == "http://testserver/api/quotations/?speaker=lim-jock-hoi&page_size=2&page=2"
    last = get_json(client, "/api/quotations/?speaker=lim-jock-hoi&page_size=2&page=3")
    assert len(last["results"]) == 1 and last["next"] is None and last["previous"].endswith("page=2")
    assert get_json(client, "/api/quotations/?page=9", status=404)["detail"].startswith("There is no page 9")
    assert get_json(client, "/api/quotations/?page=x", status=400)["detail"]
    assert get_json(client, "/api/quotations/?year=2020")["count"] == 5
    assert get_json(client, "/api/quotations/?year=2019")["count"] == 0


def test_article_records(client, seed_archive):
    """Article records give the body, publisher and a link to the article's quotations."""
    [summary] = get_json(client, "/api/articles/")["results"]
    assert "body_text" not in summary
    article = get_json(client, summary["url"])
    assert article["publisher"] == "http://testserver/api/organisations/sco-secretariat/"
    assert article["body_text"].startswith("Responding to a request from TASS")
    assert article["published_at"] == "2017-06-13T07:48:00+00:00"
    assert get_json(client, article["quotations"])["count"] == 13
    assert get_json(client, "/api/articles/?publisher=sco-secretariat")["count"] == 1


def test_organisation_and_document_records(client, seed_archive):
    """Organisations link to parents, members and adopted documents; documents to related documents both ways."""
    secretariat = get_json(client, "/api/organisations/sco-secretariat/")
    assert secretariat["parent"] == "http://testserver/api/organisations/sco/"
    sco = get_json(client, secretariat["parent"])
    assert secretariat["url"] in sco["members"] and sco["quotation_count"] == 13
    assert "http://testserver/api/documents/shanghai-convention/" in sco["documents_adopted"]
    strategy = get_json(client, "/api/documents/sco-development-strategy-towards-2025/")
    assert strategy["related"] == [
        {
            "relation": "elaborates",
            "label": "elaborates",
            "direction": "from",
            "document": "http://testserver/api/documents/sco-convention-on-countering-extremism/",
        }
    ]
    convention = get_json(client, "/api/documents/sco-convention-on-countering-extremism/")
    assert convention["adopted_on"] == "2017-06-09" and convention["quotation_count"] == 9
    assert {r["direction"] for r in convention["related"]} == {"to"} and len(convention["related"]) == 3
    assert get_json(client, "/api/documents/")["count"] == 5
    assert get_json(client, "/api/organisations/")["count"] == 4


@pytest.mark.parametrize(
    "url", ["/api/quotations/999/", "/api/articles/nope/", "/api/speakers/nope/", "/api/organisations/nope/"]
)
def test_unknown_records_are_json_404s(client, db, url):
    """An unknown record answers 404 with a JSON message, not an HTML page."""
    assert "detail" in get_json(client, url, status=404)


def test_api_is_read_only(client, seed_archive):
    """The API accepts no writes."""
    assert client.post("/api/quotations/", {}).status_code == 405
    assert client.delete("/api/quotations/1/").status_code == 405


@pytest.fixture
def indexed_seed(seed_archive):
    call_command("rebuild_index", interactive=False, verbosity=0)
    return seed_archive


def test_search_endpoint_returns_what_the_search_page_shows(client, indexed_seed):
    """/api/search/ takes the search page's parameters and returns the same results, as linked records."""
    data = get_json(client, "/api/search/?q=extremism&speaker=rashid-alimov&sort=oldest")
    html = client.get("/search/?q=extremism&speaker=rashid-alimov&sort=oldest").content.decode()
    assert data["count"] > 0 and f"of {data['count']} quotations" in html
    page_ids = [int(pk) for pk in re.findall(r'<a class="hit-link" href="/quotations/(\d+)/">', html)]
    assert [record["id"] for record in data["results"]] == page_ids
    assert data["filters"] == [{"name": "speaker", "title": "Speaker", "label": "Rashid Alimov"}]
    assert data["facets"]["speaker"][0]["count"] == data["count"]
    assert data["html_url"] == "http://testserver/search/?q=extremism&speaker=rashid-alimov&sort=oldest"
    assert data["results"][0]["url"].startswith("http://testserver/api/quotations/")


def test_search_endpoint_pages_and_types(client, indexed_seed):
    """Search results page like the lists, and articles or documents come back as their own records."""
    first = get_json(client, "/api/search/?q=convention&page=1")
    assert first["count"] > 0 and first["previous"] is None
    documents = get_json(client, "/api/search/?q=convention&type=documents")
    assert {r["slug"] for r in documents["results"]} >= {"sco-convention-on-countering-extremism"}
    articles = get_json(client, "/api/search/?q=extremism&type=articles")
    assert articles["results"][0]["slug"] == indexed_seed.slug
    assert get_json(client, "/api/search/?q=zzzzqqq")["count"] == 0


def test_csv_export_has_every_result_of_the_search(client, indexed_seed):
    """/api/search.csv gives every result of the search, in the page's order, one row per quotation."""
    response = client.get("/api/search.csv?q=extremism&sort=newest")
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert "attachment" in response["Content-Disposition"]
    rows = list(csv.DictReader(io.StringIO(b"".join(response.streaming_content).decode())))
    api = get_json(client, "/api/search/?q=extremism&sort=newest")
    assert len(rows) == api["count"]
    assert [int(row["id"]) for row in rows] == [record["id"] for record in api["results"]]
    first = rows[0]
    assert first["speaker"] == "Rashid Alimov" and first["role"] == "Secretary-General of the SCO"
    assert first["url"] == f"http://testserver/quotations/{first['id']}/" and first["date"] == "2017-06-13"


def test_csv_cells_never_run_as_spreadsheet_formulas(client, db):
    """A quotation beginning with = or - is exported as text, not as a formula."""
    person = make_person()
    article = make_article(body="<p>He said “=HYPERLINK(1) is not a formula,” he noted.</p>")
    make_quotation(article, person, text="=HYPERLINK(1) is not a formula,")
    call_command("rebuild_index", interactive=False, verbosity=0)
    response = client.get("/api/search.csv?q=hyperlink")
    rows = list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode())))
    assert rows[1][4] == "'=HYPERLINK(1) is not a formula,"
