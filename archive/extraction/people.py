"""Recognising people: names with honorifics or titles, appositions ("Vladimir Voronkov, UN
Under-Secretary-General for counter-terrorism"), names next to a speech verb, known people and
their aliases, and later short mentions ("Mr Alimov", "Alimov") of someone already met.

A capitalised run of words counts as a person only with evidence of being one (an honorific, a
title, an apposition, a speech verb, a known name); otherwise "Central Asia" or "Astana Summit"
would turn into speakers.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field

from .lexicon import SPEECH_VERBS
from .organisations import ORGANISATION_HEADS, OrganisationMention
from .text import Token, tokenize, word_set
from .types import KnownPerson

HONORIFICS = {
    "mr": "m", "mrs": "f", "ms": "f", "miss": "f", "madam": "f", "madame": "f", "sir": "m", "dame": "f",
    "dr": "", "prof": "", "professor": "", "herr": "m", "frau": "f", "h.e": "",
    "господин": "m", "госпожа": "f",
}  # fmt: skip
# Capitalised words that make up titles ("SCO Secretary-General", "Kazakh Foreign Minister").
TITLE_WORDS = word_set(
    """secretary-general secretary general under-secretary-general assistant deputy minister foreign
    prime president vice-president chairman chairwoman chairperson chair chairman-in-office
    chairperson-in-office ambassador director director-general executive special representative
    permanent envoy high commissioner spokesperson spokesman spokeswoman head chief coordinator
    adviser advisor senior counsellor chancellor king queen prince emir sultan rapporteur commander
    admiral colonel governor mayor lord baroness judge justice speaker premier officer
    president-elect defence defense interior affairs state vice first генеральный секретарь генсек
    министр посол председатель глава президент представитель директор официальный заместитель"""
)
# German titles are single compound nouns; recognise them by how they end.
GERMAN_TITLE_ENDINGS = (
    "minister", "ministerin", "kanzler", "kanzlerin", "präsident", "präsidentin", "sekretär",
    "sekretärin", "botschafter", "botschafterin", "sprecher", "sprecherin", "vorsitzende",
    "vorsitzender", "kommissar", "kommissarin", "beauftragte", "beauftragter", "chef", "chefin",
)  # fmt: skip
# Title heads that may stand alone as a reference to a person ("the Secretary-General noted").
TITLE_HEADS = (
    r"secretary[- ]general|under-secretary-general|minister|foreign minister|president|chairman|"
    r"chairwoman|chairperson|chair|ambassador|director|director-general|envoy|commissioner|"
    r"spokesperson|spokesman|spokeswoman|representative|coordinator|official|diplomat|chief|head|"
    r"rapporteur|chancellor|premier|prime minister|high representative|generalsekretär|generalsekretärin|"
    r"ministerin|kanzler|kanzlerin|präsident|präsidentin|sprecher|sprecherin|botschafter|botschafterin|"
    r"kommissar|kommissarin|vorsitzende|vorsitzender|beauftragte|beauftragter|"
    r"генсек|генеральный секретарь|министр|председатель|посол|глава|президент|представитель"
)
GENERIC_HEADS = word_set("""official diplomat chief head representative envoy представитель глава""")
NAME_PARTICLES = word_set("""von van der den de da dos das du di del della la le bin ibn al el zu""")
# Capitalised words that open sentences or name things other than people.
NOT_NAME_WORDS = word_set(
    """The A An In On At For By With As And But Of This That These Those Its Their Our His Her He She
    It We They According Meanwhile However Also Moreover Furthermore Today Yesterday Earlier Later
    Speaking Addressing Responding Asked Commenting Following During After Before While When Since
    Monday Tuesday Wednesday Thursday Friday Saturday Sunday January February March April May June
    July August September October November December Organisation Organization Nations Council Union
    Committee Commission Ministry Office Agency Bank Fund Summit Convention Treaty Strategy Charter
    Agreement Declaration Resolution Protocol Assembly Republic Kingdom States Federation Forum
    Centre Center Institute University Secretariat Structure Alliance Group Conference Programme
    Initiative Plan Day Week Year Spirit Road Belt Security Cooperation Co-operation Development
    International Global Regional National United European African Asian Central East West North
    South Eastern Western Northern Southern Middle Peace Human Rights Counter-Terrorism
    Anti-Terrorist Parliament Government Court Police Army Forces Islamic State Mission Representatives
    Members Heads Ministers Leaders Affairs Foreign Defence Defense Interior Justice Statement
    Report Press Declaration Session Meeting Dialogue Partnership Network Youth Women Forum
    Council's Community Economic Social Political Military Nuclear Weapons Crime Drugs Climate Change
    Health Trade Energy Financial Digital Cyber Affairs"""
)
ORGANISATION_HEAD = re.compile(ORGANISATION_HEADS + "|Directorate|Secretariat|Authority|Department")
ACRONYM_AFTER = re.compile(r"\s*\([A-ZА-Я]{2,10}\)")
FEMININE_TITLE = re.compile(
    r"(?:woman|queen|baroness|dame|(?:minister|kanzler|präsident|sekretär|botschafter|"
    r"sprecher|kommissar|chef)in)$"
)
MASCULINE_TITLE = re.compile(r"(?:(?<!wo)man|^king|^prince|^sultan|^emir)$")
LOWER_SURNAME_ENDINGS = ("а", "у", "ым", "ой", "ого", "ому", "е", "s")


@dataclass(eq=False)
class Person:
    """One individual of the article, with whatever title and organisation the text gives."""

    name: str
    title: str = ""
    organisation: str = ""
    gender: str = ""  # "m", "f" or "" when unknown
    aliases: tuple[str, ...] = ()

    @property
    def name_words(self) -> list[str]:
        return self.name.split()


@dataclass(frozen=True)
class PersonMention:
    """Where the text names ``person`` (by full name, alias, honorific + surname or apposition)."""

    person: Person
    start: int
    end: int


@dataclass
class PeopleIndex:
    """The people of an article and every explicit mention of them, in text order."""

    people: list[Person] = field(default_factory=list)
    mentions: list[PersonMention] = field(default_factory=list)


def is_title_word(word: str) -> bool:
    lower = word.lower().rstrip(".")
    return lower in TITLE_WORDS or lower.endswith(GERMAN_TITLE_ENDINGS) or lower in HONORIFICS


def _is_name_word(token: Token) -> bool:
    word = token.text
    if not word[0].isupper() or word in NOT_NAME_WORDS or ORGANISATION_HEAD.fullmatch(word):
        return False
    letters = [c for c in word if c.isalpha()]
    return not (len(letters) > 1 and all(c.isupper() for c in letters))  # acronyms are not names


@dataclass
class _Run:
    """A run of adjacent capitalised tokens split into its qualifier/title part and its name part."""

    tokens: list[Token]
    prefix: list[Token]  # organisation acronyms, nationality adjectives, titles, honorifics
    name: list[Token]


def _capitalised_runs(text: str, tokens: list[Token]) -> list[_Run]:
    runs: list[list[Token]] = []
    current: list[Token] = []
    for token in tokens:
        joined = bool(current) and _adjacent(text, current[-1], token)
        usable = token.text[0].isupper() or (token.lower in NAME_PARTICLES and joined)
        if usable and (joined or not current):
            current.append(token)
            continue
        if current:
            runs.append(current)
        current = [token] if token.text[0].isupper() else []
    if current:
        runs.append(current)
    return [run for run in (_split_run(r) for r in runs) if run is not None]


def _adjacent(text: str, left: Token, right: Token) -> bool:
    gap = text[left.end : right.start]
    if gap == " ":
        return True
    # "Mr. Alimov", "H.E. Mr Alimov": an honorific's full stop does not break the run.
    return gap in (". ", ".") and left.lower in HONORIFICS


def _split_run(run: list[Token]) -> _Run | None:
    """Split a run into prefix (titles, organisations, other capitalised words) and trailing name."""
    while run and run[-1].lower in NAME_PARTICLES:
        run = run[:-1]
    last_prefix = -1
    for index, token in enumerate(run):
        if is_title_word(token.text) or not (_is_name_word(token) or token.lower in NAME_PARTICLES):
            last_prefix = index
    prefix, name = run[: last_prefix + 1], run[last_prefix + 1 :]
    while name and name[0].lower in NAME_PARTICLES:
        prefix, name = [*prefix, name[0]], name[1:]
    if not name or len(name) > 5:
        return None
    return _Run(run, prefix, name)


APPOSITION_AFTER = re.compile(
    r",\s+(?:the\s+|who\s+is\s+(?:the\s+)?)?([^,.;:()\"“”«»\n]{2,110}?)(?=,|\.|;|\n|$)"
)
# "the Executive Director of the United Nations Office on Drugs and Crime (UNODC), Nadia Haddad"
TITLE_BEFORE = re.compile(r"((?:[\w’'\-]+\s+){0,13}[\w’'\-]+)(?:\s*\([A-ZА-Я]{2,10}\))?,\s*$")
# "генеральный секретарь ОДКБ Игорь Соколов": a lower-case title right before the name
TITLE_RIGHT_BEFORE = re.compile(r"((?:[\w’'\-]+\s+){0,2}[\w’'\-]+)\s+$")
OF_PHRASE_WORDS = word_set("the and of on for in")
TITLE_OF_BEFORE = re.compile(r"((?:[\w’'\-]+\s+){0,3}[\w’'\-]+)\s+(?:of|for)\s+(?:the\s+)?$")
SPEECH_NEIGHBOUR = re.compile(
    rf"\s*(?:,[^,]{{0,120}},\s*)?(?:also\s+|further\s+|later\s+|then\s+)?(?:{SPEECH_VERBS})(?![\w-])",
    re.IGNORECASE,
)
SPEECH_BEFORE = re.compile(
    rf"(?:(?<![\w-])(?:{SPEECH_VERBS}|according to|so|laut|по словам)|[—–])\s*$", re.IGNORECASE
)


def _title_in(phrase: str, must_end_with_title: bool = False) -> str:
    """The title part of an apposition or prefix, from its first title word on ("" if none)."""
    words = phrase.split()
    if must_end_with_title and not (words and is_title_word(words[-1])):
        return ""
    for index, word in enumerate(words[:5]):
        if is_title_word(word) and word.lower().rstrip(".") not in HONORIFICS:
            return " ".join(words[index:]).strip(" ,")
    return ""


def _title_with_of_phrase(phrase: str) -> str:
    """A title possibly followed by "of/for the <Capitalised words>": "Foreign Minister of Uzbekistan"."""
    words = phrase.split()
    for index, word in enumerate(words):
        if not is_title_word(word) or word.lower().rstrip(".") in HONORIFICS:
            continue
        last = index
        while last + 1 < len(words) and is_title_word(words[last + 1]):
            last += 1
        rest = words[last + 1 :]
        if not rest or (
            rest[0] in ("of", "for", "on")
            and all(w[0].isupper() or w[0].isdigit() or w in OF_PHRASE_WORDS for w in rest[1:])
            and any(w[0].isupper() for w in rest[1:])
        ):
            return " ".join(words[index:])
    return ""


def _organisation_in(start: int, end: int, organisations: list[OrganisationMention]) -> str:
    return next((org.name for org in organisations if start <= org.start and org.end <= end), "")


def _gender_from(prefix: list[Token]) -> str:
    """Gender shown by an honorific or a gendered title ("Ms", "Chairwoman", "Außenministerin")."""
    for token in prefix:
        lower = token.lower.rstrip(".")
        if HONORIFICS.get(lower):
            return HONORIFICS[lower]
        if FEMININE_TITLE.search(lower):
            return "f"
        if MASCULINE_TITLE.search(lower):
            return "m"
    return ""


@dataclass(frozen=True)
class _Role:
    """Title and organisation found around a name; a title is also the proof that it names a person."""

    title: str = ""
    organisation: str = ""


def _role_around(text: str, run: _Run, organisations: list[OrganisationMention]) -> _Role:
    """The title/organisation given by the run's own prefix, an apposition or a title before a comma."""
    run_start, name_end = run.tokens[0].start, run.name[-1].end
    titled = [t for t in run.prefix if is_title_word(t.text) and t.lower.rstrip(".") not in HONORIFICS]
    if titled:
        prefix_start = run.prefix[0].start
        title = _title_in(text[prefix_start : run.prefix[-1].end])
        return _Role(title, _organisation_in(prefix_start, run.prefix[-1].end, organisations))
    before = text[max(0, run_start - 120) : run_start]
    if run.prefix:  # "Secretary-General of the OSCE Thomas Greminger": the run starts at the organisation
        title_of = TITLE_OF_BEFORE.search(before)
        organisation = _organisation_in(run.prefix[0].start, run.prefix[-1].end, organisations)
        title = _title_in(title_of.group(1), must_end_with_title=True) if title_of else ""
        if title and organisation:
            return _Role(title, organisation)
    apposition = APPOSITION_AFTER.match(text, name_end)
    if apposition:
        phrase = apposition.group(1)
        first = phrase.split()[0]
        if len(phrase.split()) <= 12 and (first[0].isupper() or is_title_word(first)):
            title = _title_in(phrase)
            if title:
                return _Role(title, _organisation_in(apposition.start(1), apposition.end(1), organisations))
    offset = run_start - len(before)
    title_before = TITLE_BEFORE.search(before)
    if title_before:
        title = _title_with_of_phrase(title_before.group(1))
        if title:
            organisation = _organisation_in(offset + title_before.start(1), run_start, organisations)
            return _Role(title, organisation)
    title_right_before = TITLE_RIGHT_BEFORE.search(before)
    if title_right_before:
        title = _title_in(title_right_before.group(1), must_end_with_title=True)
        if title and len(run.name) >= 2:  # "посол Таджикистана" is an ambassador of a country
            start = run.prefix[0].start if run.prefix else offset + title_right_before.start(1)
            return _Role(title, _organisation_in(start, name_end, organisations))
    return _Role()


def find_people(
    text: str, known_people: list[KnownPerson], organisations: list[OrganisationMention]
) -> PeopleIndex:
    """Find the people named in ``text`` and all their explicit mentions."""
    index = PeopleIndex()
    by_name: dict[str, Person] = {}

    def person_for(name: str) -> Person:
        if name not in by_name:
            by_name[name] = Person(name)
            index.people.append(by_name[name])
        return by_name[name]

    for known in known_people:
        person = person_for(known.name)
        person.title, person.organisation, person.aliases = known.title, known.organisation, known.aliases

    # (start, end, surname, gender, honorific): short mentions, resolved once all full names are known
    pending_short: list[tuple[int, int, str, str, bool]] = []
    unproven: list[tuple[int, int, str]] = []  # two-word names without evidence, for "Mr X" to pick up
    for run in _capitalised_runs(text, tokenize(text)):
        name_start, name_end = run.name[0].start, run.name[-1].end
        name = text[name_start:name_end]
        honorific = any(token.lower.rstrip(".") in HONORIFICS for token in run.prefix)
        role = _role_around(text, run, organisations)
        before = text[max(0, run.tokens[0].start - 40) : run.tokens[0].start]
        speech_nearby = bool(SPEECH_NEIGHBOUR.match(text, name_end) or SPEECH_BEFORE.search(before))
        known = name in by_name or any(name in person.aliases for person in index.people)
        if ACRONYM_AFTER.match(text, name_end):
            continue  # "... Executive Directorate (CTED)": a body, not a person
        if honorific and not role.title and len(run.name) <= 2:
            pending_short.append((run.tokens[0].start, name_end, name, _gender_from(run.prefix), True))
            continue
        if len(run.name) == 1 and speech_nearby and not (role.title or known):
            # "— заявил Орлов": a surname next to a speech verb names someone met in full, if anyone.
            pending_short.append((name_start, name_end, name, "", False))
            continue
        if not (role.title or honorific or known or (speech_nearby and len(run.name) >= 2)):
            if len(run.name) >= 2:
                unproven.append((name_start, name_end, name))
            continue
        person = _person_named(index, name, person_for)
        if role.title and not person.title:
            person.title = _clean_title(role.title, role.organisation)
            person.organisation = role.organisation
        person.gender = person.gender or _gender_from(run.prefix)
        start = run.prefix[0].start if (honorific or role.title) and run.prefix else name_start
        index.mentions.append(PersonMention(person, start, name_end))

    for start, end, short_name, gender, honorific in pending_short:
        person = _match_short_name(index.people, short_name)
        if person is None:
            # "Mr Ergashev" proves that an earlier "Javlon Ergashev" was a person's name.
            full = next((run for run in unproven if _match_short_name([Person(run[2])], short_name)), None)
            if full is None and not honorific:
                continue  # "Beijing said" names a government, not a person
            person = person_for(full[2] if full else short_name)
            if full:
                index.mentions.append(PersonMention(person, full[0], full[1]))
        person.gender = person.gender or gender
        index.mentions.append(PersonMention(person, start, end))
    _add_repeated_mentions(text, index)
    _add_alias_mentions(text, index)
    index.mentions = _without_overlaps(index.mentions)
    return index


def _clean_title(title: str, organisation: str) -> str:
    """Drop the organisation's own name from a title ("UN Under-Secretary-General" -> the rest)."""
    words = title.split()
    if organisation and words and words[0] == organisation:
        words = words[1:]
    return " ".join(words)


def _person_named(index: PeopleIndex, name: str, person_for: Callable[[str], Person]) -> Person:
    """The person for a full name, reusing a known person whose alias or surname it is."""
    for person in index.people:
        if name in person.aliases:
            return person
    short = _match_short_name(index.people, name) if len(name.split()) == 1 else None
    return short or person_for(name)


def _match_short_name(people: list[Person], short_name: str) -> Person | None:
    """The person whose name contains ``short_name`` as a word (surname first or last)."""
    for person in reversed(people):
        if short_name == person.name or short_name in person.aliases:
            return person
    words = short_name.split()
    for person in reversed(people):
        if len(person.name_words) > len(words) and any(
            _same_word(w, words[-1]) for w in (person.name_words[-1], person.name_words[0])
        ):
            return person
    return None


def _same_word(full: str, seen: str) -> bool:
    """Equal, or equal up to a Russian case ending ("Алимова" for "Алимов")."""
    return seen == full or (
        seen.startswith(full) and seen[len(full) :] in LOWER_SURNAME_ENDINGS and full[-1].isalpha()
    )


def _add_repeated_mentions(text: str, index: PeopleIndex) -> None:
    """Later mentions by surname alone ("Alimov said") of people met with a full name."""
    for person in index.people:
        words = person.name_words
        if len(words) < 2:
            continue
        surname = re.escape(words[-1])
        for match in re.finditer(rf"(?<![\w-]){surname}(?:а|у|ым|ой|ого|ому|е)?(?![\w-])", text):
            index.mentions.append(PersonMention(person, match.start(), match.end()))
        full = re.escape(person.name)
        for match in re.finditer(rf"(?<![\w-]){full}(?![\w-])", text):
            index.mentions.append(PersonMention(person, match.start(), match.end()))


def _add_alias_mentions(text: str, index: PeopleIndex) -> None:
    for person in index.people:
        for alias in person.aliases:
            for match in re.finditer(rf"(?<![\w-]){re.escape(alias)}(?![\w-])", text):
                index.mentions.append(PersonMention(person, match.start(), match.end()))


def _without_overlaps(mentions: list[PersonMention]) -> list[PersonMention]:
    """Keep the longest mention where several overlap (a full name over its surname)."""
    ordered = sorted(mentions, key=lambda m: (m.start, -(m.end - m.start)))
    kept: list[PersonMention] = []
    for mention in ordered:
        if kept and mention.start < kept[-1].end:
            continue
        kept.append(mention)
    return kept
