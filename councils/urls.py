from django.urls import path

from . import views

urlpatterns = [
    path("council/", views.switch_council, name="switch_council"),
    path("password/", views.ChangePasswordView.as_view(), name="change_password"),
    path("set-password/done/", views.SetPasswordDoneView.as_view(), name="set_password_done"),
    path("set-password/<uidb64>/<token>/", views.SetPasswordView.as_view(), name="set_password"),
]
