"""Service rules that surviving mutants showed no test pinned down (docs/testing.md).

Each service is one transaction; the percent boundaries of logging progress and of
sending back; what an edit writes to the timeline when the owner changes, and only then.
"""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from actions import services
from actions.models import Action, ProgressUpdate, UpdateKind
from actions.rag import Status
from councils.models import User
from tests.factories import ActionFactory

from .conftest import PDF, days, written

pytestmark = pytest.mark.django_db


def log(action, author, *, status=Status.IN_PROGRESS, percent=40, note="Under way.", **extra):
    return services.log_progress(
        action=action, author=author, note=note, status=status, percent_complete=percent, **extra
    )


@pytest.fixture
def delivered(action, staff):
    log(action, staff, percent=30)
    log(action, staff, status=Status.DELIVERED, percent=100, note="Done.")
    action.refresh_from_db()
    return action


# --- Every service is all or nothing ----------------------------------------------------------


def _refuse(monkeypatch, model):
    """Make saving `model` fail once the timeline entry (or the action) has been written."""

    def refuse(self, *args, **kwargs):
        raise ValidationError("Refused for the test.")

    monkeypatch.setattr(model, "full_clean", refuse)


def _sign_off(action, staff, manager):
    return services.sign_off(action=action, manager=manager)


SERVICES = {
    "log_progress": lambda action, staff, manager: log(action, staff, percent=50),
    "sign_off": _sign_off,
    "send_back": lambda action, staff, manager: services.send_back(
        action=action, manager=manager, reason="Not yet."
    ),
    "revise_due_date": lambda action, staff, manager: services.revise_due_date(
        action=action,
        manager=manager,
        revised_due_date=action.due_date + datetime.timedelta(days=9),
        reason="Late.",
    ),
    "cancel": lambda action, staff, manager: services.cancel(
        action=action, manager=manager, reason="Replaced."
    ),
}


@pytest.mark.parametrize("name", [*SERVICES, "reopen"])
def test_a_service_that_fails_part_way_writes_nothing(delivered, staff, manager, monkeypatch, name):
    if name == "reopen":
        services.cancel(action=delivered, manager=manager, reason="Replaced.")
        call = lambda action, staff, manager: services.reopen(  # noqa: E731
            action=action, manager=manager, reason="Needed."
        )
    elif name in ("log_progress", "revise_due_date", "cancel"):
        services.send_back(action=delivered, manager=manager, reason="Not yet.")
        call = SERVICES[name]
    else:
        call = SERVICES[name]
    before = written(delivered)
    _refuse(monkeypatch, Action)  # the timeline entry is saved, then the action refuses
    with pytest.raises(ValidationError, match="Refused for the test."):
        call(delivered, staff, manager)
    monkeypatch.undo()
    assert written(delivered) == before


def test_an_edit_that_fails_part_way_writes_nothing(action, manager, other_staff, monkeypatch):
    before = written(action)
    _refuse(monkeypatch, ProgressUpdate)  # the action is saved, then its timeline entry fails
    with pytest.raises(ValidationError, match="Refused for the test."):
        services.action_edit(
            action=action,
            editor=manager,
            expected_version=action.version,
            title="A new title",
            owner=other_staff,
        )
    monkeypatch.undo()
    assert written(action) == before


def test_an_action_whose_contributors_fail_is_not_created(
    council, action, manager, staff, other_staff, monkeypatch
):
    def refuse(self, *args, **kwargs):
        raise ValidationError("Refused for the test.")

    # The action is saved first, then its contributors: make the second step fail.
    monkeypatch.setattr(Action.contributors.related_manager_cls, "set", refuse)
    count = Action.objects.count()
    with pytest.raises(ValidationError, match="Refused for the test."):
        services.action_create(
            finding=action.finding,
            title="Recruit carers",
            owner=staff,
            due_date=days(90),
            created_by=manager,
            contributors=[other_staff],
        )
    monkeypatch.undo()
    assert Action.objects.count() == count


# --- Percent boundaries -----------------------------------------------------------------------


@pytest.mark.parametrize("percent", [0, 100])
def test_progress_at_either_end_of_the_scale_is_accepted(action, staff, percent):
    status = Status.DELIVERED if percent == 100 else Status.NOT_STARTED
    update = log(action, staff, status=status, percent=percent)
    assert update.percent_complete == percent
    assert Action.objects.get(pk=action.pk).percent_complete == percent


@pytest.mark.parametrize("percent", [0, 99])
def test_sending_back_at_0_to_99_percent_is_accepted(delivered, manager, percent):
    services.send_back(
        action=delivered, manager=manager, reason="Not finished.", percent_complete=percent
    )
    fresh = Action.objects.get(pk=delivered.pk)
    assert (fresh.status, fresh.percent_complete) == (Status.IN_PROGRESS, percent)


@pytest.mark.parametrize("percent", [-1, 100, 150])
def test_sending_back_at_100_percent_or_outside_the_scale_is_refused(delivered, manager, percent):
    before = written(delivered)
    with pytest.raises(ValidationError) as caught:
        services.send_back(
            action=delivered, manager=manager, reason="Not finished.", percent_complete=percent
        )
    assert caught.value.message_dict == {
        "percent_complete": [
            "An action sent back is not finished: enter a whole number from 0 to 99."
        ]
    }
    assert written(delivered) == before


def test_sending_back_without_a_figure_restores_the_percent_before_delivery(delivered, manager):
    services.send_back(action=delivered, manager=manager, reason="Not finished.")
    assert Action.objects.get(pk=delivered.pk).percent_complete == 30


# --- Reassigning ------------------------------------------------------------------------------


def test_changing_the_owner_writes_one_reassigned_entry_with_the_reason(
    action, manager, staff, other_staff
):
    services.action_edit(
        action=action,
        editor=manager,
        expected_version=action.version,
        owner=other_staff,
        reason="Priya has moved team.",
    )
    (entry,) = ProgressUpdate.objects.filter(action=action)
    assert entry.kind == UpdateKind.REASSIGNED
    assert entry.author == manager
    assert entry.note == f"Reassigned from {staff} to {other_staff}. Priya has moved team."


def test_an_edit_that_keeps_the_owner_writes_no_entry(action, manager, staff):
    services.action_edit(
        action=action,
        editor=manager,
        expected_version=action.version,
        owner=staff,
        title="A clearer title",
        reason="Clearer.",
    )
    assert not ProgressUpdate.objects.filter(action=action).exists()
    assert Action.objects.get(pk=action.pk).title == "A clearer title"


def test_a_reassignment_without_a_reason_says_only_who(action, manager, staff, other_staff):
    services.action_edit(
        action=action, editor=manager, expected_version=action.version, owner=other_staff
    )
    assert ProgressUpdate.objects.get(action=action).note == (
        f"Reassigned from {staff} to {other_staff}."
    )


# --- Evidence names ---------------------------------------------------------------------------


def test_an_evidence_name_of_255_characters_is_kept_whole(action, staff, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    # Django's upload keeps the last 255 characters' worth, extension included.
    upload = SimpleUploadedFile("Minutes of the board " + "x" * 300 + ".pdf", PDF)
    assert len(upload.name) == 255
    update = log(action, staff, evidence_file=upload)
    update.refresh_from_db()
    assert update.evidence_file_name == upload.name


# --- Escalation -------------------------------------------------------------------------------


@pytest.fixture
def late(council, staff):
    return ActionFactory(
        finding__inspection__council=council,
        owner=staff,
        status=Status.IN_PROGRESS,
        due_date=days(-20),
        last_progress_at=timezone.now() - datetime.timedelta(days=40),
    )


def test_an_escalation_is_written_by_the_system_account(late):
    entry = services.record_escalation(action=late)
    assert entry.kind == UpdateKind.ESCALATED
    assert entry.author.username == services.SYSTEM_USERNAME
    assert not entry.author.is_active, "nobody can sign in as the system account"


def test_an_escalation_that_fails_part_way_writes_nothing(late, monkeypatch):
    """The system account is made first, then the entry: if the entry fails, neither stays."""
    before = written(late)
    _refuse(monkeypatch, ProgressUpdate)
    with pytest.raises(ValidationError, match="Refused for the test."):
        services.record_escalation(action=late)
    monkeypatch.undo()
    assert written(late) == before
    assert not User.objects.filter(username=services.SYSTEM_USERNAME).exists()
