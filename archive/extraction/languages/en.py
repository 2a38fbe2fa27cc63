"""English."""

from ..text import word_set
from .base import Language, listed

LANGUAGE = Language(
    code="en",
    name="English",
    marker_words=word_set("the and of to is was that with for said has have are were this"),
    quote_pairs=(("“", "”"), ('"', '"'), ("‘", "’"), ("'", "'")),
    # "pointed out" and "put it" are phrases.
    speech_verbs=listed(
        """said says added adds noted notes stressed stresses emphasi[sz]ed emphasi[sz]es underlined underscored
        stated states told tells declared remarked pointed\\s+out pointed\\s+to explained recalled warned described
        urged called
        affirmed observed continued concluded commented insisted highlighted acknowledged announced believes
        believed argued asked replied answered reiterated confirmed assured wrote admitted cautioned maintained
        reminded expressed voiced quoted put\\s+it saying urges urging calls calling appealed appeals suggested
        proposed pledged promised vowed claimed conceded complained predicted underlines"""
    ),
    bare_clause_verbs=word_set("said says added believes believed told"),
    participles=listed("adding noting stressing warning urging calling"),
    previous_sentence_words=frozenset({"this", "that was"}),
    complementisers=("that",),
    according_to=("according to", "in the words of", "the words of"),
    articles=word_set("the"),
    pronouns={"he": "m", "she": "f"},
    honorifics={
        "mr": "m",
        "mrs": "f",
        "ms": "f",
        "miss": "f",
        "madam": "f",
        "madame": "f",
        "sir": "m",
        "dame": "f",
        "dr": "",
        "prof": "",
        "professor": "",
        "h.e": "",
        "dato": "",
        "datuk": "",
        "datin": "f",
        "tun": "",
    },  # fmt: skip
    title_words=word_set(
        """secretary-general secretary general under-secretary-general assistant deputy minister foreign prime
        president vice-president chairman chairwoman chairperson chair chairman-in-office chairperson-in-office
        ambassador director director-general executive special representative permanent envoy high commissioner
        spokesperson spokesman spokeswoman head chief coordinator adviser advisor senior counsellor chancellor
        king queen prince emir sultan rapporteur commander admiral colonel governor mayor lord baroness judge
        justice speaker premier officer president-elect defence defense interior affairs state vice first high
        extraordinary plenipotentiary aide"""
    ),
    title_heads=(
        "secretary[- ]general",
        "under-secretary-general",
        "minister",
        "foreign minister",
        "president",
        "chairman",
        "chairwoman",
        "chairperson",
        "chair",
        "ambassador",
        "director",
        "director-general",
        "envoy",
        "commissioner",
        "spokesperson",
        "spokesman",
        "spokeswoman",
        "representative",
        "coordinator",
        "official",
        "diplomat",
        "chief",
        "head",
        "rapporteur",
        "chancellor",
        "premier",
        "prime minister",
        "high representative",
        "politician",
        "leader",
    ),  # fmt: skip
    generic_heads=word_set("official diplomat chief head representative envoy leader politician"),
    connectors=word_set("of the for on and to in at"),
    document_links=word_set(
        "on of for against towards toward to until till between concerning regarding establishing relating amending"
    ),
    document_kinds={
        "convention": "convention",
        "treaty": "treaty",
        "charter": "charter",
        "strategy": "strategy",
        "resolution": "resolution",
        "declaration": "declaration",
        "agreement": "agreement",
        "accord": "agreement",
        "accords": "agreement",
        "pact": "treaty",
        "protocol": "other",
        "memorandum": "other",
        "statute": "other",
        "concept": "other",
        "roadmap": "other",
        "act": "other",
        "agenda": "other",
        "vision": "other",
        "plan": "other",
    },  # fmt: skip
    # Named documents whose name ends in a word that is no kind word elsewhere ("Ezulwini Consensus",
    # "Copenhagen Document", "Pact for the Future").
    document_patterns=(
        r"(?<![\w-])(?P<name>(?:[A-Z][\w’'\-]+\s+){1,3}(?P<kind>Consensus|Document|Communiqué|Communique))(?![\w-])",
    ),
)
