"""Turning quotation-mark spans and sentences into quotations: deciding which spans are quotations
(and not scare quotes or quoted names), attributing each to a speaker, and finding reported speech
in the sentences without a direct quotation.
"""

from __future__ import annotations

import re
from bisect import bisect_left
from dataclasses import dataclass

from . import languages
from .attribution import (
    ACCORDING_TO,
    BARE_CLAUSE_VERBS,
    POSSESSIVE_SOURCE,
    SPEECH_VERB,
    Attribution,
    SpeakerReference,
    SpeakerResolver,
    attribution_in_segment,
    find_speech_verbs,
    leading_attribution,
)
from .lexicon import SPEECH_VERB_PATTERN, SPEECH_VERBS
from .quotes import QuoteSpan, is_named_by_context, looks_like_name, sentence_like
from .text import tokenize, word_set

# Words after which a bare "said" is not followed by its reported clause ("said on Monday").
NOT_CLAUSE_STARTS = word_set(
    """in at on during after before following while when to for from with by as about of last this
    earlier later today yesterday that so nothing something little repeatedly also
    vor nach bei am im auf mit zu gegenüber heute gestern"""
)
TRAILING_PREPOSITIONS = word_set("in at on during after before following while when to for from with by as about")
UNSPACED_VERBS = "|".join(v for language in languages.ALL if not language.spaced for v in language.speech_verbs)
# The subject goes on speaking: "..., and warned that ...", "... but stressed that ...", ", adding that".
COORDINATED_SPEECH_VERB = re.compile(
    rf"(?:,?\s+(?:and|but)\s+(?:also\s+)?(?P<verb>{SPEECH_VERBS})"
    rf"|[,،]\s+(?P<participle>{'|'.join(languages.alternatives('participles'))}))(?![\w-])"
    rf"|[,，]\s*(?:{'|'.join(languages.alternatives('coordinators'))})(?P<joined>{UNSPACED_VERBS})",
    re.IGNORECASE,
)
# The subject goes on with something else, which ends the reported clause: "..., and declined to say".
COORDINATED_OTHER_VERB = re.compile(
    r",\s+(?:and|but)\s+(?:also\s+)?(?:declined|refused|thanked|welcomed|praised|condemned|reaffirmed|"
    r"invited|congratulated|left|met|visited|held|signed|stressed the|underlined the|expressed)(?![\w-])"
    rf"|[,،]\s+(?:{'|'.join(languages.alternatives('clause_enders'))})(?![\w-])",
    re.IGNORECASE,
)
# Calls are reported speech: "called for ...", "called on X to ...", "urged X to ...", "appealed to X to ...".
CALL_VERBS = word_set("called calls calling urged urges urging appealed appeals")
CALL_PARTICLE = {"call": re.compile(r"\s+(?:for|on|upon)\s+"), "appe": re.compile(r"\s+to\s+")}
# Calls of the other languages: (verb, particle after which the call runs), e.g. "دعا" ... "إلى".
CALLS = [
    (re.compile(verb, re.IGNORECASE), re.compile(rf"[\s,،]*{particle}\s*"))
    for language in languages.ALL
    for verb, particle in language.calls
]
# German puts a comma between the verb and a reported clause: "Wadephul betonte, Deutschland werde ...".
COMMA_CLAUSE_VERBS = languages.words("comma_clause_verbs")
# Words that show the few words between a verb and "that" contain a verb of their own ("said the data
# showed that ..."): then "that" starts a clause inside the reported clause, not the reported clause.
INNER_VERB = re.compile(
    r"(?<![\w-])(?:is|was|are|were|has|have|had|shows?|showed|found|finds|says|said|believes?|thinks?|"
    r"knew|knows?|felt|feels?|saw|sees?|\w{3,}ed)(?![\w-])",
    re.IGNORECASE,
)
# "... on Ukraine. Об этом заявил X." / "This was stated by X.": the sentence before is X's statement.
SOURCE_OF_PREVIOUS = re.compile(
    rf"\s*(?:(?:{'|'.join(languages.words('previous_sentence_words'))})\s+(?:[\w-]+\s+){{0,2}}?"
    rf"(?:{SPEECH_VERBS}|stated|announced|said)(?:\s+by)?(?![\w-])"
    rf"|{'|'.join(languages.alternatives('source_of_previous'))})",
    re.IGNORECASE,
)
# "МОСКВА, 3 июня. /ТАСС/. ": the dateline that may open a wire story's first sentence.
DATELINE = re.compile(
    r"[^\n]{0,60}?/\s*(?:TASS|ТАСС|Reuters|AFP|AP|РИА Новости|Интерфакс)\s*/\.?\s*"
    r"|(?:РИА НОВОСТИ|ТАСС|[A-ZА-Я]{3,}(?:,\s*[^\n:]{1,30}?)?)\s*(?::|(?:\(\w[^)]{0,20}\))?\s*[-–—])\s+"
)
# A transcript line: "Secretary-General: ...", "Question [Reuters]: ...".
SPEAKER_LABEL = re.compile(r"((?:[A-ZА-Я][\w’'.\-]*\s+){0,5}[A-ZА-Я][\w’'.\-]*)(?:\s*\[[^\]\n]{1,40}\])?:\s")
# A word that makes a run of words a clause: an auxiliary or a lower-case verb form ("will", "remains",
# "decided"), in English, Russian or German.
VERB_LIKE = re.compile(
    r"is|are|was|were|be|been|will|would|can|could|must|should|shall|may|might|has|have|had|do|does|did|"
    r"[a-z]{2,}(?:ed|es|s)|[а-яё]{2,}(?:ет|ит|ют|ят|ал|ил|ел|ла|ли|ло|ся)|ist|sind|war|wird|werden|hat|haben|"
    r"[a-zäöüß]{2,}(?:t|te|ten)"
)
# Who is told: "reporters", "a briefing", "the Security Council", "TASS", "UN News".
TOLD_AUDIENCE = re.compile(
    r"\s+(?:(?:a|an|the)\s+)?(?:(?:reporters|journalists|correspondents|the press|the media|parliament|lawmakers|"
    r"delegates|senators|members|ministers|diplomats|participants|students|briefing|news conference|press "
    r"conference|press briefing|meeting|session|conference|summit|forum|audience|crowd)|UN News|RIA Novosti|"
    r"Al Jazeera|Security Council|General Assembly|(?:[A-Z][\w’'\-]*))(?=\s)"
)
NOT_BLANK = re.compile(r"[^\s—–-]")
# How far back from a quotation mark its frame is looked for (a bound that keeps hostile input fast).
LOOK_BACK = 250
DETERMINER_BEFORE = re.compile(r"(?<![\w-])(?:the|a|an|its|their|our|this|these|his|her)\s*$", re.IGNORECASE)
# "that", "dass", "что", "que", "qu'", "إن": each followed by a space, unless it ends in an apostrophe.
COMPLEMENTISERS = [
    re.escape(word) + ("" if word[-1] in "'’" else r"\s+") for word in languages.alternatives("complementisers")
]
THAT = re.compile(rf"\s*,?\s+(?:{'|'.join(COMPLEMENTISERS)})")
PREPOSITIONAL_THAT = re.compile(
    r"\s+(?:(?:in|at|on|during|after|before|following|while|to|with|before)\s+(?:[\w’'\-]+\s+){0,6}?|"
    rf"(?:[\w’'\-]+,?\s+){{1,5}}?)(?:{'|'.join(COMPLEMENTISERS)})"
)
DESCRIBED_AS = re.compile(r"\s+(?:[\w’'\-]+\s+){1,8}?as(?:\s+|$)")
# Words that end the frame of a partial quotation: 'described it as "..."', 'said it was "..."'.
FRAMING_BEFORE_PARTIAL = re.compile(
    r"(?:(?<![\w-])(?:as|it|them|that|this|is|was|are|were|be|been|being|remains|remained)|[:—–,])\s*$"
)
# Verbs whose object stands between them and the partial quotation ('called the attack "cowardly"').
NAMING_VERBS = re.compile(r"(?:called|calls|described|describes|termed|labelled|labeled|branded)$", re.IGNORECASE)
SPEECH_VERB_AFTER_QUOTE = re.compile(rf"[\s,.;:—–\-，。：、]*(?:{SPEECH_VERB_PATTERN})", re.IGNORECASE)
# A short quoted span that starts like a predicate is speech, not a term ('said the deal "must be kept"').
PREDICATE_START = re.compile(
    r"\s*(?:must|should|shall|will|would|can|could|may|might|is|are|was|were|has|have|had|not|never|"
    r"cannot|won't|doesn't|don't|did)\b",
    re.IGNORECASE,
)
TERMINAL = re.compile(r"[.!?…]\s*$")


@dataclass
class Statement:
    """A quotation being built: its span, whether it is direct, and its attribution if any."""

    start: int
    end: int
    direct: bool
    attribution: Attribution | None


QUOTE_MARKS = "\"“”«»„’'‘"


def _count_marks(text: str) -> int:
    """Quotation marks in ``text``, apostrophes inside words left out."""
    return sum(
        1
        for index, char in enumerate(text)
        if char in QUOTE_MARKS
        and not (0 < index < len(text) - 1 and text[index - 1].isalnum() and text[index + 1].isalnum())
    )


def spans_end(spans: list[QuoteSpan]) -> int:
    return max(span.mark_end for span in spans)


class StatementFinder:
    """Walk the sentences in order, so that pronouns resolve against what came before."""

    def __init__(self, text: str, spans: list[QuoteSpan], sentences: list[tuple[int, int]],
                 resolver: SpeakerResolver) -> None:  # fmt: skip
        self.text = text
        self.spans = spans
        self.sentences = sentences
        self.resolver = resolver
        self.span_starts = [span.mark_start for span in spans]
        self._own_speaker: dict[int, bool] = {}
        self._speaking_before: Statement | None = None  # a named speaker's report just before, in the paragraph

    def run(self) -> list[Statement]:
        statements: list[Statement] = []
        previous_direct: Statement | None = None
        span_starts = self.span_starts
        previous_plain: tuple[int, int] | None = None  # the last sentence without quotations or statements
        for number, (start, end) in enumerate(self.sentences):
            inside = self.spans[bisect_left(span_starts, start) : bisect_left(span_starts, end)]
            self._speaking_before = self._reported_just_before(statements, start)
            accepted = self._direct_quotations(number, inside)
            for statement in accepted:
                earlier = previous_direct or self._reported_just_before(statements, start)
                if statement.attribution is None and earlier and not self._names_own_speaker(number):
                    # A quotation standing alone after another one (in the same paragraph, or opening
                    # the next), or after the speaker's reported words in its paragraph, continues them.
                    statement.attribution = earlier.attribution
                if statement.attribution:
                    self.resolver.learn_from(statement.attribution)
            statements.extend(accepted)
            if accepted:
                previous_direct = accepted[-1]
                statements.extend(self._reported_before_quotation(start, min(s.mark_start for s in inside)))
                statements.extend(self._reported_after_quotation(previous_direct, spans_end(inside), end))
            else:
                found = self._reported(start, end)
                earlier = self._source_of_previous(previous_plain, start, end) if not found else None
                if earlier:
                    found = [earlier]
                for reported in found:
                    self.resolver.learn_from(reported.attribution)
                    statements.append(reported)
                previous_plain = None if (found or inside) else (start, end)
            if accepted:
                previous_plain = None
            if not accepted and (self.text.find("\n\n", start, end + 2) >= 0 or not inside):
                previous_direct = None
        return statements

    def _reported_just_before(self, statements: list[Statement], start: int) -> Statement | None:
        """The last statement, if reported speech of a named person in the paragraph of ``start``: "..., sagte
        der Norweger. "Aber wir sind uns einig ..."" continues the Norwegian's words."""
        if not statements or statements[-1].direct or "\n" in self.text[statements[-1].end : start]:
            return None
        last = statements[-1]
        return last if last.attribution and last.attribution.person else None

    def _names_own_speaker(self, number: int) -> bool:
        """Whether the sentence has a speech verb outside its quotations ("..., a senior diplomat said"):
        then a quotation whose speaker could not be named is not the previous speaker's."""
        if number not in self._own_speaker:
            self._own_speaker[number] = self._has_speech_verb_outside_quotes(number)
        return self._own_speaker[number]

    def _has_speech_verb_outside_quotes(self, number: int) -> bool:
        start, end = self.sentences[number]
        text = self.text
        outside = []
        position = start
        for span in self.spans[bisect_left(self.span_starts, start) :]:
            if span.mark_start >= end:
                break
            outside.append(text[position : span.mark_start])
            position = span.mark_end
        outside.append(text[position:end])
        return any(SPEECH_VERB.search(part) for part in outside)

    def _source_of_previous(self, previous: tuple[int, int] | None, start: int, end: int) -> Statement | None:
        """ "Кремль не видит оснований ... Об этом заявил Дмитрий Песков." / "This was stated by X.": the
        sentence before, in the same paragraph, is X's reported statement."""
        text = self.text
        if previous is None:
            return None
        # In the same paragraph, or a paragraph of its own right after ("...\n\nCette déclaration a été faite par X.").
        own_paragraph = text[end : end + 2].strip() == "" and text[previous[1] : start].count("\n") <= 2
        if "\n" in text[previous[1] : start] and not own_paragraph:
            return None
        source = SOURCE_OF_PREVIOUS.match(text, start, end)
        if not source:
            return None
        references = [r for r in self.resolver.references_in(source.end(), end) if r.person]
        if not references:
            return None
        reference = references[0]
        attribution = Attribution(reference, text[source.start() : reference.end].strip(), start, reference.end)
        clause_start = previous[0]
        dateline = DATELINE.match(text, clause_start, previous[1])
        if dateline:
            clause_start = dateline.end()
        return self._clause(clause_start, self._without_final_punctuation(clause_start, previous[1]), attribution)

    # -- direct quotations --------------------------------------------------------------------------
    def _direct_quotations(self, number: int, spans: list[QuoteSpan]) -> list[Statement]:
        sentence_start, sentence_end = self.sentences[number]
        accepted: list[Statement] = []
        for position, span in enumerate(spans):
            lower = spans[position - 1].mark_end if position else sentence_start
            upper = spans[position + 1].mark_start if position + 1 < len(spans) else sentence_end
            statement = self._direct_quotation(number, span, lower, upper)
            if statement:
                accepted.append(statement)
        # Quotations sharing a sentence share a speaker ("'A' and 'B,' he said").
        for statement in accepted:
            if statement.attribution is None:
                nearest = [other for other in accepted if other.attribution]
                if nearest:
                    statement.attribution = min(nearest, key=lambda o: abs(o.start - statement.start)).attribution
        return accepted

    def _direct_quotation(self, number: int, span: QuoteSpan, lower: int, upper: int) -> Statement | None:
        text = self.text
        span_text = text[span.start : span.end]
        if not span_text.strip() or is_named_by_context(text[max(0, span.mark_start - 60) : span.mark_start]):
            return None
        if looks_like_name(span_text):
            return None
        sentence_start = self.sentences[number][0]
        opens_sentence = not NOT_BLANK.search(text, sentence_start, span.mark_start)
        after = leading_attribution(self.resolver, span.mark_end, upper)
        before = None if after else attribution_in_segment(self.resolver, lower, span.mark_start, prefer_last=True)
        attribution = after or before or attribution_in_segment(self.resolver, span.mark_end, upper, False)
        # '"...," said a spokesman': a speech verb right after the closing mark makes it a quotation,
        # even when the speaker cannot be named.
        spoken = after is not None or bool(SPEECH_VERB_AFTER_QUOTE.match(text, span.mark_end, upper))
        in_clause = (
            self._inside_reported_clause(number, span) if attribution is None or not sentence_like(span_text) else None
        )
        attribution = (
            attribution
            or in_clause
            or self._colon_introduction(number, lower, span)
            or self._next_sentence(number, span)
            or self._name_line_after(span)
            or self._speaker_label(span)
        )
        if not sentence_like(span_text):
            partial_ok = (
                self._frames_partial_quotation(before, number, lower, span.mark_start)
                or (before is not None and PREDICATE_START.match(span_text))
                or in_clause is not None
            )
            spoken_alone = spoken and (opens_sentence or TERMINAL.search(span_text.rstrip(",")))
            in_speech = self._in_speaker_sentence(number, span) if not (partial_ok or spoken_alone) else None
            if not (partial_ok or spoken_alone or in_speech):
                return None
            attribution = attribution or in_speech
        elif not (attribution or spoken or TERMINAL.search(span_text) or span_text.rstrip().endswith(",")):
            attribution = self._in_speaker_sentence(number, span)
            if attribution is None:
                return None
        if not span.closed and attribution is None:
            return None  # a stray opening mark with nobody speaking is more likely a typo than a quotation
        return Statement(span.start, span.end, True, attribution)

    def _in_speaker_sentence(self, number: int, span: QuoteSpan) -> Attribution | None:
        """A short quoted phrase in a sentence where a named person speaks, whose words come right after a
        speech verb or a preposition of speech ("warned of a “Winter des weltweiten Unmuts”", "pointed to
        “business that is unfinished”"), is that person's, unless it reads as a name or a term."""
        text = self.text
        start, end = self.sentences[number]
        if DETERMINER_BEFORE.search(text, max(start, span.mark_start - 12), span.mark_start):
            return None
        found = attribution_in_segment(self.resolver, start, span.mark_start, prefer_last=True)
        if (found is None or found.person is None) and self._names_own_speaker(number):
            # "Guterres hat ... vor einem "Winter des weltweiten Unmuts" gewarnt": the verb comes last.
            subject = self.resolver.sentence_speaker(start, span.mark_start)
            return Attribution(subject, "", subject.start, subject.end) if subject else None
        if found is None and self._speaking_before is not None:
            # "古特雷斯表示,……。此外,新技术“在没有护栏的情况下”飞速发展": the speaker's report goes on.
            return self._speaking_before.attribution
        if found is None or found.person is None or found.end > span.mark_start:
            return None
        between = text[found.end : span.mark_start]
        # ("Pour Moussa Faki, ...": what follows "according to X" is all X's, however far.)
        sourced = ACCORDING_TO.match(text, found.start) is not None
        if (len(tokenize(between)) > 12 and not sourced) or re.search(r"[.!?;]\s", between):
            return None
        return found

    def _frames_partial_quotation(self, before: Attribution | None, number: int, lower: int, mark: int) -> bool:
        """Whether the words before a short quoted span make it a partial quotation.

        The speech verb must lead straight to the quotation ('described it as "..."', 'said it was
        "..."', 'called the attack "..."'); its subject may lie before an earlier quotation of the
        sentence ('He called it "..." and said that those responsible would be "..."').
        """
        text = self.text
        if before is not None:
            verb_end, verb_words = before.end, before.words
        else:
            verbs = find_speech_verbs(text, lower, mark)
            # The verb needs a speaker somewhere before it in the sentence: 'what I have called a
            # "quantum leap"' in a speech is the speaker's own term, not a quotation.
            sentence_start = max(self.sentences[number][0], mark - LOOK_BACK)
            if not verbs or not attribution_in_segment(self.resolver, sentence_start, mark, prefer_last=True):
                return False
            verb_end, verb_words = verbs[-1].end(), verbs[-1].group()
        gap = text[verb_end:mark]
        return (
            not gap.strip()
            or bool(FRAMING_BEFORE_PARTIAL.search(gap))
            or bool(NAMING_VERBS.search(verb_words) and len(tokenize(gap)) <= 8)
        )

    def _inside_reported_clause(self, number: int, span: QuoteSpan) -> Attribution | None:
        """A short quoted fragment inside a person's reported clause is their words ('told a briefing
        that the West was trying to "torpedo" the talks', 'said delegations had a "fragile consensus"'),
        unless it reads as a name or term ('the "SCO family"')."""
        text = self.text
        sentence_start = max(self.sentences[number][0], span.mark_start - LOOK_BACK)
        if DETERMINER_BEFORE.search(text, max(sentence_start, span.mark_start - 12), span.mark_start) and any(
            character.isupper() for character in text[span.start : span.end]
        ):
            return None
        for verb in reversed(find_speech_verbs(text, sentence_start, span.mark_start)):
            reference = (
                self.resolver.reference_before(verb.start(), sentence_start)
                or self.resolver.sentence_subject(sentence_start, verb.start())
                or self.resolver.zero_subject(verb)
            )
            if reference is None or reference.person is None:
                continue
            if re.search(r"[.!?]\s", text[verb.end() : span.mark_start]):
                return None
            return Attribution(reference, text[reference.start : verb.end()], reference.start, verb.end())
        return None

    def _name_line_after(self, span: QuoteSpan) -> Attribution | None:
        """A quotation closing its paragraph, followed by a line that only names the speaker (the "Quote(s)"
        block of press releases): "Ursula von der Leyen, President of the European Commission"."""
        text = self.text
        rest = text[span.mark_end : span.mark_end + 6]
        if not rest.startswith("\n\n"):
            return None
        line_start = span.mark_end + len(rest) - len(rest.lstrip())
        line_end = text.find("\n", line_start)
        line_end = len(text) if line_end < 0 else line_end
        line = text[line_start:line_end]
        if not line or len(tokenize(line)) > 20 or SPEECH_VERB.search(line) or TERMINAL.search(line):
            return None
        references = [r for r in self.resolver.references_in(line_start, line_end) if r.person]
        first = min(references, key=lambda reference: reference.start, default=None)
        if first is None or first.start != line_start:
            return None
        return Attribution(first, text[first.start : first.end], first.start, first.end)

    def _speaker_label(self, span: QuoteSpan) -> Attribution | None:
        """In a transcript, a quotation inside a line labelled "Secretary-General: ..." is the words of the
        person the label names (who may be quoting themselves: "As I told the leaders, “...”")."""
        text = self.text
        line_start = text.rfind("\n", max(0, span.mark_start - LOOK_BACK), span.mark_start) + 1
        if line_start == 0 and span.mark_start > LOOK_BACK:
            return None
        label = SPEAKER_LABEL.match(text, line_start, span.mark_start)
        if not label:
            return None
        references = [r for r in self.resolver.references_in(line_start, label.end(1)) if r.person]
        if not references:
            return None
        reference = references[-1]
        return Attribution(reference, label.group(1), line_start, label.end(1))

    def _colon_introduction(self, number: int, lower: int, span: QuoteSpan) -> Attribution | None:
        """ "Mr X was clear: "..."" or a paragraph ending "Mr X said:" before a quoted paragraph."""
        text = self.text
        before = text[lower : span.mark_start].rstrip()
        if before.endswith(":"):
            start, end = lower, span.mark_start
        elif (
            not before
            and number > 0
            and text[max(0, self.sentences[number - 1][1] - 20) : self.sentences[number - 1][1]].rstrip().endswith(":")
        ):
            start, end = self.sentences[number - 1]
        else:
            return None
        found = attribution_in_segment(self.resolver, start, end, prefer_last=True)
        if found:
            return found
        references = [r for r in self.resolver.references_in(start, end) if r.person]
        if not references:
            return None
        first = min(references, key=lambda reference: reference.start)
        return Attribution(first, text[first.start : first.end], first.start, first.end)

    def _next_sentence(self, number: int, span: QuoteSpan) -> Attribution | None:
        """ "... without delay." That was how Mr X put it. / Mr X said this."""
        text = self.text
        if number + 1 >= len(self.sentences) or text[span.mark_end : self.sentences[number][1]].strip():
            return None
        start, end = self.sentences[number + 1]
        if "\n" in text[span.mark_end : start] or len(tokenize(text, start, min(end, start + 300))) > 15:
            return None
        if any(start <= other.mark_start < end for other in self.spans):
            return None
        return attribution_in_segment(self.resolver, start, end, prefer_last=False)

    # -- reported speech ----------------------------------------------------------------------------
    def _reported(self, start: int, end: int) -> list[Statement]:
        """Reported statements of one sentence: "X noted that ...", "According to X, ...", "..., X said"."""
        text = self.text
        if text[start:end].rstrip().endswith(":"):
            return []  # "Mr X said:" introduces the quotation that follows
        clause_end = self._without_final_punctuation(start, end)
        leading = len(text[start:end]) - len(text[start:end].lstrip())
        possessive = POSSESSIVE_SOURCE.match(text, start + leading, end)
        if possessive:
            pronoun_group = next(group for group in (1, 2, 3) if possessive.group(group))
            pronoun = possessive.group(pronoun_group)
            person = self.resolver.resolve_pronoun(pronoun, possessive.start())
            if person:
                reference = SpeakerReference(possessive.start(pronoun_group), possessive.end(pronoun_group), person)
                words = possessive.group().rstrip(" ,")
                attribution = Attribution(reference, words, possessive.start(), possessive.start() + len(words))
                return self._clauses(possessive.end(), clause_end, attribution)
        according = ACCORDING_TO.match(text, start + leading, end)
        if according:
            reference = self.resolver.reference_after(according.end(), end)
            if reference and reference.person:
                words = text[according.start() : reference.end]
                attribution = Attribution(reference, words, according.start(), reference.end)
                # English and Russian put a comma after the source; German "Laut Brandt soll ..." does not.
                comma = re.match(r"\s*,", text[reference.end : clause_end])
                return self._clauses(reference.end + (comma.end() if comma else 0), clause_end, attribution)
        for verb in find_speech_verbs(text, start, end):
            reference = self.resolver.reference_before(verb.start(), start)
            if reference is None:
                reference = self.resolver.sentence_subject(start, verb.start())
            if reference is None:
                inverted = self._verb_first(verb, end)  # "قال الوزير إن ...", "a déclaré M. X que ..."
                if inverted:
                    return self._clauses(inverted[1], clause_end, inverted[0])
                trailing = self._inverted_trailing(start, clause_end, verb)
                if trailing:
                    return self._clauses(trailing[1], trailing[2], trailing[0])
                reference = self.resolver.zero_subject(verb)
            if reference is None or reference.person is None:
                continue
            attribution = Attribution(reference, text[reference.start : verb.end()], reference.start, verb.end())
            trailing = self._trailing_attribution(start, clause_end, reference, verb.end())
            if trailing is not None:
                return self._clauses(start, trailing, attribution)
            clause_start = self._clause_start(verb.group().lower(), verb.end(), clause_end)
            if clause_start is not None:
                return self._clauses(clause_start, clause_end, attribution)
            # "Alabó la «...», asegurando que ...": the verb has no clause, the participle after it has.
            further = self._coordinated_clause(verb.end(), clause_end)
            if further is not None and further[1] is not None:
                _, further_start, verb_start, verb_end = further
                words = Attribution(reference, self.text[verb_start:verb_end], verb_start, verb_end)
                return self._clauses(further_start, clause_end, words)
        return []

    def _inverted_trailing(
        self, start: int, clause_end: int, verb: re.Match[str]
    ) -> tuple[Attribution, int, int] | None:
        """ "..., заявил глава исполкома СНГ Сергей Лебедев.", "..., said Lim Jock Hoi.": the verb before its
        subject after the clause; (attribution, clause start, clause end)."""
        text = self.text
        before = text[start : verb.start()].rstrip(" —–-")
        if not before.endswith(","):
            return None
        reference = self.resolver.reference_after(verb.end(), clause_end)
        if reference is None or reference.person is None:
            return None
        if len(tokenize(text, reference.end, min(clause_end, reference.end + 300))) > 20:
            return None
        dateline = DATELINE.match(text, start, verb.start())
        clause_start = dateline.end() if dateline else start
        attribution = Attribution(reference, text[verb.start() : reference.end], verb.start(), reference.end)
        return attribution, clause_start, start + len(before) - 1

    def _verb_first(self, verb: re.Match[str], end: int) -> tuple[Attribution, int] | None:
        """A speech verb before its subject, the subject then a complementiser: the attribution and where
        the reported clause starts."""
        reference = self.resolver.reference_after(verb.end(), end)
        if reference is None or reference.person is None:
            return None
        that = THAT.match(self.text, reference.end, end) or self._call_particle(verb.group(), reference.end, end)
        if that is None:
            return None
        words = self.text[verb.start() : reference.end]
        return Attribution(reference, words, verb.start(), reference.end), that.end()

    def _call_particle(self, verb: str, position: int, end: int) -> re.Match[str] | None:
        """The particle after which a call of another language runs ("دعا X إلى ..."), from its ``calls``."""
        for verb_pattern, particle in CALLS:
            if verb_pattern.fullmatch(verb):
                return particle.match(self.text, position, end)
        return None

    def _clauses(self, start: int, end: int, attribution: Attribution) -> list[Statement]:
        """The reported clause, split where the subject goes on with another speech verb:
        "She pointed out that ..., and warned that ..." gives two statements. A coordinated verb of
        another kind (", and declined to say ...") ends the clause."""
        statements = []
        while True:
            further = self._coordinated_clause(start, end)
            other = COORDINATED_OTHER_VERB.search(self.text, start, further[0] if further else end)
            clause_end = other.start() if other else further[0] if further else end
            statement = self._clause(start, clause_end, attribution)
            if statement:
                statements.append(statement)
            if further is None or other is not None or further[1] is None:
                return statements
            _, start, verb_start, verb_end = further
            attribution = Attribution(attribution.reference, self.text[verb_start:verb_end], verb_start, verb_end)

    def _coordinated_clause(self, start: int, end: int) -> tuple[int, int | None, int, int] | None:
        """(where the words "and warned that" begin, where their clause starts, the verb's span). A
        coordinated speech verb without a clause of its own ("..., and expressed hope for ...") still
        ends the clause before it; its clause start is then None."""
        further = COORDINATED_SPEECH_VERB.search(self.text, start, end)
        if not further:
            return None
        group = next(name for name in ("verb", "participle", "joined") if further.group(name))
        clause_start = self._clause_start(further.group(group).lower(), further.end(group), end)
        if clause_start is None and not self.text[further.start() : further.start(group)].startswith((",", "،", "，")):
            return None  # "he said the ministers met and noted ...": not necessarily the speaker's verb
        return further.start(), clause_start, further.start(group), further.end(group)

    def _reported_before_quotation(self, start: int, first_mark: int) -> list[Statement]:
        """'He said the UK was concerned ..., and described the practice as "lawfare"': the clauses
        that a coordinated speech verb closes before the quotation. A clause running into the
        quotation ('He noted that the document describes "..."') is the quotation's frame instead."""
        return [
            statement
            for statement in self._reported(start, first_mark)
            if COORDINATED_SPEECH_VERB.match(self.text, statement.end)
            or COORDINATED_OTHER_VERB.match(self.text, statement.end)
        ]

    def _reported_after_quotation(self, quotation: Statement, start: int, end: int) -> list[Statement]:
        """'He described it as "..." but warned that ...': the speaker's further reported clause."""
        if quotation.attribution is None or quotation.attribution.person is None:
            return []
        further = self._coordinated_clause(start, end)
        if further is None or further[1] is None:
            return []
        _, clause_start, verb_start, verb_end = further
        attribution = Attribution(quotation.attribution.reference, self.text[verb_start:verb_end], verb_start, verb_end)
        return self._clauses(clause_start, self._without_final_punctuation(start, end), attribution)

    def _trailing_attribution(
        self, start: int, clause_end: int, reference: SpeakerReference, verb_end: int
    ) -> int | None:
        """For "The convention is a milestone, he said." the end of the clause before ", he said".

        The words before the comma must read as a clause: "The Coordinator in Sudan, Clementine
        Nkweta-Salami, warned ..." and "Speaking in Port Sudan, Tom Fletcher, the UN relief chief,
        described ..." name the subject and its title instead."""
        before = self.text[start : reference.start].rstrip()
        after = tokenize(self.text, verb_end, min(clause_end, verb_end + 160))
        # "..., Lavrov said in an interview with the Brazilian newspaper O Globo": a longer tail is fine when it
        # is a prepositional phrase, not a clause of its own.
        adverbial = (
            bool(after) and after[0].lower in TRAILING_PREPOSITIONS and not THAT.search(self.text, verb_end, clause_end)
        )
        if not before.endswith(",") or len(after) > (20 if adverbial else 4):
            return None
        clause_end_at = start + len(before) - 1
        words = tokenize(self.text, max(start, clause_end_at - 300), clause_end_at)
        if not any(VERB_LIKE.fullmatch(word.text) for word in words):
            return None
        if any(r.person and r.end >= clause_end_at - 1 for r in self.resolver.references_in(start, clause_end_at)):
            return None
        return clause_end_at

    def _clause_start(self, verb: str, verb_end: int, clause_end: int) -> int | None:
        text = self.text
        that = THAT.match(text[verb_end:clause_end]) or PREPOSITIONAL_THAT.match(text[verb_end:clause_end])
        if that and not INNER_VERB.search(that.group()[: -len("that ")]):
            return verb_end + that.end()
        call = self._call_particle(verb, verb_end, clause_end)
        if call is not None:
            return call.end()
        if verb in CALL_VERBS:
            particle = CALL_PARTICLE.get(verb[:4])
            if particle is None:  # "urged X to ...": the call starts right after the verb
                following = tokenize(text, verb_end, min(clause_end, verb_end + 100))
                plain = following and not text[verb_end : following[0].start].strip()
                return following[0].start if plain and following[0].lower not in NOT_CLAUSE_STARTS else None
            call = particle.match(text, verb_end, clause_end)
            return call.end() if call else None
        if verb in COMMA_CLAUSE_VERBS:
            comma = re.match(r"\s*[,，]\s*", text[verb_end:clause_end])
            if comma:
                return verb_end + comma.end()
        if verb.startswith("described"):
            described = DESCRIBED_AS.match(text[verb_end:clause_end])
            if described and "," not in described.group():
                return verb_end + len(text[verb_end:clause_end]) - len(text[verb_end:clause_end].lstrip())
            return None
        if verb in ("told", "tells"):
            # "told reporters the decision was final", "told TASS Moscow would respond": the clause follows
            # the audience.
            audience = TOLD_AUDIENCE.match(text, verb_end, clause_end)
            if audience is None:
                return None
            verb_end = audience.end()
            # "told reporters in New York that ...", "told TASS on Tuesday that ..."
            that = THAT.match(text[verb_end:clause_end]) or PREPOSITIONAL_THAT.match(text[verb_end:clause_end])
            if that and not INNER_VERB.search(that.group()[: -len("that ")]):
                return verb_end + that.end()
        following = tokenize(text, verb_end, min(clause_end, verb_end + 100))
        if verb in BARE_CLAUSE_VERBS and following and following[0].lower not in NOT_CLAUSE_STARTS:
            if text[verb_end : following[0].start].strip():
                return None  # "said, ..." or "said: ..." is not a clause
            return following[0].start
        return None

    def _without_final_punctuation(self, start: int, end: int) -> int:
        """End of the sentence's words: without its full stop, nor a quotation mark closing nothing."""
        while end > start and self.text[end - 1] in ".!?…。！？\"”»’' \n":
            if self.text[end - 1] in QUOTE_MARKS and _count_marks(self.text[start : end - 1]) % 2:
                break  # 'said the deal "must be preserved".' keeps the closing mark of its partial quote
            end -= 1
        return end

    def _clause(self, start: int, end: int, attribution: Attribution) -> Statement | None:
        text = self.text
        while start < end and text[start].isspace():
            start += 1
        while end > start and text[end - 1] in " ,;:":
            end -= 1
        if len(tokenize(text, start, min(end, start + 100))) < 3:
            return None
        return Statement(start, end, False, attribution)
