"""Reading the file and guessing its columns: no database needed."""

import datetime
import io
import time
import zipfile

import pytest

from actions import plan_columns
from actions.plan_import import (
    MAX_UNCOMPRESSED_BYTES,
    CellProblem,
    PlanFileError,
    guess_column,
    guess_mapping,
    mapping_from_saved,
    parse_date,
    parse_percent,
    parse_status,
    read_plan_file,
)
from actions.rag import Status

from .conftest import COUNCIL_HEADINGS, council_row, csv_bytes, xlsx_bytes


@pytest.mark.parametrize(
    ("heading", "key"),
    [
        ("Action", "title"),
        ("Activity", "title"),
        ("Task", "title"),
        ("Action/Activity", "title"),
        ("Key actions", "title"),
        ("Lead officer", "owner"),
        ("Responsible", "owner"),
        ("Owner", "owner"),
        ("Responsible officer", "owner"),
        ("Deadline", "due_date"),
        ("Target date", "due_date"),
        ("Due", "due_date"),
        ("Target completion date", "due_date"),
        ("Revised deadline", "revised_due_date"),
        ("Revised due date", "revised_due_date"),
        ("RAG", "rag"),
        ("RAG status", "rag"),
        ("RAG reason", "rag"),
        ("Progress", "percent_complete"),
        ("% complete", "percent_complete"),
        ("Percentage complete", "percent_complete"),
        ("Update", "latest_update"),
        ("Latest update", "latest_update"),
        ("Commentary", "latest_update"),
        ("Progress commentary", "latest_update"),
        ("Date of update", "latest_update_date"),
        ("Latest update date", "latest_update_date"),
        ("Area for improvement", "finding"),
        ("Ofsted recommendation", "finding"),
        ("Finding no.", "finding_number"),
        ("AFI no.", "finding_number"),
        ("What will be done", "description"),
        ("Success measure", "success_measure"),
        ("Measures of success / impact", "success_measure"),
        ("Lead team", "lead_service"),
        ("Service area", "lead_service"),
        ("Priority", "priority"),
        ("Start date", "start_date"),
        ("Status", "status"),
        ("Current status", "status"),
        ("Something else entirely", None),
        ("", None),
    ],
)
def test_a_heading_is_guessed_from_its_words(heading, key):
    assert guess_column(heading) == key


def test_our_own_headings_map_to_our_columns():
    headings = [column.heading for column in plan_columns.PLAN_COLUMNS]
    mapping = guess_mapping(headings)
    expected = {c.key: i for i, c in enumerate(plan_columns.PLAN_COLUMNS) if c.imported}
    assert mapping == expected, "RAG and its reason are never mapped"


def test_each_of_our_columns_is_guessed_once_preferring_an_exact_heading():
    mapping = guess_mapping(["Lead", "Action owner", "Owner"])
    assert mapping["owner"] == 2


def test_a_remembered_heading_wins_and_frees_the_column_it_takes():
    headings = ["Action", "Notes", "Narrative", "Deadline"]
    mapping = mapping_from_saved({"latest_update": "Narrative", "description": "Notes"}, headings)
    assert mapping["latest_update"] == 2 and mapping["description"] == 1
    assert mapping["title"] == 0 and mapping["due_date"] == 3


def test_the_headings_are_found_below_a_title_block():
    content = xlsx_bytes(
        [COUNCIL_HEADINGS, council_row()],
        title_rows=["Testshire County Council", "Action plan", "", "Progress: 40%"],
    )
    sheet = read_plan_file(content, "plan.xlsx")
    assert sheet.header_row == 5
    assert sheet.headers == COUNCIL_HEADINGS
    assert [number for number, _ in sheet.rows] == [6]


def test_a_csv_file_is_read_with_its_delimiter_and_encoding():
    text = "Action;Owner;Deadline\nRéunion;Priya Shah;31/03/2025\n"
    sheet = read_plan_file(text.encode("cp1252"), "plan.csv")
    assert sheet.headers == ["Action", "Owner", "Deadline"]
    assert sheet.rows == [(2, ("Réunion", "Priya Shah", "31/03/2025"))]
    assert read_plan_file(csv_bytes([["Action"], ["x"]]), "p.csv").headers == ["Action"]


def test_excel_date_and_percent_cells_are_read_as_such():
    from openpyxl import Workbook

    workbook = Workbook()
    sheet = workbook.active
    sheet.append(["Action", "Deadline", "% complete"])
    sheet.append(["Audit", datetime.date(2025, 3, 31), 0.45])
    sheet["C2"].number_format = "0%"
    output = io.BytesIO()
    workbook.save(output)
    plan = read_plan_file(output.getvalue(), "plan.xlsx")
    _, cells = plan.rows[0]
    assert parse_date(cells[1]) == datetime.date(2025, 3, 31)
    assert parse_percent(cells[2]) == 45


@pytest.mark.parametrize(
    "text",
    [
        "31/03/2025",
        "31 March 2025",
        "31 Mar 2025",
        "2025-03-31",
        "31/03/25",
        "31-03-2025",
        "31.03.2025",
        "31st March 2025",
        "Monday 31 March 2025",
        " 31  March 2025 ",
        45747,  # Excel's day number for 31 March 2025, in a cell not formatted as a date
        datetime.datetime(2025, 3, 31, 0, 0),
    ],
)
def test_dates_in_the_formats_councils_use(text):
    assert parse_date(text) == datetime.date(2025, 3, 31)


@pytest.mark.parametrize(
    "text", ["31/02/2025", "next March", "TBC", "Q3", "2025", "31/03/1925", 12]
)
def test_what_is_not_a_date_says_so(text):
    with pytest.raises(CellProblem, match="is not a date"):
        parse_date(text)


@pytest.mark.parametrize(
    ("word", "status"),
    [
        ("Complete", Status.COMPLETE),
        ("Completed", Status.COMPLETE),
        ("Done", Status.COMPLETE),
        ("On track", Status.IN_PROGRESS),
        ("In progress", Status.IN_PROGRESS),
        ("in  PROGRESS", Status.IN_PROGRESS),
        ("Not yet started", Status.NOT_STARTED),
        ("Not started", Status.NOT_STARTED),
        ("Delayed", Status.IN_PROGRESS),
        ("Blocked", Status.BLOCKED),
        ("On hold", Status.BLOCKED),
        ("Delivered", Status.DELIVERED),
        ("Delivered, awaiting sign-off", Status.DELIVERED),
        ("Cancelled", Status.CANCELLED),
        ("", None),
        (None, None),
    ],
)
def test_status_words(word, status):
    assert parse_status(word) == status


@pytest.mark.parametrize("word", ["Green", "AMBER", "red", "G"])
def test_a_rag_colour_is_never_taken_for_a_status(word):
    with pytest.raises(CellProblem, match="is a RAG rating, not a status"):
        parse_status(word)


def test_an_unknown_status_says_which_words_are_known():
    with pytest.raises(CellProblem, match="not a status the tracker knows"):
        parse_status("Sort of")


@pytest.mark.parametrize(("value", "percent"), [(45, 45), ("45%", 45), ("45", 45), (99.6, 100)])
def test_percentages(value, percent):
    assert parse_percent(value) == percent


@pytest.mark.parametrize("value", [101, -1, "150%", "half", "nan"])
def test_a_percentage_out_of_range_or_not_a_number(value):
    with pytest.raises(CellProblem):
        parse_percent(value)


# --- Hostile files -------------------------------------------------------------------------


def _zip(entries: dict[str, bytes]) -> bytes:
    output = io.BytesIO()
    with zipfile.ZipFile(output, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in entries.items():
            archive.writestr(name, data)
    return output.getvalue()


@pytest.mark.parametrize(
    ("content", "name", "message"),
    [
        (b"", "plan.xlsx", "The selected file is empty"),
        (b"\x89PNG\r\n\x1a\n" + b"\x00" * 100, "plan.xlsx", "is not an Excel workbook"),
        (b"\x89PNG\r\n\x1a\n" + b"\x00" * 100, "plan.png", "must be an Excel workbook"),
        (b"Action,Owner\x00\x00binary", "plan.csv", "holds binary data"),
        (_zip({"word/document.xml": b"<w/>"}), "plan.xlsx", "is not an Excel workbook"),
        (b"PK\x03\x04 not really a zip", "plan.xlsx", "could not be opened"),
        (
            _zip({"xl/workbook.xml": b"<not a workbook", "[Content_Types].xml": b"<Types/>"}),
            "plan.xlsx",
            "could not be read",
        ),
        (
            b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 512,
            "plan.xls",
            "old Excel format",
        ),
    ],
)
def test_a_file_that_is_not_a_plan_gets_a_clear_error(content, name, message):
    with pytest.raises(PlanFileError, match=message):
        read_plan_file(content, name)


def test_a_password_protected_workbook_is_refused():
    # Excel saves an encrypted workbook as an OLE compound file holding the streams
    # "EncryptionInfo" and "EncryptedPackage" (names in UTF-16).
    content = (
        b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
        + b"\x00" * 1000
        + "EncryptionInfo".encode("utf-16-le")
        + b"\x00" * 50
        + "EncryptedPackage".encode("utf-16-le")
        + b"\x00" * 1000
    )
    with pytest.raises(PlanFileError, match="protected with a password"):
        read_plan_file(content, "plan.xlsx")


def test_a_workbook_with_macros_is_refused():
    plain = xlsx_bytes([COUNCIL_HEADINGS, council_row()])
    with zipfile.ZipFile(io.BytesIO(plain)) as archive:
        parts = {name: archive.read(name) for name in archive.namelist()}
    with pytest.raises(PlanFileError, match="contains macros"):
        read_plan_file(_zip({**parts, "xl/vbaProject.bin": b"\xd0\xcf\x11\xe0"}), "plan.xlsx")
    with pytest.raises(PlanFileError, match="contains macros"):
        read_plan_file(plain, "plan.xlsm")
    types = parts["[Content_Types].xml"].replace(
        b"spreadsheetml.sheet.main+xml", b"ms-excel.sheet.macroEnabled.main+xml"
    )
    with pytest.raises(PlanFileError, match="contains macros"):
        read_plan_file(_zip({**parts, "[Content_Types].xml": types}), "plan.xlsx")


def test_a_zip_bomb_is_refused_before_it_is_inflated():
    plain = xlsx_bytes([COUNCIL_HEADINGS, council_row()])
    with zipfile.ZipFile(io.BytesIO(plain)) as archive:
        parts = {name: archive.read(name) for name in archive.namelist()}
    output = io.BytesIO()
    with zipfile.ZipFile(output, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as archive:
        for name, data in parts.items():
            if name != "xl/worksheets/sheet1.xml":
                archive.writestr(name, data)
        with archive.open("xl/worksheets/sheet1.xml", "w", force_zip64=True) as part:
            chunk = b" " * 2**20
            for _ in range(MAX_UNCOMPRESSED_BYTES // len(chunk) + 8):
                part.write(chunk)
    bomb = output.getvalue()
    assert len(bomb) < 2**20, "the test's bomb is small on disk"
    started = time.perf_counter()
    with pytest.raises(PlanFileError, match="too large once opened"):
        read_plan_file(bomb, "plan.xlsx")
    assert time.perf_counter() - started < 1, "refused from the zip's directory, not by inflating"


def test_too_many_rows_are_refused():
    rows = [["Action", "Deadline"]] + [[f"A{n}", "31/03/2025"] for n in range(10_050)]
    with pytest.raises(PlanFileError, match="more than 10,000 rows"):
        read_plan_file(csv_bytes(rows), "plan.csv")


def test_an_empty_sheet_and_a_sheet_of_headings_only():
    with pytest.raises(PlanFileError, match="is empty"):
        read_plan_file(xlsx_bytes([]), "plan.xlsx")
    with pytest.raises(PlanFileError, match="no rows of actions"):
        read_plan_file(xlsx_bytes([COUNCIL_HEADINGS]), "plan.xlsx")


def test_another_sheet_can_be_chosen():
    from openpyxl import Workbook

    workbook = Workbook()
    workbook.active.title = "Cover"
    workbook.active.append(["About this plan"])
    workbook.active.append(["It is ours"])
    plan = workbook.create_sheet("Plan")
    plan.append(["Action", "Deadline"])
    plan.append(["Audit", "31/03/2025"])
    output = io.BytesIO()
    workbook.save(output)
    first = read_plan_file(output.getvalue(), "plan.xlsx")
    assert first.name == "Cover" and first.sheet_names == ["Cover", "Plan"]
    chosen = read_plan_file(output.getvalue(), "plan.xlsx", sheet="Plan")
    assert chosen.headers == ["Action", "Deadline"]
