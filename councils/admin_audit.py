"""The audit trail in the admin: history pages that only read.

Every change to a council, membership, inspection, judgement, theme, finding or
action is kept by django-simple-history, with who made it and when. Its admin
pages ("History" on each object) are made safe here:

- An id or version that cannot exist (not a number, too large, a NUL character)
  is a 404, not a server error.
- They only read. "Revert to this version" is switched off in settings
  (SIMPLE_HISTORY_REVERT_DISABLED) and a POST to a version page is refused: an
  action's status changes only through actions.services, never by replaying a
  row.
"""

from django.contrib.admin.utils import unquote
from django.http import Http404, HttpResponseNotAllowed
from simple_history.admin import SimpleHistoryAdmin

from .admin_inputs import is_valid_value


class AuditedAdmin(SimpleHistoryAdmin):
    """A ModelAdmin whose model has `HistoricalRecords()`: adds a read-only history page."""

    def history_view(self, request, object_id, extra_context=None):
        if not is_valid_value(self.model._meta.pk, unquote(object_id)):
            raise Http404("No such object")
        return super().history_view(request, object_id, extra_context)

    def history_form_view(self, request, object_id, version_id, extra_context=None):
        if request.method not in ("GET", "HEAD"):
            return HttpResponseNotAllowed(["GET", "HEAD"])
        if not is_valid_value(self.model._meta.pk, unquote(object_id)):
            raise Http404("No such object")
        history = self.model.history
        if not is_valid_value(history.model._meta.pk, version_id):
            raise Http404("No such version")
        version = history.filter(
            **{self.model._meta.pk.attname: unquote(object_id), "history_id": version_id}
        )
        if not version.exists():
            raise Http404("No such version")
        return super().history_form_view(request, object_id, version_id, extra_context)
