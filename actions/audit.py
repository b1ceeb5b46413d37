"""An action's audit trail, as lines a person can read: who changed what, when, from what to what.

The rows come from django-simple-history (`Action.history`), which keeps a copy
of the action after every save, with the user who saved it. The services save
with a reason (the kind of timeline entry, e.g. "Signed off"); edits in the
admin or on the action's edit page have none.
"""

import datetime
from dataclasses import dataclass
from typing import Literal

from django.db import models
from django.utils import formats, timezone
from django.utils.text import capfirst
from simple_history.models import DeletedObject

from .models import Action

# Raised or moved by every save: true, but nothing a reader needs to be told.
NOT_SHOWN = ("version", "last_progress_at", "updated_at", "created_at")


@dataclass(frozen=True)
class ActionChange:
    """One line of an action's audit trail."""

    kind: Literal["created", "changed", "deleted"]
    when: datetime.datetime
    who: object | None  # a User; None when no one was signed in (a command, the demo)
    field: str  # the field's name, e.g. "revised_due_date"; "" for created and deleted
    label: str  # the field's name in words, e.g. "Revised due date"; "" for created and deleted
    old: str  # the value before, in words ("Not set" when empty); "" for created and deleted
    new: str  # the value after, in words; "" for created and deleted
    reason: str  # what caused the save, e.g. "Signed off"; "" for an edit


def history_records(action: Action):
    """The action's saves as simple-history keeps them, newest first (one per save)."""
    return Action.history.filter(id=action.pk).order_by("-history_date", "-history_id")


def action_history(
    action: Action, *, not_shown=NOT_SHOWN, offset: int = 0, limit: int | None = None
) -> list[ActionChange]:
    """The action's audit trail, newest first, in one database query.

    `offset` and `limit` count saves (history records), newest first, so that a
    long trail can be read a page at a time: `limit=20` gives the changes made by
    the latest 20 saves.

    Returns a list of ActionChange. An edit that changed three fields gives three
    entries with the same `when`, `who` and `reason`, one per field, in field
    order; the oldest entry is the one with kind "created" (field, label, old and
    new empty), when the trail goes back that far. An action with no history rows
    (made by a bulk insert, an import or a data migration) has an empty trail; one
    whose trail starts mid-life begins with the first change that can be compared
    with an earlier row. Values are display text: choices by their label ("In progress"),
    dates as "4 March 2026", people and findings by name, booleans as "Yes"/"No",
    empty values as "Not set", and a related record deleted since as "Deleted
    user (pk=3)". Saves that changed only `not_shown` fields (the version counter,
    timestamps) give no entry.

        for change in action_history(action):
            change.when, change.who, change.label, change.old, change.new
    """
    fk_names = [
        field.name for field in Action._meta.concrete_fields if isinstance(field, models.ForeignKey)
    ]
    # One record more than asked for: the oldest save shown is compared with it. The
    # page's records are chosen first, then joined to people and findings: joining
    # every record of a long-lived action before the slice hashed every user and
    # finding in the database (25 ms at national scale, 2 ms this way).
    chosen = history_records(action).values("history_id")
    chosen = chosen[offset : None if limit is None else offset + limit + 1]
    records = list(
        Action.history.filter(history_id__in=chosen)
        .select_related("history_user", *fk_names)
        .order_by("-history_date", "-history_id")
    )
    older_records = [*records[1:], None] if records else []
    if limit is not None and len(records) > limit:
        records, older_records = records[:limit], older_records[:limit]
    entries: list[ActionChange] = []
    # Each record beside the one before it; the oldest has none. An action made by
    # a bulk insert, an import or a data migration may have no records at all (an
    # empty trail), or a trail that starts with a change rather than a creation.
    for newer, older in zip(records, older_records, strict=True):
        common = {
            "when": newer.history_date,
            "who": newer.history_user,
            "reason": newer.history_change_reason or "",
        }
        if newer.history_type in ("+", "-"):
            kind = "created" if newer.history_type == "+" else "deleted"
            entries.append(ActionChange(kind=kind, field="", label="", old="", new="", **common))
            continue
        if older is None:
            # The trail began after the action was created: nothing to compare with.
            continue
        delta = newer.diff_against(older, excluded_fields=not_shown, foreign_keys_are_objs=True)
        for change in delta.changes:
            field = Action._meta.get_field(change.field)
            entries.append(
                ActionChange(
                    kind="changed",
                    field=change.field,
                    label=capfirst(field.verbose_name),
                    old=_in_words(field, change.old),
                    new=_in_words(field, change.new),
                    **common,
                )
            )
    return entries


def _in_words(field, value) -> str:
    if isinstance(value, DeletedObject):
        # simple-history marks an empty foreign key the same way as a deleted one.
        return "Not set" if value.pk is None else str(value)
    if value is None or value == "":
        return "Not set"
    if field.choices:
        return str(dict(field.flatchoices).get(value, value))
    if isinstance(value, bool):
        return "Yes" if value else "No"
    if isinstance(value, datetime.datetime):
        return formats.date_format(timezone.localtime(value), "DATETIME_FORMAT")
    if isinstance(value, datetime.date):
        return formats.date_format(value, "DATE_FORMAT")
    return str(value)
