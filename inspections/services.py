"""Writes to inspections: a letter, its judgements and findings, saved together or not at all."""

import datetime
from dataclasses import dataclass

from django.core.exceptions import PermissionDenied
from django.db import transaction

from councils.models import Council, Role
from councils.roles import has_role

from .models import Finding, Inspection, Judgement, Theme


@dataclass(frozen=True)
class NewFinding:
    text: str
    short_title: str
    theme: Theme | None = None
    is_priority_action: bool = False
    repeats: Finding | None = None


@transaction.atomic
def record_letter(
    *,
    council: Council,
    entered_by,
    kind: str,
    start_date: datetime.date,
    end_date: datetime.date,
    published_on: datetime.date | None = None,
    focus_theme: str = "",
    visit_number: int | None = None,
    lead_inspector: str = "",
    ofsted_file_id: str = "",
    letter_text: str = "",
    grades: dict[str, int] | None = None,
    findings: list[NewFinding] = (),
) -> Inspection:
    """Save an inspection with its grades and findings in one transaction.

    Every record is validated as the admin site validates it (full_clean: dates,
    the framework's judgement areas, a repeat from the council's own earlier
    inspections), so an error anywhere raises ValidationError and writes nothing.
    Findings are numbered 1, 2, 3… in the order given.
    """
    if not has_role(entered_by, council, Role.ADMIN):
        raise PermissionDenied("Only an admin at this council can add inspection letters.")
    inspection = Inspection(
        council=council,
        kind=kind,
        start_date=start_date,
        end_date=end_date,
        published_on=published_on,
        focus_theme=focus_theme,
        visit_number=visit_number,
        lead_inspector=lead_inspector,
        ofsted_file_id=ofsted_file_id,
        letter_text=letter_text,
    )
    inspection.full_clean()
    inspection._history_user = entered_by
    inspection.save()
    for area, grade in (grades or {}).items():
        judgement = Judgement(inspection=inspection, area=area, grade=grade)
        judgement.full_clean()
        judgement._history_user = entered_by
        judgement.save()
    for position, new in enumerate(findings, start=1):
        finding = Finding(
            inspection=inspection,
            position=position,
            text=new.text.strip(),
            short_title=new.short_title.strip(),
            theme=new.theme,
            is_priority_action=new.is_priority_action,
            repeats=new.repeats,
        )
        finding.full_clean()
        finding._history_user = entered_by
        finding.save()
    return inspection
