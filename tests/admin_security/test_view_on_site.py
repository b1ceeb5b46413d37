"""Issue 12, item 2: the admin's "view on site" shortcut is off, however its ids are spelt.

Django's shortcut (/admin/r/<content type>/<id>/) looks objects up without the
council scoping and redirects to them: a 302 for another council's action and a
404 for a missing one tell a council admin what exists. config/urls.py used to
shadow only `<int:...>` spellings, which "+24" and "024" slipped past.
"""

import pytest
from django.contrib.contenttypes.models import ContentType
from django.urls import reverse

from actions.models import Action
from councils.models import Council
from inspections.models import Finding, Inspection
from tests.factories import ActionFactory

pytestmark = pytest.mark.django_db

SPELLINGS = ["{}", "+{}", "0{}", "00{}", "%20{}", "{}%20", "-0{}", "{}.0", "%2B{}", "{}/extra"]


def shortcut_urls(model, object_id):
    content_type = ContentType.objects.get_for_model(model).pk
    for spelling in SPELLINGS:
        yield f"/admin/r/{spelling.format(content_type)}/{object_id}/"
    yield f"/admin/r/{content_type}/{object_id}"
    yield f"/admin/r/{content_type}/+{object_id}/"


@pytest.mark.parametrize("who", ["home_admin", "two_council_admin", "superuser"])
def test_every_spelling_of_the_shortcut_is_a_404(client, request, other, who):
    theirs = ActionFactory(finding__inspection__council=other)
    client.force_login(request.getfixturevalue(who))
    for model, obj in (
        (Action, theirs),
        (Finding, theirs.finding),
        (Inspection, theirs.finding.inspection),
        (Council, other),
    ):
        for object_id in (obj.pk, 987654321):
            for url in shortcut_urls(model, object_id):
                response = client.get(url)
                assert response.status_code == 404, f"{url} answered {response.status_code}"


def test_change_pages_offer_no_view_on_site_link(client, superuser):
    action = ActionFactory()
    client.force_login(superuser)
    for url in (
        reverse("admin:actions_action_change", args=[action.pk]),
        reverse("admin:inspections_finding_change", args=[action.finding_id]),
        reverse("admin:inspections_inspection_change", args=[action.finding.inspection_id]),
        reverse("admin:councils_council_change", args=[action.finding.inspection.council_id]),
    ):
        response = client.get(url)
        assert response.status_code == 200
        assert "/admin/r/" not in response.content.decode(), f"{url} links to the shortcut"
