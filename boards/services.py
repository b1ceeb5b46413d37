"""Every write about board meetings: keyword-only, one transaction each."""

import datetime
from dataclasses import dataclass, field

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from councils.models import Council, Role
from councils.roles import has_role

from . import snapshots
from .asat import Timeline, end_of_day
from .models import BoardMeeting, BoardSnapshot, DailySnapshot
from .selectors import meeting_figures
from .trends import council_trend, trend_days

# A council missing more days than this (the scheduler was down) gets only the latest
# ones; its trends rebuild the days in the gap from the timeline.
CATCH_UP_DAYS = 31


def _require_manager(user, council: Council) -> None:
    if not has_role(user, council, Role.MANAGER):
        raise PermissionDenied("Only a manager at this council can do that.")


@transaction.atomic
def meeting_create(
    *,
    council: Council,
    held_on: datetime.date,
    board: str,
    created_by,
    chair: str = "",
    notes: str = "",
) -> BoardMeeting:
    _require_manager(created_by, council)
    meeting = BoardMeeting(
        council=council,
        held_on=held_on,
        board=board.strip(),
        chair=chair.strip(),
        notes=notes.strip(),
        created_by=created_by,
    )
    meeting.full_clean()
    meeting.save()
    return meeting


def freeze_refusal(meeting: BoardMeeting, today: datetime.date | None = None) -> str:
    """Why the meeting's figures cannot be frozen now ('' when they can)."""
    today = today or timezone.localdate()
    if meeting.is_frozen:
        return (
            f"The figures for this meeting were frozen on "
            f"{timezone.localtime(meeting.frozen_at):%-d %B %Y at %-I:%M%p}."
        )
    if meeting.held_on > today:
        return "You can freeze the figures on the day of the meeting or after it."
    return ""


@transaction.atomic
def meeting_freeze(
    *, meeting: BoardMeeting, frozen_by, now: datetime.datetime | None = None
) -> BoardSnapshot:
    """Store the plan as at the meeting, and what had changed, for the record.

    From then on the meeting's pages and pack read these figures, so a later
    correction to the timeline never changes what the board was shown.
    """
    locked = BoardMeeting.objects.select_for_update().select_related("council").get(pk=meeting.pk)
    _require_manager(frozen_by, locked.council)
    now = now or timezone.now()
    refusal = freeze_refusal(locked, timezone.localdate(now))
    if refusal:
        raise ValidationError(refusal)
    figures = meeting_figures(locked, now=now)
    snapshot = BoardSnapshot.objects.create(
        meeting=locked,
        as_at=figures.plan.moment,
        figures=figures.plan.to_json(),
        changes=figures.changes.to_json() if figures.changes else None,
        trend=council_trend(locked.council, now, last=locked.held_on).to_json(),
    )
    locked.frozen_at = now
    locked.frozen_by = frozen_by
    locked.full_clean()
    locked.save(update_fields=["frozen_at", "frozen_by"])
    meeting.frozen_at, meeting.frozen_by = locked.frozen_at, locked.frozen_by
    return snapshot


@dataclass
class SnapshotResult:
    # (council, day) of each snapshot this run stored.
    taken: list[tuple[Council, datetime.date]] = field(default_factory=list)
    # Councils whose snapshot for the day was already there (an earlier run, or another copy).
    already: list[Council] = field(default_factory=list)


def _days_to_take(latest: datetime.date | None, day: datetime.date) -> list[datetime.date]:
    if latest is None:
        # A council's first run also stores the month ends a trend shows, so that trends
        # read snapshots from the start rather than rebuilding a year until there are some.
        return trend_days(day)
    first = max(
        latest + datetime.timedelta(days=1), day - datetime.timedelta(days=CATCH_UP_DAYS - 1)
    )
    return [first + datetime.timedelta(days=n) for n in range((day - first).days + 1)]


def take_council_snapshots(
    *, council: Council, day: datetime.date, now: datetime.datetime | None = None
) -> list[datetime.date]:
    """Store the council's figures at the end of `day`, and of any day missed since the last.

    Only a day that is over: its figures never change after, except by a correction to
    the past, which a snapshot is there to ignore. Each day's snapshot is created at most
    once (the unique constraint; get_or_create takes the other copy's when two race).
    """
    now = now or timezone.now()
    if day >= timezone.localdate(now):
        raise ValidationError("Snapshots are taken only of a day that is over.")
    latest, state = snapshots.latest_state(council)
    days = _days_to_take(latest, day)
    if not days:
        return []
    timeline = Timeline.load(council)
    theme_of = snapshots.themes_of(timeline)
    taken = []
    previous = latest
    for each in days:
        plan = timeline.plan_as_at(end_of_day(each))
        now_figures = {
            key: snapshots.encode(totals)
            for key, totals in snapshots.subjects_of(plan, theme_of).items()
        }
        # Full on a month's first day (readers start there) and after a gap or none.
        gap = previous is None or each != previous + datetime.timedelta(days=1)
        full = gap or each.day == 1
        with transaction.atomic():
            _snapshot, created = DailySnapshot.objects.get_or_create(
                council=council,
                day=each,
                defaults={
                    "as_at": plan.moment,
                    "is_full": full,
                    "figures": now_figures if full else snapshots.delta(state, now_figures),
                },
            )
        state, previous = now_figures, each
        if created:
            taken.append(each)
    return taken


def take_daily_snapshots(
    *, day: datetime.date, now: datetime.datetime | None = None
) -> SnapshotResult:
    """take_council_snapshots for every active council with findings."""
    result = SnapshotResult()
    councils = Council.objects.filter(is_active=True, inspections__findings__isnull=False)
    for council in councils.distinct().order_by("name"):
        taken = take_council_snapshots(council=council, day=day, now=now)
        result.taken.extend((council, each) for each in taken)
        if day not in taken:
            result.already.append(council)
    return result
