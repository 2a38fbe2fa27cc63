"""Quotation extraction for the policy statement archive (pure Python, no Django).

An admin pastes an article; ``extract`` proposes its quotations (direct and reported), who said
them, the organisations named and the documents referred to, for review::

    from archive.extraction import extract, parse_plain_text_article, KnownPerson, KnownDocument

    article = parse_plain_text_article(raw)
    result = extract(article.body_text, known_people=[...], known_documents=[...])
    result.to_dict()
"""

from .pipeline import extract
from .text import parse_plain_text_article
from .types import (
    ExtractedDocument,
    ExtractedQuotation,
    ExtractedSpeaker,
    ExtractionResult,
    KnownDocument,
    KnownPerson,
    ParsedArticle,
)

__all__ = [
    "ExtractedDocument",
    "ExtractedQuotation",
    "ExtractedSpeaker",
    "ExtractionResult",
    "KnownDocument",
    "KnownPerson",
    "ParsedArticle",
    "extract",
    "parse_plain_text_article",
]
