"""The actions list: scoped to the current council, filtered, sorted, paginated."""

import datetime
import re

import pytest
from django.urls import reverse

from actions.models import Priority
from actions.rag import Status
from tests.factories import (
    ActionFactory,
    FindingFactory,
    InspectionFactory,
    ThemeFactory,
    UserFactory,
)

from .conftest import count_queries, days, make_actions, titles

pytestmark = pytest.mark.django_db

URL = reverse("action_list")


def test_sign_in_is_required(client):
    response = client.get(URL)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def test_lists_only_the_current_councils_actions(staff_client, action, other_action):
    response = staff_client.get(URL)
    assert response.status_code == 200
    assert titles(response) == [action.title]
    assert other_action.title not in response.content.decode()
    assert "1 action" in response.content.decode()


def test_page_has_title_breadcrumbs_caption_and_navigation(staff_client, action):
    html = staff_client.get(URL).content.decode()
    assert "<title>Actions – Improvement Tracker</title>" in html
    assert 'aria-label="Breadcrumb"' in html
    assert "<caption" in html
    assert (
        'aria-current="page"><strong class="govuk-service-navigation__active-fallback">Actions'
        in html
    )


@pytest.fixture
def plan(council, staff, other_staff):
    """Two inspections, three findings under two themes, and actions that differ in one way each."""
    march = InspectionFactory(council=council, start_date=datetime.date(2024, 3, 4))
    july = InspectionFactory(
        council=council, focused_visit=True, start_date=datetime.date(2025, 7, 8)
    )
    care = ThemeFactory(name="Care leavers", slug="care-leavers")
    workforce = ThemeFactory(name="Workforce", slug="workforce")
    pathway = FindingFactory(inspection=march, theme=care, short_title="Pathway plans")
    caseloads = FindingFactory(inspection=march, theme=workforce, short_title="Caseloads")
    housing = FindingFactory(inspection=july, theme=care, short_title="Housing for care leavers")
    return {
        "march": march,
        "july": july,
        "care": care,
        "workforce": workforce,
        "pathway": pathway,
        "caseloads": caseloads,
        "housing": housing,
        "late": ActionFactory(
            finding=pathway,
            owner=staff,
            title="Late one",
            status=Status.IN_PROGRESS,
            due_date=days(-5),
        ),
        "blocked": ActionFactory(
            finding=caseloads,
            owner=other_staff,
            title="Blocked one",
            status=Status.BLOCKED,
            due_date=days(40),
            priority=Priority.HIGH,
            description="Waiting for the recruitment freeze to lift",
        ),
        "soon": ActionFactory(
            finding=housing, owner=staff, title="Due soon", due_date=days(5), priority=Priority.LOW
        ),
        "revised": ActionFactory(
            finding=housing,
            owner=other_staff,
            title="Revised later",
            due_date=days(-20),
            revised_due_date=days(90),
            status=Status.IN_PROGRESS,
        ),
        "delivered": ActionFactory(
            finding=pathway,
            owner=staff,
            title="Delivered one",
            status=Status.DELIVERED,
            percent_complete=100,
            due_date=days(60),
        ),
    }


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("inspection={march}", {"late", "blocked", "delivered"}),
        ("inspection={july}", {"soon", "revised"}),
        ("finding={housing}", {"soon", "revised"}),
        ("theme={workforce}", {"blocked"}),
        ("theme={care}", {"late", "soon", "revised", "delivered"}),
        ("owner={other_staff}", {"blocked", "revised"}),
        ("status=blocked", {"blocked"}),
        ("status=delivered", {"delivered"}),
        ("rag=red", {"late", "blocked"}),
        ("rag=amber", {"soon", "delivered"}),
        ("rag=green", {"revised"}),
        ("priority=1", {"blocked"}),
        ("priority=3", {"soon"}),
        ("overdue=1", {"late"}),
        # The due date that counts is the revised one, else the original.
        ("due_before={in_10_days}", {"late", "soon"}),
        ("due_after={in_50_days}", {"revised", "delivered"}),
        ("due_after={in_10_days}&due_before={in_50_days}", {"blocked"}),
        ("q=late+one", {"late"}),
        ("q=recruitment+freeze", {"blocked"}),
        ("q=housing", {"soon", "revised"}),
        ("q=Hughes", {"blocked", "revised"}),
        ("q=tom+hughes", {"blocked", "revised"}),
        ("status=in_progress&owner={staff}", {"late"}),
    ],
)
def test_each_filter(staff_client, plan, staff, other_staff, query, expected):
    values = {key: obj.pk for key, obj in plan.items() if hasattr(obj, "pk")} | {
        "staff": staff.pk,
        "other_staff": other_staff.pk,
        "in_10_days": days(10).isoformat(),
        "in_50_days": days(50).isoformat(),
    }
    response = staff_client.get(f"{URL}?{query.format(**values)}")
    assert response.status_code == 200
    shown = set(titles(response))
    assert shown == {plan[key].title for key in expected}, query
    html = response.content.decode()
    assert f"{len(expected)} action{'s' if len(expected) != 1 else ''} match" in html
    assert "Clear filters" in html
    assert "(filtered)" in html.split("</title>")[0]


def test_dates_may_be_typed_the_uk_way(staff_client, plan):
    in_10 = days(10)
    response = staff_client.get(f"{URL}?due_before={in_10.day}/{in_10.month}/{in_10.year}")
    assert set(titles(response)) == {"Late one", "Due soon"}


def test_a_bad_date_is_explained_and_the_other_filters_still_apply(staff_client, plan):
    response = staff_client.get(f"{URL}?due_before=31/2/2026&status=blocked")
    html = response.content.decode()
    assert response.status_code == 200
    assert "Due on or before must be a real date" in html
    assert "govuk-error-summary" in html
    assert html.count("<title>Error: ") == 1
    assert titles(response) == ["Blocked one"]


def test_select_boxes_offer_only_the_councils_choices(staff_client, plan, other_action):
    form = staff_client.get(URL).context["filter_form"]
    other_finding = other_action.finding
    assert other_finding not in form.fields["finding"].queryset
    assert other_finding.inspection not in form.fields["inspection"].queryset
    assert other_action.owner not in form.fields["owner"].queryset
    assert set(form.fields["theme"].queryset) == {plan["care"], plan["workforce"]}
    assert set(form.fields["inspection"].queryset) == {plan["march"], plan["july"]}


def test_another_councils_ids_match_nothing(staff_client, plan, other_action):
    response = staff_client.get(f"{URL}?finding={other_action.finding_id}")
    assert "Select a finding from the list" in response.content.decode()
    assert other_action.title not in titles(response)
    response = staff_client.get(f"{URL}?owner={other_action.owner_id}")
    assert other_action.title not in titles(response)


def test_filters_stay_in_the_form_so_the_view_can_be_bookmarked(staff_client, plan):
    html = staff_client.get(f"{URL}?q=late&status=in_progress&sort=-due").content.decode()
    assert 'method="get"' in html
    assert re.search(r'name="q"[^>]*value="late"', html)
    assert re.search(r'<option value="in_progress" selected>', html)
    assert re.search(r'type="hidden" name="sort" value="-due"', html)
    # Exports carry the same filters.
    assert "export.csv?q=late&amp;status=in_progress&amp;sort=-due" in html


def test_clear_filters_link_goes_back_to_the_whole_list(staff_client, plan):
    html = staff_client.get(f"{URL}?status=blocked").content.decode()
    assert f'href="{URL}">Clear filters' in html
    assert "Clear filters" not in staff_client.get(URL).content.decode()


@pytest.mark.parametrize(
    ("sort", "expected"),
    [
        ("title", ["Blocked one", "Delivered one", "Due soon", "Late one", "Revised later"]),
        ("-title", ["Revised later", "Late one", "Due soon", "Delivered one", "Blocked one"]),
        ("due", ["Late one", "Due soon", "Blocked one", "Delivered one", "Revised later"]),
        ("-due", ["Revised later", "Delivered one", "Blocked one", "Due soon", "Late one"]),
        # Most urgent first: red, amber, green, each by due date.
        ("rag", ["Late one", "Blocked one", "Due soon", "Delivered one", "Revised later"]),
        ("status", ["Due soon", "Late one", "Revised later", "Blocked one", "Delivered one"]),
        ("priority", ["Blocked one", "Late one", "Delivered one", "Revised later", "Due soon"]),
        ("owner", ["Late one", "Due soon", "Delivered one", "Blocked one", "Revised later"]),
        # Each reversed: least urgent first, then the other keys as the sort says.
        ("-rag", ["Revised later", "Delivered one", "Due soon", "Blocked one", "Late one"]),
        ("-status", ["Delivered one", "Blocked one", "Late one", "Revised later", "Due soon"]),
        ("-priority", ["Due soon", "Late one", "Delivered one", "Revised later", "Blocked one"]),
        ("-owner", ["Blocked one", "Revised later", "Late one", "Due soon", "Delivered one"]),
    ],
)
def test_sorting(staff_client, plan, sort, expected):
    response = staff_client.get(f"{URL}?sort={sort}")
    assert titles(response) == expected


def test_an_unknown_sort_falls_back_to_most_urgent_first(staff_client, plan):
    response = staff_client.get(f"{URL}?sort=finding__inspection__council__name")
    assert response.status_code == 200
    assert titles(response) == titles(staff_client.get(URL))


def test_sorted_column_has_aria_sort_and_its_link_reverses_it(staff_client, plan):
    html = staff_client.get(f"{URL}?sort=due&status=blocked").content.decode()
    due_header = re.search(r'<th[^>]*aria-sort="ascending">\s*<a[^>]*href="([^"]+)">Due', html)
    assert due_header, "the Due column should say it is sorted ascending"
    assert "sort=-due" in due_header.group(1)
    assert "status=blocked" in due_header.group(1)
    assert html.count('aria-sort="ascending"') == 1
    assert 'aria-sort="descending"' not in html
    html = staff_client.get(f"{URL}?sort=-due").content.decode()
    assert re.search(r'aria-sort="descending">\s*<a[^>]*>Due', html)


def test_fifty_a_page_with_govuk_pagination_that_keeps_the_filters(staff_client, finding, staff):
    make_actions(finding, staff, 120)
    first = staff_client.get(f"{URL}?owner={staff.pk}")
    assert len(first.context["actions"]) == 50
    html = first.content.decode()
    assert "120 actions match your filters" in html
    assert "Actions 1 to 50 of 120" in html
    assert 'class="govuk-pagination"' in html
    assert f"?owner={staff.pk}&amp;page=2" in html or f"page=2&amp;owner={staff.pk}" in html
    third = staff_client.get(f"{URL}?owner={staff.pk}&page=3")
    assert len(third.context["actions"]) == 20
    assert "page 3 of 3" in third.content.decode().split("</title>")[0]
    # Pages together show every action once.
    seen = []
    for page in (1, 2, 3):
        seen += titles(staff_client.get(f"{URL}?page={page}"))
    assert len(seen) == len(set(seen)) == 120
    # A page past the end shows the last page rather than an error.
    assert len(staff_client.get(f"{URL}?page=99").context["actions"]) == 20


def test_empty_states_say_what_to_do_next(staff_client, council, plan):
    html = staff_client.get(f"{URL}?q=nothing-matches-this").content.decode()
    assert "No actions match your filters" in html
    assert "clear all filters" in html


def test_empty_council_says_where_actions_come_from(staff_client, council, staff):
    html = staff_client.get(URL).content.decode()
    assert f"{council.name} has no actions yet" in html
    assert reverse("inspection_list") in html
    assert "Download as CSV" not in html


def test_rows_show_rag_reason_status_owner_and_progress(staff_client, plan):
    html = staff_client.get(
        f"{URL}?status=in_progress&owner={plan['late'].owner_id}"
    ).content.decode()
    assert "5 days overdue" in html
    assert "govuk-tag--red" in html
    assert "In progress" in html
    assert "Priya Shah" in html
    assert reverse("action_detail", args=[plan["late"].pk]) in html


def _many(finding, owner, n):
    people = [UserFactory() for _ in range(3)]
    actions = make_actions(finding, owner, n)
    for action, person in zip(actions, people * n, strict=False):
        action.contributors.add(person)
    return actions


@pytest.mark.parametrize(
    "query",
    [
        "",
        "?q=Action&status=in_progress&sort=owner&overdue=1",
        "?rag=amber&due_after=2020-01-01&page=2",
    ],
)
def test_query_count_does_not_grow_with_the_data(staff_client, council, staff, finding, query):
    # Enough that every query matches something (an empty page skips the rows query).
    _many(finding, staff, 4)
    small = count_queries(staff_client, URL + query)
    other_finding = FindingFactory(inspection__council=council)
    _many(finding, staff, 60)
    _many(other_finding, UserFactory(), 60)
    large = count_queries(staff_client, URL + query)
    assert small == large, f"{small} queries with 4 actions, {large} with 124"
    assert large <= 12, f"{large} queries"
