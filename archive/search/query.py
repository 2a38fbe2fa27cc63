"""The query language: what a user types, understood as a small query tree that every backend runs.

Syntax: words (all must match), "an exact phrase", OR between alternatives, -word or -"phrase" to leave out,
prefix* (three letters or more), and field filters speaker:alimov, organisation:SCO, document:"Shanghai Convention",
year:2017 (or year:2015-2017), language:en. Anything that does not parse is searched for as plain words, with a
notice saying what was ignored; nothing here raises on user input.

The text of each clause is analysed once, here (archive.search.analysis): a `Match` node carries its terms, and
backends and highlighting use them as they are.
"""

import datetime
import re
from dataclasses import dataclass, field

from archive.search.analysis import HAN_RUN, is_indexed_word, query_readings, term, word_tokens

MAX_CLAUSES = 32
# Prefixes are the expensive query shape: each one is an OR over every indexed word it completes, so many of them,
# or one completing thousands of words, read most of the index. Beyond these bounds the "*" is ignored and the word
# is searched as it is, with a notice naming it (README, Reliability, has the figures).
MAX_PREFIXES = 4  # prefix words per query
MAX_PREFIX_WORDS = 300  # indexed words one prefix may complete (archive.search.without_wide_prefixes)
MIN_PREFIX = 3  # letters a prefix search needs (extrem*): shorter ones would match too much to be useful


# --- The query tree -----------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Match:
    """Words in a text field: all of them (`phrase` False), next to each other (`phrase` True), or a word prefix.

    `terms` are the analysed words (for a prefix: the one lower-cased prefix); `match_text` builds it."""

    field: str
    text: str
    terms: tuple[str, ...] = ()
    phrase: bool = False
    prefix: bool = False


def match_text(field: str, text: str, phrase: bool = False):
    """The words of `text`, analysed: one Match, or, when the languages held read the words differently (a Latin
    word is stemmed in each Latin-script language), AnyOf one Match per reading, so a record matches when all its
    words do in its own language. A single Chinese word is matched as a phrase of its character pairs."""
    if not phrase and HAN_RUN.match(text.strip()) and len(text.split()) == 1:
        phrase = True
    readings = query_readings(text)
    matches = tuple(Match(field, text, reading, phrase=phrase) for reading in readings)
    return matches[0] if len(matches) == 1 else AnyOf(matches)


def matches_of(node) -> list[Match]:
    """The Match nodes of a clause's tree (a Match itself, or the readings under an AnyOf)."""
    if isinstance(node, Match):
        return [node]
    return [child for child in getattr(node, "children", ()) if isinstance(child, Match)]


def prefix_word(text: str) -> str | None:
    """The lower-cased word a prefix search of `text` looks for, or None when `text` is not one word of at least
    MIN_PREFIX letters."""
    tokens = word_tokens(text)
    if len(tokens) == 1 and len(tokens[0]) >= MIN_PREFIX and len(tokens[0]) == len(text):
        return tokens[0]
    return None


@dataclass(frozen=True)
class Keyword:
    """A whole value of a keyword field (facet fields, django_ct)."""

    field: str
    value: str


@dataclass(frozen=True)
class DateSpan:
    """Dates from `start` to `end`, both included; either may be open."""

    field: str
    start: datetime.date | None = None
    end: datetime.date | None = None


@dataclass(frozen=True)
class AllOf:
    """Every child matches and no excluded child does."""

    children: tuple = ()
    exclude: tuple = ()


@dataclass(frozen=True)
class AnyOf:
    """At least one child matches."""

    children: tuple = ()


# --- Parsing ----------------------------------------------------------------------------------------------------

FIELD_ALIASES = {
    "speaker": "speaker",
    "person": "speaker",
    "organisation": "organisation",
    "organization": "organisation",
    "org": "organisation",
    "document": "document",
    "doc": "document",
    "year": "year",
    "language": "language",
    "lang": "language",
}
FIELD_PREFIX = re.compile(r"(?i)(" + "|".join(sorted(FIELD_ALIASES, key=len, reverse=True)) + r"):(?=\S)")
QUOTE_MARKS = str.maketrans({"“": '"', "”": '"', "„": '"', "«": '"', "»": '"', "″": '"'})
MINUS_SIGNS = "-−–"
YEAR = re.compile(r"\d{4}")
YEAR_RANGE = re.compile(r"(\d{4})\s*(?:-|–|\.\.)\s*(\d{4})")
LANGUAGE = re.compile(r"[A-Za-z]{2,3}(?:-[A-Za-z0-9]{2,8})?")


@dataclass
class Clause:
    text: str
    phrase: bool = False
    field: str | None = None
    negated: bool = False


@dataclass
class ParsedQuery:
    """A user's query, understood: the query tree to run, what to highlight, and what was ignored and why."""

    text: str
    node: AllOf | None = None
    notices: list[str] = field(default_factory=list)
    words: list[str] = field(default_factory=list)  # positive free-text words as typed (spelling, name box)
    word_terms: dict[str, str] = field(default_factory=dict)  # those of `words` that are indexed -> their term
    terms: frozenset = frozenset()  # stemmed terms to highlight
    phrases: tuple = ()  # stemmed term sequences to highlight as one
    prefixes: tuple = ()  # lower-case word prefixes to highlight
    has_text: bool = False  # any positive free-text clause (relevance makes sense)
    nothing_searchable: bool = False  # the user typed something, but none of it can be looked up


def _scan(text: str, notices: list[str]) -> list:
    """Split a query into clauses and the operators OR / AND / NOT. Never raises."""
    text = text.translate(QUOTE_MARKS)
    if text.count('"') % 2:
        last = text.rfind('"')
        text = text[:last] + " " + text[last + 1 :]
        notices.append("A quotation mark had no partner, so it was ignored: those words were searched for separately.")
    items, i, n = [], 0, len(text)
    lone_minus = False
    while i < n:
        if text[i].isspace():
            i += 1
            continue
        negated = False
        if text[i] in MINUS_SIGNS:
            if i + 1 < n and not text[i + 1].isspace() and text[i + 1] not in MINUS_SIGNS:
                negated = True
                i += 1
            else:
                lone_minus = True
                i += 1
                continue
        field_name = None
        match = FIELD_PREFIX.match(text, i)
        if match:
            field_name = FIELD_ALIASES[match.group(1).lower()]
            i = match.end()
        if text[i] == '"':
            end = text.find('"', i + 1)
            value, i = text[i + 1 : end], end + 1
            if value.strip():
                items.append(Clause(value.strip(), phrase=True, field=field_name, negated=negated))
            continue
        end = i
        while end < n and not text[end].isspace() and text[end] != '"':
            end += 1
        word, i = text[i:end], end
        if field_name is None and not negated and word in ("OR", "||", "AND", "&&", "NOT"):
            items.append({"||": "OR", "&&": "AND"}.get(word, word))
        else:
            items.append(Clause(word, field=field_name, negated=negated))
    if lone_minus:
        notices.append('A "-" leaves out the word right after it (as in -terrorism); a "-" on its own was ignored.')
    return items


def _group(items: list, notices: list[str]) -> tuple[list[list[Clause]], list[Clause]]:
    """Apply OR / AND / NOT: groups of alternatives (each group must match) and clauses to leave out."""
    groups, excluded = [], []
    pending_or = pending_not = bad_or = False
    for item in items:
        if item == "AND":
            continue
        if item == "NOT":
            pending_not = True
            continue
        if item == "OR":
            if not groups or pending_or:
                bad_or = True
            pending_or = bool(groups)
            continue
        clause = item
        if pending_not:
            clause.negated, pending_not = not clause.negated, False
        if clause.negated:
            excluded.append(clause)
            bad_or = bad_or or pending_or
        elif pending_or:
            groups[-1].append(clause)
        else:
            groups.append([clause])
        pending_or = False
    if pending_or or bad_or:
        notices.append('"OR" needs words on both sides (as in extremism OR terrorism); a stray "OR" was ignored.')
    if pending_not:
        notices.append('"NOT" needs a word after it; it was ignored.')
    return groups, excluded


def _clause_node(clause: Clause, notices: list[str]):
    """The query tree for one clause, or None when it cannot match anything."""
    text = clause.text
    if clause.field == "year":
        if YEAR.fullmatch(text):
            return Keyword("year", text)
        span = YEAR_RANGE.fullmatch(text)
        if span and 0 <= int(span.group(2)) - int(span.group(1)) <= 500:
            return AnyOf(tuple(Keyword("year", str(y)) for y in range(int(span.group(1)), int(span.group(2)) + 1)))
        notices.append(f"year: takes a year such as year:2017 or year:2015-2017, so year:{text} was ignored.")
        return None
    if clause.field == "language":
        if LANGUAGE.fullmatch(text):
            return Keyword("language", text.lower())
        notices.append(f"language: takes a language code such as language:en, so language:{text} was ignored.")
        return None
    if clause.field in ("speaker", "organisation", "document"):
        words = match_text(f"{clause.field}_names", text, phrase=True)
        slug = text.strip().lower()
        return AnyOf((words, Keyword(clause.field, slug))) if re.fullmatch(r"[\w-]+", slug) else words
    if not clause.phrase and text.endswith("*"):
        stem = text.rstrip("*")
        word = prefix_word(stem)
        if word is not None:
            return Match("text", stem, (word,), prefix=True)
        notices.append(f'"*" completes a word of three letters or more (as in extrem*); in "{text}" it was ignored.')
        text = stem
    node = match_text("text", text, phrase=clause.phrase)
    return node if any(match.terms for match in matches_of(node)) else None


def _limit_prefixes(clauses: list[Clause], notices: list[str]) -> None:
    """Keep the "*" of the first MAX_PREFIXES prefix words only; the others are searched as plain words."""
    starred = [c for c in clauses if c.field is None and not c.phrase and c.text.endswith("*")]
    for clause in starred[MAX_PREFIXES:]:
        clause.text = clause.text.rstrip("*")
    if len(starred) > MAX_PREFIXES:
        dropped = ", ".join(f"{c.text}*" for c in starred[MAX_PREFIXES:])
        notices.append(
            f"Only {MAX_PREFIXES} words of a search can end in “*”, so {dropped} were searched as the words themselves."
        )


def parse_query(text: str) -> ParsedQuery:
    """Understand a user's query. Never raises; whatever cannot be used is reported in `notices`."""
    parsed = ParsedQuery(text=text or "")
    notices = parsed.notices
    groups, excluded = _group(_scan(parsed.text, notices), notices)
    if sum(len(g) for g in groups) + len(excluded) > MAX_CLAUSES:
        notices.append(f"Only the first {MAX_CLAUSES} words or phrases were used.")
        kept, budget = [], MAX_CLAUSES
        for group in groups:
            if budget <= 0:
                break
            kept.append(group[:budget])
            budget -= len(kept[-1])
        groups, excluded = kept, excluded[: max(0, budget)]

    _limit_prefixes([*(c for g in groups for c in g), *excluded], notices)
    children, terms, phrases, prefixes = [], set(), [], []
    typed_positive = False
    for group in groups:
        nodes = []
        for clause in group:
            typed_positive = True
            node = _clause_node(clause, notices)
            if node is None:
                continue
            nodes.append(node)
            if clause.field is None:
                parsed.has_text = True
                parsed.words.extend(word_tokens(clause.text.rstrip("*")))
                for match in matches_of(node):
                    if match.prefix:
                        prefixes.append(match.terms[0])
                    elif match.phrase:
                        phrases.append(match.terms)
                    else:
                        terms.update(match.terms)
        if nodes:
            children.append(nodes[0] if len(nodes) == 1 else AnyOf(tuple(nodes)))
    exclude = tuple(node for node in (_clause_node(c, notices) for c in excluded) if node is not None)

    if children or exclude:
        parsed.node = AllOf(tuple(children), exclude)
    if typed_positive and not children:
        parsed.nothing_searchable = True
        notices.append(
            "Nothing in your search can be looked up: it has only very common words (such as “the” or “of”), "
            "or no letters or digits."
        )
    parsed.words = list(dict.fromkeys(parsed.words))
    parsed.word_terms = {word: term(word) for word in parsed.words if is_indexed_word(word) and not HAN_RUN.match(word)}
    parsed.terms = frozenset(terms)
    parsed.phrases = tuple(p for p in phrases if p)
    parsed.prefixes = tuple(prefixes)
    return parsed
