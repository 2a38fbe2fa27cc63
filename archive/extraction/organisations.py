"""Recognising organisations: a lexicon of the usual acronyms and names (intergovernmental
bodies, UN organs, news agencies) plus the form "Capitalised Words + Organisation/Union/Council…",
with an acronym in brackets after a full name taken as its short name.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from .text import word_set

ACRONYMS = word_set(
    """SCO UN NATO OSCE ASEAN EU AU CSTO CIS BRICS G20 G7 IAEA WHO UNESCO UNICEF UNHCR UNDP UNODC UNOCT
    CTED RATS OPCW ICC ICJ INTERPOL Interpol Europol OIC GCC ECOWAS SAARC APEC WTO IMF OECD EAEU
    CICA ARF UNSC UNGA OHCHR IOM ILO FAO WFP UNEP IGAD SADC PACE ODIHR TASS Xinhua Reuters AFP
    Interfax Sputnik Kazinform Bernama ANTARA Frontex ШОС ООН НАТО ОБСЕ ОДКБ СНГ ЕС АСЕАН ЕАЭС БРИКС
    ТАСС РИА МАГАТЭ ОДИХР"""
)
NAMES = (
    "Shanghai Cooperation Organisation",
    "Shanghai Cooperation Organization",
    "United Nations",
    "North Atlantic Treaty Organization",
    "Organization for Security and Co-operation in Europe",
    "Organization for Security and Cooperation in Europe",
    "Association of Southeast Asian Nations",
    "European Union",
    "African Union",
    "Collective Security Treaty Organization",
    "Commonwealth of Independent States",
    "Security Council",
    "General Assembly",
    "Human Rights Council",
    "European Commission",
    "European Council",
    "European Parliament",
    "Council of Europe",
    "African Union Commission",
    "Arab League",
    "League of Arab States",
    "RIA Novosti",
    "Associated Press",
    "Vereinte Nationen",
    "Europäische Union",
    "Bundesregierung",
    "Auswärtiges Amt",
)
ORGANISATION_HEADS = (
    "Organisation|Organization|Union|Nations|Council|Commission|Committee|Agency|Office|Alliance|"
    "Forum|Structure|Secretariat|Bank|Fund|Assembly|Parliament|Ministry|Court|Centre|Center|Institute|"
    "Directorate|Programme|Service|Conference|Association|League|Community|Group|Mission"
)
HEAD_WORD = re.compile(rf"\b(?:{ORGANISATION_HEADS})\b")
CAPITALISED_WORD_BEFORE = re.compile(r"([A-Z][\w’'\-]*)\s+$")
OF_PHRASE = re.compile(r"\s+(?:of|for|on)\s+(?:the\s+)?[A-Z][\w’'\-]*(?:\s+(?:and\s+|in\s+)?[A-Z][\w’'\-]*){0,4}")
BRACKETED_ACRONYM = re.compile(r"\s*\(([A-ZА-Я][A-ZА-Я0-9&\-]{1,9})\)")
LEXICON = re.compile(
    r"(?<![\w-])(?:"
    + "|".join(re.escape(name) for name in sorted({*NAMES, *ACRONYMS}, key=len, reverse=True))
    + r")(?![\w-])"
)
# Capitalised words that open a sentence and must not start an organisation name.
LEADING_NOISE = word_set("""The A An In On At For By With As And But Of This That These Its Their Our""")
DOCUMENT_WORDS = re.compile(
    r"\b(?:Convention|Treaty|Charter|Strategy|Resolution|Declaration|Agreement|Protocol|Plan|"
    r"Programme of Action)\b"
)


@dataclass(frozen=True)
class OrganisationMention:
    """An organisation name or acronym at ``start:end``."""

    name: str
    start: int
    end: int


def find_organisations(text: str) -> list[OrganisationMention]:
    """All organisation mentions in ``text``, in order, without overlaps (longest wins)."""
    found: list[OrganisationMention] = []
    for match in LEXICON.finditer(text):
        found.append(OrganisationMention(match.group(), match.start(), match.end()))
    for match in HEAD_WORD.finditer(text):
        start = _walk_left_over_capitalised(text, match.start())
        if start == match.start():
            continue  # a bare "Council" or "Union" names nothing by itself
        end = match.end()
        of_phrase = OF_PHRASE.match(text, end)
        if of_phrase:
            end = of_phrase.end()
        name = text[start:end]
        if DOCUMENT_WORDS.search(name):
            continue
        found.append(OrganisationMention(name, start, end))
        bracket = BRACKETED_ACRONYM.match(text, end)
        if bracket:
            found.append(OrganisationMention(bracket.group(1), bracket.start(1), bracket.end(1)))
    found.sort(key=lambda mention: (mention.start, -(mention.end - mention.start)))
    result: list[OrganisationMention] = []
    for mention in found:
        if result and mention.start < result[-1].end:
            continue
        result.append(mention)
    return result


def _walk_left_over_capitalised(text: str, position: int) -> int:
    """Start of the run of capitalised words that ends at ``position`` (sentence openers excluded)."""
    while True:
        previous = CAPITALISED_WORD_BEFORE.search(text, 0, position)
        if not previous or previous.group(1) in LEADING_NOISE or "\n" in text[previous.end(1) : position]:
            return position
        position = previous.start(1)


def organisation_names(mentions: list[OrganisationMention]) -> list[str]:
    """Distinct organisation names in order of first mention."""
    return list(dict.fromkeys(mention.name for mention in mentions))
