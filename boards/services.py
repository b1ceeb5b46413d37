"""Every write about board meetings: keyword-only, one transaction each."""

import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from councils.models import Council, Role
from councils.roles import has_role

from .models import BoardMeeting, BoardSnapshot
from .selectors import meeting_figures


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
    )
    locked.frozen_at = now
    locked.frozen_by = frozen_by
    locked.full_clean()
    locked.save(update_fields=["frozen_at", "frozen_by"])
    meeting.frozen_at, meeting.frozen_by = locked.frozen_at, locked.frozen_by
    return snapshot
