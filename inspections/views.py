"""The inspections list, an inspection's page and a finding's page.

Thin views: each object comes from the current council through a selector, so
another council's inspection or finding is a 404.
"""

from django.views.generic import DetailView, TemplateView
from django_filters.views import FilterView

from config.pagination import ForgivingPaginationMixin
from councils.views import CouncilPageMixin

from . import selectors
from .filters import InspectionFilter


class InspectionListView(CouncilPageMixin, ForgivingPaginationMixin, FilterView):
    template_name = "inspections/inspection_list.html"
    filterset_class = InspectionFilter
    paginate_by = 20
    nav_section = "inspections"

    def get_queryset(self):
        return selectors.inspections_for_list(self.council, self.clock)

    def get_filterset_kwargs(self, filterset_class):
        return {**super().get_filterset_kwargs(filterset_class), "council": self.council}

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        page = context["page_obj"]
        context["inspections"] = selectors.decorate_inspections(context["object_list"], self.clock)
        context["page_range"] = page.paginator.get_elided_page_range(
            page.number, on_each_side=1, on_ends=1
        )
        context["is_filtered"] = any(self.request.GET.get(name) for name in self.filterset.filters)
        return context


class InspectionDetailView(CouncilPageMixin, DetailView):
    template_name = "inspections/inspection_detail.html"
    context_object_name = "inspection"
    nav_section = "inspections"

    def get_queryset(self):
        return selectors.inspections_for_detail(self.council, self.clock)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        inspection = self.object
        context["summary"] = selectors.with_summary([inspection], self.clock)[0].summary
        context["judgements"] = [
            (judgement, selectors.grade_label(inspection, judgement.grade))
            for judgement in selectors.judgements_in_order(inspection)
        ]
        context["findings"] = selectors.findings_of_inspection(inspection, self.clock)
        return context


class FindingDetailView(CouncilPageMixin, TemplateView):
    template_name = "inspections/finding_detail.html"
    nav_section = "inspections"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        page = selectors.finding_page(self.council, self.kwargs["pk"], self.clock)
        context["page"] = page
        context["finding"] = page.finding
        context["inspection"] = page.finding.inspection
        return context
