"""The actions list as a spreadsheet: exactly the rows the list shows, in its order.

Both formats stream from queryset.iterator(), a chunk at a time, so an export of
a whole council (or of many) never holds every row in memory: the CSV goes
straight to the response; the Excel file is written by openpyxl's write-only
workbook to a temporary file (in memory while small, on disk beyond that).
"""

import csv
import datetime
import tempfile
from collections.abc import Iterable, Iterator

from django.db.models import QuerySet
from django.utils import timezone
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Font

from .models import Action
from .rag import Clock

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


def row_values(action: Action, clock: Clock) -> list:
    """One action as a row of typed values (dates as dates, percent as a number)."""
    inspection = action.finding.inspection
    assessment = action.assess(clock)
    return [
        inspection.council.name,
        f"{inspection.title} ({inspection.start_date:%B %Y})",
        f"{action.finding.position}. {action.finding.short_title}",
        action.title,
        _person(action.owner),
        action.lead_service,
        action.get_priority_display(),
        action.get_status_display(),
        assessment.rag.label,
        assessment.reason,
        action.percent_complete,
        action.start_date,
        action.due_date,
        action.revised_due_date,
        _local(action.last_progress_at),
        _person(action.signed_off_by),
        _local(action.signed_off_at),
    ]


def _rows(actions: QuerySet[Action], clock: Clock) -> Iterator[list]:
    for action in actions.iterator(chunk_size=CHUNK_SIZE):
        yield row_values(action, clock)


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


def _xlsx_cells(sheet, row: Iterable) -> list:
    cells = []
    for value in row:
        cell = WriteOnlyCell(sheet, value=value)
        if isinstance(value, datetime.datetime):
            cell.number_format = "dd/mm/yyyy hh:mm"
        elif isinstance(value, datetime.date):
            cell.number_format = "dd/mm/yyyy"
        elif isinstance(value, str):
            # Text stays text: openpyxl would otherwise store "=..." as a formula.
            cell.data_type = "s"
        cells.append(cell)
    return cells


def xlsx_file(actions: QuerySet[Action], clock: Clock):
    """An Excel workbook of the actions, as an open temporary file positioned at its start."""
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("Actions")
    sheet.freeze_panes = "A2"
    for letter, width in zip(
        "ABCDEFGHIJKLMNOPQ",
        (16, 30, 36, 40, 20, 20, 9, 24, 10, 34, 10, 12, 12, 14, 16, 20, 16),
        strict=True,
    ):
        sheet.column_dimensions[letter].width = width
    bold = Font(bold=True)
    header = []
    for title in COLUMNS:
        cell = WriteOnlyCell(sheet, value=title)
        cell.font = bold
        header.append(cell)
    sheet.append(header)
    for row in _rows(actions, clock):
        sheet.append(_xlsx_cells(sheet, row))
    output = tempfile.SpooledTemporaryFile(max_size=SPOOL_MAX_BYTES)  # noqa: SIM115 - returned open
    workbook.save(output)
    output.seek(0)
    return output


def export_filename(council, extension: str, clock: Clock) -> str:
    return f"actions-{council.slug}-{clock.today:%Y-%m-%d}.{extension}"
