"""The fixed query mix of the search benchmark, drawn deterministically from the synthetic archive.

Seven kinds, in equal shares and a fixed shuffled order:

    common       one of the most frequent policy words                      security
    rare         a made-up word found in only a few quotations              tovkasel
    two_words    two mid-frequency policy words (both must match)           energy pipeline
    phrase       three consecutive words of a real quotation, as a phrase   "cooperation in the"
    speaker      a common word, narrowed to one speaker                     security + speaker rashid-alimov
    document     a common word, narrowed to one document                    treaty + document sco-charter
    date_sorted  a common word, newest first                                cooperation, sort=newest

Each engine (the archive's search page, raw Whoosh, SQLite FTS5) translates a BenchQuery its own way.
"""

from __future__ import annotations

import random
import re
from dataclasses import asdict, dataclass

from bench.synthetic import POLICY_WORDS, STOP_WORDS, LoadStats

KINDS = ("common", "rare", "two_words", "phrase", "speaker", "document", "date_sorted")


@dataclass(frozen=True)
class BenchQuery:
    kind: str
    words: tuple[str, ...]
    phrase: bool = False
    speaker: str = ""  # a person's slug
    document: str = ""  # a document's slug
    sort: str = "relevance"  # or "newest"

    def as_dict(self) -> dict:
        return asdict(self)

    @classmethod
    def from_dict(cls, data: dict) -> BenchQuery:
        return cls(**{**data, "words": tuple(data["words"])})

    @property
    def text(self) -> str:
        """The words as a user would type them (a phrase in double quotes)."""
        joined = " ".join(self.words)
        return f'"{joined}"' if self.phrase else joined


_WORD = re.compile(r"^[a-z]+$")


def query_mix(stats: LoadStats, n: int, seed: int = 6) -> list[BenchQuery]:
    """`n` queries in a fixed order, equal shares of the seven kinds."""
    rng = random.Random(f"query-mix-{seed}")
    df = stats.quotation_word_df
    policy = [w for w in dict.fromkeys(POLICY_WORDS) if df.get(w)]
    common = policy[:8] or ["security"]
    middle = policy[30:200] or policy or common
    made_up = [w for w, c in df.items() if c <= 5 and _WORD.match(w) and w not in POLICY_WORDS and w not in STOP_WORDS]
    made_up.sort(key=lambda w: (df[w], w))
    rare = made_up[:200] or common
    speakers = [slug for slug, _ in sorted(stats.speaker_quotations.items(), key=lambda kv: (-kv[1], kv[0]))[:100]]
    documents = [slug for slug, _ in sorted(stats.document_quotations.items(), key=lambda kv: (-kv[1], kv[0]))[:100]]
    phrases = []
    for sample in stats.samples:
        words = [w.strip(",.").lower() for w in sample.text.split()]
        windows = [tuple(words[i : i + 3]) for i in range(len(words) - 2)]
        # At least two words that are not stop words, so the phrase still means something once they are dropped.
        windows = [w for w in windows if sum(word not in STOP_WORDS for word in w) >= 2 and all(map(_WORD.match, w))]
        if windows:
            phrases.append(rng.choice(windows))
    phrases = phrases or [("security", "cooperation", "region")]

    def make(kind: str) -> BenchQuery:
        if kind == "common":
            return BenchQuery(kind, (rng.choice(common),))
        if kind == "rare":
            return BenchQuery(kind, (rng.choice(rare),))
        if kind == "two_words":
            a, b = rng.sample(middle, 2) if len(middle) > 1 else (middle[0], common[0])
            return BenchQuery(kind, (a, b))
        if kind == "phrase":
            return BenchQuery(kind, rng.choice(phrases), phrase=True)
        if kind == "speaker":
            return BenchQuery(kind, (rng.choice(common),), speaker=rng.choice(speakers) if speakers else "")
        if kind == "document":
            return BenchQuery(kind, (rng.choice(common),), document=rng.choice(documents) if documents else "")
        return BenchQuery(kind, (rng.choice(common),), sort="newest")

    kinds = [KINDS[i % len(KINDS)] for i in range(n)]
    rng.shuffle(kinds)
    return [make(kind) for kind in kinds]
