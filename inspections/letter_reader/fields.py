"""The single fields of a letter: kind, theme, visit number, dates, inspector, grades."""

import datetime
import re
from collections.abc import Sequence

from .frameworks import FRAMEWORKS, OVERALL, FrameworkAreas, framework_on

MONTHS = {
    name: number
    for number, names in enumerate(
        (
            ("january", "jan"),
            ("february", "feb"),
            ("march", "mar"),
            ("april", "apr"),
            ("may",),
            ("june", "jun"),
            ("july", "jul"),
            ("august", "aug"),
            ("september", "sept", "sep"),
            ("october", "oct"),
            ("november", "nov"),
            ("december", "dec"),
        ),
        start=1,
    )
    for name in names
}
_MONTH = r"(?:" + "|".join(sorted(MONTHS, key=len, reverse=True)) + r")\.?"
_DAY = r"(?:[0-3]?\d)(?:st|nd|rd|th)?"
_YEAR = r"(?:19|20)\d\d"
_WEEKDAY = r"(?:(?:Mon|Tues|Wednes|Thurs|Fri|Satur|Sun)day,?\s+)?"
_SEP = r"\s*(?:to|and|until|[-–—]|&)\s*"
# One date, or a range in any of the ways letters write one:
# "4 to 15 March 2024", "21 February to 4 March 2022", "11 June 2018 to 22 June 2018",
# "13 and 14 March 2018", "18 March 2014 – 09 April 2014", "5 March 2019".
DATE_RANGE = re.compile(
    rf"{_WEEKDAY}(?P<d1>{_DAY})(?:\s+(?P<m1>{_MONTH}))?(?:\s+(?P<y1>{_YEAR}))?"
    rf"(?:{_SEP}{_WEEKDAY}(?P<d2>{_DAY})\s+(?P<m2>{_MONTH})\s+(?P<y2>{_YEAR})"
    rf"|(?<=\d{{4}})(?!{_SEP}\d))",
    re.I,
)
SINGLE_DATE = re.compile(
    rf"^{_WEEKDAY}(?P<d>{_DAY})\s+(?P<m>{_MONTH})\s+(?P<y>{_YEAR})$",
    re.I,
)

ORDINALS = {
    "first": 1,
    "second": 2,
    "third": 3,
    "fourth": 4,
    "fifth": 5,
    "sixth": 6,
    "seventh": 7,
    "eighth": 8,
    "ninth": 9,
    "tenth": 10,
    "eleventh": 11,
    "twelfth": 12,
    "thirteenth": 13,
    "fourteenth": 14,
    "fifteenth": 15,
}
_ORDINAL = r"(?P<n>" + "|".join(ORDINALS) + r"|\d{1,2}(?:st|nd|rd|th))"


def _date(day: str, month: str, year: str) -> datetime.date | None:
    try:
        return datetime.date(
            int(year), MONTHS[month.lower().rstrip(".")], int(re.sub(r"\D", "", day))
        )
    except (ValueError, KeyError):
        return None


def parse_range(text: str) -> tuple[datetime.date | None, datetime.date | None]:
    """The first date or range of dates at the start of `text`."""
    match = DATE_RANGE.match(text.strip())
    if not match:
        return None, None
    if match.group("d2"):
        end = _date(match.group("d2"), match.group("m2"), match.group("y2"))
        start = _date(
            match.group("d1"),
            match.group("m1") or match.group("m2"),
            match.group("y1") or match.group("y2"),
        )
        if start and end and start > end and not match.group("y1"):
            # "28 December to 3 January 2020": the first day is in the year before.
            start = _date(match.group("d1"), match.group("m1") or "", str(end.year - 1))
        return start, end
    if match.group("m1") and match.group("y1"):
        day = _date(match.group("d1"), match.group("m1"), match.group("y1"))
        return day, day
    return None, None


_DATES_LABEL = re.compile(r"\b(?:Inspection|Visit) dates?\s*:?\s*", re.I)
_DATES_IN_PROSE = re.compile(
    r"(?:(?:children[’']s services|visit|inspection|inspected|took place|on site)"
    r"[^.]{0,60}?\b(?:on|between|from)|(?:^|\.\s+|,\s+)(?:Between|From|On))\s+(?="
    + _WEEKDAY
    + r"\d)",
    re.I,
)


def find_dates(blocks: Sequence[str]) -> tuple[datetime.date | None, datetime.date | None]:
    head = blocks[:60]
    for block in head:
        for label in _DATES_LABEL.finditer(block):
            start, end = parse_range(block[label.end() :])
            if start:
                return start, end
    for block in head:
        for prose in _DATES_IN_PROSE.finditer(block):
            start, end = parse_range(block[prose.end() :])
            if start:
                return start, end
    return None, None


def find_published(blocks: Sequence[str]) -> datetime.date | None:
    """The report's "published" date, or a letter's own date above "Dear ..."."""
    for block in blocks[:80]:
        match = re.search(
            r"\b(?:Report|Letter|Date) published\s*:?\s*(?:on\s+)?(?P<date>.{6,40})", block, re.I
        )
        if match:
            start, _ = parse_range(match.group("date"))
            if start:
                return start
    for block in blocks[:40]:
        if re.match(r"(?:Dear|To)\s", block):
            break
        match = SINGLE_DATE.match(block.strip().rstrip("."))
        if match:
            return _date(match.group("d"), match.group("m"), match.group("y"))
    return None


# What kind of visit: the title says so, early in the letter.
_KIND_TITLES = (
    ("jtai", re.compile(r"\bjoint targeted area inspection\b|\(JTAI\)", re.I)),
    ("monitoring_visit", re.compile(r"\bmonitoring visit (?:to|of)\b", re.I)),
    ("focused_visit", re.compile(r"\bfocused visit (?:to|of)\b", re.I)),
    (
        "inspection",
        re.compile(
            r"\binspection of (?:[^.\n]{2,90}? local authority children[’']s services"
            r"|children[’']s social care services|services for children in need)",
            re.I,
        ),
    ),
)


def find_kind(blocks: Sequence[str], start, end) -> str | None:
    head = "\n".join(blocks[:25])
    found = []
    for kind, pattern in _KIND_TITLES:
        match = pattern.search(head)
        if match:
            found.append((match.start(), kind))
    if not found:
        # Titles aside, a letter that calls itself one kind of visit is that kind.
        text = "\n".join(blocks[:60])
        for kind, pattern in (
            ("monitoring_visit", re.compile(r"\bthis (?:was|is) the \w+ monitoring visit", re.I)),
            ("focused_visit", re.compile(r"\bfindings of (?:the|a) focused visit\b", re.I)),
            ("monitoring_visit", re.compile(r"\bfindings of (?:the|a) monitoring visit\b", re.I)),
        ):
            if pattern.search(text):
                return kind
        return None
    kind = min(found)[1]
    if kind != "inspection":
        return kind
    if re.search(r"\bshort inspection\b", head, re.I):
        return "short"
    if re.search(r"\bstandard inspection\b", head, re.I):
        return "standard"
    if start and end and (end - start).days <= 7 and start >= datetime.date(2018, 1, 1):
        # ILACS reports do not say which: a week on site is a short inspection.
        return "short"
    return "standard"


_SENTENCE_END = r"(?=\.(?:\s|$)|$)"


def find_focus_theme(blocks: Sequence[str], kind: str | None) -> str | None:
    text = "\n".join(blocks[:30])
    patterns = []
    if kind == "jtai":
        patterns.append(
            r"[Jj]oint targeted area inspection(?: \(JTAI\))? of (?P<t>the [^.\n]+?)"
            r"(?: in [A-Z][^.\n]*)?" + _SENTENCE_END
        )
    if kind in ("focused_visit", "monitoring_visit", "jtai"):
        patterns += [
            r"\b(?:Inspectors|The inspectors|This visit|The visit) (?:looked|focused|focussed)"
            r"(?: specifically)? (?:at|on) (?P<t>[^\n]+?)" + _SENTENCE_END,
            r"\bThe focus of (?:this|the) visit was (?:on )?(?P<t>[^\n]+?)" + _SENTENCE_END,
            r"\b(?:Inspectors|The inspectors) evaluated (?P<t>[^\n]+?)" + _SENTENCE_END,
        ]
    for pattern in patterns:
        for match in re.finditer(pattern, text, re.M):
            theme = " ".join(match.group("t").split()).strip(" ,;:")
            # "Inspectors looked at a range of evidence" is what they did, not the theme.
            if 3 <= len(theme) <= 400 and not _ACTIVITY.match(theme):
                return theme
    return None


_ACTIVITY = re.compile(
    r"(?:a (?:wide )?(?:range|number|sample|selection|variety) of|evidence|case (?:records|files)"
    r"|children[’']s (?:case )?(?:records|files)|records|performance (?:data|information)"
    r"|information|documents|audits)\b",
    re.I,
)


def find_visit_number(blocks: Sequence[str]) -> int | None:
    text = " ".join(blocks[:60])
    for pattern in (
        rf"\bth(?:is|e) (?:visit )?(?:was|is) the {_ORDINAL} monitoring visit",
        rf"\b{_ORDINAL} monitoring visit (?:since|to|of|following|after)",
        r"\bmonitoring visit (?:number )?(?P<n>\d{1,2})\b",
        rf"\b{_ORDINAL} monitoring visit\b",
    ):
        match = re.search(pattern, text, re.I)
        if match:
            word = match.group("n").lower()
            number = ORDINALS.get(word) or int(re.sub(r"\D", "", word))
            if 1 <= number <= 30:
                return number
    return None


_NAME_WORD = r"(?:[A-Z][a-z]*(?:[A-Z][a-z]+)?(?:[’'\-][A-Za-z][a-z]+)*)(?![\w’'])"
_PARTICLE = r"(?:(?:de|van|von|du|da|la|le|der|den) +)?"
_NAME = rf"(?P<name>{_NAME_WORD}(?: +{_PARTICLE}{_NAME_WORD}){{1,4}})"
_TITLE = r"(?:(?:Mr|Mrs|Ms|Miss|Dr)\.?\s+)?"
_HMI = (
    r"(?:(?:His|Her) Majesty[’']s Inspector|(?:Senior |Social Care )?HMI|"
    r"Ofsted Inspector|Social Care Regulatory Inspector)"
)


def _clean_name(name: str) -> str | None:
    name = " ".join(name.split())
    name = re.sub(r"^(?:Mr|Mrs|Ms|Miss|Dr)\.?\s+", "", name)
    name = re.sub(r"\s+(?:Senior|HMI|His|Her|Lead|Inspector)$", "", name)
    words = name.split()
    if len(words) < 2 or any(word.lower() in {"inspector", "majesty’s", "the"} for word in words):
        return None
    return name


def find_lead_inspector(blocks: Sequence[str]) -> str | None:
    text = "\n".join(blocks)
    for pattern in (
        rf"\bLead inspectors?\s*:?\s*{_TITLE}{_NAME}",
        rf"\b(?:The )?lead inspector (?:was|is)\s+{_TITLE}{_NAME}",
        rf"\bled by\s+{_TITLE}{_NAME},?\s+{_HMI}",
    ):
        match = re.search(pattern, text)
        if match and (name := _clean_name(match.group("name"))):
            return name
    # Letters: the inspector who signed it ("Yours sincerely ... Name / HMI").
    for start, block in enumerate(blocks):
        if re.match(r"Yours (?:sincerely|faithfully)\b", block, re.I):
            tail = list(blocks[start + 1 : start + 7])
            for index, line in enumerate(tail):
                if re.fullmatch(_HMI + r"\.?", line) and index > 0:
                    name = re.fullmatch(rf"{_TITLE}{_NAME}", tail[index - 1])
                    if name and (clean := _clean_name(name.group("name"))):
                        return clean
                inline = re.fullmatch(rf"{_TITLE}{_NAME},? +{_HMI}\.?", line)
                if inline and (clean := _clean_name(inline.group("name"))):
                    return clean
    # The first of "The inspectors were A, HMI, and B, HMI" / "Inspectors ... were A and B".
    for pattern in (
        rf"\b(?:(?:His|Her) Majesty[’']s )?[Ii]nspectors?(?: for this (?:visit|inspection))? "
        rf"(?:were|was)\s+{_TITLE}{_NAME}",
        rf"\b(?:The )?inspection team (?:was|were|consisted of)\s+{_TITLE}{_NAME}",
    ):
        match = re.search(pattern, text)
        if match and (name := _clean_name(match.group("name"))):
            return name
    return None


_FILE_ID = re.compile(
    r"files\.ofsted\.gov\.uk/v1/file/(?P<id>\d{4,12})\b"
    r"|\bOfsted file (?:id|number)\s*:?\s*(?P<id2>\d{4,12})\b"
    r"|\b(?:letter|report) in full at\s*:?\s*(?P<id3>\d{6,12})\b",
    re.I,
)


def find_file_id(text: str) -> str | None:
    match = _FILE_ID.search(text)
    if not match:
        return None
    return match.group("id") or match.group("id2") or match.group("id3")


_GRADE = (
    r"(?P<grade>requires improvement to be good|requires improvement|inadequate|good|outstanding)"
)
_SIF_OVERALL = (
    re.compile(rf"\bThe overall judgement is\s+{_GRADE}\b", re.I),
    re.compile(
        rf"\bChildren[’']s services in [A-Z][\w ,’'&.-]{{1,60}}? (?:are|is)\s+{_GRADE}\b",
    ),
)


def _area_pattern(area: str) -> re.Pattern[str]:
    words = r"\s+".join(re.escape(word) for word in area.split())
    return re.compile(
        rf"(?<![\w-]){words}\s*(?:[:\-–]\s*|\b(?:is|are|was|were)\s+|\bjudged\s+)?(?:to be\s+)?"
        + _GRADE
        + r"\b",
        re.I,
    )


def _grade_words(word: str) -> str:
    word = " ".join(word.split())
    return word[:1].upper() + word[1:].lower()


def read_grades(
    text: str, framework: FrameworkAreas | None
) -> tuple[dict[str, str], FrameworkAreas | None]:
    """Each judgement area of the framework, with its grade as the letter words it.

    Without a date to choose the framework, the one with most areas found wins.
    """
    # Only the council's judgements: a SIF report's safeguarding board review
    # (section 2) has its own, which are not the council's.
    cut = re.search(
        r"\n(?:Section 2:? )?The effectiveness of the (?:Local Safeguarding|LSCB)", text
    )
    graded = text[: cut.start()] if cut and cut.start() > 200 else text
    candidates = [framework] if framework else list(FRAMEWORKS)
    best: tuple[dict[str, str], FrameworkAreas | None] = ({}, framework)
    for candidate in candidates:
        grades: dict[str, str] = {}
        for area in candidate.areas:
            match = _area_pattern(area).search(graded)
            if match:
                grades[area] = _grade_words(match.group("grade"))
        if OVERALL in candidate.areas and OVERALL not in grades:
            for pattern in _SIF_OVERALL:
                match = pattern.search(graded)
                if match:
                    grades[OVERALL] = _grade_words(match.group("grade"))
                    break
        if len(grades) > len(best[0]):
            best = (grades, candidate)
    ordered = best[1]
    if ordered is None:
        return {}, None
    return {area: best[0][area] for area in ordered.areas if area in best[0]}, ordered


def framework_for(start: datetime.date | None) -> FrameworkAreas | None:
    return framework_on(start) if start else None
