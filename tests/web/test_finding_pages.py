"""A finding's page: the words, the actions and the history across inspections."""

import datetime

import pytest
from django.urls import reverse

from actions.rag import Status
from inspections.selectors import HISTORY_DEPTH
from tests.factories import (
    ActionFactory,
    CouncilFactory,
    FindingFactory,
    InspectionFactory,
    ThemeFactory,
)

from .conftest import build_plan, count_queries, days, signed_in

pytestmark = pytest.mark.django_db


def page(finding) -> str:
    return reverse("finding_detail", args=[finding.pk])


def chain(council, length: int, theme=None, first_year: int = 2005):
    """`length` findings at `council`, each in a later inspection repeating the one before."""
    findings, earlier = [], None
    for n in range(length):
        inspection = InspectionFactory(
            council=council, start_date=datetime.date(first_year + 2 * n, 3, 1)
        )
        earlier = FindingFactory(
            inspection=inspection,
            position=1,
            short_title=f"Pathway plans, round {n + 1}",
            theme=theme or ThemeFactory(),
            repeats=earlier,
        )
        findings.append(earlier)
    return findings


def test_sign_in_required(client, council):
    finding = FindingFactory(inspection__council=council)
    response = client.get(page(finding))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def test_another_councils_finding_is_not_found(staff_client, other_finding):
    assert staff_client.get(page(other_finding)).status_code == 404


def test_a_missing_finding_is_not_found(staff_client):
    assert staff_client.get(reverse("finding_detail", args=[999999])).status_code == 404


def test_the_finding_in_ofsteds_words_with_its_actions(staff_client, council, staff):
    finding = FindingFactory(
        inspection__council=council,
        short_title="Pathway plans",
        text="Pathway plans are not always started early enough.",
        is_priority_action=True,
        position=3,
    )
    late = ActionFactory(
        finding=finding,
        owner=staff,
        title="Start pathway plans at 15 and a half",
        status=Status.IN_PROGRESS,
        percent_complete=40,
        due_date=days(-12),
    )
    moved = ActionFactory(
        finding=finding,
        title="Audit pathway plans",
        due_date=days(-30),
        revised_due_date=days(60),
    )
    response = staff_client.get(page(finding))
    assert response.status_code == 200
    html = response.content.decode()
    inspection = finding.inspection
    # Two inspections each have a finding 3: the title says which inspection's.
    assert (
        f"<title>Finding 3: Pathway plans ({inspection.title}, "
        f"{inspection.start_date:%B %Y}) – Improvement Tracker</title>"
    ) in html
    assert 'class="govuk-inset-text' in html and "not always started early enough" in html
    assert "Area for priority action" in html
    assert finding.theme.name in html
    assert reverse("action_detail", args=[late.pk]) in html
    assert reverse("action_detail", args=[moved.pk]) in html
    assert staff.get_full_name() in html, "the owner is shown"
    assert "12 days overdue" in html, "the RAG reason is shown in words"
    assert "govuk-tag--red" in html
    assert "Revised from" in html and f"{moved.due_date:%-d %B %Y}" in html
    assert "In progress" in html, "the status tag is shown"
    summary = response.context["page"].summary
    assert summary.action_count == 2 and summary.progress == 20
    assert [a.pk for a in response.context["page"].actions][0] == late.pk, "most urgent first"


def test_a_finding_without_actions_says_what_to_do(staff_client, council):
    finding = FindingFactory(inspection__council=council, theme=None)
    html = staff_client.get(page(finding)).content.decode()
    assert "No actions yet." in html
    assert "does not repeat an earlier one" in html
    assert "No later inspection has raised this again." in html
    assert "This finding has no theme." in html


def test_history_earlier_later_and_same_theme(staff_client, council):
    theme = ThemeFactory(name="Care leavers")
    first, second, third, fourth = chain(council, 4, theme=theme)
    cousin = FindingFactory(
        inspection=InspectionFactory(council=council, start_date=datetime.date(2020, 1, 6)),
        short_title="Care leavers' accommodation",
        theme=theme,
    )
    elsewhere = FindingFactory(
        inspection__council=CouncilFactory(), theme=theme, short_title="Not ours"
    )
    response = staff_client.get(page(third))
    history = response.context["page"]
    assert [f.pk for f in history.earlier] == [second.pk, first.pk], "most recent first"
    assert not history.earlier_continues
    assert [f.pk for f in history.later] == [fourth.pk]
    assert [f.pk for f in history.same_theme] == [cousin.pk]
    html = response.content.decode()
    for finding in (first, second, fourth, cousin):
        assert page(finding) in html, f"{finding} should link to its page"
    assert "Not ours" not in html and page(elsewhere) not in html


def test_a_predecessor_councils_finding_is_named_and_linked(staff_client, council):
    old_council = CouncilFactory(name="Old Shire", is_active=False, successors=[council])
    old = FindingFactory(
        inspection=InspectionFactory(council=old_council, start_date=datetime.date(2016, 1, 4)),
        short_title="Supervision was infrequent",
    )
    new = FindingFactory(inspection__council=council, repeats=old)
    html = staff_client.get(page(new)).content.decode()
    assert "Supervision was infrequent" in html and "Old Shire, a predecessor council" in html
    assert page(old) in html, "the council keeps its predecessors' findings as its history"
    assert staff_client.get(page(old)).status_code == 200


def test_a_long_chain_stops_at_the_loaded_depth(staff_client, council):
    findings = chain(council, HISTORY_DEPTH + 3)
    response = staff_client.get(page(findings[-1]))
    history = response.context["page"]
    assert len(history.earlier) == HISTORY_DEPTH
    assert history.earlier_continues
    assert "The chain goes back further" in response.content.decode()


def test_query_count_does_not_grow(council, manager):
    client = signed_in(manager)
    theme = ThemeFactory()
    small_plan = build_plan(council, findings=2, actions_per_finding=2, theme=theme)
    small_finding = small_plan.findings[0]
    small_finding.repeats = chain(council, 1, theme=theme)[0]
    small_finding.save()
    small, _ = count_queries(client, page(small_finding))

    large_plan = build_plan(
        council,
        findings=10,
        actions_per_finding=6,
        updates_per_action=3,
        theme=theme,
        start_date=datetime.date(2025, 1, 13),
    )
    earlier = chain(council, HISTORY_DEPTH + 2, theme=theme, first_year=1990)
    large_finding = large_plan.findings[0]
    large_finding.repeats = earlier[-1]
    large_finding.save()
    for n in range(3):
        FindingFactory(
            inspection=InspectionFactory(council=council, start_date=datetime.date(2026, 1 + n, 5)),
            repeats=large_finding,
            theme=theme,
        )
    large, sql = count_queries(client, page(large_finding))
    assert large == small, f"the page ran {small} queries, then {large}:\n" + "\n".join(sql)
