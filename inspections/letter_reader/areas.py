"""The areas for improvement, each in the letter's own words.

Taken only from the places a letter lists them: under "What needs to improve?",
"What needs to improve in this area of social work practice", "What does the
local authority need to improve?" (SIF), "Areas for improvement", and the areas
for priority action (which come first). Other lists (the areas a monitoring
visit looked at, what inspectors did, strengths, a safeguarding board's
recommendations) are under other headings and are left alone. Where a letter
gives the areas as a sentence ("… include A; B; and C"), the parts are taken.
"""

import re
from collections.abc import Sequence

from .text import BULLET, HEADINGS, NUMBERED

_END = r"\s*[?:.]?\s*$"
IMPROVE_HEADING = re.compile(
    r"^(?:what needs to improve(?: in this area of (?:social work )?practice)?"
    r"|what does the local authority need to improve"
    r"|what (?:the local authority|leaders) (?:needs? to|should) improve"
    r"|areas for (?:further )?improvement)" + _END,
    re.I,
)
PRIORITY_HEADING = re.compile(
    r"^(?:areas? for priority action|priority and immediate action|priority actions?)" + _END,
    re.I,
)
# Section 2 of a SIF report reviews the safeguarding board: its priority actions
# and areas for improvement are the board's, not the council's.
_BOARD_SECTION = re.compile(
    r"^section \d+\s*:?\s*(?:the |review of the )?effectiveness of the "
    r"(?:local safeguarding|lscb)(?!.*\s\d{1,3}$)"
    r"|^(?:the |review of the )?effectiveness of the "
    r"(?:local safeguarding children board|lscb)(?:\s*\(lscb\))?\s*$",
    re.I,
)
_COUNCIL_SECTION = re.compile(r"^section \d+\s*:?\s*the local authority\b", re.I)
_JUDGEMENT_HEADING = re.compile(
    r"^(?:the )?(?:experiences and progress of|impact of leaders|overall effectiveness)"
    r"[^.]*?(?::\s*|\s)(?:requires improvement|good|outstanding|inadequate)",
    re.I,
)
_NOT_AREAS = re.compile(
    r"\b(?:last|previous|earlier|recent) (?:full )?"
    r"(?:inspection|visit|monitoring visit|focused visit)"
    r"|\bidentified at\b|\breviewed\b|\bcovered\b|\bconsidered\b|\blooked at\b|\bevaluated\b",
    re.I,
)
_RUN_ON_TRIGGER = re.compile(
    r"\b(?:areas?\b[^.;:]{0,60}?\b(?:improvement|improve|development|priority action)"
    r"|needs? to improve|should improve|improvements? (?:are|is) (?:needed|required))"
    r"\b[^.;:]{0,80}?\b(?:include[sd]?|are|is|were)\b\s*:?\s*",
    re.I,
)


def _is_item(block: str) -> str | None:
    """'bullet' or 'number' for a list item, else None."""
    if block.startswith(BULLET + " "):
        return "bullet"
    if NUMBERED.match(block):
        return "number"
    return None


def _item_words(block: str) -> str:
    if block.startswith(BULLET + " "):
        block = block[len(BULLET) + 1 :]
    else:
        block = NUMBERED.sub("", block, count=1)
    return " ".join(block.split())


def split_run_on(sentence: str) -> list[str]:
    """ "A; B; and C." as ["A", "B", "C"]; fewer than two parts is not a list."""
    parts = [part.strip() for part in sentence.split(";")]
    parts = [re.sub(r"^(?:and|or)\s+", "", part) for part in parts if part]
    if parts:
        parts[-1] = re.sub(r"[.]+$", "", parts[-1]).strip()
    parts = [" ".join(part.split()) for part in parts if len(part) > 2]
    return parts if len(parts) >= 2 else []


def _sentence_from(block: str, start: int) -> str:
    end = re.search(r"\.(?=\s+[A-Z‘“'\"]|\s*$)", block[start:])
    return block[start : start + end.end()] if end else block[start:]


def _run_on_in(block: str, under_heading: bool) -> list[str]:
    for trigger in _RUN_ON_TRIGGER.finditer(block):
        sentence_start = max(block.rfind(". ", 0, trigger.start()) + 2, 0)
        if _NOT_AREAS.search(block[sentence_start : trigger.end()]):
            continue
        parts = split_run_on(_sentence_from(block, trigger.end()))
        if parts:
            return parts
    if under_heading and ";" in block:
        lead = re.search(r"(?:\binclude[sd]?\b|:)\s*", block)
        return split_run_on(block[lead.end() :] if lead else block)
    return []


def _ends_section(block: str) -> bool:
    return bool(
        IMPROVE_HEADING.match(block)
        or PRIORITY_HEADING.match(block)
        or _BOARD_SECTION.match(block)
        or _JUDGEMENT_HEADING.match(block)
        or HEADINGS.match(block)
    )


def find_areas(blocks: Sequence[str]) -> list[str]:
    has_markers = any(_is_item(block) == "bullet" for block in blocks)
    sections: list[tuple[bool, list[str]]] = []
    index = 0
    in_board_section = False
    while index < len(blocks):
        block = blocks[index]
        if _BOARD_SECTION.match(block):
            in_board_section = True
        elif _COUNCIL_SECTION.match(block):
            in_board_section = False
        heading = IMPROVE_HEADING.match(block) or PRIORITY_HEADING.match(block)
        if not heading or in_board_section:
            index += 1
            continue
        priority = bool(PRIORITY_HEADING.match(block))
        items: list[str] = []
        lead: list[str] = []
        marker = None
        index += 1
        while index < len(blocks):
            block = blocks[index]
            kind = _is_item(block)
            if kind == "number" and marker is None and lead and not lead[-1].endswith(":"):
                # Numbered paragraphs after prose are the report's body, not a list.
                break
            if kind and (marker is None or kind == marker):
                marker = kind
                items.append(_item_words(block))
                index += 1
                continue
            if items or kind or _ends_section(block):
                break
            # A sentence or two may lead in to the list ("The local authority
            # needs to take swift action on the following:").
            if len(lead) >= (2 if has_markers else 12):
                break
            lead.append(block)
            index += 1
        if not items:
            for paragraph in lead:
                items = _run_on_in(paragraph, under_heading=True)
                if items:
                    break
        if not items and not has_markers:
            # Pasted text without bullets: the short paragraphs under the heading.
            items = [
                " ".join(p.split()) for p in lead if len(p) <= 600 and not p.rstrip().endswith(":")
            ]
        sections.append((priority, items))

    areas: list[str] = []
    for _, items in sorted(sections, key=lambda section: not section[0]):
        for item in items:
            if item and item not in areas:
                areas.append(item)
    if areas:
        return areas
    for block in blocks:
        found = _run_on_in(block, under_heading=False)
        if found:
            return found
    return []
