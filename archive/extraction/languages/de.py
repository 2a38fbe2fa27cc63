"""German."""

from ..text import word_set
from .base import Language, listed

LANGUAGE = Language(
    code="de",
    name="Deutsch",
    script="ßäöüÄÖÜ",
    marker_words=word_set("der die das und ist nicht mit von den dem sich auch eine einer sagte für zu"),
    quote_pairs=(("„", "“"), ("‚", "‘"), ("»", "«"), ("›", "‹")),
    # "fügte ... hinzu" is found by "fügte".
    speech_verbs=listed(
        """sagte sagt erklärte erklärt betonte betont fügte meinte bekräftigte unterstrich warnte forderte
        kritisierte versicherte mahnte teilte sagten erklärten betonten erwartete erwartet hofft hoffte
        gewarnt betonte"""
    ),
    bare_clause_verbs=word_set("sagte erklärte betonte meinte"),
    comma_clause_verbs=word_set(
        "sagte sagt erklärte erklärt betonte betont meinte bekräftigte unterstrich warnte versicherte kritisierte "
        "mahnte"
    ),
    previous_sentence_words=word_set("das dies"),
    complementisers=("dass",),
    according_to=("laut", "nach den worten von", "nach angaben von"),
    articles=word_set("der die das dem den"),
    pronouns={"er": "m", "sie": "f"},
    honorifics={"herr": "m", "frau": "f"},
    title_endings=(
        "minister",
        "ministerin",
        "kanzler",
        "kanzlerin",
        "präsident",
        "präsidentin",
        "sekretär",
        "sekretärin",
        "botschafter",
        "botschafterin",
        "sprecher",
        "sprecherin",
        "vorsitzende",
        "vorsitzender",
        "kommissar",
        "kommissarin",
        "beauftragte",
        "beauftragter",
        "chef",
        "chefin",
    ),  # fmt: skip
    title_heads=(
        "generalsekretär",
        "generalsekretärin",
        "ministerin",
        "kanzler",
        "kanzlerin",
        "präsident",
        "präsidentin",
        "sprecher",
        "sprecherin",
        "botschafter",
        "botschafterin",
        "kommissar",
        "kommissarin",
        "vorsitzende",
        "vorsitzender",
        "beauftragte",
        "beauftragter",
        "politiker",
        "politikerin",
        "diplomatin",
    ),  # fmt: skip
    generic_heads=word_set("politiker politikerin diplomatin"),
    connectors=word_set("der des für und von"),
    not_name_words=word_set("Der Die Das Ein Eine Im Am Nach Laut Bei Mit Für Auf Zum Zur Wie Auch Er Sie Es"),
    document_links=word_set("der des über zur zum gegen für"),
    document_kinds={
        "konvention": "convention",
        "übereinkommen": "convention",
        "vertrag": "treaty",
        "abkommen": "agreement",
        "vereinbarung": "agreement",
        "vereinbarungen": "agreement",
        "charta": "charter",
        "strategie": "strategy",
        "erklärung": "declaration",
        "resolution": "resolution",
    },  # fmt: skip
)
