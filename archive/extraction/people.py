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

from . import languages
from .lexicon import COUNTRY_WORDS, FEMALE_GIVEN_NAMES, MALE_GIVEN_NAMES, SPEECH_VERBS
from .organisations import ORGANISATION_HEADS, OrganisationMention
from .text import Token, paragraph_spans, tokenize, word_set
from .types import KnownPerson

HONORIFICS = languages.merged("honorifics")
# Words that make up titles ("SCO Secretary-General", "Kazakh Foreign Minister", "генеральный секретарь").
TITLE_WORDS = languages.words("title_words")
# German titles are single compound nouns; recognise them by how they end.
GERMAN_TITLE_ENDINGS = languages.alternatives("title_endings")
# Title heads that may stand alone as a reference to a person ("the Secretary-General noted").
TITLE_HEADS = "|".join(languages.alternatives("title_heads"))
GENERIC_HEADS = languages.words("generic_heads")
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
    Health Trade Energy Financial Digital Cyber Affairs Policy News Extraordinary Plenipotentiary
    Minorities Relief Emergency Emergencies Humanitarian Disarmament Operations Peacekeeping Media
    Freedom Elections Institutions Excellency Sultanate Principality Emirate Bureau Party Front Movement
    Congress Senate Duma Cabinet Presidency Administration Kremlin Pentagon Department Directorate
    Armed Staff Chiefs Joint Navy Border Customs Ombudsman Photo Credit Reporting Editing Writing
    Additional Source Sources Read Watch Listen Follow Download Share Background Quote Quotes Question
    Answer Transcript Technologies Act Accord Accords Pact Statute Memorandum Vision Concept Roadmap
    Campaign Commonwealth Agenda Goals Partners Sustainable Environment Finance Rights Food Conflict
    Children Refugees Migration Migrants Education Culture Labour Agriculture Industry Transport Tourism
    Sport Communications Information Technology Science Economy Planning Investment Commerce Water Ecology
    Disaster Disasters Risk Reduction Integration Terrorism Extremism Violence Persons Detention Torture
    Expression Opinion Privacy Housing Poverty Sanitation Employment Oceans Seas Nutrition Coordination
    Protection Prevention Crisis Response Recovery Reconstruction Aid Assistance Volunteers Statistics"""
) | languages.words("not_name_words")
ORGANISATION_HEAD = re.compile(ORGANISATION_HEADS + "|Directorate|Secretariat|Authority|Department")
ACRONYM_AFTER = re.compile(r"\s*\([A-ZА-Я]{2,10}\)")
FEMININE_TITLE = re.compile(
    r"(?:woman|queen|baroness|dame|(?:minister|kanzler|präsident|sekretär|botschafter|"
    r"sprecher|kommissar|chef)in)$"
)
MASCULINE_TITLE = re.compile(r"(?:(?<!wo)man|^king|^prince|^sultan|^emir)$")
LOWER_SURNAME_ENDINGS = ("а", "у", "ым", "ой", "ого", "ому", "е", "s")
# Russian case endings that may follow a title word ("министра", "президента").
TITLE_CASE_ENDINGS = ("ами", "ом", "ем", "ой", "ого", "а", "у", "е", "я", "ю", "ы", "и")


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
    if lower in TITLE_WORDS or lower.endswith(GERMAN_TITLE_ENDINGS) or lower in HONORIFICS:
        return True
    # An inflected Russian title ("министра", "президента").
    return "а" <= lower[-1:] <= "я" and any(
        lower.endswith(ending) and lower[: -len(ending)] in TITLE_WORDS for ending in TITLE_CASE_ENDINGS
    )


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


def _merge_dotted(text: str, tokens: list[Token]) -> list[Token]:
    """Single letters joined by full stops are one token: "H.E." -> "H.E", "U.S." -> "U.S"."""
    merged: list[Token] = []
    for token in tokens:
        previous = merged[-1] if merged else None
        if (
            previous is not None
            and len(token.text) == 1
            and text[previous.end : token.start] == "."
            and all(len(part) == 1 for part in previous.text.split("."))
        ):
            merged[-1] = Token(text[previous.start : token.end], previous.start, token.end)
            continue
        merged.append(token)
    return merged


def _capitalised_runs(text: str, tokens: list[Token]) -> list[_Run]:
    runs: list[list[Token]] = []
    current: list[Token] = []
    for token in _merge_dotted(text, tokens):
        joined = bool(current) and _adjacent(text, current, token)
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


def _adjacent(text: str, current: list[Token], right: Token) -> bool:
    left = current[-1]
    gap = text[left.end : right.start]
    if gap == " ":
        return True
    # "Mr. Alimov", "H.E. Mr Alimov": an honorific's full stop does not break the run.
    if gap in (". ", ".") and left.lower in HONORIFICS:
        return True
    # A middle initial: "Feridun H. Sinirlioğlu", "Amina J. Mohammed".
    return (
        gap == ". "
        and len(left.text) == 1
        and left.text.isupper()
        and len(current) >= 2
        and _is_name_word(current[-2])
        and current[-2].lower not in HONORIFICS
        and _is_name_word(right)
    )


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


# Words that join the parts of a long title ("Minister of Foreign Affairs of the Republic of ...").
TITLE_CONNECTORS = word_set("– — -") | languages.words("connectors")
CONNECTOR_BEFORE_RUN = re.compile(r"(?:of|for|on|to|in|–|—)\s+(?:the\s+)?$")
TITLE_PHRASE_STOP = re.compile(r"[,.;:!?()\[\]\"“”«»„\n]")
RUSSIAN_VERB_ENDING = re.compile(r"(?:л|ла|ли|ло|лся|лась)$")


def _significant(tokens: list[Token]) -> list[Token]:
    """Name tokens that are neither initials nor particles."""
    return [t for t in tokens if len(t.text) > 1 and t.lower not in NAME_PARTICLES]


TITLE_DOMAIN_BEFORE = re.compile(r"([\w-]+)\s+(?:for|of|on)\s+(?:the\s+)?\Z")


def _trim_name(text: str, run: _Run) -> _Run:
    """Give the title the country a long title leaves at the start of the name ("Republic of Belarus Ivan
    Kubrakov", "России Сергей Лавров"). Other words ending a title ("... and Security Policy Kaja Kallas")
    are in NOT_NAME_WORDS."""
    name, prefix = list(run.name), list(run.prefix)
    trimmed = False
    while len(_significant(name)) > 2 and name[0].text in COUNTRY_WORDS:
        prefix.append(name.pop(0))
        trimmed = True
    # "Commissioner for Enlargement Marta Kos": the word after a title's "for"/"of" is the title's domain.
    domain = TITLE_DOMAIN_BEFORE.search(text, max(0, name[0].start - 60), name[0].start)
    if not prefix and len(_significant(name)) > 2 and domain and is_title_word(domain.group(1)):
        prefix.append(name.pop(0))
        trimmed = True
    return _Run(run.tokens, prefix, name) if trimmed else run


def _title_phrase(before: str) -> tuple[int, str] | None:
    """A title ending right at the end of ``before``, as (offset in ``before``, title words):
    "Deputy Prime Minister – Minister of Foreign Affairs of the Republic of", "пресс-секретарь президента".

    The phrase runs back over capitalised words and connectors (in Russian, over up to five words, up to
    a verb); the title starts at its first title word."""
    stops = list(TITLE_PHRASE_STOP.finditer(before))
    start = stops[-1].end() if stops else 0
    words = list(re.finditer(r"\S+", before[start:]))
    accepted: list[re.Match[str]] = []
    russian = 0
    for word in reversed(words):
        value = word.group()
        cyrillic = bool(re.match(r"[а-яё]", value))
        if cyrillic:
            verb_like = len(value) >= 5 and RUSSIAN_VERB_ENDING.search(value) and not is_title_word(value)
            if verb_like or russian >= 5:
                break
            russian += 1
        elif not (value[0].isupper() or value in TITLE_CONNECTORS):
            break
        accepted.append(word)
    accepted.reverse()
    for position, word in enumerate(accepted):
        value = word.group()
        if is_title_word(value) and value.lower().rstrip(".") not in HONORIFICS:
            title_words = [w.group() for w in accepted[position:]]
            return start + word.start(), " ".join(title_words)
    return None


APPOSITION_AFTER = re.compile(
    r",\s+(?:the\s+|an?\s+|who\s+is\s+(?:the\s+)?)?([^,.;:()\"“”«»\n]{2,110}?(?:\s*\([A-ZА-Я]{2,10}\))?)"
    r"(?=,|\.|;|\n|$)"
)
# "the Executive Director of the United Nations Office on Drugs and Crime (UNODC), Nadia Haddad"
TITLE_BEFORE = re.compile(r"((?:[\w’'\-]+\s+){0,13}[\w’'\-]+)(?:\s*\([A-ZА-Я]{2,10}\))?,\s*$")
# "генеральный секретарь ОДКБ Игорь Соколов": a lower-case title right before the name
TITLE_RIGHT_BEFORE = re.compile(r"((?:[\w’'\-]+\s+){0,2}[\w’'\-]+)\s+$")
OF_PHRASE_WORDS = word_set("the and of on for in") | languages.words("connectors") | languages.words("articles")
# "de l’ONU", "d’Ukraine": an elided article or preposition glued to the word that follows.
ELIDED = re.compile(r"^(?:[ldLD]|qu)['’]")
# Prepositions that start the "of ..." part of a title in each language ("de", "des", "del", "der").
CONNECTORS_OF = tuple(languages.words("connectors") - {"and", "the", "и", "et", "y", "und"})
TITLE_OF_BEFORE = re.compile(r"((?:[\w’'\-]+\s+){0,3}[\w’'\-]+)\s+(?:of|for)\s+(?:the\s+)?$")
SPEECH_NEIGHBOUR = re.compile(
    rf"\s*(?:,[^,]{{0,120}},\s*)?(?:also\s+|further\s+|later\s+|then\s+)?(?:{SPEECH_VERBS})(?![\w-])",
    re.IGNORECASE,
)
SPEECH_BEFORE = re.compile(
    rf"(?:(?:{SPEECH_VERBS}|so|{languages.phrase_pattern(languages.words('according_to'))})|[—–])\s*$",
    re.IGNORECASE,
)
# A determiner (and an adjective) right before a capitalised run: a noun phrase, not a name.
NOUN_PHRASE_BEFORE = re.compile(
    rf"(?<![\w-])(?:{'|'.join(languages.words('articles') | {'ein', 'eine', 'einer', 'einem', 'einen', 'eines'})})"
    r"\s+(?:[a-zäöüß]+\s+)?\Z",
    re.IGNORECASE,
)
WORD_OR_DASH_START = re.compile(r"(?<![\w-])[\w—–]")


def _speech_cue_before(text: str, end: int) -> bool:
    """Whether a speech verb, "according to" or a dash ends right at ``end`` (tried only where a word starts
    in the 40 characters before: the verbs of seven languages make a search at every position slow)."""
    return any(
        SPEECH_BEFORE.match(text, start.start(), end)
        for start in WORD_OR_DASH_START.finditer(text, max(0, end - 40), end)
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
        rest = [ELIDED.sub("", word) or word for word in words[last + 1 :]]
        # "el canciller ruso", "le ministre russe des Affaires étrangères": a nationality adjective after the title.
        if rest and rest[0].isalpha() and rest[0].islower() and rest[0] not in OF_PHRASE_WORDS:
            if len(rest) == 1:
                return " ".join(words[index:])
            rest = rest[1:]
        lower_words = [w for w in rest[1:] if w[0].islower() and w not in OF_PHRASE_WORDS]
        if rest and rest[0] in CONNECTORS_OF and len(lower_words) <= 2 and any(w[0].isupper() for w in rest[1:]):
            return " ".join(words[index:])
        # "le secrétaire général de l’alliance", "the minister of defence": a short of-phrase in lower case.
        if 2 <= len(rest) <= 3 and rest[0] in CONNECTORS_OF and rest[0] not in ("for", "to", "on", "in"):
            return " ".join(words[index:])
        if not rest or (
            rest[0] in ("of", "for", "on", "in", "to", *CONNECTORS_OF)
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
    start: int = -1  # where a title written before the name begins, when it is not part of the run


def _role_around(text: str, run: _Run, organisations: list[OrganisationMention]) -> _Role:
    """The title/organisation given by the run's own prefix, an apposition or a title before a comma."""
    run_start, name_end = run.tokens[0].start, run.name[-1].end
    titled = [t for t in run.prefix if is_title_word(t.text) and t.lower.rstrip(".") not in HONORIFICS]
    if titled:
        prefix_start = run.prefix[0].start
        title = _title_in(text[prefix_start : run.prefix[-1].end])
        # "Minister for Foreign Affairs Elina Valtonen", "Secretary of State Marco Rubio": the title
        # began before a connector.
        before = text[max(0, run_start - 200) : run_start]
        phrase = _title_phrase(before) if CONNECTOR_BEFORE_RUN.search(before) else None
        if phrase:
            title = f"{phrase[1]} {text[prefix_start : run.prefix[-1].end]}"
            prefix_start = run_start - len(before) + phrase[0]
        return _Role(
            title,
            _organisation_in(prefix_start, run.prefix[-1].end, organisations),
            prefix_start if phrase else -1,
        )
    before = text[max(0, run_start - 120) : run_start]
    if run.prefix:  # "Secretary-General of the OSCE Thomas Greminger": the run starts at the organisation
        title_of = TITLE_OF_BEFORE.search(before) if re.search(r"(?:of|for)\s+(?:the\s+)?$", before) else None
        organisation = _organisation_in(run.prefix[0].start, run.prefix[-1].end, organisations)
        title = _title_in(title_of.group(1), must_end_with_title=True) if title_of else ""
        if title and organisation:
            return _Role(title, organisation)
    apposition = APPOSITION_AFTER.match(text, name_end)
    if apposition and apposition.group(1).split():
        phrase = apposition.group(1)
        first = phrase.split()[0]
        if len(phrase.split()) <= 12 and (first[0].isupper() or is_title_word(first)):
            title = _title_in(phrase)
            if title:
                return _Role(title, _organisation_in(apposition.start(1), apposition.end(1), organisations))
    # (The patterns anchored at the end are only tried when the end fits: they are slow to fail.)
    tail = before[-100:]
    tail_offset = run_start - len(tail)
    title_before = TITLE_BEFORE.search(tail) if before.rstrip().endswith(",") else None
    if title_before:
        title = _title_with_of_phrase(title_before.group(1))
        # "After meeting the Foreign Minister, X said": a title after a verb or preposition is someone else's.
        # (An apposition closed after the name, "met the President of Finland, Alexander Stubb, and ...", is fine.)
        lead = title_before.group(1)[: len(title_before.group(1)) - len(title)].split() if title else []
        after_lead = any(word[0].islower() and word not in TITLE_CONNECTORS and word != "a" for word in lead)
        closed = re.match(r"\s*(?:[,.;:)]|and\s|$)", text[name_end : name_end + 6])
        if title and (not after_lead or closed):
            organisation = _organisation_in(tail_offset + title_before.start(1), run_start, organisations)
            return _Role(title, organisation)
    wide_before = text[max(0, run_start - 200) : run_start]
    phrase = _title_phrase(wide_before)
    if phrase and len(_significant(run.name)) >= 2:
        phrase_start, words = phrase
        prefix_words = text[run.prefix[0].start : run.prefix[-1].end] if run.prefix else ""
        title = " ".join(f"{words} {prefix_words}".split())
        phrase_offset = run_start - len(wide_before) + phrase_start
        return _Role(title, _organisation_in(phrase_offset, run.name[0].start, organisations), phrase_offset)
    title_right_before = TITLE_RIGHT_BEFORE.search(before[-60:])
    right_offset = run_start - len(before[-60:])
    if title_right_before:
        title = _title_in(title_right_before.group(1), must_end_with_title=True)
        if title and len(run.name) >= 2:  # "посол Таджикистана" is an ambassador of a country
            start = run.prefix[0].start if run.prefix else right_offset + title_right_before.start(1)
            return _Role(title, _organisation_in(start, name_end, organisations))
    return _Role()


def find_people(text: str, known_people: list[KnownPerson], organisations: list[OrganisationMention]) -> PeopleIndex:
    """Find the people named in ``text`` and all their explicit mentions."""
    index = PeopleIndex()
    names = _NameIndex()
    by_name: dict[str, Person] = {}

    def person_for(name: str) -> Person:
        if name not in by_name:
            by_name[name] = Person(name)
            index.people.append(by_name[name])
            names.add(by_name[name])
        return by_name[name]

    for known in known_people:
        person = person_for(known.name)
        person.title, person.organisation, person.aliases = known.title, known.organisation, known.aliases
        names.add(person)

    tokens = tokenize(text)
    for start, end, name, title in _names_in_capitals(text, tokens, organisations):
        person = person_for(name)
        if title and not person.title:
            person.title = title
        index.mentions.append(PersonMention(person, start, end))

    for start, end, name, title in _names_by_pattern(text):
        person = person_for(name)
        person.title = person.title or title
        index.mentions.append(PersonMention(person, start, end))

    # (start, end, surname, gender, honorific): short mentions, resolved once all full names are known
    pending_short: list[tuple[int, int, str, str, bool]] = []
    unproven = _NameIndex()  # two-word names without evidence, for "Mr X" to pick up
    unproven_spans: dict[str, tuple[int, int]] = {}
    for raw_run in _capitalised_runs(text, tokens):
        run = _trim_name(text, raw_run)
        name_start, name_end = run.name[0].start, run.name[-1].end
        name = text[name_start:name_end]
        honorific = any(token.lower.rstrip(".") in HONORIFICS for token in run.prefix)
        role = _role_around(text, run, organisations)
        speech_nearby = bool(
            SPEECH_NEIGHBOUR.match(text, name_end)
            or _speech_cue_before(text, run.tokens[0].start)
            # "Selon Sergueï Lavrov": the cue opens the run itself.
            or (run.prefix and _speech_cue_before(text, name_start))
        )
        known = name in by_name or names.has_alias(name)
        if ACRONYM_AFTER.match(text, name_end):
            continue  # "... Executive Directorate (CTED)": a body, not a person
        if len(run.name) == 1 and name in COUNTRY_WORDS:
            continue  # "Embajadora Alterna de Venezuela": a country ends the title
        if honorific and not role.title and len(run.name) <= 2:
            pending_short.append((run.tokens[0].start, name_end, name, _gender_from(run.prefix), True))
            continue
        if len(run.name) == 1 and speech_nearby and not (role.title or known):
            # "— заявил Орлов": a surname next to a speech verb names someone met in full, if anyone.
            pending_short.append((name_start, name_end, name, "", False))
            continue
        if (
            speech_nearby
            and not (role.title or honorific or known)
            and NOUN_PHRASE_BEFORE.search(text, max(0, name_start - 40), name_start)
        ):
            speech_nearby = False  # "Mit einer zunehmenden Anzahl von Staaten, ..., sagte": a German noun phrase
        if not (role.title or honorific or known or (speech_nearby and len(run.name) >= 2)):
            if len(run.name) >= 2 and name not in unproven_spans:
                unproven.add(Person(name))
                unproven_spans[name] = (name_start, name_end)
            continue
        person = _person_named(names, name, person_for)
        if role.title and not person.title:
            person.title = _clean_title(role.title, role.organisation)
            person.organisation = role.organisation
        person.gender = person.gender or _gender_from(run.prefix)
        start = run.prefix[0].start if (honorific or role.title) and run.prefix else name_start
        if role.start >= 0:
            start = min(start, role.start)  # "Minister of Foreign Affairs of the Republic of Kazakhstan X"
        index.mentions.append(PersonMention(person, start, name_end))

    for start, end, short_name, gender, honorific in pending_short:
        person = names.find(short_name)
        if person is None:
            if not honorific:
                continue  # "Beijing said" names a government, not a person
            # "Mr Ergashev" proves that an earlier "Javlon Ergashev" was a person's name.
            full = unproven.find(short_name)
            person = person_for(full.name if full else short_name)
            if full:
                index.mentions.append(PersonMention(person, *unproven_spans[full.name]))
        person.gender = person.gender or gender
        index.mentions.append(PersonMention(person, start, end))
    for person in index.people:
        person.gender = person.gender or gender_from_name(person.name)
    _add_repeated_mentions(text, tokens, index)
    _add_alias_mentions(text, index)
    index.mentions = _without_overlaps(index.mentions)
    return index


HAN_CHARACTER = re.compile(r"[\u3400-\u9fff]")
PERSON_PATTERNS = [re.compile(pattern) for language in languages.ALL for pattern in language.person_patterns]


def _names_by_pattern(text: str) -> list[tuple[int, int, str, str]]:
    """People of scripts without capitals (Chinese, Arabic), found by their language's patterns (a title, then
    the name), and every later use of the same name: (start, end, name, title)."""
    found = []
    for pattern in PERSON_PATTERNS:
        for match in pattern.finditer(text):
            found.append((match.start(), match.end("name"), match.group("name"), match.group("title")))
    for name in {name for _, _, name, _ in found}:
        # "延斯·斯托尔滕贝格" is "斯托尔滕贝格" later on, "أحمد أبو الغيط" "أبو الغيط".
        short = name.rsplit("·", 1)[-1] if "·" in name else name.split(" ", 1)[-1]
        for form in {name, short} if len(short) >= 4 else {name}:
            whole = re.escape(form) if HAN_CHARACTER.search(form) else rf"(?<![\w-]){re.escape(form)}(?![\w-])"
            for match in re.finditer(whole, text):
                found.append((match.start(), match.end(), name, ""))
    return found


CAPITALS_WORD = re.compile(r"[^\W\d_][^\W\d_’'\-]+")


def _names_in_capitals(
    text: str, tokens: list[Token], organisations: list[OrganisationMention]
) -> list[tuple[int, int, str, str]]:
    """Names written in capitals at the start of a paragraph, as in UN meetings coverage:
    "ROSEMARY DICARLO, Under-Secretary-General for ...", "AMIR SAEID IRAVANI (Iran) said".

    Returns (start, end, name in title case, title). The words after the name must prove it: a title
    in the apposition, or a bracket followed by a speech verb."""
    found = []
    acronyms = {mention.name for mention in organisations}
    for para_start, _ in paragraph_spans(text):
        words, position = [], para_start
        while len(words) < 6:
            match = re.compile(r"\s*([^\W\d_](?:\.|[^\W\d_’'\-]*))").match(text, position)
            if not match or not match.group(1).isupper() or match.group(1) in acronyms:
                break
            word = match.group(1)
            if len(word) == 2 and word.endswith("."):
                words.append(word)  # an initial, "A."
            elif len(word) >= 2 and not word.endswith("."):
                words.append(word)
            else:
                break
            position = match.end()
        significant = [word for word in words if not word.endswith(".")]
        if len(significant) < 2 or words[-1].endswith("."):
            continue
        after = text[position : position + 200]
        title = ""
        apposition = re.match(r",\s+(?:the\s+)?([^,.;:\n]{2,110})", after)
        if apposition:
            title = _title_in(apposition.group(1))
            if not title:
                continue
        elif not re.match(rf"\s*\([^()]{{2,60}}\)\s*(?:\w+\s+){{0,2}}(?:{SPEECH_VERBS})(?![\w-])", after):
            continue
        name = " ".join(word if word.endswith(".") else word.capitalize() for word in words)
        found.append((para_start, position, name, title))
    return found


FEMININE_SURNAME = re.compile(r"(?:ова|ева|ёва|ина|ская|цкая|ova|eva|yova|skaya)$")
MASCULINE_SURNAME = re.compile(r"(?:ов|ев|ёв|ин|ский|цкий|ov|ev|yov|sky|skiy)$")


def gender_from_name(name: str) -> str:
    """Gender shown by a common given name ("Cindy McCain") or a Slavic surname ("Мария Захарова")."""
    words = name.split()
    if not words:
        return ""
    if words[0] in FEMALE_GIVEN_NAMES:
        return "f"
    if words[0] in MALE_GIVEN_NAMES:
        return "m"
    if len(words) >= 2:
        if FEMININE_SURNAME.search(words[-1]):
            return "f"
        if MASCULINE_SURNAME.search(words[-1]):
            return "m"
    return ""


def _clean_title(title: str, organisation: str) -> str:
    """Drop the organisation's own name from a title ("UN Under-Secretary-General" -> the rest)."""
    words = title.split()
    if organisation and words and words[0] == organisation:
        words = words[1:]
    return " ".join(words)


def _person_named(names: _NameIndex, name: str, person_for: Callable[[str], Person]) -> Person:
    """The person for a full name, reusing a known person whose alias or surname it is."""
    aliased = names.by_alias(name)
    if aliased:
        return aliased
    short = names.find(name) if len(name.split()) == 1 else None
    return short or person_for(name)


class _NameIndex:
    """People by full name, alias and first/last name word, for matching short mentions in constant time."""

    def __init__(self) -> None:
        self.order: dict[int, int] = {}
        self.full: dict[str, Person] = {}
        self.aliases: dict[str, Person] = {}
        self.words: dict[str, list[Person]] = {}

    def add(self, person: Person) -> None:
        self.order.setdefault(id(person), len(self.order))
        self.full[person.name.casefold()] = person
        for alias in person.aliases:
            self.aliases[alias] = person
        words = person.name_words
        if len(words) >= 2:
            for word in {words[0].casefold(), words[-1].casefold()}:
                self.words.setdefault(word, []).append(person)

    def has_alias(self, name: str) -> bool:
        return name in self.aliases

    def by_alias(self, name: str) -> Person | None:
        return self.aliases.get(name)

    def find(self, short_name: str) -> Person | None:
        """The person whose name contains ``short_name`` as a word (surname first or last), latest first."""
        exact = self.full.get(short_name.casefold()) or self.aliases.get(short_name)
        if exact:
            return exact
        words = short_name.split()
        seen = words[-1].casefold()
        keys = [seen] + [seen[: -len(ending)] for ending in LOWER_SURNAME_ENDINGS if seen.endswith(ending)]
        candidates = [
            person
            for key in keys
            if key and key[-1].isalpha()
            for person in self.words.get(key, ())
            if len(person.name_words) > len(words)
        ]
        return max(candidates, key=lambda person: self.order[id(person)], default=None)


SURNAME_ENDINGS = ("а", "у", "ым", "ой", "ого", "ому", "е")


def _add_repeated_mentions(text: str, tokens: list[Token], index: PeopleIndex) -> None:
    """Later mentions by surname alone ("Alimov said", "Алимова") or by full name of people met in full."""
    surnames: dict[str, list[Person]] = {}
    first_words: dict[str, list[Person]] = {}
    for person in index.people:
        words = person.name_words
        if len(words) < 2:
            continue
        surnames.setdefault(words[-1].casefold(), []).append(person)
        first_words.setdefault(words[0].casefold(), []).append(person)
    if not surnames:
        return
    for token in tokens:
        if not token.text[:1].isupper():
            continue
        word = re.sub(r"[’']s$", "", token.text)
        key = word.casefold()
        candidates = [key] + [key[: -len(ending)] for ending in SURNAME_ENDINGS if key.endswith(ending)]
        for surname in candidates:
            for person in surnames.get(surname, ()):
                index.mentions.append(PersonMention(person, token.start, token.start + len(word)))
        for person in first_words.get(key, ()):
            end = token.start + len(person.name)
            if text[token.start : end].casefold() == person.name.casefold() and not (
                end < len(text) and (text[end].isalnum() or text[end] == "-")
            ):
                index.mentions.append(PersonMention(person, token.start, end))


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
