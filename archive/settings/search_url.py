"""Turn SEARCH_URL into haystack's HAYSTACK_CONNECTIONS.

The embedded default is a Whoosh index on disk under the data folder. A deployment that outgrows one machine
names a search server instead; the archive's code does not change, only this setting.

    (unset)                              Whoosh index at ARCHIVE_DATA_DIR/whoosh_index
    whoosh:///absolute/path              Whoosh index at that path
    postgres://user:pass@host:5432/db    PostgreSQL full-text search (archive/search/backends/postgres.py): the index is
                                         a table in that database (?table=name to choose it; default
                                         archive_search_document). The same database as DATABASE_URL is the usual
                                         choice; another one gets its own Django database alias, "search".
    opensearch://host:9200/index         OpenSearch through django-haystack-opensearch (pip install
    opensearchs://host:9200/index        django-haystack-opensearch); https with the "s". See the README: the
    elasticsearch://host:9200/index      archive's search page needs an adapter for these (not written yet);
    elasticsearchs://host:9200/index     Elasticsearch 7 through haystack's own backend (pip install
                                         'elasticsearch>=7,<8').
"""

from pathlib import Path
from urllib.parse import parse_qs, urlparse


class SearchURLError(ValueError):
    """SEARCH_URL names a scheme the archive does not know."""


POSTGRES_SCHEMES = {"postgres", "postgresql", "pgsql"}
SERVER_ENGINES = {
    "opensearch": "django_haystack_opensearch.haystack.OpenSearchSearchEngine",
    "elasticsearch": "haystack.backends.elasticsearch7_backend.Elasticsearch7SearchEngine",
}


def haystack_connections_from_url(url: str, data_dir: Path, databases: dict | None = None) -> dict:
    """HAYSTACK_CONNECTIONS for SEARCH_URL. For a PostgreSQL URL naming another database than the default one,
    adds a "search" entry to `databases` (Django's DATABASES)."""
    url = (url or "").strip()
    if not url:
        return {"default": whoosh_connection(data_dir / "whoosh_index")}
    parsed = urlparse(url)
    if parsed.scheme == "whoosh":
        return {"default": whoosh_connection(Path(parsed.path))}
    if parsed.scheme in POSTGRES_SCHEMES:
        return {"default": postgres_connection(url, databases if databases is not None else {})}
    secure = parsed.scheme.endswith("s") and parsed.scheme[:-1] in SERVER_ENGINES
    server = parsed.scheme[:-1] if secure else parsed.scheme
    if server in SERVER_ENGINES:
        index_name = parsed.path.strip("/") or "archive"
        http = "https" if secure else "http"
        netloc = parsed.netloc or "127.0.0.1:9200"
        return {"default": {"ENGINE": SERVER_ENGINES[server], "URL": f"{http}://{netloc}/", "INDEX_NAME": index_name}}
    raise SearchURLError(
        f"SEARCH_URL scheme {parsed.scheme!r} is not supported "
        "(try whoosh:///path, postgres://user:pass@host/db, opensearch://host:9200/index)"
    )


def whoosh_connection(path: Path) -> dict:
    return {
        "ENGINE": "archive.search.backends.whoosh.backend.ArchiveWhooshEngine",
        "PATH": str(path),
        "INCLUDE_SPELLING": False,  # asked for directly, only when a query finds nothing (archive.search)
    }


def postgres_connection(url: str, databases: dict) -> dict:
    import dj_database_url

    table = (parse_qs(urlparse(url).query).get("table") or ["archive_search_document"])[0]
    search_db = dj_database_url.parse(url.split("?", 1)[0])
    default = databases.get("default") or {}
    same = all(str(search_db.get(k) or "") == str(default.get(k) or "") for k in ("ENGINE", "HOST", "PORT", "NAME"))
    alias = "default"
    if not same:
        alias = "search"
        databases[alias] = search_db
    return {"ENGINE": "archive.search.backends.postgres.PostgresSearchEngine", "DATABASE": alias, "TABLE": table}
