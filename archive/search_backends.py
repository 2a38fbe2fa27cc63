"""Turn SEARCH_URL into haystack's HAYSTACK_CONNECTIONS.

The embedded default is a Whoosh index on disk under the data folder. A deployment that outgrows one machine
names a search server instead; the archive's code does not change, only this setting.

    (unset)                        Whoosh index at ARCHIVE_DATA_DIR/whoosh_index
    whoosh:///absolute/path        Whoosh index at that path
"""

from pathlib import Path
from urllib.parse import urlparse


class SearchURLError(ValueError):
    """SEARCH_URL names a scheme the archive does not know."""


def haystack_connections_from_url(url: str, data_dir: Path) -> dict:
    url = (url or "").strip()
    if not url:
        return {"default": whoosh_connection(data_dir / "whoosh_index")}
    parsed = urlparse(url)
    if parsed.scheme == "whoosh":
        return {"default": whoosh_connection(Path(parsed.path))}
    raise SearchURLError(f"SEARCH_URL scheme {parsed.scheme!r} is not supported (try whoosh:///path)")


def whoosh_connection(path: Path) -> dict:
    return {
        "ENGINE": "archive.whoosh_backend.ArchiveWhooshEngine",
        "PATH": str(path),
        "INCLUDE_SPELLING": False,  # asked for directly, only when a query finds nothing (archive.search)
    }
