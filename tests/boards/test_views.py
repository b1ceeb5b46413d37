"""The board pages: who may see them, the meeting form, freezing, what changed, the pack page,
and the same number of queries for a small plan and a large one."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from boards.asat import council_plan_as_at, end_of_day
from boards.models import BoardMeeting, BoardSnapshot
from councils.models import Role
from tests.factories import (
    CouncilFactory,
    FindingFactory,
    InspectionFactory,
    JudgementFactory,
    MembershipFactory,
    UserFactory,
)

from .conftest import PlanWriter, signed_in

D = datetime.date


def pack_of(response) -> str:
    """The pack itself (the header's sign-out form carries a fresh CSRF token each time)."""
    text = response.text
    return text[text.index('<div class="app-board-pack">') : text.index("</main>")]


def days_ago(n: int) -> datetime.datetime:
    return timezone.now() - datetime.timedelta(days=n)


def make_plan(council, manager, staff, *, actions: int, findings: int = 2):
    """A plan a year in: findings, actions with progress and revisions, and two meetings."""
    inspection = InspectionFactory(
        council=council, start_date=timezone.localdate() - datetime.timedelta(days=400)
    )
    JudgementFactory(inspection=inspection)
    finding_rows = [
        FindingFactory(inspection=inspection, position=n + 1, short_title=f"Finding {n + 1}")
        for n in range(findings)
    ]
    writer = PlanWriter(council=council, manager=manager, owner=staff, finding=finding_rows[0])
    made = []
    for n in range(actions):
        action = writer.create(
            days_ago(300 - n % 50),
            due=timezone.localdate() + datetime.timedelta(days=(n % 7) * 20 - 60),
            title=f"Action {n}",
            finding=finding_rows[n % findings],
        )
        writer.progress(action, days_ago(100 - n % 30), percent=(n * 13) % 90)
        if n % 3 == 0:
            writer.revise(action, days_ago(50), action.due_date + datetime.timedelta(days=90))
        if n % 5 == 0:
            writer.deliver(action, days_ago(20))
        made.append(action)
    earlier = BoardMeeting.objects.create(
        council=council,
        held_on=timezone.localdate() - datetime.timedelta(days=60),
        board="Children's Improvement Board",
        created_by=manager,
    )
    meeting = BoardMeeting.objects.create(
        council=council,
        held_on=timezone.localdate() - datetime.timedelta(days=1),
        board="Children's Improvement Board",
        chair="Jane Smith",
        created_by=manager,
    )
    return {"actions": made, "earlier": earlier, "meeting": meeting, "writer": writer}


@pytest.fixture
def plan(council, manager, staff):
    return make_plan(council, manager, staff, actions=6)


@pytest.mark.django_db
def test_staff_cannot_see_board_pages(plan, staff):
    client = signed_in(staff)
    assert client.get(reverse("board_list")).status_code == 403
    pk = plan["meeting"].pk
    for name in ("board_detail", "board_changes", "board_pack", "board_pack_pdf"):
        assert client.get(reverse(name, args=[pk])).status_code == 403, name
    assert client.post(reverse("board_freeze", args=[pk])).status_code == 403


@pytest.mark.django_db
def test_managers_see_the_boards_link(plan, manager, staff):
    assert 'href="/boards/"' in signed_in(manager).get(reverse("dashboard")).text
    assert 'href="/boards/"' not in signed_in(staff).get(reverse("dashboard")).text


@pytest.mark.django_db
def test_a_manager_adds_a_meeting(council, manager):
    client = signed_in(manager)
    response = client.post(
        reverse("board_list"),
        {
            "held_on_0": "5",
            "held_on_1": "3",
            "held_on_2": "2026",
            "board": "Children's Improvement Board",
            "chair": "Jane Smith",
            "notes": "",
        },
    )
    meeting = BoardMeeting.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/boards/{meeting.pk}/"
    assert (meeting.council, meeting.held_on, meeting.created_by) == (
        council,
        D(2026, 3, 5),
        manager,
    )
    assert "Children&#x27;s Improvement Board" in client.get(reverse("board_list")).text


@pytest.mark.django_db
def test_the_meeting_form_shows_a_govuk_error_summary(manager):
    response = signed_in(manager).post(
        reverse("board_list"), {"held_on_0": "31", "held_on_1": "2", "held_on_2": "2026"}
    )
    assert response.status_code == 200
    text = response.text
    assert "govuk-error-summary" in text and "<title>Error: Board meetings" in text
    assert 'href="#id_held_on_0">The date of the meeting must be a real date' in text
    assert 'href="#id_board">Enter the name of the board' in text
    assert not BoardMeeting.objects.exists()


@pytest.mark.django_db
def test_meeting_page_shows_the_figures_and_the_change(plan, manager):
    text = signed_in(manager).get(reverse("board_detail", args=[plan["meeting"].pk])).text
    assert "Jane Smith" in text
    assert "The plan at the meeting" in text and "Not frozen" in text
    assert "Freeze the figures" in text


@pytest.mark.django_db
def test_freezing_keeps_what_the_board_was_shown(plan, manager):
    meeting = plan["meeting"]
    client = signed_in(manager)
    response = client.post(reverse("board_freeze", args=[meeting.pk]))
    assert response.status_code == 302
    meeting.refresh_from_db()
    assert meeting.is_frozen and meeting.frozen_by == manager
    snapshot = BoardSnapshot.objects.get(meeting=meeting)
    pack_before = pack_of(client.get(reverse("board_pack", args=[meeting.pk])))

    # A correction dated before the meeting: the rebuilt past changes, the frozen pack does not.
    action = plan["actions"][1]
    plan["writer"].progress(action, days_ago(3), status="blocked", percent=5)
    snapshot.refresh_from_db()
    assert pack_of(client.get(reverse("board_pack", args=[meeting.pk]))) == pack_before
    frozen = {row["pk"]: row for row in snapshot.figures["actions"]}
    assert frozen[action.pk]["status"] != "blocked"
    rebuilt = council_plan_as_at(meeting.council, end_of_day(meeting.held_on))
    assert rebuilt.actions_by_pk()[action.pk].status == "blocked", "the past was corrected"

    again = client.post(reverse("board_freeze", args=[meeting.pk]), follow=True)
    assert "were frozen on" in again.text
    assert BoardSnapshot.objects.count() == 1


@pytest.mark.django_db
def test_a_meeting_in_the_future_cannot_be_frozen(council, manager):
    meeting = BoardMeeting.objects.create(
        council=council,
        held_on=timezone.localdate() + datetime.timedelta(days=7),
        board="Board",
        created_by=manager,
    )
    client = signed_in(manager)
    assert (
        "on the day of the meeting or after it"
        in client.get(reverse("board_detail", args=[meeting.pk])).text
    )
    client.post(reverse("board_freeze", args=[meeting.pk]))
    meeting.refresh_from_db()
    assert not meeting.is_frozen


@pytest.mark.django_db
def test_changes_since_the_last_meeting_and_since_a_date(plan, manager):
    client = signed_in(manager)
    url = reverse("board_changes", args=[plan["meeting"].pk])
    text = client.get(url).text
    assert "What changed since the Children&#x27;s Improvement Board on" in text
    since = timezone.localdate() - datetime.timedelta(days=200)
    text = client.get(f"{url}?since={since:%Y-%m-%d}").text
    assert f"What changed since {since:%-d %B %Y}" in text
    assert "Due dates revised" in text


@pytest.mark.django_db
def test_changes_refuses_a_date_after_the_meeting(plan, manager):
    url = reverse("board_changes", args=[plan["meeting"].pk])
    response = signed_in(manager).get(f"{url}?since=2099-01-01")
    assert response.status_code == 200
    assert "govuk-error-summary" in response.text
    assert "The date to compare with must be before the meeting" in response.text
    bad = signed_in(manager).get(f"{url}?since=not-a-date")
    assert "govuk-error-summary" in bad.text


@pytest.mark.django_db
def test_pack_page_has_every_section(plan, manager):
    text = signed_in(manager).get(reverse("board_pack", args=[plan["meeting"].pk])).text
    for heading in (
        "Summary",
        "Findings",
        "Exceptions",
        "What changed since the last meeting",
        "Appendix: the full plan",
        "Action plan deadlines",
        "Grades from the standard inspection",
    ):
        assert heading in text, heading
    assert "Action 5" in text


PAGES = ("board_list", "board_detail", "board_changes", "board_pack", "board_trends")


def _queries(client, name, pk) -> int:
    url = reverse(name) if name in ("board_list", "board_trends") else reverse(name, args=[pk])
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200, name
    return len(captured)


@pytest.mark.django_db
@pytest.mark.parametrize("frozen", [False, True], ids=["live", "frozen"])
def test_same_queries_for_a_small_and_a_large_plan(frozen):
    counts = {}
    for size in (2, 25):
        place = CouncilFactory()
        boss, owner = UserFactory(), UserFactory()
        MembershipFactory(user=boss, council=place, role=Role.MANAGER)
        MembershipFactory(user=owner, council=place, role=Role.STAFF)
        built = make_plan(place, boss, owner, actions=size, findings=3)
        client = signed_in(boss)
        if frozen:
            for meeting in (built["earlier"], built["meeting"]):
                assert client.post(reverse("board_freeze", args=[meeting.pk])).status_code == 302
        counts[size] = {name: _queries(client, name, built["meeting"].pk) for name in PAGES}
    assert counts[2] == counts[25], counts
    print(f"queries per page ({'frozen' if frozen else 'live'}): {counts[25]}")


@pytest.mark.django_db
def test_the_board_pages_are_valid_html(plan, manager, tmp_path):
    """By the Nu Html Checker (skipped without Java or the jar, as tests/web's check is)."""
    from tests.browser import html_validator

    html_validator.require_checker()
    client = signed_in(manager)
    pk = plan["meeting"].pk
    pages = {
        "meetings": client.get(reverse("board_list")),
        "meeting-form-errors": client.post(reverse("board_list"), {}),
        "meeting": client.get(reverse("board_detail", args=[pk])),
        "changes": client.get(reverse("board_changes", args=[pk])),
        "changes-errors": client.get(reverse("board_changes", args=[pk]) + "?since=2099-01-01"),
        "pack": client.get(reverse("board_pack", args=[pk])),
        "trends": client.get(reverse("board_trends")),
    }
    paths = []
    for name, response in pages.items():
        assert response.status_code == 200, name
        path = tmp_path / f"{name}.html"
        path.write_bytes(response.content)
        paths.append(path)
    errors = html_validator.check(paths)
    if errors:
        pytest.fail(html_validator.report(errors), pytrace=False)


@pytest.mark.django_db
def test_trends_show_each_month_as_a_chart_and_a_table(plan, manager, staff, council):
    client = signed_in(manager)
    response = client.get(reverse("board_trends"))
    assert response.status_code == 200
    text = response.text
    for chart in ("rag", "progress", "overdue", "completed"):
        assert f'aria-labelledby="plan-{chart}-title"' in text, chart
    assert "Live actions by RAG rating at the end of each month" in text
    table = text[text.index('id="plan-figures"') :]
    points = response.context["trend"].points
    first = timezone.localdate() - datetime.timedelta(days=300)  # the first action
    yesterday = timezone.localdate() - datetime.timedelta(days=1)
    assert (points[0].day.year, points[0].day.month) == (first.year, first.month)
    assert points[-1].day == yesterday and len(points) <= 12
    rebuilt = council_plan_as_at(council, end_of_day(yesterday)).totals
    assert points[-1].totals == rebuilt
    assert points[-1].long_label in table
    finding = plan["actions"][0].finding
    page = client.get(reverse("board_finding_trends", args=[finding.pk]))
    assert page.status_code == 200 and f"Trends: {finding.position}." in page.text
    assert signed_in(staff).get(reverse("board_trends")).status_code == 403


def test_month_ends():
    from boards.trends import month_ends

    assert month_ends(D(2025, 11, 3), D(2026, 2, 10)) == [
        D(2025, 11, 30),
        D(2025, 12, 31),
        D(2026, 1, 31),
        D(2026, 2, 10),
    ]
    assert len(month_ends(D(2020, 1, 1), D(2026, 2, 10))) == 12


def test_chart_axes_have_round_steps():
    from boards.trends import _scale

    tops = {0: 4, 1: 4, 4: 4, 5: 8, 9: 20, 21: 40, 41: 80, 81: 100, 101: 200, 999: 1000}
    assert {n: _scale(n) for n in tops} == tops
