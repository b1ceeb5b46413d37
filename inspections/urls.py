from django.urls import path

from actions import plan_export_views, plan_import_views

from . import views

urlpatterns = [
    path("", views.InspectionListView.as_view(), name="inspection_list"),
    path("<int:pk>/", views.InspectionDetailView.as_view(), name="inspection_detail"),
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
    path("findings/<int:pk>/", views.FindingDetailView.as_view(), name="finding_detail"),
    path("<int:pk>/edit/", views.InspectionEditView.as_view(), name="inspection_edit"),
    path("letters/new/", views.LetterStartView.as_view(), name="letter_start"),
    path("letters/check/", views.LetterReviewView.as_view(), name="letter_review"),
]
