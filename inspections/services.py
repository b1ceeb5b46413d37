"""Writes to inspections: a letter, its judgements and findings, saved together or not at all."""

import datetime
from dataclasses import dataclass

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import F

from councils.models import Council
from councils.roles import keeps_records_of

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
    if not keeps_records_of(entered_by, council):
        raise PermissionDenied(
            "Only an admin at this council, or at a council that took over from it, can add "
            "its inspection letters."
        )
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


@dataclass(frozen=True)
class EditedFinding(NewFinding):
    """A finding as the admin left it: an existing one (with its id) or a new one."""

    finding_id: int | None = None


@transaction.atomic
def update_inspection(
    *,
    inspection: Inspection,
    edited_by,
    kind: str,
    start_date: datetime.date,
    end_date: datetime.date,
    published_on: datetime.date | None = None,
    focus_theme: str = "",
    visit_number: int | None = None,
    lead_inspector: str = "",
    ofsted_file_id: str = "",
    grades: dict[str, int] | None = None,
    findings: list[EditedFinding] = (),
) -> Inspection:
    """Correct an inspection, its grades and its findings, with the letter review's rules.

    Every existing finding must be given (a finding is never deleted here: its actions
    and history hang on it); new ones are added. Findings are renumbered 1, 2, 3… in
    the order given. All or nothing.
    """
    locked = Inspection.objects.select_for_update().select_related("council").get(pk=inspection.pk)
    if not keeps_records_of(edited_by, locked.council):
        raise PermissionDenied(
            "Only an admin at this council, or at a council that took over from it, can edit "
            "its inspections."
        )
    existing = {finding.pk: finding for finding in locked.findings.select_for_update()}
    given = [new.finding_id for new in findings if new.finding_id is not None]
    if set(given) - set(existing) or len(given) != len(set(given)):
        raise ValidationError("A finding was not one of this inspection's. Start again.")
    if missing := set(existing) - set(given):
        raise ValidationError(
            f"{len(missing)} finding{'s' if len(missing) > 1 else ''} of this inspection "
            "cannot be removed here: findings keep their actions and history."
        )
    for name, value in {
        "kind": kind,
        "start_date": start_date,
        "end_date": end_date,
        "published_on": published_on,
        "focus_theme": focus_theme,
        "visit_number": visit_number,
        "lead_inspector": lead_inspector,
        "ofsted_file_id": ofsted_file_id,
    }.items():
        setattr(locked, name, value)
    grades = grades or {}
    # Grades dropped first and the inspection saved before grades are added, so that
    # the database's own guard (no grades on an ungraded kind) never sees a mixture.
    for judgement in locked.judgements.all():
        if judgement.area not in grades:
            judgement._history_user = edited_by
            judgement.delete()
    locked.full_clean()
    locked._history_user = edited_by
    locked.save()
    for area, grade in grades.items():
        judgement = locked.judgements.filter(area=area).first() or Judgement(
            inspection=locked, area=area
        )
        judgement.grade = grade
        judgement.full_clean()
        judgement._history_user = edited_by
        judgement.save()
    # Out of the way first, so renumbering never meets the one-number-per-finding rule.
    locked.findings.update(position=F("position") + 1000)
    for position, new in enumerate(findings, start=1):
        finding = existing.get(new.finding_id) or Finding(inspection=locked)
        finding.position = position
        finding.text = new.text.strip()
        finding.short_title = new.short_title.strip()
        finding.theme = new.theme
        finding.is_priority_action = new.is_priority_action
        finding.repeats = new.repeats
        finding.full_clean()
        finding._history_user = edited_by
        finding.save()
    return locked
