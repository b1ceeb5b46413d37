"""Issue 7: a successor council enters and sees its predecessors' inspections.

Cumbria split into Cumberland, and Westmorland and Furness. Cumberland's people
see Cumbria's inspections as their history (the list, the inspection and finding
pages), and Cumberland's admins enter and correct Cumbria's letters, so that a
2024 Cumberland finding can repeat a 2022 Cumbria one. A predecessor's findings
take no new actions. Nobody else sees any of it.
"""

import datetime

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from councils.models import Council, Role
from inspections import services
from inspections.models import Inspection
from tests.factories import (
    CouncilFactory,
    FindingFactory,
    InspectionFactory,
    MembershipFactory,
    UserFactory,
)
from tests.letters_web.test_add_letter import REVIEW, read, review_form
from tests.web_actions.conftest import signed_in

pytestmark = pytest.mark.django_db

CUMBRIA_LETTER = """\
Cumbria County Council
Inspection of children's social care services
Inspection dates: 7 February 2022 to 18 February 2022
Lead inspector: Ruth Ellison, His Majesty's Inspector

What needs to improve?
- The quality and timeliness of pathway plans for care leavers.
- Management oversight and supervision of social workers' practice.
"""


# The reference councils and their predecessors are loaded by the councils' migrations.
@pytest.fixture
def cumberland(db):
    return Council.objects.get(dfe_la_code="942")


@pytest.fixture
def westmorland(db):
    return Council.objects.get(dfe_la_code="943")


@pytest.fixture
def cumbria(cumberland, westmorland):
    cumbria = Council.objects.get(dfe_la_code="909")
    assert not cumbria.is_active and set(cumbria.successors.all()) == {cumberland, westmorland}
    return cumbria


@pytest.fixture
def old_finding(cumbria):
    inspection = InspectionFactory(council=cumbria, start_date=datetime.date(2022, 2, 7))
    return FindingFactory(inspection=inspection, short_title="Pathway plans (Cumbria)")


def member(council, role):
    user = UserFactory()
    MembershipFactory(user=user, council=council, role=role)
    return user


@pytest.mark.parametrize("role", [Role.STAFF, Role.MANAGER, Role.ADMIN])
def test_each_successor_sees_the_predecessors_inspections_as_history(
    cumberland, westmorland, old_finding, role
):
    inspection = old_finding.inspection
    for successor in (cumberland, westmorland):
        client = signed_in(member(successor, role))
        listed = client.get(reverse("inspection_list"))
        assert inspection in listed.context["object_list"]
        assert f"Cumbria, before {successor.name} took over" in listed.content.decode()
        page = client.get(reverse("inspection_detail", args=[inspection.pk]))
        assert page.status_code == 200
        assert "This inspection was of Cumbria" in page.content.decode()
        finding_page = client.get(reverse("finding_detail", args=[old_finding.pk]))
        assert finding_page.status_code == 200
        html = finding_page.content.decode()
        assert "Pathway plans (Cumbria)" in html
        assert reverse("action_create", args=[old_finding.pk]) not in html, "no new actions"
        assert reverse("inspection_plan_import", args=[inspection.pk]) not in page.content.decode()


def test_a_predecessors_finding_takes_no_new_actions(cumberland, old_finding):
    client = signed_in(member(cumberland, Role.MANAGER))
    assert client.get(reverse("action_create", args=[old_finding.pk])).status_code == 404


def test_nobody_else_sees_them(old_finding, cumbria):
    stranger = signed_in(member(CouncilFactory(name="Elsewhere"), Role.ADMIN))
    inspection = old_finding.inspection
    assert inspection not in stranger.get(reverse("inspection_list")).context["object_list"]
    for url in (
        reverse("inspection_detail", args=[inspection.pk]),
        reverse("finding_detail", args=[old_finding.pk]),
        reverse("inspection_edit", args=[inspection.pk]),
    ):
        assert stranger.get(url).status_code == 404, url


def test_a_successor_does_not_see_its_successors_or_siblings(cumberland, westmorland):
    """History runs one way: Cumbria's successors share Cumbria's past, not each other's."""
    theirs = InspectionFactory(council=westmorland)
    client = signed_in(member(cumberland, Role.ADMIN))
    assert client.get(reverse("inspection_detail", args=[theirs.pk])).status_code == 404


def test_a_successors_admin_enters_a_predecessors_letter_as_theirs(cumberland, cumbria):
    client = signed_in(member(cumberland, Role.ADMIN))
    read(client, CUMBRIA_LETTER)
    page = client.get(REVIEW)
    html = page.content.decode()
    assert "Whose inspection was it?" in html
    assert "Cumbria (until 31 March 2023)" in html
    assert page.context["details"].initial["council"] == cumbria.pk, "as the letter says"
    assert "seems to be about" not in html, "no warning: Cumbria's letters are Cumberland's to keep"

    response = client.post(
        REVIEW,
        review_form(
            **{
                "letter-council": str(cumbria.pk),
                "letter-start_date_2": "2022",
                "letter-end_date_2": "2022",
                "letter-published_on_2": "2022",
            }
        ),
    )

    assert response.status_code == 302, response.content.decode()[:3000]
    inspection = Inspection.objects.get()
    assert inspection.council == cumbria
    assert response["Location"] == reverse("inspection_detail", args=[inspection.pk])
    page = client.get(response["Location"]).content.decode()
    assert "It is Cumbria&#x27;s, kept in Cumberland&#x27;s history." in page
    assert "Action plan due to Ofsted" not in page and "Add actions" not in page


def test_the_council_choice_offers_only_the_council_and_its_predecessors(cumberland, cumbria):
    client = signed_in(member(cumberland, Role.ADMIN))
    read(client, CUMBRIA_LETTER)
    elsewhere = CouncilFactory(name="Elsewhere")
    response = client.post(REVIEW, review_form(**{"letter-council": str(elsewhere.pk)}))
    assert response.status_code == 200
    assert response.context["details"].errors["council"]
    assert not Inspection.objects.exists()


def test_a_council_with_no_predecessors_is_not_asked(cumbria):
    client = signed_in(member(Council.objects.get(dfe_la_code="873"), Role.ADMIN))
    read(client, CUMBRIA_LETTER)
    html = client.get(REVIEW).content.decode()
    assert "Whose inspection was it?" not in html
    assert "seems to be about Cumbria" in html


def test_only_a_successors_admin_may_record_or_edit_a_predecessors_letter(cumberland, cumbria):
    kwargs = {
        "council": cumbria,
        "kind": "standard",
        "start_date": datetime.date(2022, 2, 7),
        "end_date": datetime.date(2022, 2, 18),
    }
    for outsider in (
        member(cumberland, Role.MANAGER),
        member(CouncilFactory(name="Elsewhere"), Role.ADMIN),
    ):
        with pytest.raises(PermissionDenied):
            services.record_letter(entered_by=outsider, **kwargs)
    assert not Inspection.objects.exists()
    inspection = services.record_letter(entered_by=member(cumberland, Role.ADMIN), **kwargs)
    assert inspection.council == cumbria


def test_a_successors_finding_repeats_a_predecessors(cumberland, old_finding):
    client = signed_in(member(cumberland, Role.ADMIN))
    new = FindingFactory(
        inspection=InspectionFactory(council=cumberland, start_date=datetime.date(2024, 5, 6)),
        repeats=old_finding,
    )
    new.full_clean()
    html = client.get(reverse("finding_detail", args=[new.pk])).content.decode()
    assert reverse("finding_detail", args=[old_finding.pk]) in html
    back = client.get(reverse("finding_detail", args=[old_finding.pk])).context["page"]
    assert [f.pk for f in back.later] == [new.pk], "and the old finding shows what repeated it"
