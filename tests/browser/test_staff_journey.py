"""A member of staff logs progress on their own action, with an evidence file, in a browser.

Every page visited is checked with axe (screenshot() checks it at desktop and phone widths).
"""

import re
from pathlib import Path

import pytest

from actions.models import ProgressUpdate
from actions.rag import Status

from .conftest import FACTORY_PASSWORD, assert_accessible, screenshot, sign_in

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

PDF_BYTES = (
    b"%PDF-1.4\n1 0 obj <</Type /Catalog /Pages 2 0 R>> endobj\n"
    b"2 0 obj <</Type /Pages /Kids [] /Count 0>> endobj\n"
    b"trailer <</Root 1 0 R>>\n%%EOF\n"
)


def _dashboard_progress(page) -> int:
    """The percentage shown under "Progress across N live actions" on the dashboard."""
    text = page.locator(".app-progress-large .app-progress__value").inner_text()
    return int(re.search(r"(\d+)%", text).group(1))


def test_staff_member_logs_progress_with_evidence_and_sees_it_on_the_dashboard(
    page, staff, action, tmp_path
):
    sign_in(page, staff.username, FACTORY_PASSWORD)

    # The dashboard before: nothing done, no updates.
    assert page.url.endswith("/")
    assert page.get_by_role("heading", name="Dashboard", level=1).is_visible()
    assert _dashboard_progress(page) == 0
    assert "No progress updates yet" in page.locator("main").inner_text()
    screenshot(page, "journey-01-dashboard-before")

    # My actions, then the action itself.
    page.get_by_role("link", name="My actions", exact=True).click()
    assert page.url.endswith("/actions/mine/")
    assert_accessible(page)
    page.get_by_role("link", name=action.title, exact=True).click()
    assert page.url.endswith(f"/actions/{action.pk}/")
    assert page.get_by_role("heading", name=action.title, level=1).is_visible()
    assert "Nothing has been logged yet" in page.locator(".app-timeline").inner_text()
    assert_accessible(page)

    # Log progress: a note, "In progress", 40% and a PDF.
    evidence = tmp_path / "board-minutes.pdf"
    evidence.write_bytes(PDF_BYTES)
    page.get_by_label("What has happened since the last update?").fill(
        "Audit of care leaver pathway plans finished; findings to the board."
    )
    page.get_by_label("In progress", exact=True).check()
    page.get_by_label("How complete is it, as a percentage?").fill("40")
    page.get_by_label("Upload evidence").set_input_files(str(evidence))
    page.get_by_role("button", name="Save progress update").click()

    # Back on the action: the banner, the new tags, the update in the timeline.
    page.wait_for_url(re.compile(rf"/actions/{action.pk}/$"))
    banner = page.locator(".govuk-notification-banner--success")
    assert banner.is_visible()
    assert "Your progress update has been saved." in banner.inner_text()
    assert page.locator(".app-action-status").get_by_text("In progress").is_visible()
    newest = page.locator(".app-timeline__item").first
    newest_text = newest.inner_text()
    assert "Progress update" in newest_text
    assert "Audit of care leaver pathway plans finished" in newest_text
    assert re.search(r"Status: Not started\s*→?\s*(changed to)?\s*In progress", newest_text)
    assert re.search(r"Complete: 0%\s*→?\s*(changed to)?\s*40%", newest_text)
    evidence_link = newest.get_by_role("link", name=re.compile(r"^Download board-minutes\.pdf"))
    assert evidence_link.is_visible()
    screenshot(page, "journey-02-action-after-update")

    # The evidence downloads under its own name, byte for byte.
    with page.expect_download() as download_info:
        evidence_link.click()
    download = download_info.value
    assert download.suggested_filename == "board-minutes.pdf"
    assert Path(download.path()).read_bytes() == PDF_BYTES

    # The same file through the signed-in session, with its headers.
    response = page.request.get(evidence_link.get_attribute("href"))
    assert response.status == 200
    assert response.body() == PDF_BYTES
    assert 'filename="board-minutes.pdf"' in response.headers["content-disposition"]
    assert response.headers["x-content-type-options"] == "nosniff"

    # The database agrees with the page.
    update = ProgressUpdate.objects.get(action=action)
    assert (update.status, update.percent_complete, update.author_id) == (
        Status.IN_PROGRESS,
        40,
        staff.pk,
    )
    assert update.evidence_file_name == "board-minutes.pdf"
    action.refresh_from_db()
    assert (action.status, action.percent_complete) == (Status.IN_PROGRESS, 40)

    # The dashboard after: 40% and the update at the top of the recent updates.
    page.get_by_role("link", name="Dashboard", exact=True).first.click()
    page.wait_for_url(re.compile(r"/$"))
    assert _dashboard_progress(page) == 40
    recent = page.locator(".app-updates__item")
    assert recent.count() == 1
    recent_text = recent.first.inner_text()
    assert action.title in recent_text
    assert "not started to in progress, 0% to 40%" in recent_text
    assert staff.get_full_name() in recent_text
    screenshot(page, "journey-03-dashboard-after")


def test_a_refused_file_type_is_explained_and_nothing_is_saved(page, staff, action, tmp_path):
    program = tmp_path / "setup.exe"
    program.write_bytes(b"MZ\x90\x00\x03\x00\x00\x00 not evidence")
    before = ProgressUpdate.objects.count()

    sign_in(page, staff.username, FACTORY_PASSWORD)
    page.goto(f"/actions/{action.pk}/")
    page.get_by_label("What has happened since the last update?").fill("Attached the tool.")
    page.get_by_label("In progress", exact=True).check()
    page.get_by_label("How complete is it, as a percentage?").fill("30")
    page.get_by_label("Upload evidence").set_input_files(str(program))
    page.get_by_role("button", name="Save progress update").click()
    page.wait_for_load_state()

    summary = page.locator(".govuk-error-summary")
    assert summary.is_visible()
    assert "There is a problem" in summary.inner_text()
    assert "“setup.exe” is not a file type we accept" in summary.inner_text()
    assert page.title().startswith("Error: ")
    assert not page.locator(".govuk-notification-banner--success").count()
    # The summary's link takes you to the file input, which shows the same error.
    error_link = summary.get_by_role("link", name=re.compile("setup.exe"))
    assert error_link.get_attribute("href") == "#id_evidence_file"
    field_error = page.locator("#id_evidence_file_error, .govuk-error-message").filter(
        has_text="setup.exe"
    )
    assert field_error.first.is_visible()
    # What was typed is kept, so only the file needs choosing again.
    assert (
        page.get_by_label("What has happened since the last update?").input_value()
        == "Attached the tool."
    )
    assert page.get_by_label("How complete is it, as a percentage?").input_value() == "30"
    screenshot(page, "journey-04-refused-file")

    assert ProgressUpdate.objects.count() == before
    action.refresh_from_db()
    assert (action.status, action.percent_complete) == (Status.NOT_STARTED, 0)
    assert "Nothing has been logged yet" in page.locator(".app-timeline").inner_text()
