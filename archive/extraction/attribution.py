"""Attributing statements to people: speech verbs, the subject of a verb (a name, a pronoun or a
title such as "the Secretary-General"), and resolving pronouns and titles to the person the text
last named. Also finds reported speech ("Mr Alimov noted that ...").

Lookups go through offsets sorted once (``bisect``), so that a long article costs time in proportion
to its length, not to its length squared.
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from collections.abc import Callable, Iterator
from dataclasses import dataclass

from . import languages
from .lexicon import SPEECH_VERB_PATTERN
from .people import GENERIC_HEADS, TITLE_HEADS, PeopleIndex, Person

SPEECH_VERB = re.compile(rf"(?:{SPEECH_VERB_PATTERN})", re.IGNORECASE)
# Speech verbs of languages that may leave the subject out ("Recordó que ...", "وأضاف أن ...").
_PRO_DROP_VERBS = "|".join(v for language in languages.ALL if language.pro_drop for v in language.speech_verbs)
PRO_DROP_VERB = re.compile(rf"(?<![\w-])(?:{_PRO_DROP_VERBS})(?![\w-])", re.IGNORECASE)
# Verbs after which a reported clause may follow without "that" ("Mr Alimov said the convention ...").
BARE_CLAUSE_VERBS = languages.words("bare_clause_verbs")
ACCORDING_TO = re.compile(
    rf"(?<![\w-])(?:{languages.phrase_pattern(languages.words('according_to'))})\s+", re.IGNORECASE
)
# German "„...“, so Müller": "so" names the speaker only right after a closing mark.
SO_AFTER_QUOTE = re.compile(r"so\s+")
PRONOUNS = languages.merged("pronouns")
# "По его словам, ...", "In her words, ...": the source is a possessive pronoun.
POSSESSIVE_SOURCE = re.compile(
    r"(?:по\s+(его|её|ее)\s+словам|in\s+(his|her)\s+words|according\s+to\s+(him|her))\s*,?\s*", re.IGNORECASE
)
POSSESSIVE_GENDERS = {"его": "m", "её": "f", "ее": "f", "his": "m", "him": "m", "her": "f"}
# A pronoun as a whole word, after French inversion ("a-t-il ajouté"), or a Chinese one not inside a longer
# word ("其他", "他们").
_SPACED_PRONOUNS = "|".join(sorted((p for lang in languages.ALL if lang.spaced for p in lang.pronouns), key=len)[::-1])
_UNSPACED_PRONOUNS = "|".join(p for lang in languages.ALL if not lang.spaced for p in lang.pronouns)
PRONOUN = re.compile(
    rf"(?:(?:(?<![\w-])|(?<=-t-))(?=(?:{_SPACED_PRONOUNS})(?![\w-]))|(?<!其)(?=(?:{_UNSPACED_PRONOUNS})(?!们)))"
    rf"({_SPACED_PRONOUNS}|{_UNSPACED_PRONOUNS})",
    re.IGNORECASE,
)
# Russian titles are inflected ("по словам министра"): a case ending may follow the head.
CASE_ENDING = r"(?:а|у|ом|ем|е|я|ю)?"
# "the Kremlin spokesman", "der CDU-Politiker": up to three words, or a hyphenated prefix, before the head.
TITLE_REFERENCE = re.compile(
    rf"(?<![\w-])(?:the|der|die|this)[ \t]+(?:(?:[\w’'\-]+|(?:\w\.){{2,}})[ \t]+){{0,3}}?(?:[\w’'.]+-)?"
    rf"({TITLE_HEADS})(?![\w-])"
    rf"|(?<![\w-])(?:[A-ZА-Я]{{2,6}}-)?({TITLE_HEADS}){CASE_ENDING}(?:[ \t]+[A-ZА-Я]{{2,6}})?(?![\w-])",
    re.IGNORECASE,
)
# "the representative of Slovenia", "the Minister of Defence of Poland": a qualifier the person must fit.
TITLE_QUALIFIER = re.compile(r"\s+(?:of|for)\s+(?:the\s+)?((?:[A-Z][\w’'\-]*\s*){1,4})")
# What may stand between a subject and its verb: appositions between commas and adverbs
# ("Mr Alimov, the SCO Secretary-General, also said"; "Ms X, Director of Y, who travelled with Z, said").
ADVERBS = (
    r"also|further|later|then|again|once again|has|had|have|repeatedly|previously|earlier|today|"
    r"firmly|clearly|strongly|specifically|in particular|however|thus|moreover|in turn|"
    r"также|ещё|ранее|уже|вновь|неоднократно|в свою очередь|auch|zudem|ferner|außerdem"
)
# A lone comma closes a title apposition: "The Chair of the Committee, Ambassador X, noted".
# "Ambassador X of Ghana, who chairs the session, said", "X (Iran) said": a country or delegation first.
SUBJECT_VERB_GAP = re.compile(
    r"(?:\s*\([^()\n]{1,60}\)|\s+(?:of|from)\s+(?:the\s+)?[A-Z][\w’'\-]*(?:\s+[A-Z][\w’'\-]*){0,3})?"
    rf"\s*(?:(?:,[^,\"“”«»]{{2,120}}){{1,3}},|,)?\s*(?:(?:{ADVERBS})\s*,?\s+)*"
    rf"(?:{'|'.join(languages.alternatives('subject_verb_gaps'))})?",
    re.IGNORECASE,
)
LEADING_PUNCTUATION = re.compile(r"[\s,.;:—–\-，。：、]*")
# A reference inside a relative clause or after a preposition is not the subject of the verb that follows
# ("Ms X, who travelled with Mr Y, said").
RELATIVE_CLAUSE_BEFORE = re.compile(r",\s*(?:who|which|whom|whose)\b", re.IGNORECASE)
PREPOSITION_BEFORE = re.compile(
    r"(?<![\w-])(?:with|by|to|for|from|at|in|on|about|met|meeting|and|или|и|с|со|к)\s+$", re.IGNORECASE
)
# How the words between a sentence's subject and a later verb may end: a coordinated predicate
# ("... thanked the minister and said"), or a prepositional phrase ("Лавров по итогам заседания ... заявил").
COORDINATED_BEFORE_VERB = re.compile(rf"(?:,?\s+(?:and|but|и|а|und)\s+(?:(?:{ADVERBS})\s+)*)$", re.IGNORECASE)
ADVERBIAL_GAP = re.compile(
    r"^\s+(?:on|in|at|during|after|before|following|by|по|на|в|во|после|перед|в ходе|am|beim|nach|bei)\s"
    r"[^,;:.!?\"“”«»]{0,160}$",
    re.IGNORECASE,
)
RELATIVE_BEFORE_VERB = re.compile(r"(?<![\w-])(?:who|which|that|whom|whose|который|которая|которые)\s+(?:\w+\s+){0,2}$")
# "a senior U.S. official": someone the text does not name (abbreviations with full stops included).
INDEFINITE_BEFORE = re.compile(r"(?<![\w-])(?:a|an|another|one)\s+(?:[\w’'.\-]+\s+){0,3}$", re.IGNORECASE)
# Words that open an introductory phrase, whose people are not the sentence's subject.
INTRODUCTORY = re.compile(
    r"\s*(?:After|Before|Following|During|Speaking|Addressing|Responding|Asked|Commenting|Upon|On|At|In|While|"
    r"When|Meeting|Having|Welcoming|Thanking|Отвечая|Выступая|Комментируя|После|Nach|Bei)\b[^,.;:!?]{0,160},\s*"
)
# "said the minister", "a déclaré le ministre", "dijo el canciller": the article before a titled name.
ARTICLE = re.compile(rf"(?:{languages.phrase_pattern(languages.words('articles'))})(?:\s+|(?<=['’]))", re.IGNORECASE)
TITLE_SET_OFF = re.compile(r"(?:the\s+)?(?:[A-Z][\w’'\-]*\s+){0,3}[A-Z][\w’'\-]*,\s+")
CATAPHORA_WINDOW = 600  # characters after a title in which to look for the person it announces


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
# How far back pronouns and titles look for their antecedent (in mentions), so that a pathological
# article cannot make every lookup walk the whole text.
ANTECEDENT_LOOKBACK = 400


class SpeakerResolver:
    """Resolve subjects to people, using the mentions of the article in text order.

    Mentions inside quotations are ignored as antecedents: a person a speaker talks about
    ("We thank President Tokayev") is not who "he" refers to in the next sentence.
    """

    def __init__(
        self,
        text: str,
        people: PeopleIndex,
        quoted_ranges: list[tuple[int, int]],
        sentences: list[tuple[int, int]] | None = None,
    ) -> None:
        self.text = text
        self.people = people
        self.sentences = sentences or []
        self.sentence_starts = [start for start, _ in self.sentences]
        self.quoted = sorted(quoted_ranges)
        self.quoted_starts = [start for start, _ in self.quoted]
        self.mentions = sorted(people.mentions, key=lambda mention: mention.start)
        self.mention_starts = [mention.start for mention in self.mentions]
        ranges = sorted(quoted_ranges)
        range_starts = [start for start, _ in ranges]
        # Quotation spans do not overlap, so the last one starting at or before a mention is the only
        # one that may contain it.
        self.antecedents = []
        for mention in self.mentions:
            index = bisect_right(range_starts, mention.start) - 1
            if index >= 0 and ranges[index][0] <= mention.start < ranges[index][1]:
                continue
            self.antecedents.append(mention)
        self.antecedent_starts = [mention.start for mention in self.antecedents]
        # Pronouns and title phrases are found once for the whole text; lookups take the ones in a window.
        self.pronouns = [(m.start(), m.end(), m.group(1)) for m in PRONOUN.finditer(text)]
        self.pronoun_starts = [start for start, _, _ in self.pronouns]
        self.titles = [(m.start(), m.end(), m.group()) for m in TITLE_REFERENCE.finditer(text)]
        self.title_starts = [start for start, _, _ in self.titles]
        self.title_people: dict[int, Person | None] = {}
        self.pronoun_people: dict[tuple[int, str, int, int], Person | None] = {}
        self.generation = 0  # counts the genders learnt, which invalidate cached pronoun resolutions

    def references_in(self, start: int, end: int) -> list[SpeakerReference]:
        """Every explicit mention, pronoun and title reference inside ``text[start:end]``."""
        first = bisect_left(self.mention_starts, start)
        last = bisect_left(self.mention_starts, end)
        references = [
            SpeakerReference(mention.start, mention.end, mention.person)
            for mention in self.mentions[first:last]
            if mention.end <= end
        ]
        taken_starts = [reference.start for reference in references]  # mentions never overlap one another

        def overlaps_mention(title_start: int, title_end: int) -> bool:
            index = bisect_left(taken_starts, title_end) - 1
            return index >= 0 and references[index].end > title_start

        first = bisect_left(self.pronoun_starts, start)
        for pronoun_start, pronoun_end, pronoun in self.pronouns[first : bisect_left(self.pronoun_starts, end)]:
            if pronoun_end <= end:
                person = self.resolve_pronoun(pronoun, pronoun_start)
                references.append(SpeakerReference(pronoun_start, pronoun_end, person, pronoun.lower()))
        first = bisect_left(self.title_starts, start)
        for title_start, title_end, phrase in self.titles[first : bisect_left(self.title_starts, end)]:
            if title_end <= end and not overlaps_mention(title_start, title_end):
                person = self._title_person(title_start, title_end, phrase)
                references.append(SpeakerReference(title_start, title_end, person))
        return references

    def _title_person(self, start: int, end: int, phrase: str) -> Person | None:
        """Who a title phrase refers to (resolved once per phrase; titles do not depend on genders learnt)."""
        if start not in self.title_people:
            qualifier = TITLE_QUALIFIER.match(self.text, end)
            person = self.resolve_title(phrase, start, qualifier.group(1).strip() if qualifier else "")
            indefinite = INDEFINITE_BEFORE.search(self.text, max(0, start - 40), start)
            # (French "a déclaré le ministre": that "a" is the auxiliary of the speech verb.)
            if indefinite and not SPEECH_VERB.search(indefinite.group()):
                person = None  # "a senior European diplomat said": someone the text does not name
            self.title_people[start] = person
        return self.title_people[start]

    def reference_before(self, position: int, lower_bound: int) -> SpeakerReference | None:
        """The subject of a verb at ``position``: the nearest reference separated only by adverbs and
        appositions, and not itself inside a relative clause or after a preposition."""
        window_start = max(lower_bound, position - 300)
        candidates = [
            reference
            for reference in self.references_in(window_start, position)
            if SUBJECT_VERB_GAP.fullmatch(self.text, reference.end, position)
            and not _in_relative_clause(self.text, window_start, reference.start)
            and not PREPOSITION_BEFORE.search(self.text, max(window_start, reference.start - 20), reference.start)
        ]
        return max(candidates, key=lambda reference: (reference.end, -reference.start), default=None)

    def sentence_subject(self, sentence_start: int, position: int) -> SpeakerReference | None:
        """The subject of a sentence for a verb further on: "Mr X thanked the minister and said ...",
        "The Secretary General highlighted ..., and noted that ...", "Лавров по итогам заседания ...
        заявил". The subject opens the sentence (or follows an introductory phrase and its comma)."""
        text = self.text
        # The subject stands near the start: after at most an introductory phrase.
        references = sorted(
            self.references_in(sentence_start, min(position, sentence_start + 250)), key=lambda r: r.start
        )
        for number, reference in enumerate(references):
            before = text[sentence_start : reference.start]
            if before.strip() and not before.rstrip().endswith(","):
                continue
            comma = sentence_start + before.rfind(",")
            if before.strip() and any(other.end > comma for other in references[:number]):
                continue
            gap = text[reference.end : position]
            if len(gap) > 300 or re.search(r"[\"“”«»„]|[.!?]\s", gap) or RELATIVE_BEFORE_VERB.search(gap):
                return None
            if COORDINATED_BEFORE_VERB.search(gap) or ADVERBIAL_GAP.match(gap):
                return reference
            return None
        return None

    def reference_after(self, position: int, upper_bound: int) -> SpeakerReference | None:
        """The reference starting right after ``position`` ("said Lim Jock Hoi", "added the minister")."""
        start = position + len(self.text[position:upper_bound]) - len(self.text[position:upper_bound].lstrip())
        # "said the Chinese Foreign Minister Wang Yi": the titled mention starts after "the".
        article = ARTICLE.match(self.text[start:upper_bound])
        starts = {start, start + article.end()} if article else {start}
        references = self.references_in(start, min(upper_bound, start + 300))
        candidates = [reference for reference in references if reference.start in starts and reference.person]
        # "said the OSCE Chairman-in-Office, Finnish Foreign Minister Alexander Stubb": a title set off by a comma.
        apposed = TITLE_SET_OFF.match(self.text, start, upper_bound) if not candidates else None
        if apposed:
            candidates = [reference for reference in references if reference.start == apposed.end()]
        if not candidates:
            candidates = [reference for reference in references if reference.start in starts]
        return max(candidates, key=lambda reference: (reference.end, -reference.start), default=None)

    def sentence_speaker(self, sentence_start: int, position: int) -> SpeakerReference | None:
        """The person a sentence opens with (after an introductory phrase), before ``position``."""
        end = min(position, sentence_start + 300)
        opening = INTRODUCTORY.match(self.text, sentence_start, end)
        start = opening.end() if opening else sentence_start
        index = self._first_outside_quotes(self.mention_starts, start, end, lambda i: self.mentions[i].end)
        if (
            index is None
            or self.text[start : self.mentions[index].start].strip(" ,")
            and self.mentions[index].start - start > 40
        ):
            return None
        mention = self.mentions[index]
        return SpeakerReference(mention.start, mention.end, mention.person)

    def zero_subject(self, verb: re.Match[str]) -> SpeakerReference | None:
        """The left-out subject of a verb of a pro-drop language ("Recordó que ..."): the subject of its own
        sentence so far or of one of the two before, else the last person named."""
        if not PRO_DROP_VERB.fullmatch(verb.group()):
            return None
        position = verb.start()
        index = bisect_right(self.sentence_starts, position) - 1
        person = None
        for number in range(index, max(-1, index - 3), -1):
            start, end = self.sentences[number]
            person = self._subject(start, min(end, position), 0)
            if person:
                break
        person = person or next(self._earlier_mentions(position), None)
        return SpeakerReference(position, position, person, "") if person else None

    def _earlier(self, position: int) -> list[Person]:
        """Distinct people named before ``position`` (outside quotations), the most recent first."""
        return list(dict.fromkeys(self._earlier_mentions(position)))

    def _earlier_mentions(self, position: int) -> Iterator[Person]:
        last = bisect_left(self.antecedent_starts, position)
        for index in range(last - 1, max(-1, last - 1 - ANTECEDENT_LOOKBACK), -1):
            yield self.antecedents[index].person

    def resolve_pronoun(self, pronoun: str, position: int, depth: int = 0) -> Person | None:
        """Who "he"/"she" at ``position`` refers to: the subject of its own sentence (before it) or of one of
        the two sentences before, if the gender fits ("Mr Dahl met President Berg. He said ..." -> Dahl);
        otherwise the last person named whose gender does not contradict the pronoun."""
        key = (position, pronoun.lower(), depth, self.generation)
        if key not in self.pronoun_people:
            self.pronoun_people[key] = self._resolve_pronoun(pronoun, position, depth)
        return self.pronoun_people[key]

    def _resolve_pronoun(self, pronoun: str, position: int, depth: int) -> Person | None:
        gender = PRONOUNS.get(pronoun.lower()) or POSSESSIVE_GENDERS[pronoun.lower()]

        def fits(person: Person | None) -> bool:
            return person is not None and person.gender in ("", gender)

        if self.sentences and depth < 2:
            index = bisect_right(self.sentence_starts, position) - 1
            for number in range(index, max(-1, index - 3), -1):
                start, end = self.sentences[number]
                end = min(end, position)
                subject = self._subject(start, end, depth)
                if fits(subject):
                    return subject
                first = bisect_left(self.antecedent_starts, start)
                if any(fits(m.person) for m in self.antecedents[first : bisect_left(self.antecedent_starts, end)][:50]):
                    break  # someone fitting is named here, though not as the subject: the most recent one
        return next((person for person in self._earlier_mentions(position) if fits(person)), None)

    def _subject(self, start: int, end: int, depth: int) -> Person | None:
        """The person a sentence is about: its first reference outside quotations, after an introductory
        phrase ("After meeting the minister, ...") if there is one. Only that reference is resolved."""
        end = min(end, start + 300)
        opening = INTRODUCTORY.match(self.text, start, end)
        if opening:
            start = opening.end()
        candidates = []
        mention = self._first_outside_quotes(self.mention_starts, start, end, lambda i: self.mentions[i].end)
        if mention is not None:
            candidates.append((self.mentions[mention].start, "mention", mention))
        pronoun = self._first_outside_quotes(self.pronoun_starts, start, end, lambda i: self.pronouns[i][1])
        if pronoun is not None:
            candidates.append((self.pronouns[pronoun][0], "pronoun", pronoun))
        title = self._first_outside_quotes(self.title_starts, start, end, lambda i: self.titles[i][1])
        if title is not None:
            candidates.append((self.titles[title][0], "title", title))
        if not candidates:
            return None
        _, kind, index = min(candidates)
        if kind == "title" and mention is not None:
            # "La vicepresidenta y canciller de Colombia, Marta Lucía Ramírez, recordó": the title announces the
            # name that follows; it names someone else only when it resolves to someone.
            title_start, title_end, phrase = self.titles[index]
            return self._title_person(title_start, title_end, phrase) or self.mentions[mention].person
        if kind == "mention":
            return self.mentions[index].person
        if kind == "pronoun":
            pronoun_start, _, word = self.pronouns[index]
            return self.resolve_pronoun(word, pronoun_start, depth + 1)
        title_start, title_end, phrase = self.titles[index]
        return self._title_person(title_start, title_end, phrase)

    def _first_outside_quotes(
        self, starts: list[int], start: int, end: int, end_of: Callable[[int], int]
    ) -> int | None:
        """Index of the first item starting in ``start:end`` (and ending by ``end``) outside quotations."""
        index = bisect_left(starts, start)
        while index < len(starts) and starts[index] < end:
            if end_of(index) <= end and not self._inside_quotation(starts[index]):
                return index
            index += 1
            if index - bisect_left(starts, start) > 20:
                return None
        return None

    def _inside_quotation(self, position: int) -> bool:
        index = bisect_right(self.quoted_starts, position) - 1
        return index >= 0 and self.quoted[index][0] <= position < self.quoted[index][1]

    def learn_from(self, attribution: Attribution) -> None:
        """Remember the gender a pronoun showed, so that "she" and "he" later tell two speakers apart."""
        reference = attribution.reference
        if reference.pronoun and reference.person and not reference.person.gender:
            reference.person.gender = PRONOUNS[reference.pronoun]
            self.generation += 1  # earlier resolutions may no longer hold

    def resolve_title(self, phrase: str, position: int, qualifier: str = "") -> Person | None:
        """The last person named before ``position`` whose title (and organisation) fits ``phrase``.

        "the Secretary-General" looks for a secretary-general; a generic head ("the senior UN
        official", "the envoy") takes the last titled person of the organisation named, if any; a
        title nobody holds falls back to the last person whose title the text has not given. With no
        one named before (a lead: "The UN's top disarmament official warned ..."), the first fitting
        person named shortly after is meant. A qualifier ("the representative of Slovenia") must
        appear in the person's title or organisation.
        """
        lowered = phrase.lower()
        head_match = re.search(rf"({TITLE_HEADS}){CASE_ENDING}(?![\w-])", lowered)
        head = head_match.group(1).replace("-", " ").split()[-1] if head_match else ""
        head = HEAD_SYNONYMS.get(head, head)
        organisation_named = _names_organisation(phrase)
        earlier = [person for person in self._earlier(position) if _fits_qualifier(person, qualifier)]
        found = self._fitting(earlier, head, lowered, organisation_named)
        if found is None and next(self._earlier_mentions(position), None) is None:
            later = self._later(position)
            found = self._fitting(
                [person for person in later if person.title and _fits_qualifier(person, qualifier)],
                head,
                lowered,
                organisation_named,
            )
        return found

    @staticmethod
    def _fitting(people: list[Person], head: str, lowered: str, organisation_named: bool) -> Person | None:
        for person in people:
            title = person.title.lower().replace("-", " ").split()
            fits_organisation = not organisation_named or person.organisation.lower() in lowered
            if head and head in title and fits_organisation:
                return person
        if head in GENERIC_HEADS:
            for person in people:
                if person.organisation and person.organisation.lower() in lowered:
                    return person
            return next((person for person in people if person.title), people[0] if people else None)
        return next((person for person in people if not person.title), None)

    def _later(self, position: int) -> list[Person]:
        first = bisect_right(self.antecedent_starts, position)
        last = bisect_left(self.antecedent_starts, position + CATAPHORA_WINDOW)
        return list(dict.fromkeys(mention.person for mention in self.antecedents[first:last]))


def _in_relative_clause(text: str, start: int, position: int) -> bool:
    """Whether ``position`` follows ", who/which ..." with no comma in between ("Ms X, who met Mr Y, said")."""
    comma = text.rfind(",", start, position)
    return comma >= 0 and RELATIVE_CLAUSE_BEFORE.match(text, comma, position) is not None


def _names_organisation(phrase: str) -> bool:
    return bool(re.search(r"(?<![\w-])[A-ZА-Я]{2,6}(?![\w-])", phrase))


def _fits_qualifier(person: Person, qualifier: str) -> bool:
    if not qualifier:
        return True
    words = [word for word in re.findall(r"\w+", qualifier) if len(word) > 2 and word.lower() != "the"]
    described = f"{person.title} {person.organisation}".casefold()
    return not words or any(word.casefold() in described for word in words)


# The speech verbs of the text last searched, found once and then looked up by offset: the finders ask
# for the verbs of many small windows of one article. (One entry, replaced as a whole, so threads that
# extract different articles at once at worst recompute it.)
_verb_cache: tuple[str, list[re.Match[str]], list[int]] = ("", [], [])


def find_speech_verbs(text: str, start: int, end: int) -> list[re.Match[str]]:
    """The speech verbs inside ``text[start:end]``, in order."""
    global _verb_cache
    cached_text, matches, starts = _verb_cache
    if cached_text is not text:
        matches = list(SPEECH_VERB.finditer(text))
        starts = [match.start() for match in matches]
        _verb_cache = (text, matches, starts)
    found = matches[bisect_left(starts, start) : bisect_left(starts, end)]
    return [match for match in found if match.end() <= end]


def attribution_in_segment(resolver: SpeakerResolver, start: int, end: int, prefer_last: bool) -> Attribution | None:
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
            continue
        zero = resolver.zero_subject(verb)  # "وتابع "..."", "Recordó: «...»"
        if zero:
            found.append(Attribution(zero, verb.group(), verb.start(), verb.end()))
    for according in ACCORDING_TO.finditer(text, start, end):
        after = resolver.reference_after(according.end(), end)
        if after:
            found.append(Attribution(after, text[according.start() : after.end], according.start(), after.end))
    if not found:
        return None
    found.sort(key=lambda attribution: attribution.start)
    return found[-1] if prefer_last else found[0]


def leading_attribution(resolver: SpeakerResolver, start: int, end: int) -> Attribution | None:
    """An attribution right at the start of ``text[start:end]`` (the words after a closing mark):
    "Mr Alimov said", "said Lim Jock Hoi", "according to X", "— сказал он", "so Müller"."""
    text = resolver.text
    if start >= end:
        return None  # a quotation running past its sentence has nothing after it
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
        # "a-t-il ajouté": the subject is a pronoun inside the verb; "«...», afirmó.": it is left out.
        inside = [r for r in resolver.references_in(opener.start(), opener.end()) if r.person]
        zero = None if inside or not isinstance(opener.re, type(SPEECH_VERB)) else resolver.zero_subject(opener)
        if inside or zero:
            return Attribution(inside[0] if inside else zero, text[position : opener.end()], position, opener.end())
    subject = resolver.reference_after(position, end)
    if subject:
        gap = SUBJECT_VERB_GAP.match(text, subject.end, end)
        verb = SPEECH_VERB.match(text, gap.end(), end)
        if verb:
            return Attribution(subject, text[subject.start : verb.end()], subject.start, verb.end())
    return None
