"""The columns of an action plan spreadsheet: one list for the export, the template and the import.

The board export (actions/plan_export.py), the template workbook and the import
all read their columns from PLAN_COLUMNS, so a heading changed here changes
everywhere at once. What a plan sheet looks like:

The exported workbook (one sheet per inspection)
    Rows 1 to TITLE_ROWS: the title block (council, inspection and dates, grades,
    plan deadline, progress), one line of text per row in column A.
    Row EXPORT_HEADER_ROW: the headings of PLAN_COLUMNS, in order, from column A.
    Then, for each finding in the letter's order:
      - a finding row: "Finding no." holds the finding's number and "Finding" its
        short title, a new line, then the finding's text as Ofsted wrote it (see
        finding_cell() and split_finding_cell()). The "Action" cell is empty: that
        is what marks a finding row. "Priority" says PRIORITY_ACTION_WORDS for an
        area for priority action; "RAG", "RAG reason" and "% complete" give the
        finding's progress. Nothing else is filled in.
      - one action row per action: "Finding no." and "Finding" (its short title
        only) say which finding it belongs to, and "Action" is never empty.
    Dates are Excel dates, "% complete" a whole number from 0 to 100.

The CSV export
    Row 1: the headings. Then the same finding and action rows as the workbook,
    dates written as 2025-03-31.

The template workbook (TEMPLATE_SHEET_TITLE)
    Row TEMPLATE_HEADER_ROW: the headings of the columns that are read
    (imported_columns()), then an example row. A sheet called NOTES_SHEET_TITLE
    explains each column.

RAG and its reason are always computed by the tracker: an import never reads them.
"""

import datetime
from dataclasses import dataclass

from .models import Priority
from .rag import Status


@dataclass(frozen=True)
class PlanColumn:
    key: str  # the Action field (or a name for what is not one) the column holds
    heading: str  # as it appears in row 1 of the table
    width: int  # in characters, for the workbooks
    help: str  # what to enter, for the template's notes sheet
    required: bool = False  # an action row without it cannot be imported
    imported: bool = True  # False: written by the export, never read (RAG)


PLAN_COLUMNS: tuple[PlanColumn, ...] = (
    PlanColumn(
        "finding_number",
        "Finding no.",
        9,
        "The finding's number in Ofsted's letter: 1 for the first area for improvement. "
        "Each action is matched to the inspection's finding with this number, or else by "
        "the finding's text.",
    ),
    PlanColumn(
        "finding",
        "Finding",
        30,
        "The finding (area for improvement) the action answers: its short title or Ofsted's "
        "words. Used to match the finding when there is no number.",
    ),
    PlanColumn(
        "title",
        "Action",
        36,
        "A short title for the action, up to 200 characters.",
        required=True,
    ),
    PlanColumn(
        "description",
        "What will be done",
        44,
        "What will be done, in as much detail as the board needs.",
    ),
    PlanColumn(
        "owner",
        "Owner",
        20,
        "The officer responsible: their name or email address as the tracker knows them.",
        required=True,
    ),
    PlanColumn(
        "lead_service",
        "Lead team",
        20,
        "The lead service or team, up to 150 characters.",
    ),
    PlanColumn(
        "priority",
        "Priority",
        11,
        "High, Medium or Low. Empty means Medium.",
    ),
    PlanColumn(
        "start_date",
        "Start date",
        12,
        "When work starts. Optional.",
    ),
    PlanColumn(
        "due_date",
        "Due date",
        12,
        "The date first agreed.",
        required=True,
    ),
    PlanColumn(
        "revised_due_date",
        "Revised due date",
        12,
        "A later date agreed since, if any. The original due date is kept.",
    ),
    PlanColumn(
        "status",
        "Status",
        16,
        "Where the action stands: see the statuses below for the words accepted.",
    ),
    PlanColumn(
        "rag",
        "RAG",
        10,
        "Computed by the tracker from the status and dates. Never read from the sheet.",
        imported=False,
    ),
    PlanColumn(
        "rag_reason",
        "RAG reason",
        28,
        "Why the action has its RAG rating, computed by the tracker. Never read.",
        imported=False,
    ),
    PlanColumn(
        "percent_complete",
        "% complete",
        10,
        "A whole number from 0 to 100, without the % sign (45, not 45%). Empty means 0.",
    ),
    PlanColumn(
        "latest_update",
        "Latest update",
        44,
        "The latest progress note. It becomes an entry in the action's timeline.",
    ),
    PlanColumn(
        "latest_update_date",
        "Latest update date",
        12,
        "The date of that note: the timeline entry keeps this date.",
    ),
    PlanColumn(
        "success_measure",
        "Success measure",
        36,
        "How we will know it worked: the outcome and how it is measured.",
    ),
)

COLUMNS_BY_KEY = {column.key: column for column in PLAN_COLUMNS}
HEADINGS = tuple(column.heading for column in PLAN_COLUMNS)


def imported_columns() -> tuple[PlanColumn, ...]:
    """The columns an import reads, in order: everything but what the tracker computes."""
    return tuple(column for column in PLAN_COLUMNS if column.imported)


# --- Where things are ----------------------------------------------------------------------

TITLE_ROWS = 6
EXPORT_HEADER_ROW = TITLE_ROWS + 1
TEMPLATE_HEADER_ROW = 1
TEMPLATE_SHEET_TITLE = "Action plan"
NOTES_SHEET_TITLE = "Notes"

# A finding row's "Priority" cell for an area for priority action.
PRIORITY_ACTION_WORDS = "Area for priority action"


def finding_cell(short_title: str, text: str) -> str:
    """A finding row's "Finding" cell: the short title, and Ofsted's words below it."""
    short_title, text = short_title.strip(), text.strip()
    if not text or text == short_title:
        return short_title
    return f"{short_title}\n{text}"


def split_finding_cell(value: str) -> tuple[str, str]:
    """finding_cell() read back: (short title, text). A single line is both."""
    short_title, _, text = (value or "").strip().partition("\n")
    short_title, text = short_title.strip(), text.strip()
    return short_title, text or short_title


# --- Words accepted for dates, statuses and priorities ---------------------------------------

# Besides cells that Excel itself stores as dates.
DATE_FORMATS = ("%d/%m/%Y", "%d %B %Y", "%d %b %Y", "%Y-%m-%d")
DATE_EXAMPLES = ("31/03/2025", "31 March 2025", "31 Mar 2025", "2025-03-31")

# Each status, the words read as it (case and spaces do not matter). The first is
# the tracker's own label, which the export writes.
STATUS_WORDS: dict[Status, tuple[str, ...]] = {
    Status.NOT_STARTED: (
        Status.NOT_STARTED.label,
        "Not yet started",
        "Planned",
        "To do",
        "New",
    ),
    Status.IN_PROGRESS: (
        Status.IN_PROGRESS.label,
        "On track",
        "Started",
        "Ongoing",
        "Underway",
        "Delayed",
        "Behind schedule",
        "At risk",
    ),
    Status.BLOCKED: (Status.BLOCKED.label, "On hold", "Stuck", "Paused"),
    Status.DELIVERED: (
        Status.DELIVERED.label,
        "Delivered",
        "Awaiting sign-off",
        "Awaiting sign off",
    ),
    Status.COMPLETE: (Status.COMPLETE.label, "Completed", "Closed", "Achieved", "Signed off"),
    Status.CANCELLED: (Status.CANCELLED.label, "Canceled", "Withdrawn", "No longer needed"),
}

PRIORITY_WORDS: dict[Priority, tuple[str, ...]] = {
    Priority.HIGH: (Priority.HIGH.label, "H", "1"),
    Priority.MEDIUM: (Priority.MEDIUM.label, "Med", "M", "2"),
    Priority.LOW: (Priority.LOW.label, "L", "3"),
}


def _normalise(word) -> str:
    return " ".join(str(word or "").replace("\u2011", "-").split()).casefold()


_STATUS_BY_WORD = {_normalise(w): status for status, ws in STATUS_WORDS.items() for w in ws}
_PRIORITY_BY_WORD = {_normalise(w): p for p, ws in PRIORITY_WORDS.items() for w in ws}


def status_from_word(word) -> Status | None:
    """The status a cell names, or None when it names none (an empty cell is None too)."""
    return _STATUS_BY_WORD.get(_normalise(word))


def priority_from_word(word) -> Priority | None:
    return _PRIORITY_BY_WORD.get(_normalise(word))


def date_from_text(text: str) -> datetime.date | None:
    """A date typed as text in one of DATE_FORMATS, or None (Excel date cells need no parsing)."""
    text = " ".join(str(text or "").split())
    for pattern in DATE_FORMATS:
        try:
            return datetime.datetime.strptime(text, pattern).date()
        except ValueError:
            continue
    return None
