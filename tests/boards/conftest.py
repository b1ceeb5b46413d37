"""Helpers for the board tests: a plan written through actions.services at chosen moments.

The council and its people (staff, other_staff, manager, second_manager) come from
tests/conftest.py.
"""

import datetime
from contextlib import contextmanager
from unittest import mock

import pytest
from django.test import Client
from django.utils import timezone

from actions import services
from actions.models import Action
from tests.factories import FindingFactory, InspectionFactory

T0 = timezone.make_aware(datetime.datetime(2025, 1, 6, 9, 0))


def signed_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


@contextmanager
def clock_at(moment: datetime.datetime):
    """Within the block, timezone.now() is `moment`: every timestamp a write leaves."""
    with mock.patch("django.utils.timezone.now", return_value=moment):
        yield moment


class PlanWriter:
    """Writes a council's plan through the services, each write dated as asked."""

    def __init__(self, *, council, manager, owner, finding=None):
        self.council = council
        self.manager = manager
        self.owner = owner
        self.finding = finding or FindingFactory(inspection=InspectionFactory(council=council))

    def create(self, at, *, due, title="An action", finding=None, owner=None) -> Action:
        with clock_at(at):
            return services.action_create(
                finding=finding or self.finding,
                title=title,
                owner=owner or self.owner,
                due_date=due,
                created_by=self.manager,
                recorded_at=at,
            )

    def progress(self, action, at, *, status="in_progress", percent=50, author=None):
        with clock_at(at):
            return services.log_progress(
                action=action,
                author=author or self.owner,
                note="Progress.",
                status=status,
                percent_complete=percent,
                recorded_at=at,
            )

    def deliver(self, action, at):
        return self.progress(action, at, status="delivered", percent=100)

    def sign_off(self, action, at):
        with clock_at(at):
            return services.sign_off(action=action, manager=self.manager, recorded_at=at)

    def send_back(self, action, at):
        with clock_at(at):
            return services.send_back(
                action=action, manager=self.manager, reason="Not yet.", recorded_at=at
            )

    def revise(self, action, at, due):
        with clock_at(at):
            return services.revise_due_date(
                action=action,
                manager=self.manager,
                revised_due_date=due,
                reason="Waiting for the new team.",
                recorded_at=at,
            )

    def cancel(self, action, at):
        with clock_at(at):
            return services.cancel(
                action=action, manager=self.manager, reason="No longer needed.", recorded_at=at
            )

    def reopen(self, action, at):
        with clock_at(at):
            return services.reopen(
                action=action, manager=self.manager, reason="Needed after all.", recorded_at=at
            )

    def reassign(self, action, at, owner):
        with clock_at(at):
            action.refresh_from_db()
            return services.action_edit(
                action=action, editor=self.manager, expected_version=action.version, owner=owner
            )


@pytest.fixture
def writer(council, manager, staff):
    return PlanWriter(council=council, manager=manager, owner=staff)
