"""The action plan's export and import, on an inspection's pages (/inspections/<pk>/...).

Kept here rather than in inspections/urls.py, which imports nothing from actions/
but what a finding's progress needs (tests/test_layers.py).
"""

from django.urls import path

from . import plan_export_views, plan_import_views

urlpatterns = [
    path(
        "<int:pk>/plan.xlsx",
        plan_export_views.InspectionPlanXlsxView.as_view(),
        name="inspection_plan_xlsx",
    ),
    path(
        "<int:pk>/plan.csv",
        plan_export_views.InspectionPlanCsvView.as_view(),
        name="inspection_plan_csv",
    ),
    path(
        "<int:pk>/import/",
        plan_import_views.PlanUploadView.as_view(),
        name="inspection_plan_import",
    ),
    path(
        "<int:pk>/import/columns/",
        plan_import_views.PlanColumnsView.as_view(),
        name="inspection_plan_import_columns",
    ),
    path(
        "<int:pk>/import/check/",
        plan_import_views.PlanCheckView.as_view(),
        name="inspection_plan_import_check",
    ),
    path(
        "<int:pk>/import/cancel/",
        plan_import_views.PlanCancelView.as_view(),
        name="inspection_plan_import_cancel",
    ),
]
