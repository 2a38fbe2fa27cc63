"""Which language an article is written in, when its file does not say.

py3langid (a maintained fork of langid.py; its model ships inside the package, 4.6 MB, and runs offline) is
restricted to the languages the archive holds, so that a short or mixed text is never labelled with a language
the archive has no tools for. bench/language_detection.py measures it (and lingua, when installed) on the
evaluation texts.
"""

from __future__ import annotations

import re
from functools import cache

# The languages the archive's extraction, date reading and search know; the detector chooses among these only.
HELD_LANGUAGES = ("en", "ru", "zh", "fr", "es", "de", "ar")

# Enough text to decide on; more only costs time.
SAMPLE_CHARACTERS = 4000
LETTER = re.compile(r"[^\W\d_]")


@cache
def _identifier():
    from py3langid.langid import MODEL_FILE, LanguageIdentifier

    identifier = LanguageIdentifier.from_model_file(MODEL_FILE, norm_probs=True)
    identifier.set_languages(list(HELD_LANGUAGES))
    return identifier


def detect_language(text: str, default: str = "en") -> str:
    """The ISO 639-1 code of the held language ``text`` is most likely written in (``default`` for no letters)."""
    sample = text[:SAMPLE_CHARACTERS]
    if not LETTER.search(sample):
        return default
    language, _probability = _identifier().classify(sample)
    return language


def base_language(tag: str) -> str:
    """The language part of a tag, lower case: 'en-US' and 'en_us' give 'en'."""
    return re.split(r"[-_]", (tag or "").strip(), maxsplit=1)[0].lower()
