"""The board pages in Chromium, each checked by axe (WCAG 2.2 A and AA) and saved as screenshots:
the meetings list (and its form's errors), a meeting, what changed, and the pack on screen and as
printed. Skipped, as the other browser tests are, when Chromium is not installed."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from boards.services import take_daily_snapshots
from councils.models import Role
from tests.boards.test_views import make_plan
from tests.factories import CouncilFactory, MembershipFactory, UserFactory

from .conftest import DESKTOP, FACTORY_PASSWORD, PHONE, SCREENSHOTS, screenshot, sign_in

# Here, beside the other browser tests, so that it shares their one Chromium (a second
# Playwright started elsewhere in the run breaks every browser test after it).
pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


def test_board_pages_in_a_browser(page):
    council = CouncilFactory(name="Cambridgeshire")
    manager = UserFactory(username="board.manager", first_name="Sarah", last_name="Okafor")
    owner = UserFactory(first_name="Priya", last_name="Shah")
    MembershipFactory(user=manager, council=council, role=Role.MANAGER)
    MembershipFactory(user=owner, council=council, role=Role.STAFF)
    built = make_plan(council, manager, owner, actions=12, findings=3)
    meeting = built["meeting"]

    sign_in(page, "board.manager", FACTORY_PASSWORD)
    page.goto("/boards/")
    assert page.locator("h1").inner_text() == "Board meetings"
    screenshot(page, "boards-01-meetings")
    assert_reflows(page)

    page.get_by_role("button", name="Add the meeting").click()
    assert page.locator(".govuk-error-summary").is_visible()
    screenshot(page, "boards-02-meeting-form-errors")

    page.goto(f"/boards/{meeting.pk}/")
    screenshot(page, "boards-03-meeting")
    assert_reflows(page)

    page.goto(f"/boards/{meeting.pk}/changes/")
    assert page.locator("h1").inner_text().startswith("What changed since")
    screenshot(page, "boards-04-changes")
    assert_reflows(page)

    page.goto(f"/boards/{meeting.pk}/pack/")
    assert page.locator("h1").inner_text().startswith("Board pack")
    screenshot(page, "boards-05-pack")
    assert_reflows(page)
    page.emulate_media(media="print")
    assert not page.locator(".govuk-service-navigation").is_visible(), "no menu on paper"
    page.screenshot(path=str(SCREENSHOTS / "boards-06-pack-print.png"), full_page=True)
    page.pdf(path=str(SCREENSHOTS / "boards-07-pack-printed.pdf"))
    page.emulate_media(media="screen")

    page.goto("/boards/trends/")
    assert page.locator("h1").inner_text() == "Trends"
    screenshot(page, "boards-08-trends")
    assert_reflows(page)
    page.get_by_role("link", name="2. Finding 2").click()
    assert page.locator("h1").inner_text().startswith("Trends: 2. Finding 2")
    screenshot(page, "boards-09-finding-trends")
    assert_reflows(page)

    # The dashboard's trends (from the nightly snapshots): the plan's four charts, each with
    # its figures in a table to open.
    take_daily_snapshots(day=timezone.localdate() - datetime.timedelta(days=1))
    page.goto("/")
    trends = page.locator("#trends + p + .app-trend-set")
    assert trends.locator("svg[role=img]").count() == 4
    table = page.get_by_role("table", name="Live actions by RAG rating at the end of each month")
    assert not table.first.is_visible()
    trends.get_by_text("RAG counts as a table").click()
    assert table.first.is_visible()
    screenshot(page, "boards-10-dashboard-trends")
    _chart_screenshots(page, trends, "boards-10-dashboard-trends")

    # A finding's page: its own trends.
    finding = built["actions"][1].finding
    page.goto(reverse("finding_detail", args=[finding.pk]))
    finding_trends = page.locator("#trends + p + .app-trend-set")
    assert finding_trends.locator("svg[role=img]").count() == 4
    screenshot(page, "boards-11-finding-page-trends")
    _chart_screenshots(page, finding_trends, "boards-11-finding-page-trends")


def assert_reflows(page):
    """At 375px nothing makes the whole page scroll sideways (WCAG 1.4.10): wide tables
    scroll in their own boxes."""
    original = page.viewport_size
    page.set_viewport_size(PHONE)
    width = page.evaluate("() => document.documentElement.scrollWidth")
    page.set_viewport_size(original)
    assert width <= PHONE["width"], f"{page.url} is {width}px wide on a {PHONE['width']}px phone"


def _chart_screenshots(page, charts, name):
    """The charts alone, at desktop and phone widths, to look at closely."""
    for label, size in (("desktop", DESKTOP), ("phone", PHONE)):
        page.set_viewport_size(size)
        charts.screenshot(path=str(SCREENSHOTS / f"{name}-charts-{label}.png"))
    page.set_viewport_size(DESKTOP)
