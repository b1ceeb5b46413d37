"""The admin site: every changelist opens, query counts stay flat, and writes keep the rules."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from actions.models import Action, ProgressUpdate, UpdateKind
from actions.rag import Status
from inspections.models import Inspection, Judgement

from .factories import (
    ActionFactory,
    CouncilFactory,
    FindingFactory,
    InspectionFactory,
    MembershipFactory,
    ProgressUpdateFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db


def days(n: int) -> datetime.timedelta:
    return datetime.timedelta(days=n)


def today() -> datetime.date:
    return timezone.localdate()


def form_data(response) -> dict:
    """The POST data a browser would send back for an admin add or change page, unchanged."""
    forms = [response.context["adminform"].form]
    for inline in response.context["inline_admin_formsets"]:
        forms.append(inline.formset.management_form)
        forms.extend(inline.formset.forms)
    data = {}
    for form in forms:
        for name in form.fields:
            bound = form[name]
            value = bound.value()
            if value is None or value is False:
                continue
            data[bound.html_name] = "on" if value is True else value
    return data


def changelist(model: str) -> str:
    app = {
        "action": "actions",
        "progressupdate": "actions",
        "finding": "inspections",
        "inspection": "inspections",
        "theme": "inspections",
        "council": "councils",
        "membership": "councils",
        "user": "councils",
    }[model]
    return reverse(f"admin:{app}_{model}_changelist")


# --- Every changelist opens -----------------------------------------------------------------------


@pytest.mark.parametrize(
    "model",
    ["action", "finding", "inspection", "council", "membership", "user", "theme", "progressupdate"],
)
def test_changelist_opens(admin_client, model):
    MembershipFactory()
    ProgressUpdateFactory()
    response = admin_client.get(changelist(model))
    assert response.status_code == 200


@pytest.mark.parametrize("model", ["action", "finding", "inspection"])
def test_change_page_opens(admin_client, model):
    action = ActionFactory()
    obj = {"action": action, "finding": action.finding, "inspection": action.finding.inspection}[
        model
    ]
    app = "actions" if model == "action" else "inspections"
    response = admin_client.get(reverse(f"admin:{app}_{model}_change", args=[obj.pk]))
    assert response.status_code == 200


# --- Query counts do not grow with the rows -------------------------------------------------------


def _plan(n: int) -> None:
    """n inspections, each at its own council, with one finding and one action by its own owner."""
    for _ in range(n):
        finding = FindingFactory(inspection__council=CouncilFactory())
        ActionFactory(finding=finding, owner=UserFactory(), due_date=today() - days(3))


def _queries(client, url: str, rows: int) -> int:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200
    assert len(response.context["cl"].result_list) == rows
    return len(captured)


@pytest.mark.parametrize("model", ["action", "finding", "inspection"])
def test_changelist_query_count_does_not_grow_with_rows(admin_client, model):
    url = changelist(model)
    admin_client.get(url)  # warm caches (content types, session) before counting
    _plan(5)
    with_5 = _queries(admin_client, url, 5)
    _plan(45)
    with_50 = _queries(admin_client, url, 50)
    assert with_5 == with_50, f"{with_5} queries for 5 rows but {with_50} for 50"


@pytest.mark.parametrize("model", ["finding", "inspection"])
def test_changelist_counts_progress_for_the_page_rows_only(admin_client, model):
    """One grouped query, over the page's ids; the page's own query and its count group nothing."""
    _plan(3)
    with CaptureQueriesContext(connection) as captured:
        response = admin_client.get(changelist(model))
    assert response.status_code == 200
    grouped = [q["sql"] for q in captured.captured_queries if "GROUP BY" in q["sql"]]
    assert len(grouped) == 1, grouped
    rows = response.context["cl"].result_list
    assert " IN (" in grouped[0] and all(str(row.pk) in grouped[0] for row in rows)
    assert [row.action_count for row in rows] == [1, 1, 1]


@pytest.mark.parametrize("model", ["action", "finding", "inspection"])
def test_changelist_shows_a_progress_bar_and_rag_text(admin_client, model):
    finding = FindingFactory()
    ActionFactory(
        finding=finding, status=Status.IN_PROGRESS, percent_complete=40, due_date=today() - days(12)
    )
    content = admin_client.get(changelist(model)).content.decode()
    assert '<progress value="40" max="100"' in content
    assert "tracker-rag--red" in content
    expected = (
        "Red: 12 days overdue"
        if model == "action"
        else ("Red: 1 of 1 actions red, the worst is 12 days overdue")
    )
    assert expected in content


def test_inspection_changelist_shows_the_worst_grade(admin_client):
    inspection = InspectionFactory()
    inspection.judgements.create(area="impact_of_leaders", grade=3)
    inspection.judgements.create(area="help_and_protection", grade=2)
    InspectionFactory(
        focused_visit=True, council=inspection.council, start_date=datetime.date(2025, 7, 8)
    )
    content = admin_client.get(changelist("inspection")).content.decode()
    assert "Requires improvement to be good" in content
    assert "Not graded" in content


# --- Filters --------------------------------------------------------------------------------------


def _titles(response) -> set[str]:
    return {action.title for action in response.context["cl"].result_list}


@pytest.fixture
def varied_actions():
    council = CouncilFactory()
    finding = FindingFactory(inspection__council=council)
    ActionFactory(finding=finding, title="late", due_date=today() - days(12))
    ActionFactory(finding=finding, title="blocked", status=Status.BLOCKED)
    ActionFactory(finding=finding, title="soon", due_date=today() + days(5))
    ActionFactory(finding=finding, title="fine", due_date=today() + days(60))
    ActionFactory(title="elsewhere")
    return council


@pytest.mark.parametrize(
    ("query", "titles"),
    [
        ({"rag": "red"}, {"late", "blocked"}),
        ({"rag": "amber"}, {"soon"}),
        ({"rag": "green"}, {"fine", "elsewhere"}),
        ({"overdue": "yes"}, {"late"}),
        ({"status__exact": "blocked"}, {"blocked"}),
    ],
)
def test_action_changelist_filters(admin_client, varied_actions, query, titles):
    response = admin_client.get(changelist("action"), query)
    assert response.status_code == 200
    assert _titles(response) == titles


def test_action_changelist_filters_by_council(admin_client, varied_actions):
    response = admin_client.get(
        changelist("action"), {"finding__inspection__council__id__exact": varied_actions.pk}
    )
    assert _titles(response) == {"late", "blocked", "soon", "fine"}


def test_action_changelist_lists_most_urgent_first_by_rag(admin_client, varied_actions):
    response = admin_client.get(changelist("action"), {"o": "8"})  # the RAG column
    titles = [action.title for action in response.context["cl"].result_list]
    assert titles[-1] in {"fine", "elsewhere"}
    assert set(titles[:2]) == {"late", "blocked"}


# --- Inspections and judgements -------------------------------------------------------------------


def _inspection_form(admin_client, council, **fields):
    response = admin_client.get(reverse("admin:inspections_inspection_add"))
    data = form_data(response)
    data.update(
        {
            "council": council.pk,
            "kind": "standard",
            "start_date": "2024-03-04",
            "end_date": "2024-03-15",
            "published_on": "2024-05-03",
            "lead_inspector": "Helen Carter, His Majesty's Inspector",
        }
    )
    data.update(fields)
    return data


def _with_judgement(data, area, grade=3):
    data.update(
        {"judgements-TOTAL_FORMS": "1", "judgements-0-area": area, "judgements-0-grade": str(grade)}
    )
    return data


def test_admin_adds_a_standard_inspection_with_a_judgement(admin_client):
    council = CouncilFactory()
    data = _with_judgement(_inspection_form(admin_client, council), "care_leavers")
    response = admin_client.post(reverse("admin:inspections_inspection_add"), data)
    assert response.status_code == 302, response.context["errors"]
    inspection = Inspection.objects.get(council=council)
    assert list(inspection.judgements.values_list("area", "grade")) == [("care_leavers", 3)]


def test_admin_refuses_a_judgement_on_a_focused_visit_and_saves_nothing(admin_client):
    council = CouncilFactory()
    data = _with_judgement(
        _inspection_form(
            admin_client,
            council,
            kind="focused_visit",
            focus_theme="care_leavers",
            start_date="2025-07-08",
            end_date="2025-07-09",
            published_on="2025-08-29",
        ),
        "care_leavers",
    )
    response = admin_client.post(reverse("admin:inspections_inspection_add"), data)
    assert response.status_code == 200
    assert "A focused visit is not graded" in response.content.decode()
    assert not Inspection.objects.filter(council=council).exists()
    assert not Judgement.objects.filter(inspection__council=council).exists()


def test_admin_refuses_a_judgement_area_not_in_force_on_the_date(admin_client):
    council = CouncilFactory()
    data = _with_judgement(
        _inspection_form(admin_client, council), "children_in_care_and_care_leavers"
    )
    response = admin_client.post(reverse("admin:inspections_inspection_add"), data)
    assert response.status_code == 200
    content = response.content.decode()
    assert (
        "was not a judgement under the ILACS (January 2023 to March 2026), in force on 4 March 2024"
    ) in content
    assert not Inspection.objects.filter(council=council).exists()


# --- Logging progress from the action page --------------------------------------------------------


def test_admin_log_progress_inline_goes_through_the_service(admin_client, admin_user):
    action = ActionFactory()
    url = reverse("admin:actions_action_change", args=[action.pk])
    data = form_data(admin_client.get(url))
    data.update(
        {
            "updates-0-note": "Audit of 30 plans done.",
            "updates-0-status": Status.IN_PROGRESS,
            "updates-0-percent_complete": "35",
        }
    )
    response = admin_client.post(url, data)
    assert response.status_code == 302, response.context and response.context["errors"]
    update = ProgressUpdate.objects.get(action=action)
    assert (update.kind, update.author, update.note) == (
        UpdateKind.PROGRESS,
        admin_user,
        "Audit of 30 plans done.",
    )
    assert (update.previous_status, update.status, update.percent_complete) == (
        Status.NOT_STARTED,
        Status.IN_PROGRESS,
        35,
    )
    fresh = Action.objects.get(pk=action.pk)
    assert (fresh.status, fresh.percent_complete) == (Status.IN_PROGRESS, 35)


def test_admin_log_progress_inline_shows_the_services_rules(admin_client):
    action = ActionFactory()
    url = reverse("admin:actions_action_change", args=[action.pk])
    data = form_data(admin_client.get(url))
    data.update(
        {
            "updates-0-note": "All done.",
            "updates-0-status": Status.DELIVERED,
            "updates-0-percent_complete": "80",
        }
    )
    response = admin_client.post(url, data)
    assert response.status_code == 200
    assert "A delivered action is 100% complete: enter 100." in response.content.decode()
    assert not ProgressUpdate.objects.filter(action=action).exists()
    assert Action.objects.get(pk=action.pk).status == Status.NOT_STARTED


def test_admin_action_page_without_a_new_update_writes_no_timeline_entry(admin_client):
    action = ActionFactory()
    url = reverse("admin:actions_action_change", args=[action.pk])
    data = form_data(admin_client.get(url))
    data["title"] = "A clearer title"
    response = admin_client.post(url, data)
    assert response.status_code == 302, response.context and response.context["errors"]
    assert Action.objects.get(pk=action.pk).title == "A clearer title"
    assert not ProgressUpdate.objects.filter(action=action).exists()


def test_progress_updates_are_read_only_in_the_admin(admin_client):
    update = ProgressUpdateFactory()
    assert admin_client.get(reverse("admin:actions_progressupdate_add")).status_code == 403
    response = admin_client.post(
        reverse("admin:actions_progressupdate_delete", args=[update.pk]), {"post": "yes"}
    )
    assert response.status_code == 403
    assert ProgressUpdate.objects.filter(pk=update.pk).exists()
