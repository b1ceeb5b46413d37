"""CSV and Excel exports: exactly the list's filtered rows, in its order, streamed."""

import csv
import datetime
import io

import pytest
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from actions import exports, services
from actions.rag import Status
from tests.factories import ActionFactory, FindingFactory, UserFactory

from .conftest import count_queries, make_actions, titles

pytestmark = pytest.mark.django_db

LIST = reverse("action_list")
CSV = reverse("action_export_csv")
XLSX = reverse("action_export_xlsx")


def csv_rows(response) -> list[list[str]]:
    assert response.streaming, "the CSV should be streamed"
    text = b"".join(response.streaming_content).decode("utf-8")
    assert text.startswith("\ufeff"), "a byte-order mark so Excel reads UTF-8"
    return list(csv.reader(io.StringIO(text[1:])))


def xlsx_rows(response) -> list[tuple]:
    data = b"".join(response.streaming_content)
    sheet = load_workbook(io.BytesIO(data), read_only=True)["Actions"]
    return [tuple(cell.value for cell in row) for row in sheet.iter_rows()]


def all_listed_titles(client, query: str) -> list[str]:
    """Every title the list shows for a query, over all its pages."""
    shown, page = [], 1
    while True:
        response = client.get(f"{LIST}?{query}&page={page}")
        shown += titles(response)
        if not response.context["page_obj"].has_next():
            return shown
        page += 1


@pytest.mark.parametrize("url", [CSV, XLSX])
def test_sign_in_is_required(client, url):
    response = client.get(url)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


@pytest.fixture
def plan(council, finding, staff, other_staff, other_action):
    actions = make_actions(finding, staff, 40) + make_actions(
        FindingFactory(inspection__council=council, short_title="Caseloads"), other_staff, 35
    )
    return actions


@pytest.mark.parametrize(
    "query",
    [
        "",
        "status=in_progress",
        "sort=-due",
        "sort=title&q=Action",
        "rag=red&sort=owner",
        "overdue=1&sort=priority",
    ],
)
def test_csv_rows_are_exactly_the_filtered_rows_in_order(staff_client, plan, other_action, query):
    response = staff_client.get(f"{CSV}?{query}")
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"].startswith('attachment; filename="actions-')
    rows = csv_rows(response)
    assert rows[0] == list(exports.COLUMNS)
    exported = [row[exports.COLUMNS.index("Action")] for row in rows[1:]]
    assert exported == all_listed_titles(staff_client, query)
    assert other_action.title not in exported


@pytest.mark.parametrize("query", ["", "status=blocked&sort=-title", "owner={other_staff}"])
def test_xlsx_rows_are_exactly_the_filtered_rows_in_order(staff_client, plan, other_staff, query):
    query = query.format(other_staff=other_staff.pk)
    response = staff_client.get(f"{XLSX}?{query}")
    assert response.status_code == 200
    assert response["Content-Type"] == (
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    assert "attachment" in response["Content-Disposition"]
    assert ".xlsx" in response["Content-Disposition"]
    rows = xlsx_rows(response)
    assert rows[0] == exports.COLUMNS
    exported = [row[exports.COLUMNS.index("Action")] for row in rows[1:]]
    assert exported == all_listed_titles(staff_client, query)


def test_every_column_is_filled_in(staff_client, council, finding, staff, manager):
    action = ActionFactory(
        finding=finding,
        owner=staff,
        title="Audit plans",
        lead_service="Leaving care",
        start_date=timezone.localdate(),
    )
    services.log_progress(
        action=action, author=staff, note="Done", status=Status.DELIVERED, percent_complete=100
    )
    services.sign_off(action=action, manager=manager, note="")
    action.refresh_from_db()
    inspection = finding.inspection

    header, row = csv_rows(staff_client.get(CSV))
    values = dict(zip(header, row, strict=True))
    assert values["Council"] == council.name
    assert values["Inspection"] == f"{inspection.title} ({inspection.start_date:%B %Y})"
    assert values["Finding"] == f"{finding.position}. Pathway plans"
    assert values["Action"] == "Audit plans"
    assert values["Owner"] == "Priya Shah"
    assert values["Lead service"] == "Leaving care"
    assert values["Priority"] == "Medium"
    assert values["Status"] == "Complete"
    assert values["RAG"] == "Blue"
    assert values["RAG reason"].startswith("complete, signed off on")
    assert values["% complete"] == "100"
    assert values["Start date"] == action.start_date.isoformat()
    assert values["Due date"] == action.due_date.isoformat()
    assert values["Revised due date"] == ""
    assert values["Last update"]
    assert values["Signed off by"] == "Sarah Okafor"
    assert values["Signed off at"]

    header, row = xlsx_rows(staff_client.get(XLSX))
    values = dict(zip(header, row, strict=True))
    assert values["% complete"] == 100
    assert values["Due date"] == datetime.datetime.combine(action.due_date, datetime.time())
    assert isinstance(values["Signed off at"], datetime.datetime)
    assert values["Signed off by"] == "Sarah Okafor"


def test_text_that_looks_like_a_formula_stays_text(staff_client, finding, staff):
    ActionFactory(finding=finding, owner=staff, title='=HYPERLINK("http://evil.example","x")')
    row = csv_rows(staff_client.get(CSV))[1]
    assert row[exports.COLUMNS.index("Action")].startswith("'=")
    row = xlsx_rows(staff_client.get(XLSX))[1]
    assert row[exports.COLUMNS.index("Action")] == '=HYPERLINK("http://evil.example","x")'


def test_export_links_on_the_list_carry_its_filters(staff_client, plan):
    html = staff_client.get(f"{LIST}?status=blocked&sort=-due&page=2").content.decode()
    assert f'{CSV}?status=blocked&amp;sort=-due"' in html
    assert f'{XLSX}?status=blocked&amp;sort=-due"' in html


@pytest.mark.parametrize("url", [CSV, XLSX])
def test_query_count_does_not_grow_with_the_rows(staff_client, council, finding, staff, url):
    make_actions(finding, staff, 3)
    small = count_queries(staff_client, url + "?sort=owner")
    make_actions(FindingFactory(inspection__council=council), UserFactory(), 300)
    large = count_queries(staff_client, url + "?sort=owner")
    # Rows are fetched a chunk at a time: one query per chunk on SQLite, one server-side
    # cursor on PostgreSQL. 303 rows fit one chunk.
    assert exports.CHUNK_SIZE >= 303
    assert small == large, f"{small} queries for 3 rows, {large} for 303"
