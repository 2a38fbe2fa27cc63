"""Years the archive cannot hold: a 404 page or a 400 with a message, a validation error in the admin, and a
check_index that names the bad record instead of crashing."""

# ruff: noqa: F811 - pytest fixtures imported from tests.search_support are redefined as arguments

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.core.management import CommandError, call_command

from archive.models import Document
from tests.factories import make_document
from tests.search_support import indexed_seed  # noqa: F401 (fixture)

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("path", ["/archive/0000/", "/archive/0000/01/", "/archive/9999/", "/archive/9999/12/"])
def test_an_impossible_year_in_the_archive_is_a_404_page(client, seed_archive, path):
    """/archive/0000/ and the like answer with the site's 404 page, not a server error."""
    response = client.get(path)
    assert response.status_code == 404
    assert "<footer" in response.content.decode()  # the site's own page


@pytest.mark.parametrize("collection", ["articles", "quotations"])
@pytest.mark.parametrize("year", ["0", "99999", "²", "２０１７", "soon", "-2017"])
def test_an_impossible_year_in_the_api_is_a_400_with_a_message(client, seed_archive, collection, year):
    """?year=0, 99999 or ² (a digit to str.isdigit) is refused with a 400 that says what a year must be."""
    response = client.get(f"/api/{collection}/", {"year": year})
    assert response.status_code == 400
    assert response.json()["detail"] == f"year must be a year from 1000 to 2200 in digits, not “{year}”."


def test_a_real_year_still_filters_the_api(client, seed_archive):
    """?year=2017 still narrows the lists to that year."""
    assert client.get("/api/articles/", {"year": "2017"}).json()["count"] == 1
    assert client.get("/api/articles/", {"year": "2018"}).json()["count"] == 0
    assert client.get("/api/quotations/", {"year": "2017"}).json()["count"] == 13


@pytest.mark.parametrize(
    ("fields", "field"),
    [
        ({"adopted_year": 10000}, "adopted_year"),
        ({"adopted_year": 999}, "adopted_year"),
        ({"adopted_on": datetime.date(9999, 1, 1)}, "adopted_on"),
    ],
)
def test_a_document_year_outside_the_range_does_not_validate(fields, field):
    """A document adopted in 10000 (the column allows 32767) or 999 is refused by model validation."""
    document = Document(title="A treaty from far away", kind=Document.Kind.TREATY, slug="far-away", **fields)
    with pytest.raises(ValidationError) as refused:
        document.full_clean()
    assert field in refused.value.message_dict
    assert "between 1000 and 2200" in refused.value.message_dict[field][0]


def test_the_admin_refuses_a_document_adopted_in_10000(staff_client):
    """Saving a document with adopted year 10000 in the admin shows the error and stores nothing."""
    response = staff_client.post(
        "/admin/archive/document/add/",
        {"title": "Treaty of the far future", "kind": "treaty", "adopted_year": "10000", "slug": "far-future"},
    )
    assert response.status_code == 200
    assert "between 1000 and 2200" in response.content.decode()
    assert not Document.objects.filter(slug="far-future").exists()


def test_check_index_reports_a_record_with_an_impossible_year(indexed_seed, capsys):
    """A year 10000 written behind validation makes check_index name the record and fail, not crash."""
    document = make_document("Treaty of the year 10000", slug="treaty-10000")
    Document.objects.filter(pk=document.pk).update(adopted_year=10000)  # raw data, as an old row or raw SQL could be
    with pytest.raises(CommandError, match="1 record\\(s\\) cannot be indexed"):
        call_command("check_index")
    out = capsys.readouterr().out
    assert f"archive.document.{document.pk} (year 10000 is out of range)" in out
