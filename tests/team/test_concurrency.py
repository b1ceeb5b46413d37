"""Two admins stepping down at the same moment: the council keeps one (PostgreSQL only)."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection

from councils import services
from councils.models import Membership, Role
from tests.test_concurrency import run_together

from .conftest import membership_of

pytestmark = [
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
    pytest.mark.skipif(
        connection.vendor != "postgresql",
        reason="real concurrent transactions need PostgreSQL (CI runs them)",
    ),
]


def test_two_admins_demoting_each_other_at_once_leave_one_admin(admin, second_admin, council):
    def demote(target, actor):
        return lambda: services.change_role(
            membership=Membership.objects.get(pk=membership_of(target, council).pk),
            role=Role.STAFF,
            changed_by=actor,
        )

    results = run_together(demote(admin, second_admin), demote(second_admin, admin))
    outcomes = sorted(kind for kind, _ in results)
    assert outcomes == ["error", "ok"], f"exactly one change should win, got {results}"
    error = next(value for kind, value in results if kind == "error")
    assert isinstance(error, ValidationError | PermissionDenied), repr(error)
    assert Membership.objects.filter(council=council, role=Role.ADMIN).count() == 1


def test_two_admins_removing_each_other_at_once_leave_one(admin, second_admin, council):
    def remove(target, actor):
        return lambda: services.remove_member(
            membership=Membership.objects.get(pk=membership_of(target, council).pk),
            removed_by=actor,
        )

    results = run_together(remove(admin, second_admin), remove(second_admin, admin))
    assert sorted(kind for kind, _ in results) == ["error", "ok"], results
    assert Membership.objects.filter(council=council, role=Role.ADMIN).count() == 1
