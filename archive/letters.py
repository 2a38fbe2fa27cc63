"""The bars of the A–Z lists: which letter (or kind of document) a record is filed under, how many records each
holds, and which one the reader asked for.

The speaker and organisation lists show one letter at a time: on a large archive the whole list of speakers is
too big a page and too slow to render. The bar is built from the names alone (one narrow query), so each letter's
count is exact and only the rows of the letter's page are read whole.
"""

import string
import unicodedata
from dataclasses import dataclass, field

OTHER = "#"  # names that start with a digit or a sign
LATIN = list(string.ascii_uppercase)
LATIN_SET = frozenset(LATIN)


def initial(name: str) -> str:
    """The letter a name is filed under: its first letter in upper case without accents ('Émile' under E), or '#'."""
    first = name[:1].upper()
    if first in LATIN_SET:  # most names: 2,000 of them are filed for every page of the list
        return first
    first = unicodedata.normalize("NFKD", (name or "").strip()[:1])[:1].upper()
    return first if first.isalpha() else OTHER


@dataclass
class Tab:
    """One entry of a bar: `key` is the URL parameter's value, `label` what the reader sees."""

    key: str
    label: str
    count: int
    current: bool = False


@dataclass
class Bar:
    """The tabs of a bar and the one shown. `unknown` is set when the parameter named no tab (`asked`)."""

    tabs: list[Tab]
    current: Tab | None
    asked: str = ""
    unknown: bool = False
    ids: list = field(default_factory=list)  # for a letter bar: the records under the current letter, in order


def choose(tabs: list[Tab], asked: str | None, normalise=lambda value: value) -> Bar:
    """The tab the reader asked for; by default the first one holding any records (None in an empty archive)."""
    if asked is None:
        current = next((tab for tab in tabs if tab.count), None)
        unknown = False
    else:
        asked = asked.strip()
        current = next((tab for tab in tabs if tab.key == normalise(asked)), None)
        unknown = current is None
    if current is not None:
        current.current = True
    return Bar(tabs, current, asked or "", unknown)


def letter_bar(rows, asked: str | None) -> Bar:
    """The A–Z bar over `rows`, (pk, name) pairs in list order, with the pks filed under the letter shown. Every
    letter from A to Z has a tab (empty ones hold 0); other alphabets' letters and '#' follow when used."""
    filed: dict[str, list] = {}
    for pk, name in rows:
        filed.setdefault(initial(name), []).append(pk)
    others = sorted(set(filed) - set(LATIN) - {OTHER})
    keys = LATIN + others + ([OTHER] if OTHER in filed else [])
    tabs = [Tab(key, key, len(filed.get(key, ()))) for key in keys]
    bar = choose(tabs, asked, normalise=str.upper)
    if bar.current is not None:
        bar.ids = filed.get(bar.current.key, [])
    return bar
