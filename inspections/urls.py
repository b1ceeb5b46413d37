from django.urls import path

from actions import plan_export_views

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
    path("findings/<int:pk>/", views.FindingDetailView.as_view(), name="finding_detail"),
    path("letters/new/", views.LetterStartView.as_view(), name="letter_start"),
    path("letters/check/", views.LetterReviewView.as_view(), name="letter_review"),
]
