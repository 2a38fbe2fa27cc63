"""The load test's short form: the production server (gunicorn, several workers) under searches, page views and
admin saves at once answers every request, and afterwards the index matches the database exactly.

The long form (60 s and more, figures in the README) is `python bench/load_test.py`; latency is never asserted.
"""

import pytest

from bench.load_test import run_load_test

pytestmark = pytest.mark.slow


def test_a_short_load_run_has_no_errors_and_leaves_no_drift(tmp_path):
    """12 s of 4 readers and 1 admin editor against 2 gunicorn workers: zero errors, and check_index finds no drift."""
    report = run_load_test(
        duration=12, workers=2, threads=4, readers=4, editors=1, articles=40, data_dir=tmp_path / "data"
    )
    print(report.text())
    assert report.errors == 0, report.text()
    assert report.by_kind["search"]["requests"] > 10 and report.by_kind["page"]["requests"] > 10, report.text()
    assert report.articles_added >= 1, report.text()  # the admin really saved while the readers read
    assert report.drift_ok, report.text()
