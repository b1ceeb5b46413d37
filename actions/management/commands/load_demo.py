"""Load demo users, inspections and action plans for trying the app locally.

Never run this against a real council's database: it creates users with a
known password.
"""

import datetime

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils import timezone

from actions import services
from actions.demo import letters, plans
from councils.models import Council, Membership, Role, User
from inspections.models import Finding, Inspection, Judgement, Theme

DEMO_PASSWORD = "improvement-demo"  # noqa: S105 - documented demo account, local use only

# key: (username, first name, last name, job title, council code, role, is Django staff)
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
    "admin": ("demo.admin", "Alex", "Morgan", "Improvement lead", "873", Role.ADMIN, True),
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
        with transaction.atomic():
            users = self._users()
            reviewer = users["manager"]
            for letter, plan in (
                (letters.CAMBRIDGESHIRE_2024, plans.CAMBRIDGESHIRE_2024),
                (letters.CAMBRIDGESHIRE_2025, plans.CAMBRIDGESHIRE_2025),
                (letters.LEICESTER_2016, plans.LEICESTER_2016),
            ):
                inspection = self._inspection(letter)
                signer = users["leicester"] if letter is letters.LEICESTER_2016 else reviewer
                self._plan(inspection, plan, users, signer)
        self.stdout.write(
            self.style.SUCCESS(
                f"Demo loaded. Sign in as demo.staff, demo.manager or demo.admin "
                f"with the password {DEMO_PASSWORD!r}."
            )
        )

    def _users(self):
        users = {}
        for key, (username, first, last, title, code, role, is_staff) in DEMO_USERS.items():
            user, _ = User.objects.get_or_create(
                username=username,
                defaults={
                    "first_name": first,
                    "last_name": last,
                    "job_title": title,
                    "email": f"{username}@example.org",
                    "is_staff": is_staff,
                },
            )
            user.set_password(DEMO_PASSWORD)
            user.save()
            if is_staff:
                # The admin site needs model permissions; a council admin gets them all.
                from django.contrib.auth.models import Permission

                user.user_permissions.set(
                    Permission.objects.filter(
                        content_type__app_label__in=["councils", "inspections", "actions"]
                    )
                )
            Membership.objects.get_or_create(
                user=user, council=Council.objects.get(dfe_la_code=code), defaults={"role": role}
            )
            users[key] = user
        return users

    def _inspection(self, letter):
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
        inspection.save()
        for area, grade in letter.get("grades", {}).items():
            judgement = Judgement(inspection=inspection, area=area, grade=grade)
            judgement.full_clean()
            judgement.save()
        earlier = {}
        if "repeats" in letter:
            previous = council.inspections.exclude(pk=inspection.pk).order_by("-start_date").first()
            earlier = {f.position: f for f in previous.findings.all()}
        repeats = dict(letter.get("repeats", []))
        for position, (title, theme_slug, text) in enumerate(letter["findings"], start=1):
            finding = Finding(
                inspection=inspection,
                position=position,
                short_title=title,
                text=text,
                theme=Theme.objects.get(slug=theme_slug),
                repeats=earlier.get(repeats.get(position)),
            )
            finding.full_clean()
            finding.save()
        return inspection

    def _plan(self, inspection, plan, users, signer):
        today = timezone.localdate()
        now = timezone.now()
        findings = {f.position: f for f in inspection.findings.all()}
        for position, actions in plan.items():
            for title, owner_key, service, priority, due_in, history in actions:
                first = max([h[0] for h in history], default=20) + 10
                due = today + datetime.timedelta(days=due_in)
                start = min(today - datetime.timedelta(days=first), due)
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
                    recorded_at=now - datetime.timedelta(days=first),
                )
                for days_ago, status, percent, note in history:
                    at = now - datetime.timedelta(days=days_ago)
                    if status == "signed_off":
                        services.sign_off(action=action, manager=signer, note=note, recorded_at=at)
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
