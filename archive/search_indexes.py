"""haystack finds an app's indexes by this module name; they are defined in archive/search/documents.py."""

from archive.search.documents import (  # noqa: F401
    ArticleIndex,
    DocumentIndex,
    OrganisationIndex,
    PersonIndex,
    QuotationIndex,
)
