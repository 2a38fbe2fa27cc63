"""Text analysis: how a text becomes index terms, the same for every backend and for highlighting.

Every indexed text is analysed in its record's language (the article's, for a quotation). Words are runs of letters
and digits (with inner dots: "U.N.", "3.5"), lower-cased, one-letter words dropped; each word becomes a term by the
rule of its script:

- Latin script: English words are stemmed as always (Porter; -ism/-ist words keep their suffix as "-ism", so
  extremist and extremism meet but extremely does not); French, Spanish and German words by their Snowball stemmer
  (PyStemmer, the C build of the algorithms Lucene and Elasticsearch use). English stop words are dropped from
  English text.
- Cyrillic: Russian Snowball, applied again until the stem stops changing (it strips a case ending from
  "Кыргызстану" but "-ан" from "Кыргызстан", as if it were a verb's; the second pass makes them meet).
- Arabic script: Arabic Snowball (which also folds hamza forms and drops diacritics).
- Han (Chinese): overlapping pairs of characters, as Lucene's CJK analyzer makes them, so a word is found inside a
  sentence that has no spaces; a lone character stands for itself.

A query word has no language: a Latin word is read in each Latin-script language the archive holds, and the query
matches a record where every word matches under one reading (archive.search.query). Written without Whoosh so that
a process searching PostgreSQL never imports it; tests/test_search_analysis.py compares the English path with
Whoosh's own analyzer chain.
"""

import functools
import re

import Stemmer

from archive.search.porter import stem as porter_stem

HAN = "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
# Whoosh's RegexTokenizer pattern (\w+(\.?\w+)*), with runs of Han characters as words of their own.
WORD = re.compile(rf"[{HAN}]+|[^\W{HAN}]+(?:\.?[^\W{HAN}]+)*")
HAN_RUN = re.compile(rf"[{HAN}]")
CYRILLIC = re.compile("[\u0400-\u04ff]")
ARABIC = re.compile("[\u0600-\u06ff]")
DEFAULT_LANGUAGE = "en"
# Latin-script languages held, with their Snowball stemmers; English has its own rule (english_term).
SNOWBALL = {"fr": "french", "es": "spanish", "de": "german"}
LATIN_LANGUAGES = ("en", *SNOWBALL)
MIN_RUSSIAN_STEM = 4  # a shorter repeated stem meets prepositions ("заявил" -> "заяв", not "за")
_STOP_WORDS_LISTED = """a an and are as at be by can for from have if in is it may not of on or tbd that the this to
us we when will with yet you your"""
STOP_WORDS = frozenset(_STOP_WORDS_LISTED.split())  # Whoosh's STOP_WORDS (whoosh.analysis.filters)
MIN_WORD_LENGTH = 2  # shorter words are not indexed (Whoosh's StopFilter minsize)


@functools.lru_cache(maxsize=2**17)
def archive_stem(word: str) -> str:
    """An English word's term: Porter stemming, except that -ism/-isms/-ist/-ists words become their stem + "ism",
    so extremist/extremism and terrorist/terrorism meet while extremely ("extrem") stays apart.

    Only words with at least five letters before the suffix are folded, which leaves insist, resist, assist,
    consist, persist and tourism to Porter.
    """
    for suffix in ("isms", "ism", "ists", "ist"):
        if word.endswith(suffix) and len(word) - len(suffix) >= 5:
            return porter_stem(word[: -len(suffix)]) + "ism"
    return porter_stem(word)


@functools.cache
def _snowball(algorithm: str):
    return Stemmer.Stemmer(algorithm)


@functools.lru_cache(maxsize=2**16)
def russian_term(word: str) -> str:
    stemmer = _snowball("russian")
    for _ in range(4):
        stem = stemmer.stemWord(word)
        if stem == word or len(stem) < MIN_RUSSIAN_STEM:
            break
        word = stem
    return word


@functools.lru_cache(maxsize=2**16)
def snowball_term(word: str, algorithm: str) -> str:
    return _snowball(algorithm).stemWord(word)


def script_of(word: str) -> str:
    if HAN_RUN.match(word):
        return "han"
    if CYRILLIC.search(word):
        return "cyrillic"
    if ARABIC.search(word):
        return "arabic"
    return "latin"


def term(word: str, language: str = DEFAULT_LANGUAGE) -> str:
    """The index term of one lower-cased, non-Han word in a text of `language` (the script decides first)."""
    script = script_of(word)
    if script == "cyrillic":
        return russian_term(word.replace("ё", "е"))
    if script == "arabic":
        return snowball_term(word, "arabic")
    if language in SNOWBALL:
        return snowball_term(word, SNOWBALL[language])
    return archive_stem(word)


def han_terms(run: str) -> list[str]:
    """Overlapping character pairs of a run of Han characters; a lone character stands for itself."""
    return [run] if len(run) == 1 else [run[i : i + 2] for i in range(len(run) - 1)]


def is_indexed_word(word: str, language: str = DEFAULT_LANGUAGE) -> bool:
    """Whether a lower-cased word is indexed (not too short; not an English stop word in English text)."""
    if len(word) < MIN_WORD_LENGTH and not HAN_RUN.match(word):
        return False
    return not (word in STOP_WORDS and language not in SNOWBALL)


def analyze_with_positions(text: str, language: str = DEFAULT_LANGUAGE) -> list[tuple[str, int, int, int]]:
    """(term, position, start, end) for each term of `text` written in `language`: the position counts words as the
    index does (the first indexed word keeps its place among all words, the next ones follow on; each character pair
    of a Han run is a position of its own), start and end are offsets into `text`."""
    out = []
    first = None
    for place, match in enumerate(WORD.finditer(text or "")):
        word = match.group().lower()
        if not is_indexed_word(word, language):
            continue
        if first is None:
            first = place
        if script_of(word) == "han":
            for offset, pair in enumerate(han_terms(word)):
                start = match.start() + offset
                out.append((pair, first + len(out), start, start + len(pair)))
        else:
            out.append((term(word, language), first + len(out), match.start(), match.end()))
    return out


def analyze(text: str, language: str = DEFAULT_LANGUAGE) -> list[str]:
    """The index terms `text` written in `language` produces in a text field, in order."""
    return [token[0] for token in analyze_with_positions(text, language)]


def query_readings(text: str) -> list[tuple[str, ...]]:
    """The ways the languages held read a query's words, each a sequence of terms, duplicates removed: a Latin word
    has a reading per Latin-script language (English first); Cyrillic, Arabic and Han words have one."""
    readings = []
    for language in LATIN_LANGUAGES:
        # English stop words are not looked up in any reading: "the of and" finds nothing to search for.
        tokens = analyze_with_positions(text, language)
        terms = tuple(t for t, _, start, end in tokens if text[start:end].lower() not in STOP_WORDS)
        if terms not in readings:
            readings.append(terms)
    return [reading for reading in readings if reading] or [()]


class LanguageText(str):
    """A text field's value that knows the language it is written in (the index analyses it in that language)."""

    language = DEFAULT_LANGUAGE

    def __new__(cls, value: str, language: str | None = None):
        text = super().__new__(cls, value)
        text.language = language or DEFAULT_LANGUAGE
        return text

    def __reduce__(self):
        return (str, (str(self),))  # stored (pickled) as the plain text it is


def language_of(value) -> str:
    return getattr(value, "language", DEFAULT_LANGUAGE)


def word_tokens(text: str) -> list[str]:
    """Lower-cased words of `text` without stemming or stop words (prefix searches and spelling)."""
    return [match.group().lower() for match in WORD.finditer(text or "")]


def spelling_words(text: str) -> set[str]:
    """The words a text field with spelling offers as corrections: indexed words, unstemmed (what Whoosh's
    `spellable_words` gives); Han runs are sentences rather than words, and are left out."""
    language = language_of(text)
    return {word for word in word_tokens(text) if is_indexed_word(word, language) and not HAN_RUN.match(word)}
