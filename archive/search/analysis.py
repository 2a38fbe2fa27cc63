"""Text analysis: how a text becomes index terms, the same for every backend and for highlighting.

Words are runs of letters and digits (with inner dots: "U.N.", "3.5"), lower-cased; English stop words and one-letter
words are dropped; the rest are stemmed by `archive_stem`. This is exactly what Whoosh's RegexTokenizer |
LowercaseFilter | StopFilter | StemFilter chain gives (the Whoosh index's fields are analysed by that chain, see
backends/whoosh/schema.py; tests/test_search_analysis.py compares the two), written without Whoosh so that a
process searching PostgreSQL never imports it.
"""

import functools
import re

from archive.search.porter import stem as porter_stem

WORD = re.compile(r"\w+(\.?\w+)*")  # Whoosh's RegexTokenizer default pattern
_STOP_WORDS_LISTED = """a an and are as at be by can for from have if in is it may not of on or tbd that the this to
us we when will with yet you your"""
STOP_WORDS = frozenset(_STOP_WORDS_LISTED.split())  # Whoosh's STOP_WORDS (whoosh.analysis.filters)
MIN_WORD_LENGTH = 2  # shorter words are not indexed (Whoosh's StopFilter minsize)


@functools.lru_cache(maxsize=2**17)
def archive_stem(word: str) -> str:
    """Porter stemming, plus -ist/-ists folded into -ism first, so extremist/extremism and terrorist/terrorism meet.

    Only words with at least five letters before the suffix are folded, which leaves insist, resist, assist,
    consist and persist alone.
    """
    for suffix in ("ists", "ist"):
        if word.endswith(suffix) and len(word) - len(suffix) >= 5:
            word = word[: -len(suffix)] + "ism"
            break
    return porter_stem(word)


def is_indexed_word(word: str) -> bool:
    """Whether a lower-cased word is indexed (not a stop word, not too short)."""
    return len(word) >= MIN_WORD_LENGTH and word not in STOP_WORDS


def analyze(text: str) -> list[str]:
    """The index terms `text` produces in a text field, in order (stop words dropped, words stemmed)."""
    words = (match.group().lower() for match in WORD.finditer(text or ""))
    return [archive_stem(word) for word in words if is_indexed_word(word)]


def analyze_with_positions(text: str) -> list[tuple[str, int, int]]:
    """(term, start, end) for each indexable word of `text`, offsets into `text`: what highlighting needs."""
    out = []
    for match in WORD.finditer(text or ""):
        word = match.group().lower()
        if is_indexed_word(word):
            out.append((archive_stem(word), match.start(), match.end()))
    return out


def word_tokens(text: str) -> list[str]:
    """Lower-cased words of `text` without stemming or stop words (prefix searches and spelling)."""
    return [match.group().lower() for match in WORD.finditer(text or "")]


def spelling_words(text: str) -> set[str]:
    """The words a text field with spelling offers as corrections: indexed words, unstemmed (what Whoosh's
    `spellable_words` gives)."""
    return {word for word in word_tokens(text) if is_indexed_word(word)}
