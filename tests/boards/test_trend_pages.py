"""Trends where people read them: the dashboard (the plan and each theme), each finding's page,
the trends page and the board pack, as charts with a captioned table of the same figures; a
fixed number of queries whatever the plan's size, with snapshots or without."""

import contextlib
import datetime
import io
from html.parser import HTMLParser
from unittest import mock

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from pypdf import PdfReader

from boards.asat import Timeline
from boards.services import take_daily_snapshots
from councils.models import Role
from tests.factories import CouncilFactory, MembershipFactory, UserFactory

from .conftest import PlanWriter, clock_at, signed_in
from .test_snapshots import NOW, two_findings  # noqa: F401 - a fixture
from .test_views import make_plan

RAG = "Live actions by RAG rating at the end of each month"
PERCENT = "Average percent complete of the live actions at the end of each month"
OVERDUE = "Actions overdue at the end of each month"
COMPLETED = "Actions that became complete in each month, less any reopened"


class Tables(HTMLParser):
    """Every table's rows (cell texts), by its caption, in the page's order."""

    def __init__(self, html: str):
        super().__init__()
        self.tables: dict[str, list[list[list[str]]]] = {}
        self._caption = self._rows = self._cell = None
        self._in_caption = False
        self.feed(html)

    def handle_starttag(self, tag, attrs):
        if tag == "table":
            self._rows, self._caption = [], ""
        elif tag == "caption":
            self._in_caption = True
        elif tag == "tr" and self._rows is not None:
            self._rows.append([])
        elif tag in ("td", "th") and self._rows is not None:
            self._cell = ""

    def handle_endtag(self, tag):
        if tag == "caption":
            self._in_caption = False
        elif tag in ("td", "th") and self._cell is not None:
            self._rows[-1].append(" ".join(self._cell.split()))
            self._cell = None
        elif tag == "table" and self._rows is not None:
            self.tables.setdefault(self._caption.strip(), []).append(self._rows[1:])
            self._rows = None

    def handle_data(self, data):
        if self._in_caption:
            self._caption += data
        elif self._cell is not None:
            self._cell += data


def get(client, url):
    with clock_at(NOW):
        response = client.get(url)
    assert response.status_code == 200, url
    return response


@pytest.mark.django_db
def test_the_dashboard_shows_the_plan_month_by_month(
    council,
    staff,
    two_findings,  # noqa: F811
):
    """Hand-worked in test_snapshots: January A1 green, A2 red and overdue; February A1
    amber (no update for 39 days), A2 complete. The dashboard reads stored snapshots."""
    take_daily_snapshots(day=NOW.date() - datetime.timedelta(days=1), now=NOW)
    html = get(signed_in(staff), reverse("dashboard")).text
    tables = Tables(html).tables
    # The whole plan's; each theme's are on the trends page (a large council's dashboard
    # was 772 KB with them).
    assert tables[RAG] == [[["Jan 2025", "1", "0", "1", "0"], ["Feb 2025", "0", "1", "0", "1"]]]
    assert tables[PERCENT] == [[["Jan 2025", "20%"], ["Feb 2025", "70%"]]]
    assert tables[OVERDUE] == [[["Jan 2025", "1"], ["Feb 2025", "0"]]]
    assert tables[COMPLETED] == [[["Jan 2025", "0"], ["Feb 2025", "1"]]]
    assert 'aria-labelledby="dashboard-rag-title"' in html
    assert "Leaving care</span>" not in html
    # The trends page is for managers: staff are not sent there.
    assert reverse("board_trends") not in html


@pytest.mark.django_db
def test_the_dashboard_never_replays_the_timeline(
    council,
    staff,
    two_findings,  # noqa: F811
):
    """Without stored snapshots it says when the charts will come; with some, it shows those
    days and leaves the others out. It never rebuilds: at national scale that took seconds."""
    client = signed_in(staff)
    never = mock.patch.object(Timeline, "load", side_effect=AssertionError("rebuilt"))
    with never:
        html = get(client, reverse("dashboard")).text
    assert "No trends yet. The tracker stores the plan" in html
    take_daily_snapshots(day=NOW.date() - datetime.timedelta(days=1), now=NOW)
    with never:
        tables = Tables(get(client, reverse("dashboard")).text).tables
    assert tables[PERCENT][0] == [["Jan 2025", "20%"], ["Feb 2025", "70%"]]


@pytest.mark.django_db
def test_each_finding_page_shows_its_own_trend(council, manager, two_findings):  # noqa: F811
    client = signed_in(manager)
    first = Tables(get(client, reverse("finding_detail", args=[two_findings["first"].pk])).text)
    assert first.tables[RAG] == [
        [["Jan 2025", "0", "0", "1", "0"], ["Feb 2025", "0", "1", "0", "0"]]
    ]
    assert first.tables[PERCENT] == [[["Jan 2025", "40%"], ["Feb 2025", "40%"]]]
    assert first.tables[OVERDUE] == [[["Jan 2025", "0"], ["Feb 2025", "0"]]]
    second = Tables(get(client, reverse("finding_detail", args=[two_findings["second"].pk])).text)
    assert second.tables[PERCENT] == [[["Jan 2025", "0%"], ["Feb 2025", "100%"]]]
    assert second.tables[COMPLETED] == [[["Jan 2025", "0"], ["Feb 2025", "1"]]]


@pytest.mark.django_db
def test_the_trends_page_has_a_section_for_each_theme(council, manager, two_findings):  # noqa: F811
    html = get(signed_in(manager), reverse("board_trends")).text
    assert '<h3 class="govuk-heading-m" id="theme-1">Leaving care</h3>' in html
    tables = Tables(html).tables
    combined = tables[
        "The figures behind the charts: "
        + council.name
        + ", at the end of each month and yesterday"
    ]
    assert combined == [
        [
            ["January 2025", "1", "0", "1", "0", "20%", "1", "0"],
            ["February 2025", "0", "1", "0", "1", "70%", "0", "1"],
        ]
    ]


@pytest.mark.django_db
def test_a_finding_whose_first_action_is_added_today_has_no_trends_yet(council, manager, staff):
    from tests.factories import FindingFactory, InspectionFactory

    finding = FindingFactory(inspection=InspectionFactory(council=council))
    client = signed_in(manager)
    url = reverse("finding_detail", args=[finding.pk])
    PlanWriter(council=council, manager=manager, owner=staff, finding=finding).create(
        timezone.now(), due=timezone.localdate() + datetime.timedelta(days=30)
    )
    html = client.get(url).text
    # Trends end yesterday, when the finding had no action.
    assert "No trends yet: the charts begin the day after the first action" in html
    assert "app-trend__chart" not in html
    # Tomorrow (signed in afresh: a day-old session has timed out), the first point.
    with clock_at(timezone.now() + datetime.timedelta(days=1)):
        assert signed_in(manager).get(url).text.count("app-trend__chart") == 4


@pytest.mark.django_db
def test_the_pack_and_its_pdf_show_the_trends(council, manager, staff):
    built = make_plan(council, manager, staff, actions=8, findings=2)
    client = signed_in(manager)
    pk = built["meeting"].pk
    html = client.get(reverse("board_pack", args=[pk])).text
    assert 'id="pack-trends"' in html and 'aria-labelledby="pack-trend-rag-title"' in html
    pdf = PdfReader(io.BytesIO(client.get(reverse("board_pack_pdf", args=[pk])).content))
    text = "\n".join(page.extract_text() for page in pdf.pages)
    assert "Trends" in text and "The figures behind the charts" in text
    assert "Completed in the month" in text


def _council_with_plan(size: int):
    place = CouncilFactory()
    boss, owner = UserFactory(), UserFactory()
    MembershipFactory(user=boss, council=place, role=Role.MANAGER)
    MembershipFactory(user=owner, council=place, role=Role.STAFF)
    built = make_plan(place, boss, owner, actions=size, findings=3)
    return signed_in(boss), built


def _queries(client, url) -> int:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200, url
    return len(captured)


@pytest.mark.django_db
@pytest.mark.parametrize("with_snapshots", [False, True], ids=["rebuilt", "snapshots"])
def test_same_queries_for_a_small_and_a_large_plan(with_snapshots):
    counts = {}
    for size in (3, 30):
        client, built = _council_with_plan(size)
        # Without: every point rebuilt from the timeline. With: the command's first run
        # stores yesterday and the month ends before it, so no page rebuilds anything.
        reads = contextlib.nullcontext()
        if with_snapshots:
            take_daily_snapshots(day=timezone.localdate() - datetime.timedelta(days=1))
            reads = mock.patch.object(Timeline, "load", side_effect=AssertionError("rebuilt"))
        finding = built["actions"][0].finding
        with reads:
            counts[size] = {
                "dashboard": _queries(client, reverse("dashboard")),
                "finding": _queries(client, reverse("finding_detail", args=[finding.pk])),
                "trends": _queries(client, reverse("board_trends")),
                "finding trends": _queries(
                    client, reverse("board_finding_trends", args=[finding.pk])
                ),
            }
    assert counts[3] == counts[30], counts
    print(f"queries per page ({'with' if with_snapshots else 'without'} snapshots): {counts[30]}")
