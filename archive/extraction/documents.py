"""Recognising documents (treaties, conventions, charters, strategies, resolutions, declarations,
agreements) and the phrases that refer back to them ("the convention", "the new document").

Three passes: explicit names (known documents, capitalised names such as "Paris Agreement" or
"Treaty on the Non-Proliferation of Nuclear Weapons", descriptive names such as "the convention
on countering extremism", numbered resolutions, and "a universal anti-terrorism convention" under
discussion); grouping of short and long forms of one name; then resolution of referring phrases
to the most salient document of the right kind (named in the headline or lead, named often),
unless a document of that kind was named just before.
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from dataclasses import dataclass, field

from . import languages
from .text import Token, tokenize, word_set
from .types import ExtractedDocument, KnownDocument

KIND_BY_WORD = languages.merged("document_kinds")
MAX_NAME_TOKENS = 40  # no document name runs longer; a bound that keeps hostile input fast
TREATY_LIKE = frozenset({"treaty", "agreement", "convention"})
# Words that continue a name to the right of its kind word ("Convention on ...", "Strategy Towards 2025").
NAME_LINKS = languages.words("document_links")
# Inflected Russian kind words, with the nominative a name is given in ("Хартии ШОС" -> "Хартия ШОС").
RUSSIAN_KIND_FORMS = {
    form: (nominative, KIND_BY_WORD[nominative]) for form, nominative in languages.merged("document_kind_forms").items()
}
# German names a treaty in one compound: "Nordatlantikvertrag(s)", "Klimaabkommen", "Chemiewaffenübereinkommen".
GERMAN_COMPOUND = re.compile(r"^([A-ZÄÖÜ][a-zäöüß]{3,}(?:vertrag|abkommen|übereinkommen|konvention|charta))(?:e?s)?$")
GERMAN_COMPOUND_KINDS = {
    "vertrag": "treaty", "abkommen": "agreement", "übereinkommen": "convention", "konvention": "convention",
    "charta": "charter",
}  # fmt: skip
# "X, known as the Istanbul Convention", "X (the Istanbul Convention)": a second name of the same document.
ALIAS_BETWEEN = re.compile(r"^(?:,\s*(?:also\s+|better\s+|commonly\s+)?known\s+as|\s*\()\s*(?:the\s+)?$")
# Capitalised words that refer back to a named document only when capitalised ("the Plan", "the Act").
REFERRING_CAPITALISED = re.compile(
    r"(?<![\w-])(?:the|this|that)\s+(Plan|Act|Agenda|Programme|Statute|Pact|Accord)(?![\w-])"
)
INNER_CONNECTORS = word_set("and or of the on in for against to a an") | languages.words("document_links") - {"for"}
INNER_CONNECTORS |= languages.words("articles") | languages.words("connectors") - {"at"}
LOWERCASE_NAME_WORDS = languages.words("lowercase_name_words")
# "the Constitutive Act of the African Union and the Charter of ...", "... et la Charte ...": two names.
LIST_CONJUNCTIONS = word_set("and or et ou y o und oder и или")
ARTICLES = languages.words("articles")
LIST_DETERMINERS = word_set("a an its their") | languages.words("articles")
# Kind words too common in lower case to start a descriptive name ("an act of terrorism").
# Kinds named after the year they aim at ("2030 Agenda"), not the year they were adopted.
HORIZON_KINDS = word_set("agenda vision")
CAPITALISED_ONLY_KINDS = word_set("act agenda vision plan concept statute roadmap memorandum")
# Capitalised words that start a sentence or a clause and so cannot begin a document's name.
LEFT_STOP = word_set(
    """The A An In On At For By With As And But Of This That These Its Their Our His Her Under Since
    After Before During While When Both Each New Draft"""
) | {article.capitalize() for article in languages.words("articles")}
# Kind words of languages whose adjectives follow the noun: "Carta Democrática Interamericana", "Charte africaine".
KINDS_BEFORE_ADJECTIVES = frozenset(
    word for language in languages.ALL if language.adjectives_follow for word in language.document_kinds
)
# Modifiers too vague to name a document under discussion ("a new convention" names nothing).
VAGUE_MODIFIERS = word_set(
    """new such similar another single separate relevant specific special major key important possible
    future draft legal legally binding formal final first second same"""
)
YEAR = re.compile(r"^(?:19|20)\d{2}$")
YEAR_RANGE = re.compile(r"^(?:19|20)\d{2}[-–](?:19|20)\d{2}$")
RANGE_END = re.compile(r"[-–—]\s*(?:19|20)\d{2}(?![\w-])")
# "resolution", "résolution", "resolución", "резолюции" ... (every kind word and form of the resolution kind).
RESOLUTION_WORDS = sorted(
    {word for word, kind in KIND_BY_WORD.items() if kind == "resolution"}
    | {form for form, (_, kind) in RUSSIAN_KIND_FORMS.items() if kind == "resolution"},
    key=len,
    reverse=True,
)
RESOLUTION = re.compile(
    r"(?:(?:UN\s+|United Nations\s+|U\.N\.\s+)?(Security Council|General Assembly|Human Rights Council)\s+)?"
    rf"(?<![\w-])(?i:{'|'.join(RESOLUTION_WORDS)})s?\s+(?:n[°º]\s*|№\s*)?(\d{{1,4}}(?:/\d{{1,4}})?)"
    r"(?:\s*\(((?:19|20)\d{2})\))?"
    r"((?:\s*(?:,|and)\s*\d{1,4}(?:/\d{1,4})?(?:\s*\((?:19|20)\d{2}\))?)*)"
)
LIST_ITEM = re.compile(r"(\d{1,4}(?:/\d{1,4})?)(?:\s*\(((?:19|20)\d{2})\))?")
REFERRING = re.compile(
    r"(?<![\w-])(?:the|this|that)\s+(?:(new|same|latest|recent|above-mentioned|aforementioned|present|"
    r"current|((?:19|20)\d{2}))\s+)?(convention|treaty|charter|strategy|resolution|declaration|agreement|"
    r"document|accord|pact|protocol)(?![\w-])",
    re.IGNORECASE,
)
ADOPTION_YEAR = re.compile(
    r"\b(?:adopted|signed|concluded|approved|agreed|endorsed|launched)\b[^.]{0,80}?\bin\s+((?:19|20)\d{2})\b"
    r"|\bin\s+((?:19|20)\d{2})\b[^.]{0,80}?\b(?:adopted|signed|concluded|approved|agreed|endorsed|launched)\b",
    re.IGNORECASE,
)
ORGANISATION_PREFIXES = re.compile(
    r"^(?:(?:un|u\.n\.|united nations|sco|nato|osce|asean|eu|au|cis|csto|brics|african union|"
    r"european union|shanghai cooperation organi[sz]ation)\s+)+"
)


def normalise_document_name(name: str) -> str:
    """Comparison key: case, "the", hyphens, British/American spelling and doubled consonants ignored."""
    key = name.lower().replace("’", "'")
    key = re.sub(r"\(\s*(?:19|20)\d{2}\s*\)", "", key)
    key = re.sub(r"\b([bcdfgklmnprstvz])\1(ing|ed)\b", r"\1\2", key)
    key = key.replace("organization", "organisation").replace("co-operation", "cooperation")
    key = re.sub(r"[-‐–,]", " ", key)
    key = re.sub(r"^(?:the|a|an)\s+", "", " ".join(key.split()))
    return key


def core_document_name(name: str) -> str:
    """The comparison key without a leading organisation ("SCO Convention ..." -> "convention ...")."""
    return ORGANISATION_PREFIXES.sub("", normalise_document_name(name))


ORGANISATION_ACRONYMS = {
    "united nations": "un", "shanghai cooperation organisation": "sco", "african union": "au",
    "european union": "eu", "association of southeast asian nations": "asean",
    "north atlantic treaty organisation": "nato",
    "organisation for security and cooperation in europe": "osce",
}  # fmt: skip


def name_keys(name: str) -> set[str]:
    """Comparison keys of a name, including "un charter" for "Charter of the United Nations"."""
    key = normalise_document_name(name)
    keys = {key}
    inverted = re.match(r"^(\w+) of (?:the )?(.+)$", key)
    if inverted and inverted.group(1) in KIND_BY_WORD:
        keys.add(f"{inverted.group(2)} {inverted.group(1)}")
    for full, acronym in ORGANISATION_ACRONYMS.items():
        keys |= {k.replace(full, acronym) for k in keys if full in k}
    return keys


def _title_case(words: str) -> str:
    return " ".join(
        word if word.lower() in INNER_CONNECTORS or word[0].isupper() else word[0].upper() + word[1:]
        for word in words.split()
    )


@dataclass(eq=False)
class _Document:
    name: str
    kind: str
    year: int | None = None
    known: bool = False
    indefinite: bool = False
    from_capitals: bool = False
    number: str = ""  # resolutions are identified by their number
    aliases: set[str] = field(default_factory=set)
    mentions: list[tuple[int, int, str]] = field(default_factory=list)
    explicit_starts: list[int] = field(default_factory=list)
    in_title: bool = False


@dataclass(frozen=True)
class _Candidate:
    name: str
    kind: str
    start: int
    end: int
    year: int | None = None
    indefinite: bool = False
    from_capitals: bool = False
    number: str = ""
    acronym: str = ""


def _tolerant_pattern(phrase: str) -> re.Pattern[str]:
    """A regex for ``phrase`` that accepts spelling variants (Combating/Combatting, -ise/-ize, hyphens)."""
    parts = []
    for word in re.split(r"[\s\-‐]+", phrase.strip()):
        pattern = re.escape(word)
        pattern = re.sub(r"([bcdfgklmnprstvz])\1?(ing|ed)$", r"\1{1,2}\2", pattern)
        pattern = re.sub(r"i[sz](?=ation|e|ing)", "i[sz]", pattern)
        parts.append(pattern)
    leading_the = r"(?:the\s+)?" if not phrase.lower().startswith("the ") else ""
    return re.compile(leading_the + r"(?<![\w-])" + r"[\s\-‐]*".join(parts) + r"(?![\w-])", re.IGNORECASE)


def _kind_of(name: str, default: str = "other") -> str:
    words = [word.lower() for word in re.findall(r"[^\W\d_]+", name)]
    for word in reversed(words):
        if word in KIND_BY_WORD:
            return KIND_BY_WORD[word]
    return default


DOCUMENT_PATTERNS = [re.compile(pattern) for language in languages.ALL for pattern in language.document_patterns]
# "S/RES/2231 (2015)": a Security Council resolution by its symbol.
RESOLUTION_SYMBOL = re.compile(r"S/RES/(\d{1,4})(?:\s*\(((?:19|20)\d{2})\))?")


class DocumentFinder:
    """Collect documents and their mentions in one article."""

    def __init__(self, text: str, known_documents: list[KnownDocument], title: str = "") -> None:
        self.text = text
        self.title = title
        self.known = known_documents
        self.tokens = tokenize(text)
        self.documents: list[_Document] = []
        self.by_number: dict[str, _Document] = {}
        self.by_key: dict[str, _Document] = {}

    def run(self, sentences: list[tuple[int, int]]) -> list[ExtractedDocument]:
        self.sentences = sentences
        known_spans = sorted(self._find_known())
        known_starts = [start for start, _ in known_spans]
        previous: tuple[_Candidate, _Document] | None = None
        for candidate in self._candidates():
            index = bisect_left(known_starts, candidate.end) - 1
            if index >= 0 and known_spans[index][1] > candidate.start:
                continue
            between = self.text[previous[0].end : candidate.start] if previous else ""
            if previous and not candidate.number and ALIAS_BETWEEN.match(between):
                # "X, known as the Istanbul Convention": a second name of the document just named.
                document = previous[1]
                document.aliases.add(candidate.name)
                self._index_names(document)
                self._mention(document, candidate.start, candidate.end, explicit=True)
            else:
                document = self._add_candidate(candidate)
            previous = (candidate, document)
        self._add_acronym_mentions()
        self._mark_headline()
        self._add_adoption_years()
        self._resolve_referring_phrases()
        ordered = sorted(
            (document for document in self.documents if document.mentions),
            key=lambda document: min(start for start, _, _ in document.mentions),
        )
        return [
            ExtractedDocument(document.name, document.kind, document.year, sorted(document.mentions))
            for document in ordered
        ]

    # -- explicit names -------------------------------------------------------------------
    def _find_known(self) -> list[tuple[int, int]]:
        spans: list[tuple[int, int]] = []
        for known in self.known:
            document = _Document(known.title, known.kind or _kind_of(known.title), known.year, known=True)
            document.aliases = {name for name in (known.title, known.short_title, *known.aliases) if name}
            self.documents.append(document)
            self._index_names(document)
            for name in sorted(document.aliases, key=len, reverse=True):
                for match in _tolerant_pattern(name).finditer(self.text):
                    if any(start < match.end() and match.start() < end for start, end in spans):
                        continue
                    spans.append((match.start(), match.end()))
                    self._mention(document, match.start(), match.end(), explicit=True)
                    document.year = document.year or self._year_around(match.start(), match.end())
        return spans

    def _candidates(self) -> list[_Candidate]:
        found = [*self._named_candidates(), *self._resolution_candidates(), *self._pattern_candidates()]
        found.sort(key=lambda candidate: (candidate.start, -(candidate.end - candidate.start)))
        kept: list[_Candidate] = []
        for candidate in found:
            if kept and candidate.start < kept[-1].end:
                continue
            kept.append(candidate)
        return kept

    def _named_candidates(self) -> list[_Candidate]:
        candidates = []
        tokens = self.tokens
        for index, token in enumerate(tokens):
            kind = KIND_BY_WORD.get(token.lower)
            if kind is None and token.lower in RUSSIAN_KIND_FORMS:
                kind = RUSSIAN_KIND_FORMS[token.lower][1]
            compound = GERMAN_COMPOUND.match(token.text)
            if compound and kind is None:
                ending = next(e for e in GERMAN_COMPOUND_KINDS if compound.group(1).endswith(e))
                candidates.append(_Candidate(compound.group(1), GERMAN_COMPOUND_KINDS[ending], token.start, token.end))
                continue
            numbered = index + 1 < len(tokens) and tokens[index + 1].text[:1].isdigit()
            if not kind or kind == "resolution" and (token.lower == "resolution" or numbered):
                continue
            if token.text[0].isupper():
                candidate = self._capitalised_name(index, kind)
            elif token.lower in CAPITALISED_ONLY_KINDS:
                continue
            else:
                candidate = self._descriptive_name(index, kind) or self._indefinite_name(index, kind)
            if candidate:
                candidates.append(candidate)
        return candidates

    def _joined(self, left: Token, right: Token, allow_comma: bool = False, possessive: bool = False) -> bool:
        gap = self.text[left.end : right.start]
        return gap == " " or (allow_comma and gap == ", ") or (possessive and gap in ("’ ", "' "))

    def _capitalised_name(self, index: int, kind: str) -> _Candidate | None:
        """ "Paris Agreement", "UN Global Counter-Terrorism Strategy", "Charter of the United Nations"."""
        tokens, first, year = self.tokens, index, None
        while first > 0 and self._joined(tokens[first - 1], tokens[first], possessive=True):
            previous = tokens[first - 1]
            if YEAR.match(previous.text) and tokens[index].lower in HORIZON_KINDS:
                first -= 1  # "the 2030 Agenda": the year is the horizon, part of the name
                break
            if YEAR.match(previous.text):
                year = int(previous.text)
                break
            if previous.lower in ("and", "of") and self._capitalised_before(first - 1):
                first -= 1  # "Council of Europe Convention", "Sudan Humanitarian Needs and Response Plan"
                continue
            if not previous.text[0].isupper() or previous.text in LEFT_STOP:
                break
            first -= 1
        last = self._extend_right(index, capitalised=True)
        if last == index and self._russian_acronym_after(index):
            last = index + 1  # "Хартия ШОС", "Устав ООН"
        if first == index and last == index:
            return None  # a bare "the Convention" refers back; it names nothing new
        start, end = tokens[first].start, tokens[last].end
        if YEAR.match(tokens[last].text) and (range_end := RANGE_END.match(self.text, end)):
            end = range_end.end()  # "for 2026–2035", the range written with a dash that is not part of a word
        name = self.text[start:end]
        if tokens[index].lower in RUSSIAN_KIND_FORMS:  # the name in the nominative
            nominative = RUSSIAN_KIND_FORMS[tokens[index].lower][0]
            offset = tokens[index].start - start
            name = name[:offset] + nominative.capitalize() + name[offset + len(tokens[index].text) :]
        acronym = re.match(r"\s*\(([A-Z]{2,8})\)", self.text[end : end + 12])
        return _Candidate(
            name, kind, start, end, year or self._year_around(start, end), from_capitals=True,
            acronym=acronym.group(1) if acronym else "",
        )  # fmt: skip

    def _capitalised_before(self, connector: int) -> bool:
        """Whether a connector ("of", "and") inside a capitalised name has capitalised words on both sides."""
        tokens = self.tokens
        return (
            connector > 0
            and connector + 1 < len(tokens)
            and self._joined(tokens[connector - 1], tokens[connector])
            and tokens[connector - 1].text[0].isupper()
            and tokens[connector - 1].text not in LEFT_STOP
            and tokens[connector + 1].text[0].isupper()
        )

    def _russian_acronym_after(self, index: int) -> bool:
        tokens = self.tokens
        return (
            index + 1 < len(tokens)
            and re.match(r"[а-яё]", tokens[index].lower) is not None
            and re.fullmatch(r"[А-ЯЁ]{2,6}", tokens[index + 1].text) is not None
            and self._joined(tokens[index], tokens[index + 1])
        )

    def _extend_right(self, index: int, capitalised: bool) -> int:
        """Index of the last token of the "on/of/towards ..." part after a kind word."""
        tokens = self.tokens
        if index + 1 >= len(tokens):
            return index
        if tokens[index].lower in HORIZON_KINDS and YEAR.match(tokens[index + 1].text):
            return index + 1 if self._joined(tokens[index], tokens[index + 1]) else index  # "Agenda 2063"
        if tokens[index + 1].lower not in NAME_LINKS:
            if capitalised and tokens[index].lower in KINDS_BEFORE_ADJECTIVES:
                return self._adjectives_after(index)
            return index
        if not self._joined(tokens[index], tokens[index + 1]):
            return index
        last, position, after_comma = index, index + 1, None
        # "Convention on preventing and combating violence against women ...": an official name in lower case.
        gerund = (
            capitalised
            and index + 2 < len(tokens)
            and tokens[index + 2].text.islower()
            and tokens[index + 2].lower.endswith("ing")
            and len(tokens[index + 2].text) > 5
        )
        if gerund:
            capitalised = False
        while (
            position + 1 < len(tokens)
            and position - index < MAX_NAME_TOKENS
            and self._joined(tokens[position], tokens[position + 1], allow_comma=True)
        ):
            word = tokens[position + 1]
            if self.text[tokens[position].end : word.start] == ", ":
                after_comma = after_comma if after_comma is not None else position
            # A year belongs to a name only as its horizon ("Strategy Towards 2025").
            horizon = (
                YEAR.match(word.text) and tokens[position].lower in ("towards", "toward", "to", "until")
            ) or (  # "Strategy for 2026-2035"
                tokens[position].lower in ("for", "towards", "to", "until", "pour", "para", "für", "на")
                and (YEAR_RANGE.match(word.text) or (YEAR.match(word.text) and RANGE_END.match(self.text, word.end)))
            )
            fits = (word.text[0].isupper() or bool(horizon)) if capitalised else word.text[0].islower()
            if (
                word.lower in LIST_CONJUNCTIONS
                and position + 2 < len(tokens)
                and tokens[position + 2].lower in LIST_DETERMINERS
            ):
                break  # "the Constitutive Act of the African Union and the Charter of ...": two names
            if word.text in LOWERCASE_NAME_WORDS and capitalised:
                position += 1
                last = position
                continue
            if word.lower in INNER_CONNECTORS:
                position += 1
                continue
            if not fits or (not capitalised and not self._descriptive_word(word)):
                break
            position += 1
            last = position
        listed = any(tokens[i].lower in ("and", "or") for i in range(after_comma or 0, last)) if after_comma else True
        if after_comma is not None and not listed:
            last = after_comma
        if last == index + 2 and YEAR.match(tokens[last].text) and tokens[index + 1].lower == "of":
            return index  # "Declaration of 2000": the year is a date, not part of the name
        if gerund and last - index > 14:
            return index
        return last if last > index + 1 else index

    def _adjectives_after(self, index: int) -> int:
        """ "Carta Democrática Interamericana": capitalised words right after the kind word, then an of-part."""
        tokens, last = self.tokens, index
        while (
            last + 1 < len(tokens)
            and last - index < 4
            and self._joined(tokens[last], tokens[last + 1])
            and tokens[last + 1].text[0].isupper()
            and tokens[last + 1].text not in LEFT_STOP
        ):
            last += 1
        # "Declaración Conjunta para Convivir en Paz": an of-part may follow the adjectives.
        return self._extend_right(last, capitalised=True) if last > index else last

    @staticmethod
    def _descriptive_word(token: Token) -> bool:
        return token.lower not in ("at", "by", "with", "which", "that", "was", "is", "will") and not (
            token.lower.endswith("ed") and len(token.text) > 4
        )

    def _descriptive_name(self, index: int, kind: str) -> _Candidate | None:
        """ "the convention on countering extremism": a lower-case kind word with an "on ..." part."""
        tokens = self.tokens
        # "the convention on ...", "la charte de l’OTAN", "die Charta der ..." (articles of every language)
        if index == 0 or tokens[index - 1].lower not in ARTICLES or not self._joined(tokens[index - 1], tokens[index]):
            return None
        last = self._extend_right(index, capitalised=False)
        if last == index or last - index > 6:
            return None
        start, end = tokens[index].start, tokens[last].end
        return _Candidate(_title_case(self.text[start:end]), kind, start, end, self._year_around(start, end))

    def _indefinite_name(self, index: int, kind: str) -> _Candidate | None:
        """ "a universal anti-terrorism convention": a document under discussion, named by its modifiers."""
        if kind not in ("convention", "treaty", "charter"):
            return None
        tokens, first = self.tokens, index
        while first > 0 and index - first < 3 and self._joined(tokens[first - 1], tokens[first]):
            previous = tokens[first - 1]
            if previous.lower in ("a", "an") or not previous.text[0].islower():
                break
            first -= 1
        has_article = first > 0 and tokens[first - 1].lower in ("a", "an")
        modifiers = [token.lower for token in tokens[first:index]]
        if not has_article or not modifiers or all(word in VAGUE_MODIFIERS for word in modifiers):
            return None
        start, end = tokens[first].start, tokens[index].end
        return _Candidate(self.text[start:end], kind, start, end, indefinite=True)

    def _resolution_candidates(self) -> list[_Candidate]:
        candidates = []
        for match in RESOLUTION.finditer(self.text):
            body = match.group(1)
            items = [
                (
                    match.group(2),
                    match.group(3),
                    match.start(),
                    match.end(3) if match.group(3) else match.end(2),
                )
            ]
            for item in LIST_ITEM.finditer(match.group(4) or ""):
                offset = match.start(4)
                items.append((item.group(1), item.group(2), offset + item.start(), offset + item.end()))
            for number, year, start, end in items:
                name = f"{body} resolution {number}" if body else f"resolution {number}"
                candidates.append(
                    _Candidate(name, "resolution", start, end, int(year) if year else None, number=number)
                )
        for match in RESOLUTION_SYMBOL.finditer(self.text):
            year = int(match.group(2)) if match.group(2) else None
            number = match.group(1)
            name = f"Security Council resolution {number}"
            candidates.append(_Candidate(name, "resolution", match.start(), match.end(), year, number=number))
        return candidates

    def _pattern_candidates(self) -> list[_Candidate]:
        """Documents named in the ways each language's ``document_patterns`` describe: Chinese 《...公约》 and
        "第2231号决议", Arabic "اتفاقية ...", English names without a kind word ("Ezulwini Consensus")."""
        candidates = []
        for pattern in DOCUMENT_PATTERNS:
            for match in pattern.finditer(self.text):
                groups = match.groupdict()
                start, end = match.span("name")
                name = match.group("name")
                while (first := name.split(" ", 1)[0]) in LEFT_STOP and " " in name:
                    start, name = start + len(first) + 1, name[len(first) + 1 :]
                if groups.get("number"):
                    year = int(groups["year"]) if groups.get("year") else None
                    number = groups["number"]
                    candidates.append(_Candidate(f"resolution {number}", "resolution", start, end, year, number=number))
                    continue
                kind = KIND_BY_WORD.get((groups.get("kind") or "").lower(), "other")
                candidates.append(_Candidate(name, kind, start, end, self._year_around(start, end), from_capitals=True))
        return candidates

    def _year_around(self, start: int, end: int) -> int | None:
        """A year written right before the name ("the 2015 Paris Agreement") or in brackets after it."""
        before = re.search(r"\b((?:19|20)\d{2})\s+$", self.text[max(0, start - 6) : start])
        after = re.match(r"\s*(?:\(|of\s+|in\s+)((?:19|20)\d{2})\b", self.text[end : end + 12])
        found = before or after
        return int(found.group(1)) if found else None

    def _mention(self, document: _Document, start: int, end: int, explicit: bool) -> None:
        document.mentions.append((start, end, self.text[start:end]))
        if explicit:
            document.explicit_starts.append(start)

    def _add_candidate(self, candidate: _Candidate) -> _Document:
        document = self._matching_document(candidate)
        if document is None:
            document = _Document(
                candidate.name, candidate.kind, candidate.year, indefinite=candidate.indefinite,
                from_capitals=candidate.from_capitals, number=candidate.number,
            )  # fmt: skip
            self.documents.append(document)
            if document.number:
                self.by_number[document.number] = document
        elif not document.known and self._better_name(candidate, document):
            document.aliases.add(document.name)
            document.name, document.from_capitals = candidate.name, candidate.from_capitals
        document.year = document.year or candidate.year
        if candidate.acronym:
            document.aliases.add(candidate.acronym)
        self._index_names(document)
        self._mention(document, candidate.start, candidate.end, explicit=True)
        return document

    def _index_names(self, document: _Document) -> None:
        """Remember the comparison keys of a document's names, so that later candidates find it at once."""
        for name in document.aliases | {document.name}:
            for key in name_keys(name):
                self.by_key.setdefault(key, document)
                if document.known:
                    self.by_key.setdefault(core_document_name(name), document)

    @staticmethod
    def _better_name(candidate: _Candidate, document: _Document) -> bool:
        if candidate.from_capitals != document.from_capitals:
            return candidate.from_capitals
        return len(candidate.name) > len(document.name)

    def _matching_document(self, candidate: _Candidate) -> _Document | None:
        """The document a candidate names: same number, same name, or a short form of the same name."""
        if candidate.number:
            return self.by_number.get(candidate.number)
        keys = name_keys(candidate.name)
        for key in (*keys, core_document_name(candidate.name)):
            found = self.by_key.get(key)
            if found is not None and (key in keys or found.known):
                return found
        # Short forms ("Shanghai Convention", "the Final Act") are looked for among the latest documents only,
        # so that an article naming thousands of documents stays fast.
        for document in self.documents[-200:]:
            names = document.aliases | {document.name}
            # A known document may be written without its organisation ("Convention on Countering
            # Extremism" for "SCO Convention on Countering Extremism"); two candidates may not, or
            # the "SCO Charter" and the "UN Charter" would merge.
            known_keys = {core_document_name(name) for name in names} if document.known else set()
            other_keys = set().union(*(name_keys(name) for name in names)) | known_keys
            if keys & other_keys or (document.known and core_document_name(candidate.name) in known_keys):
                return document
            if candidate.indefinite or document.indefinite or document.kind != candidate.kind:
                continue
            if any(_is_short_form(key, other) or _is_short_form(other, key) for key in keys for other in other_keys):
                return document
        return None

    def _add_acronym_mentions(self) -> None:
        """Later uses of an acronym given in brackets after a name ("... Weapons (NPT)" ... "the NPT")."""
        for document in self.documents:
            for alias in document.aliases:
                if not re.fullmatch(r"[A-Z]{2,8}", alias):
                    continue
                for match in re.finditer(rf"(?<![\w-]){alias}(?![\w-])", self.text):
                    # The bracket that introduces the acronym is part of the name's mention.
                    if not any(s <= match.start() <= e + 2 for s, e, _ in document.mentions):
                        self._mention(document, match.start(), match.end(), explicit=True)

    def _mark_headline(self) -> None:
        """Documents named in the headline are what the article is about."""
        if not self.title:
            return
        headline = DocumentFinder(self.title, self.known)
        headline.sentences = [(0, len(self.title))]
        for candidate in headline._candidates():
            document = self._matching_document(candidate)
            if document:
                document.in_title = True

    def _add_adoption_years(self) -> None:
        """ "in 2001 when they adopted the Shanghai Convention": the year of adoption in the same sentence."""
        named = sorted(
            (mention_start, order)
            for order, document in enumerate(self.documents)
            for mention_start in document.explicit_starts
        )
        starts = [mention_start for mention_start, _ in named]
        for start, end in self.sentences:
            years = ADOPTION_YEAR.findall(self.text, start, end)
            distinct = {int(a or b) for a, b in years}
            if len(distinct) != 1:
                continue
            year = distinct.pop()
            inside = sorted({order for _, order in named[bisect_left(starts, start) : bisect_left(starts, end)]})
            for order in inside:  # the first document (in order of discovery) named in the sentence
                document = self.documents[order]
                if document.year is None and not document.indefinite:
                    document.year = year
                    break

    # -- referring phrases ---------------------------------------------------------------------
    def _salience(self, document: _Document) -> tuple[int, int]:
        lead_end = self.text.find("\n\n")
        lead_end = len(self.text) if lead_end < 0 else lead_end
        in_lead = any(start < lead_end for start in document.explicit_starts)
        score = 3 * document.in_title + 2 * in_lead + len(document.explicit_starts)
        return score, -min(document.explicit_starts, default=len(self.text))

    def _resolve_referring_phrases(self) -> None:
        explicit_spans = sorted((s, e) for document in self.documents for s, e, _ in document.mentions)
        starts = [start for start, _ in explicit_spans]
        reach = []  # the furthest end of the spans up to each index, for the overlap test
        for _, end in explicit_spans:
            reach.append(max(end, reach[-1]) if reach else end)

        def free(match: re.Match[str]) -> bool:
            index = bisect_left(starts, match.end()) - 1
            return index < 0 or reach[index] <= match.start()

        self._named = [document for document in self.documents if not document.indefinite and document.explicit_starts]
        self._sentence_starts = [start for start, _ in self.sentences]
        phrases = [match for match in REFERRING.finditer(self.text) if free(match)]
        # Phrases with a year go first: "the 2017 convention" also dates the document it names.
        phrases.sort(key=lambda match: (match.group(2) is None, match.start()))
        for match in phrases:
            document = self._referent(match)
            if document:
                self._mention(document, match.start(), match.end(), explicit=False)
        for match in REFERRING_CAPITALISED.finditer(self.text):
            if not free(match):
                continue
            noun = match.group(1).lower()
            candidates = [d for d in self._named if re.search(rf"(?<!\w){noun}(?!\w)", d.name.lower())]
            document = self._named_just_before(candidates, match.start(), same_sentence_only=False) or max(
                candidates, key=self._salience, default=None
            )
            if document:
                self._mention(document, match.start(), match.end(), explicit=False)

    def _referent(self, phrase: re.Match[str]) -> _Document | None:
        modifier, year_text, noun = (phrase.group(1) or "").lower(), phrase.group(2), phrase.group(3).lower()
        kind = KIND_BY_WORD.get(noun)
        named = self._named
        candidates = [document for document in named if kind is None or document.kind == kind]
        if not candidates and kind in TREATY_LIKE:
            # "the treaty" may refer to an agreement or a convention: all three are treaties in law.
            candidates = [document for document in named if document.kind in TREATY_LIKE]
        if year_text:
            year = int(year_text)
            dated = [document for document in candidates if document.year == year]
            if dated:
                return dated[0]
            candidates = [document for document in candidates if document.year is None]
            chosen = max(candidates, key=self._salience, default=None)
            if chosen:
                chosen.year = year
            return chosen
        if modifier == "new":
            newest = max((d.year for d in candidates if d.year), default=None)
            candidates = [d for d in candidates if d.year is None or d.year == newest]
        local = self._named_just_before(candidates, phrase.start(), same_sentence_only=kind is None)
        return local or max(candidates, key=self._salience, default=None)

    def _named_just_before(
        self, candidates: list[_Document], position: int, same_sentence_only: bool
    ) -> _Document | None:
        """A candidate named earlier in the same sentence (or, for a kind word, the sentence before)."""
        index = bisect_right(self._sentence_starts, position) - 1
        if index < 0 or position >= self.sentences[index][1]:
            return None
        window_start = self.sentences[index if same_sentence_only or index == 0 else index - 1][0]
        recent = [
            (start, document)
            for document in candidates
            for start in document.explicit_starts
            if window_start <= start < position
        ]
        return max(recent, key=lambda pair: pair[0])[1] if recent else None


def _is_short_form(short: str, full: str) -> bool:
    """ "shanghai convention" is a short form of "shanghai convention on combating terrorism ...", and
    "final act" of "helsinki final act"."""
    return len(short.split()) >= 2 and (full.startswith(short + " ") or full.endswith(" " + short))


def find_documents(
    text: str, known_documents: list[KnownDocument], sentences: list[tuple[int, int]], title: str = ""
) -> list[ExtractedDocument]:
    """Documents named or referred to in ``text``, each with all its mentions, in order of appearance."""
    return DocumentFinder(text, known_documents, title).run(sentences)
