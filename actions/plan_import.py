"""Reading a council's action plan spreadsheet, before anything is written.

Three steps, none of which writes to the database:

1. read_plan_file(): the uploaded .xlsx or .csv as a PlanSheet (headings and rows),
   after checking that it is a spreadsheet at all: not an old or password-protected
   Excel file (both OLE containers), no macros, no zip bomb (the sizes the zip declares
   are checked before openpyxl opens it; Python never inflates past a declared size).
2. guess_mapping(): which of the file's columns holds which of ours
   (actions/plan_columns.py), from the headings' words; the page lets the user change it.
3. check_plan(): every row read against the inspection's findings and the council's
   members, giving a PlanPreview: the findings matched or to be added, the actions and
   their timeline entries, and every problem by row and column. RAG is never read.

actions/import_services.import_plan() writes a preview without problems, in one
transaction, through actions/services.
"""

import csv
import datetime
import io
import json
import re
import zipfile
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.utils import timezone
from openpyxl import load_workbook
from openpyxl.utils import get_column_letter

from councils.models import User
from inspections.letter_intake import suggest_short_title

from . import plan_columns
from .models import DESCRIPTION_MAX_LENGTH, NOTE_MAX_LENGTH, Action, Priority
from .plan_columns import COLUMNS_BY_KEY
from .rag import Status

MAX_FILE_BYTES = 10 * 2**20
MAX_UNCOMPRESSED_BYTES = 60 * 2**20
MAX_ZIP_ENTRIES = 2_000
MAX_ROWS = 10_000
# Each action is written through the services, a few dozen queries each: more than this
# many in one request would outlast the web server's timeout, so a larger plan is
# checked in full but imported in parts.
MAX_IMPORT_ACTIONS = 1_000
MAX_COLUMNS = 60
HEADER_SEARCH_ROWS = 20
# A sheet formatted to its millionth row ends where this many empty rows run together.
EMPTY_RUN_ENDS_SHEET = 2_000
TITLE_MAX_LENGTH = 200
LEAD_SERVICE_MAX_LENGTH = 150
SHORT_TITLE_MAX_LENGTH = 120

OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
ZIP_MAGIC = b"PK\x03\x04"


class PlanFileError(Exception):
    """The file cannot be read as a plan; the message says why, for the person uploading it."""


# --- 1. Reading the file --------------------------------------------------------------------


@dataclass
class PlanSheet:
    """One sheet of the file: its headings, and each non-empty row below them."""

    name: str
    sheet_names: list[str]
    headers: list[str]  # one per column ("" where a column has no heading)
    header_row: int  # the headings' row number, as the spreadsheet numbers it
    rows: list[tuple[int, tuple]]  # (row number, cell values), empty rows left out

    def column_label(self, index: int) -> str:
        """How the page names a column: its letter and heading, "C: Due date"."""
        heading = self.headers[index] if index < len(self.headers) else ""
        return f"{get_column_letter(index + 1)}: {heading or '(no heading)'}"

    def heading(self, index: int) -> str:
        heading = self.headers[index] if index < len(self.headers) else ""
        return heading or f"Column {get_column_letter(index + 1)}"

    def examples(self, index: int, count: int = 3) -> list[str]:
        found = []
        for _, cells in self.rows:
            if index < len(cells) and cells[index] not in (None, ""):
                example = _short(_display(cells[index]), 60)
                if example not in found:
                    found.append(example)
                if len(found) == count:
                    break
        return found


def _encode(value):
    if isinstance(value, datetime.datetime):
        return {"datetime": value.isoformat()}
    if isinstance(value, datetime.date):
        return {"date": value.isoformat()}
    if isinstance(value, datetime.time):
        return value.isoformat()
    return value


def _decode(value):
    if isinstance(value, dict):
        if "datetime" in value:
            return datetime.datetime.fromisoformat(value["datetime"])
        return datetime.date.fromisoformat(value["date"])
    return value


def sheet_to_json(sheet: PlanSheet) -> str:
    """The sheet as read, so the later steps need not read the workbook again."""
    return json.dumps(
        {
            "name": sheet.name,
            "sheet_names": sheet.sheet_names,
            "headers": sheet.headers,
            "header_row": sheet.header_row,
            "rows": [[number, [_encode(v) for v in cells]] for number, cells in sheet.rows],
        }
    )


def sheet_from_json(text: str) -> PlanSheet:
    data = json.loads(text)
    return PlanSheet(
        name=data["name"],
        sheet_names=data["sheet_names"],
        headers=data["headers"],
        header_row=data["header_row"],
        rows=[(number, tuple(_decode(v) for v in cells)) for number, cells in data["rows"]],
    )


def _display(value) -> str:
    if isinstance(value, datetime.datetime):
        value = value.date() if not value.time() else value
    if isinstance(value, datetime.date) and not isinstance(value, datetime.datetime):
        return f"{value:%-d %B %Y}"
    return " ".join(str(value).split())


def file_kind(filename: str) -> str:
    name = (filename or "").lower()
    return name.rsplit(".", 1)[-1] if "." in name else ""


def read_plan_file(content: bytes, filename: str, *, sheet: str | None = None) -> PlanSheet:
    """The plan in the file, or PlanFileError saying plainly why it cannot be read."""
    if not content:
        raise PlanFileError("The selected file is empty.")
    if len(content) > MAX_FILE_BYTES:
        raise PlanFileError(f"The selected file must be smaller than {MAX_FILE_BYTES // 2**20} MB.")
    kind = file_kind(filename)
    if content.startswith(OLE_MAGIC):
        if b"E\x00n\x00c\x00r\x00y\x00p\x00t\x00e\x00d\x00P\x00a\x00c\x00k\x00a\x00g\x00e" in (
            content
        ):
            raise PlanFileError(
                "The selected file is protected with a password. Open it in Excel, remove the "
                "password (File, Info, Protect Workbook), save it and upload it again."
            )
        raise PlanFileError(
            "The selected file is in the old Excel format (.xls). Open it in Excel, save it as "
            "an Excel Workbook (.xlsx) and upload that."
        )
    if content.startswith(ZIP_MAGIC):
        if kind in ("xlsm", "xltm", "xlsb"):
            raise _macro_error()
        return _read_workbook(content, sheet)
    if kind == "csv":
        return _read_csv(content)
    if kind in ("xlsx", "xlsm"):
        raise PlanFileError(
            "The selected file is not an Excel workbook, though its name ends in ."
            f"{kind}. Save the plan from Excel as .xlsx or .csv and upload it again."
        )
    raise PlanFileError("The selected file must be an Excel workbook (.xlsx) or a CSV file.")


def _macro_error() -> PlanFileError:
    return PlanFileError(
        "The selected file contains macros, which the tracker does not accept. In Excel, save "
        "it as an Excel Workbook (.xlsx, without macros) and upload that."
    )


def _check_zip(content: bytes) -> None:
    """Refuse a zip that is not a plain workbook, or that would inflate beyond reason."""
    try:
        archive = zipfile.ZipFile(io.BytesIO(content))
        entries = archive.infolist()
    except (zipfile.BadZipFile, zipfile.LargeZipFile, ValueError, OSError):
        raise PlanFileError(
            "The selected file could not be opened as an Excel workbook: it may be damaged. "
            "Save it again from Excel and upload it."
        ) from None
    if len(entries) > MAX_ZIP_ENTRIES:
        raise PlanFileError("The selected file holds too many parts to be an action plan.")
    names = {entry.filename.lower() for entry in entries}
    if any(name.endswith("vbaproject.bin") for name in names):
        raise _macro_error()
    if "xl/workbook.xml" not in names and "xl/workbook.bin" not in names:
        raise PlanFileError(
            "The selected file is not an Excel workbook (it may be a Word or other Office "
            "file). Upload the plan as .xlsx or .csv."
        )
    if "xl/workbook.bin" in names:
        raise PlanFileError(
            "The selected file is an Excel binary workbook (.xlsb). Save it as an Excel "
            "Workbook (.xlsx) and upload that."
        )
    if sum(entry.file_size for entry in entries) > MAX_UNCOMPRESSED_BYTES or any(
        entry.file_size > MAX_UNCOMPRESSED_BYTES for entry in entries
    ):
        raise PlanFileError(
            "The selected file is too large once opened: an action plan should be a few "
            "thousand rows at most. Remove other sheets or split the plan."
        )
    try:
        types = archive.read("[Content_Types].xml")
    except (KeyError, zipfile.BadZipFile, OSError, ValueError):
        types = b""
    if b"macroEnabled" in types or b"vbaProject" in types:
        raise _macro_error()


def _read_workbook(content: bytes, sheet_name: str | None) -> PlanSheet:
    _check_zip(content)
    try:
        workbook = load_workbook(
            io.BytesIO(content), read_only=True, data_only=True, keep_links=False
        )
    except Exception:  # noqa: BLE001 - openpyxl raises many kinds for a damaged file
        raise PlanFileError(
            "The selected file could not be read as an Excel workbook: it may be damaged. "
            "Save it again from Excel and upload it."
        ) from None
    try:
        sheets = [ws for ws in workbook.worksheets if getattr(ws, "sheet_state", "") != "hidden"]
        sheets = sheets or list(workbook.worksheets)
        if not sheets:
            raise PlanFileError("The selected workbook has no sheets.")
        names = [ws.title for ws in sheets]
        worksheet = next((ws for ws in sheets if ws.title == sheet_name), sheets[0])
        try:
            worksheet.reset_dimensions()  # some programs record the used range wrongly
            rows = _rows(
                tuple(_cell_value(cell) for cell in row[:MAX_COLUMNS])
                for row in worksheet.iter_rows()
            )
        except PlanFileError:
            raise
        except Exception:  # noqa: BLE001 - a damaged sheet inside a readable zip
            raise PlanFileError(
                f"The sheet “{worksheet.title}” could not be read: the file may be damaged. "
                "Save it again from Excel and upload it."
            ) from None
        return _sheet(worksheet.title, names, rows)
    finally:
        workbook.close()


def _cell_value(cell):
    value = getattr(cell, "value", None)
    if value is None:
        return None
    if isinstance(value, str):
        value = value.strip()
        return value or None
    if isinstance(value, bool):
        return "Yes" if value else "No"
    if isinstance(value, int | float):
        if "%" in (getattr(cell, "number_format", "") or ""):
            return f"{value * 100:g}%"  # a cell formatted as a percentage holds 0.45
        if isinstance(value, float) and value.is_integer():
            return int(value)
    return value


def _read_csv(content: bytes) -> PlanSheet:
    if b"\x00" in content[:65536]:
        raise PlanFileError(
            "The selected file is not a CSV file: it holds binary data. Upload the plan as "
            ".xlsx or .csv."
        )
    for encoding in ("utf-8-sig", "cp1252", "latin-1"):
        try:
            text = content.decode(encoding)
            break
        except UnicodeDecodeError:
            continue
    try:
        dialect = csv.Sniffer().sniff(text[:8192], delimiters=",;\t|")
        delimiter = dialect.delimiter
    except csv.Error:
        delimiter = ","
    try:
        reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
        rows = _rows(tuple((cell.strip() or None) for cell in row[:MAX_COLUMNS]) for row in reader)
    except csv.Error:
        raise PlanFileError(
            "The selected CSV file could not be read: check that it was saved from Excel as "
            "“CSV UTF-8 (Comma delimited)”."
        ) from None
    return _sheet("CSV file", ["CSV file"], rows)


def _rows(source: Iterable[tuple]) -> list[tuple[int, tuple]]:
    rows, empty_run = [], 0
    for number, cells in enumerate(source, start=1):
        if not any(value not in (None, "") for value in cells):
            empty_run += 1
            if empty_run >= EMPTY_RUN_ENDS_SHEET:
                break
            continue
        empty_run = 0
        rows.append((number, cells))
        if len(rows) > MAX_ROWS + HEADER_SEARCH_ROWS:
            raise PlanFileError(
                f"The selected file has more than {MAX_ROWS:,} rows. Split the plan into "
                "smaller files, one inspection at a time."
            )
    return rows


def _sheet(name: str, names: list[str], rows: list[tuple[int, tuple]]) -> PlanSheet:
    if not rows:
        raise PlanFileError(f"The sheet “{name}” is empty.")
    header_at = _header_index(rows)
    header_row, header_cells = rows[header_at]
    width = max(len(cells) for _, cells in rows)
    # Trailing columns that are empty everywhere are left out.
    while width and all(
        width > len(cells) or cells[width - 1] in (None, "") for _, cells in rows[header_at:]
    ):
        width -= 1
    headers = [
        _display(header_cells[i]) if i < len(header_cells) and header_cells[i] else ""
        for i in range(width)
    ]
    data = [(number, tuple(cells[:width])) for number, cells in rows[header_at + 1 :]]
    if not data:
        raise PlanFileError(f"The sheet “{name}” has headings but no rows of actions below them.")
    if len(data) > MAX_ROWS:
        raise PlanFileError(
            f"The selected file has more than {MAX_ROWS:,} rows. Split the plan into smaller "
            "files, one inspection at a time."
        )
    return PlanSheet(
        name=name, sheet_names=names, headers=headers, header_row=header_row, rows=data
    )


def _header_index(rows: list[tuple[int, tuple]]) -> int:
    """The row of headings: among the first rows, the one naming most of our columns."""
    best, best_score = 0, 1
    for index, (_, cells) in enumerate(rows[:HEADER_SEARCH_ROWS]):
        keys = {guess_column(cell) for cell in cells if isinstance(cell, str)}
        score = len(keys - {None})
        if score > best_score:
            best, best_score = index, score
    return best


# --- 2. Which column is which ---------------------------------------------------------------


# Headings councils use for each of our columns, besides our own (plan_columns), compared
# after normalise(): lower case, "%" read as "percent", punctuation as spaces.
def _split(words: str) -> tuple[str, ...]:
    return tuple(words.split("|"))


SYNONYMS: dict[str, tuple[str, ...]] = {
    "finding_number": _split(
        "finding no|finding number|finding ref|finding reference|afi no|afi number|"
        "afi ref|recommendation no|rec no|no|number|ref|ref no|reference|item"
    ),
    "finding": _split(
        "finding|findings|ofsted finding|area for improvement|areas for improvement|"
        "area for development|afi|recommendation|ofsted recommendation|"
        "what needs to improve|improvement area|issue"
    ),
    "title": _split(
        "action|actions|action title|action required|actions required|key action|"
        "key actions|activity|activities|task|tasks"
    ),
    "description": _split(
        "what will be done|what we will do|description|detail|details|action detail|"
        "action details|how|steps|activity detail"
    ),
    "owner": _split(
        "owner|action owner|lead officer|lead|lead person|responsible|"
        "responsible officer|responsible person|accountable officer|accountable|officer|"
        "who|by whom"
    ),
    "lead_service": _split(
        "lead team|team|lead service|service|service area|directorate|department"
    ),
    "priority": _split("priority|importance"),
    "start_date": _split("start date|start|date started|from"),
    "due_date": _split(
        "due date|due|date due|deadline|target date|target completion date|"
        "completion date|original due date|timescale|timescales|by when|end date"
    ),
    "revised_due_date": _split(
        "revised due date|revised date|revised deadline|revised target date|"
        "revised timescale|new due date|new deadline|new target date"
    ),
    "status": _split("status|current status|progress status|action status"),
    "percent_complete": _split(
        "percent complete|percentage complete|complete percent|percent|percent done|"
        "percent progress|progress|progress percent|completion"
    ),
    "latest_update": _split(
        "latest update|update|updates|progress update|latest progress|commentary|"
        "progress commentary|comment|comments|notes|narrative|update on progress"
    ),
    "latest_update_date": _split(
        "latest update date|update date|date of update|date of latest update|"
        "date updated|last updated|updated|as at"
    ),
    "success_measure": _split(
        "success measure|success measures|measure of success|measures of success|"
        "success criteria|outcome|outcomes|expected outcome|impact|evidence of impact|"
        "how we will know|how will we know|kpi|kpis"
    ),
    # Read only to be left out: the tracker works RAG out itself.
    "rag": _split("rag|rag status|rag rating|brag|rating|rag reason|rag colour"),
}

# When no heading matches exactly: the words that give a column away, most specific first.
_CLUES: tuple[tuple[str, tuple[tuple[str, ...], ...]], ...] = (
    ("rag", (("rag",), ("brag",))),
    ("revised_due_date", (("revised",), ("new", "date"), ("new", "deadline"))),
    ("latest_update_date", (("update", "date"), ("updated",))),
    ("percent_complete", (("percent",),)),
    ("success_measure", (("success",), ("outcome",), ("impact",), ("measure",))),
    ("due_date", (("due",), ("deadline",), ("target", "date"), ("timescale",))),
    ("start_date", (("start",),)),
    ("owner", (("owner",), ("responsible",), ("officer",), ("accountable",))),
    ("latest_update", (("update",), ("commentary",), ("comment",), ("progress",))),
    ("status", (("status",),)),
    ("priority", (("priority",),)),
    ("lead_service", (("team",), ("service",), ("directorate",))),
    ("finding_number", (("finding", "no"), ("finding", "number"), ("finding", "ref"))),
    ("finding", (("finding",), ("improvement",), ("recommendation",), ("afi",))),
    ("description", (("what", "done"), ("detail",), ("description",))),
    ("title", (("action",), ("activity",), ("task",))),
)


def normalise(text) -> str:
    text = str(text or "").casefold().replace("%", " percent ").replace("#", " no ")
    return " ".join(re.sub(r"[^\w]+", " ", text).replace("_", " ").split())


_EXACT = {normalise(column.heading): column.key for column in plan_columns.PLAN_COLUMNS}
for _key, _synonyms in SYNONYMS.items():
    for _synonym in _synonyms:
        _EXACT.setdefault(normalise(_synonym), _key)
_EXACT[normalise("RAG reason")] = "rag"
_EXACT[normalise("rag_reason")] = "rag"


def guess_column(heading) -> str | None:
    """Our column key for a heading ("rag" for a RAG column), or None."""
    words = normalise(heading)
    if not words:
        return None
    if words in _EXACT:
        return _EXACT[words]
    present = set(words.split())
    for key, clue_sets in _CLUES:
        if any(set(clue) <= present for clue in clue_sets):
            return key
    return None


_OURS = {normalise(column.heading) for column in plan_columns.PLAN_COLUMNS}


def _exactness(heading) -> int:
    """How sure a guess is: our own heading, a heading councils use, or a word in it."""
    words = normalise(heading)
    return 3 if words in _OURS else 2 if words in _EXACT else 1


def target_columns() -> tuple[plan_columns.PlanColumn, ...]:
    """Our columns that a file's columns may be mapped to."""
    return plan_columns.imported_columns()


def guess_mapping(headers: list[str]) -> dict[str, int]:
    """{our column key: the file's column index}, each of ours at most once."""
    chosen: dict[str, tuple[int, int]] = {}
    for index, heading in enumerate(headers):
        key = guess_column(heading)
        if key is None or key not in COLUMNS_BY_KEY or not COLUMNS_BY_KEY[key].imported:
            continue
        score = _exactness(heading)
        if key not in chosen or score > chosen[key][0]:
            chosen[key] = (score, index)
    return {key: index for key, (_, index) in chosen.items()}


def ignored_rag_columns(headers: list[str]) -> list[int]:
    return [i for i, heading in enumerate(headers) if guess_column(heading) == "rag"]


def mapping_from_saved(saved: dict, headers: list[str]) -> dict[str, int]:
    """A remembered mapping ({key: heading}) applied to this file, where its headings match;
    our guess for the rest."""
    mapping = guess_mapping(headers)
    by_heading = {}
    for index, heading in enumerate(headers):
        by_heading.setdefault(normalise(heading), index)
    for key, heading in (saved or {}).items():
        if key not in COLUMNS_BY_KEY or not COLUMNS_BY_KEY[key].imported:
            continue
        if heading is None:
            continue
        index = by_heading.get(normalise(heading))
        if index is not None:
            for other, taken in list(mapping.items()):
                if taken == index and other != key:
                    del mapping[other]
            mapping[key] = index
    return mapping


def mapping_to_save(mapping: dict[str, int], headers: list[str]) -> dict[str, str]:
    return {key: headers[index] for key, index in mapping.items() if index < len(headers)}


# --- 3. Checking every row ------------------------------------------------------------------

# Words for statuses besides those plan_columns accepts.
EXTRA_STATUS_WORDS: dict[Status, tuple[str, ...]] = {
    Status.NOT_STARTED: _split("Not started|Not due|Not due yet|To start|Pending|Open"),
    Status.IN_PROGRESS: _split(
        "In progress|Under way|On-going|Progressing|Behind|Slipped|Slipping|"
        "Overdue|Late|Partially complete|Partly complete|Part complete|WIP"
    ),
    Status.BLOCKED: _split("Blocked|Stalled|On-hold|Suspended"),
    Status.DELIVERED: _split("Delivered, awaiting sign-off|Ready for sign-off|For sign-off"),
    Status.COMPLETE: _split("Complete|Done|Finished|Met|Signed-off|Complete and closed"),
    Status.CANCELLED: _split("Cancelled|No longer required|Superseded|Not required|Dropped"),
}


def _words(value) -> str:
    """As plan_columns compares status words: spaces and capitals do not matter."""
    return " ".join(str(value or "").replace("\u2011", "-").split()).casefold()


_EXTRA_STATUS = {
    _words(word): status for status, words in EXTRA_STATUS_WORDS.items() for word in words
}
RAG_WORDS = {"red", "amber", "green", "blue", "r", "a", "g", "b", "amber/red", "red/amber"}
RAG_WORDS |= {f"{word} amber" for word in ("green", "red")} | {"rag"}

EXTRA_DATE_FORMATS = _split(
    "%d/%m/%y|%d-%m-%Y|%d-%m-%y|%d.%m.%Y|%d.%m.%y|%d %B %y|%d %b %y|%d-%b-%Y|%d-%b-%y|"
    "%d %B, %Y|%B %d, %Y|%b %d, %Y|%Y/%m/%d"
)
_ORDINAL = re.compile(r"\b(\d{1,2})(?:st|nd|rd|th)\b", re.IGNORECASE)
_WEEKDAY = re.compile(r"^(?:mon|tue|tues|wed|thu|thur|thurs|fri|sat|sun)[a-z]*,?\s+", re.IGNORECASE)
_SERIAL_RANGE = (32_874, 73_051)  # Excel's day numbers for 1990 to 2099
_EXCEL_EPOCH = datetime.date(1899, 12, 30)
EARLIEST_YEAR, LATEST_YEAR = 2000, 2100
# A dated paragraph in a commentary cell: "12/01/2025: ..." or "12 January 2025 - ...".
_DATED_LINE = re.compile(
    r"^\s*(?P<date>\d{1,2}[/.-]\d{1,2}[/.-]\d{2,4}|\d{1,2}(?:st|nd|rd|th)?\s+[A-Za-z]{3,9},?\s+\d{4}"
    r"|\d{4}-\d{2}-\d{2})\s*(?:[:\-–—]|\))\s*(?P<text>.*)$"
)
# A finding's number on its own: "3", "3.", "Finding 3", "AFI 3", "No. 3".
_FINDING_NUMBER = re.compile(
    r"^\s*(?:(?:finding|area\s+for\s+improvement|afi|recommendation|rec|no\.?|number)\s*)?"
    r"#?\s*(?P<number>\d{1,3})\s*[.):]?\s*$",
    re.IGNORECASE,
)
# A finding's text that starts with its number: "3. Text", "3) Text", "Finding 3: Text".
# A bare "16 and 17 year olds..." is text, not finding 16.
_NUMBERED_TEXT = re.compile(
    r"^\s*(?:(?:finding|area\s+for\s+improvement|afi|recommendation|rec)\s*#?\s*"
    r"(?P<named>\d{1,3})\s*[.):\-–—]?\s+|#?(?P<bare>\d{1,3})\s*[.):\-–—]\s+)(?P<rest>\S.*)$",
    re.IGNORECASE | re.DOTALL,
)


class CellProblem(ValueError):
    """A cell's value cannot be read; the message says why."""


def parse_date(value) -> datetime.date | None:
    """A date cell or text in a format councils use; None for an empty cell."""
    if value in (None, ""):
        return None
    if isinstance(value, datetime.datetime):
        return _sane(value.date(), value)
    if isinstance(value, datetime.date):
        return _sane(value, value)
    if isinstance(value, int | float) and not isinstance(value, bool):
        if _SERIAL_RANGE[0] <= value <= _SERIAL_RANGE[1]:
            return _EXCEL_EPOCH + datetime.timedelta(days=int(value))
        raise CellProblem(f"“{value:g}” is not a date: enter it like 31/03/2025")
    text = " ".join(str(value).split())
    cleaned = _WEEKDAY.sub("", _ORDINAL.sub(r"\1", text))
    found = plan_columns.date_from_text(cleaned)
    if found is None:
        for pattern in EXTRA_DATE_FORMATS:
            try:
                found = datetime.datetime.strptime(cleaned, pattern).date()
                break
            except ValueError:
                continue
    if found is None:
        raise CellProblem(f"“{_short(text)}” is not a date: enter it like 31/03/2025")
    return _sane(found, text)


def _sane(date: datetime.date, shown) -> datetime.date:
    if not EARLIEST_YEAR <= date.year <= LATEST_YEAR:
        raise CellProblem(
            f"“{_short(_display(shown))}” is not a date in this century: enter it like 31/03/2025"
        )
    return date


def _short(text: str, limit: int = 60) -> str:
    text = " ".join(str(text).split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


def parse_status(value) -> Status | None:
    if value in (None, ""):
        return None
    status = plan_columns.status_from_word(value) or _EXTRA_STATUS.get(_words(value))
    if status is not None:
        return status
    words = _words(value)
    if words in RAG_WORDS:
        raise CellProblem(
            f"“{_short(value)}” is a RAG rating, not a status. The tracker works out RAG "
            "itself: enter the status, such as not started, in progress, blocked, delivered "
            "or complete"
        )
    raise CellProblem(
        f"“{_short(value)}” is not a status the tracker knows: use not started, in progress, "
        "blocked, delivered, complete or cancelled"
    )


def parse_percent(value) -> int | None:
    if value in (None, ""):
        return None
    if isinstance(value, bool):
        raise CellProblem(f"“{value}” is not a percentage: enter a number from 0 to 100")
    if isinstance(value, int | float):
        number = float(value)
    else:
        text = str(value).strip().rstrip("%").strip()
        try:
            number = float(text)
        except ValueError:
            raise CellProblem(
                f"“{_short(value)}” is not a percentage: enter a number from 0 to 100"
            ) from None
    if not 0 <= number <= 100 or number != number:  # NaN is out of range too
        raise CellProblem(f"“{_display(value)}” is out of range: enter a number from 0 to 100")
    return int(round(number))


def parse_priority(value) -> int:
    if value in (None, ""):
        return Priority.MEDIUM
    priority = plan_columns.priority_from_word(value)
    if priority is None:
        raise CellProblem(f"“{_short(value)}” is not a priority: use High, Medium or Low")
    return priority


def _text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime.date | datetime.datetime):
        return _display(value)
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value).strip()


@dataclass(frozen=True)
class Person:
    pk: int
    name: str  # as pages show them
    username: str
    email: str
    first_name: str = ""
    last_name: str = ""


@dataclass(frozen=True)
class KnownFinding:
    pk: int
    position: int
    short_title: str
    text: str


@dataclass
class Problem:
    row: int | None  # the spreadsheet's row number
    column: str  # the file's heading, or ""
    message: str
    value: str = ""

    def __str__(self) -> str:
        where = f"Row {self.row}" if self.row else "The file"
        if self.column:
            where += f", {self.column}"
        return f"{where}: {self.message}"


@dataclass
class PlannedFinding:
    key: tuple
    position: int
    short_title: str
    text: str
    existing_pk: int | None = None
    is_priority_action: bool = False
    first_row: int = 0
    action_count: int = 0

    @property
    def is_new(self) -> bool:
        return self.existing_pk is None


@dataclass
class Step:
    """One entry the import writes in an action's timeline, in order.

    kind: "progress" (log_progress), "revise" (revise_due_date), "sign_off" or "cancel".
    on: its date (None: the moment of the import).
    """

    kind: str
    on: datetime.date | None
    note: str = ""
    status: str = ""
    percent: int = 0
    revised_due_date: datetime.date | None = None


@dataclass
class PlannedAction:
    row: int
    finding_key: tuple
    title: str
    owner_pk: int | None
    owner_name: str
    due_date: datetime.date | None
    description: str = ""
    success_measure: str = ""
    lead_service: str = ""
    priority: int = Priority.MEDIUM
    start_date: datetime.date | None = None
    revised_due_date: datetime.date | None = None
    status: str = Status.NOT_STARTED
    percent: int = 0
    contributor_pks: list[int] = field(default_factory=list)
    steps: list[Step] = field(default_factory=list)
    owner_is_placeholder: bool = False
    finding_position: int = 0

    @property
    def created_on(self) -> datetime.date | None:
        """The date the action is recorded as from: its earliest dated entry."""
        dates = [step.on for step in self.steps if step.on]
        return min(dates) if dates else None


@dataclass
class PlanPreview:
    sheet: PlanSheet
    mapping: dict[str, int]
    findings: list[PlannedFinding]
    actions: list[PlannedAction]
    problems: list[Problem]
    notes: list[Problem]
    unknown_owners: dict[str, list[int]]
    ignored_columns: list[str]

    @property
    def new_findings(self) -> list[PlannedFinding]:
        return [f for f in self.findings if f.is_new]

    @property
    def entry_count(self) -> int:
        return sum(len(action.steps) for action in self.actions)

    @property
    def is_clean(self) -> bool:
        return not self.problems and bool(self.actions)


@dataclass
class PlanContext:
    """What the rows are checked against, loaded from the database by the caller."""

    findings: list[KnownFinding]
    people: list[Person]  # the council's active members
    existing_titles: set[tuple[int, str]]  # (finding pk, normalised title) already there
    council_name: str = "the council"
    placeholder: Person | None = None
    importer_pk: int | None = None
    importer_may_sign_off_own: bool = False  # a superuser
    today: datetime.date = field(default_factory=datetime.date.today)


class _People:
    """Finds a council member by email, username or name, as a spreadsheet writes them."""

    def __init__(self, people: list[Person]):
        self.by_key: dict[str, list[Person]] = defaultdict(list)
        for person in people:
            keys = {person.email, person.username, person.name}
            if person.first_name or person.last_name:
                keys.add(f"{person.first_name} {person.last_name}")
                keys.add(f"{person.last_name}, {person.first_name}")
                keys.add(f"{person.last_name} {person.first_name}")
            for key in keys:
                if key and key.strip(" ,"):
                    self.by_key[_person_key(key)].append(person)

    def find(self, text: str) -> tuple[Person | None, str]:
        """(person, '') or (None, why not): 'unknown' or 'ambiguous'."""
        for candidate in _name_candidates(text):
            found = {p.pk: p for p in self.by_key.get(_person_key(candidate), [])}
            if len(found) == 1:
                return next(iter(found.values())), ""
            if len(found) > 1:
                return None, "ambiguous"
        return None, "unknown"


def _person_key(text: str) -> str:
    return " ".join(re.sub(r"[^\w@.'-]+", " ", text.casefold()).split())


def _name_candidates(text: str) -> list[str]:
    """The cell, then the name without a job title: "Jo Bloggs (Head of Service)"."""
    text = " ".join(text.split())
    candidates = [text]
    for separator in (" (", " - ", " – ", ", "):
        if separator in text:
            candidates.append(text.split(separator, 1)[0])
    email = re.search(r"[\w.+'-]+@[\w-]+(?:\.[\w-]+)+", text)
    if email:
        candidates.insert(0, email.group())
    return candidates


_SEVERAL_PEOPLE = re.compile(r"\s*(?:/|;|&|\band\b|\n)\s*", re.IGNORECASE)


def _finding_reference(number_cell, finding_cell) -> tuple[int | None, str, str]:
    """(number, short title, text) from the "Finding no." and "Finding" cells."""
    number = None
    if number_cell not in (None, ""):
        if isinstance(number_cell, int | float) and not isinstance(number_cell, bool):
            if float(number_cell).is_integer() and number_cell >= 1:
                number = int(number_cell)
            else:
                raise CellProblem(f"“{number_cell:g}” is not a finding number: use 1, 2, 3…")
        else:
            match = _FINDING_NUMBER.match(str(number_cell))
            if not match:
                raise CellProblem(f"“{_short(number_cell)}” is not a finding number: use 1, 2, 3…")
            number = int(match.group("number"))
        if number < 1:
            raise CellProblem("A finding's number starts at 1")
    text = _text(finding_cell)
    if text and number is None:
        alone = _FINDING_NUMBER.match(text)
        numbered = _NUMBERED_TEXT.match(text)
        if alone:
            number, text = int(alone.group("number")), ""
        elif numbered:
            number = int(numbered.group("named") or numbered.group("bare"))
            text = numbered.group("rest").strip()
    short_title, full = plan_columns.split_finding_cell(text) if text else ("", "")
    return number, short_title, full


def _updates(text: str, on: datetime.date | None) -> list[tuple[datetime.date | None, str]]:
    """A commentary cell as timeline entries: several dated paragraphs become one entry each,
    at their own dates; otherwise the whole text at the update's date."""
    lines = text.splitlines()
    dated = []
    for line in lines:
        match = _DATED_LINE.match(line)
        day = None
        if match:
            try:
                day = parse_date(match.group("date"))
            except CellProblem:
                day = None
        if day is not None:
            dated.append([day, match.group("text").strip()])
        elif dated:
            dated[-1][1] = f"{dated[-1][1]}\n{line}".strip()
        else:
            dated.append([None, line])
    entries = [(day, note.strip()) for day, note in dated if note.strip() or day]
    real = [entry for entry in entries if entry[0] is not None]
    if len(real) >= 2:
        # Undated text before the first dated paragraph belongs to it.
        head = "\n".join(note for day, note in entries if day is None and note)
        entries = sorted(real, key=lambda entry: entry[0])
        if head:
            first = entries[0]
            entries[0] = (first[0], f"{head}\n{first[1]}".strip())
        return [(day, note or "Update recorded in the imported plan.") for day, note in entries]
    if on is None and len(real) == 1 and entries and entries[0][0] is not None:
        # "12/01/2025: ..." with no date column: the paragraph's own date.
        return [(entries[0][0], "\n".join(note for _, note in entries).strip())]
    return [(on, text.strip())]


def _shorten_title(title: str) -> str:
    cut = title[: TITLE_MAX_LENGTH - 1].rsplit(" ", 1)[0].rstrip(" ,;:.")
    return (cut or title[: TITLE_MAX_LENGTH - 1]) + "…"


class _RowChecker:
    """Checks one sheet against one context; collects problems and what to create."""

    def __init__(self, sheet: PlanSheet, mapping: dict[str, int], context: PlanContext):
        self.sheet, self.mapping, self.context = sheet, mapping, context
        self.people = _People(context.people)
        self.problems: list[Problem] = []
        self.notes: list[Problem] = []
        self.unknown_owners: dict[str, list[int]] = defaultdict(list)
        self.findings: dict[tuple, PlannedFinding] = {}
        self.by_position = {f.position: f for f in context.findings}
        self.next_position = max([f.position for f in context.findings] or [0]) + 1
        self.seen: dict[tuple, int] = {}
        self.actions: list[PlannedAction] = []

    # Cells

    def heading(self, key: str) -> str:
        return self.sheet.heading(self.mapping[key]) if key in self.mapping else ""

    def cell(self, cells: tuple, key: str):
        index = self.mapping.get(key)
        if index is None or index >= len(cells):
            return None
        value = cells[index]
        return None if value == "" else value

    def problem(self, row: int, key: str, message: str, value=None) -> None:
        shown = "" if value is None else _short(_display(value), 80)
        self.problems.append(Problem(row, self.heading(key), message, shown))

    def note(self, row: int, key: str, message: str) -> None:
        self.notes.append(Problem(row, self.heading(key), message))

    def read(self, row: int, cells: tuple, key: str, parse):
        value = self.cell(cells, key)
        try:
            return parse(value), True
        except CellProblem as problem:
            self.problem(row, key, str(problem), value)
            return None, False

    # Findings

    def finding_for(self, row, number, short_title, text) -> PlannedFinding | None:
        if number is not None:
            key = ("number", number)
            if key in self.findings:
                return self.findings[key]
            known = self.by_position.get(number)
            if known is not None:
                planned = PlannedFinding(
                    key, known.position, known.short_title, known.text, known.pk, first_row=row
                )
            elif short_title:
                planned = self._new_finding(key, number, short_title, text, row)
            else:
                self.problem(
                    row,
                    "finding_number",
                    f"This inspection has no finding {number}: give the finding's text in the "
                    "Finding column to add it",
                    number,
                )
                return None
            self.findings[key] = planned
            return planned
        match = self._match_text(short_title, text)
        if match is not None:
            key = ("number", match.position)
            if key not in self.findings:
                self.findings[key] = PlannedFinding(
                    key, match.position, match.short_title, match.text, match.pk, first_row=row
                )
            return self.findings[key]
        key = ("text", normalise(short_title))
        for planned in self.findings.values():
            if planned.is_new and normalise(planned.short_title) == key[1]:
                return planned
        planned = self._new_finding(key, None, short_title, text, row)
        self.findings[key] = planned
        return planned

    def _match_text(self, short_title: str, text: str) -> KnownFinding | None:
        wanted = {normalise(short_title), normalise(text)} - {""}
        for finding in self.context.findings:
            theirs = {normalise(finding.short_title), normalise(finding.text)}
            if wanted & theirs:
                return finding
        for finding in self.context.findings:
            theirs = normalise(finding.text)
            for words in wanted:
                if len(words) >= 30 and (theirs.startswith(words) or words.startswith(theirs)):
                    return finding
        return None

    def _new_finding(self, key, number, short_title, text, row) -> PlannedFinding:
        taken = {f.position for f in self.findings.values()} | set(self.by_position)
        if number is None or number in taken:
            number = self.next_position
            while number in taken:
                number += 1
        text = text or short_title
        if len(short_title) > SHORT_TITLE_MAX_LENGTH:
            short_title = suggest_short_title(short_title)[:SHORT_TITLE_MAX_LENGTH]
        return PlannedFinding(key, number, short_title, text, None, first_row=row)

    # Rows

    def check(self) -> None:
        current: PlannedFinding | None = None
        action_keys = [
            c.key
            for c in target_columns()
            if c.key not in ("finding_number", "finding", "priority", "percent_complete")
        ]
        for row, cells in self.sheet.rows:
            title = _text(self.cell(cells, "title"))
            try:
                number, short_title, text = _finding_reference(
                    self.cell(cells, "finding_number"), self.cell(cells, "finding")
                )
            except CellProblem as problem:
                self.problem(
                    row, "finding_number", str(problem), self.cell(cells, "finding_number")
                )
                continue
            has_finding = number is not None or bool(short_title)
            others = [key for key in action_keys if self.cell(cells, key) is not None]
            if not title:
                if has_finding and not others:
                    # A finding's own row: the actions below belong to it.
                    current = self.finding_for(row, number, short_title, text)
                    if current is not None and current.is_new:
                        priority = _text(self.cell(cells, "priority"))
                        if normalise(priority) == normalise(plan_columns.PRIORITY_ACTION_WORDS):
                            current.is_priority_action = True
                    continue
                if others or has_finding:
                    self.problem(row, "title", "Enter the action: this cell is empty")
                continue
            if has_finding:
                finding = self.finding_for(row, number, short_title, text)
                if finding is None:
                    continue
                current = finding
            elif current is None:
                self.problem(
                    row,
                    "finding" if "finding" in self.mapping else "finding_number",
                    "Say which finding this action answers: this cell is empty",
                )
                continue
            self.check_action(row, cells, title, current)

    def check_action(self, row: int, cells: tuple, title: str, finding: PlannedFinding) -> None:
        problems_before = len(self.problems)
        description = _text(self.cell(cells, "description"))
        if len(title) > TITLE_MAX_LENGTH:
            self.note(
                row,
                "title",
                f"The action is longer than {TITLE_MAX_LENGTH} characters: its title is "
                "shortened and the whole text kept in “what will be done”",
            )
            description = f"{title}\n\n{description}".strip()
            title = _shorten_title(title)
        duplicate_key = (finding.key, normalise(title))
        if duplicate_key in self.seen:
            self.problem(
                row,
                "title",
                f"This row repeats row {self.seen[duplicate_key]}: the same action under the same "
                "finding. Remove one of them",
                title,
            )
        else:
            self.seen[duplicate_key] = row
        if finding.existing_pk and (finding.existing_pk, normalise(title)) in (
            self.context.existing_titles
        ):
            self.problem(
                row,
                "title",
                f"Finding {finding.position} already has this action: it may have been "
                "imported before. Remove the row, or change its title",
                title,
            )
        owner, contributors, placeholder_used = self.owner(row, cells)
        priority, _ = self.read(row, cells, "priority", parse_priority)
        start, _ = self.read(row, cells, "start_date", parse_date)
        due, due_ok = self.read(row, cells, "due_date", parse_date)
        revised, revised_ok = self.read(row, cells, "revised_due_date", parse_date)
        if due_ok and due is None:
            self.problem(row, "due_date", "Enter the due date: this cell is empty")
        if start and due and due < start:
            self.problem(row, "due_date", "The due date must be on or after the start date", due)
        if start and revised and revised < start:
            self.problem(
                row,
                "revised_due_date",
                "The revised due date must be on or after the start date",
                revised,
            )
        status, status_ok = self.read(row, cells, "status", parse_status)
        percent, percent_ok = self.read(row, cells, "percent_complete", parse_percent)
        updated_on, updated_ok = self.read(row, cells, "latest_update_date", parse_date)
        if updated_on and updated_on > self.context.today:
            self.problem(
                row,
                "latest_update_date",
                "The update's date is in the future: a timeline entry must have happened",
                updated_on,
            )
        note = _text(self.cell(cells, "latest_update"))
        success_measure = _text(self.cell(cells, "success_measure"))
        lead_service = _text(self.cell(cells, "lead_service"))
        for key, value, limit, noun in (
            ("description", description, DESCRIPTION_MAX_LENGTH, "What will be done"),
            ("success_measure", success_measure, DESCRIPTION_MAX_LENGTH, "The success measure"),
            ("lead_service", lead_service, LEAD_SERVICE_MAX_LENGTH, "The lead team"),
            ("latest_update", note, NOTE_MAX_LENGTH, "The update"),
        ):
            if len(value) > limit:
                self.problem(row, key, f"{noun} must be {limit:,} characters or fewer")
        if status_ok and percent_ok:
            status, percent = self.status_and_percent(row, status, percent)
        if placeholder_used:
            description = (
                f"{description}\n\nOwner in the imported plan: {placeholder_used}."
            ).strip()
        action = PlannedAction(
            row=row,
            finding_key=finding.key,
            finding_position=finding.position,
            title=title,
            owner_pk=owner.pk if owner else None,
            owner_name=owner.name if owner else "",
            owner_is_placeholder=bool(placeholder_used),
            contributor_pks=[person.pk for person in contributors],
            due_date=due,
            description=description,
            success_measure=success_measure,
            lead_service=lead_service,
            priority=priority or Priority.MEDIUM,
            start_date=start,
            revised_due_date=revised,
            status=status,
            percent=percent,
        )
        if updated_ok:
            self.plan_timeline(action, note, updated_on)
        if len(self.problems) == problems_before:
            finding.action_count += 1
            self.actions.append(action)

    def owner(self, row: int, cells: tuple) -> tuple[Person | None, list[Person], str]:
        """(owner, contributors, the name the placeholder stands in for)."""
        text = _text(self.cell(cells, "owner"))
        placeholder = self.context.placeholder
        if not text:
            if placeholder is not None:
                return placeholder, [], "nobody named"
            self.problem(
                row,
                "owner",
                "Enter the owner, or choose a placeholder owner for actions without one",
            )
            return None, [], ""
        person, why = self.people.find(text)
        if person is not None:
            return person, [], ""
        names = [part for part in _SEVERAL_PEOPLE.split(text) if part.strip()]
        if len(names) > 1:
            found = [self.people.find(name) for name in names]
            if all(person for person, _ in found):
                people = list({person.pk: person for person, _ in found}.values())
                return people[0], people[1:], ""
        if why == "ambiguous":
            self.problem(
                row,
                "owner",
                f"More than one member of {self.context.council_name} is called this: use "
                "their email address",
                text,
            )
            return None, [], ""
        self.unknown_owners[text].append(row)
        if placeholder is not None:
            return placeholder, [], text
        self.problem(
            row,
            "owner",
            f"“{_short(text)}” is not a member of {self.context.council_name}: ask an admin to "
            "invite them, or choose a placeholder owner",
            text,
        )
        return None, [], ""

    def status_and_percent(self, row, status, percent) -> tuple[str, int]:
        if status is None:
            if percent is None or percent == 0:
                status = Status.NOT_STARTED
            elif percent == 100:
                status = Status.DELIVERED
                self.note(
                    row,
                    "status",
                    "No status but 100% complete: imported as delivered, awaiting sign-off",
                )
            else:
                status = Status.IN_PROGRESS
        if status in (Status.DELIVERED, Status.COMPLETE):
            if percent is None:
                percent = 100
            elif percent != 100:
                label = "delivered" if status == Status.DELIVERED else "complete"
                self.problem(
                    row,
                    "percent_complete",
                    f"A {label} action is 100% complete: enter 100, or change its status",
                    percent,
                )
        return status, percent or 0

    def plan_timeline(self, action: PlannedAction, note: str, on: datetime.date | None) -> None:
        """The entries that give the action its status, progress and history, oldest first."""
        status, percent = action.status, action.percent
        entries = _updates(note, on) if note else []
        if len(entries) > 1:
            self.note(
                action.row,
                "latest_update",
                f"The update holds {len(entries)} dated notes: each becomes an entry in the "
                "action's timeline, at its own date",
            )
        for day, _ in entries:
            if day and day != on and day > self.context.today:
                self.problem(
                    action.row,
                    "latest_update",
                    f"A note is dated {day:%-d %B %Y}, in the future",
                )
        last_on = entries[-1][0] if entries else on
        first_on = entries[0][0] if entries else on
        steps = []
        if action.revised_due_date and action.revised_due_date != action.due_date:
            steps.append(
                Step(
                    "revise",
                    first_on,
                    note="Revised due date in the imported plan.",
                    revised_due_date=action.revised_due_date,
                )
            )
        earlier, final_note = entries[:-1], entries[-1][1] if entries else ""
        # Earlier notes: the work was under way, as far as it had got by the end.
        between = Status.IN_PROGRESS if status != Status.NOT_STARTED else Status.NOT_STARTED
        for day, text in earlier:
            steps.append(Step("progress", day, note=text, status=between, percent=min(percent, 99)))
        if (
            status == Status.COMPLETE
            and action.owner_pk == self.context.importer_pk
            and not self.context.importer_may_sign_off_own
        ):
            self.note(
                action.row,
                "status",
                "You own this complete action, so you cannot sign it off: it is imported "
                "as delivered, for another manager to sign off",
            )
            status = action.status = Status.DELIVERED
        if status == Status.COMPLETE:
            steps.append(
                Step(
                    "progress",
                    last_on,
                    note="Delivered, as recorded in the imported plan.",
                    status=Status.DELIVERED,
                    percent=100,
                )
            )
            steps.append(Step("sign_off", last_on, note=final_note or "Signed off."))
        elif status == Status.CANCELLED:
            if percent:
                steps.append(
                    Step(
                        "progress",
                        last_on,
                        note="Progress as recorded in the imported plan.",
                        status=Status.IN_PROGRESS,
                        percent=min(percent, 99),
                    )
                )
            steps.append(
                Step("cancel", last_on, note=final_note or "Cancelled in the imported plan.")
            )
        elif final_note or status != Status.NOT_STARTED or percent or last_on:
            steps.append(
                Step(
                    "progress",
                    last_on,
                    note=final_note or "Status as recorded in the imported plan.",
                    status=status,
                    percent=percent,
                )
            )
        action.steps = steps


def check_plan(sheet: PlanSheet, mapping: dict[str, int], context: PlanContext) -> PlanPreview:
    """Every row checked; nothing written. The preview lists what an import would create."""
    checker = _RowChecker(sheet, mapping, context)
    for key in ("title", "due_date"):
        if key not in mapping:
            checker.problems.append(
                Problem(
                    None,
                    "",
                    f"Choose the file's column for “{COLUMNS_BY_KEY[key].heading}”",
                )
            )
    if "owner" not in mapping and context.placeholder is None:
        checker.problems.append(
            Problem(None, "", "Choose the file's column for “Owner”, or a placeholder owner")
        )
    if "finding" not in mapping and "finding_number" not in mapping:
        checker.problems.append(
            Problem(None, "", "Choose the file's column for the finding, or its number")
        )
    if checker.problems:
        return PlanPreview(sheet, mapping, [], [], checker.problems, [], {}, [])
    checker.check()
    if not checker.actions and not checker.problems:
        checker.problems.append(Problem(None, "", "The file has no actions to import"))
    if len(checker.actions) > MAX_IMPORT_ACTIONS:
        checker.problems.append(
            Problem(
                None,
                "",
                f"The file has {len(checker.actions):,} actions: the tracker imports up to "
                f"{MAX_IMPORT_ACTIONS:,} at a time. Split the file, a few findings in each, "
                "and import each part",
            )
        )
    findings = sorted(checker.findings.values(), key=lambda f: f.position)
    ignored = [sheet.column_label(i) for i in ignored_rag_columns(sheet.headers)]
    return PlanPreview(
        sheet=sheet,
        mapping=mapping,
        findings=findings,
        actions=checker.actions,
        problems=checker.problems,
        notes=checker.notes,
        unknown_owners=dict(checker.unknown_owners),
        ignored_columns=ignored,
    )


def _person(user) -> Person:
    return Person(
        pk=user.pk,
        name=user.get_full_name() or user.username,
        username=user.username,
        email=user.email,
        first_name=user.first_name,
        last_name=user.last_name,
    )


def council_members(council):
    """The council's active members: who may own an imported action."""
    return (
        User.objects.filter(memberships__council=council, is_active=True)
        .distinct()
        .order_by("first_name", "last_name", "username")
    )


def preview_plan(
    sheet: PlanSheet, mapping: dict[str, int], *, inspection, importer, placeholder_owner=None
) -> PlanPreview:
    """check_plan() against the inspection's findings and the council's members (3 queries)."""
    people = [_person(user) for user in council_members(inspection.council)]
    placeholder = None
    if placeholder_owner is not None:
        placeholder = next((p for p in people if p.pk == placeholder_owner.pk), None)
    existing = Action.objects.filter(finding__inspection=inspection).values_list(
        "finding_id", "title"
    )
    context = PlanContext(
        findings=[
            KnownFinding(pk, position, short_title, text)
            for pk, position, short_title, text in inspection.findings.order_by(
                "position"
            ).values_list("pk", "position", "short_title", "text")
        ],
        people=people,
        existing_titles={(finding_pk, normalise(title)) for finding_pk, title in existing},
        council_name=inspection.council.name,
        placeholder=placeholder,
        importer_pk=importer.pk,
        importer_may_sign_off_own=importer.is_superuser,
        today=timezone.localdate(),
    )
    return check_plan(sheet, mapping, context)
