"""Exports are streamed, capped in rows (with a note saying so) and limited in number at once (429 beyond)."""

# ruff: noqa: F811 - pytest fixtures imported from tests.search_support are redefined as arguments

import csv
import io

import pytest
from django.core.signals import request_finished
from django.db import close_old_connections

from archive import exports
from tests.search_support import indexed_seed  # noqa: F401 (fixture)

pytestmark = pytest.mark.django_db


def close(response) -> None:
    """Close a response as a WSGI server does when the client goes, with the request's database connection kept (as
    Django's test client keeps it around a request): closing sends request_finished, whose connection clean-up would
    otherwise close the test's own transaction on PostgreSQL."""
    request_finished.disconnect(close_old_connections)
    try:
        response.close()
    finally:
        request_finished.connect(close_old_connections)


def csv_rows(response) -> list[list[str]]:
    return list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode())))


def test_the_csv_export_is_streamed_a_search_page_at_a_time(client, indexed_seed, monkeypatch):
    """The export is a streamed response read 4 results a search at a time, and still has every result."""
    monkeypatch.setattr(exports, "EXPORT_PAGE", 4)
    response = client.get("/api/search.csv", {"q": "extremism"})
    assert response.status_code == 200 and response.streaming
    rows = csv_rows(response)
    assert rows[0][0] == "id" and len(rows) - 1 == int(response["X-Result-Count"]) > 4
    assert not any(row[0].startswith("# Cut") for row in rows)


def test_an_export_past_the_row_cap_is_cut_with_a_note(client, indexed_seed, monkeypatch):
    """Beyond the anonymous row cap the CSV ends with a row saying it was cut and how to get the rest."""
    monkeypatch.setattr(exports, "ANONYMOUS_ROW_CAP", 5)
    monkeypatch.setattr(exports, "EXPORT_PAGE", 3)
    response = client.get("/api/search.csv", {"speaker": "rashid-alimov"})
    rows = csv_rows(response)
    assert len(rows) == 1 + 5 + 1 and response["X-Export-Rows"] == "5" and response["X-Result-Count"] == "13"
    note = rows[-1][0]
    assert note.startswith("# Cut at 5 of 13 rows, the most one export gives. To get the rest, export narrower")
    assert "http://testserver/api/search.csv?speaker=rashid-alimov&from=YYYY-MM-DD&to=YYYY-MM-DD" in note


def test_staff_exports_have_the_higher_cap(staff_client, indexed_seed, monkeypatch):
    """A staff account's export is not cut at the anonymous cap."""
    monkeypatch.setattr(exports, "ANONYMOUS_ROW_CAP", 5)
    rows = csv_rows(staff_client.get("/api/search.csv", {"speaker": "rashid-alimov"}))
    assert len(rows) == 1 + 13


def test_exports_beyond_the_limit_get_429_and_a_closed_one_frees_its_slot(client, indexed_seed):
    """With every export slot held, the next export is a 429 with Retry-After; closing an export, even one whose
    first row was never asked for (a client gone at once), gives its slot back."""
    held = [client.get("/api/search.csv", {"q": "extremism"}) for _ in range(exports.concurrent_exports())]
    try:
        assert all(response.status_code == 200 for response in held)
        refused = client.get("/api/search.csv", {"q": "extremism"})
        assert refused.status_code == 429 and refused["Retry-After"] == "30"
        assert "Too many exports are running on this server at once" in refused.content.decode()
        assert client.get("/search/", {"q": "extremism"}).status_code == 200  # readers are not refused
        close(held.pop())  # never iterated
        again = client.get("/api/search.csv", {"q": "extremism"})
        assert again.status_code == 200
        held.append(again)
    finally:
        for response in held:
            close(response)
    for _ in range(3):  # every slot is free again: exports read to the end run one after another
        assert csv_rows(client.get("/api/search.csv", {"q": "extremism"}))[0][0] == "id"
