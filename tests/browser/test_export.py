"""The actions list filtered through its form, and its Excel and CSV exports: the same rows."""

import csv
import datetime
import io
import re
from urllib.parse import parse_qs, urlparse

import openpyxl
import pytest
from django.utils import timezone

from actions.rag import Status

from ..factories import ActionFactory, FindingFactory
from .conftest import FACTORY_PASSWORD, assert_accessible, sign_in

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

# (title, status, percent, days until due): three in progress among seven.
PLAN = [
    ('Review "front door" decisions, with Zoë’s team', Status.IN_PROGRESS, 40, 20),
    ("Audit pathway plans", Status.IN_PROGRESS, 60, 45),
    ("Recruit two personal advisers", Status.NOT_STARTED, 0, 70),
    ("Publish the local offer", Status.BLOCKED, 10, 90),
    ("Refresh supervision policy", Status.IN_PROGRESS, 75, 100),
    ("Train team managers", Status.DELIVERED, 100, 30),
    ("Set up the care leavers' forum", Status.NOT_STARTED, 0, 120),
]


@pytest.fixture
def plan(council, staff, other_staff):
    finding = FindingFactory(inspection__council=council, short_title="Pathway plans")
    today = timezone.localdate()
    return [
        ActionFactory(
            finding=finding,
            title=title,
            owner=staff if i % 2 == 0 else other_staff,
            status=status,
            percent_complete=percent,
            due_date=today + datetime.timedelta(days=days),
        )
        for i, (title, status, percent, days) in enumerate(PLAN)
    ]


def _rows_on_page(page) -> list[tuple[str, str, str, int]]:
    """(title, owner, status, percent) of each row of the actions table, in order."""
    rows = []
    for row in page.locator(".app-actions-table tbody tr").all():
        title = row.locator("td").first.get_by_role("link").inner_text()
        owner = row.locator('td[data-label="Owner"]').inner_text()
        status = row.locator(".app-status").inner_text()
        complete = row.locator('td[data-label="Complete"] .app-progress__value').inner_text()
        percent = int(re.search(r"(\d+)%", complete).group(1))
        rows.append((title.strip(), owner.strip(), status.strip(), percent))
    return rows


def _filter_by_status(page, label: str) -> None:
    page.goto("/actions/")
    page.get_by_text("Filter actions").click()
    page.get_by_label("Status", exact=True).select_option(label=label)
    page.get_by_role("button", name="Apply filters").click()
    page.wait_for_url(re.compile(r"status="))


def _export_rows(header: list, rows: list) -> list[tuple[str, str, str, int]]:
    columns = {name: header.index(name) for name in ("Action", "Owner", "Status", "% complete")}
    return [
        (
            row[columns["Action"]],
            row[columns["Owner"]],
            row[columns["Status"]],
            int(row[columns["% complete"]]),
        )
        for row in rows
    ]


@pytest.fixture
def filtered_page(page, staff, plan):
    sign_in(page, staff.username, FACTORY_PASSWORD)
    _filter_by_status(page, "In progress")
    return page


def test_the_filter_is_kept_in_the_url_and_the_list_shows_only_matching_rows(filtered_page, plan):
    page = filtered_page
    query = parse_qs(urlparse(page.url).query)
    assert query["status"] == ["in_progress"]
    unexpected = set(query) - {"status", "sort", "apply"}
    assert not unexpected, f"unexpected parameters: {sorted(unexpected)}"
    assert page.title() == "Actions (filtered) – Improvement Tracker"
    assert page.locator("#action-count").inner_text() == "3 actions match your filters"
    shown = _rows_on_page(page)
    expected_titles = {title for title, status, *_ in PLAN if status == Status.IN_PROGRESS}
    assert {title for title, *_ in shown} == expected_titles
    assert {status for _, _, status, _ in shown} == {"In progress"}
    # The form shows the filter that is in force.
    assert page.get_by_label("Status", exact=True).input_value() == "in_progress"
    assert_accessible(page)

    # Reloading the URL (a bookmark) gives the same list.
    page.goto(page.url)
    assert _rows_on_page(page) == shown


def test_filtering_does_not_put_the_csrf_token_in_the_url(filtered_page):
    page = filtered_page
    assert "csrfmiddlewaretoken" not in page.url
    assert "csrfmiddlewaretoken" not in page.get_by_role(
        "link", name=re.compile(r"^Download as CSV")
    ).get_attribute("href")


def test_excel_export_holds_exactly_the_filtered_rows(filtered_page, council):
    page = filtered_page
    shown = _rows_on_page(page)
    assert len(shown) == 3

    link = page.get_by_role("link", name=re.compile(r"^Download as Excel"))
    assert "status=in_progress" in link.get_attribute("href")
    with page.expect_download() as download_info:
        link.click()
    download = download_info.value
    today = timezone.localdate()
    assert download.suggested_filename == f"actions-{council.slug}-{today:%Y-%m-%d}.xlsx"

    with open(download.path(), "rb") as handle:
        workbook = openpyxl.load_workbook(io.BytesIO(handle.read()), read_only=True)
    sheet = workbook["Actions"]
    header, *rows = [list(row) for row in sheet.iter_rows(values_only=True)]
    assert header[0] == "Council"
    assert _export_rows(header, rows) == shown
    assert {row[header.index("Council")] for row in rows} == {council.name}
    workbook.close()


def test_csv_export_holds_exactly_the_filtered_rows(filtered_page, council):
    page = filtered_page
    shown = _rows_on_page(page)

    link = page.get_by_role("link", name=re.compile(r"^Download as CSV"))
    assert "status=in_progress" in link.get_attribute("href")
    with page.expect_download() as download_info:
        link.click()
    download = download_info.value
    assert download.suggested_filename.endswith(".csv")

    with open(download.path(), "rb") as handle:
        text = handle.read().decode("utf-8-sig")  # Excel's byte-order mark first
    header, *rows = list(csv.reader(io.StringIO(text)))
    assert _export_rows(header, rows) == shown
    assert any("Zoë’s team" in row[header.index("Action")] for row in rows)


def test_an_unfiltered_export_holds_every_row(page, staff, plan):
    sign_in(page, staff.username, FACTORY_PASSWORD)
    page.goto("/actions/")
    assert page.locator("#action-count").inner_text() == f"{len(PLAN)} actions"
    shown = _rows_on_page(page)
    response = page.request.get(
        page.get_by_role("link", name=re.compile(r"^Download as CSV")).get_attribute("href")
    )
    assert response.status == 200
    header, *rows = list(csv.reader(io.StringIO(response.text().lstrip("\ufeff"))))
    assert _export_rows(header, rows) == shown
