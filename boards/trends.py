"""The plan over time: RAG counts, percent complete, overdue and completed, month by month.

Each point is the plan at the end of a month (the last point: the end of yesterday), for
the council, a finding or a theme. Points come from the daily snapshots
(boards.snapshots); a day with none (before the first, or a day the command missed) is
rebuilt from the timeline (boards.asat, three queries for all such days), so a trend
agrees with the board pages either way. The charts are drawn on the server as SVG
(geometry here, markup in templates/boards/_trend_chart.html), always with a table of
the same figures.
"""

import calendar
import datetime
from dataclasses import dataclass
from functools import cached_property

from django.utils import timezone

from actions.rag import RAG_SEVERITY
from councils.models import Council
from inspections.models import Finding

from . import snapshots
from .asat import Timeline, Totals, end_of_day

MONTHS_SHOWN = 12

# The chart's drawing area, in SVG units (the SVG scales to its box): narrow enough that
# its text stays readable when it is shrunk to a phone's width.
WIDTH, HEIGHT = 400, 220
LEFT, RIGHT, TOP, BOTTOM = 46, 8, 10, 40
FONT = 14
# GOV.UK's colours for the RAG tags' borders (as on the dashboard), as SVG fills.
FILLS = {"red": "#ca3535", "amber": "#ffdd00", "green": "#0f7a52", "blue": "#1d70b8"}


@dataclass(frozen=True)
class TrendPoint:
    day: datetime.date
    totals: Totals
    # Live actions that became complete in the month up to `day` (net of any reopened).
    completed: int

    @property
    def progress(self) -> int | None:
        return self.totals.progress

    @property
    def is_month_end(self) -> bool:
        return self.day.day == _last_day(self.day)

    @property
    def label(self) -> str:
        return f"{self.day:%b}"

    @property
    def short_label(self) -> str:
        return f"{self.day:%b %Y}" if self.is_month_end else f"{self.day:%-d %b %Y}"

    @property
    def long_label(self) -> str:
        return f"{self.day:%B %Y}" if self.is_month_end else f"{self.day:%-d %B %Y}"


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


def trend_days(last: datetime.date) -> list[datetime.date]:
    """The days a trend reads: a month's end before the first shown, then the points."""
    return month_ends(datetime.date(last.year - 2, 1, 1), last, limit=MONTHS_SHOWN + 1)


@dataclass
class Trend:
    title: str
    points: list[TrendPoint]

    @cached_property
    def charts(self) -> dict[str, "Chart"]:
        points = self.points
        return {
            "rag": rag_chart(points),
            "progress": line_chart(points, [p.progress for p in points], top=100, unit="%"),
            "overdue": line_chart(points, [p.totals.overdue for p in points]),
            "completed": bar_chart(points, [p.completed for p in points]),
        }

    def to_json(self) -> dict:
        """Plain JSON, for a frozen meeting's BoardSnapshot."""
        return {
            "title": self.title,
            "points": [
                [p.day.isoformat(), snapshots.encode(p.totals), p.completed] for p in self.points
            ],
        }

    @classmethod
    def from_json(cls, data: dict) -> "Trend":
        points = [
            TrendPoint(datetime.date.fromisoformat(day), snapshots.decode(totals), completed)
            for day, totals, completed in data["points"]
        ]
        return cls(data["title"], points)


def _points(days, figures, key) -> list[TrendPoint]:
    """The subject's points, from its first month with an action in the plan."""
    if not days:
        return []
    totals = [figures[day].get(key) for day in days]
    start = next(
        (i for i, each in enumerate(totals) if each is not None and each.live + each.cancelled),
        len(days),
    )
    points = []
    # The day before the first shown counts what was complete already (nothing, before start).
    before = totals[start - 1] if start > 0 else totals[0]
    for i in range(max(start, 1), len(days)):
        each = totals[i] or snapshots.EMPTY
        completed = each.blue - (before.blue if before else 0)
        points.append(TrendPoint(days[i], each, completed))
        before = each
    return points


def subject_trends(
    council: Council,
    keys: list[str],
    *,
    now: datetime.datetime | None = None,
    finding: Finding | None = None,
    last: datetime.date | None = None,
    rebuild: bool = True,
    timeline: Timeline | None = None,
) -> dict[str, list[TrendPoint]]:
    """Each subject's points (snapshots.COUNCIL, finding_key(pk), theme_key(pk)).

    The last point is `last`, or yesterday (the last day over, which a snapshot can hold).
    With `finding`, a rebuild reads only that finding's timeline: then only its key is right.
    Without `rebuild`, days with no snapshot are left out rather than rebuilt: a council's
    whole timeline takes seconds to replay at national scale, too long for the dashboard.
    A `timeline` the caller has already loaded (the council's) is used for the rebuild.
    """
    now = now or timezone.now()
    yesterday = timezone.localdate(now) - datetime.timedelta(days=1)
    days = trend_days(min(last, yesterday) if last else yesterday)
    figures = snapshots.figures_on(council, days)
    missing = [day for day in days if day not in figures]
    if missing and not rebuild:
        days = [day for day in days if day in figures]
    elif missing:
        timeline = timeline or Timeline.load(council, finding=finding)
        theme_of = snapshots.themes_of(timeline)
        for day in missing:
            plan = timeline.plan_as_at(min(end_of_day(day), now))
            figures[day] = snapshots.subjects_of(plan, theme_of)
    return {key: _points(days, figures, key) for key in keys}


def council_trend(
    council: Council,
    now: datetime.datetime | None = None,
    *,
    last: datetime.date | None = None,
    timeline: Timeline | None = None,
    rebuild: bool = True,
) -> Trend:
    points = subject_trends(
        council, [snapshots.COUNCIL], now=now, last=last, timeline=timeline, rebuild=rebuild
    )
    points = points[snapshots.COUNCIL]
    return Trend(council.name, points)


def finding_trend(finding: Finding, now: datetime.datetime | None = None) -> Trend:
    key = snapshots.finding_key(finding.pk)
    council = finding.inspection.council
    points = subject_trends(council, [key], now=now, finding=finding)[key]
    return Trend(f"{finding.position}. {finding.short_title}", points)


def plan_trends(
    council: Council, themes, now: datetime.datetime | None = None
) -> tuple[Trend, list[Trend]]:
    """The council's trend, and each theme's (those with no action in the plan left out)."""
    keys = {theme.pk: snapshots.theme_key(theme.pk) for theme in themes}
    points = subject_trends(council, [snapshots.COUNCIL, *keys.values()], now=now)
    return Trend(council.name, points[snapshots.COUNCIL]), [
        Trend(theme.name, points[keys[theme.pk]]) for theme in themes if points[keys[theme.pk]]
    ]


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
class XLabel:
    x: float
    label: str
    # Under the month: the year on the first point and each January; "so far" on a month
    # not yet over (the table gives its date).
    under: str


@dataclass(frozen=True)
class Chart:
    width: int
    height: int
    bars: list[Bar]
    line: str  # SVG polyline points, "" for none
    dots: list[tuple[float, float, str]]
    ticks: list[Tick]
    x_labels: list[XLabel]
    baseline: float
    left: int
    right: float
    font: int = FONT


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
    ticks = [Tick(round(TOP + plot_h * (1 - n / 4), 1), f"{round(top * n / 4)}") for n in range(5)]
    labels = [
        XLabel(
            round(LEFT + slot * (i + 0.5), 1),
            point.label,
            f"{point.day:%Y}"
            if i == 0 or point.day.month == 1
            else ("" if point.is_month_end else "so far"),
        )
        for i, point in enumerate(points)
    ]
    return plot_w, plot_h, slot, ticks, labels


def _chart(points, top, *, bars=(), dots=(), unit=""):
    _plot_w, _plot_h, _slot, ticks, labels = _frame(points, top)
    ticks = [Tick(t.y, f"{t.label}{unit}") for t in ticks]
    line = " ".join(f"{x},{y}" for x, y, _ in dots)
    return Chart(
        WIDTH,
        HEIGHT,
        list(bars),
        line,
        list(dots),
        ticks,
        labels,
        HEIGHT - BOTTOM,
        LEFT,
        WIDTH - RIGHT,
    )


def rag_chart(points: list[TrendPoint]) -> Chart:
    """Stacked bars: red at the bottom, then amber, green and blue (complete)."""
    top = _scale(max([sum(p.totals.count(r) for r in RAG_SEVERITY) for p in points] + [1]))
    _plot_w, plot_h, slot, _ticks, _labels = _frame(points, top)
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
                    x=round(LEFT + slot * i + slot * 0.15, 1),
                    y=round(base, 1),
                    width=round(slot * 0.7, 1),
                    height=round(height, 1),
                    fill=FILLS[rag.value],
                    title=f"{point.long_label}: {count} {rag.label.lower()}",
                )
            )
    return _chart(points, top, bars=bars)


def bar_chart(points: list[TrendPoint], values: list[int], *, unit: str = "") -> Chart:
    """One blue bar a point; a value below nought (more reopened than completed) draws none."""
    top = _scale(max([*values, 1]))
    _plot_w, plot_h, slot, _ticks, _labels = _frame(points, top)
    bars = [
        Bar(
            x=round(LEFT + slot * i + slot * 0.15, 1),
            y=round(HEIGHT - BOTTOM - plot_h * value / top, 1),
            width=round(slot * 0.7, 1),
            height=round(plot_h * value / top, 1),
            fill=FILLS["blue"],
            title=f"{points[i].long_label}: {value}{unit}",
        )
        for i, value in enumerate(values)
        if value > 0
    ]
    return _chart(points, top, bars=bars, unit=unit)


def line_chart(
    points: list[TrendPoint], values: list[int | None], *, top: int | None = None, unit: str = ""
) -> Chart:
    """A line through the values (gaps where there is none), on an axis from 0 to `top`."""
    top = top or _scale(max([v or 0 for v in values] + [1]))
    _plot_w, plot_h, slot, _ticks, _labels = _frame(points, top)
    dots = [
        (
            round(LEFT + slot * (i + 0.5), 1),
            round(HEIGHT - BOTTOM - plot_h * value / top, 1),
            f"{points[i].long_label}: {value}{unit}",
        )
        for i, value in enumerate(values)
        if value is not None
    ]
    return _chart(points, top, dots=dots, unit=unit)
