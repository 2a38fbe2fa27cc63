"""Keeping the search index in step with the database."""

from haystack import connections


def index_is_missing(using: str = "default") -> bool:
    """True when the search backend has no index to search yet (a new data folder, a deleted index)."""
    backend = connections[using].get_backend()
    path = getattr(backend, "path", None)
    if path is None:  # a server backend: the server owns its index
        return False
    from whoosh import index

    return not index.exists_in(path)
