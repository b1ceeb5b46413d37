"""For the page benchmark: which council, people and objects to measure, and the run's accounts.

Chosen from the data, so any database filled by generate_data will do:
the council with the most actions; its manager who owns the most open actions;
its inspection and finding with the most actions; its action with the most
timeline entries; three filters that leave a list of some size; and an export
filter that gives about 10,000 rows (or the whole council, if it has fewer).
"""

import math
import secrets
from dataclasses import dataclass

from django.contrib.auth.hashers import check_password
from django.contrib.sessions.models import Session
from django.db import DatabaseError, connection, transaction
from django.db.models import Count, Q

from actions.models import Action, ProgressUpdate
from actions.rag import Clock, Status
from councils.models import Council, Membership, Role, User

try:  # the password generate_data gives every user it makes
    from actions.generator import GENERATED_PASSWORD
except ImportError:  # an older tree: a password is set for the run instead
    GENERATED_PASSWORD = None

PAGE_SIZE = 50  # actions.views.PAGE_SIZE
EXPORT_ROWS_WANTED = 10_000


@dataclass
class Targets:
    clock: Clock
    council: Council
    council_actions: int
    member: User
    member_owned_open: int
    inspection_id: int
    inspection_actions: int
    finding_id: int
    finding_actions: int
    action_id: int
    action_updates: int
    filters: dict
    filtered_rows: int
    deep_page: int
    export_filters: dict
    export_rows: int

    def describe(self) -> dict:
        return {
            "today": self.clock.today.isoformat(),
            "council": f"{self.council.name} (id {self.council.pk})",
            "council_actions": self.council_actions,
            "member": f"{self.member.username} (id {self.member.pk}, manager)",
            "member_owned_open_actions": self.member_owned_open,
            "inspection_id": self.inspection_id,
            "inspection_actions": self.inspection_actions,
            "finding_id": self.finding_id,
            "finding_actions": self.finding_actions,
            "action_id": self.action_id,
            "action_updates": self.action_updates,
            "list_filters": self.filters,
            "list_filtered_rows": self.filtered_rows,
            "deep_page": self.deep_page,
            "export_filters": self.export_filters,
            "export_rows": self.export_rows,
        }


def _one(sql: str, params=()):
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchone()


def choose_targets() -> Targets:
    clock = Clock.current()
    biggest = (
        Council.objects.annotate(n=Count("inspections__findings__actions"))
        .order_by("-n", "pk")
        .values_list("pk", "n")
        .first()
    )
    if not biggest or not biggest[1]:
        raise SystemExit("The database has no actions: run manage.py generate_data first.")
    council = Council.objects.get(pk=biggest[0])
    actions = Action.objects.for_council(council)
    open_mine = Count(
        "user__owned_actions",
        filter=Q(user__owned_actions__finding__inspection__council=council)
        & ~Q(user__owned_actions__status__in=(Status.COMPLETE, Status.CANCELLED)),
    )
    membership = (
        Membership.objects.filter(council=council, role=Role.MANAGER, user__is_active=True)
        .annotate(n=open_mine)
        .order_by("-n", "user_id")
        .select_related("user")
        .first()
    )
    if membership is None:
        raise SystemExit(f"{council} has no active manager to sign in as.")

    inspection = (
        actions.values("finding__inspection")
        .annotate(n=Count("pk"))
        .order_by("-n", "finding__inspection")
        .first()
    )
    finding = actions.values("finding").annotate(n=Count("pk")).order_by("-n", "finding").first()
    action = (
        ProgressUpdate.objects.filter(council=council)
        .values("action")
        .annotate(n=Count("pk"))
        .order_by("-n", "action")
        .first()
    )
    if action is None:
        raise SystemExit(f"{council} has no progress updates: run manage.py generate_data first.")

    # Three filters (status, theme, priority) and a sort, on the combination with most rows.
    combo = (
        actions.filter(status=Status.IN_PROGRESS, finding__theme__isnull=False)
        .values("finding__theme", "priority")
        .annotate(n=Count("pk"))
        .order_by("-n", "finding__theme", "priority")
        .first()
    )
    if combo:
        filters = {
            "status": Status.IN_PROGRESS.value,
            "theme": str(combo["finding__theme"]),
            "priority": str(combo["priority"]),
            "sort": "owner",
        }
        filtered_rows = combo["n"]
    else:  # tiny data: no themed finding with an action in progress
        filters = {"status": Status.IN_PROGRESS.value, "sort": "owner"}
        filtered_rows = actions.filter(status=Status.IN_PROGRESS).count()

    total = biggest[1]
    deep_page = max(1, math.ceil(total / PAGE_SIZE) - 1)

    # About 10,000 rows: actions due on or after the date that the 10,000th latest is due.
    export_filters: dict = {}
    export_rows = total
    if total > EXPORT_ROWS_WANTED * 1.1:
        due_from = _one(
            """
            select coalesce(a.revised_due_date, a.due_date) as due
            from actions_action a
            join inspections_finding f on f.id = a.finding_id
            join inspections_inspection i on i.id = f.inspection_id
            where i.council_id = %s order by due desc offset %s limit 1
            """,
            [council.pk, EXPORT_ROWS_WANTED - 1],
        )[0]
        export_filters = {"due_after": due_from.isoformat()}
        export_rows = actions.with_rag(clock).filter(effective_due__gte=due_from).count()

    return Targets(
        clock=clock,
        council=council,
        council_actions=total,
        member=membership.user,
        member_owned_open=membership.n,
        inspection_id=inspection["finding__inspection"],
        inspection_actions=inspection["n"],
        finding_id=finding["finding"],
        finding_actions=finding["n"],
        action_id=action["action"],
        action_updates=action["n"],
        filters=filters,
        filtered_rows=filtered_rows,
        deep_page=deep_page,
        export_filters=export_filters,
        export_rows=export_rows,
    )


class RunAccounts:
    """The run's superuser (made, then removed) and the member's password.

    The member signs in with generate_data's password; if theirs is another (the
    demo data, or --member-password not given for data from elsewhere), a password
    is set for the run and the old one put back afterwards.

    A context manager: whatever happens, the database is left as it was found,
    apart from django-axes' log of the sign-ins.
    """

    def __init__(self, member: User, member_password: str | None):
        self.member = member
        if member_password is None and check_password(GENERATED_PASSWORD, member.password):
            member_password = GENERATED_PASSWORD
        self.given_password = member_password
        self.member_password = member_password or secrets.token_urlsafe(24)
        self.superuser_password = secrets.token_urlsafe(24)
        self.superuser: User | None = None
        self._old_hash: str | None = None
        self.session_keys: list[str] = []
        self.warnings: list[str] = []

    def __enter__(self):
        self._old_last_login = self.member.last_login
        if self.given_password is None:
            self._old_hash = self.member.password
            self.member.set_password(self.member_password)
            User.objects.filter(pk=self.member.pk).update(password=self.member.password)
        name = f"benchmark-superuser-{secrets.token_hex(4)}"
        self.superuser = User.objects.create_superuser(
            username=name, email=f"{name}@benchmark.invalid", password=self.superuser_password
        )
        return self

    def __exit__(self, *exc):
        """Put everything back. A failure here is kept in .warnings, never raised, so
        that a long run's results are still written."""
        steps = [
            ("restore the member's password and last sign-in", self._restore_member),
            ("delete the run's sessions", self._delete_sessions),
            ("delete the run's superuser", self._delete_superuser),
        ]
        for what, step in steps:
            try:
                step()
            except DatabaseError as error:
                self.warnings.append(f"could not {what}: {error}")

    def _restore_member(self):
        # Signing in sets last_login: put it back too.
        restore = {"last_login": self._old_last_login}
        if self._old_hash is not None:
            restore["password"] = self._old_hash
        User.objects.filter(pk=self.member.pk).update(**restore)

    def _delete_sessions(self):
        Session.objects.filter(session_key__in=self.session_keys).delete()

    def _delete_superuser(self):
        if self.superuser is None:
            return
        try:
            with transaction.atomic():
                User.objects.filter(pk=self.superuser.pk).delete()
        except DatabaseError:
            # The ORM's delete visits every model that may point at a user; a table the
            # code knows and the database does not have yet (a migration not applied)
            # makes it fail. The superuser only read pages: delete its rows directly.
            pk = self.superuser.pk
            with transaction.atomic(), connection.cursor() as cursor:
                cursor.execute("delete from councils_user_groups where user_id = %s", [pk])
                cursor.execute(
                    "delete from councils_user_user_permissions where user_id = %s", [pk]
                )
                cursor.execute("delete from councils_user where id = %s", [pk])
