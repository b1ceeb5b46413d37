from django.urls import path

from . import views

urlpatterns = [
    path("council/", views.switch_council, name="switch_council"),
    path("team/", views.TeamView.as_view(), name="team"),
    path("team/invite/", views.InviteView.as_view(), name="team_invite"),
    path("team/<int:pk>/role/", views.ChangeRoleView.as_view(), name="team_change_role"),
    path("team/<int:pk>/remove/", views.RemoveMemberView.as_view(), name="team_remove"),
    path(
        "team/<int:pk>/invite-again/",
        views.InviteAgainView.as_view(),
        name="team_invite_again",
    ),
    path("password/", views.ChangePasswordView.as_view(), name="change_password"),
    path("set-password/done/", views.SetPasswordDoneView.as_view(), name="set_password_done"),
    path("set-password/<uidb64>/<token>/", views.SetPasswordView.as_view(), name="set_password"),
]
