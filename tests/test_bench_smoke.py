"""The benchmark harness (bench/archive_bench.py) runs end to end at a tiny size, so it cannot rot.

Only that it completes, answers every page and prints every section with numbers is checked: the figures
themselves are never compared with targets here (they depend on the machine and on what else runs on it).
"""

import json
import math
import re
import subprocess
import sys
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parent.parent
SECTIONS = (
    "Machine:",
    "Archive:",
    "BUILD",
    "SEARCH PAGE",
    "RATIOS",
    "WHERE THE TIME GOES",
    "PAGES",
    "SERVING PROCESS",
)


def finite(value) -> bool:
    return isinstance(value, (int, float)) and math.isfinite(value)


def test_benchmark_runs_at_a_tiny_size(tmp_path):
    report_file = tmp_path / "bench.json"
    completed = subprocess.run(
        [
            sys.executable,
            str(REPO_ROOT / "bench" / "archive_bench.py"),
            "--articles", "60", "--queries", "30", "--page-samples", "5", "--json", str(report_file),
        ],
        cwd=REPO_ROOT,
        capture_output=True,
        text=True,
        timeout=240,
    )  # fmt: skip
    assert completed.returncode == 0, completed.stdout[-3000:] + completed.stderr[-3000:]
    out = completed.stdout
    for section in SECTIONS:
        assert section in out, f"{section!r} missing from:\n{out}"
    assert "ERRORS" not in out
    assert re.search(r"cold start to first answered search: \d+\.\d+ s", out)
    assert re.search(r"RSS after the search mix: \d+ MB", out)

    report = json.loads(report_file.read_text())
    assert report["archive"]["articles"] == 60
    build = report["build"]
    assert build["documents"] > 60 and finite(build["quotations_per_s"]) and build["index_bytes"] > 0
    assert finite(build["peak_rss_mb"])
    serve = report["serve"]
    for label in ("search_facets_on", "search_facets_off"):
        assert serve[label]["all"]["n"] == 30
        assert all(finite(serve[label]["all"][p]) for p in ("p50", "p95", "p99"))
        assert serve[f"{label}_status"] == [200]
    for page in ("home", "article", "speaker", "organisation", "document"):
        assert serve["pages"][page]["statuses"] == [200]
        assert finite(serve["pages"][page]["p95"]) and serve["pages"][page]["sql_max"] >= 1
    assert "error" not in serve["layers"]
    assert finite(serve["peak_rss_mb"]) and finite(serve["cold_start_s"])
    for engine in ("raw_whoosh", "fts5"):
        assert finite(report["baselines"][engine]["search_facets_on"]["all"]["p50"])
    assert all(finite(value) for value in report["ratios"].values())


def test_synthetic_archive_is_what_the_app_would_store(db):
    """Bulk-created records obey the same rules as records saved through the app: sanitised bodies, plain text
    from the sanitiser, quotation and mention offsets that point at their words, roles as Quotation.save picks them,
    and every record passing its model validation."""
    from django.utils import timezone

    from archive.models import Article, DocumentMention, Quotation
    from archive.sanitize import clean_body, html_to_text
    from bench.synthetic import SyntheticArchive

    stats = SyntheticArchive(40, seed=3).load()
    assert stats.articles == Article.objects.count() == 40
    assert Quotation.objects.count() == stats.quotations >= 40 * 3

    for article in Article.objects.all():
        assert clean_body(article.body_html) == article.body_html
        assert html_to_text(article.body_html) == article.body_text
        article.full_clean()
    for quotation in Quotation.objects.select_related("article", "speaker", "role"):
        assert quotation.article.body_text[quotation.start : quotation.end] == quotation.text
        date = quotation.said_on or timezone.localdate(quotation.article.published_at)
        assert quotation.role == quotation.speaker.role_on(date)
        quotation.full_clean()
    for mention in DocumentMention.objects.select_related("article"):
        assert mention.article.body_text[mention.start : mention.end] == mention.text
        mention.full_clean()
    # The same seed gives the same archive.
    stored = [
        (article.title, [q.text for q in article.quotations.order_by("pk")])
        for article in Article.objects.order_by("pk")[:5]
    ]
    assert stored == SyntheticArchive(40, seed=3).preview(5)
    assert stored != SyntheticArchive(40, seed=4).preview(5)


def test_records_saved_after_the_synthetic_archive_get_new_ids(db):
    """After the loader's explicit ids, records saved through the app get fresh ids on any database (PostgreSQL's
    sequences are moved past the loaded rows), so an admin save or an import never collides with a loaded record."""
    from archive.models import Article, Organisation, Person
    from bench.synthetic import SyntheticArchive
    from tests.factories import make_article

    SyntheticArchive(20, seed=3).load()
    article = make_article("Saved after loading", "<p>“A new statement,” the chair said.</p>")
    person = Person.objects.create(name="A speaker saved after loading")
    organisation = Organisation.objects.create(name="An organisation saved after loading")
    assert Article.objects.count() == 21 and article.pk > 20
    assert Person.objects.filter(pk=person.pk).count() == 1
    assert Organisation.objects.filter(pk=organisation.pk).count() == 1
