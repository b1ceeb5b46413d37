"""Load demo users, inspections and action plans for trying the app locally.

Never run this against a real council's database: it creates users with a
known password.

Everything is dated across the plan's life, as if the tracker had been in use
all along (see actions/demo/clock.py): people join, an admin enters each letter,
a manager enters its plan a week later, and each action's timeline follows, with
every audit row dated by the change that caused it.
"""

import datetime

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from actions import services
from actions.demo import letters, plans
from actions.demo.clock import DemoClock
from councils.models import Council, Membership, Role, User
from inspections.models import Finding, Inspection, Judgement, Theme

# The letter is entered a week before its plan's actions; people join a week before that.
LETTER_LEAD_DAYS = 7
JOIN_LEAD_DAYS = 7

# Cambridgeshire's board meetings: (days ago, frozen on the day).
BOARD_MEETINGS = ((120, True), (70, True), (1, False))

DEMO_PASSWORD = "improvement-demo"  # noqa: S105 - documented demo account, local use only

# key: (username, first name, last name, job title, council code, role, is superuser)
# The superuser is the support team, who alone use the Django admin; they belong to no council.
DEMO_USERS = {
    "staff": (
        "demo.staff",
        "Priya",
        "Shah",
        "Team manager, care leavers",
        "873",
        Role.STAFF,
        False,
    ),
    "staff2": ("demo.staff2", "Tom", "Hughes", "Service manager", "873", Role.STAFF, False),
    "manager": ("demo.manager", "Sarah", "Okafor", "Head of service", "873", Role.MANAGER, False),
    "manager2": ("demo.manager2", "David", "Lee", "Assistant director", "873", Role.MANAGER, False),
    "admin": ("demo.admin", "Alex", "Morgan", "Improvement lead", "873", Role.ADMIN, False),
    "leicester": ("demo.leicester", "Jo", "Patel", "Head of service", "856", Role.MANAGER, False),
    "leicester_staff": (
        "demo.leicester.staff",
        "Sam",
        "Wood",
        "Personal adviser",
        "856",
        Role.STAFF,
        False,
    ),
    "support": ("demo.support", "Chris", "Evans", "Support team", None, None, True),
}


class Command(BaseCommand):
    help = "Load demo users, inspections and action plans (local use only)."

    def add_arguments(self, parser):
        parser.add_argument(
            "--force",
            action="store_true",
            help="Load even when DEBUG is off (never in production).",
        )

    def handle(self, *args, **options):
        if not settings.DEBUG and not options["force"]:
            raise CommandError(
                "The demo creates users with a known password: run it with DEBUG on."
            )
        if Inspection.objects.filter(council__dfe_la_code="873", start_date="2024-03-04").exists():
            self.stdout.write("Demo data is already loaded.")
            return
        clock = DemoClock()
        loads = [
            (letters.CAMBRIDGESHIRE_2024, plans.CAMBRIDGESHIRE_2024),
            (letters.CAMBRIDGESHIRE_2025, plans.CAMBRIDGESHIRE_2025),
            (letters.LEICESTER_2016, plans.LEICESTER_2016),
        ]
        # Each council's people join the tracker a week before its first letter is entered.
        joined = {}
        for letter, plan in loads:
            code, days = letter["council_code"], _plan_days(plan) + LETTER_LEAD_DAYS
            joined[code] = max(joined.get(code, 0), days + JOIN_LEAD_DAYS)
        with transaction.atomic():
            users = self._users(clock, joined)
            reviewer = users["manager"]
            for letter, plan in loads:
                leicester = letter is letters.LEICESTER_2016
                signer = users["leicester"] if leicester else reviewer
                clerk = users["leicester"] if leicester else users["admin"]
                plan_days = _plan_days(plan)
                inspection = self._inspection(
                    letter, clock, clerk, entered_days_ago=plan_days + LETTER_LEAD_DAYS
                )
                self._plan(inspection, plan, users, signer, clock, plan_days)
            self._board_meetings(users, clock)
        self.stdout.write(
            self.style.SUCCESS(
                f"Demo loaded. Sign in as demo.staff, demo.manager or demo.admin "
                f"with the password {DEMO_PASSWORD!r}."
            )
        )

    def _board_meetings(self, users, clock):
        """Cambridgeshire's improvement board: two meetings frozen on the day, one not yet.

        So the meetings, what changed between them and the pack all have content. The
        demo, a script, may reach up to boards; the apps below it never do.
        """
        from boards.services import meeting_create, meeting_freeze

        council = Council.objects.get(dfe_la_code="873")
        manager = users["manager"]
        for days_ago, freeze in BOARD_MEETINGS:
            # Added a week before it is held; frozen at 16:00 on the day.
            with clock.at(clock.moment(days_ago + 7, 60)):
                meeting = meeting_create(
                    council=council,
                    held_on=clock.today - datetime.timedelta(days=days_ago),
                    board="Children's Services Improvement Board",
                    chair="Margaret Hale (independent chair)",
                    notes="Standing items: the action plan, exceptions, and what changed.",
                    created_by=manager,
                )
            if freeze:
                with clock.at(clock.moment(days_ago, 7 * 60)) as when:
                    meeting_freeze(meeting=meeting, frozen_by=manager, now=when)

    def _users(self, clock, joined):
        users = {}
        for key, (username, first, last, title, code, role, is_superuser) in DEMO_USERS.items():
            # The support team is there from the first day anyone joins.
            days = joined[code] if code else max(joined.values())
            with clock.at(clock.moment(days, 30)) as when:
                user, _ = User.objects.get_or_create(
                    username=username,
                    defaults={
                        "first_name": first,
                        "last_name": last,
                        "job_title": title,
                        "email": f"{username}@example.org",
                        "is_staff": is_superuser,
                        "is_superuser": is_superuser,
                        "date_joined": when,
                    },
                )
                user.set_password(DEMO_PASSWORD)
                user.save()
                if code:
                    Membership.objects.get_or_create(
                        user=user,
                        council=Council.objects.get(dfe_la_code=code),
                        defaults={"role": role},
                    )
            users[key] = user
        return users

    def _inspection(self, letter, clock, clerk, entered_days_ago):
        """The letter, its judgements and findings, as an admin typed them in one morning."""
        council = Council.objects.get(dfe_la_code=letter["council_code"])
        inspection = Inspection(
            council=council,
            kind=letter["kind"],
            focus_theme=letter.get("focus_theme", ""),
            visit_number=letter.get("visit_number"),
            start_date=letter["start_date"],
            end_date=letter["end_date"],
            published_on=letter["published_on"],
            lead_inspector=letter["lead_inspector"],
            ofsted_file_id=letter.get("ofsted_file_id", ""),
            letter_text=letter["letter_text"],
        )
        inspection.full_clean()
        minutes = 60  # from 10:00, a minute for each record
        with clock.at(clock.moment(entered_days_ago, minutes)):
            inspection._history_user = clerk
            inspection.save()
        for area, grade in letter.get("grades", {}).items():
            minutes += 1
            judgement = Judgement(inspection=inspection, area=area, grade=grade)
            judgement.full_clean()
            with clock.at(clock.moment(entered_days_ago, minutes)):
                judgement._history_user = clerk
                judgement.save()
        earlier = {}
        if "repeats" in letter:
            previous = council.inspections.exclude(pk=inspection.pk).order_by("-start_date").first()
            earlier = {f.position: f for f in previous.findings.all()}
        repeats = dict(letter.get("repeats", []))
        for position, (title, theme_slug, text) in enumerate(letter["findings"], start=1):
            minutes += 1
            finding = Finding(
                inspection=inspection,
                position=position,
                short_title=title,
                text=text,
                theme=Theme.objects.get(slug=theme_slug),
                repeats=earlier.get(repeats.get(position)),
            )
            finding.full_clean()
            with clock.at(clock.moment(entered_days_ago, minutes)):
                finding._history_user = clerk
                finding.save()
        return inspection

    def _plan(self, inspection, plan, users, signer, clock, plan_days):
        """The plan's actions, entered one afternoon, then each one's timeline as it happened."""
        findings = {f.position: f for f in inspection.findings.all()}
        number = 0
        for position, actions in plan.items():
            for title, owner_key, service, priority, due_in, history in actions:
                number += 1
                due = clock.today + datetime.timedelta(days=due_in)
                start = min(clock.today - datetime.timedelta(days=_first_days(history)), due)
                # From 14:00 on the day the plan was entered, a minute for each action.
                with clock.at(clock.moment(plan_days, 5 * 60 + number)) as created:
                    action = services.action_create(
                        finding=findings[position],
                        title=title,
                        owner=users[owner_key],
                        due_date=due,
                        start_date=start,
                        lead_service=service,
                        priority=priority,
                        created_by=signer,
                        success_measure="Measured monthly at the improvement board.",
                        recorded_at=created,
                    )
                for days_ago, status, percent, note in history:
                    with clock.at(clock.working_moment(days_ago, note)) as at:
                        if status == "signed_off":
                            services.sign_off(
                                action=action, manager=signer, note=note, recorded_at=at
                            )
                        elif status == "cancelled":
                            services.cancel(action=action, manager=signer, reason=note)
                        else:
                            services.log_progress(
                                action=action,
                                author=users[owner_key],
                                note=note,
                                status=status,
                                percent_complete=percent,
                                recorded_at=at,
                            )


def _first_days(history) -> int:
    """How many days ago an action's work started: ten days before its first entry."""
    return max([h[0] for h in history], default=20) + 10


def _plan_days(plan) -> int:
    """How many days ago the plan was entered: when its earliest action's work started."""
    return max(_first_days(history) for actions in plan.values() for *_, history in actions)
