"""When the council's action plan is due to Ofsted, counted in English working days.

Ofsted expects the written action plan within 70 working days of the report's
publication, and, where the report names areas for priority action, an early draft
within 20 working days. Working days skip weekends and England's bank holidays,
which come from the maintained `holidays` package (it knows the one-off holidays
and substitute days that a hand-kept list would miss).
"""

import datetime
from dataclasses import dataclass
from functools import cache

import holidays

PLAN_WORKING_DAYS = 70
EARLY_DRAFT_WORKING_DAYS = 20


@cache
def _bank_holidays(year: int) -> frozenset[datetime.date]:
    return frozenset(holidays.country_holidays("GB", subdiv="ENG", years=year))


def is_working_day(day: datetime.date) -> bool:
    return day.weekday() < 5 and day not in _bank_holidays(day.year)


def working_days_after(start: datetime.date, count: int) -> datetime.date:
    """The date `count` working days after `start` (the day itself does not count)."""
    day = start
    remaining = count
    while remaining > 0:
        day += datetime.timedelta(days=1)
        if is_working_day(day):
            remaining -= 1
    return day


@dataclass(frozen=True)
class PlanDeadline:
    published: datetime.date
    plan_due: datetime.date
    # Only where the report names areas for priority action.
    early_draft_due: datetime.date | None


def plan_deadline(
    published: datetime.date | None, *, has_priority_actions: bool
) -> PlanDeadline | None:
    """When the action plan (and any early draft) is due; None until the report is published."""
    if published is None:
        return None
    return PlanDeadline(
        published=published,
        plan_due=working_days_after(published, PLAN_WORKING_DAYS),
        early_draft_due=(
            working_days_after(published, EARLY_DRAFT_WORKING_DAYS)
            if has_priority_actions
            else None
        ),
    )
