"""Attributing statements to people: speech verbs, the subject of a verb (a name, a pronoun or a
title such as "the Secretary-General"), and resolving pronouns and titles to the person the text
last named. Also finds reported speech ("Mr Alimov noted that ...").
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from .lexicon import SPEECH_VERBS
from .people import GENERIC_HEADS, TITLE_HEADS, PeopleIndex, Person
from .text import word_set

SPEECH_VERB = re.compile(rf"(?<![\w-])(?:{SPEECH_VERBS})(?![\w-])", re.IGNORECASE)
# Verbs after which a reported clause may follow without "that" ("Mr Alimov said the convention ...").
BARE_CLAUSE_VERBS = word_set("""said says added believes believed sagte erklärte betonte meinte""")
ACCORDING_TO = re.compile(
    r"(?<![\w-])(?:according to|in the words of|the words of|laut|по словам)\s+", re.IGNORECASE
)
# German "„...“, so Müller": "so" names the speaker only right after a closing mark.
SO_AFTER_QUOTE = re.compile(r"so\s+")
PRONOUNS = {"he": "m", "she": "f", "он": "m", "она": "f", "er": "m", "sie": "f"}
# "По его словам, ...", "In her words, ...": the source is a possessive pronoun.
POSSESSIVE_SOURCE = re.compile(
    r"(?:по\s+(его|её|ее)\s+словам|in\s+(his|her)\s+words|according\s+to\s+(him|her))\s*,?\s*", re.IGNORECASE
)
POSSESSIVE_GENDERS = {"его": "m", "её": "f", "ее": "f", "his": "m", "him": "m", "her": "f"}
PRONOUN = re.compile(r"(?<![\w-])(he|she|он|она|er|sie)(?![\w-])", re.IGNORECASE)
# Russian titles are inflected ("по словам министра"): a case ending may follow the head.
CASE_ENDING = r"(?:а|у|ом|ем|е|я|ю)?"
TITLE_REFERENCE = re.compile(
    rf"(?<![\w-])(?:the|der|die|this)\s+(?:[\w’'.\-]+\s+){{0,3}}?({TITLE_HEADS})(?![\w-])"
    rf"|(?<![\w-])({TITLE_HEADS}){CASE_ENDING}(?:\s+[A-ZА-Я]{{2,6}})?(?![\w-])",
    re.IGNORECASE,
)
# What may stand between a subject and its verb: an apposition between commas and adverbs
# ("Mr Alimov, the SCO Secretary-General, also said"; "he has repeatedly stressed").
ADVERBS = (
    r"also|further|later|then|again|once again|has|had|have|repeatedly|previously|earlier|today|"
    r"firmly|clearly|strongly|specifically|in particular|however|thus|moreover|"
    r"также|ещё|auch|zudem|ferner|außerdem"
)
# A lone comma closes a title apposition: "The Chair of the Committee, Ambassador X, noted".
SUBJECT_VERB_GAP = re.compile(rf"\s*(?:,[^,\"“”«»]{{2,120}},|,)?\s*(?:(?:{ADVERBS})\s+)*", re.IGNORECASE)
LEADING_PUNCTUATION = re.compile(r"[\s,.;:—–\-]*")


@dataclass(frozen=True)
class SpeakerReference:
    """Words naming the speaker: an explicit mention, a pronoun or a title, and who they resolve to."""

    start: int
    end: int
    person: Person | None
    pronoun: str = ""


@dataclass(frozen=True)
class Attribution:
    """A speaker reference together with its speech verb; ``words`` is the text they cover."""

    reference: SpeakerReference
    words: str
    start: int
    end: int

    @property
    def person(self) -> Person | None:
        return self.reference.person


# Short forms of titles: "генсек" is a "генеральный секретарь".
HEAD_SYNONYMS = {"генсек": "секретарь"}


class SpeakerResolver:
    """Resolve subjects to people, using the mentions of the article in text order.

    Mentions inside quotations are ignored as antecedents: a person a speaker talks about
    ("We thank President Tokayev") is not who "he" refers to in the next sentence.
    """

    def __init__(self, text: str, people: PeopleIndex, quoted_ranges: list[tuple[int, int]]) -> None:
        self.text = text
        self.people = people
        self.antecedents = [
            mention
            for mention in people.mentions
            if not any(start <= mention.start < end for start, end in quoted_ranges)
        ]

    def references_in(self, start: int, end: int) -> list[SpeakerReference]:
        """Every explicit mention, pronoun and title reference inside ``text[start:end]``."""
        references = [
            SpeakerReference(mention.start, mention.end, mention.person)
            for mention in self.people.mentions
            if start <= mention.start and mention.end <= end
        ]
        taken = [(reference.start, reference.end) for reference in references]
        for pronoun in PRONOUN.finditer(self.text, start, end):
            person = self.resolve_pronoun(pronoun.group(1), pronoun.start())
            references.append(
                SpeakerReference(pronoun.start(), pronoun.end(), person, pronoun.group(1).lower())
            )
        for title in TITLE_REFERENCE.finditer(self.text, start, end):
            if not any(s < title.end() and title.start() < e for s, e in taken):
                person = self.resolve_title(title.group(), title.start())
                references.append(SpeakerReference(title.start(), title.end(), person))
        return references

    def reference_before(self, position: int, lower_bound: int) -> SpeakerReference | None:
        """The subject of a verb at ``position``: the nearest reference separated only by adverbs."""
        window_start = max(lower_bound, position - 200)
        candidates = [
            reference
            for reference in self.references_in(window_start, position)
            if SUBJECT_VERB_GAP.fullmatch(self.text, reference.end, position)
        ]
        return max(candidates, key=lambda reference: (reference.end, -reference.start), default=None)

    def reference_after(self, position: int, upper_bound: int) -> SpeakerReference | None:
        """The reference starting right after ``position`` ("said Lim Jock Hoi", "added the minister")."""
        start = (
            position + len(self.text[position:upper_bound]) - len(self.text[position:upper_bound].lstrip())
        )
        # "said the Chinese Foreign Minister Wang Yi": the titled mention starts after "the".
        article = re.match(r"the\s+", self.text[start:upper_bound], re.IGNORECASE)
        starts = {start, start + article.end()} if article else {start}
        candidates = [
            reference for reference in self.references_in(start, upper_bound) if reference.start in starts
        ]
        return max(candidates, key=lambda reference: (reference.end, -reference.start), default=None)

    def resolve_pronoun(self, pronoun: str, position: int) -> Person | None:
        """The last person named before ``position`` whose gender does not contradict ``pronoun``."""
        gender = PRONOUNS.get(pronoun.lower()) or POSSESSIVE_GENDERS[pronoun.lower()]
        for mention in reversed(self.antecedents):
            if mention.start >= position:
                continue
            if mention.person.gender in ("", gender):
                return mention.person
        return None

    def learn_from(self, attribution: Attribution) -> None:
        """Remember the gender a pronoun showed, so that "she" and "he" later tell two speakers apart."""
        reference = attribution.reference
        if reference.pronoun and reference.person and not reference.person.gender:
            reference.person.gender = PRONOUNS[reference.pronoun]

    def resolve_title(self, phrase: str, position: int) -> Person | None:
        """The last person named before ``position`` whose title (and organisation) fits ``phrase``.

        "the Secretary-General" looks for a secretary-general; a generic head ("the senior UN
        official", "the envoy") takes the last titled person of the organisation named, if any; a
        title nobody holds falls back to the last person whose title the text has not given.
        """
        lowered = phrase.lower()
        head_match = re.search(rf"({TITLE_HEADS}){CASE_ENDING}(?![\w-])", lowered)
        head = head_match.group(1).replace("-", " ").split()[-1] if head_match else ""
        head = HEAD_SYNONYMS.get(head, head)
        earlier = list(dict.fromkeys(m.person for m in reversed(self.antecedents) if m.start < position))
        organisation_named = _names_organisation(phrase)
        for person in earlier:
            title = person.title.lower().replace("-", " ").split()
            fits_organisation = not organisation_named or person.organisation.lower() in lowered
            if head and head in title and fits_organisation:
                return person
        if head in GENERIC_HEADS:
            for person in earlier:
                if person.organisation and person.organisation.lower() in lowered:
                    return person
            return next((person for person in earlier if person.title), None)
        return next((person for person in earlier if not person.title), None)


def _names_organisation(phrase: str) -> bool:
    return bool(re.search(r"(?<![\w-])[A-ZА-Я]{2,6}(?![\w-])", phrase))


def find_speech_verbs(text: str, start: int, end: int) -> list[re.Match[str]]:
    return list(SPEECH_VERB.finditer(text, start, end))


def attribution_in_segment(
    resolver: SpeakerResolver, start: int, end: int, prefer_last: bool
) -> Attribution | None:
    """A subject + speech verb pair (either order) or "according to X" inside ``text[start:end]``.

    ``prefer_last`` picks the pair nearest the end of the segment, which is right for the words
    before a quotation ("He noted that the new document describes ..." -> "He noted").
    """
    text = resolver.text
    found: list[Attribution] = []
    for verb in find_speech_verbs(text, start, end):
        before = resolver.reference_before(verb.start(), start)
        if before:
            found.append(Attribution(before, text[before.start : verb.end()], before.start, verb.end()))
            continue
        after = resolver.reference_after(verb.end(), end)
        if after:
            found.append(Attribution(after, text[verb.start() : after.end], verb.start(), after.end))
    for according in ACCORDING_TO.finditer(text, start, end):
        after = resolver.reference_after(according.end(), end)
        if after:
            found.append(
                Attribution(after, text[according.start() : after.end], according.start(), after.end)
            )
    if not found:
        return None
    found.sort(key=lambda attribution: attribution.start)
    return found[-1] if prefer_last else found[0]


def leading_attribution(resolver: SpeakerResolver, start: int, end: int) -> Attribution | None:
    """An attribution right at the start of ``text[start:end]`` (the words after a closing mark):
    "Mr Alimov said", "said Lim Jock Hoi", "according to X", "— сказал он", "so Müller"."""
    text = resolver.text
    position = LEADING_PUNCTUATION.match(text, start, end).end()
    opener = (
        SPEECH_VERB.match(text, position, end)
        or ACCORDING_TO.match(text, position, end)
        or SO_AFTER_QUOTE.match(text, position, end)
    )
    if opener:
        after = resolver.reference_after(opener.end(), end)
        if after:
            return Attribution(after, text[position : after.end], position, after.end)
    subject = resolver.reference_after(position, end)
    if subject:
        gap = SUBJECT_VERB_GAP.match(text, subject.end, end)
        verb = SPEECH_VERB.match(text, gap.end(), end)
        if verb:
            return Attribution(subject, text[subject.start : verb.end()], subject.start, verb.end())
    return None
