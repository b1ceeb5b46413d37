"""The template workbook a council fills in to bring its plan in."""

from actions import plan_columns, plan_export
from actions.rag import Status

from .helpers import workbook_from

URL = "/actions/plan-template.xlsx"


def test_the_template_has_our_columns_an_example_and_notes(staff_client):
    response = staff_client.get(URL)
    assert response["Content-Type"] == plan_export.XLSX_CONTENT_TYPE
    assert plan_export.TEMPLATE_FILENAME in response["Content-Disposition"]
    workbook = workbook_from(response)
    assert workbook.sheetnames == [
        plan_columns.TEMPLATE_SHEET_TITLE,
        plan_columns.NOTES_SHEET_TITLE,
    ]

    sheet = workbook[plan_columns.TEMPLATE_SHEET_TITLE]
    header = [cell.value for cell in sheet[plan_columns.TEMPLATE_HEADER_ROW]]
    assert header == [column.heading for column in plan_columns.imported_columns()]
    assert "RAG" not in header and "RAG reason" not in header, "RAG is never read"
    assert sheet.freeze_panes == "A2"
    example = dict(zip(header, (cell.value for cell in sheet[2]), strict=True))
    for column in plan_columns.imported_columns():
        if column.required:
            assert example[column.heading], f"the example fills in {column.heading}"
    assert plan_columns.status_from_word(example["Status"]) == Status.IN_PROGRESS
    assert 0 <= example["% complete"] <= 100
    assert sheet["I2"].is_date and sheet["I2"].number_format == "dd/mm/yyyy"
    assert sheet.max_row == 2, "one example row"
    for number, column in enumerate(plan_columns.imported_columns(), start=1):
        letter = sheet.cell(row=1, column=number).column_letter
        assert sheet.column_dimensions[letter].width == column.width


def test_the_notes_explain_every_column_dates_statuses_percent_and_rag(staff_client):
    notes = workbook_from(staff_client.get(URL))[plan_columns.NOTES_SHEET_TITLE]
    rows = [[cell.value or "" for cell in row] for row in notes.iter_rows()]
    explained = {row[0]: row[2] for row in rows}
    for column in plan_columns.imported_columns():
        assert explained.get(column.heading) == column.help, column.heading
    text = "\n".join(" ".join(row) for row in rows)
    for example in ("31/03/2025", "31 March 2025"):
        assert example in text
    assert "Excel stores as dates" in text
    for status, words in plan_columns.STATUS_WORDS.items():
        assert explained[status.label] == "; ".join(words)
    for word in ("Completed", "On track", "Not yet started", "Delayed"):
        assert word in text
    assert "0 to 100" in text
    assert "RAG" in explained and "ignored" in explained.get("Computed, never read", "")


def test_the_template_reads_back_through_the_shared_words(staff_client):
    sheet = workbook_from(staff_client.get(URL))[plan_columns.TEMPLATE_SHEET_TITLE]
    example = {
        c.heading: sheet.cell(row=2, column=n).value
        for n, c in enumerate(plan_columns.imported_columns(), start=1)
    }
    assert plan_columns.priority_from_word(example["Priority"]) is not None
    assert plan_columns.status_from_word("  COMPLETED ") == Status.COMPLETE
    assert plan_columns.date_from_text("31 March 2025").isoformat() == "2025-03-31"
    assert plan_columns.date_from_text("31/03/2025").isoformat() == "2025-03-31"
    assert plan_columns.date_from_text("03/31/2025") is None, "day before month"
