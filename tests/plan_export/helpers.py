"""Reading the downloads back: workbooks with openpyxl, CSV with the csv module."""

import csv
import io

import openpyxl

from actions import plan_columns


def workbook_from(response) -> openpyxl.Workbook:
    assert response.status_code == 200, f"the download answered {response.status_code}"
    return openpyxl.load_workbook(io.BytesIO(b"".join(response.streaming_content)))


def csv_rows(response) -> list[list[str]]:
    assert response.status_code == 200, f"the download answered {response.status_code}"
    text = response.content.decode("utf-8")
    assert text.startswith("\ufeff"), "the CSV starts with a byte-order mark, for Excel"
    return list(csv.reader(io.StringIO(text.removeprefix("\ufeff"))))


def column(key: str) -> int:
    """The 1-based column number of a plan column."""
    return [c.key for c in plan_columns.PLAN_COLUMNS].index(key) + 1


def table(sheet) -> list[dict]:
    """The rows under the header row, each as {column key: cell}."""
    keys = [c.key for c in plan_columns.PLAN_COLUMNS]
    rows = []
    for cells in sheet.iter_rows(min_row=plan_columns.EXPORT_HEADER_ROW + 1):
        rows.append(dict(zip(keys, cells, strict=False)))
    return rows


def is_finding_row(row: dict) -> bool:
    """plan_columns' rule: a finding row has a number and no action title."""
    return row["finding_number"].value is not None and row["title"].value is None


def luminance(hex_colour: str) -> float:
    def channel(c: int) -> float:
        c = c / 255
        return c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4

    r, g, b = (int(hex_colour[i : i + 2], 16) for i in (0, 2, 4))
    return 0.2126 * channel(r) + 0.7152 * channel(g) + 0.0722 * channel(b)


def contrast(one: str, other: str) -> float:
    light, dark = sorted((luminance(one), luminance(other)), reverse=True)
    return (light + 0.05) / (dark + 0.05)
