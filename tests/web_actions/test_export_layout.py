"""The Excel export's layout: frozen header, a filter over the rows, widths, wrapped text."""

import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook
from openpyxl.utils import get_column_letter

from actions import exports
from actions.models import Action

from .conftest import make_actions

pytestmark = pytest.mark.django_db

XLSX = reverse("action_export_xlsx")
LAST_COLUMN = get_column_letter(len(exports.COLUMNS))  # "Q"


def workbook(response):
    assert response.status_code == 200
    assert response.streaming, "the Excel file should be streamed"
    data = b"".join(response.streaming_content)
    # Not read-only: a read-only workbook does not load the sheet's views and filter.
    return load_workbook(io.BytesIO(data))


@pytest.fixture
def sheet(staff_client, finding, staff):
    make_actions(finding, staff, 12)
    return workbook(staff_client.get(XLSX))["Actions"]


def test_the_header_row_is_frozen(sheet):
    assert sheet.freeze_panes == "A2"
    assert sheet["A1"].value == "Council"
    assert sheet["A1"].font.bold


def test_the_filter_covers_the_header_and_every_row(sheet):
    assert sheet.max_row == 13
    assert sheet.auto_filter.ref == f"A1:{LAST_COLUMN}13"


def test_the_filter_covers_only_the_filtered_rows(staff_client, finding, staff):
    make_actions(finding, staff, 12)  # a quarter of them blocked
    sheet = workbook(staff_client.get(f"{XLSX}?status=blocked"))["Actions"]
    assert sheet.max_row == 4
    assert sheet.auto_filter.ref == f"A1:{LAST_COLUMN}4"
    assert sheet.freeze_panes == "A2"


def test_an_empty_export_still_has_its_frozen_header_and_filter(staff_client, finding):
    sheet = workbook(staff_client.get(XLSX))["Actions"]
    assert [cell.value for cell in sheet[1]] == list(exports.COLUMNS)
    assert sheet.max_row == 1
    assert sheet.auto_filter.ref == f"A1:{LAST_COLUMN}1"
    assert sheet.freeze_panes == "A2"


def test_every_column_has_a_width_that_suits_its_contents(sheet):
    widths = {
        title: sheet.column_dimensions[get_column_letter(number)].width
        for number, title in enumerate(exports.COLUMNS, start=1)
    }
    assert all(8 <= width <= 60 for width in widths.values()), widths
    assert widths["Action"] > widths["Owner"] > widths["Priority"]
    assert widths["RAG reason"] > widths["RAG"]
    assert widths["Due date"] >= 10, "a dd/mm/yyyy date fits without ####"


def test_text_wraps_and_rows_line_up_at_the_top(sheet):
    for cell in (*sheet[1], *sheet[2]):
        if cell.value is None:
            continue  # an empty cell is not written at all
        assert cell.alignment.wrap_text, cell.coordinate
        assert cell.alignment.vertical == "top", cell.coordinate


def test_dates_keep_their_formats_with_the_wrapping(sheet):
    due = sheet.cell(row=2, column=exports.COLUMNS.index("Due date") + 1)
    last_update = sheet.cell(row=2, column=exports.COLUMNS.index("Last update") + 1)
    assert (due.number_format, due.is_date) == ("dd/mm/yyyy", True)
    assert (last_update.number_format, last_update.is_date) == ("dd/mm/yyyy hh:mm", True)
    assert last_update.alignment.wrap_text


def test_the_header_is_repeated_on_every_printed_page(sheet):
    assert sheet.print_title_rows == "$1:$1"


def test_the_layout_needs_no_more_than_one_pass_over_the_rows(finding, staff, clock):
    """xlsx_file still reads the queryset with iterator(): never the whole list at once."""
    make_actions(finding, staff, 5)

    class CountingQuerySet:
        def __init__(self, qs, counter=None):
            self.qs, self.iterated, self.counter = qs, 0, counter or self

        def values_list(self, *fields):
            return CountingQuerySet(self.qs.values_list(*fields), counter=self)

        def iterator(self, chunk_size):
            self.counter.iterated += 1
            assert chunk_size == exports.CHUNK_SIZE
            return self.qs.iterator(chunk_size=chunk_size)

    actions = CountingQuerySet(Action.objects.select_related("finding__inspection__council"))
    output = exports.xlsx_file(actions, clock)
    assert actions.iterated == 1
    sheet = load_workbook(output)["Actions"]
    assert sheet.auto_filter.ref == f"A1:{LAST_COLUMN}6"
