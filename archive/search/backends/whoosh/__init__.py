"""The embedded engine: a Whoosh index on disk, searched on numpy arrays (arrays.py), written by one writer."""
