"""Every write to an action plan goes through here.

Each function is one transaction: it locks the action, checks the rule, writes
an entry in the action's timeline and changes the action to match. Status and
percent complete change nowhere else.
"""

import datetime
from pathlib import Path

from django.contrib.auth.hashers import make_password
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone

from councils.models import Role, User
from councils.roles import has_role, ranks_at_least, role_at
from inspections.models import Finding

from .models import Action, Priority, ProgressUpdate, UpdateKind
from .rag import CLOSED_STATUSES, Clock, Status, is_overdue
from .selectors import percent_before_delivery
from .validators import validate_evidence_file

# What someone logging progress may choose. Complete comes only from a sign-off,
# cancelled only from a manager's decision.
LOGGABLE_STATUSES = (Status.NOT_STARTED, Status.IN_PROGRESS, Status.BLOCKED, Status.DELIVERED)


class StaleVersion(ValidationError):
    """Someone else saved the action after this form was opened."""


def council_of(action: Action):
    return action.finding.inspection.council


def _role(user, action: Action, known) -> Role | None:
    """The user's role at the action's council. `known` is (council, role) when the
    caller has read the role already (a page about an action of the current council
    has); it is used only if that council is the action's."""
    if known is not None and known[0].pk == action.finding.inspection.council_id:
        return known[1]
    return role_at(user, council_of(action))


def can_log_progress(user, action: Action, *, known_role=None) -> bool:
    """Whether the user may log progress on the action (`known_role`: see _role)."""
    role = _role(user, action, known_role)
    if ranks_at_least(role, Role.MANAGER):
        return True
    if not ranks_at_least(role, Role.STAFF):
        return False
    # Through all(): the action's page has the contributors prefetched already.
    return action.owner_id == user.pk or any(
        person.pk == user.pk for person in action.contributors.all()
    )


def can_manage(user, action: Action, *, known_role=None) -> bool:
    """Whether the user may edit, revise and sign off the action (`known_role`: see _role)."""
    return ranks_at_least(_role(user, action, known_role), Role.MANAGER)


def _require_member(user, council) -> None:
    """Owners and contributors must be active members of the action's council."""
    if user is None:
        return
    if not user.is_active:
        raise ValidationError(
            f"{user}'s account has been deactivated, so they cannot take on actions."
        )
    if not has_role(user, council, Role.STAFF):
        raise ValidationError(
            f"{user} is not a member of {council}, so cannot take on its actions."
        )


def sign_off_refusal(user, action: Action) -> str:
    """Why this user may not sign this action off now ('' when they may).

    The one statement of the rule, for the service and for the pages that decide
    whether to offer a sign-off at all.
    """
    if not can_manage(user, action):
        return "Only a manager at this council can sign off actions."
    if action.status != Status.DELIVERED:
        return (
            "Only a delivered action can be signed off; this one is "
            f"{action.get_status_display().lower()}."
        )
    if action.owner_id == user.pk and not user.is_superuser:
        return "You own this action, so another manager must sign it off."
    return ""


def _require_manager(user, action: Action) -> None:
    if not can_manage(user, action):
        raise PermissionDenied("Only a manager at this council can do that.")


def _require_reason(reason: str, message: str) -> None:
    if not (reason or "").strip():
        raise ValidationError({"reason": message})


def _lock_for_manager(action: Action, manager) -> Action:
    _require_manager(manager, action)
    return _locked(action)


def validate_progress(*, action: Action, status: str, percent_complete: int, note: str) -> None:
    """The rules for a progress update, for forms to show before anything is written."""
    errors = {}
    if action.status in CLOSED_STATUSES:
        raise ValidationError(
            f"This action is {action.get_status_display().lower()}, so progress can no longer be "
            "logged. Ask a manager to reopen it."
        )
    if status not in LOGGABLE_STATUSES:
        errors["status"] = (
            "Choose not started, in progress, blocked or delivered. An action becomes complete "
            "when a manager signs it off."
        )
    if percent_complete is None or not 0 <= percent_complete <= 100:
        errors["percent_complete"] = "Percent complete must be a whole number from 0 to 100."
    elif status == Status.DELIVERED and percent_complete != 100:
        errors["percent_complete"] = "A delivered action is 100% complete: enter 100."
    if not (note or "").strip():
        errors["note"] = "Enter a note saying what has happened."
    if errors:
        raise ValidationError(errors)


def _locked(action: Action, expected_version: int | None = None) -> Action:
    locked = (
        Action.objects.select_for_update()
        .select_related("finding__inspection__council")
        .get(pk=action.pk)
    )
    if expected_version is not None and locked.version != expected_version:
        raise StaleVersion(
            "Someone else changed this action while you were editing it. "
            "Your changes have not been saved: check the action as it is now, then try again."
        )
    return locked


def _entry(
    action: Action,
    *,
    author,
    kind: str,
    note: str,
    status: str,
    percent_complete: int,
    evidence_url: str = "",
    evidence_file=None,
    at: datetime.datetime,
    due_dates: tuple[datetime.date, datetime.date] | None = None,
) -> ProgressUpdate:
    """Write one timeline entry (the action itself is left as it is)."""
    previous_due_date, new_due_date = due_dates or (None, None)
    update = ProgressUpdate(
        action=action,
        council_id=action.finding.inspection.council_id,
        author=author,
        kind=kind,
        created_at=at,
        note=note.strip(),
        previous_status=action.status,
        status=status,
        previous_percent=action.percent_complete,
        percent_complete=percent_complete,
        evidence_url=evidence_url or "",
        previous_due_date=previous_due_date,
        new_due_date=new_due_date,
    )
    if evidence_file is not None:
        validate_evidence_file(evidence_file)
        update.evidence_file_name = Path(evidence_file.name).name[:255]
        update.evidence_file = evidence_file
    # The fields' own checks and the model's clean(); the check constraints, which say
    # the same things, are left to the database rather than asked one query each.
    update.full_clean(validate_constraints=False)
    update.save()
    return update


def _record(
    action: Action,
    *,
    author,
    kind: str,
    note: str,
    status: str,
    percent_complete: int,
    evidence_url: str = "",
    evidence_file=None,
    extra_fields: dict | None = None,
    recorded_at: datetime.datetime | None = None,
    due_dates: tuple[datetime.date, datetime.date] | None = None,
) -> ProgressUpdate:
    """Write a timeline entry and change the action to match, raising its version."""
    # An import or the demo may record an update as at an earlier date.
    at = recorded_at or timezone.now()
    update = _entry(
        action,
        author=author,
        kind=kind,
        note=note,
        status=status,
        percent_complete=percent_complete,
        evidence_url=evidence_url,
        evidence_file=evidence_file,
        at=at,
        due_dates=due_dates,
    )

    fields = {"status": status, "percent_complete": percent_complete, **(extra_fields or {})}
    for name, value in fields.items():
        setattr(action, name, value)
    latest = action.updates.aggregate(latest=Max("created_at"))["latest"]
    action.last_progress_at = max(latest or at, at)
    # The row is locked (select_for_update), so a plain increment is safe.
    action.version += 1
    # The timeline rules were checked above; the constraints hold in the database.
    action.full_clean(validate_constraints=False)
    # A save, not a queryset update, so the audit trail records the change, its
    # author and the kind of entry that caused it.
    action._history_user = author
    action._change_reason = UpdateKind(kind).label
    action.save(update_fields=[*fields, "last_progress_at", "version", "updated_at"])
    return update


@transaction.atomic
def action_create(
    *,
    finding: Finding,
    title: str,
    owner,
    due_date: datetime.date,
    created_by,
    description: str = "",
    success_measure: str = "",
    lead_service: str = "",
    priority: int = Priority.MEDIUM,
    start_date: datetime.date | None = None,
    contributors=(),
    recorded_at: datetime.datetime | None = None,
) -> Action:
    if not has_role(created_by, finding.inspection.council, Role.MANAGER):
        raise PermissionDenied("Only a manager at this council can add actions.")
    _require_member(owner, finding.inspection.council)
    for contributor in contributors:
        _require_member(contributor, finding.inspection.council)
    action = Action(
        finding=finding,
        title=title,
        owner=owner,
        due_date=due_date,
        description=description,
        success_measure=success_measure,
        lead_service=lead_service,
        priority=priority,
        start_date=start_date,
        last_progress_at=recorded_at or timezone.now(),
    )
    action.full_clean()
    action._history_user = created_by
    action.save()
    if contributors:
        action.contributors.set(contributors)
    return action


def _names(people) -> str:
    return ", ".join(sorted(str(person) for person in people))


@transaction.atomic
def action_edit(
    *, action: Action, editor, expected_version: int, reason: str = "", **fields
) -> Action:
    """Change what an action is (title, owner, dates...), never its status or progress.

    A new owner or a change of contributors is also written in the action's
    timeline ("Reassigned from A to B"), with the reason when one is given: boards
    ask who held an action, and since when.
    """
    forbidden = {
        "status",
        "percent_complete",
        "signed_off_by",
        "signed_off_at",
        "version",
        "due_date",
        "revised_due_date",
    }
    if forbidden & fields.keys():
        raise ValueError(
            f"Use the progress services to change {', '.join(sorted(forbidden & fields.keys()))}"
        )
    _require_manager(editor, action)
    council = council_of(action)
    finding = fields.get("finding")
    if finding is not None and finding.inspection.council_id != council.pk:
        raise PermissionDenied("An action can only move to another finding of the same council.")
    contributors = fields.pop("contributors", None)
    locked = _locked(action, expected_version)
    previous_owner = locked.owner
    # Only people newly given the action must be active members now: someone who
    # has left can stay on record as its owner until a manager reassigns it.
    new_owner = fields.get("owner")
    if new_owner is not None and new_owner.pk != previous_owner.pk:
        _require_member(new_owner, council)
    previous_contributors = set(locked.contributors.all())
    if contributors is not None:
        contributors = set(contributors)
        for contributor in contributors - previous_contributors:
            _require_member(contributor, council)
    for name, value in fields.items():
        setattr(locked, name, value)
    locked.version += 1
    locked.full_clean()
    locked._history_user = editor  # the audit trail names who, also outside a request
    locked.save()
    now = timezone.now()
    because = f" {reason.strip()}" if (reason or "").strip() else ""
    if locked.owner_id != previous_owner.pk:
        _entry(
            locked,
            author=editor,
            kind=UpdateKind.REASSIGNED,
            note=f"Reassigned from {previous_owner} to {locked.owner}.{because}",
            status=locked.status,
            percent_complete=locked.percent_complete,
            at=now,
        )
    if contributors is not None and contributors != previous_contributors:
        locked.contributors.set(contributors)
        changes = []
        if added := contributors - previous_contributors:
            changes.append(f"added {_names(added)}")
        if removed := previous_contributors - contributors:
            changes.append(f"removed {_names(removed)}")
        _entry(
            locked,
            author=editor,
            kind=UpdateKind.CONTRIBUTORS_CHANGED,
            note=f"Contributors changed: {'; '.join(changes)}.{because}",
            status=locked.status,
            percent_complete=locked.percent_complete,
            at=now,
        )
    return locked


@transaction.atomic
def log_progress(
    *,
    action: Action,
    author,
    note: str,
    status: str,
    percent_complete: int,
    evidence_url: str = "",
    evidence_file=None,
    recorded_at: datetime.datetime | None = None,
) -> ProgressUpdate:
    if not can_log_progress(author, action):
        raise PermissionDenied("Only the owner, a contributor or a manager can log progress.")
    locked = _locked(action)
    validate_progress(action=locked, status=status, percent_complete=percent_complete, note=note)
    update = _record(
        locked,
        author=author,
        kind=UpdateKind.PROGRESS,
        note=note,
        status=status,
        percent_complete=percent_complete,
        evidence_url=evidence_url,
        evidence_file=evidence_file,
        recorded_at=recorded_at,
    )
    _refresh(action, locked)
    return update


@transaction.atomic
def sign_off(
    *, action: Action, manager, note: str = "", recorded_at: datetime.datetime | None = None
) -> ProgressUpdate:
    locked = _lock_for_manager(action, manager)
    refusal = sign_off_refusal(manager, locked)
    if locked.status != Status.DELIVERED:
        raise ValidationError(refusal)
    if refusal:
        raise PermissionDenied(refusal)
    update = _record(
        locked,
        author=manager,
        kind=UpdateKind.SIGNED_OFF,
        note=note.strip() or "Signed off.",
        status=Status.COMPLETE,
        percent_complete=100,
        extra_fields={"signed_off_by": manager, "signed_off_at": recorded_at or timezone.now()},
        recorded_at=recorded_at,
    )
    _refresh(action, locked)
    return update


@transaction.atomic
def send_back(
    *,
    action: Action,
    manager,
    reason: str,
    percent_complete: int | None = None,
    recorded_at: datetime.datetime | None = None,
) -> ProgressUpdate:
    """Delivered, but not done: back in progress, as complete as the manager judges it.

    Without a figure, the action goes back to how complete it was said to be before
    it was marked delivered.
    """
    locked = _lock_for_manager(action, manager)
    if locked.status != Status.DELIVERED:
        raise ValidationError("Only a delivered action can be sent back.")
    _require_reason(reason, "Say why the action is being sent back.")
    if percent_complete is None:
        percent_complete = percent_before_delivery(locked)
    if percent_complete is None or not 0 <= percent_complete <= 99:
        raise ValidationError(
            {
                "percent_complete": "An action sent back is not finished: enter a whole "
                "number from 0 to 99."
            }
        )
    update = _record(
        locked,
        author=manager,
        kind=UpdateKind.SENT_BACK,
        note=reason,
        status=Status.IN_PROGRESS,
        percent_complete=percent_complete,
        recorded_at=recorded_at,
    )
    _refresh(action, locked)
    return update


@transaction.atomic
def revise_due_date(
    *,
    action: Action,
    manager,
    revised_due_date: datetime.date,
    reason: str,
    recorded_at: datetime.datetime | None = None,
) -> ProgressUpdate:
    """Move the deadline; the original due date is kept for the record."""
    locked = _lock_for_manager(action, manager)
    if locked.status in CLOSED_STATUSES:
        raise ValidationError("A complete or cancelled action has no deadline to move.")
    _require_reason(reason, "Say why the due date is changing.")
    if revised_due_date == locked.effective_due_date:
        raise ValidationError({"revised_due_date": "That is already the due date."})
    previous = locked.effective_due_date
    update = _record(
        locked,
        author=manager,
        kind=UpdateKind.DUE_DATE_REVISED,
        note=f"Due date moved from {previous:%-d %B %Y} to {revised_due_date:%-d %B %Y}. "
        f"{reason.strip()}",
        status=locked.status,
        percent_complete=locked.percent_complete,
        extra_fields={"revised_due_date": revised_due_date},
        recorded_at=recorded_at,
        due_dates=(previous, revised_due_date),
    )
    _refresh(action, locked)
    return update


@transaction.atomic
def cancel(
    *, action: Action, manager, reason: str, recorded_at: datetime.datetime | None = None
) -> ProgressUpdate:
    locked = _lock_for_manager(action, manager)
    if locked.status in CLOSED_STATUSES:
        raise ValidationError(f"This action is already {locked.get_status_display().lower()}.")
    _require_reason(reason, "Say why the action is being cancelled.")
    update = _record(
        locked,
        author=manager,
        kind=UpdateKind.CANCELLED,
        note=reason,
        status=Status.CANCELLED,
        percent_complete=locked.percent_complete,
        recorded_at=recorded_at,
    )
    _refresh(action, locked)
    return update


@transaction.atomic
def reopen(
    *, action: Action, manager, reason: str, recorded_at: datetime.datetime | None = None
) -> ProgressUpdate:
    """Bring a complete or cancelled action back into the plan, in progress."""
    locked = _lock_for_manager(action, manager)
    if locked.status not in CLOSED_STATUSES:
        raise ValidationError("Only a complete or cancelled action can be reopened.")
    _require_reason(reason, "Say why the action is being reopened.")
    update = _record(
        locked,
        author=manager,
        kind=UpdateKind.REOPENED,
        note=reason,
        status=Status.IN_PROGRESS,
        percent_complete=min(locked.percent_complete, 99),
        extra_fields={"signed_off_by": None, "signed_off_at": None},
        recorded_at=recorded_at,
    )
    _refresh(action, locked)
    return update


def _refresh(action: Action, locked: Action) -> None:
    """Let the caller's instance see what was written."""
    for field in (
        "status",
        "percent_complete",
        "revised_due_date",
        "signed_off_by_id",
        "signed_off_at",
        "last_progress_at",
        "version",
    ):
        setattr(action, field, getattr(locked, field))


# The account that writes the tracker's own timeline entries (escalations).
SYSTEM_USERNAME = "improvement-tracker"


def system_user() -> User:
    """The "Improvement Tracker" account, created the first time it is needed.

    Not a person: inactive and without a usable password, so nobody can sign in as
    it, and a member of no council, so it could see nothing if they did.
    """
    user, _ = User.objects.get_or_create(
        username=SYSTEM_USERNAME,
        defaults={
            "first_name": "Improvement",
            "last_name": "Tracker",
            "email": "improvement-tracker@system.invalid",
            "is_active": False,
            "password": make_password(None),
        },
    )
    return user


@transaction.atomic
def record_escalation(
    *, action: Action, recorded_at: datetime.datetime | None = None
) -> ProgressUpdate:
    """Say in the action's timeline that it went to the council's managers as overdue.

    Called by the daily reminders, in the transaction that emails the managers. The
    action is left as it is: an escalation is not progress, so "no update for 30 days"
    still counts from the last real update. Once per silence: refused when the action
    has been escalated since its last progress.
    """
    locked = _locked(action)
    at = recorded_at or timezone.now()
    clock = Clock(today=timezone.localdate(at), now=at)
    if not is_overdue(
        status=locked.status,
        due_date=locked.due_date,
        revised_due_date=locked.revised_due_date,
        today=clock.today,
    ):
        raise ValidationError("Only an overdue action can be escalated.")
    if locked.updates.filter(
        kind=UpdateKind.ESCALATED, created_at__gte=locked.last_progress_at
    ).exists():
        raise ValidationError("This action has been escalated already since its last update.")
    last = timezone.localdate(locked.last_progress_at)
    return _entry(
        locked,
        author=system_user(),
        kind=UpdateKind.ESCALATED,
        note=f"Escalated to the managers at {council_of(locked)}: {locked.assess(clock).reason}, "
        f"no progress logged since {last:%-d %B %Y}.",
        status=locked.status,
        percent_complete=locked.percent_complete,
        at=at,
    )
