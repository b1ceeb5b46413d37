"""Issue 12, item 3: nobody reads another council's history in the admin.

The admin is for superusers only (issue 7): to a council admin, even one with
staff status and every model permission, every history page and every version
page answers 404, whoever's and wherever the object is. A superuser reads it all,
and the pages only read.
"""

import pytest
from django.contrib.admin.models import CHANGE, LogEntry
from django.contrib.contenttypes.models import ContentType
from django.urls import reverse
from django.utils import timezone

from councils.models import Council, Membership, User
from inspections.models import Inspection, Theme
from tests.factories import ActionFactory, InspectionFactory, ThemeFactory

pytestmark = pytest.mark.django_db

SECRET = "ZZOTHERBYSECRET"


def _history(client, model, obj):
    opts = model._meta
    return client.get(reverse(f"admin:{opts.app_label}_{opts.model_name}_history", args=[obj.pk]))


def _version(client, model, obj, version, method="get"):
    opts = model._meta
    url = f"admin:{opts.app_label}_{opts.model_name}_simple_history"
    return getattr(client, method)(reverse(url, args=[obj.pk, version.history_id]))


def _log(user, author, message):
    return LogEntry.objects.create(
        user=author,
        content_type=ContentType.objects.get_for_model(User),
        object_id=str(user.pk),
        object_repr=str(user),
        action_flag=CHANGE,
        change_message=message,
        action_time=timezone.now(),
    )


@pytest.fixture
def objects(home, other, home_staff, shared_staff):
    """One object of each audited kind, at the admin's own council and at the other."""
    theme = ThemeFactory(name=f"{SECRET} theme")
    action = ActionFactory(finding__inspection__council=home, owner=home_staff)
    inspection = InspectionFactory(council=other, lead_inspector=f"{SECRET} inspector")
    return [
        (Theme, theme),
        (Council, home),
        (Council, other),
        (Membership, Membership.objects.get(user=home_staff, council=home)),
        (Membership, Membership.objects.get(user=shared_staff, council=other)),
        (Inspection, action.finding.inspection),
        (Inspection, inspection),
        (type(action), action),
    ]


@pytest.mark.parametrize("who", ["home_admin", "two_council_admin"])
def test_a_council_admin_reads_no_history_at_all(client, request, objects, who):
    client.force_login(request.getfixturevalue(who))
    for model, obj in objects:
        version = obj.history.first()
        for response in (_history(client, model, obj), _version(client, model, obj, version)):
            assert response.status_code == 404, (model, obj)
            assert SECRET not in response.content.decode()


@pytest.mark.parametrize("who", ["home_admin", "two_council_admin"])
def test_a_council_admin_reads_no_ones_log(
    client, request, superuser, home_staff, shared_staff, who
):
    for person in (home_staff, shared_staff):
        _log(person, superuser, f"{SECRET}: changed")
    client.force_login(request.getfixturevalue(who))
    for person in (home_staff, shared_staff):
        response = _history(client, User, person)
        assert response.status_code == 404
        assert SECRET not in response.content.decode()


def test_a_superuser_reads_every_history_and_log(client, superuser, objects, shared_staff):
    entry = _log(shared_staff, superuser, "Changed email.")
    client.force_login(superuser)
    for model, obj in objects:
        assert _history(client, model, obj).status_code == 200, (model, obj)
        assert _version(client, model, obj, obj.history.first()).status_code == 200
    response = _history(client, User, shared_staff)
    assert [e.pk for e in response.context["action_list"]] == [entry.pk]


def test_a_version_page_only_reads(client, superuser, objects):
    """No "revert to this version": an action changes only through actions.services."""
    client.force_login(superuser)
    model, inspection = objects[6]
    first = inspection.history.last()
    inspection.lead_inspector = "Someone else"
    inspection.save()
    response = _version(client, model, inspection, first, method="post")
    assert response.status_code == 405
    inspection.refresh_from_db()
    assert inspection.lead_inspector == "Someone else"


def test_an_inspection_moved_between_councils_keeps_every_version(client, superuser, home, other):
    inspection = InspectionFactory(council=other)
    inspection.council = home
    inspection.save()
    client.force_login(superuser)
    response = _history(client, Inspection, inspection)
    assert len(response.context["page_obj"].object_list) == 2
