"""Evaluate archive.extraction on the hand-annotated articles of tests/extraction_eval/.

    python bench/extraction_eval.py [--dir tests/extraction_eval] [--split holdout-4] [--errors] [--json]
    python bench/extraction_eval.py --dir tests/extraction_eval_real/dev --summary

For each article: quotation span precision/recall/F1 (direct, indirect and all together),
attribution accuracy over matched quotations, document precision/recall, and precision/recall
of the links between quotations and the documents they mention. Totals are given per split
("dev": articles the rules were tuned on; "holdout", "holdout-2", ...: batches written later, each
first scored before the rules saw it, for an honest view of how the rules generalise; see
tests/extraction_eval/README.md), per language and per organisation (when the articles say theirs,
as the real-text set of tests/extraction_eval_real/ does) and overall. ``--dir`` takes a folder of
articles or a folder of such folders (the real set's ``dev/`` and ``test/``), searched recursively.
Needs no Django. A precision is 1.0 when nothing was predicted, and attribution is 1.0 when no quotation
was matched: read them with the counts of gold and found quotations (q_gold, q_found) beside them.
"""

from __future__ import annotations

import sys
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO_ROOT))

import argparse  # noqa: E402
import json  # noqa: E402
import re  # noqa: E402
from dataclasses import dataclass, field  # noqa: E402

from archive.extraction import extract  # noqa: E402

DEFAULT_DIR = REPO_ROOT / "tests" / "extraction_eval"
OVERLAP_NEEDED = 0.8
# Latin, CJK (full-width and ideographic) and Arabic punctuation: "…delay。" equals "…delay".
SURROUNDING_PUNCTUATION = " \t\n.,;:!?\"'“”„«»‘’‚‹›()[]—–-。，、；：！？「」『』《》（）…،؛؟"


def normalise_span(text: str) -> str:
    """Whitespace collapsed and surrounding punctuation stripped: "…delay," equals "…delay"."""
    return " ".join(text.split()).strip(SURROUNDING_PUNCTUATION).casefold()


def normalise_speaker(name: str | None) -> str:
    return " ".join((name or "").split()).casefold()


def normalise_document(name: str) -> str:
    """Case, a leading "the", hyphens/punctuation and Combating/Combatting-style doubling ignored."""
    key = name.casefold().replace("’", "'")
    key = re.sub(r"([bcdfgklmnprstvz])\1(ing|ed)\b", r"\1\2", key)
    key = re.sub(r"[^\w\s']", " ", key.replace("-", " "))
    key = " ".join(key.split())
    return re.sub(r"^the\s+", "", key)


def documents_match(predicted: str, expected: str) -> bool:
    """Equal names, or equal once a leading organisation acronym ("SCO", "UN") is dropped from one side."""
    if normalise_document(predicted) == normalise_document(expected):
        return True
    acronym = re.compile(r"^[A-ZА-Я]{2,6}\s+")
    return normalise_document(acronym.sub("", predicted)) == normalise_document(acronym.sub("", expected))


@dataclass
class Counts:
    """True positives, predictions and expectations for one measure."""

    hits: int = 0
    predicted: int = 0
    expected: int = 0

    def add(self, other: Counts) -> None:
        self.hits += other.hits
        self.predicted += other.predicted
        self.expected += other.expected

    @property
    def precision(self) -> float:
        return self.hits / self.predicted if self.predicted else 1.0

    @property
    def recall(self) -> float:
        return self.hits / self.expected if self.expected else 1.0

    @property
    def f1(self) -> float:
        total = self.precision + self.recall
        return 2 * self.precision * self.recall / total if total else 0.0


@dataclass
class ArticleScore:
    """All measures for one article (or a sum of articles)."""

    name: str
    split: str = ""
    language: str = ""
    organisation: str = ""
    articles: int = 1
    direct: Counts = field(default_factory=Counts)
    indirect: Counts = field(default_factory=Counts)
    quotations: Counts = field(default_factory=Counts)
    attribution: Counts = field(default_factory=Counts)  # hits = right speaker, expected = matched quotations
    documents: Counts = field(default_factory=Counts)
    links: Counts = field(default_factory=Counts)
    errors: list[str] = field(default_factory=list)

    def add(self, other: ArticleScore) -> None:
        self.articles += other.articles
        for name in ("direct", "indirect", "quotations", "attribution", "documents", "links"):
            getattr(self, name).add(getattr(other, name))

    @property
    def attribution_accuracy(self) -> float:
        return self.attribution.hits / self.attribution.expected if self.attribution.expected else 1.0


def locate_expected(text: str, quotations: list[dict]) -> list[tuple[int, int]]:
    """Offsets of the expected quotations, searched in order (each after the end of the one before)
    so that repeated phrases, and a short quotation that also occurs inside a longer one, land right."""
    spans, position = [], 0
    for quotation in quotations:
        # "start" pins a quotation whose words also occur earlier (in a heading, say).
        start = quotation.get("start", text.find(quotation["text"], position))
        if start < 0:
            start = text.find(quotation["text"])
        if text[start : start + len(quotation["text"])] != quotation["text"]:
            start = -1
        if start < 0:
            raise ValueError(f"expected quotation is not in the text: {quotation['text'][:60]!r}")
        spans.append((start, start + len(quotation["text"])))
        position = start + len(quotation["text"])
    return spans


def spans_match(predicted: tuple[int, int, str], expected: tuple[int, int, str]) -> bool:
    if normalise_span(predicted[2]) == normalise_span(expected[2]):
        return True
    overlap = min(predicted[1], expected[1]) - max(predicted[0], expected[0])
    longer = max(predicted[1] - predicted[0], expected[1] - expected[0])
    return longer > 0 and overlap >= OVERLAP_NEEDED * longer


def match_quotations(predicted: list, expected: list, same_kind_only: bool) -> list[tuple[int, int]]:
    """Greedy one-to-one matching of predicted to expected quotations, in text order."""
    pairs, used = [], set()
    for p_index, (p_start, p_end, p_text, p_direct) in enumerate(predicted):
        for e_index, (e_start, e_end, e_text, e_direct) in enumerate(expected):
            if e_index in used or (same_kind_only and p_direct != e_direct):
                continue
            if spans_match((p_start, p_end, p_text), (e_start, e_end, e_text)):
                pairs.append((p_index, e_index))
                used.add(e_index)
                break
    return pairs


def score_article(path: Path) -> ArticleScore:
    data = json.loads(path.read_text(encoding="utf-8"))
    text = data["text"]
    result = extract(text, title=data.get("title", ""))
    score = ArticleScore(path.stem, data.get("split", "dev"), data.get("language", ""), data.get("organisation", ""))

    predicted = [(q.start, q.end, q.text, q.direct) for q in result.quotations]
    expected_spans = locate_expected(text, data["quotations"])
    expected = [
        (start, end, q["text"], q["direct"]) for (start, end), q in zip(expected_spans, data["quotations"], strict=True)
    ]
    for counts, want_direct in ((score.direct, True), (score.indirect, False)):
        subset_p = [q for q in predicted if q[3] == want_direct]
        subset_e = [q for q in expected if q[3] == want_direct]
        counts.hits = len(match_quotations(subset_p, subset_e, same_kind_only=True))
        counts.predicted, counts.expected = len(subset_p), len(subset_e)
    pairs = match_quotations(predicted, expected, same_kind_only=False)
    score.quotations = Counts(len(pairs), len(predicted), len(expected))

    matched_predicted = {p for p, _ in pairs}
    matched_expected = {e for _, e in pairs}
    for p_index, e_index in pairs:
        want = data["quotations"][e_index]["speaker"]
        got = result.quotations[p_index].speaker
        right = normalise_speaker(got) == normalise_speaker(want)
        score.attribution.hits += right
        score.attribution.expected += 1
        if not right:
            score.errors.append(f"speaker {got!r} instead of {want!r}: {text[expected[e_index][0] :][:50]!r}")
    for index, quotation in enumerate(result.quotations):
        if index not in matched_predicted:
            score.errors.append(f"extra {'direct' if quotation.direct else 'indirect'}: {quotation.text[:70]!r}")
    for index, quotation in enumerate(data["quotations"]):
        if index not in matched_expected:
            score.errors.append(f"missed {'direct' if quotation['direct'] else 'indirect'}: {quotation['text'][:70]!r}")

    expected_documents = [document["name"] for document in data["documents"]]
    predicted_documents = [document.name for document in result.documents]
    score.documents = Counts(
        sum(any(documents_match(p, e) for e in expected_documents) for p in predicted_documents),
        len(predicted_documents),
        len(expected_documents),
    )
    score.documents.hits = min(
        score.documents.hits,
        sum(any(documents_match(p, e) for p in predicted_documents) for e in expected_documents),
    )
    for name in predicted_documents:
        if not any(documents_match(name, e) for e in expected_documents):
            score.errors.append(f"extra document: {name!r}")
    for name in expected_documents:
        if not any(documents_match(p, name) for p in predicted_documents):
            score.errors.append(f"missed document: {name!r}")

    expected_links = {
        (item["quotation_index"], name) for item in data.get("quotation_documents", []) for name in item["documents"]
    }
    to_expected = dict(pairs)
    predicted_links: set[tuple[int, str]] = set()
    for p_index, quotation in enumerate(result.quotations):
        for name in quotation.documents:
            # A link of an unmatched quotation gets an index no expected quotation has.
            e_index = to_expected.get(p_index, -1 - p_index)
            wanted = next((n for i, n in expected_links if i == e_index and documents_match(name, n)), None)
            predicted_links.add((e_index, wanted or name))
    score.links = Counts(len(predicted_links & expected_links), len(predicted_links), len(expected_links))
    for e_index, name in sorted(expected_links - predicted_links):
        score.errors.append(f"missed link: quotation {e_index} -> {name!r}")
    for e_index, name in sorted(predicted_links - expected_links, key=str):
        score.errors.append(f"extra link: quotation {e_index} -> {name!r}")
    return score


def evaluate(directory: Path = DEFAULT_DIR, splits: tuple[str, ...] = ()) -> dict[str, ArticleScore]:
    """Score every article under ``directory`` (or those of ``splits``); returns per-article scores
    plus totals keyed "total:<split>", "language:<code>", "organisation:<name>" (for articles that
    give them) and "total"."""
    scores: dict[str, ArticleScore] = {}
    totals: dict[str, ArticleScore] = {}
    for path in sorted(Path(directory).rglob("*.json")):
        if splits and json.loads(path.read_text(encoding="utf-8")).get("split", "dev") not in splits:
            continue
        score = score_article(path)
        scores[score.name] = score
        groups = [f"total:{score.split}"]
        groups += [f"language:{score.language}"] if score.language else []
        groups += [f"organisation:{score.organisation}"] if score.organisation else []
        for key in groups:
            if key not in totals:
                totals[key] = ArticleScore(key, score.split if key.startswith("total:") else "", articles=0)
            totals[key].add(score)
    overall = ArticleScore("total", articles=0)
    for score in scores.values():
        overall.add(score)
    return {**scores, **dict(sorted(totals.items())), "total": overall}


def as_row(score: ArticleScore) -> dict[str, float | str]:
    return {
        "article": score.name,
        "n": score.articles,
        "q_gold": score.quotations.expected,
        "q_found": score.quotations.predicted,
        "direct_p": score.direct.precision,
        "direct_r": score.direct.recall,
        "indirect_p": score.indirect.precision,
        "indirect_r": score.indirect.recall,
        "all_p": score.quotations.precision,
        "all_r": score.quotations.recall,
        "all_f1": score.quotations.f1,
        "attrib": score.attribution_accuracy,
        "doc_p": score.documents.precision,
        "doc_r": score.documents.recall,
        "link_p": score.links.precision,
        "link_r": score.links.recall,
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--dir", type=Path, default=DEFAULT_DIR, help="folder of annotated articles (*.json)")
    parser.add_argument("--json", action="store_true", help="print the scores as JSON")
    parser.add_argument("--errors", action="store_true", help="list each article's mismatches")
    parser.add_argument("--split", action="append", default=[], help="only this split (may be repeated)")
    parser.add_argument("--summary", action="store_true", help="only the totals, not each article")
    args = parser.parse_args(argv)
    if not Path(args.dir).is_dir():
        parser.error(f"no such folder: {args.dir}")
    scores = evaluate(args.dir, tuple(args.split))
    if len(scores) == 1:
        parser.error(f"no annotated articles (*.json) under {args.dir}")
    rows = [as_row(score) for score in scores.values()]
    if args.json:
        print(json.dumps(rows, indent=2))
        return 0
    columns = list(rows[0])
    counts, measures = columns[1:4], columns[4:]
    width = 44 + 8 * len(counts) + 11 * len(measures)
    print(f"{'article':44}" + "".join(f"{c:>8}" for c in counts) + "".join(f"{c:>11}" for c in measures))
    previous_group = None
    for row, score in zip(rows, scores.values(), strict=True):
        group = row["article"].split(":")[0] if ":" in row["article"] or row["article"] == "total" else ""
        if args.summary and not group:
            continue
        if group != previous_group and group:
            print("-" * width)
        previous_group = group
        print(
            f"{row['article'][:44]:44}"
            + "".join(f"{row[c]:>8}" for c in counts)
            + "".join(f"{row[c]:>11.3f}" for c in measures)
        )
        if args.errors and not group:
            for error in score.errors:
                print(f"    {error}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
