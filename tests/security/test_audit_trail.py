"""The audit trail: every change to the plan is kept with who made it and when."""

import pytest
from django.contrib import admin
from django.contrib.auth.models import Permission
from django.test import RequestFactory
from django.urls import reverse

from actions import services
from actions.audit import action_history
from actions.models import Action, ProgressUpdate
from actions.rag import Status
from councils.models import Role
from inspections.models import Inspection, Theme

from ..factories import ActionFactory, InspectionFactory, MembershipFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def superuser():
    return UserFactory(is_staff=True, is_superuser=True)


@pytest.fixture
def council_admin_with_every_permission():
    """Staff with every model permission, deletes included, but not a superuser."""
    user = UserFactory(is_staff=True)
    user.user_permissions.set(
        Permission.objects.filter(content_type__app_label__in=["actions", "inspections"])
    )
    return user


def test_a_progress_update_is_in_the_audit_trail_with_its_author_and_kind(action, staff):
    services.log_progress(
        action=action, author=staff, note="Started.", status=Status.IN_PROGRESS, percent_complete=20
    )

    latest = action.history.first()
    assert latest.history_user == staff, "the author of the update made the change"
    assert latest.history_change_reason == "Progress update"
    assert (latest.status, latest.percent_complete, latest.version) == (Status.IN_PROGRESS, 20, 2)
    action.refresh_from_db()
    assert action.version == 2, "the service still raises the version by one"


def test_action_history_reads_newest_first_in_words_in_one_query(
    action, staff, manager, django_assert_num_queries
):
    services.log_progress(
        action=action, author=staff, note="Done.", status=Status.DELIVERED, percent_complete=100
    )
    services.sign_off(action=action, manager=manager, note="Evidence seen.")

    with django_assert_num_queries(1):
        history = action_history(action)

    sign_off = [entry for entry in history if entry.reason == "Signed off"]
    assert {entry.field for entry in sign_off} == {"status", "signed_off_by", "signed_off_at"}
    status = next(entry for entry in sign_off if entry.field == "status")
    assert (status.label, status.old, status.new) == (
        "Status",
        Status.DELIVERED.label,
        Status.COMPLETE.label,
    ), "choices are shown by their labels"
    assert status.who == manager
    signer = next(entry for entry in sign_off if entry.field == "signed_off_by")
    assert (signer.old, signer.new) == ("Not set", str(manager))

    delivered = [entry for entry in history if entry.reason == "Progress update"]
    assert {(entry.field, entry.old, entry.new) for entry in delivered} == {
        ("status", Status.NOT_STARTED.label, Status.DELIVERED.label),
        ("percent_complete", "0", "100"),
    }
    assert history[-1].kind == "created", "the oldest entry is the action's creation"
    assert history[0].when >= history[-1].when, "newest first"
    assert not [e for e in history if e.field in ("version", "last_progress_at", "updated_at")], (
        "bookkeeping fields are left out of the readable trail"
    )


def test_an_edit_in_the_admin_is_recorded_with_the_signed_in_user(client, superuser):
    theme = Theme.objects.create(name="Care leavers' pathway plans", slug="pathway-plans")
    client.force_login(superuser)

    response = client.post(
        reverse("admin:inspections_theme_change", args=[theme.pk]),
        {"name": "Pathway plans", "slug": "pathway-plans", "description": "", "is_active": "on"},
    )

    assert response.status_code == 302, response.content.decode()[:2000]
    latest = theme.history.first()
    assert (latest.name, latest.history_user) == ("Pathway plans", superuser), (
        "HistoryRequestMiddleware records who made an admin change"
    )


def test_only_a_superuser_can_delete_and_the_delete_is_recorded(
    client, superuser, council_admin_with_every_permission
):
    inspection = InspectionFactory()
    url = reverse("admin:inspections_inspection_delete", args=[inspection.pk])

    client.force_login(council_admin_with_every_permission)
    assert client.post(url, {"post": "yes"}).status_code == 404, "the admin is not there for them"
    assert Inspection.objects.filter(pk=inspection.pk).exists()

    client.force_login(superuser)
    assert client.post(url, {"post": "yes"}).status_code == 302
    assert not Inspection.objects.filter(pk=inspection.pk).exists()
    deleted = Inspection.history.filter(id=inspection.pk).first()
    assert (deleted.history_type, deleted.history_user) == ("-", superuser), (
        "the delete is kept in the audit trail, with who did it"
    )


@pytest.mark.parametrize(
    "url_name", ["admin:actions_action_delete", "admin:inspections_finding_delete"]
)
def test_a_council_admin_cannot_delete_actions_or_findings(
    client, council_admin_with_every_permission, url_name
):
    action = ActionFactory()
    obj = action if "action" in url_name else action.finding
    client.force_login(council_admin_with_every_permission)
    assert client.get(reverse(url_name, args=[obj.pk])).status_code == 404
    assert client.post(reverse(url_name, args=[obj.pk]), {"post": "yes"}).status_code == 404
    assert type(obj).objects.filter(pk=obj.pk).exists()


def test_a_superuser_deletes_an_action_and_the_trail_keeps_it(client, superuser):
    action = ActionFactory()
    client.force_login(superuser)

    response = client.post(
        reverse("admin:actions_action_delete", args=[action.pk]), {"post": "yes"}
    )

    assert response.status_code == 302
    assert not Action.objects.filter(pk=action.pk).exists()
    assert Action.history.filter(id=action.pk, history_type="-").exists()


def test_progress_updates_cannot_be_deleted_in_the_admin_even_by_a_superuser(superuser):
    """The timeline is append-only: the model refuses deletes, and so does its admin."""
    request = RequestFactory().get("/")
    request.user = superuser
    assert admin.site._registry[ProgressUpdate].has_delete_permission(request) is False


def test_history_version_pages_only_read(client, superuser, action):
    client.force_login(superuser)
    version = action.history.first()
    url = reverse("admin:actions_action_simple_history", args=[action.pk, version.pk])

    assert client.get(url).status_code == 200
    assert client.post(url, {"title": "Replayed"}).status_code == 405, "no revert"
    action.refresh_from_db()
    assert action.title != "Replayed"


def test_a_council_admin_reads_no_history_in_the_admin(client, council):
    """Not even their own council's: the admin is for superusers only (config/admin.py)."""
    admin_user = UserFactory(is_staff=True)
    MembershipFactory(user=admin_user, council=council, role=Role.ADMIN)
    admin_user.user_permissions.set(Permission.objects.filter(codename="view_action"))
    ours = ActionFactory(finding__inspection__council=council)
    client.force_login(admin_user)

    assert client.get(reverse("admin:actions_action_history", args=[ours.pk])).status_code == 404
    url = reverse("admin:actions_action_simple_history", args=[ours.pk, ours.history.first().pk])
    assert client.get(url).status_code == 404
