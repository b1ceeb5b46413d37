from django.urls import path

from . import views

urlpatterns = [
    path("team/", views.TeamView.as_view(), name="team"),
    path("team/invite/", views.InviteView.as_view(), name="team_invite"),
    path("team/<int:pk>/role/", views.ChangeRoleView.as_view(), name="team_change_role"),
    path("team/<int:pk>/remove/", views.RemoveMemberView.as_view(), name="team_remove"),
    path("team/<int:pk>/invite-again/", views.InviteAgainView.as_view(), name="team_invite_again"),
]
