"""Action invariants: in clean() where a form can show them, and in the database regardless."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from actions.models import Action
from actions.rag import Status

from .factories import ActionFactory, FindingFactory, UserFactory

pytestmark = pytest.mark.django_db

D = datetime.date


def build(**fields) -> Action:
    return ActionFactory.build(finding=FindingFactory(), owner=UserFactory(), **fields)


def refused_by_database(action: Action) -> None:
    with pytest.raises(IntegrityError), transaction.atomic():
        action.save()


def test_a_well_formed_action_passes_full_clean():
    build(start_date=D(2025, 1, 1), due_date=D(2025, 6, 1)).full_clean()


def test_due_date_before_start_is_refused_by_full_clean():
    with pytest.raises(ValidationError) as caught:
        build(start_date=D(2025, 6, 1), due_date=D(2025, 5, 31)).full_clean()
    assert (
        "The due date must be on or after the start date." in caught.value.message_dict["due_date"]
    )


def test_due_date_before_start_is_refused_by_the_database():
    refused_by_database(build(start_date=D(2025, 6, 1), due_date=D(2025, 5, 31)))


def test_due_on_the_start_date_is_allowed():
    action = build(start_date=D(2025, 6, 1), due_date=D(2025, 6, 1))
    action.full_clean()
    action.save()


def test_revised_due_date_before_start_is_refused():
    action = build(start_date=D(2025, 6, 1), due_date=D(2025, 9, 1), revised_due_date=D(2025, 5, 1))
    with pytest.raises(ValidationError) as caught:
        action.full_clean()
    assert (
        "The revised due date must be on or after the start date."
        in caught.value.message_dict["revised_due_date"]
    )
    refused_by_database(action)


def test_percent_101_is_refused_by_full_clean():
    with pytest.raises(ValidationError) as caught:
        build(percent_complete=101).full_clean()
    assert "percent_complete" in caught.value.message_dict


def test_percent_101_is_refused_by_the_database():
    refused_by_database(build(percent_complete=101))


def test_percent_100_is_allowed_by_the_database():
    action = build(status=Status.DELIVERED, percent_complete=100)
    action.save()
    assert Action.objects.get(pk=action.pk).percent_complete == 100


def test_complete_without_sign_off_is_refused_by_the_database():
    refused_by_database(build(status=Status.COMPLETE, percent_complete=100))


def test_complete_below_100_percent_is_refused_by_the_database():
    refused_by_database(
        build(
            status=Status.COMPLETE,
            percent_complete=90,
            signed_off_by=UserFactory(),
            signed_off_at=timezone.now(),
        )
    )


def test_complete_with_a_sign_off_is_allowed():
    action = build(
        status=Status.COMPLETE,
        percent_complete=100,
        signed_off_by=UserFactory(),
        signed_off_at=timezone.now(),
    )
    action.full_clean()
    action.save()


def test_only_a_complete_action_carries_a_sign_off():
    refused_by_database(
        build(status=Status.IN_PROGRESS, signed_off_by=UserFactory(), signed_off_at=timezone.now())
    )


def test_database_refuses_an_unknown_status():
    refused_by_database(build(status="done"))


def test_database_refuses_an_unknown_priority():
    refused_by_database(build(priority=7))


def test_effective_due_date_prefers_the_revised_one():
    assert build(due_date=D(2025, 6, 1)).effective_due_date == D(2025, 6, 1)
    assert build(due_date=D(2025, 6, 1), revised_due_date=D(2025, 8, 1)).effective_due_date == D(
        2025, 8, 1
    )


def test_is_overdue_uses_the_date_in_england():
    today = timezone.localdate()
    assert build(due_date=today - datetime.timedelta(days=1)).is_overdue
    assert not build(due_date=today).is_overdue
    assert not build(
        due_date=today - datetime.timedelta(days=1), status=Status.DELIVERED
    ).is_overdue
