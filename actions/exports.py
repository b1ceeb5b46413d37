"""The actions list as a spreadsheet: exactly the rows the list shows, in its order.

Both formats stream from queryset.iterator(), a chunk at a time, so an export of
a whole council (or of many) never holds every row in memory: the CSV goes
straight to the response; the Excel file is written by openpyxl's write-only
workbook to a temporary file (in memory while small, on disk beyond that). The
sheet has a frozen header row and a filter over every column, as boards expect.
"""

import csv
import datetime
import tempfile
from collections.abc import Iterable, Iterator

from django.db.models import QuerySet
from django.utils import timezone
from openpyxl import Workbook
from openpyxl.cell import Cell, WriteOnlyCell
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter

from councils.models import User
from inspections.models import Inspection

from .models import Action, Priority
from .rag import Clock, Status, assess

CHUNK_SIZE = 500
# Kept in memory up to this size, then spilled to a temporary file on disk.
SPOOL_MAX_BYTES = 5 * 1024 * 1024

COLUMNS = (
    "Council",
    "Inspection",
    "Finding",
    "Action",
    "Owner",
    "Lead service",
    "Priority",
    "Status",
    "RAG",
    "RAG reason",
    "% complete",
    "Start date",
    "Due date",
    "Revised due date",
    "Last update",
    "Signed off by",
    "Signed off at",
)

# A cell starting with one of these is read as a formula by spreadsheet programs.
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def _person(user) -> str:
    return (user.get_full_name() or user.username) if user else ""


def _local(moment: datetime.datetime | None) -> datetime.datetime | None:
    """A moment as a wall-clock time in England, without a zone (spreadsheets have none)."""
    if moment is None:
        return None
    return timezone.localtime(moment).replace(tzinfo=None, microsecond=0)


# The columns a row is made from, read with values_list(): building the action, its
# finding, inspection, council, owner and signer as model instances for every row
# (seven objects, every column of each) was over half of an export's time.
_FIELDS = (
    "finding__inspection__council__name",
    "finding__inspection__kind",
    "finding__inspection__focus_theme",
    "finding__inspection__visit_number",
    "finding__inspection__start_date",
    "finding__position",
    "finding__short_title",
    "title",
    "owner__first_name",
    "owner__last_name",
    "owner__username",
    "lead_service",
    "priority",
    "status",
    "percent_complete",
    "start_date",
    "due_date",
    "revised_due_date",
    "last_progress_at",
    "signed_off_by__first_name",
    "signed_off_by__last_name",
    "signed_off_by__username",
    "signed_off_at",
)
_PRIORITIES = dict(Priority.choices)
_STATUSES = dict(Status.choices)


class _RowMaker:
    """Turns _FIELDS' values into an export row, with the models' own rules for the words.

    An inspection's title and a person's name are worked out once each (a plan has a
    few inspections and people, and thousands of rows), by the models that define them.
    """

    def __init__(self, clock: Clock):
        self.clock = clock
        self.inspections: dict[tuple, str] = {}
        self.people: dict[tuple, str] = {}

    def inspection(self, kind, focus_theme, visit_number, start_date) -> str:
        key = (kind, focus_theme, visit_number, start_date)
        if key not in self.inspections:
            inspection = Inspection(kind=kind, focus_theme=focus_theme, visit_number=visit_number)
            self.inspections[key] = f"{inspection.title} ({start_date:%B %Y})"
        return self.inspections[key]

    def person(self, first_name, last_name, username) -> str:
        if username is None:
            return ""
        key = (first_name, last_name, username)
        if key not in self.people:
            user = User(first_name=first_name, last_name=last_name, username=username)
            self.people[key] = _person(user)
        return self.people[key]

    def row(self, values: tuple) -> list:
        (
            council,
            kind,
            focus_theme,
            visit_number,
            inspection_start,
            position,
            short_title,
            title,
            owner_first,
            owner_last,
            owner_username,
            lead_service,
            priority,
            status,
            percent_complete,
            start_date,
            due_date,
            revised_due_date,
            last_progress_at,
            signer_first,
            signer_last,
            signer_username,
            signed_off_at,
        ) = values
        assessment = assess(
            status=status,
            due_date=due_date,
            revised_due_date=revised_due_date,
            last_progress_at=last_progress_at,
            signed_off_at=signed_off_at,
            clock=self.clock,
        )
        return [
            council,
            self.inspection(kind, focus_theme, visit_number, inspection_start),
            f"{position}. {short_title}",
            title,
            self.person(owner_first, owner_last, owner_username),
            lead_service,
            _PRIORITIES.get(priority, priority),
            _STATUSES.get(status, status),
            assessment.rag.label,
            assessment.reason,
            percent_complete,
            start_date,
            due_date,
            revised_due_date,
            _local(last_progress_at),
            self.person(signer_first, signer_last, signer_username),
            _local(signed_off_at),
        ]


def _rows(actions: QuerySet[Action], clock: Clock) -> Iterator[list]:
    """The export's rows, in the list's order, read a chunk at a time."""
    maker = _RowMaker(clock)
    for values in actions.values_list(*_FIELDS).iterator(chunk_size=CHUNK_SIZE):
        yield maker.row(values)


def _csv_text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime.datetime):
        return f"{value:%Y-%m-%d %H:%M}"
    if isinstance(value, datetime.date):
        return value.isoformat()
    text = str(value)
    # Neutralise formula injection ("=HYPERLINK(...)" typed into a title).
    if text.startswith(_FORMULA_START):
        return "'" + text
    return text


class _Echo:
    """A file-like object whose write() hands back what it was given, for csv.writer."""

    def write(self, value):
        return value


def csv_lines(actions: QuerySet[Action], clock: Clock) -> Iterator[str]:
    writer = csv.writer(_Echo())
    # A byte-order mark so that Excel reads the file as UTF-8 (names with accents, "–").
    yield "\ufeff" + writer.writerow(COLUMNS)
    for row in _rows(actions, clock):
        yield writer.writerow([_csv_text(value) for value in row])


# Column widths in characters, by heading: wide enough for a date or a name, and
# for the long text (titles, reasons) to wrap over a few lines rather than run on.
XLSX_WIDTHS = {
    "Council": 18,
    "Inspection": 30,
    "Finding": 36,
    "Action": 48,
    "Owner": 20,
    "Lead service": 22,
    "Priority": 10,
    "Status": 16,
    "RAG": 9,
    "RAG reason": 34,
    "% complete": 11,
    "Start date": 12,
    "Due date": 12,
    "Revised due date": 12,
    "Last update": 17,
    "Signed off by": 20,
    "Signed off at": 17,
}
# Every cell: long text wraps within its column; a row's cells line up at the top.
_WRAPPED = Alignment(wrap_text=True, vertical="top")
_NUMBER_FORMATS = {datetime.datetime: "dd/mm/yyyy hh:mm", datetime.date: "dd/mm/yyyy"}
# The types with a style of their own (a datetime is also a date: it comes first).
_KINDS = (str, datetime.datetime, datetime.date)


def _cell_styles(sheet) -> dict:
    """Each value type's cell style, worked out once per sheet rather than once per cell.

    Setting a style on every cell looks it up in the workbook's style table each
    time, a quarter of the export's time for 10,000 rows; copying a finished style
    costs next to nothing.
    """
    styles = {}
    for kind in (*_KINDS, None):
        prototype = WriteOnlyCell(sheet)
        prototype.alignment = _WRAPPED
        if kind in _NUMBER_FORMATS:
            prototype.number_format = _NUMBER_FORMATS[kind]
        styles[kind] = prototype._style
    return styles


def _xlsx_cells(sheet, row: Iterable, styles: dict) -> list:
    cells = []
    for value in row:
        if value is None:
            cells.append(None)  # an empty cell: the sheet leaves it out
            continue
        kind = next((kind for kind in _KINDS if isinstance(value, kind)), None)
        # The row and column are placeholders: the sheet sets them as it writes the row.
        cell = Cell(sheet, row=1, column=1, value=value, style_array=styles[kind])
        if kind is str:
            # Text stays text: openpyxl would otherwise store "=..." as a formula.
            cell.data_type = "s"
        cells.append(cell)
    return cells


def xlsx_file(actions: QuerySet[Action], clock: Clock):
    """An Excel workbook of the actions, as an open temporary file positioned at its start.

    The header row is bold, frozen (it stays in view while scrolling) and repeated
    on every printed page, with a filter button on each column over all the rows.
    """
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("Actions")
    # A write-only sheet writes its views and columns with the first row: set them first.
    sheet.freeze_panes = "A2"
    for number, title in enumerate(COLUMNS, start=1):
        sheet.column_dimensions[get_column_letter(number)].width = XLSX_WIDTHS[title]
    sheet.print_title_rows = "1:1"
    bold = Font(bold=True)
    header = []
    for title in COLUMNS:
        cell = WriteOnlyCell(sheet, value=title)
        cell.font = bold
        cell.alignment = _WRAPPED
        header.append(cell)
    sheet.append(header)
    styles = _cell_styles(sheet)
    last_row = 1
    for row in _rows(actions, clock):
        sheet.append(_xlsx_cells(sheet, row, styles))
        last_row += 1
    # The filter is written after the rows, when the workbook is saved: its range
    # can be set now that the number of rows is known.
    sheet.auto_filter.ref = f"A1:{get_column_letter(len(COLUMNS))}{last_row}"
    output = tempfile.SpooledTemporaryFile(max_size=SPOOL_MAX_BYTES)  # noqa: SIM115 - returned open
    workbook.save(output)
    output.seek(0)
    return output


def export_filename(council, extension: str, clock: Clock) -> str:
    return f"actions-{council.slug}-{clock.today:%Y-%m-%d}.{extension}"
