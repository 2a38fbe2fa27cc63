"""Time archive.extraction on hostile and very long inputs: seconds per input and per MB, at two sizes.

    python bench/extraction_speed.py [--scale 1] [--growth 4]

Each input is run at `scale` and at `scale * growth`; the ratio of the two times tells whether the work grows in
proportion to the length (a ratio near `growth`) or faster (a quadratic step gives about growth squared). The test
suite runs the same inputs, smaller, for correctness only (tests/test_extraction.py); speed is measured here.
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from archive.extraction import extract  # noqa: E402


def hostile_inputs(scale: float = 1.0) -> dict[str, str]:
    """Thousands of quotation marks, unbalanced marks, long prose; `scale` 1 gives the sizes that once took minutes."""

    def times(count: int) -> int:
        return max(1, round(count * scale))

    return {
        "10,000 straight quotes": '"' * times(10_000),
        "10,000 curly openers": "“" * times(10_000),
        "10,000 guillemets": "«" * times(5_000) + "»" * times(5_000),
        "10,000 single quotes in one paragraph": "He said 'a " * times(10_000),
        "unbalanced marks in one sentence": "“a ‘b „c «d » said Mr Smith. " * times(2_000),
        "1 MB of prose with quotations": (
            'Mr John Smith, the Foreign Minister of Ruritania, said that the Treaty on Things was good. "We will not '
            'give up," he said. '
        )
        * times(8_000),
        "300 kB of short sentences with pronouns": (
            'Mr Tom Hart met Ms Ana Lee. "Yes," he said. She agreed. He said so. '
        )
        * times(4_000),
        "300 kB in one paragraph with apostrophes": "the states' decision 'is final' and Kazakhstan's view "
        * times(6_000),
    }


def seconds_to_extract(text: str) -> float:
    started = time.perf_counter()
    extract(text)
    return time.perf_counter() - started


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scale", type=float, default=1.0)
    parser.add_argument("--growth", type=float, default=4.0)
    args = parser.parse_args()
    print(f"load average {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
    small, large = hostile_inputs(args.scale), hostile_inputs(args.scale * args.growth)
    print(f"{'input':45} {'chars':>9} {'s':>7} {'s/MB':>7} {'x' + str(args.growth):>7} {'ratio':>6}")
    for name, text in small.items():
        first, second = seconds_to_extract(text), seconds_to_extract(large[name])
        per_mb = first / max(len(text), 1) * 1_000_000
        print(f"{name:45} {len(text):9,} {first:7.2f} {per_mb:7.1f} {second:7.2f} {second / max(first, 1e-9):6.1f}")


if __name__ == "__main__":
    main()
