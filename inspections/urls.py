from django.urls import path

from . import views

urlpatterns = [
    path("", views.InspectionListView.as_view(), name="inspection_list"),
    path("<int:pk>/", views.InspectionDetailView.as_view(), name="inspection_detail"),
    path("findings/<int:pk>/", views.FindingDetailView.as_view(), name="finding_detail"),
    path("<int:pk>/edit/", views.InspectionEditView.as_view(), name="inspection_edit"),
    path("letters/new/", views.LetterStartView.as_view(), name="letter_start"),
    path("letters/check/", views.LetterReviewView.as_view(), name="letter_review"),
]
