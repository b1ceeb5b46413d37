"""Helpers for the regression tests: each test here would fail if a known bug came back.

The tests in this folder were written after deliberate single bugs were planted in
the code and the rest of the suite let them through (issue 12). The council and its
people (staff, other_staff, manager, second_manager) and `action` come from
tests/conftest.py.
"""

import datetime

import pytest
from django.test import Client
from django.utils import timezone

from actions.models import Action, ProgressUpdate
from councils.models import Role
from tests.factories import CouncilFactory, MembershipFactory, UserFactory

PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"


def days(n: int) -> datetime.date:
    return timezone.localdate() + datetime.timedelta(days=n)


def signed_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def member(council, role, **fields):
    user = UserFactory(**fields)
    MembershipFactory(user=user, council=council, role=role)
    return user


def written(action) -> tuple:
    """Everything stored about an action: its row (version included), timeline and history."""
    return (
        Action.objects.filter(pk=action.pk).values().get(),
        list(ProgressUpdate.objects.filter(action_id=action.pk).order_by("pk").values()),
        sorted(action.contributors.values_list("pk", flat=True)),
        Action.history.filter(id=action.pk).count(),
    )


@pytest.fixture
def other_council(db):
    return CouncilFactory(name="Elsewhere")


@pytest.fixture
def outsider(other_council):
    """Staff at another council only."""
    return member(other_council, Role.STAFF, first_name="Olu", last_name="Outsider")
