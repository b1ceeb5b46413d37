"""What the reminders read: a fixed number of queries per council, however many actions.

For each council, one query for its members (with their preference) and one for its
actions that need attention; who gets what is then worked out in Python
(reminders.rules) from those rows.
"""

import datetime
from collections import defaultdict
from dataclasses import dataclass, field

from django.db.models import Exists, OuterRef, Q, QuerySet, Value
from django.db.models.functions import Coalesce

from actions.models import Action, ProgressUpdate, UpdateKind
from actions.rag import LATE_STATUSES, Clock, Rag, RagAssessment, Status, rag_conditions
from councils.models import Council, Membership, Role, User

from .models import Frequency, ReminderKind, ReminderLog, ReminderPreference
from .rules import (
    MANAGER_SECTIONS,
    OWNER_SECTIONS,
    is_weekly_day,
    manager_section,
    owner_section,
    should_escalate,
)

MANAGER_ROLES = (Role.MANAGER, Role.ADMIN)


def councils_to_remind() -> QuerySet[Council]:
    """Councils with someone to remind: at least one active member."""
    return Council.objects.filter(
        pk__in=Membership.objects.filter(user__is_active=True).values("council_id")
    ).order_by("pk")


def members_of(council: Council) -> list[Membership]:
    """The council's active members, each with `frequency` (daily when never chosen)."""
    return list(
        Membership.objects.filter(council=council, user__is_active=True)
        .select_related("user")
        .annotate(
            frequency=Coalesce("user__reminder_preference__frequency", Value(Frequency.DAILY))
        )
        .order_by("user_id")
    )


def actions_needing_attention(council: Council, clock: Clock) -> QuerySet[Action]:
    """The council's actions that any reminder may mention, most urgent first.

    Work still to do that is overdue, due within the RAG's "due soon" window or
    without an update for the RAG's "stale" period; red actions; and delivered ones
    awaiting sign-off. Each comes with `escalated_since_progress`.
    """
    still_to_do = Q(status__in=LATE_STATUSES) & (
        Q(effective_due__lte=clock.due_soon_by) | Q(last_progress_at__lt=clock.stale_before)
    )
    escalated = ProgressUpdate.objects.filter(
        action=OuterRef("pk"),
        kind=UpdateKind.ESCALATED,
        created_at__gte=OuterRef("last_progress_at"),
    )
    return (
        Action.objects.for_council(council)
        .with_rag(clock)
        .filter(still_to_do | rag_conditions(clock)[Rag.RED] | Q(status=Status.DELIVERED))
        .annotate(escalated_since_progress=Exists(escalated))
        .select_related("owner", "finding")
        .most_urgent_first()
    )


def sent_on(day) -> set[tuple[int, str, int | None]]:
    """(user id, kind, action id) of every reminder already sent for the day."""
    return set(ReminderLog.objects.filter(day=day).values_list("user_id", "kind", "action_id"))


def frequency_of(user) -> str:
    """How often this person wants their digests (daily when never chosen)."""
    chosen = ReminderPreference.objects.filter(user=user).values_list("frequency", flat=True)
    return chosen.first() or Frequency.DAILY


# --- Who gets what today ------------------------------------------------------------------


@dataclass
class Entry:
    """One action in a reminder, under one heading, with its rating and reason."""

    action: Action
    section: str
    assessment: RagAssessment


@dataclass
class CouncilPart:
    """A reminder's actions at one council (a digest has one part per council)."""

    council: Council
    entries: list[Entry]


@dataclass
class Digest:
    user: User
    kind: ReminderKind
    frequency: str
    parts: list[CouncilPart] = field(default_factory=list)

    @property
    def entries(self) -> list[Entry]:
        return [entry for part in self.parts for entry in part.entries]

    def count(self, section: str) -> int:
        return sum(entry.section == section for entry in self.entries)


@dataclass
class Escalation:
    """A council's actions to escalate today, to all its managers in one email."""

    council: Council
    managers: list[User]
    actions: list[Action]


@dataclass
class ReminderPlan:
    day: datetime.date
    clock: Clock
    weekly: bool
    owner_digests: list[Digest]
    manager_digests: list[Digest]
    escalations: list[Escalation]


def _wants_digest(frequency: str, weekly: bool) -> bool:
    return frequency == Frequency.DAILY or (frequency == Frequency.WEEKLY and weekly)


def _in_order(entries: list[Entry], sections: tuple[str, ...]) -> list[Entry]:
    # A stable sort: most urgent first within each heading, as the query gave them.
    return sorted(entries, key=lambda entry: sections.index(entry.section))


def plan_reminders(*, day: datetime.date, clock: Clock, weekly_day: str) -> ReminderPlan:
    """Everything to send for `day`, writing nothing.

    Read in one query for the councils, then one per council for its actions that need
    attention and, where there are any, one for its members.

    - Owners: one digest of their actions at every council where they are still an
      active member, daily or on the weekly day as they chose (never with "none").
    - Managers (and admins): on the weekly day, one digest of their councils'
      exceptions, unless they chose "none".
    - Escalations: per council, the actions rules.should_escalate picks, to all its
      active managers whatever they chose.
    """
    weekly = is_weekly_day(day, weekly_day)
    owner_digests: dict[int, Digest] = {}
    manager_digests: dict[int, Digest] = {}
    escalations = []
    for council in councils_to_remind():
        actions = list(actions_needing_attention(council, clock))
        if not actions:
            continue
        members = {member.user_id: member for member in members_of(council)}
        assessments = {action.pk: action.assess(clock) for action in actions}

        by_owner = defaultdict(list)
        for action in actions:
            section = owner_section(action, clock)
            member = members.get(action.owner_id)
            if section and member and _wants_digest(member.frequency, weekly):
                by_owner[member.user_id].append(Entry(action, section, assessments[action.pk]))
        for user_id, entries in by_owner.items():
            member = members[user_id]
            digest = owner_digests.setdefault(
                user_id, Digest(member.user, ReminderKind.OWNER_DIGEST, member.frequency)
            )
            digest.parts.append(CouncilPart(council, _in_order(entries, OWNER_SECTIONS)))

        managers = [member for member in members.values() if member.role in MANAGER_ROLES]
        if weekly:
            exceptions = [
                Entry(action, section, assessments[action.pk])
                for action in actions
                if (section := manager_section(action, clock))
            ]
            readers = [member for member in managers if member.frequency != Frequency.NONE]
            for member in readers if exceptions else []:
                digest = manager_digests.setdefault(
                    member.user_id,
                    Digest(member.user, ReminderKind.MANAGER_DIGEST, member.frequency),
                )
                digest.parts.append(CouncilPart(council, _in_order(exceptions, MANAGER_SECTIONS)))

        to_escalate = [action for action in actions if should_escalate(action, clock)]
        if to_escalate and managers:
            escalations.append(
                Escalation(
                    council,
                    [member.user for member in managers],
                    sorted(to_escalate, key=lambda action: action.pk),
                )
            )
    return ReminderPlan(
        day=day,
        clock=clock,
        weekly=weekly,
        owner_digests=list(owner_digests.values()),
        manager_digests=list(manager_digests.values()),
        escalations=escalations,
    )
