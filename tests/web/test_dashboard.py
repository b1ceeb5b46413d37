"""The council dashboard: what it shows, to whom, and at what cost in queries."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from actions.models import Action
from actions.rag import Status
from councils.current import SESSION_KEY
from councils.models import Role
from inspections.frameworks import Grade, JudgementArea
from tests.factories import (
    ActionFactory,
    FindingFactory,
    InspectionFactory,
    JudgementFactory,
    MembershipFactory,
    ProgressUpdateFactory,
    UserFactory,
)

from .conftest import build_plan, count_queries, days, signed_in

pytestmark = pytest.mark.django_db
URL = reverse("dashboard")


def test_sign_in_required(client):
    response = client.get(URL)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login")), "anonymous users must sign in"


def test_member_sees_the_dashboard(staff_client, council):
    response = staff_client.get(URL)
    assert response.status_code == 200
    html = response.content.decode()
    assert "<title>Dashboard – Improvement Tracker</title>" in html
    assert council.name in html
    assert response.context["nav_section"] == "dashboard"
    assert (
        'aria-current="page"><strong class="govuk-service-navigation__active-fallback">'
        "Dashboard" in html
    ), "the Dashboard menu item should be marked as the current page"


def test_user_without_a_council_is_told_to_ask_their_admin(db):
    loner = UserFactory(username="no.council")
    response = signed_in(loner).get(URL)
    assert response.status_code == 200
    html = response.content.decode()
    assert "You are not a member of any council yet" in html
    assert "Ask your council" in html and "no.council" in html


def test_superuser_without_a_council_is_sent_to_choose_one(db):
    boss = UserFactory(is_superuser=True, is_staff=True)
    response = signed_in(boss).get(URL)
    assert response.status_code == 302
    assert response["Location"] == reverse("switch_council")


def test_superuser_who_chose_a_council_sees_it(db, council):
    boss = UserFactory(is_superuser=True, is_staff=True)
    client = signed_in(boss)
    session = client.session
    session[SESSION_KEY] = council.pk
    session.save()
    response = client.get(URL)
    assert response.status_code == 200
    assert response.context["council"] == council


def test_empty_council_says_what_to_do_next(staff_client):
    html = staff_client.get(URL).content.decode()
    assert "No inspections yet. Your council's admins add each letter Ofsted sends" in html
    assert "No actions are overdue." in html
    assert "No progress updates yet." in html


def test_latest_inspection_and_its_grades(staff_client, council):
    plan = build_plan(council, findings=1, actions_per_finding=1)
    html = staff_client.get(URL).content.decode()
    assert reverse("inspection_detail", args=[plan.inspection.pk]) in html
    assert "The experiences and progress of care leavers" in html
    assert "Inadequate" in html and "Requires improvement to be good" in html


def test_a_later_ungraded_visit_keeps_the_last_grades_on_show(staff_client, council):
    build_plan(council, findings=1, actions_per_finding=1)
    visit = InspectionFactory(
        council=council, focused_visit=True, start_date=datetime.date(2025, 7, 1)
    )
    response = staff_client.get(URL)
    dashboard = response.context["dashboard"]
    assert dashboard.latest_inspection == visit
    assert dashboard.latest_graded is not None and dashboard.latest_graded.is_graded
    assert len(dashboard.grades) == 5
    assert "Grades from the standard inspection" in response.content.decode()


def test_sif_grades_use_the_sif_wording(staff_client, council):
    inspection = InspectionFactory(council=council, start_date=datetime.date(2016, 5, 9))
    JudgementFactory(
        inspection=inspection, area=JudgementArea.SIF_LEADERSHIP, grade=Grade.REQUIRES_IMPROVEMENT
    )
    response = staff_client.get(URL)
    labels = [j.grade_label for j in response.context["dashboard"].grades]
    assert labels == ["Requires improvement"], "the SIF worded its third grade differently"


def test_open_findings_exclude_finished_ones_and_keep_those_without_actions(
    staff_client, council, manager
):
    inspection = InspectionFactory(council=council)
    done = FindingFactory(inspection=inspection, short_title="All signed off")
    ActionFactory(
        finding=done,
        status=Status.COMPLETE,
        percent_complete=100,
        signed_off_by=manager,
        signed_off_at=timezone.now(),
    )
    ActionFactory(finding=done, status=Status.CANCELLED)
    bare = FindingFactory(inspection=inspection, short_title="No plan yet")
    working = FindingFactory(inspection=inspection, short_title="Under way")
    ActionFactory(finding=working, status=Status.IN_PROGRESS, percent_complete=50)
    ActionFactory(
        finding=working,
        status=Status.COMPLETE,
        percent_complete=100,
        signed_off_by=manager,
        signed_off_at=timezone.now(),
    )
    response = staff_client.get(URL)
    open_findings = response.context["dashboard"].open_findings
    assert {f.pk for f in open_findings} == {bare.pk, working.pk}
    html = response.content.decode()
    assert "All signed off" not in html
    under_way = next(f for f in open_findings if f.pk == working.pk)
    assert under_way.summary.progress == 75
    assert dict(under_way.status_counts) == {Status.IN_PROGRESS: 1, Status.COMPLETE: 1}


def test_every_number_links_to_the_filtered_actions_list(staff_client, council):
    plan = build_plan(council, findings=2, actions_per_finding=3)
    html = staff_client.get(URL).content.decode()
    actions_url = reverse("action_list")
    finding = plan.findings[0]
    today = timezone.localdate()
    for query in (
        "overdue=1",
        f"due_after={today:%Y-%m-%d}&amp;due_before={today + datetime.timedelta(days=30):%Y-%m-%d}",
        "rag=red",
        "rag=amber",
        "rag=green",
        "rag=blue",
        "status=in_progress",
        f"finding={finding.pk}&amp;status=",
        f"finding={finding.pk}&amp;rag=",
    ):
        assert f'href="{actions_url}?{query}' in html, f"no link to the actions list with {query}"


def test_counts_agree_with_the_action_querysets(staff_client, council, other_council):
    plan = build_plan(council, findings=4, actions_per_finding=4)
    build_plan(other_council, findings=2, actions_per_finding=4)
    totals = staff_client.get(URL).context["dashboard"].totals
    ours = Action.objects.for_council(council)
    assert totals.overdue == ours.overdue().count()
    today = timezone.localdate()
    in_window = [
        a
        for a in plan.actions
        if today <= (a.revised_due_date or a.due_date) <= today + datetime.timedelta(days=30)
    ]
    assert totals.due_soon == len(in_window)
    assert dict(totals.by_status)[Status.BLOCKED] == ours.filter(status=Status.BLOCKED).count()
    assert totals.total == ours.live().count()


def test_overdue_and_due_soon_lists(staff_client, council, staff):
    finding = FindingFactory(inspection__council=council)
    late = ActionFactory(
        finding=finding, owner=staff, title="Late one", due_date=days(-3), status=Status.IN_PROGRESS
    )
    revised = ActionFactory(
        finding=finding, title="Moved on", due_date=days(-20), revised_due_date=days(10)
    )
    ActionFactory(finding=finding, title="Far off", due_date=days(90))
    response = staff_client.get(URL)
    dashboard = response.context["dashboard"]
    assert [a.pk for a in dashboard.overdue_actions] == [late.pk]
    assert [a.pk for a in dashboard.due_soon_actions] == [revised.pk]
    html = response.content.decode()
    assert reverse("action_detail", args=[late.pk]) in html
    assert "3 days overdue" in html, "the RAG reason should be shown in words"
    assert "Revised from" in html, "a revised due date shows the original too"


def test_recent_updates_are_the_latest_ten(staff_client, council, staff):
    action = ActionFactory(finding__inspection__council=council, owner=staff)
    now = timezone.now()
    for n in range(12):
        ProgressUpdateFactory(
            action=action,
            note=f"Update number {n:02d}",
            created_at=now - datetime.timedelta(hours=n),
        )
    response = staff_client.get(URL)
    notes = [u.note for u in response.context["dashboard"].recent_updates]
    assert notes == [f"Update number {n:02d}" for n in range(10)]


def test_another_councils_plan_never_shows(staff_client, other_council):
    other = build_plan(other_council, findings=2, actions_per_finding=2)
    html = staff_client.get(URL).content.decode()
    for finding in other.findings:
        assert finding.short_title not in html
    assert "No inspections yet" in html


def test_a_member_of_two_councils_sees_the_one_chosen(db, council, other_council):
    both = UserFactory()
    MembershipFactory(user=both, council=council, role=Role.STAFF)
    MembershipFactory(user=both, council=other_council, role=Role.STAFF)
    mine = build_plan(other_council, findings=1, actions_per_finding=1)
    client = signed_in(both)
    session = client.session
    session[SESSION_KEY] = other_council.pk
    session.save()
    html = client.get(URL).content.decode()
    assert mine.findings[0].short_title in html


def test_query_count_does_not_grow_with_the_plan(council, manager):
    client = signed_in(manager)
    build_plan(council, findings=2, actions_per_finding=2, owner=manager)
    small, _ = count_queries(client, URL)
    build_plan(
        council,
        findings=10,
        actions_per_finding=6,
        updates_per_action=3,
        start_date=datetime.date(2025, 1, 13),
    )
    InspectionFactory(council=council, focused_visit=True, start_date=datetime.date(2025, 7, 1))
    large, sql = count_queries(client, URL)
    assert large == small, f"the dashboard ran {small} queries, then {large}:\n" + "\n".join(sql)
