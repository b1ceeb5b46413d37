"""Daily snapshots: the plan's figures at the end of each day, stored compactly.

A snapshot holds, for each subject (the council, each finding, each theme), the same
Totals a rebuild from the timeline gives (boards.asat), as a list in FIELDS order, but
only for the subjects whose figures changed since the snapshot before. Reading the
figures on some days folds the snapshots forward from the last full one, in one query.
"""

import datetime
from collections import defaultdict
from dataclasses import astuple, fields

from django.db.models import Subquery, Value
from django.db.models.functions import Coalesce

from councils.models import Council

from .asat import PlanAsAt, Timeline, Totals, totals_of
from .models import DailySnapshot

FIELDS = tuple(spec.name for spec in fields(Totals))

COUNCIL = "council"


def finding_key(pk: int) -> str:
    return f"finding:{pk}"


def theme_key(pk: int) -> str:
    return f"theme:{pk}"


def encode(totals: Totals) -> list:
    return list(astuple(totals))


def decode(row: list) -> Totals:
    return Totals(*row)


def themes_of(timeline: Timeline) -> dict[int, int | None]:
    """Each finding's theme, by the finding's pk."""
    return {finding.pk: finding.theme_id for finding in timeline.findings}


def subjects_of(plan: PlanAsAt, theme_of: dict[int, int | None]) -> dict[str, Totals]:
    """The totals of the whole plan, of each finding and of each theme (that has actions)."""
    clock = plan.clock
    by_finding, by_theme = defaultdict(list), defaultdict(list)
    for state in plan.actions:
        by_finding[state.finding_pk].append(state)
        theme = theme_of.get(state.finding_pk)
        if theme is not None:
            by_theme[theme].append(state)
    subjects = {COUNCIL: plan.totals}
    for finding in plan.findings:
        subjects[finding_key(finding.pk)] = totals_of(by_finding[finding.pk], clock)
    for theme, states in by_theme.items():
        subjects[theme_key(theme)] = totals_of(states, clock)
    return subjects


def delta(before: dict[str, list], now: dict[str, list]) -> dict[str, list | None]:
    """What a snapshot stores: the subjects that changed, and None for those gone."""
    changed = {key: row for key, row in now.items() if before.get(key) != row}
    gone = {key: None for key in before if key not in now}
    return {**changed, **gone}


def apply(state: dict[str, list], snapshot_figures: dict, *, full: bool) -> dict[str, list]:
    """The subjects' figures after one more snapshot (a full one replaces everything)."""
    state = {} if full else dict(state)
    for key, row in snapshot_figures.items():
        if row is None:
            state.pop(key, None)
        else:
            state[key] = row
    return state


def _rows_from_last_full(council: Council, first: datetime.date, last: datetime.date):
    """The council's snapshots from the last full one on or before `first`, up to `last`.

    One query: the start is a subquery. With no full snapshot by `first`, from the
    council's earliest (whose first one is always full).
    """
    start = (
        DailySnapshot.objects.filter(council=council, is_full=True, day__lte=first)
        .order_by("-day")
        .values("day")[:1]
    )
    rows = DailySnapshot.objects.filter(
        council=council,
        day__lte=last,
        day__gte=Coalesce(Subquery(start), Value(datetime.date.min)),
    )
    return rows.order_by("day").values_list("day", "is_full", "figures")


def figures_on(council: Council, days: list[datetime.date]) -> dict[datetime.date, dict]:
    """For each of `days` that has a snapshot, every subject's Totals at that day's end.

    One query (the rows from the last full snapshot's day, a subquery), whatever the days.
    """
    if not days:
        return {}
    wanted = set(days)
    found = {}
    state: dict[str, list] = {}
    for day, is_full, figures in _rows_from_last_full(council, min(days), max(days)):
        state = apply(state, figures, full=is_full)
        if day in wanted:
            found[day] = {key: decode(row) for key, row in state.items()}
    return found


def latest_state(council: Council) -> tuple[datetime.date | None, dict[str, list]]:
    """The day of the council's latest snapshot and every subject's figures then."""
    latest = (
        DailySnapshot.objects.filter(council=council).order_by("-day").values_list("day").first()
    )
    if latest is None:
        return None, {}
    state: dict[str, list] = {}
    for _day, is_full, figures in _rows_from_last_full(council, latest[0], latest[0]):
        state = apply(state, figures, full=is_full)
    return latest[0], state


# A subject's figures on a day it had no actions.
EMPTY = Totals(
    live=0,
    progress=None,
    red=0,
    amber=0,
    green=0,
    blue=0,
    cancelled=0,
    overdue=0,
    delivered=0,
    stale=0,
)
