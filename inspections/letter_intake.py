"""From a letter's text to a draft inspection an admin checks: the Django side of the reader.

inspections.letter_reader reads the text and knows nothing of the database. Here
its reading becomes a draft in our own terms (choices, grades, themes), with
suggestions for each finding: a short title, a theme and the earlier finding it
repeats. The draft lives in the admin's session until they confirm it, so nothing
is written before then (inspections.services.record_letter writes it).
"""

import csv
import datetime
import re
from dataclasses import asdict, dataclass, field
from pathlib import Path

from councils.models import Council

from .frameworks import Grade, JudgementArea, framework_on
from .letter_reader import CouncilRef, LetterReading, read_letter
from .models import GRADED_KINDS, THEMED_KINDS, Finding, FocusTheme, InspectionKind, Theme

SESSION_KEY = "letter_draft"
SHORT_TITLE_WORDS = 8
SHORT_TITLE_MAX = 120


OTHER_NAMES_CSV = (
    Path(__file__).resolve().parent.parent / "councils" / "data" / "council_other_names.csv"
)


def other_names(path: Path = OTHER_NAMES_CSV) -> dict[str, tuple[str, tuple[str, ...]]]:
    """DfE code -> (name, other names) from councils/data/council_other_names.csv."""
    names: dict[str, tuple[str, tuple[str, ...]]] = {}
    if not path.exists():
        return names
    with path.open(encoding="utf-8", newline="") as handle:
        for row in csv.DictReader(handle):
            others = tuple(name.strip() for name in row["other_names"].split(";") if name.strip())
            names[row["dfe_la_code"].strip()] = (row["name"].strip(), others)
    return names


def council_refs() -> list[CouncilRef]:
    """Every council a letter may name: those in the database, active ones first, with the
    other names a letter may use, and abolished predecessors not (yet) in the database
    from councils/data/council_other_names.csv. The same list for the pages and the
    read_letter command, so both read a letter alike."""
    extra = other_names()
    refs, seen = [], set()
    for council in Council.objects.order_by("-is_active", "name").only(
        "name", "dfe_la_code", "is_active"
    ):
        _, others = extra.get(council.dfe_la_code, ("", ()))
        refs.append(CouncilRef(council.name, council.dfe_la_code, others))
        seen.add(council.dfe_la_code)
    for code, (name, others) in extra.items():
        if code not in seen:
            refs.append(CouncilRef(name, code, others))
    return refs


@dataclass
class FindingDraft:
    text: str
    short_title: str = ""
    theme: int | None = None
    is_priority_action: bool = False
    repeats: int | None = None


@dataclass
class LetterDraft:
    """What the admin checks: every field the app could read, and what it could not."""

    letter_text: str
    source_name: str = ""
    council_read: dict | None = None  # {"name", "la_code"} as the letter named it
    kind: str = ""
    focus_theme: str = ""
    focus_theme_words: str = ""  # the theme in the letter's own words
    visit_number: int | None = None
    start_date: str = ""  # ISO dates, so the draft can sit in the session as JSON
    end_date: str = ""
    published_on: str = ""
    lead_inspector: str = ""
    ofsted_file_id: str = ""
    grades: dict[str, int] = field(default_factory=dict)  # JudgementArea value -> Grade
    unread_grades: list[str] = field(default_factory=list)  # grades the letter worded oddly
    findings: list[FindingDraft] = field(default_factory=list)
    not_found: list[str] = field(default_factory=list)

    def to_session(self) -> dict:
        return asdict(self)

    @classmethod
    def from_session(cls, data: dict) -> "LetterDraft":
        findings = [FindingDraft(**finding) for finding in data.get("findings", [])]
        return cls(**{**data, "findings": findings})

    def date(self, name: str) -> datetime.date | None:
        value = getattr(self, name)
        return datetime.date.fromisoformat(value) if value else None


def save_draft(session, draft: LetterDraft) -> None:
    session[SESSION_KEY] = draft.to_session()


def load_draft(session) -> LetterDraft | None:
    data = session.get(SESSION_KEY)
    if not data:
        return None
    try:
        return LetterDraft.from_session(data)
    except (TypeError, ValueError):
        # A draft saved by an older version of the page: start again.
        return None


def clear_draft(session) -> None:
    session.pop(SESSION_KEY, None)


# --- From the reader's words to our choices ------------------------------------------------------

_FOCUS_THEME_WORDS = (
    (("care leaver", "leaving care"), FocusTheme.CARE_LEAVERS),
    (
        ("outside the home", "extra-familial", "extra familial", "exploitation"),
        FocusTheme.EXTRA_FAMILIAL_RISK,
    ),
    (("disabled", "disabilit"), FocusTheme.DISABLED_CHILDREN),
    (("older children", "placement decision", "placement"), FocusTheme.OLDER_CHILDREN_PLACEMENTS),
    (("permanence",), FocusTheme.PERMANENCE),
    (("front door", "contact", "referral", "assessment"), FocusTheme.FRONT_DOOR),
    (
        ("child protection", "children in need", "need of help and protection"),
        FocusTheme.CHILDREN_IN_NEED_AND_PROTECTION,
    ),
    (("children in care", "looked after", "looked-after"), FocusTheme.CHILDREN_IN_CARE),
)


def focus_theme_for(words: str | None, kind: str) -> str:
    """Our focus theme for the letter's words; 'other' when a themed visit's theme is unknown."""
    if kind not in THEMED_KINDS:
        return ""
    text = (words or "").lower()
    for needles, theme in _FOCUS_THEME_WORDS:
        if any(needle in text for needle in needles):
            return theme.value
    return FocusTheme.OTHER.value if kind == InspectionKind.FOCUSED_VISIT else ""


def grade_for(words: str) -> int | None:
    text = words.strip().lower()
    for prefix, grade in (
        ("outstanding", Grade.OUTSTANDING),
        ("good", Grade.GOOD),
        ("requires improvement", Grade.REQUIRES_IMPROVEMENT),
        ("inadequate", Grade.INADEQUATE),
    ):
        if text.startswith(prefix):
            return int(grade)
    return None


def area_for(label: str, on: datetime.date | None) -> JudgementArea | None:
    """The judgement area a letter's heading names, among those of the framework then."""
    wanted = _words(label)
    areas = framework_on(on).areas if on else tuple(JudgementArea)
    for area in areas:
        if _words(area.label) == wanted:
            return area
    return None


def _words(text: str) -> str:
    return " ".join(re.findall(r"[a-z]+", text.lower()))


# --- Suggestions for each finding ----------------------------------------------------------------

_STOP_WORDS = frozenset(
    [
        "a",
        "an",
        "and",
        "are",
        "as",
        "at",
        "be",
        "been",
        "by",
        "do",
        "for",
        "from",
        "has",
        "have",
        "in",
        "is",
        "it",
        "its",
        "of",
        "on",
        "or",
        "so",
        "that",
        "the",
        "their",
        "them",
        "they",
        "this",
        "to",
        "was",
        "were",
        "when",
        "where",
        "which",
        "who",
        "with",
        "all",
        "more",
        "not",
        "than",
        "also",
        "into",
        "there",
        "be",
        "sure",
        "make",
        "ensure",
        "how",
        "well",
        "quality",
        "consistently",
        "consistent",
    ]
)


def suggest_short_title(text: str) -> str:
    """The finding's first words, up to a clause break: a title to edit, not to trust."""
    first = re.split(r"[.;:,(]| so that | to ensure | including ", text.strip(), maxsplit=1)[0]
    words = first.split()
    title = " ".join(words[:SHORT_TITLE_WORDS])
    if len(words) > SHORT_TITLE_WORDS:
        title += "…"
    title = title[:1].upper() + title[1:]
    return title[:SHORT_TITLE_MAX] or "Area for improvement"


def _terms(text: str) -> set[str]:
    return {
        word[:6]  # a crude stem: "planning" and "plans" meet at "plan..."
        for word in re.findall(r"[a-z]+", text.lower())
        if len(word) > 2 and word not in _STOP_WORDS
    }


def suggest_theme(text: str, themes: list[Theme]) -> Theme | None:
    """The theme whose name and description share most words with the finding, if any do."""
    terms = _terms(text)
    best, best_score = None, 0.0
    for theme in themes:
        name_terms = _terms(theme.name)
        score = 2 * len(terms & name_terms) + len(terms & _terms(theme.description))
        score /= 1 + len(name_terms)
        if score > best_score:
            best, best_score = theme, score
    return best if best_score >= 0.5 else None


def suggest_repeat(text: str, earlier: list[Finding]) -> Finding | None:
    """The council's earlier finding on the same subject, by the words they share."""
    terms = _terms(text)
    best, best_score = None, 0.0
    for finding in earlier:
        other = _terms(finding.text)
        if not terms or not other:
            continue
        score = len(terms & other) / len(terms | other)
        if score > best_score:
            best, best_score = finding, score
    # Below about a third of words shared, findings on the same subject are rare.
    return best if best_score >= 0.3 else None


def earlier_findings(council: Council, before: datetime.date | None) -> list[Finding]:
    """The council's (and its predecessors') findings from inspections before a date."""
    findings = Finding.objects.in_history_of(council).select_related("inspection")
    if before is not None:
        findings = findings.filter(inspection__start_date__lt=before)
    return list(findings.order_by("-inspection__start_date", "position"))


def _is_priority(area: str, letter_text: str) -> bool:
    """Whether the area sits under a heading about priority action, by where it appears."""
    flat = " ".join(letter_text.split()).lower()
    at = flat.find(" ".join(area.split()).lower()[:80])
    if at < 0:
        return False
    before = flat[:at]
    priority = before.rfind("priority action")
    improve = before.rfind("what needs to improve")
    return priority > improve


# --- The draft ----------------------------------------------------------------------------------


def draft_from_text(
    letter_text: str, *, council: Council, source_name: str = ""
) -> tuple[LetterDraft, LetterReading]:
    """Read a letter and make the draft an admin checks, with a suggestion for each finding."""
    # PostgreSQL text cannot hold NUL, which a damaged file's text may carry.
    letter_text = letter_text.replace("\x00", "")
    reading = read_letter(letter_text, council_refs())
    kind = reading.kind or ""
    start = reading.start_date
    grades, unread = {}, []
    if kind in GRADED_KINDS:
        for label, words in reading.grades.items():
            area, grade = area_for(label, start), grade_for(words)
            if area is None or grade is None:
                unread.append(f"{label}: {words}")
            else:
                grades[area.value] = grade
    themes = list(Theme.objects.filter(is_active=True))
    earlier = earlier_findings(council, start)
    findings = []
    for text in reading.areas:
        theme = suggest_theme(text, themes)
        repeat = suggest_repeat(text, earlier)
        findings.append(
            FindingDraft(
                text=text,
                short_title=suggest_short_title(text),
                theme=theme.pk if theme else None,
                is_priority_action=_is_priority(text, letter_text),
                repeats=repeat.pk if repeat else None,
            )
        )
    draft = LetterDraft(
        letter_text=letter_text,
        source_name=source_name,
        council_read=(
            {"name": reading.council.name, "la_code": reading.council.la_code}
            if reading.council
            else None
        ),
        kind=kind,
        focus_theme=focus_theme_for(reading.focus_theme, kind),
        focus_theme_words=reading.focus_theme or "",
        visit_number=reading.visit_number if kind == InspectionKind.MONITORING_VISIT else None,
        start_date=start.isoformat() if start else "",
        end_date=reading.end_date.isoformat() if reading.end_date else "",
        published_on=reading.published.isoformat() if reading.published else "",
        lead_inspector=reading.lead_inspector or "",
        ofsted_file_id=getattr(reading, "ofsted_file_id", None) or "",
        grades=grades,
        unread_grades=unread,
        findings=findings,
        not_found=list(reading.not_found),
    )
    return draft, reading


NOT_FOUND_WORDS = {
    "council": "No council found: the letter is added to your current council.",
    "kind": "No kind of visit found: choose it below.",
    "focus_theme": "No focus theme found.",
    "visit_number": "No monitoring visit number found.",
    "start_date": "No first day on site found.",
    "end_date": "No last day on site found.",
    "published": "No publication date found.",
    "lead_inspector": "No lead inspector found.",
    "grades": "No grades found.",
    "areas": "No areas for improvement found: add the findings below.",
}


def not_found_messages(draft: LetterDraft) -> list[str]:
    messages = [
        NOT_FOUND_WORDS.get(name, f"No {name.replace('_', ' ')} found.") for name in draft.not_found
    ]
    messages += [
        f"This grade could not be read: {line}. Choose it below." for line in draft.unread_grades
    ]
    return messages
