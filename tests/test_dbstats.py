"""SQLite planner statistics: ANALYZE after bulk changes, a throttled PRAGMA optimize from the index worker."""

import pytest
from django.db import connection, connections

from archive import dbstats

pytestmark = pytest.mark.django_db


def stat_rows():
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM sqlite_stat1")
        return cursor.fetchone()[0]


@pytest.mark.skipif(connection.vendor != "sqlite", reason="statistics are SQLite's; PostgreSQL keeps its own")
def test_analyze_writes_planner_statistics():
    from tests.factories import make_article, make_person

    make_article()
    make_person()
    assert dbstats.analyze() is True
    assert stat_rows() > 0


@pytest.mark.skipif(connection.vendor != "sqlite", reason="statistics are SQLite's; PostgreSQL keeps its own")
def test_optimize_runs_at_most_once_per_interval(monkeypatch):
    monkeypatch.setattr(dbstats, "_last_optimize", {})
    assert dbstats.optimize() is True
    assert dbstats.optimize() is False  # within OPTIMIZE_INTERVAL
    assert dbstats.optimize(force=True) is True
    assert stat_rows() >= 0


def test_does_nothing_on_other_databases(monkeypatch):
    monkeypatch.setattr(type(connections["default"]), "vendor", "postgresql")
    assert dbstats.analyze() is False
    assert dbstats.optimize(force=True) is False
