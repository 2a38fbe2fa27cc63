"""Helpers for the search and indexing tests: an indexed seed archive, a small varied archive, page parsing.

Import the fixtures into a test module with `from tests.search_support import indexed_seed  # noqa: F401`.
"""

import datetime
import re
from html import unescape

import pytest
from django.utils import timezone

from archive.models import Quotation
from archive.search.indexing import apply_pending_updates
from tests.factories import make_article, make_document, make_organisation, make_person, make_quotation, make_role


@pytest.fixture
def indexed_seed(seed_archive):
    """The seed archive, in the test's own index (its queued changes applied, as after a real commit)."""
    apply_pending_updates()
    return seed_archive


def published_at(year, month=6, day=1):
    return timezone.make_aware(datetime.datetime(year, month, day, 9, 0))


@pytest.fixture
def varied_archive(indexed_seed, django_capture_on_commit_callbacks):
    """The seed plus two ASEAN articles (2019 in English, 2020 in French) with two speakers, so every facet has
    more than one value. Returns a dict of the records by name."""
    with django_capture_on_commit_callbacks(execute=True):
        asean = make_organisation()
        un = make_organisation("United Nations Office on Drugs and Crime", "UNODC")
        lim = make_person("Lim Jock Hoi", aliases="Mr Lim")
        fedotov = make_person("Yury Fedotov")
        make_role(lim, asean, start=datetime.date(2018, 1, 1))
        make_role(fedotov, un, title="Executive Director", start=datetime.date(2010, 1, 1))
        charter = make_document("ASEAN Charter", slug="asean-charter")
        body_2019 = (
            "<p>“Terrorism and violent extremism know no borders,” said Lim Jock Hoi.</p>"
            "<p>“The ASEAN Charter binds us to cooperate against terrorism,” he added.</p>"
            "<p>“Drug trafficking finances extremist groups,” said Yury Fedotov.</p>"
        )
        article_2019 = make_article("ASEAN meets on extremism", body_2019, published_at=published_at(2019))
        q_borders = make_quotation(article_2019, lim, "Terrorism and violent extremism know no borders,")
        q_charter = make_quotation(article_2019, lim, "The ASEAN Charter binds us to cooperate against terrorism,")
        q_charter.documents.add(charter)
        q_drugs = make_quotation(article_2019, fedotov, "Drug trafficking finances extremist groups,")
        body_2020 = "<p>Lim Jock Hoi a déclaré que la coopération contre le terrorisme continue.</p>"
        article_2020 = make_article(
            "L'ASEAN et le terrorisme", body_2020, language="fr", published_at=published_at(2020, 3, 2)
        )
        q_french = make_quotation(
            article_2020,
            lim,
            "la coopération contre le terrorisme continue",
            speech=Quotation.Speech.REPORTED,
        )
    return {
        "seed": indexed_seed,
        "asean": asean,
        "un": un,
        "lim": lim,
        "fedotov": fedotov,
        "charter": charter,
        "article_2019": article_2019,
        "article_2020": article_2020,
        "q_borders": q_borders,
        "q_charter": q_charter,
        "q_drugs": q_drugs,
        "q_french": q_french,
    }


def quotation_ids(html: str) -> list[int]:
    """The quotations a results page links to, in order."""
    return [int(pk) for pk in re.findall(r'href="/quotations/(\d+)/"', html)]


def facet_counts(html: str, name: str) -> dict[str, int]:
    """{label: count} of one facet column on a results page."""
    block = re.search(rf'<section class="facet facet-{name}">(.*?)</section>', html, re.S)
    if not block:
        return {}
    return {
        unescape(label).strip(): int(count)
        for label, count in re.findall(
            r'<a href="[^"]*"[^>]*>(.*?)</a> <span class="count">(\d+)</span>', block.group(1)
        )
    }


def facet_urls(html: str, name: str) -> dict[str, str]:
    """{label: narrowing URL} of one facet column."""
    block = re.search(rf'<section class="facet facet-{name}">(.*?)</section>', html, re.S)
    if not block:
        return {}
    return {
        unescape(label).strip(): unescape(url)
        for url, label in re.findall(r'<a href="([^"]*)"[^>]*>(.*?)</a>', block.group(1))
    }


def result_total(html: str) -> int:
    match = re.search(r'<h2 id="results-heading">\s*(?:\d+–\d+ of (\d+)|(1) [a-z]+\s*</h2>|No )', html)
    assert match, "no results heading on the page"
    return int(match.group(1) or match.group(2) or 0)
