"""Search engines behind the archive's search: one module or package per engine, each implementing the interface
the rest of the archive calls (see base.py). SEARCH_URL chooses one (archive/settings/search_url.py)."""
