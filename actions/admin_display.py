from django.contrib import admin
from django.contrib.admin.views.main import ChangeList

from .display import progress_bar, rag_tag
from .rag import Clock
from .rollups import attach_progress, summarise


class PageProgressChangeList(ChangeList):
    """A changelist whose rows carry their progress, counted for the page's rows only.

    Annotating the changelist's own queryset with progress would join and group every
    action in the database before the page's 100 rows were taken (280 ms for the
    findings at national scale, and as much again for the count); counting the actions
    of the page's rows is one more query that reads only theirs.
    """

    def get_results(self, request):
        super().get_results(request)
        self.result_list = attach_progress(list(self.result_list), Clock.current())


class ProgressColumnsMixin:
    """Progress bar and worst RAG columns for a changelist of findings or inspections.

    The columns are not sortable: sorting by progress would count every action in the
    database again, on every page of the list.
    """

    list_editable = ()  # the page's rows are a list, not a queryset a formset could save

    class Media:
        css = {"all": ["admin_extra/tracker-admin.css"]}

    def get_changelist(self, request, **kwargs):
        return PageProgressChangeList

    @staticmethod
    def _summary(obj):
        # Both columns read the same summary; work it out once per row.
        if not hasattr(obj, "_progress_summary"):
            obj._progress_summary = summarise(obj, Clock.current())
        return obj._progress_summary

    @admin.display(description="progress")
    def progress_display(self, obj):
        return progress_bar(self._summary(obj).progress)

    @admin.display(description="RAG")
    def rag_display(self, obj):
        summary = self._summary(obj)
        return rag_tag(summary.worst, summary.label) if summary.worst else "No actions"
