from django.urls import path

from . import plan_export_views, views

urlpatterns = [
    path("", views.ActionListView.as_view(), name="action_list"),
    path("mine/", views.MyActionsView.as_view(), name="my_actions"),
    path("new/<int:finding_pk>/", views.ActionCreateView.as_view(), name="action_create"),
    path("export.csv", views.ActionExportCsvView.as_view(), name="action_export_csv"),
    path("export.xlsx", views.ActionExportXlsxView.as_view(), name="action_export_xlsx"),
    path("plan-template.xlsx", plan_export_views.PlanTemplateView.as_view(), name="plan_template"),
    path("<int:pk>/", views.ActionDetailView.as_view(), name="action_detail"),
    path("<int:pk>/updates/", views.ActionUpdatesView.as_view(), name="action_updates"),
    path("<int:pk>/changes/", views.ActionChangesView.as_view(), name="action_changes"),
    path(
        "<int:pk>/updates/<int:update_pk>/",
        views.ActionUpdateView.as_view(),
        name="action_update",
    ),
    path("<int:pk>/progress/", views.LogProgressView.as_view(), name="action_log_progress"),
    path("<int:pk>/edit/", views.ActionEditView.as_view(), name="action_edit"),
    path("<int:pk>/due-date/", views.ReviseDueDateView.as_view(), name="action_revise_due_date"),
    path("<int:pk>/sign-off/", views.SignOffView.as_view(), name="action_sign_off"),
    path("<int:pk>/send-back/", views.SendBackView.as_view(), name="action_send_back"),
    path("<int:pk>/cancel/", views.CancelView.as_view(), name="action_cancel"),
    path("<int:pk>/reopen/", views.ReopenView.as_view(), name="action_reopen"),
    path(
        "evidence/<int:update_pk>/", views.EvidenceDownloadView.as_view(), name="evidence_download"
    ),
]
