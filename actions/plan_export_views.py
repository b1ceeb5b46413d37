"""Downloads of the action plan in the board's layout, and the template workbook.

Every member of the council may download them. Inspections are looked up through
the current council, so another council's inspection is a 404.
"""

from django.http import FileResponse, HttpResponse
from django.views import View

from councils.current import CouncilMixin

from . import plan_export
from .rag import Clock


def _private(response):
    response["Cache-Control"] = "private, no-store"
    return response


def _xlsx(output, filename: str) -> FileResponse:
    return _private(
        FileResponse(
            output,
            as_attachment=True,
            filename=filename,
            content_type=plan_export.XLSX_CONTENT_TYPE,
        )
    )


class InspectionPlanXlsxView(CouncilMixin, View):
    """One inspection's action plan as a workbook."""

    def get(self, request, pk: int):
        clock = Clock.current()
        plan = plan_export.inspection_plan(self.council, pk, clock)
        return _xlsx(
            plan_export.plan_xlsx_file([plan], self.council, clock),
            plan_export.plan_filename(self.council, "xlsx", clock, plan.inspection),
        )


class InspectionPlanCsvView(CouncilMixin, View):
    """The same rows as the workbook's sheet, as CSV."""

    def get(self, request, pk: int):
        clock = Clock.current()
        plan = plan_export.inspection_plan(self.council, pk, clock)
        response = HttpResponse(plan_export.plan_csv(plan), content_type="text/csv; charset=utf-8")
        filename = plan_export.plan_filename(self.council, "csv", clock, plan.inspection)
        response["Content-Disposition"] = f'attachment; filename="{filename}"'
        return _private(response)


class CouncilPlanXlsxView(CouncilMixin, View):
    """Every open plan of the current council (and the latest inspection's), a sheet each."""

    def get(self, request):
        clock = Clock.current()
        plans = plan_export.open_plans(self.council, clock)
        return _xlsx(
            plan_export.plan_xlsx_file(plans, self.council, clock),
            plan_export.plan_filename(self.council, "xlsx", clock),
        )


class PlanTemplateView(CouncilMixin, View):
    """The workbook a council fills in to bring an existing plan into the tracker."""

    def get(self, request):
        return _xlsx(plan_export.template_xlsx_file(), plan_export.TEMPLATE_FILENAME)
