"""read_letter: what one letter says, as the `read_letter --json` contract has it."""

import datetime
import logging
from collections.abc import Sequence
from dataclasses import dataclass, field

from . import fields
from .areas import find_areas
from .councils import CouncilRef, match_council
from .text import blocks_of, tidy_text

logger = logging.getLogger(__name__)

KINDS = ("standard", "short", "focused_visit", "monitoring_visit", "jtai")
GRADED_KINDS = ("standard", "short")
# A letter is a few thousand words; a whole 200-page report is read, but no
# more than this many characters of it.
MAX_CHARS = 2_000_000


@dataclass
class LetterReading:
    """What the reader found in a letter; `not_found` names what it did not."""

    council: CouncilRef | None = None
    kind: str | None = None
    focus_theme: str | None = None
    visit_number: int | None = None
    start_date: datetime.date | None = None
    end_date: datetime.date | None = None
    published: datetime.date | None = None
    lead_inspector: str | None = None
    grades: dict[str, str] = field(default_factory=dict)
    areas: list[str] = field(default_factory=list)
    ofsted_file_id: str | None = None
    not_found: list[str] = field(default_factory=list)

    def to_json(self) -> dict:
        """Exactly the object `manage.py read_letter --json` prints (issue 7)."""

        def day(value: datetime.date | None) -> str | None:
            return value.isoformat() if value else None

        return {
            "council": (
                {"name": self.council.name, "la_code": self.council.la_code}
                if self.council
                else None
            ),
            "kind": self.kind,
            "focus_theme": self.focus_theme,
            "visit_number": self.visit_number,
            "start_date": day(self.start_date),
            "end_date": day(self.end_date),
            "published": day(self.published),
            "lead_inspector": self.lead_inspector,
            "grades": dict(self.grades),
            "areas": list(self.areas),
            "not_found": list(self.not_found),
        }


def _missing(reading: LetterReading, framework) -> list[str]:
    missing = []
    if reading.council is None:
        missing.append("council")
    if reading.kind is None:
        missing.append("kind")
    if reading.kind in ("focused_visit", "jtai") and not reading.focus_theme:
        missing.append("focus_theme")
    if reading.kind == "monitoring_visit" and reading.visit_number is None:
        missing.append("visit_number")
    for name in ("start_date", "end_date", "published", "lead_inspector"):
        if getattr(reading, name) is None:
            missing.append(name)
    if reading.kind in GRADED_KINDS or reading.kind is None:
        expected = framework.areas if framework else ()
        if not reading.grades or any(area not in reading.grades for area in expected):
            missing.append("grades")
    if not reading.areas:
        missing.append("areas")
    return missing


def read_letter(text: str, councils: Sequence[CouncilRef]) -> LetterReading:
    """Read a letter's text (pasted, or from `extract_text`). Never raises on odd
    input: what could not be read is left empty and named in `not_found`."""
    reading = LetterReading()
    framework = None
    try:
        if not isinstance(text, str):
            text = "" if text is None else str(text)
        blocks = blocks_of(tidy_text(text[:MAX_CHARS]))
        joined = "\n".join(blocks)
        steps = (
            ("council", lambda: match_council(blocks, councils)),
            ("dates", lambda: fields.find_dates(blocks)),
            ("published", lambda: fields.find_published(blocks)),
            ("lead_inspector", lambda: fields.find_lead_inspector(blocks)),
            ("ofsted_file_id", lambda: fields.find_file_id(joined)),
            ("areas", lambda: find_areas(blocks)),
        )
        for name, step in steps:
            # Each field is read on its own: a surprise in one loses only that one.
            try:
                value = step()
            except Exception:  # noqa: BLE001 - the reader must never raise
                logger.exception("letter reader: reading %s failed", name)
                continue
            if name == "dates":
                reading.start_date, reading.end_date = value
            else:
                setattr(reading, name, value)
        try:
            kind = fields.find_kind(blocks, reading.start_date, reading.end_date)
            reading.kind = kind if kind in KINDS else None
            reading.focus_theme = fields.find_focus_theme(blocks, reading.kind)
            if reading.kind == "monitoring_visit":
                reading.visit_number = fields.find_visit_number(blocks)
        except Exception:  # noqa: BLE001
            logger.exception("letter reader: reading the kind of visit failed")
        try:
            if reading.kind in GRADED_KINDS or reading.kind is None:
                framework = fields.framework_for(reading.start_date)
                grades, framework = fields.read_grades(joined, framework)
                # An ungraded letter that mentions a grade is not graded.
                reading.grades = grades if (reading.kind or len(grades) >= 2) else {}
        except Exception:  # noqa: BLE001
            logger.exception("letter reader: reading the grades failed")
        if reading.end_date and reading.start_date and reading.end_date < reading.start_date:
            reading.end_date = None
    except Exception:  # noqa: BLE001
        logger.exception("letter reader: the letter could not be read")
    reading.not_found = _missing(reading, framework)
    return reading
