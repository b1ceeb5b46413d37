"""Which actions a reminder mentions, and under which heading.

Built on the RAG rules (actions/rag.py) rather than beside them: "overdue" is
rag.is_overdue, "due soon" and "no update" are the Clock's own thresholds
(DUE_SOON_DAYS, STALE_AFTER_DAYS), and the reason shown is rag.assess's. The one
rule of our own is when an overdue action escalates.
"""

import datetime

from django.utils import timezone

from actions.rag import (
    DUE_SOON_DAYS,
    LATE_STATUSES,
    STALE_AFTER_DAYS,
    Clock,
    Rag,
    Status,
    is_overdue,
)

# An action more than this many days overdue, with nothing logged since it fell due,
# goes to the council's managers (once, until someone logs progress again).
ESCALATE_AFTER_DAYS_OVERDUE = 14

WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")

# The owner's digest, in this order: each action under the first heading that fits.
OVERDUE = "overdue"
DUE_SOON = "due_soon"
NO_UPDATE = "no_update"
# The managers' weekly exceptions, in this order.
RED = "red"
AWAITING_SIGN_OFF = "awaiting_sign_off"

HEADINGS = {
    OVERDUE: "Overdue",
    DUE_SOON: f"Due in the next {DUE_SOON_DAYS} days",
    NO_UPDATE: f"No update for {STALE_AFTER_DAYS} days",
    RED: "Red: overdue or blocked",
    AWAITING_SIGN_OFF: "Delivered, awaiting sign-off",
}
OWNER_SECTIONS = (OVERDUE, DUE_SOON, NO_UPDATE)
MANAGER_SECTIONS = (RED, AWAITING_SIGN_OFF, NO_UPDATE)


def _overdue(action, today: datetime.date) -> bool:
    return is_overdue(
        status=action.status,
        due_date=action.due_date,
        revised_due_date=action.revised_due_date,
        today=today,
    )


def _stale(action, clock: Clock) -> bool:
    return action.status in LATE_STATUSES and action.last_progress_at < clock.stale_before


def owner_section(action, clock: Clock) -> str | None:
    """Where the action goes in its owner's digest, or None when it needs nothing from them.

    Only work still to do counts: a delivered action waits for a manager, not the owner.
    """
    if action.status not in LATE_STATUSES:
        return None
    if _overdue(action, clock.today):
        return OVERDUE
    if action.effective_due_date <= clock.due_soon_by:
        return DUE_SOON
    if _stale(action, clock):
        return NO_UPDATE
    return None


def manager_section(action, clock: Clock) -> str | None:
    """Where the action goes in the managers' weekly exceptions, or None."""
    if action.assess(clock).rag == Rag.RED:
        return RED
    if action.status == Status.DELIVERED:
        return AWAITING_SIGN_OFF
    if _stale(action, clock):
        return NO_UPDATE
    return None


def should_escalate(action, clock: Clock) -> bool:
    """More than ESCALATE_AFTER_DAYS_OVERDUE days overdue, nothing logged since it fell due,
    and not escalated since its last progress (`escalated_since_progress`, annotated by
    selectors.actions_needing_attention)."""
    long_ago = clock.today - datetime.timedelta(days=ESCALATE_AFTER_DAYS_OVERDUE)
    return (
        _overdue(action, long_ago)
        and timezone.localdate(action.last_progress_at) <= action.effective_due_date
        and not action.escalated_since_progress
    )


def is_weekly_day(day: datetime.date, weekly_day: str) -> bool:
    return WEEKDAYS[day.weekday()] == weekly_day
