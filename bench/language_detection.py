"""Accuracy of language detection on the evaluation articles, for choosing and checking the detector.

    python bench/language_detection.py [--dir tests/extraction_eval --dir tests/extraction_eval_real]

Every article's annotated ``language`` is compared with what the detector says for three texts of decreasing
length: the title and the whole body (what the importer gives it), the first paragraph alone, and the title
alone. The archive's detector (archive.extraction.language_id: py3langid restricted to the held languages) is
always measured; lingua (lingua-language-detector, restricted to the same languages) too when it is installed
(`pip install lingua-language-detector`: a 96 MB wheel, not a dependency of the archive). Prints accuracy per
set and text, the articles per language, every miss, and the seconds taken (the first call loads the model).
Needs no Django.
"""

from __future__ import annotations

import sys
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO_ROOT))

import argparse  # noqa: E402
import json  # noqa: E402
import time  # noqa: E402
from collections import Counter  # noqa: E402

from archive.extraction.language_id import HELD_LANGUAGES, detect_language  # noqa: E402

DEFAULT_DIRS = [REPO_ROOT / "tests" / "extraction_eval", REPO_ROOT / "tests" / "extraction_eval_real"]
TEXTS = {
    "title + body": lambda a: f"{a['title']}\n{a['text']}",
    "first paragraph": lambda a: a["text"].split("\n\n")[0],
    "title": lambda a: a["title"],
}


def lingua_detector():
    """lingua restricted to the held languages, or None when it is not installed."""
    try:
        from lingua import IsoCode639_1, LanguageDetectorBuilder
    except ImportError:
        return None
    codes = [getattr(IsoCode639_1, code.upper()) for code in HELD_LANGUAGES]
    detector = LanguageDetectorBuilder.from_iso_codes_639_1(*codes).build()

    def detect(text: str) -> str:
        found = detector.detect_language_of(text)
        return found.iso_code_639_1.name.lower() if found else ""

    return detect


def articles_in(folder: Path) -> list[dict]:
    return [json.loads(path.read_text(encoding="utf-8")) for path in sorted(folder.rglob("*.json"))]


def measure(name: str, detect, sets: dict[str, list[dict]]) -> None:
    for set_name, articles in sets.items():
        for text_name, text_of in TEXTS.items():
            started = time.perf_counter()
            misses = [(a, got) for a in articles if (got := detect(text_of(a))) != a["language"]]
            seconds = time.perf_counter() - started
            right = len(articles) - len(misses)
            print(
                f"{name:10} {set_name:28} {text_name:16} {right:3}/{len(articles):<3} "
                f"= {right / len(articles):.3f}   {seconds:6.2f} s"
            )
            for article, got in misses:
                print(f"{'':12}miss: {article['language']} taken for {got or '?'}: {text_of(article)[:70]!r}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--dir", action="append", type=Path, help="folder of annotated articles (repeatable)")
    args = parser.parse_args()
    sets = {}
    for folder in args.dir or DEFAULT_DIRS:
        if folder.is_dir():
            name = folder.relative_to(REPO_ROOT) if folder.is_relative_to(REPO_ROOT) else folder
            sets[str(name)] = articles_in(folder)
    for set_name, articles in sets.items():
        per_language = sorted(Counter(article["language"] for article in articles).items())
        print(f"{set_name}: {len(articles)} articles, " + ", ".join(f"{k} {v}" for k, v in per_language))
    measure("py3langid", detect_language, sets)
    lingua = lingua_detector()
    if lingua is None:
        print("lingua: not installed (pip install lingua-language-detector to compare)")
    else:
        measure("lingua", lingua, sets)


if __name__ == "__main__":
    main()
