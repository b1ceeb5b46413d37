from django.contrib import admin
from django.urls import path

admin.site.site_header = "Improvement Tracker administration"
admin.site.site_title = "Improvement Tracker"
admin.site.index_title = "Inspections, findings and action plans"

urlpatterns = [
    path("admin/", admin.site.urls),
]
