"""Writing an imported action plan: all of it in one transaction, or none of it.

The rows are checked again inside the transaction (actions.plan_import.check_plan),
with the inspection locked, so what is written is what a fresh preview would show.
Every action and every timeline entry is written by actions.services, so the rules
are the ones every page follows; dated updates keep their own dates.
"""

import datetime
from dataclasses import dataclass

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from councils.models import Council, Role, User
from councils.roles import has_role
from inspections.models import Finding, Inspection

from . import plan_import, services
from .models import PlanImportMapping
from .plan_import import PlanPreview, PlanSheet

IMPORT_REASON = "Imported from an action plan spreadsheet"


class PlanHasProblems(ValidationError):
    """The plan cannot be imported as it is; `preview` lists every problem."""

    def __init__(self, preview: PlanPreview):
        self.preview = preview
        super().__init__([str(problem) for problem in preview.problems[:20]])


@dataclass(frozen=True)
class ImportResult:
    actions: int
    new_findings: int
    findings: int
    entries: int


def _moment(day: datetime.date | None, now: datetime.datetime) -> datetime.datetime:
    """A date in the sheet as a moment: midday in England, never later than now."""
    if day is None:
        return now
    midday = timezone.make_aware(datetime.datetime.combine(day, datetime.time(12)))
    return min(midday, now)


def remember_mapping(*, council: Council, mapping: dict[str, str], user) -> PlanImportMapping:
    """Keep the columns chosen ({our key: the file's heading}) for the council's next upload."""
    if not has_role(user, council, Role.MANAGER):
        raise PermissionDenied("Only a manager at this council can import action plans.")
    saved, _ = PlanImportMapping.objects.update_or_create(
        council=council, defaults={"mapping": mapping, "updated_by": user}
    )
    return saved


@transaction.atomic
def import_plan(
    *,
    inspection: Inspection,
    imported_by,
    sheet: PlanSheet,
    mapping: dict[str, int],
    placeholder_owner: User | None = None,
) -> ImportResult:
    """Create the sheet's findings, actions and timelines under the inspection.

    Raises PlanHasProblems (a ValidationError) when any row has a problem, and
    PermissionDenied for someone who is not a manager at the inspection's council.
    """
    council = inspection.council
    if not has_role(imported_by, council, Role.MANAGER):
        raise PermissionDenied("Only a manager at this council can import action plans.")
    # One import into an inspection at a time: the second waits, then sees the first's rows.
    inspection = (
        Inspection.objects.select_for_update().select_related("council").get(pk=inspection.pk)
    )
    preview = plan_import.preview_plan(
        sheet,
        mapping,
        inspection=inspection,
        importer=imported_by,
        placeholder_owner=placeholder_owner,
    )
    if preview.problems:
        raise PlanHasProblems(preview)

    now = timezone.now()
    people = User.objects.in_bulk(
        {a.owner_pk for a in preview.actions}
        | {pk for a in preview.actions for pk in a.contributor_pks}
    )
    findings = Finding.objects.filter(inspection=inspection).in_bulk()
    by_key = {}
    for planned in preview.findings:
        if planned.is_new:
            finding = Finding(
                inspection=inspection,
                position=planned.position,
                short_title=planned.short_title,
                text=planned.text,
                is_priority_action=planned.is_priority_action,
            )
            finding.full_clean()
            finding._history_user = imported_by
            finding._change_reason = IMPORT_REASON
            finding.save()
        else:
            finding = findings[planned.existing_pk]
        finding.inspection = inspection
        by_key[planned.key] = finding

    entries = 0
    for planned in preview.actions:
        action = services.action_create(
            finding=by_key[planned.finding_key],
            title=planned.title,
            owner=people[planned.owner_pk],
            due_date=planned.due_date,
            created_by=imported_by,
            description=planned.description,
            success_measure=planned.success_measure,
            lead_service=planned.lead_service,
            priority=planned.priority,
            start_date=planned.start_date,
            contributors=[people[pk] for pk in planned.contributor_pks],
            recorded_at=_moment(planned.created_on, now),
        )
        for step in planned.steps:
            at = _moment(step.on, now)
            if step.kind == "revise":
                services.revise_due_date(
                    action=action,
                    manager=imported_by,
                    revised_due_date=step.revised_due_date,
                    reason=step.note,
                    recorded_at=at,
                )
            elif step.kind == "progress":
                services.log_progress(
                    action=action,
                    author=imported_by,
                    note=step.note,
                    status=step.status,
                    percent_complete=step.percent,
                    recorded_at=at,
                )
            elif step.kind == "sign_off":
                services.sign_off(
                    action=action, manager=imported_by, note=step.note, recorded_at=at
                )
            elif step.kind == "cancel":
                services.cancel(
                    action=action, manager=imported_by, reason=step.note, recorded_at=at
                )
            else:  # pragma: no cover - check_plan makes only the kinds above
                raise ValueError(f"Unknown step {step.kind!r}")
            entries += 1
    return ImportResult(
        actions=len(preview.actions),
        new_findings=len(preview.new_findings),
        findings=len(preview.findings),
        entries=entries,
    )
