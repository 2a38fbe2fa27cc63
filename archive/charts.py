"""Charts drawn on the server as SVG, so they show without JavaScript and can be read as text too.

`timeline(counts)` turns {year: count} into the geometry of a bar chart; templates/archive/_timeline.html draws
it as inline SVG (role="img" with a <title> and <desc>) followed by the same figures as a table.
"""

from dataclasses import dataclass, field

from django.utils.translation import gettext

from archive.templatetags.archive_tags import pluralise

WIDTH = 320
HEIGHT = 150
MARGIN_LEFT = 30
MARGIN_RIGHT = 8
MARGIN_TOP = 12
MARGIN_BOTTOM = 24
MAX_LABELS = 6


@dataclass(frozen=True)
class Bar:
    year: int
    count: int
    x: float
    y: float
    width: float
    height: float
    label_x: float
    show_label: bool
    url: str = ""  # where the bar leads (the search narrowed to its year), if anywhere


@dataclass(frozen=True)
class Tick:
    value: int
    y: float


@dataclass
class Timeline:
    """A year-by-year bar chart: bars, y-axis ticks, and the sentence that says what it shows."""

    title: str
    noun: str = "statement"  # what is counted, as `pluralise` takes it
    bars: list[Bar] = field(default_factory=list)
    ticks: list[Tick] = field(default_factory=list)
    width: int = WIDTH
    height: int = HEIGHT
    baseline: float = HEIGHT - MARGIN_BOTTOM
    left: int = MARGIN_LEFT
    right: int = WIDTH - MARGIN_RIGHT
    label_y: float = HEIGHT - 6

    @property
    def total(self) -> int:
        return sum(bar.count for bar in self.bars)

    @property
    def summary(self) -> str:
        """One sentence a screen reader (or anyone) can take in instead of the picture."""
        if not self.total:
            return gettext("No statements yet.")
        first, last = self.bars[0].year, self.bars[-1].year
        peak = max(self.bars, key=lambda bar: (bar.count, bar.year))
        figures = {"counted": pluralise(self.total, self.noun), "first": first, "last": last}
        if first == last:
            return gettext("%(counted)s in %(first)s.") % figures
        figures.update(peak=peak.year, peak_count=peak.count)
        return gettext("%(counted)s from %(first)s to %(last)s; most in %(peak)s (%(peak_count)s).") % figures


def _nice_step(maximum: int) -> int:
    for step in (1, 2, 5, 10, 20, 25, 50, 100, 200, 250, 500, 1000, 2000, 5000):
        if maximum / step <= 4:
            return step
    return max(1, maximum // 4)


def timeline(
    counts: dict[int, int],
    title: str = "",
    links: dict[int, str] | None = None,
    noun: str = "statement",
) -> Timeline:
    """Bars for every year from the first to the last with statements (empty years drawn as gaps); `links` gives a
    bar's address by year, `noun` what is counted (one of the nouns `pluralise` translates)."""
    chart = Timeline(title=title or gettext("Statements per year"), noun=noun)
    links = links or {}
    counts = {year: n for year, n in counts.items() if year is not None}
    if not counts:
        return chart
    years = list(range(min(counts), max(counts) + 1))
    maximum = max(counts.values())
    step = _nice_step(maximum)
    top = max(step * -(-maximum // step), 1)
    plot_height = chart.baseline - MARGIN_TOP
    slot = (chart.right - chart.left) / len(years)
    bar_width = min(slot * 0.7, 36)
    label_every = -(-len(years) // MAX_LABELS)
    for index, year in enumerate(years):
        count = counts.get(year, 0)
        height = plot_height * count / top
        x = chart.left + slot * index + (slot - bar_width) / 2
        chart.bars.append(
            Bar(
                year=year,
                count=count,
                x=round(x, 1),
                y=round(chart.baseline - height, 1),
                width=round(bar_width, 1),
                height=round(height, 1),
                label_x=round(x + bar_width / 2, 1),
                show_label=(len(years) - 1 - index) % label_every == 0,
                url=links.get(year, "") if count else "",
            )
        )
    chart.ticks = [
        Tick(value, round(chart.baseline - plot_height * value / top, 1)) for value in range(0, top + 1, step)
    ]
    return chart
