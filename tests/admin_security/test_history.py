"""Issue 12, item 3: a council admin's history pages show only what happened at their councils.

- Themes are shared by every council: their history is every council's doing,
  so only a superuser reads it.
- A person's history (the admin's log): only for people the admin may manage
  (item 1), and only since they last belonged to a council outside the admin's.
- An object that moved from another council keeps its versions from there.
"""

import datetime

import pytest
from django.contrib.admin.models import CHANGE, LogEntry
from django.contrib.contenttypes.models import ContentType
from django.urls import reverse
from django.utils import timezone

from councils.models import Membership, User
from inspections.models import Inspection, Theme
from tests.factories import InspectionFactory, MembershipFactory

pytestmark = pytest.mark.django_db

SECRET = "ZZOTHERBYSECRET"


def _history(client, model, obj):
    opts = model._meta
    return client.get(reverse(f"admin:{opts.app_label}_{opts.model_name}_history", args=[obj.pk]))


def _version(client, model, obj, version):
    opts = model._meta
    url = f"admin:{opts.app_label}_{opts.model_name}_simple_history"
    return client.get(reverse(url, args=[obj.pk, version.history_id]))


# --- Themes ---------------------------------------------------------------------------------------


@pytest.fixture
def theme_added_at_otherby(client, other_admin):
    """Otherby's admin adds a theme through the admin: its history names them."""
    client.force_login(other_admin)
    response = client.post(
        reverse("admin:inspections_theme_add"),
        {"name": f"{SECRET} theme", "slug": "otherby-theme", "is_active": "on"},
    )
    assert response.status_code == 302
    client.logout()
    return Theme.objects.get(slug="otherby-theme")


def test_a_council_admin_cannot_read_a_themes_history(
    client, home_admin, other_admin, theme_added_at_otherby
):
    client.force_login(home_admin)
    theme = theme_added_at_otherby
    assert client.get(reverse("admin:inspections_theme_changelist")).status_code == 200

    for response in (
        _history(client, Theme, theme),
        _version(client, Theme, theme, theme.history.first()),
    ):
        assert response.status_code == 403
        assert str(other_admin) not in response.content.decode()


def test_a_superuser_reads_a_themes_history(client, superuser, other_admin, theme_added_at_otherby):
    client.force_login(superuser)
    response = _history(client, Theme, theme_added_at_otherby)
    assert response.status_code == 200
    assert str(other_admin) in response.content.decode()


# --- People ---------------------------------------------------------------------------------------


def _log(user, author, message, when):
    return LogEntry.objects.create(
        user=author,
        content_type=ContentType.objects.get_for_model(User),
        object_id=str(user.pk),
        object_repr=str(user),
        action_flag=CHANGE,
        change_message=message,
        action_time=when,
    )


def test_a_council_admin_cannot_read_the_history_of_someone_shared_with_another_council(
    client, home_admin, other_admin, shared_staff
):
    _log(shared_staff, other_admin, f"{SECRET}: changed at Otherby", timezone.now())
    client.force_login(home_admin)
    response = _history(client, User, shared_staff)
    assert response.status_code == 404
    assert SECRET not in response.content.decode()


def test_a_person_who_left_another_council_shows_only_what_came_after(
    client, home_admin, other_admin, superuser, home, other, home_staff
):
    """Someone once at Otherby too: Otherby's entries stay Otherby's."""
    then = timezone.now() - datetime.timedelta(days=30)
    otherby_membership = MembershipFactory(user=home_staff, council=other)
    membership_id = otherby_membership.pk
    _log(home_staff, other_admin, f"{SECRET}: changed at Otherby", then)
    Membership.history.filter(id=membership_id).update(history_date=then)
    left_at = then + datetime.timedelta(days=1)
    otherby_membership.delete()
    Membership.history.filter(id=membership_id, history_type="-").update(history_date=left_at)
    later = _log(home_staff, superuser, "Changed first name.", left_at + datetime.timedelta(days=1))

    client.force_login(home_admin)
    response = _history(client, User, home_staff)

    assert response.status_code == 200
    assert [entry.pk for entry in response.context["action_list"]] == [later.pk]
    assert SECRET not in response.content.decode()

    client.force_login(superuser)
    response = _history(client, User, home_staff)
    assert len(response.context["action_list"]) == 2, "a superuser reads it all"


def test_a_person_always_at_the_admins_council_shows_their_whole_history(
    client, home_admin, superuser, home_staff
):
    entry = _log(home_staff, superuser, "Changed email.", timezone.now())
    client.force_login(home_admin)
    response = _history(client, User, home_staff)
    assert [e.pk for e in response.context["action_list"]] == [entry.pk]


# --- Objects that moved from another council ------------------------------------------------------


def test_an_inspection_moved_from_another_council_keeps_its_versions_there(
    client, home_admin, superuser, home, other
):
    inspection = InspectionFactory(council=other, lead_inspector=f"{SECRET} inspector")
    inspection.lead_inspector = f"{SECRET} second inspector"
    inspection.save()
    inspection.council = home
    inspection.lead_inspector = "Homeshire's inspector"
    inspection.save()
    at_otherby = inspection.history.filter(council=other).first()

    client.force_login(home_admin)
    response = _history(client, Inspection, inspection)

    assert response.status_code == 200
    listed = [record.history_id for record in response.context["page_obj"].object_list]
    assert listed == list(
        inspection.history.filter(council=home).values_list("history_id", flat=True)
    )
    assert SECRET not in response.content.decode()
    assert _version(client, Inspection, inspection, at_otherby).status_code == 404

    client.force_login(superuser)
    assert len(_history(client, Inspection, inspection).context["page_obj"].object_list) == 3
    assert _version(client, Inspection, inspection, at_otherby).status_code == 200
