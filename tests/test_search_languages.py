"""Search in the languages statements are made in: a short multilingual corpus (en, ru, zh, fr, es, ar, de), each
quotation indexed in its article's language. Inflected forms find each other within a language, Chinese words are
found inside sentences, unrelated English words stay apart, and the matched words are marked in every script."""

import re

import pytest

from archive.search import SearchParams, search
from archive.search.analysis import analyze
from tests.factories import make_article, make_person, make_quotation

CORPUS = {
    "en": [
        "Extremism is a threat to every state in the region.",
        "The extremely difficult negotiations continued into the night.",
        "The conventions adopted by the summit bind every member.",
    ],
    "ru": [
        "Реформа Шанхайской организации сотрудничества назрела, и мы её поддерживаем.",
        "Мы благодарны Кыргызстану за председательство в организации.",
        "Инициатива России по борьбе с экстремизмом получила поддержку.",
    ],
    "zh": [
        "上海合作组织成员国坚决打击恐怖主义和极端主义。",
        "各方同意加强反恐合作，维护地区安全稳定。",
    ],
    "fr": [
        "Les conventions internationales contre le terrorisme doivent être appliquées.",
        "La coopération régionale reste notre priorité.",
    ],
    "es": [
        "Los convenios firmados fortalecen la lucha contra el terrorismo.",
        "La cooperación regional es nuestra prioridad.",
    ],
    "ar": [
        "إن الاتفاقيات الدولية لمكافحة الإرهاب ضرورية لأمن المنطقة.",
        "أكد الأمين العام أهمية التعاون الإقليمي.",
    ],
    "de": [
        "Die Übereinkommen gegen den Terrorismus müssen umgesetzt werden.",
        "Die regionale Zusammenarbeit bleibt unsere Priorität.",
    ],
}


@pytest.fixture
def multilingual_archive(db, django_capture_on_commit_callbacks):
    """One article per language, each with its quotations, indexed as after a real commit."""
    with django_capture_on_commit_callbacks(execute=True):
        speaker = make_person("Alex Morgan")
        for language, quotes in CORPUS.items():
            body = "".join(f"<p>“{quote}” said Alex Morgan.</p>" for quote in quotes)
            article = make_article(f"Statements ({language})", body, language=language)
            for quote in quotes:
                make_quotation(article, speaker, quote)
    from archive.search.indexing import apply_pending_updates

    apply_pending_updates()


def found(q: str, **filters) -> list[str]:
    return [hit.object.text for hit in search(SearchParams(q=q, per_page=100, **filters)).hits]


def marked(q: str) -> list[str]:
    """The words marked in each hit's highlighted text."""
    hits = search(SearchParams(q=q, per_page=100)).hits
    return [word for hit in hits for word in re.findall(r"<mark>(.*?)</mark>", hit.highlighted)]


@pytest.mark.parametrize(
    "query, expected",
    [
        ("реформа", "Реформа Шанхайской"),  # nominative finds the nominative
        ("реформе", "Реформа Шанхайской"),  # an oblique case finds it too
        ("Кыргызстан", "благодарны Кыргызстану"),
        ("инициативы", "Инициатива России"),
        ("экстремизм", "борьбе с экстремизмом"),
        ("convention", "The conventions adopted"),
        ("conventions", "Les conventions internationales"),
        ("convenio", "Los convenios firmados"),
        ("Übereinkommens", "Die Übereinkommen gegen"),
        ("اتفاقية", "الاتفاقيات الدولية"),
        ("上海合作组织", "上海合作组织成员国"),
        ("恐怖主义", "坚决打击恐怖主义"),
        ("反恐", "加强反恐合作"),
        ("cooperación", "La cooperación regional"),
    ],
)
def test_inflected_forms_and_words_inside_sentences_are_found(multilingual_archive, query, expected):
    """A word in any inflection finds the quotations of its language that contain it; a Chinese word is found
    inside a sentence without spaces."""
    assert any(expected in text for text in found(query)), (query, found(query))


def test_extremely_and_extremism_do_not_meet(multilingual_archive):
    """English stemming keeps 'extremely' apart from 'extremism', while -ist/-ism words still meet."""
    assert found("extremism") == ["Extremism is a threat to every state in the region."]
    assert found("extremely") == ["The extremely difficult negotiations continued into the night."]
    assert analyze("terrorist") == analyze("terrorism") and analyze("extremists") == analyze("extremism")


def test_unrelated_chinese_words_do_not_match(multilingual_archive):
    """A Chinese word that is not in a sentence does not match it because its characters appear elsewhere."""
    assert found("安全合作") == []
    assert found("地区安全") and all("地区安全" in text for text in found("地区安全"))


@pytest.mark.parametrize(
    "query, words",
    [
        ("реформе", ["Реформа"]),
        ("Кыргызстан", ["Кыргызстану"]),
        ("上海合作组织", ["上海合作组织"]),
        ("اتفاقية", ["الاتفاقيات"]),
        ("Übereinkommens", ["Übereinkommen"]),
        ("extremism", ["Extremism"]),
    ],
)
def test_matched_words_are_marked_in_every_script(multilingual_archive, query, words):
    """Highlighting marks the matched words, whatever their script and inflection."""
    assert marked(query) == words


def test_language_facet_and_filter(multilingual_archive):
    """Each quotation carries its article's language: the facet counts them, and the filter narrows to one."""
    page = search(SearchParams(q="", language="ru", per_page=100))
    assert {hit.object.article.language for hit in page.hits} == {"ru"} and len(page.hits) == 3
    assert found("language:zh") and all(re.search("[\u4e00-\u9fff]", text) for text in found("language:zh"))
