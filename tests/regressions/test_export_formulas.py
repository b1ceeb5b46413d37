"""Exports never hand a spreadsheet a formula, whatever a title or name starts with.

The older test tried only "=" and read the Excel value back, which looks the same
whether the cell is text or a formula. Here: every character that starts a
formula, in every text column we can reach, and the Excel cell's own type.
"""

import csv
import datetime
import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from actions import exports
from actions.models import Action
from actions.rag import Clock
from councils.models import Role
from tests.factories import ActionFactory, UserFactory

from .conftest import member, signed_in

pytestmark = pytest.mark.django_db

FORMULA_STARTS = ["=", "+", "-", "@", "\t", "\r"]
PAYLOAD = 'HYPERLINK("http://evil.example","x")'


def csv_rows(response) -> list[list[str]]:
    text = b"".join(response.streaming_content).decode("utf-8")
    return list(csv.reader(io.StringIO(text.removeprefix("\ufeff"), newline="")))


def xlsx_cells(response) -> list[tuple]:
    sheet = load_workbook(io.BytesIO(b"".join(response.streaming_content)))["Actions"]
    return list(sheet.iter_rows())


@pytest.mark.parametrize("start", FORMULA_STARTS)
def test_csv_text_escapes_every_formula_start(start):
    assert exports._csv_text(start + PAYLOAD) == "'" + start + PAYLOAD


@pytest.mark.parametrize("text", ["Plain title", "Recruit 25 carers", "'quoted", " =spaced", ""])
def test_csv_text_leaves_other_text_alone(text):
    assert exports._csv_text(text) == text


def test_csv_text_of_other_values():
    assert exports._csv_text(None) == ""
    assert exports._csv_text(-5) == "'-5", "a number written as text is escaped like text"
    assert exports._csv_text(40) == "40"
    assert exports._csv_text(datetime.date(2025, 6, 1)) == "2025-06-01"
    assert exports._csv_text(datetime.datetime(2025, 6, 1, 9, 5, 7)) == "2025-06-01 09:05"


@pytest.mark.parametrize("start", FORMULA_STARTS)
def test_csv_export_escapes_titles_owners_and_services(council, start):
    owner_name = start + "Owner"
    action = ActionFactory(
        finding__inspection__council=council,
        title=start + PAYLOAD,
        lead_service=start + "SUM(A1:A9)",
        owner__first_name=owner_name,
        owner__last_name="",
        finding__short_title=start + "cmd|' /C calc'!A0",
    )
    client = signed_in(member(council, Role.STAFF))
    header, row = csv_rows(client.get(reverse("action_export_csv")))
    values = dict(zip(header, row, strict=True))
    assert values["Action"] == "'" + action.title
    assert values["Lead service"] == "'" + action.lead_service
    if start.strip():  # a name's surrounding spaces are trimmed before it is written
        assert values["Owner"] == "'" + owner_name
    # The finding's column starts with its number, so it is never read as a formula.
    assert values["Finding"].startswith(f"{action.finding.position}. ")


@pytest.mark.parametrize("start", FORMULA_STARTS)
def test_xlsx_export_writes_text_cells_never_formulas(council, start):
    action = ActionFactory(
        finding__inspection__council=council,
        title=start + PAYLOAD,
        lead_service=start + "SUM(A1:A9)",
    )
    client = signed_in(member(council, Role.STAFF))
    header, row = xlsx_cells(client.get(reverse("action_export_xlsx")))
    cells = dict(zip((cell.value for cell in header), row, strict=True))
    for column, expected in (("Action", action.title), ("Lead service", action.lead_service)):
        cell = cells[column]
        assert cell.data_type == "s", f"{column} {expected!r} was written as {cell.data_type!r}"
        # XML keeps no carriage return: it comes back as a line feed, still text.
        assert cell.value == expected.replace("\r", "\n")
    assert all(cell.data_type != "f" for cell in row)


def test_xlsx_file_types_every_value(council, clock):
    """Text is text, numbers are numbers and dates are dates with a date format."""
    action = ActionFactory(
        finding__inspection__council=council,
        title="=1+1",
        start_date=datetime.date(2025, 1, 6),
        due_date=datetime.date(2025, 9, 30),
    )
    output = exports.xlsx_file(Action.objects.filter(pk=action.pk), clock)
    sheet = load_workbook(output)["Actions"]
    header, row = list(sheet.iter_rows())
    cells = dict(zip((cell.value for cell in header), row, strict=True))
    assert [cell.value for cell in header] == list(exports.COLUMNS)
    assert all(cell.font.b for cell in header), "the header row is bold"
    assert sheet.freeze_panes == "A2"
    assert cells["Action"].data_type == "s" and cells["Action"].value == "=1+1"
    assert cells["% complete"].data_type == "n" and cells["% complete"].value == 0
    assert cells["Due date"].value == datetime.datetime(2025, 9, 30)
    assert cells["Due date"].number_format == "dd/mm/yyyy"
    assert cells["Last update"].number_format == "dd/mm/yyyy hh:mm"


def test_export_filename_names_the_council_and_the_day(council):
    clock = Clock(
        today=datetime.date(2025, 6, 15),
        now=datetime.datetime(2025, 6, 15, 12, tzinfo=datetime.UTC),
    )
    expected = f"actions-{council.slug}-2025-06-15.csv"
    assert exports.export_filename(council, "csv", clock) == expected


def test_times_are_written_as_wall_clock_time_in_england():
    """Spreadsheets have no time zones: a moment becomes its time in London, to the second."""
    moment = datetime.datetime(2025, 6, 15, 11, 30, 5, 999_999, tzinfo=datetime.UTC)
    assert exports._local(moment) == datetime.datetime(2025, 6, 15, 12, 30, 5)
    assert exports._local(moment).tzinfo is None
    assert exports._local(None) is None


def test_people_are_named_by_full_name_else_username(db):
    assert exports._person(UserFactory(first_name="Priya", last_name="Shah")) == "Priya Shah"
    assert exports._person(UserFactory(username="p.shah", first_name="", last_name="")) == (
        "p.shah"
    )
    assert exports._person(None) == ""


def test_the_excel_file_is_handed_over_from_its_first_byte(council, clock):
    """A zip with a byte missing at the start still opens in Python, not in every program."""
    ActionFactory(finding__inspection__council=council)
    output = exports.xlsx_file(Action.objects.all(), clock)
    assert output.read(4) == b"PK\x03\x04"
