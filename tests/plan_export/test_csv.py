"""The inspection's action plan as CSV: the workbook's table, row for row, formulas neutralised."""

from actions import plan_columns
from actions.exports import _csv_text
from tests.factories import ActionFactory, ProgressUpdateFactory

from .helpers import csv_rows, table, workbook_from


def test_csv_has_the_headings_then_the_workbooks_rows(plan, staff_client):
    inspection = plan.inspection
    response = staff_client.get(f"/inspections/{inspection.pk}/plan.csv")
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert "attachment" in response["Content-Disposition"]
    assert response["Cache-Control"] == "private, no-store"
    rows = csv_rows(response)
    assert rows[0] == list(plan_columns.HEADINGS)

    sheet = workbook_from(staff_client.get(f"/inspections/{inspection.pk}/plan.xlsx")).worksheets[0]
    expected = [
        [_csv_text(cell.value.date() if cell.is_date else cell.value) for cell in row.values()]
        for row in table(sheet)
    ]
    assert rows[1:] == expected, "the same rows as the workbook, dates as 2025-03-31"


def test_csv_marks_finding_rows_as_the_workbook_does(plan, staff_client):
    rows = csv_rows(staff_client.get(f"/inspections/{plan.inspection.pk}/plan.csv"))
    number = plan_columns.HEADINGS.index("Finding no.")
    action = plan_columns.HEADINGS.index("Action")
    findings = [row for row in rows[1:] if row[action] == ""]
    assert [row[number] for row in findings] == ["1", "2"]
    assert len(rows) - 1 - len(findings) == len(plan.actions)


def test_csv_neutralises_formulas(council, staff, staff_client):
    action = ActionFactory(
        finding__inspection__council=council,
        owner=staff,
        title='=HYPERLINK("http://evil.example","click")',
        lead_service="-2+3",
    )
    ProgressUpdateFactory(action=action, note="@SUM(A1:A2)")
    rows = csv_rows(staff_client.get(f"/inspections/{action.finding.inspection.pk}/plan.csv"))
    row = dict(zip(plan_columns.HEADINGS, rows[2], strict=True))
    assert row["Action"] == "'" + action.title
    assert row["Lead team"] == "'-2+3"
    assert row["Latest update"] == "'@SUM(A1:A2)"
    for value in (cell for r in rows for cell in r):
        assert not value.startswith(("=", "+", "-", "@")), value
