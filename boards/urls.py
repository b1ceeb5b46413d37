from django.urls import path

from . import views

urlpatterns = [
    path("", views.MeetingListView.as_view(), name="board_list"),
    path("trends/", views.TrendsView.as_view(), name="board_trends"),
    path(
        "trends/findings/<int:pk>/",
        views.FindingTrendsView.as_view(),
        name="board_finding_trends",
    ),
    path("<int:pk>/", views.MeetingDetailView.as_view(), name="board_detail"),
    path("<int:pk>/freeze/", views.MeetingFreezeView.as_view(), name="board_freeze"),
    path("<int:pk>/changes/", views.MeetingChangesView.as_view(), name="board_changes"),
    path("<int:pk>/pack/", views.BoardPackView.as_view(), name="board_pack"),
    path("<int:pk>/pack.pdf", views.BoardPackPdfView.as_view(), name="board_pack_pdf"),
]
