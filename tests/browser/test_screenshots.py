"""Every page of the service with the demo data, at desktop and phone widths, each checked by axe.

The PNGs land in screenshots/ (NN-name-desktop.png and NN-name-phone.png), for people to look
at. Every page is visited and saved even when an earlier one fails axe; the test then fails
listing every page that did.
"""

import re
from io import StringIO

import pytest
from django.core.management import call_command

from actions.models import Action
from actions.rag import Status
from councils.models import User
from inspections.models import Finding, Inspection

from .conftest import DESKTOP, PHONE, SCREENSHOTS, screenshot, sign_in

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

DEMO_PASSWORD = "improvement-demo"


@pytest.fixture
def demo(settings):
    settings.DEBUG = True  # the demo refuses to load otherwise
    call_command("load_demo", stdout=StringIO())
    # The pages themselves are served as in production (e.g. the real 404 page).
    settings.DEBUG = False


class Pages:
    """Visits pages, checks each shows what it should, and saves and checks it with axe."""

    def __init__(self, page):
        self.page = page
        self.failures: list[str] = []

    def shoot(self, name: str, path: str | None = None, *, heading: str, status: int = 200):
        if path is not None:
            response = self.page.goto(path)
            assert response.status == status, f"{path} answered {response.status}"
        h1 = self.page.locator("h1").first.inner_text()
        assert re.search(heading, h1), f"{name}: expected a heading like {heading!r}, got {h1!r}"
        try:
            screenshot(self.page, name)
        except AssertionError as failure:
            self.failures.append(f"{name} ({self.page.url}): {failure}")
        self.check_reflow(name)

    def check_reflow(self, name: str) -> None:
        """At 375px nothing makes the whole page scroll sideways (WCAG 1.4.10, reflow)."""
        original = self.page.viewport_size
        self.page.set_viewport_size(PHONE)
        width = self.page.evaluate("() => document.documentElement.scrollWidth")
        self.page.set_viewport_size(original)
        if width > PHONE["width"]:
            self.failures.append(
                f"{name} ({self.page.url}): the page is {width}px wide at {PHONE['width']}px, "
                "so it scrolls sideways on a phone"
            )


def test_screenshot_every_page(page, new_page, demo):
    council_actions = Action.objects.filter(finding__inspection__council__dfe_la_code="873")
    manager = User.objects.get(username="demo.manager")
    delivered = council_actions.filter(status=Status.DELIVERED).exclude(owner=manager).first()
    assert delivered is not None, "the demo has a delivered action for a manager to sign off"
    open_action = (
        council_actions.filter(status=Status.IN_PROGRESS, updates__evidence_url__gt="").first()
        or council_actions.filter(status=Status.IN_PROGRESS).first()
    )
    inspection = Inspection.objects.get(council__dfe_la_code="873", start_date="2024-03-04")
    finding = Finding.objects.filter(inspection=inspection).order_by("position").first()

    pages = Pages(page)
    pages.shoot("00-sign-in", "/sign-in/", heading="Sign in")
    sign_in(page, "demo.manager", DEMO_PASSWORD)
    page.wait_for_url(re.compile(r"/$"))

    pages.shoot("01-dashboard", heading="^Dashboard$")
    # On a phone the long lists start folded, so the figures come first.
    page.set_viewport_size(PHONE)
    page.reload()
    folded = page.locator("details[data-app-fold]")
    assert folded.count() >= 3
    assert all(not details.get_attribute("open") for details in folded.all()), "folded on phones"
    page.set_viewport_size(DESKTOP)
    # Widening the window opens them again (their toggle is hidden at this width).
    page.wait_for_function(
        "() => [...document.querySelectorAll('details[data-app-fold]')].every(d => d.open)",
        timeout=5000,
    )
    pages.shoot("02-actions-list", "/actions/", heading="^Actions$")
    pages.shoot("03-actions-list-filtered-red", "/actions/?rag=red", heading="^Actions$")
    assert "match your filters" in page.locator("#action-count").inner_text()
    pages.shoot("04-my-actions", "/actions/mine/", heading="^My actions$")
    pages.shoot("05-action", f"/actions/{open_action.pk}/", heading=re.escape(open_action.title))

    # The log-progress form sent empty: the error summary and the errors by each field.
    page.get_by_role("button", name="Save progress update").click()
    page.wait_for_load_state()
    summary = page.locator(".govuk-error-summary")
    assert summary.is_visible()
    assert "Enter a note saying what has happened" in summary.inner_text()
    pages.shoot("06-log-progress-errors", heading=re.escape(open_action.title))

    pages.shoot("07-edit", f"/actions/{open_action.pk}/edit/", heading="^Edit action$")
    pages.shoot(
        "08-due-date", f"/actions/{open_action.pk}/due-date/", heading="^Change the due date$"
    )
    pages.shoot(
        "09-delivered-action", f"/actions/{delivered.pk}/", heading=re.escape(delivered.title)
    )
    # The same page with its audit trail (a table in a details element) opened.
    page.get_by_text("Every change to this action").click()
    assert page.get_by_role("table", name=re.compile("Changes to this action")).is_visible()
    pages.shoot("09b-delivered-action-audit-trail", heading=re.escape(delivered.title))
    pages.shoot(
        "09c-action-every-update",
        f"/actions/{delivered.pk}/updates/",
        heading="^Every update$",
    )
    pages.shoot(
        "09d-action-every-change",
        f"/actions/{delivered.pk}/changes/",
        heading="^Every change to this action$",
    )
    pages.shoot(
        "10-sign-off", f"/actions/{delivered.pk}/sign-off/", heading="^Sign off this action$"
    )
    pages.shoot(
        "11-send-back", f"/actions/{delivered.pk}/send-back/", heading="^Send this action back$"
    )
    pages.shoot("12-cancel", f"/actions/{open_action.pk}/cancel/", heading="^Cancel this action$")
    pages.shoot("13-inspections", "/inspections/", heading="^Inspections$")
    pages.shoot("14-inspection", f"/inspections/{inspection.pk}/", heading=".+")
    pages.shoot("15-finding", f"/inspections/findings/{finding.pk}/", heading=".+")
    # A manager adds an action from the finding's page; sent empty, it shows its errors.
    page.get_by_role("button", name="Add an action").click()
    page.wait_for_url(re.compile(rf"/actions/new/{finding.pk}/$"))
    pages.shoot("15b-add-action", heading="^Add an action$")
    page.locator("main form").get_by_role("button").last.click()
    page.wait_for_load_state()
    assert page.locator(".govuk-error-summary").is_visible()
    pages.shoot("15c-add-action-errors", heading="^Add an action$")
    pages.shoot("16-switch-council", "/council/", heading="council")
    pages.shoot("17-accessibility", "/accessibility/", heading="ccessibility")
    pages.shoot("18-not-found", "/actions/999999/", heading="not found|Page not found", status=404)

    # The admin, for the support team (superusers) only: saved for people to look at
    # (axe is not asked of Django's admin).
    support = new_page()
    sign_in(support, "demo.support", DEMO_PASSWORD)
    support.wait_for_url(re.compile(r"/$"))
    for name, path, title in (
        ("19-admin-index", "/admin/", "Improvement Tracker"),
        ("20-admin-actions", "/admin/actions/action/", "Select action to change"),
    ):
        response = support.goto(path)
        assert response.status == 200, f"{path} answered {response.status}"
        assert title in support.title(), support.title()
        support.screenshot(path=str(SCREENSHOTS / f"{name}-desktop.png"), full_page=True)
        support.set_viewport_size(PHONE)
        support.screenshot(path=str(SCREENSHOTS / f"{name}-phone.png"), full_page=True)
        support.set_viewport_size(DESKTOP)
    # The Team pages, as the council's admin, checked like the pages above; the admin
    # site is not there for them.
    admin = new_page()
    sign_in(admin, "demo.admin", DEMO_PASSWORD)
    admin.wait_for_url(re.compile(r"/$"))
    assert admin.goto("/admin/").status == 404
    team = Pages(admin)
    team.shoot("21-team", "/team/", heading="^Team$")
    team.shoot("22-team-invite", "/team/invite/", heading="^Invite someone to the team$")
    team.shoot("23-change-password", "/password/", heading="^Change your password$")
    pages.failures += team.failures

    assert not pages.failures, "\n\n".join(pages.failures)
