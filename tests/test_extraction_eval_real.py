"""Integrity of the real-text evaluation set (tests/extraction_eval_real/): every gold label can be
located in its text and every item imports as the same text, so that a score on it means something.

Only the annotations are checked here, not the extractor's scores: the test split is scored once, by
bench/extraction_eval.py, not by the test suite.
"""

import json
from collections import Counter
from datetime import date
from pathlib import Path

import pytest

REAL_DIR = Path(__file__).resolve().parent / "extraction_eval_real"
SPLIT_OF_FOLDER = {"dev": "real-dev", "test": "real-test"}
LANGUAGES = {"en", "ru", "zh", "fr", "es", "ar", "de"}
DOCUMENT_KINDS = {"convention", "treaty", "charter", "declaration", "agreement", "strategy", "resolution", "other"}
MIN_ITEMS_PER_LANGUAGE = 8
MIN_ITEMS_PER_LANGUAGE_AND_SPLIT = 3
MIN_ORGANISATIONS = 12

ITEM_PATHS = sorted(path for folder in SPLIT_OF_FOLDER for path in (REAL_DIR / folder).glob("*.json"))


def load(path: Path) -> dict:
    return json.loads(path.read_text(encoding="utf-8"))


def quotation_offsets(text: str, quotations: list[dict]) -> list[int]:
    """Where each gold quotation is found when searched in order, as the bench searches them."""
    offsets, position = [], 0
    for quotation in quotations:
        start = quotation.get("start", text.find(quotation["text"], position))
        if start < 0:
            start = text.find(quotation["text"])
        assert text[start : start + len(quotation["text"])] == quotation["text"], quotation["text"]
        offsets.append(start)
        position = start + len(quotation["text"])
    return offsets


@pytest.mark.parametrize("path", ITEM_PATHS, ids=lambda path: path.stem)
def test_item_metadata_is_complete_and_matches_its_folder(path):
    """Each item names its language, its split (the one of its folder), source, dates and what was dropped."""
    item = load(path)
    assert item["language"] in LANGUAGES
    assert item["split"] == SPLIT_OF_FOLDER[path.parent.name]
    assert path.stem.startswith(item["language"])
    assert item["title"].strip() == item["title"] and item["title"]
    assert item["source_url"].startswith(("http://", "https://"))
    assert item["organisation"] and item["outlet"]
    assert isinstance(item["dropped"], str) and item["dropped"].strip()
    date.fromisoformat(item["published"])
    assert item["date_line"] is None or (item["date_line"].strip() and "\n" not in item["date_line"])
    assert item["text"].strip() == item["text"] and "\n\n\n" not in item["text"]


@pytest.mark.parametrize("path", ITEM_PATHS, ids=lambda path: path.stem)
def test_every_quotation_is_an_exact_trimmed_substring_with_a_listed_speaker(path):
    """Every gold quotation is in the text, listed in text order without overlaps, and its speaker is listed."""
    item = load(path)
    text, quotations = item["text"], item["quotations"]
    assert quotations, "an item without quotations measures nothing"
    speakers = {speaker["name"] for speaker in item["speakers"]}
    for quotation in quotations:
        assert quotation["text"] and quotation["text"] == quotation["text"].strip(), quotation["text"]
        assert quotation["text"] in text, quotation["text"]
        assert isinstance(quotation["direct"], bool)
        assert quotation["speaker"] is None or quotation["speaker"] in speakers, quotation["speaker"]
    offsets = quotation_offsets(text, quotations)
    assert offsets == sorted(offsets), f"quotations of {path.stem} are not listed in text order"
    spans = sorted(
        zip(offsets, (offset + len(q["text"]) for offset, q in zip(offsets, quotations, strict=True)), strict=True)
    )
    for (_, end), (start, _) in zip(spans, spans[1:], strict=False):
        assert start >= end, f"two gold quotations overlap in {path.stem}"
    for speaker in item["speakers"]:
        assert speaker["name"] in {q["speaker"] for q in quotations}, f"{speaker['name']} is listed but never quoted"


@pytest.mark.parametrize("path", ITEM_PATHS, ids=lambda path: path.stem)
def test_documents_and_links_are_consistent(path):
    """Documents have a known kind and a year or null; links point at a quotation and a listed document."""
    item = load(path)
    names = [document["name"] for document in item["documents"]]
    assert len(names) == len(set(names))
    for document in item["documents"]:
        assert document["kind"] in DOCUMENT_KINDS
        assert document["year"] is None or 1800 < document["year"] < 2100
    for link in item["quotation_documents"]:
        assert 0 <= link["quotation_index"] < len(item["quotations"])
        assert link["documents"] and set(link["documents"]) <= set(names)


@pytest.mark.parametrize("path", ITEM_PATHS, ids=lambda path: path.stem)
def test_plain_text_file_holds_the_same_title_date_line_and_text(path):
    """The import file beside each item has its title, the date line as printed (or the ISO date) and the same body."""
    item = load(path)
    text_file = path.parent / "files" / f"{path.stem}.txt"
    lines = text_file.read_text(encoding="utf-8").split("\n")
    assert lines[0] == item["title"]
    assert lines[1] == (item["date_line"] or item["published"])
    assert lines[2] == ""
    assert "\n".join(lines[3:]).rstrip("\n") == item["text"]


def test_every_json_has_its_text_file_and_every_text_file_its_json():
    """The .json and .txt files come in pairs, with no stray file in either folder."""
    for folder in SPLIT_OF_FOLDER:
        stems = {path.stem for path in (REAL_DIR / folder).glob("*.json")}
        text_stems = {path.stem for path in (REAL_DIR / folder / "files").glob("*.txt")}
        assert stems == text_stems


def test_set_covers_every_language_in_both_splits_and_enough_organisations():
    """At least 8 items per language, 3 per language in each split, 12 organisations, no source used twice."""
    items = [load(path) for path in ITEM_PATHS]
    per_language = Counter(item["language"] for item in items)
    per_language_split = Counter((item["language"], item["split"]) for item in items)
    assert set(per_language) == LANGUAGES
    assert min(per_language.values()) >= MIN_ITEMS_PER_LANGUAGE, per_language
    for language in LANGUAGES:
        for split in SPLIT_OF_FOLDER.values():
            assert per_language_split[(language, split)] >= MIN_ITEMS_PER_LANGUAGE_AND_SPLIT, (language, split)
    assert len({item["organisation"] for item in items}) >= MIN_ORGANISATIONS
    urls = [item["source_url"] for item in items]
    assert len(urls) == len(set(urls))
    stems = [path.stem for path in ITEM_PATHS]
    assert len(stems) == len(set(stems))
