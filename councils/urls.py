from django.urls import path

from . import views

urlpatterns = [
    path("council/", views.switch_council, name="switch_council"),
]
