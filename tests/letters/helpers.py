"""Shared by the letter tests: the councils as plain data, PDFs made from our letters."""

import csv
import io
import json
from functools import cache
from pathlib import Path

from inspections.letter_reader import CouncilRef, tidy_text

REPO = Path(__file__).resolve().parents[2]
FIXTURES = Path(__file__).resolve().parent / "fixtures"
SHARED = REPO.parent / "shared"
CONTRACT_FIELDS = (
    "council",
    "kind",
    "focus_theme",
    "visit_number",
    "start_date",
    "end_date",
    "published",
    "lead_inspector",
    "grades",
    "areas",
)


@cache
def reference_councils() -> tuple[CouncilRef, ...]:
    """The 153 councils and the other names and predecessors in councils/data/,
    as the read_letter command builds them from the database (active first)."""
    data = REPO / "councils" / "data"
    with (data / "local_authorities.csv").open(encoding="utf-8", newline="") as handle:
        refs = {
            row["dfe_la_code"]: CouncilRef(row["name"], row["dfe_la_code"])
            for row in csv.DictReader(handle)
        }
    extra = []
    with (data / "council_other_names.csv").open(encoding="utf-8", newline="") as handle:
        for row in csv.DictReader(handle):
            others = tuple(name for name in row["other_names"].split(";") if name)
            if row["dfe_la_code"] in refs:
                refs[row["dfe_la_code"]].other_names = others
            else:
                extra.append(CouncilRef(row["name"], row["dfe_la_code"], others))
    return tuple(sorted(refs.values(), key=lambda ref: ref.name)) + tuple(extra)


def fixture_names() -> list[str]:
    return sorted(path.stem for path in FIXTURES.glob("*.txt"))


def fixture_text(name: str) -> str:
    return (FIXTURES / f"{name}.txt").read_text(encoding="utf-8")


def expected(name: str) -> dict:
    return json.loads((FIXTURES / f"{name}.json").read_text(encoding="utf-8"))


def differing_fields(got: dict, want: dict) -> dict:
    """{field: (got, want)} for each contract field that differs."""
    return {
        name: (got.get(name), want.get(name))
        for name in CONTRACT_FIELDS
        if name in want and got.get(name) != want.get(name)
    }


def letter_pdf(text: str) -> bytes:
    """Typeset a letter as a PDF with reportlab: the text rewrapped to the page,
    bullets in a symbol font, a running header and a page number on every page."""
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.utils import simpleSplit
    from reportlab.pdfgen import canvas

    blocks = [block for block in tidy_text(text).split("\n") if block.strip()]
    title = blocks[0] if blocks else ""
    buffer = io.BytesIO()
    pdf = canvas.Canvas(buffer, pagesize=A4)
    width, height = A4
    left, top, bottom, leading = 60, height - 70, 60, 13
    state = {"y": top, "page": 1}

    def new_page():
        pdf.setFont("Helvetica", 8)
        pdf.drawCentredString(width / 2, 30, str(state["page"]))
        pdf.showPage()
        state["page"] += 1
        pdf.setFont("Helvetica", 8)
        pdf.drawString(left, height - 40, title[:100])
        state["y"] = top

    for block in blocks:
        bullet = block.startswith("• ")
        words = block[2:] if bullet else block
        indent = 14 if bullet else 0
        lines = simpleSplit(words, "Helvetica", 10, width - 2 * left - indent)
        for number, line in enumerate(lines):
            if state["y"] < bottom:
                new_page()
            if bullet and number == 0:
                pdf.setFont("ZapfDingbats", 6)
                pdf.drawString(left, state["y"] + 1, "n")
            pdf.setFont("Helvetica", 10)
            pdf.drawString(left + indent, state["y"], line)
            state["y"] -= leading
        state["y"] -= leading / 2
    pdf.setFont("Helvetica", 8)
    pdf.drawCentredString(width / 2, 30, str(state["page"]))
    pdf.showPage()
    pdf.save()
    return buffer.getvalue()
