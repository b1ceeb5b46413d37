"""The action page: every field, the RAG and its reason, the timeline, the progress form."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from actions import services
from actions.models import UpdateKind
from actions.rag import Status
from councils.models import Role
from tests.factories import (
    ActionFactory,
    MembershipFactory,
    ProgressUpdateFactory,
    UserFactory,
)

from .conftest import count_queries, days, signed_in

pytestmark = pytest.mark.django_db

ACTION_URLS = [
    ("action_detail", "get"),
    ("action_log_progress", "post"),
    ("action_edit", "get"),
    ("action_edit", "post"),
    ("action_revise_due_date", "get"),
    ("action_revise_due_date", "post"),
    ("action_sign_off", "get"),
    ("action_sign_off", "post"),
    ("action_send_back", "get"),
    ("action_send_back", "post"),
    ("action_cancel", "get"),
    ("action_cancel", "post"),
    ("action_reopen", "get"),
    ("action_reopen", "post"),
]


@pytest.mark.parametrize(("name", "method"), ACTION_URLS)
def test_sign_in_is_required(client, action, name, method):
    response = getattr(client, method)(reverse(name, args=[action.pk]))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


@pytest.mark.parametrize(("name", "method"), ACTION_URLS)
@pytest.mark.parametrize("who", ["staff", "manager"])
def test_another_councils_action_is_not_found(request, other_action, name, method, who):
    """Not 403: nothing tells a member of one council that another's action exists."""
    client = signed_in(request.getfixturevalue(who))
    before = other_action.updates.count()
    response = getattr(client, method)(
        reverse(name, args=[other_action.pk]),
        {"note": "x", "status": "in_progress", "percent_complete": "5", "reason": "x"},
    )
    assert response.status_code == 404
    assert other_action.updates.count() == before
    assert other_action.title not in response.content.decode()


def test_a_missing_action_is_not_found(staff_client, action):
    assert staff_client.get(reverse("action_detail", args=[action.pk + 1000])).status_code == 404


def test_shows_every_field_in_a_summary_list(staff_client, action, staff, other_staff, manager):
    action.description = "Write the new pathway plan template."
    action.success_measure = "90% of plans audited good by March."
    action.lead_service = "Leaving care service"
    action.start_date = timezone.localdate() - datetime.timedelta(days=10)
    action.save()
    action.contributors.add(other_staff)
    services.revise_due_date(
        action=action,
        manager=manager,
        revised_due_date=days(100),
        reason="Recruitment took longer.",
    )
    response = staff_client.get(reverse("action_detail", args=[action.pk]))
    html = response.content.decode()
    assert f"<title>{action.title} – Improvement Tracker</title>" in html
    assert "govuk-summary-list" in html
    for text in (
        action.finding.short_title,
        action.finding.text,
        action.finding.inspection.title,
        action.finding.theme.name,
        "Write the new pathway plan template.",
        "90% of plans audited good by March.",
        "Priya Shah",
        "Tom Hughes",
        "Leaving care service",
        "Medium",
        f"{days(100):%-d %B %Y}",
        f"First agreed: {action.due_date:%-d %B %Y}",
        f"{action.start_date:%-d %B %Y}",
    ):
        assert text in html, text
    # Breadcrumbs: Dashboard > Actions > this action.
    crumbs = html.split('aria-label="Breadcrumb"')[1].split("</nav>")[0]
    assert reverse("dashboard") in crumbs and reverse("action_list") in crumbs
    assert action.title in crumbs


def test_shows_the_rag_and_its_reason(staff_client, action):
    action.due_date = days(-3)
    action.status = Status.IN_PROGRESS
    action.save()
    html = staff_client.get(reverse("action_detail", args=[action.pk])).content.decode()
    assert "govuk-tag--red" in html
    assert "3 days overdue" in html


def test_timeline_is_newest_first_with_author_kind_changes_note_and_evidence(
    staff_client, action, staff, manager
):
    now = timezone.now()
    ProgressUpdateFactory(
        action=action,
        author=staff,
        note="First step taken.",
        created_at=now - datetime.timedelta(days=20),
        previous_status=Status.NOT_STARTED,
        status=Status.IN_PROGRESS,
        previous_percent=0,
        percent_complete=20,
    )
    ProgressUpdateFactory(
        action=action,
        author=manager,
        note="Second step.",
        kind=UpdateKind.PROGRESS,
        created_at=now - datetime.timedelta(days=2),
        previous_status=Status.IN_PROGRESS,
        status=Status.IN_PROGRESS,
        previous_percent=20,
        percent_complete=60,
        evidence_url="https://intranet.example.gov.uk/audit",
    )
    html = staff_client.get(reverse("action_detail", args=[action.pk])).content.decode()
    history = html.split('id="history"')[1]
    assert history.index("Second step.") < history.index("First step taken.")
    assert "Sarah Okafor" in history and "Priya Shah" in history
    assert "Not started" in history and "In progress" in history
    assert "20%" in history and "60%" in history
    assert 'href="https://intranet.example.gov.uk/audit"' in history
    assert "Progress update" in history


def test_empty_timeline_says_what_to_do(staff_client, action):
    html = staff_client.get(reverse("action_detail", args=[action.pk])).content.decode()
    assert "Nothing has been logged yet" in html
    assert "use the form above" in html


@pytest.mark.parametrize("who", ["staff", "manager", "contributor"])
def test_owner_contributor_and_manager_get_the_progress_form(request, action, other_staff, who):
    if who == "contributor":
        action.contributors.add(other_staff)
        user = other_staff
    else:
        user = request.getfixturevalue(who)
    html = signed_in(user).get(reverse("action_detail", args=[action.pk])).content.decode()
    assert f'action="{reverse("action_log_progress", args=[action.pk])}"' in html
    assert 'enctype="multipart/form-data"' in html
    assert 'name="evidence_file"' in html
    # Only the statuses someone logging progress may choose.
    assert 'value="delivered"' in html
    assert 'value="complete"' not in html and 'value="cancelled"' not in html


def test_other_staff_see_who_to_ask_instead_of_a_form(other_staff_client, action):
    html = other_staff_client.get(reverse("action_detail", args=[action.pk])).content.decode()
    assert 'name="note"' not in html
    assert "Only the action's owner, its contributors and managers" in html


def test_closed_actions_have_no_progress_form(staff_client, action, manager):
    services.cancel(action=action, manager=manager, reason="No longer needed.")
    html = staff_client.get(reverse("action_detail", args=[action.pk])).content.decode()
    assert 'name="note"' not in html
    assert "ask a manager to reopen it" in html


def test_managers_get_links_to_their_forms_staff_do_not(staff_client, manager_client, action):
    detail = reverse("action_detail", args=[action.pk])
    staff_html = staff_client.get(detail).content.decode()
    manager_html = manager_client.get(detail).content.decode()
    for name in ("action_edit", "action_revise_due_date", "action_cancel"):
        url = reverse(name, args=[action.pk])
        assert url not in staff_html
        assert url in manager_html
    # Sign-off and send back only for a delivered action.
    assert reverse("action_sign_off", args=[action.pk]) not in manager_html


def test_delivered_action_offers_sign_off_and_send_back(manager_client, action, staff):
    services.log_progress(
        action=action, author=staff, note="Done.", status=Status.DELIVERED, percent_complete=100
    )
    html = manager_client.get(reverse("action_detail", args=[action.pk])).content.decode()
    assert reverse("action_sign_off", args=[action.pk]) in html
    assert reverse("action_send_back", args=[action.pk]) in html


def _busy(action, people, n_updates):
    action.contributors.add(*people)
    for i in range(n_updates):
        ProgressUpdateFactory(
            action=action,
            author=people[i % len(people)],
            created_at=timezone.now() - datetime.timedelta(days=n_updates - i),
            evidence_url="https://intranet.example.gov.uk/x" if i % 2 else "",
            evidence_file="evidence/2026/01/abc.pdf" if i % 3 == 0 else "",
            evidence_file_name="audit.pdf" if i % 3 == 0 else "",
        )


@pytest.mark.parametrize("who", ["staff", "manager", "other_staff"])
def test_query_count_does_not_grow_with_the_timeline(request, council, staff, who):
    client = signed_in(request.getfixturevalue(who))
    small = ActionFactory(finding__inspection__council=council, owner=staff)
    _busy(small, [staff], 1)
    large = ActionFactory(finding__inspection__council=council, owner=staff)
    people = [UserFactory() for _ in range(8)]
    for person in people:
        MembershipFactory(user=person, council=council, role=Role.STAFF)
    _busy(large, people, 40)
    small_count = count_queries(client, reverse("action_detail", args=[small.pk]))
    large_count = count_queries(client, reverse("action_detail", args=[large.pk]))
    assert small_count == large_count, f"{small_count} queries for 1 update, {large_count} for 40"
    assert large_count <= 14, large_count
