"""What one language contributes to extraction, as data: the ``Language`` record every language module
fills in (``en.py``, ``ru.py``, ...). The recognisers never ask which language they read; they use the
words and patterns of every language loaded (see ``__init__``), so an article quoting a Russian
minister in English, or a French item naming a German treaty, needs no special case.
"""

from __future__ import annotations

from dataclasses import dataclass, field


def listed(spaced_words: str) -> tuple[str, ...]:
    """Words (or regex alternatives) written as one space-separated string, in order."""
    return tuple(spaced_words.split())


@dataclass(frozen=True)
class Language:
    """The knowledge extraction needs about one language.

    Word lists are lower case. ``speech_verbs`` are regular-expression alternatives (phrases may hold
    spaces, ``a(?:-t-il)? dit``); in a language written with spaces between words they must match whole
    words, in one written without (Chinese) they match anywhere, so they carry their own guards.
    """

    code: str
    name: str
    # Characters only this language (among those held) writes with; used to guess the language of a text.
    script: str = ""
    # Frequent short words that tell Latin-script languages apart when the script cannot.
    marker_words: frozenset[str] = frozenset()
    spaced: bool = True
    # (opening, closing) quotation marks, the outer pair first, then the pairs used inside it.
    quote_pairs: tuple[tuple[str, str], ...] = ()
    # A paragraph opening with a dash is direct speech, its attribution set off by dashes ("— ..., — said X.").
    dash_speech: bool = False
    speech_verbs: tuple[str, ...] = ()
    # Verbs after which a reported clause may follow without a complementiser ("said the deal ...").
    bare_clause_verbs: frozenset[str] = frozenset()
    # Verbs whose reported clause follows a comma ("Wadephul betonte, Deutschland werde ...").
    comma_clause_verbs: frozenset[str] = frozenset()
    complementisers: tuple[str, ...] = ()
    # "... on Ukraine. Об этом заявил X", "This was stated by X", "Das sagte er": words that, before a speech
    # verb opening a sentence, make the sentence before the speaker's statement; and whole phrases doing
    # the same without a speech verb ("Cette déclaration a été faite par").
    previous_sentence_words: frozenset[str] = frozenset()
    source_of_previous: tuple[str, ...] = ()
    # Calls other than English ones: (verb regex, particle regex after which the call runs).
    calls: tuple[tuple[str, str], ...] = ()
    # Words after a comma that end a reported clause, the subject going on with something else ("d’où").
    clause_enders: tuple[str, ...] = ()
    # Words joining a second speech verb of the same subject in a language written without spaces ("并表示").
    coordinators: tuple[str, ...] = ()
    # Participles by which the subject goes on speaking, ending the clause before them ("..., adding that").
    participles: tuple[str, ...] = ()
    according_to: tuple[str, ...] = ()
    pronouns: dict[str, str] = field(default_factory=dict)  # word -> "m" / "f"
    honorifics: dict[str, str] = field(default_factory=dict)  # word -> "m" / "f" / ""
    title_words: frozenset[str] = frozenset()
    title_endings: tuple[str, ...] = ()  # compound titles recognised by how they end (German)
    title_heads: tuple[str, ...] = ()  # regex alternatives that may stand alone for a person ("the minister")
    generic_heads: frozenset[str] = frozenset()
    # Lower-case words that join the parts of a title or a name ("Ministre des Affaires étrangères").
    connectors: frozenset[str] = frozenset()
    # Definite articles ("the", "le", "el", "der"), which may stand before a titled name after a speech verb.
    articles: frozenset[str] = frozenset()
    # Adjectives follow the noun ("Carta Democrática Interamericana"): capitalised words after a kind word.
    adjectives_follow: bool = False
    # The subject may be left out ("Recordó que ...", "وأضاف أن ..."): a verb without one is the last speaker's.
    pro_drop: bool = False
    # Lower-case words inside names ("Charte des Nations unies").
    lowercase_name_words: frozenset[str] = frozenset()
    # Capitalised words that open sentences or name things, never part of a person's name ("Selon", "Según").
    not_name_words: frozenset[str] = frozenset()
    document_kinds: dict[str, str] = field(default_factory=dict)  # kind word -> kind
    # Words that continue a document's name after its kind word ("Convention on ...", "Convention de ...").
    document_links: frozenset[str] = frozenset()
    document_kind_forms: dict[str, str] = field(default_factory=dict)  # inflected form -> nominative
    # What may stand between a subject and its speech verb besides commas and adverbs (regex alternatives):
    # Chinese "王毅在会见时表示" puts the place and time there.
    subject_verb_gaps: tuple[str, ...] = ()
    # Regular expressions with groups ``title`` and ``name`` finding people in scripts without capitals.
    person_patterns: tuple[str, ...] = ()
    # Regular expressions naming a document without a kind word known elsewhere (groups ``name``, ``kind``).
    document_patterns: tuple[str, ...] = ()
