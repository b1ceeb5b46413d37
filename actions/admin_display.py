from django.contrib import admin

from .display import progress_bar, rag_tag
from .rag import Clock
from .rollups import summarise


class ProgressColumnsMixin:
    """Progress bar and worst RAG for changelists whose queryset has progress annotations."""

    class Media:
        css = {"all": ["admin_extra/tracker-admin.css"]}

    @staticmethod
    def _summary(obj):
        # Both columns read the same summary; work it out once per row.
        if not hasattr(obj, "_progress_summary"):
            obj._progress_summary = summarise(obj, Clock.current())
        return obj._progress_summary

    @admin.display(description="progress", ordering="progress")
    def progress_display(self, obj):
        return progress_bar(self._summary(obj).progress)

    @admin.display(description="RAG")
    def rag_display(self, obj):
        summary = self._summary(obj)
        return rag_tag(summary.worst, summary.label) if summary.worst else "No actions"
