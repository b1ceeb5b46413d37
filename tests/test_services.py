"""Every write to an action goes through actions.services: the rules each one keeps."""

import datetime
import os

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from actions import services
from actions.models import Action, ProgressUpdate, UpdateKind
from actions.rag import Rag, Status
from councils.models import Role

from .factories import ActionFactory, FindingFactory, MembershipFactory, UserFactory

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"


def days(n: int) -> datetime.timedelta:
    return datetime.timedelta(days=n)


def log(action, author, *, status=Status.IN_PROGRESS, percent=40, note="Work has begun.", **extra):
    return services.log_progress(
        action=action,
        author=author,
        note=note,
        status=status,
        percent_complete=percent,
        **extra,
    )


def stored(action) -> tuple:
    """What the database holds for an action: its whole row (version included), its
    timeline, its contributors and its audit history. A refused change leaves all four
    as they were."""
    return (
        Action.objects.filter(pk=action.pk).values().get(),
        list(ProgressUpdate.objects.filter(action_id=action.pk).order_by("pk").values()),
        sorted(
            Action.contributors.through.objects.filter(action_id=action.pk).values_list(
                "user_id", flat=True
            )
        ),
        Action.history.filter(id=action.pk).count(),
    )


@pytest.fixture
def delivered(action, staff):
    log(action, staff, status=Status.DELIVERED, percent=100, note="Done; report attached.")
    return action


@pytest.fixture
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


def files_under(path) -> list[str]:
    return [name for _, _, names in os.walk(path) for name in names]


# --- log_progress ---------------------------------------------------------------------------------


def test_log_progress_writes_an_update_and_changes_the_action(action, staff):
    before = Action.objects.get(pk=action.pk)
    update = log(action, staff, status=Status.IN_PROGRESS, percent=40, note="  Work has begun. ")
    after = Action.objects.get(pk=action.pk)
    assert (after.status, after.percent_complete) == (Status.IN_PROGRESS, 40)
    assert after.version == before.version + 1
    assert after.last_progress_at >= before.last_progress_at
    assert (update.kind, update.author, update.note) == (
        UpdateKind.PROGRESS,
        staff,
        "Work has begun.",
    )
    assert list(after.updates.all()) == [update]


def test_log_progress_records_the_previous_status_and_percent(action, staff):
    log(action, staff, status=Status.IN_PROGRESS, percent=40)
    update = log(action, staff, status=Status.BLOCKED, percent=45, note="Waiting for housing.")
    assert (update.previous_status, update.previous_percent) == (Status.IN_PROGRESS, 40)
    assert (update.status, update.percent_complete) == (Status.BLOCKED, 45)
    assert update.status_changed


def test_log_progress_updates_the_callers_instance(action, staff):
    log(action, staff, status=Status.IN_PROGRESS, percent=40)
    assert (action.status, action.percent_complete, action.version) == (Status.IN_PROGRESS, 40, 2)


def test_logging_progress_makes_a_stale_action_fresh(action, staff):
    Action.objects.filter(pk=action.pk).update(last_progress_at=timezone.now() - days(45))
    action.refresh_from_db()
    assert action.assess().rag == Rag.AMBER
    log(action, staff, percent=50)
    assert Action.objects.get(pk=action.pk).assess().rag == Rag.GREEN


def test_log_progress_is_all_or_nothing(action, staff, monkeypatch):
    # If the action cannot be saved, the update written just before it must go too.
    def refuse(self, *args, **kwargs):
        raise ValidationError("The action refused the change.")

    before = stored(action)
    monkeypatch.setattr(Action, "full_clean", refuse)
    with pytest.raises(ValidationError, match="The action refused the change."):
        log(action, staff, percent=50)
    monkeypatch.undo()
    assert stored(action) == before


def test_log_progress_at_an_earlier_date_does_not_move_last_progress_back(action, staff):
    log(action, staff, percent=40)
    latest = Action.objects.get(pk=action.pk).last_progress_at
    log(action, staff, percent=45, recorded_at=timezone.now() - days(20), note="Back-dated.")
    assert Action.objects.get(pk=action.pk).last_progress_at == latest


@pytest.mark.parametrize("status", [Status.COMPLETE, Status.CANCELLED])
def test_complete_and_cancelled_cannot_be_logged(action, staff, status):
    before = stored(action)
    with pytest.raises(ValidationError) as caught:
        log(action, staff, status=status, percent=100)
    assert caught.value.message_dict["status"] == [
        "Choose not started, in progress, blocked or delivered. An action becomes complete "
        "when a manager signs it off."
    ]
    assert stored(action) == before


def test_delivered_must_be_100_percent(action, staff):
    before = stored(action)
    with pytest.raises(ValidationError) as caught:
        log(action, staff, status=Status.DELIVERED, percent=90)
    assert caught.value.message_dict["percent_complete"] == [
        "A delivered action is 100% complete: enter 100."
    ]
    assert stored(action) == before


@pytest.mark.parametrize("note", ["", "   ", None])
def test_a_note_is_required(action, staff, note):
    before = stored(action)
    with pytest.raises(ValidationError) as caught:
        log(action, staff, note=note)
    assert caught.value.message_dict["note"] == ["Enter a note saying what has happened."]
    assert stored(action) == before


@pytest.mark.parametrize("percent", [-1, 101, 250, None])
def test_percent_outside_0_to_100_is_refused_and_nothing_is_written(action, staff, percent):
    updates_before = ProgressUpdate.objects.count()
    before = stored(action)
    with pytest.raises(ValidationError) as caught:
        log(action, staff, percent=percent)
    assert caught.value.message_dict["percent_complete"] == [
        "Percent complete must be a whole number from 0 to 100."
    ]
    assert ProgressUpdate.objects.count() == updates_before
    assert stored(action) == before


def test_staff_who_is_neither_owner_nor_contributor_cannot_log_progress(action, other_staff):
    before = stored(action)
    with pytest.raises(PermissionDenied):
        log(action, other_staff)
    assert stored(action) == before


def test_contributor_can_log_progress(action, other_staff):
    action.contributors.add(other_staff)
    update = log(action, other_staff)
    assert update.author == other_staff


def test_manager_at_the_council_can_log_progress_on_any_action(action, manager):
    assert log(action, manager).author == manager


def test_someone_from_another_council_cannot_log_progress(action):
    outsider = UserFactory()
    MembershipFactory(user=outsider, role=Role.MANAGER)  # a manager, but elsewhere
    action.contributors.add(outsider)
    before = stored(action)
    with pytest.raises(PermissionDenied):
        log(action, outsider)
    assert stored(action) == before


def test_owner_who_left_the_council_cannot_log_progress(action, staff):
    staff.memberships.all().delete()
    before = stored(action)
    with pytest.raises(PermissionDenied):
        log(action, staff)
    assert stored(action) == before


def test_no_progress_on_a_cancelled_action(action, staff, manager):
    services.cancel(action=action, manager=manager, reason="Replaced by a wider action.")
    before = stored(action)
    with pytest.raises(ValidationError, match="cancelled, so progress can no longer be logged"):
        log(action, staff)
    assert stored(action) == before


# --- Evidence -------------------------------------------------------------------------------------


def test_pdf_evidence_is_stored_under_a_random_name_and_keeps_its_original_name(
    action, staff, media_root
):
    upload = SimpleUploadedFile("Board minutes May 2025.pdf", PDF, content_type="application/pdf")
    update = log(action, staff, evidence_file=upload)
    update.refresh_from_db()
    assert update.evidence_file_name == "Board minutes May 2025.pdf"
    assert update.evidence_file.name.startswith("evidence/")
    assert update.evidence_file.name.endswith(".pdf")
    assert "Board minutes" not in update.evidence_file.name
    with update.evidence_file.open("rb") as handle:
        assert handle.read() == PDF
    assert len(files_under(media_root)) == 1


def test_evidence_link_is_kept(action, staff):
    update = log(action, staff, evidence_url="https://example.org/board/2025-05.pdf")
    assert update.evidence_url == "https://example.org/board/2025-05.pdf"


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("setup.exe", b"MZ\x90\x00\x03\x00", "“setup.exe” is not a file type we accept."),
        (
            "report.pdf",
            b"MZ\x90\x00\x03\x00 not really a PDF",
            "“report.pdf” does not look like a PDF file. "
            "Check that it opens, then upload it again.",
        ),
        ("empty.pdf", b"", "“empty.pdf” is empty."),
    ],
)
def test_unsafe_evidence_is_refused_and_nothing_is_written(
    action, staff, media_root, name, content, message
):
    before = stored(action)
    with pytest.raises(ValidationError) as caught:
        log(action, staff, evidence_file=SimpleUploadedFile(name, content))
    assert any(m.startswith(message) for m in caught.value.messages), caught.value.messages
    assert stored(action) == before
    assert files_under(media_root) == []


def test_evidence_larger_than_the_limit_is_refused(action, staff, media_root, settings):
    settings.EVIDENCE_MAX_BYTES = 10
    before = stored(action)
    with pytest.raises(ValidationError, match="The file must be smaller than 10"):
        log(action, staff, evidence_file=SimpleUploadedFile("report.pdf", PDF))
    assert stored(action) == before
    assert files_under(media_root) == []


# --- sign_off and send_back -----------------------------------------------------------------------


def test_manager_signs_off_a_delivered_action(delivered, manager):
    update = services.sign_off(action=delivered, manager=manager, note="Agreed at the board.")
    fresh = Action.objects.get(pk=delivered.pk)
    assert (fresh.status, fresh.percent_complete, fresh.signed_off_by) == (
        Status.COMPLETE,
        100,
        manager,
    )
    assert fresh.signed_off_at is not None
    assert (update.kind, update.previous_status) == (UpdateKind.SIGNED_OFF, Status.DELIVERED)
    assert fresh.assess().rag == Rag.BLUE


def test_council_admin_can_sign_off(delivered, council):
    admin = UserFactory()
    MembershipFactory(user=admin, council=council, role=Role.ADMIN)
    services.sign_off(action=delivered, manager=admin)
    assert Action.objects.get(pk=delivered.pk).status == Status.COMPLETE


@pytest.mark.parametrize("status", [Status.NOT_STARTED, Status.IN_PROGRESS, Status.BLOCKED])
def test_only_a_delivered_action_can_be_signed_off(action, staff, manager, status):
    if status != Status.NOT_STARTED:
        log(action, staff, status=status, percent=50)
    before = stored(action)
    with pytest.raises(ValidationError, match="Only a delivered action can be signed off"):
        services.sign_off(action=action, manager=manager)
    assert stored(action) == before


def test_staff_cannot_sign_off(delivered, other_staff):
    before = stored(delivered)
    with pytest.raises(PermissionDenied, match="Only a manager at this council can do that."):
        services.sign_off(action=delivered, manager=other_staff)
    assert stored(delivered) == before


def test_manager_of_another_council_cannot_sign_off(delivered):
    elsewhere = UserFactory()
    MembershipFactory(user=elsewhere, role=Role.MANAGER)
    before = stored(delivered)
    with pytest.raises(PermissionDenied):
        services.sign_off(action=delivered, manager=elsewhere)
    assert stored(delivered) == before


def test_owner_cannot_sign_off_their_own_action(council, manager, second_manager):
    action = ActionFactory(finding__inspection__council=council, owner=manager)
    log(action, manager, status=Status.DELIVERED, percent=100, note="Done.")
    before = stored(action)
    with pytest.raises(PermissionDenied, match="another manager must sign it off"):
        services.sign_off(action=action, manager=manager)
    assert stored(action) == before
    services.sign_off(action=action, manager=second_manager)
    assert Action.objects.get(pk=action.pk).signed_off_by == second_manager


def test_send_back_needs_a_reason(delivered, manager):
    before = stored(delivered)
    with pytest.raises(ValidationError) as caught:
        services.send_back(action=delivered, manager=manager, reason="  ")
    assert caught.value.message_dict["reason"] == ["Say why the action is being sent back."]
    assert stored(delivered) == before


def test_send_back_returns_a_delivered_action_to_in_progress(delivered, manager):
    update = services.send_back(
        action=delivered, manager=manager, reason="The audit sample is too small."
    )
    fresh = Action.objects.get(pk=delivered.pk)
    assert fresh.status == Status.IN_PROGRESS
    assert (update.kind, update.note) == (UpdateKind.SENT_BACK, "The audit sample is too small.")
    assert (update.previous_status, update.status) == (Status.DELIVERED, Status.IN_PROGRESS)


def test_only_a_delivered_action_can_be_sent_back(action, manager):
    before = stored(action)
    with pytest.raises(ValidationError, match="Only a delivered action can be sent back."):
        services.send_back(action=action, manager=manager, reason="Not good enough.")
    assert stored(action) == before


def test_staff_cannot_send_back(delivered, other_staff):
    before = stored(delivered)
    with pytest.raises(PermissionDenied):
        services.send_back(action=delivered, manager=other_staff, reason="Not good enough.")
    assert stored(delivered) == before


# --- revise_due_date, cancel and reopen -----------------------------------------------------------


def test_revising_the_due_date_keeps_the_original(action, manager):
    original = action.due_date
    new_date = original + days(30)
    update = services.revise_due_date(
        action=action, manager=manager, revised_due_date=new_date, reason="Waiting for budget."
    )
    fresh = Action.objects.get(pk=action.pk)
    assert (fresh.due_date, fresh.revised_due_date, fresh.effective_due_date) == (
        original,
        new_date,
        new_date,
    )
    assert update.kind == UpdateKind.DUE_DATE_REVISED
    assert update.note == (
        f"Due date moved from {original:%-d %B %Y} to {new_date:%-d %B %Y}. Waiting for budget."
    )


def test_revising_the_due_date_needs_a_reason_and_a_new_date(action, manager):
    before = stored(action)
    with pytest.raises(ValidationError) as caught:
        services.revise_due_date(
            action=action, manager=manager, revised_due_date=action.due_date + days(1), reason=""
        )
    assert caught.value.message_dict["reason"] == ["Say why the due date is changing."]
    with pytest.raises(ValidationError) as caught:
        services.revise_due_date(
            action=action, manager=manager, revised_due_date=action.due_date, reason="No change."
        )
    assert caught.value.message_dict["revised_due_date"] == ["That is already the due date."]
    assert stored(action) == before


def test_revised_due_date_cannot_be_before_the_start(council, staff, manager):
    action = ActionFactory(
        finding__inspection__council=council,
        owner=staff,
        start_date=timezone.localdate(),
        due_date=timezone.localdate() + days(30),
    )
    before = stored(action)
    with pytest.raises(ValidationError) as caught:
        services.revise_due_date(
            action=action,
            manager=manager,
            revised_due_date=timezone.localdate() - days(1),
            reason="Typo.",
        )
    assert caught.value.message_dict["revised_due_date"] == [
        "The revised due date must be on or after the start date."
    ]
    assert stored(action) == before


def test_staff_cannot_revise_the_due_date(action, staff):
    before = stored(action)
    with pytest.raises(PermissionDenied):
        services.revise_due_date(
            action=action, manager=staff, revised_due_date=action.due_date + days(7), reason="Late."
        )
    assert stored(action) == before


@pytest.mark.parametrize("closing", ["cancel", "complete"])
def test_a_closed_action_has_no_deadline_to_move(action, staff, manager, closing):
    if closing == "cancel":
        services.cancel(action=action, manager=manager, reason="Replaced.")
    else:
        log(action, staff, status=Status.DELIVERED, percent=100, note="Done.")
        services.sign_off(action=action, manager=manager)
    before = stored(action)
    with pytest.raises(ValidationError, match="A complete or cancelled action has no deadline"):
        services.revise_due_date(
            action=action,
            manager=manager,
            revised_due_date=action.due_date + days(7),
            reason="Late.",
        )
    assert stored(action) == before


def test_cancel_takes_the_action_out_of_the_plan(action, manager):
    update = services.cancel(action=action, manager=manager, reason="Replaced by action 12.")
    fresh = Action.objects.get(pk=action.pk)
    assert fresh.status == Status.CANCELLED
    assert update.kind == UpdateKind.CANCELLED
    assert fresh.assess().label == "Not rated: cancelled"


def test_cancel_needs_a_reason_and_a_manager(action, manager, staff):
    before = stored(action)
    with pytest.raises(ValidationError) as caught:
        services.cancel(action=action, manager=manager, reason="")
    assert caught.value.message_dict["reason"] == ["Say why the action is being cancelled."]
    with pytest.raises(PermissionDenied):
        services.cancel(action=action, manager=staff, reason="Not needed.")
    assert stored(action) == before


def test_cannot_cancel_twice(action, manager):
    services.cancel(action=action, manager=manager, reason="Replaced.")
    before = stored(action)
    with pytest.raises(ValidationError, match="This action is already cancelled."):
        services.cancel(action=action, manager=manager, reason="Again.")
    assert stored(action) == before


def test_cannot_cancel_a_complete_action(delivered, manager):
    services.sign_off(action=delivered, manager=manager)
    before = stored(delivered)
    with pytest.raises(ValidationError) as caught:
        services.cancel(action=delivered, manager=manager, reason="Not needed.")
    assert caught.value.messages == ["This action is already complete."]
    assert stored(delivered) == before


def test_reopen_a_cancelled_action(action, staff, manager):
    log(action, staff, percent=30)
    services.cancel(action=action, manager=manager, reason="Replaced.")
    update = services.reopen(action=action, manager=manager, reason="Still needed after all.")
    fresh = Action.objects.get(pk=action.pk)
    assert (fresh.status, fresh.percent_complete) == (Status.IN_PROGRESS, 30)
    assert (update.kind, update.previous_status) == (UpdateKind.REOPENED, Status.CANCELLED)


def test_reopen_a_complete_action_clears_the_sign_off(delivered, manager):
    services.sign_off(action=delivered, manager=manager)
    services.reopen(action=delivered, manager=manager, reason="The audit found gaps.")
    fresh = Action.objects.get(pk=delivered.pk)
    assert (fresh.status, fresh.percent_complete) == (Status.IN_PROGRESS, 99)
    assert (fresh.signed_off_by, fresh.signed_off_at) == (None, None)


def test_only_a_closed_action_can_be_reopened(action, manager):
    before = stored(action)
    with pytest.raises(
        ValidationError, match="Only a complete or cancelled action can be reopened."
    ):
        services.reopen(action=action, manager=manager, reason="Why not.")
    assert stored(action) == before


def test_reopening_needs_a_reason_and_a_manager(action, manager, staff):
    services.cancel(action=action, manager=manager, reason="Replaced.")
    before = stored(action)
    with pytest.raises(ValidationError) as caught:
        services.reopen(action=action, manager=manager, reason="  ")
    assert caught.value.message_dict["reason"] == ["Say why the action is being reopened."]
    with pytest.raises(PermissionDenied):
        services.reopen(action=action, manager=staff, reason="Still needed.")
    assert stored(action) == before


# --- action_create and action_edit ----------------------------------------------------------------


def test_manager_creates_an_action(council, manager, staff):
    finding = FindingFactory(inspection__council=council)
    due = timezone.localdate() + days(90)
    action = services.action_create(
        finding=finding,
        title="Recruit foster carers",
        owner=staff,
        due_date=due,
        created_by=manager,
    )
    assert (action.status, action.percent_complete, action.version, action.due_date) == (
        Status.NOT_STARTED,
        0,
        1,
        due,
    )


def test_staff_cannot_create_an_action(council, staff):
    finding = FindingFactory(inspection__council=council)
    with pytest.raises(PermissionDenied, match="Only a manager at this council can add actions."):
        services.action_create(
            finding=finding,
            title="Recruit foster carers",
            owner=staff,
            due_date=timezone.localdate() + days(90),
            created_by=staff,
        )
    assert not Action.objects.filter(finding=finding).exists()


def test_action_edit_changes_the_action_and_its_version(action, manager):
    edited = services.action_edit(
        action=action, editor=manager, expected_version=action.version, title="A clearer title"
    )
    fresh = Action.objects.get(pk=action.pk)
    assert (fresh.title, fresh.version) == ("A clearer title", 2)
    assert edited.version == 2


def test_action_edit_with_a_stale_version_changes_nothing(action, staff, manager):
    opened_at_version = action.version
    log(action, staff, percent=20)  # someone else saves in the meantime
    before = stored(action)
    with pytest.raises(services.StaleVersion, match="Someone else changed this action"):
        services.action_edit(
            action=action,
            editor=manager,
            expected_version=opened_at_version,
            title="Overwritten title",
        )
    assert stored(action) == before


@pytest.mark.parametrize(
    "field",
    ["status", "percent_complete", "signed_off_by", "signed_off_at", "version"],
)
def test_action_edit_refuses_status_and_progress(action, manager, field):
    before = stored(action)
    with pytest.raises(ValueError, match=f"Use the progress services to change {field}"):
        services.action_edit(
            action=action, editor=manager, expected_version=action.version, **{field: None}
        )
    assert stored(action) == before


def test_staff_cannot_edit_an_action(action, staff):
    before = stored(action)
    with pytest.raises(PermissionDenied):
        services.action_edit(action=action, editor=staff, expected_version=1, title="Mine now")
    assert stored(action) == before


def test_action_edit_cannot_move_an_action_to_another_councils_finding(action, manager):
    # A manager at one council must not be able to put an action in another council's plan.
    elsewhere = FindingFactory()
    before = stored(action)
    with pytest.raises((PermissionDenied, ValidationError)):
        services.action_edit(
            action=action, editor=manager, expected_version=action.version, finding=elsewhere
        )
    assert stored(action) == before


# --- The timeline cannot be rewritten -------------------------------------------------------------


def test_progress_update_cannot_be_saved_twice(action, staff):
    update = log(action, staff)
    update.note = "Rewritten history."
    with pytest.raises(ValidationError, match="Progress updates cannot be changed once written."):
        update.save()
    assert ProgressUpdate.objects.get(pk=update.pk).note == "Work has begun."


def test_progress_update_cannot_be_deleted(action, staff):
    update = log(action, staff)
    with pytest.raises(ValidationError, match="Progress updates cannot be deleted."):
        update.delete()
    assert ProgressUpdate.objects.filter(pk=update.pk).exists()


def test_progress_updates_cannot_be_changed_in_bulk(action, staff):
    log(action, staff)
    with pytest.raises(NotImplementedError):
        ProgressUpdate.objects.filter(action=action).update(note="Rewritten.")


def test_progress_updates_cannot_be_deleted_in_bulk(action, staff):
    log(action, staff)
    with pytest.raises((NotImplementedError, ValidationError)):
        ProgressUpdate.objects.filter(action=action).delete()
    assert ProgressUpdate.objects.filter(action=action).count() == 1


def test_an_action_with_a_timeline_cannot_be_deleted(action, staff):
    from django.db.models import ProtectedError

    log(action, staff)
    with pytest.raises(ProtectedError):
        action.delete()
