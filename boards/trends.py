"""The plan over time: RAG counts, percent complete and overdue at the end of each month.

Every point is boards.asat's plan as at that moment, from one Timeline load (three
queries), so a trend agrees with the board pages by construction. The charts are
drawn on the server as SVG (geometry here, markup in templates/boards/_trend.html),
always beside a table of the same figures.
"""

import calendar
import datetime
from dataclasses import dataclass

from django.utils import timezone

from actions.rag import RAG_SEVERITY
from councils.models import Council
from inspections.models import Finding

from .asat import Timeline, Totals, end_of_day, finding_state, plan_as_at, totals_of

MONTHS_SHOWN = 12

# The chart's drawing area, in SVG units (the SVG scales to its box).
WIDTH, HEIGHT = 640, 240
LEFT, RIGHT, TOP, BOTTOM = 44, 12, 12, 36
# GOV.UK's colours for the RAG tags' borders (as on the dashboard), as SVG fills.
FILLS = {"red": "#ca3535", "amber": "#ffdd00", "green": "#0f7a52", "blue": "#1d70b8"}


@dataclass(frozen=True)
class TrendPoint:
    day: datetime.date
    totals: Totals
    # For a finding: its progress as the finding pages count it (None with no live actions).
    progress: int | None

    @property
    def label(self) -> str:
        return f"{self.day:%b %Y}" if self.day.day == _last_day(self.day) else f"{self.day:%-d %b}"


def _last_day(day: datetime.date) -> int:
    return calendar.monthrange(day.year, day.month)[1]


def month_ends(first: datetime.date, today: datetime.date, limit: int = MONTHS_SHOWN):
    """The last day of each month from `first` to before today's month, then today."""
    days = []
    year, month = first.year, first.month
    while (year, month) < (today.year, today.month):
        days.append(datetime.date(year, month, calendar.monthrange(year, month)[1]))
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return [*days[-(limit - 1) :], today] if limit > 1 else [today]


def _first_day(timeline: Timeline, today: datetime.date) -> datetime.date:
    starts = [history.start for history in timeline.histories]
    return timezone.localdate(min(starts)) if starts else today


def council_trend(
    council: Council, now: datetime.datetime | None = None
) -> tuple[list[TrendPoint], list[Finding]]:
    """The council's plan at each month's end, and its findings (for links to theirs)."""
    now = now or timezone.now()
    timeline = Timeline.load(council)
    today = timezone.localdate(now)
    points = []
    for day in month_ends(_first_day(timeline, today), today):
        plan = plan_as_at(timeline, min(end_of_day(day), now))
        points.append(TrendPoint(day, plan.totals, plan.totals.progress))
    return points, timeline.findings


def finding_trend(finding: Finding, now: datetime.datetime | None = None) -> list[TrendPoint]:
    now = now or timezone.now()
    timeline = Timeline.load(finding.inspection.council, finding=finding)
    today = timezone.localdate(now)
    points = []
    for day in month_ends(_first_day(timeline, today), today):
        plan = plan_as_at(timeline, min(end_of_day(day), now))
        state = finding_state(finding, plan.actions, plan.clock)
        points.append(TrendPoint(day, totals_of(plan.actions, plan.clock), state.progress))
    return points


# --- Chart geometry --------------------------------------------------------------------------


@dataclass(frozen=True)
class Bar:
    x: float
    y: float
    width: float
    height: float
    fill: str
    title: str


@dataclass(frozen=True)
class Tick:
    y: float
    label: str


@dataclass(frozen=True)
class Chart:
    width: int
    height: int
    bars: list[Bar]
    line: str  # SVG polyline points, "" for none
    dots: list[tuple[float, float, str]]
    ticks: list[Tick]
    x_labels: list[tuple[float, str]]
    baseline: float
    left: int
    right: float


def _scale(top_value: int) -> int:
    """A round top for an axis of four whole steps: 4, 8, 20, 40, 80, 100, 200, 400, ..."""
    step = 1
    while True:
        for factor in (1, 2, 2.5, 5) if step >= 10 else (1, 2, 5):
            if top_value <= 4 * step * factor:
                return int(4 * step * factor)
        step *= 10


def _frame(points, top: int):
    plot_w = WIDTH - LEFT - RIGHT
    plot_h = HEIGHT - TOP - BOTTOM
    slot = plot_w / max(len(points), 1)
    ticks = [Tick(TOP + plot_h * (1 - n / 4), f"{round(top * n / 4)}") for n in range(5)]
    labels = [(LEFT + slot * (i + 0.5), point.label) for i, point in enumerate(points)]
    return plot_w, plot_h, slot, ticks, labels


def rag_chart(points: list[TrendPoint]) -> Chart:
    """Stacked bars: red at the bottom, then amber, green and blue (complete)."""
    top = _scale(max([sum(p.totals.count(r) for r in RAG_SEVERITY) for p in points] + [1]))
    plot_w, plot_h, slot, ticks, labels = _frame(points, top)
    bars = []
    for i, point in enumerate(points):
        base = HEIGHT - BOTTOM
        for rag in RAG_SEVERITY:
            count = point.totals.count(rag)
            if not count:
                continue
            height = plot_h * count / top
            base -= height
            bars.append(
                Bar(
                    x=round(LEFT + slot * i + slot * 0.2, 1),
                    y=round(base, 1),
                    width=round(slot * 0.6, 1),
                    height=round(height, 1),
                    fill=FILLS[rag.value],
                    title=f"{point.label}: {count} {rag.label.lower()}",
                )
            )
    return Chart(WIDTH, HEIGHT, bars, "", [], ticks, labels, HEIGHT - BOTTOM, LEFT, WIDTH - RIGHT)


def line_chart(
    points: list[TrendPoint], values: list[int | None], *, top: int | None = None, unit: str = ""
) -> Chart:
    """A line through the values (gaps where there is none), on an axis from 0 to `top`."""
    top = top or _scale(max([v or 0 for v in values] + [1]))
    plot_w, plot_h, slot, ticks, labels = _frame(points, top)
    dots = []
    for i, value in enumerate(values):
        if value is None:
            continue
        x = round(LEFT + slot * (i + 0.5), 1)
        y = round(HEIGHT - BOTTOM - plot_h * value / top, 1)
        dots.append((x, y, f"{points[i].label}: {value}{unit}"))
    line = " ".join(f"{x},{y}" for x, y, _ in dots)
    ticks = [Tick(t.y, f"{t.label}{unit}") for t in ticks]
    return Chart(WIDTH, HEIGHT, [], line, dots, ticks, labels, HEIGHT - BOTTOM, LEFT, WIDTH - RIGHT)
