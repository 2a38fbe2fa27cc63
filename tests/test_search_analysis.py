"""Text analysis without Whoosh (archive/search/analysis.py) gives exactly what the Whoosh index's analyzer gives."""

import pytest
from whoosh.analysis import LowercaseFilter, RegexTokenizer
from whoosh.lang.porter import stem as whoosh_porter_stem

from archive.search import analysis
from archive.search.backends.whoosh.schema import archive_analyzer
from archive.search.porter import stem as archive_porter_stem
from tests.conftest import SEED_TEXT

TEXTS = [
    "",
    "the of and",
    "The terrorists said: terrorism, TERRORISM and the terrorist threat",
    "a b c dog. e.g. U.N. İstanbul résumé 3.5 x\n\nthe  SCO's 2nd\tsummit",
    "Extremists' «breeding ground» — persistence, insistence; generalisation/organisations 1999-2001",
]


def whoosh_terms(text: str, **kwargs) -> list:
    tokens = archive_analyzer()(text, chars=True, positions=True, mode="index", **kwargs)
    return [(t.text, t.pos, t.startchar, t.endchar) for t in tokens]


@pytest.mark.parametrize("text", [*TEXTS, SEED_TEXT.read_text()])
def test_terms_and_offsets_are_whooshs(text):
    """English text: the same terms at the same positions and character offsets as archive_analyzer(), so queries
    and highlights agree."""
    assert analysis.analyze_with_positions(text) == whoosh_terms(text)
    assert analysis.analyze(text) == [term for term, _, _, _ in whoosh_terms(text)]


@pytest.mark.parametrize("text", TEXTS)
def test_word_tokens_are_whooshs(text):
    """Unstemmed words (prefix searches, spelling) as Whoosh's tokenizer and lower-casing give them."""
    assert analysis.word_tokens(text) == [t.text for t in (RegexTokenizer() | LowercaseFilter())(text)]


def test_the_stemmer_is_whooshs_porter():
    """Every word of the seed article stems as Whoosh's own Porter stemmer stems it."""
    words = set(analysis.word_tokens(SEED_TEXT.read_text())) | {"generalizations", "ponies", "caresses", "agreed"}
    assert {w: archive_porter_stem(w) for w in words} == {w: whoosh_porter_stem(w) for w in words}
