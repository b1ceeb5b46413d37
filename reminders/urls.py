from django.urls import path

from . import views

urlpatterns = [
    path("", views.ReminderPreferenceView.as_view(), name="reminder_preference"),
    path("action/<int:pk>/", views.ActionFromReminderView.as_view(), name="action_from_reminder"),
]
