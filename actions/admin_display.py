from django.contrib import admin

from .display import progress_bar, rag_tag
from .rag import Clock
from .rollups import summarise


class ProgressColumnsMixin:
    """Progress bar and worst RAG for changelists whose queryset has progress annotations."""

    class Media:
        css = {"all": ["admin_extra/tracker-admin.css"]}

    @admin.display(description="progress", ordering="progress")
    def progress_display(self, obj):
        return progress_bar(summarise(obj, Clock.current()).progress)

    @admin.display(description="RAG")
    def rag_display(self, obj):
        summary = summarise(obj, Clock.current())
        return rag_tag(summary.worst, summary.label) if summary.worst else "No actions"
