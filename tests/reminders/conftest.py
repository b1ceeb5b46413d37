"""Fixtures for the reminders: a fixed day, actions shaped relative to it, and a runner.

The council and its people (staff, manager, ...) come from tests/conftest.py.
Tuesday 17 June 2025 is an ordinary day; Monday 16 June 2025 is the weekly
digests' day (REMINDERS_WEEKLY_DAY defaults to monday).
"""

import datetime
from io import StringIO
from zoneinfo import ZoneInfo

import pytest
from django.core import mail
from django.core.management import call_command
from django.test import Client

from actions.rag import Status
from councils.models import Role
from tests.factories import ActionFactory, FindingFactory, MembershipFactory, UserFactory

LONDON = ZoneInfo("Europe/London")
SITE_URL = "https://tracker.example.gov.uk"
TUESDAY = datetime.date(2025, 6, 17)
MONDAY = datetime.date(2025, 6, 16)


@pytest.fixture(autouse=True)
def reminder_settings(settings):
    settings.SITE_URL = SITE_URL
    settings.REMINDERS_WEEKLY_DAY = "monday"
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    return settings


def moment(day: datetime.date, hour: int = 9) -> datetime.datetime:
    return datetime.datetime.combine(day, datetime.time(hour), tzinfo=LONDON)


def make_action(
    council=None,
    owner=None,
    *,
    day=TUESDAY,
    due_in: int = 60,
    updated_days_ago: int = 1,
    status: str = Status.IN_PROGRESS,
    finding=None,
    **fields,
):
    """An action due `due_in` days after `day`, last updated `updated_days_ago` days before."""
    finding = finding or FindingFactory(inspection__council=council)
    if status == Status.COMPLETE:
        fields.setdefault("signed_off_by", owner)
        fields.setdefault("signed_off_at", moment(day))
    return ActionFactory(
        finding=finding,
        owner=owner,
        due_date=day + datetime.timedelta(days=due_in),
        last_progress_at=moment(day) - datetime.timedelta(days=updated_days_ago),
        status=status,
        percent_complete=100 if status in (Status.DELIVERED, Status.COMPLETE) else 30,
        **fields,
    )


def member(council, role=Role.STAFF, **user_fields):
    user = UserFactory(**user_fields)
    MembershipFactory(user=user, council=council, role=role)
    return user


def run(day=TUESDAY, *args) -> str:
    """Run the command for `day` and return what it printed."""
    out = StringIO()
    call_command("send_reminders", "--date", day.isoformat(), *args, stdout=out, stderr=out)
    return out.getvalue()


def sent_to(address: str) -> list:
    return [message for message in mail.outbox if address in message.to]


def html_of(message) -> str:
    (html, mimetype) = message.alternatives[0]
    assert mimetype == "text/html"
    return html


def signed_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client
