"""The languages extraction knows, loaded from this package: every module here that defines ``LANGUAGE``
(a ``base.Language``) is one language. A new language arrives as one more module plus its tests.

The recognisers use the union of every language's words (built once, below), so that the extraction
code holds no per-language branches; the language of an article is recorded with its result and
guessed from its script and common words when the caller does not give it.
"""

from __future__ import annotations

import importlib
import pkgutil
import re
from collections import Counter

from .base import Language


def _load() -> dict[str, Language]:
    found = {}
    for module_info in sorted(pkgutil.iter_modules(__path__), key=lambda info: info.name):
        if module_info.name == "base":
            continue
        language = getattr(importlib.import_module(f"{__name__}.{module_info.name}"), "LANGUAGE", None)
        if isinstance(language, Language):
            found[language.code] = language
    return found


LANGUAGES: dict[str, Language] = _load()
ALL = tuple(LANGUAGES.values())


def words(attribute: str) -> frozenset[str]:
    """The union of one word-list attribute over every language."""
    return frozenset().union(*(getattr(language, attribute) for language in ALL))


def merged(attribute: str) -> dict[str, str]:
    """The union of one mapping attribute over every language."""
    result: dict[str, str] = {}
    for language in ALL:
        result.update(getattr(language, attribute))
    return result


def alternatives(attribute: str) -> tuple[str, ...]:
    """Regex alternatives of one attribute over every language, longest first (so phrases win)."""
    return tuple(sorted({item for language in ALL for item in getattr(language, attribute)}, key=len, reverse=True))


def word_pattern(attribute: str) -> str:
    """One regular expression matching any item of ``attribute``: whole words in languages written with
    spaces, anywhere (with each item's own guards) in those written without."""
    spaced = sorted({i for lang in ALL if lang.spaced for i in getattr(lang, attribute)}, key=len, reverse=True)
    parts = [rf"(?<![\w-])(?:{'|'.join(spaced)})(?![\w-])"] if spaced else []
    # (A lookahead on the script first, so that the unspaced alternatives cost nothing elsewhere.)
    parts += [f"(?=[{lang.script}])(?:{item})" for lang in ALL if not lang.spaced for item in getattr(lang, attribute)]
    return "|".join(parts)


def phrase_pattern(phrases: tuple[str, ...] | frozenset[str]) -> str:
    """Literal phrases (escaped, longest first) as regex alternatives; spaces match any whitespace."""
    return "|".join(re.escape(p).replace(r"\ ", r"\s+") for p in sorted(phrases, key=len, reverse=True))


# Marker words of two languages or more ("la", "que") tell nothing apart.
SHARED_MARKERS = frozenset(
    word for word, count in Counter(w for lang in ALL for w in lang.marker_words).items() if count > 1
)
SCRIPTS = {language.code: re.compile(f"[{language.script}]") for language in ALL if language.script}
LETTER = re.compile(r"[^\W\d_]")


def detect_language(text: str) -> str:
    """A simple guess: a language with a script of its own (Han, Arabic, Cyrillic) when that script makes
    up a good part of the letters; otherwise the language whose own common words and letters are most
    frequent; "" when the text gives no sign. (A real detector is the importer's job.)"""
    sample = text[:4000]
    letters = len(LETTER.findall(sample)) or 1
    for language in ALL:
        if (
            language.script
            and not language.marker_words
            and len(SCRIPTS[language.code].findall(sample)) > letters * 0.3
        ):
            return language.code
    tokens = Counter(re.findall(r"[^\W\d_]+", sample.lower()))
    scores = {
        language.code: sum(tokens[word] for word in language.marker_words - SHARED_MARKERS)
        + (len(SCRIPTS[language.code].findall(sample)) if language.code in SCRIPTS else 0)
        for language in ALL
        if language.marker_words
    }
    best = max(scores, key=scores.get, default="")
    return best if best and scores[best] > 0 else ""


__all__ = ["ALL", "LANGUAGES", "Language", "detect_language", "merged", "words", "word_pattern"]
