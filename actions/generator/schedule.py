"""A council's inspections from 2016 to today: which kind, when, and the grades.

The pattern follows ILACS (docs/domain.md): a council judged inadequate gets
monitoring visits every few months until it is inspected again; one that requires
improvement gets a focused visit and a standard inspection about three years on;
a good or outstanding one a focused visit and a short inspection. Before 2018 (the
SIF) a graded inspection is a standard one and there are no focused visits. Ofsted
paused inspections from March to September 2020.
"""

import datetime
from dataclasses import dataclass, field

from inspections.frameworks import Grade, JudgementArea, framework_on
from inspections.models import FocusTheme, InspectionKind

ILACS_STARTS = datetime.date(2018, 1, 1)
FIRST_DAY = datetime.date(2016, 1, 11)
PAUSE = (datetime.date(2020, 3, 17), datetime.date(2020, 9, 30))
# No new visit in the last fortnight: "today" is the day the data was made.
QUIET_DAYS = 14

DAYS_ON_SITE = {
    InspectionKind.STANDARD: 11,
    InspectionKind.SHORT: 4,
    InspectionKind.FOCUSED_VISIT: 1,
    InspectionKind.MONITORING_VISIT: 1,
    InspectionKind.JTAI: 4,
}
# The grade a council gets next, given the one before (a random walk, mostly steady).
NEXT_LEVEL = {
    Grade.OUTSTANDING: {1: 60, 2: 35, 3: 5},
    Grade.GOOD: {1: 12, 2: 65, 3: 20, 4: 3},
    Grade.REQUIRES_IMPROVEMENT: {1: 5, 2: 45, 3: 35, 4: 15},
    Grade.INADEQUATE: {2: 15, 3: 60, 4: 25},
}
FIRST_LEVEL = {1: 5, 2: 35, 3: 42, 4: 18}
JTAI_THEMES = (
    FocusTheme.EXTRA_FAMILIAL_RISK,
    FocusTheme.FRONT_DOOR,
    FocusTheme.CHILDREN_IN_NEED_AND_PROTECTION,
    FocusTheme.DISABLED_CHILDREN,
)
FOCUSED_VISIT_THEMES = tuple(theme for theme in FocusTheme if theme != FocusTheme.OTHER)


@dataclass
class Visit:
    kind: str
    start_date: datetime.date
    level: int  # the council's standing at the time: 1 outstanding to 4 inadequate
    focus_theme: str = ""
    visit_number: int | None = None
    grades: dict = field(default_factory=dict)  # JudgementArea: Grade, graded kinds only

    @property
    def end_date(self) -> datetime.date:
        return self.start_date + datetime.timedelta(days=DAYS_ON_SITE[self.kind])

    @property
    def is_graded(self) -> bool:
        return self.kind in (InspectionKind.STANDARD, InspectionKind.SHORT)


def _weighted(rng, weights: dict) -> int:
    return rng.choices(list(weights), weights=list(weights.values()))[0]


def _monday(day: datetime.date) -> datetime.date:
    return day - datetime.timedelta(days=day.weekday())


def _outside_pause(rng, day: datetime.date) -> datetime.date:
    if PAUSE[0] <= day <= PAUSE[1]:
        return PAUSE[1] + datetime.timedelta(days=rng.randint(1, 90))
    return day


def _outside_holidays(day: datetime.date) -> datetime.date:
    """No visits over Christmas and New Year: the second week of January instead."""
    if (day.month, day.day) >= (12, 18):
        return datetime.date(day.year + 1, 1, 8)
    if (day.month, day.day) <= (1, 4):
        return datetime.date(day.year, 1, 8)
    return day


def _after(rng, day: datetime.date, low: int, high: int) -> datetime.date:
    later = day + datetime.timedelta(days=rng.randint(low, high))
    return _monday(_outside_holidays(_outside_pause(rng, later)))


def grades_for(rng, start_date: datetime.date, level: int) -> dict:
    """A grade for every area judged on that date, each near the council's level."""
    grades = {}
    for area in framework_on(start_date).areas:
        if area == JudgementArea.OVERALL_EFFECTIVENESS:
            grades[area] = Grade(level)
        else:
            drift = rng.choices((-1, 0, 1), weights=(15, 70, 15))[0]
            grades[area] = Grade(min(4, max(1, level + drift)))
    return grades


def graded(rng, day: datetime.date, level: int, previous_level: int | None) -> Visit:
    good_before = previous_level is not None and previous_level <= Grade.GOOD
    kind = InspectionKind.SHORT if day >= ILACS_STARTS and good_before else InspectionKind.STANDARD
    return Visit(kind=kind, start_date=day, level=level, grades=grades_for(rng, day, level))


def ungraded(rng, kind: str, day: datetime.date, level: int, number: int | None = None) -> Visit:
    if kind == InspectionKind.FOCUSED_VISIT and day < ILACS_STARTS:
        kind = InspectionKind.JTAI  # no focused visits under the SIF
    theme = ""
    if kind == InspectionKind.FOCUSED_VISIT:
        theme = rng.choice(FOCUSED_VISIT_THEMES)
    elif kind == InspectionKind.JTAI:
        theme = rng.choice(JTAI_THEMES)
    elif kind == InspectionKind.MONITORING_VISIT and rng.random() < 0.6:
        theme = rng.choice(FOCUSED_VISIT_THEMES)
    return Visit(kind=kind, start_date=day, level=level, focus_theme=theme, visit_number=number)


def between(rng, graded_visit: Visit, next_graded: datetime.date) -> list[Visit]:
    """The ungraded visits between two graded inspections."""
    level, start = graded_visit.level, graded_visit.start_date
    visits = []
    if level == Grade.INADEQUATE:
        day, number = _after(rng, start, 90, 150), 1
        while day < next_graded - datetime.timedelta(days=60):
            kind = InspectionKind.MONITORING_VISIT
            visits.append(ungraded(rng, kind, day, level, number))
            day, number = _after(rng, day, 90, 150), number + 1
    else:
        for low, high in ((300, 500), (600, 800)):
            if rng.random() < (0.9 if low == 300 else 0.5):
                day = _after(rng, start, low, high)
                if day < next_graded:
                    visits.append(ungraded(rng, InspectionKind.FOCUSED_VISIT, day, level))
    if rng.random() < 0.3:
        span = max(60, (next_graded - start).days - 60)
        day = _after(rng, start, 60, span)
        if day < next_graded:
            visits.append(ungraded(rng, InspectionKind.JTAI, day, level))
    return visits


def schedule(rng, today: datetime.date, *, first_level: int | None = None) -> list[Visit]:
    """The council's visits in date order, none in the last fortnight."""
    until = today - datetime.timedelta(days=QUIET_DAYS)
    day = _monday(FIRST_DAY + datetime.timedelta(days=rng.randint(0, 600)))
    level = first_level or _weighted(rng, FIRST_LEVEL)
    previous_level = None
    visits = []
    while day <= until:
        visit = graded(rng, day, level, previous_level)
        gap = (540, 900) if level == Grade.INADEQUATE else (1000, 1300)
        next_day = _after(rng, day, *gap)
        visits.append(visit)
        visits.extend(v for v in between(rng, visit, next_day) if v.start_date <= until)
        previous_level, level = level, _weighted(rng, NEXT_LEVEL[Grade(level)])
        day = next_day
    return sorted(visits, key=lambda v: v.start_date)
